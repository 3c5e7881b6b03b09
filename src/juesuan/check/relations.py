"""Every derived cell's declared relation must hold on the STORED values.

The format declares each derived cell once as an Expr (the same tree ``derive`` and the filler
use).  Here that tree is evaluated on the values as they stand in the workbook and compared with
the cell's own stored value, so one generic pass covers every hierarchy and identity of the
format (合计 = Σ 类, 类 = Σ 款, 小计 = 基本 + 项目, 表1 lines = 表2/表3/表4 cells …).  Each
derived cell maps to the rule it embodies (the format pack's derived-cell patterns,
:meth:`juesuan.check.registry.RuleSet.rule_of`), so a finding says "W5-2" or "X8", not
"derivation failed".

A formula cell whose formula is the declared one and that has a cached value is held to the
exact result (its value IS the formula on the stored cells; a difference means the cached values
are stale, F-2).  A typed total is held to the rounding band.  Example, a filled 表5 after a
user changed 2010301 基本支出 from 100.00 to 100.01 with a tool that does not recalculate::

    小计 (=SUM(D9:E9), cached 150.00) vs 基本 100.01 + 项目 50.00 = 150.01  →  F-2 error
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from itertools import compress, repeat
from operator import and_, attrgetter, is_, is_not, ne, not_, or_
from typing import TYPE_CHECKING, Callable, Iterator

from juesuan import derive
from juesuan.check.tolerance import EPS, RATE, ROUNDED, Mode, compare, round2
from juesuan.money import CENT
from juesuan.expr import Expr, Key, RatePercent, Ref, ScoreOf, Sum, SumIf
from juesuan.findings import Finding
from juesuan.xlformula import same_formula

if TYPE_CHECKING:
    from juesuan.check.context import Context
    from juesuan.check.registry import RuleSet

ZERO = Decimal(0)
PRINTED_ZERO = round2(ZERO)  # 0.00




def expected_formula(ctx: "Context", key: Key) -> str:
    return ctx.prep.expected_formula(key)


def formula_state(ctx: "Context", key: Key) -> str:
    """'declared' (the format's formula), 'other' (another formula), 'constant' or 'none' (no info)."""
    state = ctx.formula_states.get(key)
    if state is None:
        if ctx.formulas is None:
            state = "none"
        elif (f := ctx.formulas.get(key)) is None:
            state = "constant"
        elif same_formula(f, expected_formula(ctx, key), ctx.fmt.table(key[0]).sheet):
            state = "declared"
        else:
            state = "other"
        ctx.formula_states[key] = state
    return state


def run(ctx: "Context", rules: "RuleSet") -> Iterator[Finding]:
    """One pass over every derived cell: F-2 for stale formula cells, else the cell's own rule."""
    stale = rules["F-2"]
    prep = ctx.prep
    values = ctx.values
    numbers = dict(compress(values.items(), map(is_not, values.values(), repeat(None))))  # (in C)
    value = numbers.get  # value(k, ZERO) is ctx.value(k)
    exprs, parts_of = prep.exprs, prep.parts
    skipped = ctx.computed | ctx.unplaced | ctx.problems.keys()
    formulas_known = ctx.formulas is not None  # the batch has none: no formula_state call per cell
    # the cells whose stored value carries 元 precision (more than two decimals), for is_precise
    # (round2 differs from the number exactly when a cent rounded any way does: one quantize each, in C)
    stored = numbers.values()
    rounded_numbers = list(map(Decimal.quantize, stored, repeat(CENT), repeat(ROUND_HALF_UP)))
    precise_cells = set(compress(numbers, map(ne, stored, rounded_numbers)))
    printed_of: dict[Key, Decimal] | None = None  # round2 of each stored number, when first needed
    computed = as_computed(ctx)  # (then nothing is skipped: no problem, nothing computed or unplaced)
    cells = [k for k in prep.numeric_derived if k not in skipped] if skipped else prep.numeric_derived
    if computed and not precise_cells:  # every Σ of number cells holds and nothing is to be rounded:
        rules.rules_for(cells)  # (each cell's rule is still asked for: a cell without one is a pack's bug)
        cells = list(compress(cells, map(not_, prep.plain_sums)))
    elif computed:  # every Σ of number cells holds: a ROUNDED one is reported only when its printed
        # figure is not the sum of its parts' printed figures (as the loop below finds): keep those
        printed_of = _Printed(zip(numbers, rounded_numbers))
        printed = printed_of.__getitem__  # (0.00 for a blank cell)
        rounded = map(is_, map(attrgetter("mode"), rules.rules_for(cells)), repeat(ROUNDED))
        unchecked = map(not_, map(and_, prep.plain_sums, rounded))
        sums = map(sum, map(map, repeat(printed), map(parts_of.__getitem__, cells)), repeat(ZERO))
        cells = list(compress(cells, map(or_, unchecked, map(ne, map(printed, cells), sums))))  # (all in C)
    for key, rule, parts, expr in zip(cells, rules.rules_for(cells), map(parts_of.__getitem__, cells),
                                      map(exprs.__getitem__, cells)):
        simple = expr.sum_keys is not None
        if computed and expr.__class__ is Sum and len(parts) == len(expr.sum_keys):  # type: ignore[arg-type]
            if not precise_cells:
                continue  # equal (see as_computed), two-decimal figures: nothing to round
            expected = actual = value(key, ZERO)  # derive added these very numbers in this order
        else:
            actual = value(key, ZERO)
            expected = sum(map(value, parts, repeat(ZERO)), ZERO) if simple else expr.value(ctx.getter)
        if formulas_known and formula_state(ctx, key) == "declared":
            gap = compare(Mode.EXACT, actual, expected)
            if gap is not None and rule.mode is RATE and excel_rounding(expr, ctx, actual):
                gap = None
            if gap is not None:
                yield stale.finding(ctx, [key, *parts], gap, cell=ctx.label(key), relation=describe(ctx, expr, key),
                                    rule_id=rule.id)
                continue
        precise = bool(precise_cells) and (key in precise_cells or not precise_cells.isdisjoint(parts))
        if not precise and actual == expected:
            continue  # two-decimal figures that agree: nothing to round
        printed = expected
        if precise and rule.mode is ROUNDED:
            if not simple:
                printed = expr.value(_printed(ctx))
            else:  # sum(round2(v) for v in values), from the numbers rounded once
                if printed_of is None:
                    printed_of = _Printed(zip(numbers, rounded_numbers))
                printed = sum(map(printed_of.get, parts, repeat(PRINTED_ZERO)), ZERO)
                if abs(actual - expected) <= EPS and printed_of.get(key, PRINTED_ZERO) == printed:
                    continue  # what compare() finds here: equal stored values, equal printed figures
        values = list(map(value, parts, repeat(ZERO)))
        n = len(values) - values.count(0)
        gap = compare(rule.mode, actual, expected, expected_printed=printed, n_parts=n, precise=precise,
                      balanced=ctx.balanced)
        if gap is not None:
            yield rule.finding(ctx, [key, *parts], gap, cell=ctx.label(key),  # (cells not on the sheet: left out)
                               relation=describe(ctx, expr, key))


class _Printed(dict):  # type: ignore[type-arg]
    """round2 of each stored number; 0.00 for a cell without one (``printed[key]``)."""

    def __missing__(self, key: Key) -> Decimal:
        return PRINTED_ZERO


def as_computed(ctx: "Context") -> bool:
    """Whether every number cell holds exactly what ``derive.compute`` read or gave for this book
    (the same Decimal: value, digits and exponent) — the batch checking the workbook it has just
    written.  Each derived Σ of number cells is then the sum of its parts as this pass would add
    them (same numbers, same order, from 0), so the pass need not add them again."""
    if ctx.raw is None or ctx.formulas is not None or ctx.problems or ctx.computed or ctx.unplaced:
        return False
    memo = derive.computed_from(ctx.book)
    if memo is None:
        return False
    inputs, derived = dict(memo[0]), memo[1]
    values, kind, exprs = ctx.values, ctx.prep.kind, ctx.exprs
    cells = ctx.prep.numeric_derived
    for k in compress(cells, map(is_not, map(values.get, cells), map(derived.get, cells))):  # (in C) not the
        v, d = values.get(k), derived.get(k)  # same object: a count normalised, say: the same digits?
        if v is None or d is None or v.as_tuple() != d.as_tuple():
            return False
    cells = ctx.prep.numeric_inputs
    for k in compress(cells, map(is_not, map(values.get, cells), map(inputs.get, cells))):
        v, raw = values.get(k), inputs.get(k)  # derive read a blank as 0 and ``raw`` as Decimal(raw)
        if v is None or raw is None or isinstance(raw, str) or v.as_tuple() != Decimal(raw).as_tuple():  # type: ignore[arg-type]
            return False
    for k in inputs.keys() - values.keys():  # derive read it, this pass would not: only texts may differ
        if k not in exprs and kind(k) != "text":
            return False
    return True


def excel_rounding(expr: Expr, ctx: "Context", actual: Decimal) -> bool:
    """Whether ``actual`` is what Excel's ROUND gives for a rate or score at a rounding tie.

    Excel computes in doubles (15 significant digits), so ROUND(12.3449999999999999…, 2) can be
    12.35 where Decimal gives 12.34; the cached value is then right, not stale.
    """
    if isinstance(expr, RatePercent):
        base = expr.base.value(ctx.getter)
        if base == 0:
            return False
        raw = expr.part.value(ctx.getter) / base * 100
    elif isinstance(expr, ScoreOf):
        raw = expr.points.value(ctx.getter) * min(expr.rate.value(ctx.getter), Decimal(100)) / 100
    else:
        return False
    return abs(round2(Decimal(format(raw, ".15g"))) - actual) <= Decimal("0.000001")


def _printed(ctx: "Context") -> Callable[[Key], object]:
    def get(key: Key) -> object:
        v = ctx.getter(key)
        return round2(v) if isinstance(v, Decimal) else v
    return get


def describe(ctx: "Context", expr: Expr, key: Key | None = None) -> str:
    """A relation in words, seen from the cell ``key``: 「基本支出」 + 「项目支出」 (same row),
    「2010301」 + 「2010399」 (same column), 26 行之和, 表4「一般公共预算财政拨款」."""
    if isinstance(expr, Ref):
        if key is not None and expr.table == key[0] and expr.row == key[1]:
            return f"「{expr.col}」"
        return ctx.label(expr.key)
    if isinstance(expr, Sum):
        refs = [t for t in expr.terms if isinstance(t, Ref)]
        placed = ctx.prep.placed
        present = [r for r in refs if placed(r.key)]
        if not present:
            return "0"
        same_table = key is not None and all(r.table == key[0] for r in refs)
        if same_table and key is not None and all(r.row == key[1] for r in refs) and len(refs) <= 6:
            return " + ".join(f"「{r.col}」" for r in refs)
        if same_table and key is not None and all(r.col == key[2] for r in refs):
            if len(present) <= 4:
                return " + ".join(f"「{ctx.row_label(r.table, r.row).split('「', 1)[1]}" for r in present)
            return f"{len(present)} 行之和"
        return " + ".join(ctx.label(r.key) for r in present[:4]) + (" 等" if len(present) > 4 else "")
    if isinstance(expr, RatePercent):
        return f"{describe(ctx, expr.part, key)} ÷ {describe(ctx, expr.base, key)} × 100（保留两位小数）"
    if isinstance(expr, ScoreOf):
        return f"{describe(ctx, expr.points, key)} × min({describe(ctx, expr.rate, key)}, 100) ÷ 100"
    if isinstance(expr, SumIf):
        return "绩效指标表中该项目各指标得分之和"
    return "声明的公式"

