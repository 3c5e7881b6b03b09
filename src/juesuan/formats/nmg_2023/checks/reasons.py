"""S-8: every comparison the narrative makes (与上年决算/年初预算相比) needs its 变动原因, and every
表5 项 whose 决算 differs from its 年初预算 its 差异原因 — where the narrative would otherwise print
【请填写…】 (``tests/test_check_rules.py`` ties the two)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from juesuan.check.tolerance import round2
from juesuan.check.values import is_blank
from juesuan.expr import Key
from juesuan.findings import Finding

if TYPE_CHECKING:
    from juesuan.check.context import Context
    from juesuan.check.registry import Rule


def t1(row: str) -> Key:
    return ("表1", row, "金额")


def prior(row: str) -> Key:
    return ("上年决算", row, "值")


def sangong(item: str) -> Key:
    return ("表10", "金额", f"决算数{item}")


# 变动原因 row → (this year's cell, the cell it is compared with; None: a text needed when nonzero)
REASONS: dict[str, tuple[Key, Key | None]] = {
    "收支总计.年初预算": (t1("收入总计"), ("预算总数", "收支总计", "值")),
    "收支总计.上年": (t1("收入总计"), prior("收支总计")),
    "本年收入合计.上年": (t1("本年收入合计"), prior("本年收入合计")),
    "使用非财政拨款结余.上年": (t1("使用非财政拨款结余"), prior("使用非财政拨款结余")),
    "年初结转和结余.上年": (t1("年初结转和结余"), prior("年初结转和结余")),
    "本年支出合计.上年": (t1("本年支出合计"), prior("本年支出合计")),
    "结余分配.上年": (t1("结余分配"), prior("结余分配")),
    "年末结转和结余.上年": (t1("年末结转和结余"), prior("年末结转和结余")),
    "年末结转和结余.事项": (t1("年末结转和结余"), None),
    "财政拨款收支总计.年初预算": (("表4", "收入总计", "金额"), ("预算总数", "财政拨款收支总计", "值")),
    "财政拨款收支总计.上年": (("表4", "收入总计", "金额"), prior("财政拨款收支总计")),
    "三公经费.预算": (sangong("合计"), ("表10", "金额", "预算数合计")),
    "因公出国（境）费.上年": (sangong("因公出国（境）费"), prior("因公出国（境）费")),
    "公务用车购置费.上年": (sangong("公务用车购置费"), prior("公务用车购置费")),
    "公务用车运行维护费.上年": (sangong("公务用车运行维护费"), prior("公务用车运行维护费")),
    "公务接待费.上年": (sangong("公务接待费"), prior("公务接待费")),
    "政府性基金.上年": (("表8", "合计", "本年支出小计"), prior("政府性基金预算财政拨款支出")),
    "政府性基金.用途": (("表8", "合计", "本年支出小计"), None),
    "国有资本经营.上年": (("表9", "合计", "合计"), prior("国有资本经营预算财政拨款支出")),
    "机构运行经费.上年": (("表11", "机构运行经费支出", "数值"), prior("机构运行经费")),
}


def reasons(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """S-8: every comparison the narrative makes needs its 变动原因 (and 表5 项 their 差异原因)."""
    for comparison in ctx.fmt.comparisons:
        current, base = REASONS[comparison.key]
        reason = ("变动原因", comparison.key, "原因")
        if ctx.recorder is not None and base is not None:  # a comparison: juesuan.balance prints
            ctx.recorder(rule, [base], [current])  # two equal amounts equal
        if not is_blank(ctx.text(reason)):
            continue
        now = round2(ctx.value(current))
        if base is None:
            if now == 0:
                continue
            yield rule.finding(ctx, [reason, current], comparison=comparison.label, current=now,
                               base="—")
            continue
        if round2(ctx.value(base)) == now:  # a blank base counts as 0, as the narrative reads it
            continue
        yield rule.finding(ctx, [reason, current, base], comparison=comparison.label, current=now,
                           base=round2(ctx.value(base)))
    yield from _budget_reasons(ctx, rule)


def _budget_reasons(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    codes = set(ctx.book.codes.get("年初预算", [])) | set(ctx.book.codes.get("表5", []))
    for code in sorted(codes):  # a 项 spent without a budget row compares with a budget of 0
        budget = ("年初预算", code, "年初预算数")
        reason = ("年初预算", code, "差异原因")
        spent = ("表5", code, "小计")
        if ctx.recorder is not None:
            ctx.recorder(rule, [budget], [spent])
        if not is_blank(ctx.text(reason)):
            continue
        if round2(ctx.value(spent)) != round2(ctx.value(budget)):
            yield rule.finding(ctx, [reason, spent, budget], comparison=f"五、{ctx.row_label('表5', code)}决算与年初预算相比",
                               current=round2(ctx.value(spent)), base=round2(ctx.value(budget)))

