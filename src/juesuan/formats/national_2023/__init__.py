"""Format ``national-2023``: the national nine-table 部门决算公开 as central departments publish it.

The nine public tables (公开01表 … 公开09表) in the order of the central template::

    表1 收入支出决算总表                      表6 一般公共预算财政拨款基本支出决算表
    表2 收入决算表                            表7 一般公共预算财政拨款“三公”经费支出决算表
    表3 支出决算表                            表8 政府性基金预算财政拨款收入支出决算表
    表4 财政拨款收入支出决算总表              表9 国有资本经营预算财政拨款支出决算表
    表5 一般公共预算财政拨款支出决算表

and the input sheets the narrative (第三部分 情况说明) needs beyond the tables: 单位信息,
部门概况, 年初预算 (per 项, with 主要用途 and the reason of the difference), 上年决算, 变动原因,
三公统计, 其他事项 (机关运行经费, 政府采购, 国有资产 — the nine tables have no 表11), 绩效管理.

Choices where the central template could not be seen are in docs/format-notes-national.md;
the reference case and the document it rebuilds are described in src/juesuan/reference/README.md.
Shared with nmg-2023 (identical there): the 2023 支出功能分类 list (plus ``function_codes_extra.txt``),
the 2023 经济分类 list, 表2 收入决算表, 表3 支出决算表, 表8 and 表9, 表1's eight income lines, the three
funds and the small declaration helpers.
"""

from __future__ import annotations

from importlib import resources

from juesuan.expr import Ref, Sum
from juesuan.formats.nmg_2023 import (CODE_LABELS, ECON_LABELS, ECONOMIC_CODES, FUNCTION_CODES, FUNDS,
                                      INCOME_LINES, INCOME_SOURCES, ITEM_LABELS, SPENDING_KINDS, cn, code_table,
                                      col_sum, econ_rows, key_value, reasons, table2, table3, table8, table9)
from juesuan.spec import INPUT, Block, Column, Comparison, Format, LabelColumn, Row, Table

FORMAT_ID = "national-2023"
NAME = "全国通用（中央部门）2023 年度部门决算公开（九张表）"


def _extra_codes() -> dict[str, str]:
    text = resources.files(__package__).joinpath("function_codes_extra.txt").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            code, title = line.split("\t")
            out[code.strip()] = title.strip()
    return out


NATIONAL_FUNCTION_CODES = dict(sorted({**FUNCTION_CODES, **_extra_codes()}.items()))
# The 24 支出功能分类 类 lines 表1 and 表4 print (the 2023 central template, in this order).
CATEGORIES = ["201", "202", "203", "204", "205", "206", "207", "208", "210", "211", "212", "213", "214", "215",
              "216", "217", "219", "220", "221", "222", "223", "224", "229", "234"]
PERSONNEL = ["301", "303"]  # 人员经费
OFFICE = ["302", "310"]  # 公用经费 (the reference document's right-hand block)
SANGONG = ["合计", "因公出国（境）费", "公务用车购置及运行维护费小计", "公务用车购置费", "公务用车运行维护费", "公务接待费"]
VEHICLES = ["部级领导干部用车", "主要领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车",
            "离退休干部用车", "其他用车"]
PURCHASE_TYPES = ["货物", "工程", "服务"]


# ── 表1 收入支出决算总表 ────────────────────────────────────────────────────────────────
def totals_table(key: str, title: str, label: str, income: list[Row | None], spending: list[Row | None],
                 spend_cols: tuple[Column, ...], footnote: str, landscape: bool = False) -> Table:
    """收入 | 支出 side by side, the shorter side padded so the totals align at the bottom."""
    height = max(len(income), len(spending))
    income = income[:-4] + [None] * (height - len(income)) + income[-4:] if len(income) < height else income
    spending = spending[:-4] + [None] * (height - len(spending)) + spending[-4:] if len(spending) < height else spending
    return Table(key, title, title, "fixed",
                 (Block(ITEM_LABELS, (Column("金额", ("决算数",), lineno="1"),), tuple(income), caption="收入"),
                  Block(ITEM_LABELS, spend_cols, tuple(spending), caption="支出")),
                 label=label, landscape=landscape, footnote=footnote)


def table1() -> Table:
    t1 = lambda row: Ref("表1", row, "金额")  # noqa: E731
    income: list[Row | None] = [Row(k, f"{cn(i + 1)}、{k}", {"金额": e}, lineno=str(i + 1))
                                for i, (k, e) in enumerate(INCOME_LINES)]
    n = len(CATEGORIES)
    income += [
        Row("本年收入合计", "本年收入合计", {"金额": Sum(t1(k) for k, _ in INCOME_LINES)}, lineno=str(n + 1), bold=True),
        Row("使用非财政拨款结余", "使用非财政拨款结余", {"金额": INPUT}, lineno=str(n + 2)),
        Row("年初结转和结余", "年初结转和结余", {"金额": INPUT}, lineno=str(n + 3)),
        Row("收入总计", "总计", {"金额": Sum([t1("本年收入合计"), t1("使用非财政拨款结余"), t1("年初结转和结余")])},
            lineno=str(n + 4), bold=True),
    ]
    off = n + 4
    spending: list[Row | None] = [
        Row(f"支出{c}", f"{cn(i + 1)}、{NATIONAL_FUNCTION_CODES[c]}", {"金额": Ref("表3", c, "本年支出合计")},
            lineno=str(off + i + 1), code=c) for i, c in enumerate(CATEGORIES)]
    spending += [
        Row("本年支出合计", "本年支出合计", {"金额": Sum(t1(f"支出{c}") for c in CATEGORIES)},
            lineno=str(off + n + 1), bold=True),
        Row("结余分配", "结余分配", {"金额": INPUT}, lineno=str(off + n + 2)),
        Row("年末结转和结余", "年末结转和结余", {"金额": INPUT}, lineno=str(off + n + 3)),
        Row("支出总计", "总计", {"金额": Sum([t1("本年支出合计"), t1("结余分配"), t1("年末结转和结余")])},
            lineno=str(off + n + 4), bold=True),
    ]
    return totals_table("表1", "收入支出决算总表", "公开01表", income, spending,
                        (Column("金额", ("决算数",), lineno="2"),),
                        "本表反映部门本年度的总收支和年末结转结余情况。")


# ── 表2, 表3, 表5, 表8, 表9 (功能分类 code tables) ─────────────────────────────────────────
# 表2 收入决算表, 表3 支出决算表, 表8 政府性基金 and 表9 国有资本经营 are nmg-2023's tables (same keys,
# columns, 栏次 and notes); 表5 differs only in its total column's key (合计, as printed).
def table5() -> Table:
    cols = [Column("合计", ("本年支出", "合计"), lineno="1", derive=col_sum("基本支出", "项目支出")),
            Column("基本支出", ("本年支出", "基本支出"), lineno="2"),
            Column("项目支出", ("本年支出", "项目支出"), lineno="3")]
    return code_table("表5", "一般公共预算财政拨款支出决算表", "公开05表", cols,
                      "本表反映部门本年度一般公共预算财政拨款支出情况。")


# ── 表4 财政拨款收入支出决算总表 ─────────────────────────────────────────────────────────
def table4() -> Table:
    n = len(CATEGORIES)
    t4 = lambda row, col: Ref("表4", row, col)  # noqa: E731
    income: list[Row | None] = [
        Row(FUNDS[0], f"一、{FUNDS[0]}", {"金额": INPUT}, lineno="1"),
        Row(FUNDS[1], f"二、{FUNDS[1]}", {"金额": Ref("表8", "合计", "本年收入")}, lineno="2"),
        Row(FUNDS[2], f"三、{FUNDS[2]}", {"金额": INPUT}, lineno="3"),
        Row("本年收入合计", "本年收入合计", {"金额": Sum(t4(f, "金额") for f in FUNDS)}, lineno=str(n + 1), bold=True),
        Row("年初财政拨款结转和结余", "年初财政拨款结转和结余",
            {"金额": Sum(t4(f"年初{f}", "金额") for f in FUNDS)}, lineno=str(n + 2)),
        Row(f"年初{FUNDS[0]}", f"一、{FUNDS[0]}", {"金额": INPUT}, lineno=str(n + 3), indent=1),
        Row(f"年初{FUNDS[1]}", f"二、{FUNDS[1]}", {"金额": Ref("表8", "合计", "年初结转和结余")}, lineno=str(n + 4),
            indent=1),
        Row(f"年初{FUNDS[2]}", f"三、{FUNDS[2]}", {"金额": INPUT}, lineno=str(n + 5), indent=1),
        Row("收入总计", "总计", {"金额": Sum([t4("本年收入合计", "金额"), t4("年初财政拨款结转和结余", "金额")])},
            lineno=str(n + 6), bold=True),
    ]
    income = income[:3] + [None] * (n - 3) + income[3:]
    off = n + 6
    sources = {FUNDS[0]: ("表5", "合计"), FUNDS[1]: ("表8", "本年支出小计"), FUNDS[2]: ("表9", "合计")}

    def fund_row(key: str, label: str, per_fund: dict[str, object], **kw: object) -> Row:
        cells: dict[str, object] = {"合计": Sum(t4(key, f) for f in FUNDS)}
        cells.update(per_fund)
        return Row(key, label, cells, **kw)  # type: ignore[arg-type]

    spending: list[Row | None] = [
        fund_row(f"支出{c}", f"{cn(i + 1)}、{NATIONAL_FUNCTION_CODES[c]}",
                 {f: Ref(sources[f][0], c, sources[f][1]) for f in FUNDS}, lineno=str(off + i + 1), code=c)
        for i, c in enumerate(CATEGORIES)]
    spending += [
        fund_row("本年支出合计", "本年支出合计", {f: Sum(t4(f"支出{c}", f) for c in CATEGORIES) for f in FUNDS},
                 lineno=str(off + n + 1), bold=True),
        fund_row("年末财政拨款结转和结余", "年末财政拨款结转和结余",
                 {FUNDS[0]: INPUT, FUNDS[1]: Ref("表8", "合计", "年末结转和结余"), FUNDS[2]: INPUT},
                 lineno=str(off + n + 2)),
        None, None, None,
        Row("支出总计", "总计", {k: Sum([t4("本年支出合计", k), t4("年末财政拨款结转和结余", k)])
                             for k in ["合计"] + FUNDS}, lineno=str(off + n + 3), bold=True),
    ]
    spend_cols = (Column("合计", ("决算数", "合计"), lineno="2"),) + tuple(
        Column(f, ("决算数", f), lineno=str(i + 3)) for i, f in enumerate(FUNDS))
    return Table("表4", "财政拨款收入支出决算总表", "财政拨款收入支出决算总表", "fixed",
                 (Block(ITEM_LABELS, (Column("金额", ("决算数",), lineno="1"),), tuple(income), caption="收入"),
                  Block(ITEM_LABELS, spend_cols, tuple(spending), caption="支出")),
                 label="公开04表", landscape=True, footnote="本表反映部门本年度财政拨款总收支和年末结转结余情况。")


# ── 表6 一般公共预算财政拨款基本支出决算表 (经济分类, two blocks) ───────────────────────────
def table6() -> Table:
    blocks = [econ_rows("表6", PERSONNEL), econ_rows("表6", OFFICE)]
    height = max(len(b) for b in blocks)
    totals = [Row("人员经费合计", "人员经费合计", {"决算数": Sum(Ref("表6", c, "决算数") for c in PERSONNEL)}, bold=True),
              Row("公用经费合计", "公用经费合计", {"决算数": Sum(Ref("表6", c, "决算数") for c in OFFICE)}, bold=True)]
    built = []
    for rows, total, caption in zip(blocks, totals, ["人员经费", "公用经费"]):
        padded: list[Row | None] = list(rows) + [None] * (height - len(rows)) + [total]
        built.append(Block(ECON_LABELS, (Column("决算数", ("决算数",)),), tuple(padded), caption=caption))
    return Table("表6", "一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款基本支出决算表", "fixed",
                 tuple(built), label="公开06表", landscape=True, lineno_row=False, codes="economic",
                 footnote="本表反映部门本年度一般公共预算财政拨款基本支出明细情况。")


# ── 表7 “三公”经费 ─────────────────────────────────────────────────────────────────────
def table7() -> Table:
    cols = []
    cells: dict[str, object] = {}
    for g, group in enumerate(["预算数", "决算数"]):
        paths = [("合计",), ("因公出国（境）费",), ("公务用车购置及运行维护费", "小计"),
                 ("公务用车购置及运行维护费", "公务用车购置费"), ("公务用车购置及运行维护费", "公务用车运行维护费"),
                 ("公务接待费",)]
        for i, (name, path) in enumerate(zip(SANGONG, paths)):
            cols.append(Column(f"{group}{name}", path + (group,), lineno=str(g + 2 * i + 1), width=11))
        r = lambda name, group=group: Ref("表7", "金额", f"{group}{name}")  # noqa: E731
        cells[f"{group}合计"] = Sum([r("因公出国（境）费"), r("公务用车购置及运行维护费小计"), r("公务接待费")])
        cells[f"{group}公务用车购置及运行维护费小计"] = Sum([r("公务用车购置费"), r("公务用车运行维护费")])
        for name in ["因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]:
            cells[f"{group}{name}"] = INPUT
    cols.sort(key=lambda c: int(c.lineno or 0))  # 预算数 | 决算数 side by side under each item
    return Table("表7", "一般公共预算财政拨款“三公”经费支出决算表", "一般公共预算财政拨款“三公”经费支出决算表",
                 "fixed", (Block((), tuple(cols), (Row("金额", "金额", cells),)),), label="公开07表",
                 landscape=True,
                 footnote="本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，"
                          "反映按规定程序调整后的预算数；决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。")


# ── input sheets ────────────────────────────────────────────────────────────────────────
def unit_info() -> Table:
    items = [(k, "text") for k in ["部门名称", "年度", "部门负责人", "财务负责人", "编制人", "报送日期", "单位性质",
                                    "联系人", "联系电话"]]
    return key_value("单位信息", "单位信息", items, description="部门名称、负责人等封面与联系方式信息")


def overview() -> Table:
    items = [(k, "text") for k in ["主要职能", "决算单位构成"]]
    return key_value("部门概况", "部门概况", items, width=100, description="第一部分 部门概况的文字")


def budget() -> Table:
    cols = [Column("年初预算数", ("年初预算数",), lineno="1"),
            Column("主要用途", ("主要用于",), "text", width=40),
            Column("差异原因", ("决算数与年初预算数的差异原因",), "text", width=50)]
    return Table("年初预算", "年初预算", "一般公共预算财政拨款年初预算（按功能分类）", "code",
                 (Block(CODE_LABELS, tuple(cols)),), public=False, codes="function", footnote=None,
                 description="与表5相同的项级科目的年初预算数、主要用途及差异原因；类、款和合计自动汇总")


PRIOR_YEAR = ["收入支出总计", "财政拨款收入支出总计", "一般公共预算财政拨款支出", "三公经费合计", "因公出国（境）费",
              "公务用车购置及运行维护费", "公务接待费", "政府性基金预算财政拨款支出", "国有资本经营预算财政拨款支出",
              "机关运行经费"]


def prior_year() -> Table:
    return key_value("上年决算", "上年决算数（与上年度相比所用）", [(k, "amount") for k in PRIOR_YEAR],
                     value_label="上年决算数", width=18)


COMPARISONS = [
    Comparison("收入支出总计.上年", "一、收入支出总计与上年度相比"),
    Comparison("财政拨款收入支出总计.上年", "四、财政拨款收入支出总计与上年度相比"),
    Comparison("一般公共预算财政拨款支出.上年", "五（一）一般公共预算财政拨款支出与上年度相比"),
    Comparison("一般公共预算财政拨款支出.年初预算", "五（三）一般公共预算财政拨款支出决算数与年初预算数的差异"),
    Comparison("三公经费.预算", "七（一）“三公”经费决算数与预算数的差异"),
    Comparison("三公经费.上年", "七（一）“三公”经费决算数与上年度相比"),
    Comparison("政府性基金.上年", "八、政府性基金预算财政拨款支出与上年度相比"),
    Comparison("国有资本经营.上年", "九、国有资本经营预算财政拨款支出与上年度相比"),
    Comparison("机关运行经费.上年", "十一（一）机关运行经费与上年度相比"),
]


def sangong_stats() -> Table:
    items = [("出国（境）团组数", "count", "个"), ("出国（境）人次", "count", "人次"), ("公务用车购置数", "count", "辆"),
             ("公务用车保有量", "count", "辆"), ("公务用车运行维护费用途", "text", ""),
             ("国内公务接待批次", "count", "批次"), ("国内公务接待人次", "count", "人次"),
             ("外宾接待费", "amount", "万元"), ("外宾接待批次", "count", "批次"), ("外宾接待人次", "count", "人次")]
    rows = tuple(Row(k, k, {"值": INPUT}, kind=kind, unit=unit or None) for k, kind, unit in items)  # type: ignore[arg-type]
    return Table("三公统计", "三公统计", "“三公”经费统计数", "fixed",
                 (Block((LabelColumn(("项目",), "label", 26), LabelColumn(("计量单位",), "unit", 10)),
                        (Column("值", ("数值/内容",), "text", 50),), rows),),
                 public=False, unit_line=None, lineno_row=False)


OTHER_MATTERS = ([("机关运行经费支出", "amount", "万元")]
                 + [(f"政府采购{t}采购金额", "amount", "万元") for t in PURCHASE_TYPES]
                 + [("面向中小企业预留项目预算金额", "amount", "万元"), ("面向小微企业预留项目预算金额", "amount", "万元"),
                    ("中小企业预留项目中小企业成交金额", "amount", "万元"),
                    ("小微企业预留项目小微企业成交金额", "amount", "万元"),
                    ("其他项目中小企业成交金额", "amount", "万元")]
                 + [(v, "count", "辆") for v in VEHICLES]
                 + [("单价100万元以上设备", "count", "台（套）")])


def other_matters() -> Table:
    """十一、其他重要事项: 机关运行经费, 政府采购, 国有资产占有使用 (figures the nine tables lack)."""
    rows = tuple(Row(k, k, {"值": INPUT}, kind=kind, unit=unit) for k, kind, unit in OTHER_MATTERS)  # type: ignore[arg-type]
    return Table("其他事项", "其他事项", "机关运行经费、政府采购和国有资产占有使用情况", "fixed",
                 (Block((LabelColumn(("项目",), "label", 36), LabelColumn(("计量单位",), "unit", 10)),
                        (Column("值", ("数值",), "text", 18),), rows),),
                 public=False, unit_line=None, lineno_row=False,
                 description="情况说明十一（一）至（三）的数字：机关运行经费、政府采购、车辆和大型设备")


PERF_MANAGEMENT = [("绩效目标项目数", "count"), ("绩效目标金额", "amount"), ("绩效跟踪项目数", "count"),
                   ("绩效跟踪金额", "amount"), ("绩效自评项目数", "count"), ("绩效自评金额", "amount"),
                   ("自评平均得分", "number"), ("评级优项目数", "count"), ("评级良项目数", "count"),
                   ("评级合格项目数", "count"), ("评级不合格项目数", "count"), ("自评发现问题数", "count"),
                   ("已完成整改问题数", "count"), ("正在整改问题数", "count"), ("制度建设", "text"), ("工作机制", "text")]


def perf_management() -> Table:
    return key_value("绩效管理", "预算绩效管理情况", list(PERF_MANAGEMENT), width=60)  # type: ignore[arg-type]


def build() -> Format:
    tables = [table1(), table2(), table3(), table4(), table5(), table6(), table7(), table8(), table9(),
              unit_info(), overview(), budget(), prior_year(), reasons(COMPARISONS), sangong_stats(), other_matters(),
              perf_management()]
    return Format(FORMAT_ID, NAME, 2023, tables, NATIONAL_FUNCTION_CODES, ECONOMIC_CODES, COMPARISONS)


__all__ = ["build"]
