"""Cells that play a named role across departments and years, per format: one small mapping.

Consolidation (汇总), the carry-over from last year (上下年衔接), the period rules and the
finance bureau's key figures need to name a few specific cells: the year, the department's
name, the 决算单位构成 text, the internal flows between units, which year-start cell continues
which year-end cell, which 上年决算 figure is which of last year's cells.  Everything else they
derive from the format declaration (table kinds, input columns, cell kinds).  These names live
here, keyed by format id, so they can move into the format pack (issue 13) as one piece.

Example: ``roles_for(fmt).carry`` pairs ``("表1", "年初结转和结余", "金额")`` (this year) with
``("表1", "年末结转和结余", "金额")`` (last year); a ``"*"`` row means every 项 row of a code
table (表8's 年初结转和结余 of code 2120801 continues last year's 年末 of the same code).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from juesuan.errors import InputError
from juesuan.expr import Key
from juesuan.spec import Format

ANY_ROW = "*"  # a code table's every 项 row


@dataclass(frozen=True)
class Roles:
    year: Key  # 年度 (text such as "2023")
    name: Key  # 部门名称
    units: Key  # 决算单位构成: the units a consolidated department lists
    head_tables: tuple[str, ...]  # texts taken from the first (本级) unit when consolidating
    # internal flows between units (经费差额): (income cell column, expenditure cell column), each (table, column)
    internal: tuple[tuple[tuple[str, str], tuple[str, str]], ...]
    # this year's year-start cell ← last year's year-end cell
    carry: tuple[tuple[Key, Key], ...]
    # 上年决算 figure (this year's input) ← last year's cell (input or derived)
    prior: tuple[tuple[Key, Key], ...]
    carry_tables: tuple[str, ...]  # texts carried over whole (部门概况)
    reasons: str = "变动原因"  # the sheet of change reasons (row = comparison key)
    key_figures: dict[str, Key] = field(default_factory=dict)  # the finance bureau's side-by-side figures


def _prior(row: str) -> Key:
    return ("上年决算", row, "值")


NMG_2023 = Roles(
    year=("单位信息", "年度", "值"),
    name=("单位信息", "部门名称", "值"),
    units=("部门概况", "决算单位构成", "值"),
    head_tables=("单位信息", "部门概况"),
    internal=((("表2", "上级补助收入"), ("表3", "对附属单位补助支出")),
              (("表2", "附属单位上缴收入"), ("表3", "上缴上级支出"))),
    carry=(
        (("表1", "年初结转和结余", "金额"), ("表1", "年末结转和结余", "金额")),
        (("表4", "年初一般公共预算财政拨款", "金额"), ("表4", "年末财政拨款结转和结余", "一般公共预算财政拨款")),
        (("表4", "年初国有资本经营预算财政拨款", "金额"), ("表4", "年末财政拨款结转和结余", "国有资本经营预算财政拨款")),
        (("表8", ANY_ROW, "年初结转和结余"), ("表8", ANY_ROW, "年末结转和结余")),
    ),
    prior=(
        (_prior("收支总计"), ("表1", "收入总计", "金额")),
        (_prior("本年收入合计"), ("表1", "本年收入合计", "金额")),
        (_prior("使用非财政拨款结余"), ("表1", "使用非财政拨款结余", "金额")),
        (_prior("年初结转和结余"), ("表1", "年初结转和结余", "金额")),
        (_prior("本年支出合计"), ("表1", "本年支出合计", "金额")),
        (_prior("结余分配"), ("表1", "结余分配", "金额")),
        (_prior("年末结转和结余"), ("表1", "年末结转和结余", "金额")),
        (_prior("财政拨款收支总计"), ("表4", "收入总计", "金额")),
        (_prior("一般公共预算财政拨款支出"), ("表5", "合计", "小计")),
        (_prior("三公经费合计"), ("表10", "金额", "决算数合计")),
        (_prior("因公出国（境）费"), ("表10", "金额", "决算数因公出国（境）费")),
        (_prior("公务用车购置费"), ("表10", "金额", "决算数公务用车购置费")),
        (_prior("公务用车运行维护费"), ("表10", "金额", "决算数公务用车运行维护费")),
        (_prior("公务接待费"), ("表10", "金额", "决算数公务接待费")),
        (_prior("政府性基金预算财政拨款支出"), ("表8", "合计", "本年支出小计")),
        (_prior("国有资本经营预算财政拨款支出"), ("表9", "合计", "合计")),
        (_prior("机构运行经费"), ("表11", "机构运行经费支出", "数值")),
    ),
    carry_tables=("部门概况",),
    key_figures={
        "收支总计": ("表1", "收入总计", "金额"),
        "本年收入合计": ("表1", "本年收入合计", "金额"),
        "本年支出合计": ("表1", "本年支出合计", "金额"),
        "基本支出": ("表3", "合计", "基本支出"),
        "项目支出": ("表3", "合计", "项目支出"),
        "财政拨款收支总计": ("表4", "收入总计", "金额"),
        "三公经费预算数": ("表10", "金额", "预算数合计"),
        "三公经费决算数": ("表10", "金额", "决算数合计"),
        "机构运行经费": ("表11", "机构运行经费支出", "数值"),
        "政府采购支出总额": ("表11", "政府采购支出总额", "数值"),
    },
)

ROLES: dict[str, Roles] = {"nmg-2023": NMG_2023}


def roles_for(fmt: Format) -> Roles:
    """The roles of a format's cells; a format without them cannot be consolidated or carried."""
    try:
        return ROLES[fmt.id]
    except KeyError:
        raise InputError(f"格式「{fmt.id}」没有声明汇总与上下年衔接所需的单元格",
                         f"format {fmt.id} declares no roles for consolidation and carry-over") from None


def year_of(text: str) -> int | None:
    """「2023」「2023年」「2023年度」→ 2023; anything else → None."""
    digits = "".join(ch for ch in str(text or "").strip() if ch.isdigit())
    return int(digits) if len(digits) == 4 else None
