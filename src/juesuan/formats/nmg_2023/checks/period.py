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
