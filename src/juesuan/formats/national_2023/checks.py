"""Between-table relations of national-2023 that are not derivations of the format.

Most cross-table relations of the nine tables are derivations (表1's income lines on 表4 and 表2,
its 类 lines on 表3; 表4's 类 lines on 表5/表8/表9) and are checked by the relations pass.  Those
here link totals each derived within its own table, e.g. X13 on the reference: 表5 合计「基本支出」
3,365.38 = 表6 人员经费合计 2,949.02 + 公用经费合计 416.36.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from juesuan.check.sums import equal, sides
from juesuan.findings import Finding
from juesuan.formats.national_2023 import FUNDS
# The relations the nine tables share with nmg-2023's first five tables (same table, row and column keys).
from juesuan.formats.nmg_2023.checks.between import x1, x2, x4, x13, x15, x16  # noqa: F401
from juesuan.formats.nmg_2023.checks.within import w1_5, w4_3, w4_5  # noqa: F401

if TYPE_CHECKING:
    from juesuan.check.context import Context
    from juesuan.check.registry import Rule








def x7(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表4 本年收入 一般公共预算财政拨款 = 表5 合计 (fiscal money received is spent or carried over: with
    no 结转 it equals the spending)."""
    return sides(ctx, rule, [("表4", "年初一般公共预算财政拨款", "金额"), ("表4", FUNDS[0], "金额")],
                 [("表5", "合计", "合计"), ("表4", "年末财政拨款结转和结余", FUNDS[0])])





def x17(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """Per 项: 表3「本年支出合计」≥ 表5「合计」+ 表8「本年支出小计」+ 表9「合计」."""
    codes = sorted(set().union(*(ctx.book.codes.get(t, []) for t in ("表5", "表8", "表9"))))
    for code in codes:
        yield from equal(ctx, rule, ("表3", code, "本年支出合计"),
                         [("表5", code, "合计"), ("表8", code, "本年支出小计"), ("表9", code, "合计")])


def x22(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表7 决算数「公务用车运行维护费」≈ 表6 30231 (三公 also covers 项目支出: a warning)."""
    return equal(ctx, rule, ("表7", "金额", "决算数公务用车运行维护费"), [("表6", "30231", "决算数")])


def x19(ctx: "Context", rule: "Rule") -> list[Finding]:
    """其他事项 机关运行经费支出 ≤ 表6 公用经费合计 (it is the 行政单位 part of 公用经费: a warning)."""
    return equal(ctx, rule, ("表6", "公用经费合计", "决算数"), [("其他事项", "机关运行经费支出", "值")])
