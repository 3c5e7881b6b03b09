"""Between-table relations that are not derivations of the format (tables.md §3.2).

In nmg-2023 many cross-table relations ARE derivations (表1's 四…八 lines are formulas on 表2's
合计 row, 表4's 类 rows on 表5/表8/表9) and are checked by :mod:`~juesuan.check.relations`.  The
ones here link two totals that are each derived within their own table, e.g. X13 on the seed:
表5 合计「基本支出」1,468.36 = 表6 人员经费合计 978.10 + 公用经费合计 490.26.

X15–X17 and X19–X23 are soft (warnings): 三公 covers all 财政拨款 and carry-over while 表6/表7
are 一般公共预算 only; 机构运行经费 is defined differently across regions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from juesuan.check.sums import equal, sides
from juesuan.expr import Key
from juesuan.findings import Finding
from juesuan.formats.nmg_2023 import FUNDS

if TYPE_CHECKING:
    from juesuan.check.context import Context
    from juesuan.check.registry import Rule


def x1(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表1 本年收入合计 = 表2 合计「本年收入合计」."""
    return equal(ctx, rule, ("表2", "合计", "本年收入合计"), [("表1", "本年收入合计", "金额")])


def x2(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表1 一 + 二 + 三 (three 财政拨款 lines) = 表2 合计「财政拨款收入」."""
    lines = [("表1", k, "金额") for k in ("一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入")]
    return equal(ctx, rule, ("表2", "合计", "财政拨款收入"), lines)


def x4(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表1 本年支出合计 = 表3 合计「本年支出合计」."""
    return equal(ctx, rule, ("表3", "合计", "本年支出合计"), [("表1", "本年支出合计", "金额")])


def x7(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表4 本年支出合计「一般公共预算财政拨款」= 表5 合计「小计」."""
    return equal(ctx, rule, ("表5", "合计", "小计"), [("表4", "本年支出合计", FUNDS[0])])


def x9(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表4 本年支出合计「政府性基金预算财政拨款」= 表8 合计「本年支出小计」."""
    return equal(ctx, rule, ("表8", "合计", "本年支出小计"), [("表4", "本年支出合计", FUNDS[1])])


def x12(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表4 本年支出合计「国有资本经营预算财政拨款」= 表9 合计「合计」."""
    return equal(ctx, rule, ("表9", "合计", "合计"), [("表4", "本年支出合计", FUNDS[2])])


def x13(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表5 合计「基本支出」= 表6 人员经费合计 + 公用经费合计."""
    return equal(ctx, rule, ("表5", "合计", "基本支出"),
                 [("表6", "人员经费合计", "决算数"), ("表6", "公用经费合计", "决算数")])


def x14(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表5 合计「项目支出」= 表7 合计."""
    return equal(ctx, rule, ("表5", "合计", "项目支出"), [("表7", "合计", "决算数")])


def x15(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表3 合计「基本支出」≥ 表5 + 表8 + 表9 基本支出 (财政拨款 is part of all funds)."""
    return equal(ctx, rule, ("表3", "合计", "基本支出"),
                 [("表5", "合计", "基本支出"), ("表8", "合计", "基本支出"), ("表9", "合计", "基本支出")])


def x16(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表3 合计「项目支出」≥ 表5 + 表8 + 表9 项目支出."""
    return equal(ctx, rule, ("表3", "合计", "项目支出"),
                 [("表5", "合计", "项目支出"), ("表8", "合计", "项目支出"), ("表9", "合计", "项目支出")])


def x17(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """Per 项: 表3「本年支出合计」≥ 表5「小计」+ 表8「本年支出小计」+ 表9「合计」."""
    codes = sorted(set().union(*(ctx.book.codes.get(t, []) for t in ("表5", "表8", "表9"))))
    for code in codes:
        yield from equal(ctx, rule, ("表3", code, "本年支出合计"),
                         [("表5", code, "小计"), ("表8", code, "本年支出小计"), ("表9", code, "合计")])


def x19(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表11 机构运行经费支出 = 表6 公用经费合计 (the IM definition applied literally; a warning)."""
    return equal(ctx, rule, ("表11", "机构运行经费支出", "数值"), [("表6", "公用经费合计", "决算数")])


def _econ(ctx: "Context", codes: list[str], tables: tuple[str, ...] = ("表6", "表7")) -> list[Key]:
    """The 决算数 cells of ``codes`` in 表6/表7 (where the table prints that line)."""
    keys = []
    for t in tables:
        rows = {r.key for r in ctx.table(t).fixed_rows()}
        keys += [(t, c, "决算数") for c in codes if c in rows]
    return keys


def _sangong(item: str) -> Key:
    return ("表10", "金额", f"决算数{item}")


def x20(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表10 决算数「公务接待费」≈ 表6 + 表7 30217 公务接待费."""
    return equal(ctx, rule, _sangong("公务接待费"), _econ(ctx, ["30217"]))


def x21(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表10 决算数「因公出国（境）费」≈ 表6 + 表7 30212."""
    return equal(ctx, rule, _sangong("因公出国（境）费"), _econ(ctx, ["30212"]))


def x22(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表10 决算数「公务用车运行维护费」≈ 表6 + 表7 30231."""
    return equal(ctx, rule, _sangong("公务用车运行维护费"), _econ(ctx, ["30231"]))


def x23(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表10 决算数「公务用车购置费」≈ 表6 + 表7 31013 (+ 30913)."""
    return equal(ctx, rule, _sangong("公务用车购置费"), _econ(ctx, ["31013", "30913"]))


def x20_1(ctx: "Context", rule: "Rule") -> list[Finding]:
    """三公统计 国内 + 国（境）外 公务接待费 = 表10 决算数「公务接待费」(when the split is given)."""
    parts = [("三公统计", "国内公务接待费", "值"), ("三公统计", "国（境）外公务接待费", "值")]
    if not any(ctx.present(k) for k in parts):
        return []
    return sides(ctx, rule, parts, [_sangong("公务接待费")])
