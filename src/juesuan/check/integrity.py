"""Formula integrity: are the derived cells still what the format declares?

A filled workbook holds, in every derived cell, the formula ``Expr.formula`` renders for where
the cells now are (``=SUM(D9:E9)``) and its cached value.  Things that go wrong:

- F-0 (info): no derived cell holds a formula — a hand-typed workbook; checked as typed.
- F-1 (warning): some do, but this one holds a typed number (a formula was overwritten).
- F-2 (error, emitted by :mod:`~juesuan.check.relations`): the cached value is not the formula's
  result on the stored cells (the file was changed by a program that did not recalculate).
- F-3 (warning): a formula other than the declared one (``=D9+E9+1`` for ``=SUM(D9:E9)``).
- F-4 (info): formula cells with no cached value (saved by a program that does not calculate,
  e.g. openpyxl); their values were computed from the formulas.
- F-5 (info): a formula in an input cell.
- F-6 (error): a formula error (#REF!, #DIV/0! …) stored in a derived cell.
- F-7 (warning): every derived cell empty and without formula (``new --no-fill``): the totals
  would print blank; derived values are computed from the inputs for the other rules.

Example: in a filled workbook, typing 151 over 表5 2010301「小计」(=SUM(D9:E9)) gives F-1 on
that cell, and W5-1 compares the typed 151 with 基本 + 项目.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from juesuan.check.relations import expected_formula, formula_state
from juesuan.expr import Key
from juesuan.findings import Finding

if TYPE_CHECKING:
    from juesuan.check.context import Context
    from juesuan.check.registry import Rule

SAMPLE = 5  # cells named in a workbook-wide message


def placed_derived(ctx: "Context") -> list[Key]:
    """Derived number cells that are on the sheets."""
    if ctx.unplaced:
        return [k for k in ctx.prep.numeric_derived if k not in ctx.unplaced]
    return ctx.prep.numeric_derived


def _with_formula(ctx: "Context") -> list[Key]:
    assert ctx.formulas is not None
    formulas = ctx.formulas
    return [k for k in placed_derived(ctx) if k in formulas]


def no_formulas(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """F-0: a workbook without any formula in its derived cells (hand-typed)."""
    if ctx.formulas is None or ctx.unfilled or not placed_derived(ctx) \
            or any(k in ctx.formulas for k in placed_derived(ctx)):
        return
    yield rule.at([], count=len(placed_derived(ctx)))


def unfilled(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """F-7: every derived cell empty, no formula anywhere: the workbook was never filled."""
    if ctx.unfilled:
        first: dict[str, Key] = {}
        for key in ctx.prep.numeric_derived:
            if ctx.fmt.table(key[0]).public and ctx.address(key) is not None:
                first.setdefault(key[0], key)
        yield rule.finding(ctx, list(first.values()), count=len(ctx.prep.numeric_derived))


def constants(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """F-1: a derived cell holding a typed value while other derived cells hold formulas."""
    if ctx.formulas is None or not any(k in ctx.formulas for k in placed_derived(ctx)):
        return
    for key in placed_derived(ctx):
        if key not in ctx.formulas:
            value = ctx.values.get(key)
            yield rule.finding(ctx, [key], cell=ctx.label(key),
                               shown="空白" if value is None else f"常数 {value}",
                               formula=expected_formula(ctx, key))


def other_formulas(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """F-3: a derived cell whose formula is not the declared one."""
    if ctx.formulas is None:
        return
    for key in _with_formula(ctx):
        if formula_state(ctx, key) == "other":
            yield rule.finding(ctx, [key], cell=ctx.label(key), found=ctx.formulas[key],
                               formula=expected_formula(ctx, key))


def uncached(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """F-4: formula cells without a cached value (one finding for the workbook)."""
    if not ctx.computed:
        return
    keys = sorted(ctx.computed)
    sample = "、".join(f"{r.sheet}!{r.cell}" for r in ctx.refs(keys[:SAMPLE]))
    yield rule.at([], count=len(keys), sample=sample + ("等" if len(keys) > SAMPLE else ""))


def input_formulas(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """F-5: an input cell holding a formula (checked by its value; better typed as a number)."""
    if ctx.formulas is None:
        return
    for key in ctx.input_keys:
        if key in ctx.formulas:
            yield rule.finding(ctx, [key], cell=ctx.label(key), found=ctx.formulas[key])


def formula_errors(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """F-6: a derived cell showing a formula error."""
    for key, problem in ctx.problems.items():
        if key in ctx.exprs and problem.kind == "error":
            yield rule.finding(ctx, [key], cell=ctx.label(key), shown=problem.shown)
