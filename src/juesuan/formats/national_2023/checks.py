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

if TYPE_CHECKING:
    from juesuan.check.context import Context
    from juesuan.check.registry import Rule


def w1_5(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表1 收入总计 = 支出总计."""
    return equal(ctx, rule, ("表1", "支出总计", "金额"), [("表1", "收入总计", "金额")])


def w4_3(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表4 收入总计 = 支出总计 (合计)."""
    return equal(ctx, rule, ("表4", "支出总计", "合计"), [("表4", "收入总计", "金额")],
                 cell="表4「支出总计」合计", relation="表4「收入总计」")


def w4_5(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """Per fund: 年初 + 本年收入 = 本年支出 + 年末 (a warning: 结转 may be adjusted)."""
    for fund in FUNDS:
        yield from sides(ctx, rule, [("表4", f"年初{fund}", "金额"), ("表4", fund, "金额")],
                         [("表4", "本年支出合计", fund), ("表4", "年末财政拨款结转和结余", fund)], fund=fund)


def x1(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表1 本年收入合计 = 表2 合计「本年收入合计」."""
    return equal(ctx, rule, ("表2", "合计", "本年收入合计"), [("表1", "本年收入合计", "金额")])


def x2(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表1 一 + 二 + 三 = 表2 合计「财政拨款收入」."""
    lines = [("表1", k, "金额") for k in ("一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入")]
    return equal(ctx, rule, ("表2", "合计", "财政拨款收入"), lines)


def x4(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表1 本年支出合计 = 表3 合计「本年支出合计」."""
    return equal(ctx, rule, ("表3", "合计", "本年支出合计"), [("表1", "本年支出合计", "金额")])


def x7(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表4 本年收入 一般公共预算财政拨款 = 表5 合计 (fiscal money received is spent or carried over: with
    no 结转 it equals the spending)."""
    return sides(ctx, rule, [("表4", "年初一般公共预算财政拨款", "金额"), ("表4", FUNDS[0], "金额")],
                 [("表5", "合计", "合计"), ("表4", "年末财政拨款结转和结余", FUNDS[0])])


def x13(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表5 合计「基本支出」= 表6 人员经费合计 + 公用经费合计."""
    return equal(ctx, rule, ("表5", "合计", "基本支出"),
                 [("表6", "人员经费合计", "决算数"), ("表6", "公用经费合计", "决算数")])


def x15(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表3 合计「基本支出」≥ 表5 + 表8 + 表9 基本支出."""
    return equal(ctx, rule, ("表3", "合计", "基本支出"),
                 [("表5", "合计", "基本支出"), ("表8", "合计", "基本支出"), ("表9", "合计", "基本支出")])


def x16(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表3 合计「项目支出」≥ 表5 + 表8 + 表9 项目支出."""
    return equal(ctx, rule, ("表3", "合计", "项目支出"),
                 [("表5", "合计", "项目支出"), ("表8", "合计", "项目支出"), ("表9", "合计", "项目支出")])


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
