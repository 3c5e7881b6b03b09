"""Rules across two years, when last year's book is known (``check --prior LAST``): any format
whose pack declares :class:`~juesuan.roles.Roles` (which year-start cell continues which year-end
cell, which 上年决算 figure stands for which of last year's cells) gets them by listing
:data:`ACROSS_YEARS` in its RuleSet.

- X26-1: every year-start cell = last year's year-end cell (表1, 表4 per fund, 表8 per 项);
- X25: every 上年决算 figure = the cell of last year's book it stands for.

Both are warnings: an approved adjustment (年初数调整, 上年数口径调整) may make them differ.  They
compare each cell with last year's figure as printed (two decimals), as the other ROUNDED rules
do; they stay silent without last year's book, or when the two books are not consecutive years.
Example: this year's 表1 年初结转和结余 0.52 against last year's 表1 年末结转和结余 0.02 →
X26-1「本年表1「年初结转和结余」为 0.52，上年工作簿表1「年末结转和结余」为 0.02，相差 +0.50」.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from juesuan.check.registry import WARNING, rule
from juesuan.check.tolerance import Mode
from juesuan.expr import Key
from juesuan.findings import Finding

if TYPE_CHECKING:
    from juesuan.check.context import Context
    from juesuan.check.registry import Rule


def _last_year(ctx: "Context") -> tuple[object, dict] | None:
    """(roles, last year's values) when last year's book is known and is the year before."""
    from juesuan.carry import last_values
    from juesuan.roles import find_roles, year_of

    prior = ctx.prior
    roles = find_roles(ctx.fmt.id)
    if prior is None or roles is None:
        return None
    this_year, last_year = year_of(ctx.text(roles.year)), year_of(prior.text(roles.year))
    if this_year is not None and last_year is not None and this_year != last_year + 1:
        return None
    memo = ctx.__dict__.setdefault("_last_values", {})
    if "values" not in memo:
        memo["values"] = last_values(prior)
    return roles, memo["values"]


def _against_last(ctx: "Context", rule: "Rule", pairs: list[tuple[Key, Key]], values: dict) -> list[Finding]:
    from decimal import Decimal

    from juesuan.carry import is_input_cell
    from juesuan.check.tolerance import compare, is_precise, round2

    out = []
    for this, old in pairs:
        if not is_input_cell(ctx.fmt, this) or values.get(old) is None:
            continue
        expected, actual = Decimal(values[old]), ctx.value(this)
        gap = compare(rule.mode, actual, expected, expected_printed=round2(expected),
                      precise=is_precise([actual, expected]))
        if gap is not None:
            where = f"{old[0]}「{old[1]}」" + ("" if old[2] in ("金额", "值", "数值") else old[2])
            out.append(rule.finding(ctx, [this], gap, cell=ctx.label(this), relation=where))
    return out


def x26_1(ctx: "Context", rule: "Rule") -> list[Finding]:
    """Every year-start cell = last year's year-end cell (表1, 表4 per fund, 表8 per 项)."""
    from juesuan.carry import carry_pairs

    known = _last_year(ctx)
    if known is None:
        return []
    roles, values = known
    return _against_last(ctx, rule, list(carry_pairs(roles, ctx.prior)), values)  # type: ignore[attr-defined,arg-type]


def x25(ctx: "Context", rule: "Rule") -> list[Finding]:
    """Every 上年决算 figure = last year's cell it stands for."""
    known = _last_year(ctx)
    if known is None:
        return []
    roles, values = known
    return _against_last(ctx, rule, list(roles.prior), values)  # type: ignore[attr-defined]


ACROSS_YEARS: list["Rule"] = [
    rule("X25", WARNING, "上年决算数 = 上年工作簿",
         "{cell}为 {actual}，上年工作簿{relation}为 {expected}，相差 {difference}（上年数经调整时可不同，请核实）",
         Mode.ROUNDED, x25, "tables.md X25 (with last year's workbook: check --prior)"),
    rule("X26-1", WARNING, "年初 = 上年年末（上年工作簿）",
         "本年{cell}为 {actual}，上年工作簿{relation}为 {expected}，相差 {difference}（年初数经调整时可不同，请核实）",
         Mode.ROUNDED, x26_1, "tables.md X26 (with last year's workbook: 表1, 表4 per fund, 表8 per 项)"),
]
