"""Checks across years, where the workbook holds last year's figures (the 上年决算 sheet).

X26: this year's 年初结转和结余 is last year's 年末结转和结余 unless it was adjusted (so a
warning).  Seed: 年初 0.02 = 上年年末 0.02.

X25 asks that the 上年决算 figures equal last year's published tables.  Without last year's
workbook the checker can still catch a 上年决算 sheet that contradicts itself: its 收支总计 must
balance both ways, and its 三公经费合计 must be the sum of the four items (X25-1 … X25-3).
Each applies only when the total and at least one of its parts are filled in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from juesuan.check.sums import equal
from juesuan.expr import Key
from juesuan.findings import Finding

if TYPE_CHECKING:
    from juesuan.check.context import Context
    from juesuan.check.registry import Rule


def prior(row: str) -> Key:
    return ("上年决算", row, "值")


def x26(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表1 年初结转和结余 = 上年决算「年末结转和结余」."""
    if not ctx.present(prior("年末结转和结余")):
        return []
    return equal(ctx, rule, ("表1", "年初结转和结余", "金额"), [prior("年末结转和结余")])


def _prior_sum(ctx: "Context", rule: "Rule", total: str, parts: list[str]) -> list[Finding]:
    keys = [prior(p) for p in parts]
    if not ctx.present(prior(total)) or not any(ctx.present(k) for k in keys):
        return []
    return equal(ctx, rule, prior(total), keys)


def x25_1(ctx: "Context", rule: "Rule") -> list[Finding]:
    return _prior_sum(ctx, rule, "收支总计", ["本年收入合计", "使用非财政拨款结余", "年初结转和结余"])


def x25_2(ctx: "Context", rule: "Rule") -> list[Finding]:
    return _prior_sum(ctx, rule, "收支总计", ["本年支出合计", "结余分配", "年末结转和结余"])


def x25_3(ctx: "Context", rule: "Rule") -> list[Finding]:
    return _prior_sum(ctx, rule, "三公经费合计", ["因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"])


# ── with last year's workbook (``check --prior``) ───────────────────────────────────────────
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
    from juesuan.check.tolerance import compare, is_precise

    out = []
    for this, old in pairs:
        if not is_input_cell(ctx.fmt, this) or values.get(old) is None:
            continue
        expected, actual = Decimal(values[old]), ctx.value(this)
        gap = compare(rule.mode, actual, expected, precise=is_precise([actual, expected]))
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
