"""Within-table relations that are not derivations of the format (tables.md §3.1).

The sums and identities a table is built from (W1-1, W2-2, W5-1 …) are checked generically by
:mod:`~juesuan.check.relations`.  What remains are balances and inequalities no single cell is
derived from, e.g. W1-5 on the seed: 收入总计 3,041.69 = 支出总计 3,041.69.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from juesuan.check.sums import equal, sides
from juesuan.findings import Finding
from juesuan.formats.nmg_2023 import FUNDS, PURCHASE_TYPES

if TYPE_CHECKING:
    from juesuan.check.context import Context
    from juesuan.check.registry import Rule


def t1(row: str) -> tuple[str, str, str]:
    return ("表1", row, "金额")


def t11(row: str) -> tuple[str, str, str]:
    return ("表11", row, "数值")


def w1_5(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表1 收入总计 = 支出总计."""
    return equal(ctx, rule, t1("支出总计"), [t1("收入总计")])


def w1_6(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """使用非财政拨款结余 and 结余分配 are for 事业单位; a 行政单位 should show 0 (a soft warning)."""
    nature = ctx.text(("单位信息", "单位性质", "值"))
    if "事业" in nature:
        return
    for row in ("使用非财政拨款结余", "结余分配"):
        if ctx.value(t1(row)) != 0:
            yield rule.finding(ctx, [t1(row)], item=row, actual=ctx.value(t1(row)),
                               nature=nature or "未填写单位性质")


def w4_3(ctx: "Context", rule: "Rule") -> list[Finding]:
    """表4 收入总计 = 支出总计 (合计)."""
    return equal(ctx, rule, ("表4", "支出总计", "合计"), [("表4", "收入总计", "金额")],
                 cell="表4「支出总计」合计", relation="表4「收入总计」")


def w4_5(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """Per fund: 年初 + 本年收入 = 本年支出 + 年末 (can break when 结转 is adjusted: a warning)."""
    for fund in FUNDS:
        left = [("表4", f"年初{fund}", "金额"), ("表4", fund, "金额")]
        right = [("表4", "本年支出合计", fund), ("表4", "年末财政拨款结转和结余", fund)]
        yield from sides(ctx, rule, left, right, fund=fund)


def w8_2(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """表8 per 项: 年初结转和结余 + 本年收入 = 本年支出小计 + 年末结转和结余 (a warning)."""
    for code in ctx.book.codes.get("表8", []):
        k = lambda col: ("表8", code, col)  # noqa: E731
        yield from sides(ctx, rule, [k("年初结转和结余"), k("本年收入")], [k("本年支出小计"), k("年末结转和结余")],
                         row=ctx.row_label("表8", code))


def w11_2(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """授予小微企业 ≤ 授予中小企业 ≤ 政府采购支出总额; per type 中小企业 ≤ that type's 采购."""
    pairs = [("授予中小企业合同金额", "授予小微企业合同金额"), ("政府采购支出总额", "授予中小企业合同金额")]
    pairs += [(f"政府采购{t}支出", f"{t}授予中小企业合同金额") for t in PURCHASE_TYPES]
    for big, small in pairs:
        if ctx.present(t11(small)):
            yield from equal(ctx, rule, t11(big), [t11(small)], big=big, small=small)


def w11_4(ctx: "Context", rule: "Rule") -> list[Finding]:
    """授予中小企业合同金额 = Σ per-type (货物/工程/服务) 中小企业 amounts, when those are given."""
    parts = [t11(f"{t}授予中小企业合同金额") for t in PURCHASE_TYPES]
    if not any(ctx.present(k) for k in parts):
        return []
    return equal(ctx, rule, t11("授予中小企业合同金额"), parts)
