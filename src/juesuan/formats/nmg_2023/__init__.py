"""Format ``nmg-2023``: Inner Mongolia 2023 部门决算公开 — eleven public tables and the input sheets.

Every table, row, column and derivation is declared here once.  Choices where the official
template could not be seen (see docs/format-notes.md): 公开NN表 labels; 行次 of 表1/表4 totals
(numbered down the income side, then the expenditure side); 表6 公用经费 = 302+307+310+399;
表6/表7 printed as three side-by-side blocks of the full 经济分类 list; 表9 columns 合计/基本/项目;
表11 rows as the seed's narratives 十一–十三 quote them, plus the per-type 中小企业 amounts.
"""

from __future__ import annotations

from importlib import resources
from typing import Callable

from juesuan.expr import Expr, RatePercent, Ref, ScoreOf, Sum
from juesuan.money import cn
from juesuan.spec import INPUT, Block, Column, Comparison, Format, LabelColumn, Row, Table

FORMAT_ID = "nmg-2023"


def read_codes(name: str) -> dict[str, str]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    codes: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            code, title = line.split("\t")
            codes[code.strip()] = title.strip()
    return codes


FUNCTION_CODES = read_codes("function_codes.txt")
ECONOMIC_CODES = read_codes("economic_codes.txt")
CATEGORIES = [c for c in FUNCTION_CODES if len(c) == 3 and c not in ("209", "227", "230", "233")]
def col_sum(*keys: str) -> Callable[[Callable[[str], Expr]], Expr]:
    """A per-row identity: this column = Σ of the same row's ``keys``."""
    return lambda col: Sum(col(k) for k in keys)


CODE_LABELS = (LabelColumn(("项目", "科目编码"), "code", 12), LabelColumn(("项目", "科目名称"), "label", 30))
ITEM_LABELS = (LabelColumn(("项目",), "label", 34), LabelColumn(("行次",), "lineno", 6))


# ── 表1 收入支出决算总表 ────────────────────────────────────────────────────────────────
INCOME_LINES = [
    ("一般公共预算财政拨款收入", Ref("表4", "一般公共预算财政拨款", "金额")),
    ("政府性基金预算财政拨款收入", Ref("表4", "政府性基金预算财政拨款", "金额")),
    ("国有资本经营预算财政拨款收入", Ref("表4", "国有资本经营预算财政拨款", "金额")),
    ("上级补助收入", Ref("表2", "合计", "上级补助收入")),
    ("事业收入", Ref("表2", "合计", "事业收入")),
    ("经营收入", Ref("表2", "合计", "经营收入")),
    ("附属单位上缴收入", Ref("表2", "合计", "附属单位上缴收入")),
    ("其他收入", Ref("表2", "合计", "其他收入")),
]


def table1() -> Table:
    n = len(CATEGORIES)
    amount = (Column("金额", ("金额",), lineno="1"),)
    amount2 = (Column("金额", ("金额",), lineno="2"),)
    income: list[Row | None] = [
        Row(key, f"{cn(i + 1)}、{key}", {"金额": expr}, lineno=str(i + 1))
        for i, (key, expr) in enumerate(INCOME_LINES)
    ]
    income += [None] * (n - len(income))
    base = n
    income += [
        Row("本年收入合计", "本年收入合计", {"金额": Sum(Ref("表1", k, "金额") for k, _ in INCOME_LINES)},
            lineno=str(base + 1), bold=True),
        Row("使用非财政拨款结余", "使用非财政拨款结余", {"金额": INPUT}, lineno=str(base + 2)),
        Row("年初结转和结余", "年初结转和结余", {"金额": INPUT}, lineno=str(base + 3)),
        Row("收入总计", "总计", {"金额": Sum([Ref("表1", "本年收入合计", "金额"), Ref("表1", "使用非财政拨款结余", "金额"),
                                          Ref("表1", "年初结转和结余", "金额")])}, lineno=str(base + 4), bold=True),
    ]
    off = base + 4
    spending: list[Row | None] = [
        Row(f"支出{code}", f"{cn(i + 1)}、{FUNCTION_CODES[code]}", {"金额": Ref("表3", code, "本年支出合计")},
            lineno=str(off + i + 1), code=code)
        for i, code in enumerate(CATEGORIES)
    ]
    spending += [
        Row("本年支出合计", "本年支出合计", {"金额": Sum(Ref("表1", f"支出{c}", "金额") for c in CATEGORIES)},
            lineno=str(off + n + 1), bold=True),
        Row("结余分配", "结余分配", {"金额": INPUT}, lineno=str(off + n + 2)),
        Row("年末结转和结余", "年末结转和结余", {"金额": INPUT}, lineno=str(off + n + 3)),
        Row("支出总计", "总计", {"金额": Sum([Ref("表1", "本年支出合计", "金额"), Ref("表1", "结余分配", "金额"),
                                          Ref("表1", "年末结转和结余", "金额")])}, lineno=str(off + n + 4), bold=True),
    ]
    return Table(
        "表1", "收入支出决算总表", "收入支出决算总表", "fixed",
        (Block(ITEM_LABELS, amount, tuple(income), caption="收入"),
         Block(ITEM_LABELS, amount2, tuple(spending), caption="支出")),
        label="公开01表",
        footnote="本表反映部门本年度的总收支和年末结转结余情况。",
    )


# ── 表2 收入决算表, 表3 支出决算表 ───────────────────────────────────────────────────────
INCOME_SOURCES = ["财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
SPENDING_KINDS = ["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]


def code_table(key: str, title: str, label: str, columns: list[Column], footnote: str,
               landscape: bool = False) -> Table:
    return Table(key, title, title, "code", (Block(CODE_LABELS, tuple(columns)),), label=label,
                 codes="function", footnote=footnote, landscape=landscape)


def table2() -> Table:
    cols = [Column("本年收入合计", ("本年收入合计",), lineno="1", derive=col_sum(*INCOME_SOURCES))]
    cols += [Column(k, (k,), lineno=str(i + 2)) for i, k in enumerate(INCOME_SOURCES)]
    return code_table("表2", "收入决算表", "公开02表", cols,
                      "本表反映部门本年度取得的各项收入情况。", landscape=True)


def table3() -> Table:
    cols = [Column("本年支出合计", ("本年支出合计",), lineno="1", derive=col_sum(*SPENDING_KINDS))]
    cols += [Column(k, (k,), lineno=str(i + 2)) for i, k in enumerate(SPENDING_KINDS)]
    return code_table("表3", "支出决算表", "公开03表", cols,
                      "本表反映部门本年度各项支出情况。", landscape=True)


# ── 表4 财政拨款收入支出决算总表 ─────────────────────────────────────────────────────────
FUNDS = ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]


def table4() -> Table:
    n = len(CATEGORIES)
    t4 = lambda row, col: Ref("表4", row, col)  # noqa: E731
    income: list[Row | None] = [
        Row(FUNDS[0], f"一、{FUNDS[0]}", {"金额": INPUT}, lineno="1"),
        Row(FUNDS[1], f"二、{FUNDS[1]}", {"金额": Ref("表8", "合计", "本年收入")}, lineno="2"),
        Row(FUNDS[2], f"三、{FUNDS[2]}", {"金额": INPUT}, lineno="3"),
    ]
    income += [None] * (n - len(income))
    income += [
        Row("本年收入合计", "本年收入合计", {"金额": Sum(t4(f, "金额") for f in FUNDS)}, lineno=str(n + 1), bold=True),
        Row("年初财政拨款结转和结余", "年初财政拨款结转和结余",
            {"金额": Sum(t4(f"年初{f}", "金额") for f in FUNDS)}, lineno=str(n + 2)),
        Row(f"年初{FUNDS[0]}", FUNDS[0], {"金额": INPUT}, lineno=str(n + 3), indent=1),
        Row(f"年初{FUNDS[1]}", FUNDS[1], {"金额": Ref("表8", "合计", "年初结转和结余")}, lineno=str(n + 4), indent=1),
        Row(f"年初{FUNDS[2]}", FUNDS[2], {"金额": INPUT}, lineno=str(n + 5), indent=1),
        Row("收入总计", "总计", {"金额": Sum([t4("本年收入合计", "金额"), t4("年初财政拨款结转和结余", "金额")])},
            lineno=str(n + 6), bold=True),
    ]
    off = n + 6
    sources = {FUNDS[0]: ("表5", "小计"), FUNDS[1]: ("表8", "本年支出小计"), FUNDS[2]: ("表9", "合计")}
    spend_cols = (Column("合计", ("合计",), lineno="2"),) + tuple(
        Column(f, (f,), lineno=str(i + 3)) for i, f in enumerate(FUNDS))

    def fund_row(key: str, label: str, per_fund: dict[str, object], **kw: object) -> Row:
        cells: dict[str, object] = {"合计": Sum(t4(key, f) for f in FUNDS)}
        cells.update(per_fund)
        return Row(key, label, cells, **kw)  # type: ignore[arg-type]

    spending: list[Row | None] = [
        fund_row(f"支出{c}", f"{cn(i + 1)}、{FUNCTION_CODES[c]}",
                 {f: Ref(sources[f][0], c, sources[f][1]) for f in FUNDS}, lineno=str(off + i + 1), code=c)
        for i, c in enumerate(CATEGORIES)
    ]
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
    return Table(
        "表4", "财政拨款收入支出决算总表", "财政拨款收入支出决算总表", "fixed",
        (Block(ITEM_LABELS, (Column("金额", ("金额",), lineno="1"),), tuple(income), caption="收入"),
         Block(ITEM_LABELS, spend_cols, tuple(spending), caption="支出")),
        label="公开04表", landscape=True,
        footnote="本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况。",
    )


# ── 表5, 表8, 表9 ──────────────────────────────────────────────────────────────────────
def table5() -> Table:
    cols = [Column("小计", ("本年支出", "小计"), lineno="1", derive=col_sum("基本支出", "项目支出")),
            Column("基本支出", ("本年支出", "基本支出"), lineno="2"),
            Column("项目支出", ("本年支出", "项目支出"), lineno="3")]
    return code_table("表5", "一般公共预算财政拨款支出决算表", "公开05表", cols,
                      "本表反映部门本年度一般公共预算财政拨款实际支出情况。")


def table8() -> Table:
    cols = [Column("年初结转和结余", ("年初结转和结余",), lineno="1"),
            Column("本年收入", ("本年收入",), lineno="2"),
            Column("本年支出小计", ("本年支出", "小计"), lineno="3", derive=col_sum("基本支出", "项目支出")),
            Column("基本支出", ("本年支出", "基本支出"), lineno="4"),
            Column("项目支出", ("本年支出", "项目支出"), lineno="5"),
            Column("年末结转和结余", ("年末结转和结余",), lineno="6")]
    return code_table("表8", "政府性基金预算财政拨款收入支出决算表", "公开08表", cols,
                      "本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。", landscape=True)


def table9() -> Table:
    cols = [Column("合计", ("本年支出", "合计"), lineno="1", derive=col_sum("基本支出", "项目支出")),
            Column("基本支出", ("本年支出", "基本支出"), lineno="2"),
            Column("项目支出", ("本年支出", "项目支出"), lineno="3")]
    return code_table("表9", "国有资本经营预算财政拨款支出决算表", "公开09表", cols,
                      "本表反映部门本年度国有资本经营预算财政拨款支出情况。")


# ── 表6, 表7: 经济分类, three blocks side by side ──────────────────────────────────────
ECON_LABELS = (LabelColumn(("科目编码",), "code", 9), LabelColumn(("科目名称",), "label", 22))


def econ_rows(table: str, classes: list[str], key_prefix: str = "") -> list[Row]:
    rows = []
    for cls in classes:
        children = [c for c in ECONOMIC_CODES if len(c) == 5 and c.startswith(cls)]
        rows.append(Row(cls, ECONOMIC_CODES[cls], {"决算数": Sum(Ref(table, c, "决算数") for c in children)},
                        code=cls, bold=True))
        rows += [Row(c, ECONOMIC_CODES[c], {"决算数": INPUT}, code=c, indent=1) for c in children]
    return rows


def econ_table(key: str, title: str, label: str, blocks: list[list[str]], totals: list[Row | None],
               captions: list[str | None], footnote: str) -> Table:
    columns = [econ_rows(key, classes) for classes in blocks]
    height = max(len(c) for c in columns)
    built = []
    for i, rows in enumerate(columns):
        padded: list[Row | None] = list(rows) + [None] * (height - len(rows))
        padded.append(totals[i])
        built.append(Block(ECON_LABELS, (Column("决算数", ("决算数",)),), tuple(padded), caption=captions[i]))
    return Table(key, title, title, "fixed", tuple(built), label=label, landscape=True, lineno_row=False,
                 codes="economic", footnote=footnote)


PERSONNEL = ["301", "303"]
OFFICE = ["302", "307", "310", "399"]


def table6() -> Table:
    totals: list[Row | None] = [
        Row("人员经费合计", "人员经费合计", {"决算数": Sum(Ref("表6", c, "决算数") for c in PERSONNEL)}, bold=True),
        Row("公用经费合计", "公用经费合计", {"决算数": Sum(Ref("表6", c, "决算数") for c in OFFICE)}, bold=True),
        None,
    ]
    return econ_table("表6", "一般公共预算财政拨款基本支出决算明细表", "公开06表",
                      [PERSONNEL, ["302"], ["307", "310", "399"]], totals, ["人员经费", "公用经费", "公用经费"],
                      "本表反映部门本年度一般公共预算财政拨款基本支出明细情况。")


PROJECT_CLASSES = ["301", "303", "307", "311", "302", "312", "313", "309", "310", "399"]


def table7() -> Table:
    totals: list[Row | None] = [None, None, Row("合计", "合计", {"决算数": Sum(Ref("表7", c, "决算数")
                                                                      for c in PROJECT_CLASSES)}, bold=True)]
    return econ_table("表7", "一般公共预算财政拨款项目支出决算明细表", "公开07表",
                      [["301", "303", "307", "311"], ["302", "312", "313"], ["309", "310", "399"]],
                      totals, [None, None, None],
                      "本表反映部门本年度一般公共预算财政拨款项目支出明细情况。")


# ── 表10 三公 ───────────────────────────────────────────────────────────────────────────
SANGONG = ["合计", "因公出国（境）费", "公务用车购置及运行维护费小计", "公务用车购置费", "公务用车运行维护费", "公务接待费"]


def table10() -> Table:
    cols = []
    cells: dict[str, object] = {}
    for g, group in enumerate(["预算数", "决算数"]):
        def k(name: str, group: str = group) -> str:
            return f"{group}{name}"
        paths = [(group, "合计"), (group, "因公出国（境）费"), (group, "公务用车购置及运行维护费", "小计"),
                 (group, "公务用车购置及运行维护费", "公务用车购置费"), (group, "公务用车购置及运行维护费", "公务用车运行维护费"),
                 (group, "公务接待费")]
        for i, (name, path) in enumerate(zip(SANGONG, paths)):
            cols.append(Column(k(name), path, lineno=str(g * 6 + i + 1), width=11))
        r = lambda name: Ref("表10", "金额", k(name))  # noqa: E731
        cells[k("合计")] = Sum([r("因公出国（境）费"), r("公务用车购置及运行维护费小计"), r("公务接待费")])
        cells[k("公务用车购置及运行维护费小计")] = Sum([r("公务用车购置费"), r("公务用车运行维护费")])
        for name in ["因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]:
            cells[k(name)] = INPUT
    return Table("表10", "财政拨款“三公”经费支出决算表", "财政拨款“三公”经费支出决算表", "fixed",
                 (Block((), tuple(cols), (Row("金额", "金额", cells),)),), label="公开10表", landscape=True,
                 footnote="本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，"
                          "反映按规定程序调整后的预算数；决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。")


# ── 表11 机构运行经费、国有资产、政府采购 ─────────────────────────────────────────────────
VEHICLES = ["副部（省）级及以上领导用车", "主要领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车",
            "特种专业技术用车", "离退休干部用车", "其他用车"]
PURCHASE_TYPES = ["货物", "工程", "服务"]


def table11() -> Table:
    r = lambda key: Ref("表11", key, "数值")  # noqa: E731
    rows: list[Row | None] = [
        Row("机构运行经费支出", "一、机构运行经费支出", {"数值": INPUT}, unit="万元"),
        Row("政府采购支出总额", "二、政府采购支出总额", {"数值": Sum(r(f"政府采购{t}支出") for t in PURCHASE_TYPES)},
            unit="万元"),
    ]
    rows += [Row(f"政府采购{t}支出", f"1.政府采购{t}支出".replace("1.", f"{i + 1}."), {"数值": INPUT}, unit="万元",
                 indent=1) for i, t in enumerate(PURCHASE_TYPES)]
    rows += [
        Row("授予中小企业合同金额", "授予中小企业合同金额", {"数值": INPUT}, unit="万元", indent=1),
        Row("授予小微企业合同金额", "其中：授予小微企业合同金额", {"数值": INPUT}, unit="万元", indent=2),
    ]
    rows += [Row(f"{t}授予中小企业合同金额", f"{t}采购授予中小企业合同金额", {"数值": INPUT}, unit="万元", indent=2)
             for t in PURCHASE_TYPES]
    rows += [Row("车辆数合计", "三、车辆数合计", {"数值": Sum(r(v) for v in VEHICLES)}, unit="辆", kind="count")]
    rows += [Row(v, v, {"数值": INPUT}, unit="辆", kind="count", indent=1) for v in VEHICLES]
    rows += [Row("单价100万元以上设备", "四、单价100万元（含）以上设备（不含车辆）", {"数值": INPUT}, unit="台（套）",
                 kind="count")]
    rows = [None if x is None else Row(x.key, x.label, x.cells, lineno=str(i + 1), unit=x.unit, indent=x.indent,
                                       kind=x.kind) for i, x in enumerate(rows)]
    labels = (LabelColumn(("项目",), "label", 40), LabelColumn(("行次",), "lineno", 6), LabelColumn(("计量单位",), "unit", 10))
    return Table("表11", "机构运行经费支出、国有资产占用情况及政府采购支出信息表",
                 "机构运行经费支出、国有资产占用情况及政府采购支出信息表", "fixed",
                 (Block(labels, (Column("数值", ("金额/数量",), lineno="1", width=16),), tuple(rows)),),
                 label="公开11表", unit_line=None,
                 footnote="本表反映部门本年度机构运行经费支出、政府采购支出及国有资产占用情况。")


# ── input sheets ────────────────────────────────────────────────────────────────────────
def key_value(key: str, title: str, items: list[tuple[str, str]], value_label: str = "内容",
              width: float = 60, description: str = "") -> Table:
    """A two-column input sheet: 项目 | value; ``items`` are (row key, kind)."""
    rows = tuple(Row(k, k, {"值": INPUT}, kind=kind) for k, kind in items)  # type: ignore[arg-type]
    return Table(key, key, title, "fixed",
                 (Block((LabelColumn(("项目",), "label", 28),), (Column("值", (value_label,), "text", width),), rows),),
                 public=False, unit_line=None, dept_line=key != "单位信息", lineno_row=False, description=description)


def unit_info() -> Table:
    items = [(k, "text") for k in ["部门名称", "年度", "部门负责人", "财务负责人", "编制人", "报送日期", "单位性质",
                                    "联系人", "联系电话"]]
    return key_value("单位信息", "单位信息", items, description="部门名称、负责人等封面与联系方式信息")


def overview() -> Table:
    items = [(k, "text") for k in ["部门职能", "主要职责", "机构设置", "决算单位构成", "年度工作"]]
    return key_value("部门概况", "部门概况", items, width=100, description="第一部分 部门概况的文字")


PRIOR_YEAR = ["收支总计", "本年收入合计", "使用非财政拨款结余", "年初结转和结余", "本年支出合计", "结余分配",
              "年末结转和结余", "财政拨款收支总计", "一般公共预算财政拨款支出", "三公经费合计", "因公出国（境）费",
              "公务用车购置费", "公务用车运行维护费", "公务接待费", "政府性基金预算财政拨款支出",
              "国有资本经营预算财政拨款支出", "机构运行经费"]


def prior_year() -> Table:
    return key_value("上年决算", "上年决算数（与上年决算相比所用）", [(k, "amount") for k in PRIOR_YEAR],
                     value_label="上年决算数", width=18)


BUDGET_TOTALS = ["收支总计", "财政拨款收支总计"]


def budget() -> Table:
    cols = [Column("年初预算数", ("年初预算数",), lineno="1"),
            Column("差异原因", ("决算数与年初预算数的差异原因",), "text", width=60)]
    return Table("年初预算", "年初预算", "一般公共预算财政拨款年初预算（按功能分类）", "code",
                 (Block(CODE_LABELS, tuple(cols)),), public=False, codes="function", footnote=None,
                 description="与表5相同的项级科目的年初预算数及差异原因；类、款和合计自动汇总")


def budget_totals() -> Table:
    return key_value("预算总数", "年初预算总数（情况说明一、四比较所用）", [(k, "amount") for k in BUDGET_TOTALS],
                     value_label="年初预算数", width=18)


COMPARISONS = [
    Comparison("收支总计.年初预算", "一、收支总计与年初预算相比"),
    Comparison("收支总计.上年", "一、收支总计与上年决算相比"),
    Comparison("本年收入合计.上年", "一（一）1. 本年收入合计与上年决算相比"),
    Comparison("使用非财政拨款结余.上年", "一（一）2. 使用非财政拨款结余与上年决算相比"),
    Comparison("年初结转和结余.上年", "一（一）3. 年初结转和结余与上年决算相比"),
    Comparison("本年支出合计.上年", "一（二）1. 本年支出合计与上年决算相比"),
    Comparison("结余分配.上年", "一（二）2. 结余分配与上年决算相比"),
    Comparison("年末结转和结余.上年", "一（二）3. 年末结转和结余与上年决算相比"),
    Comparison("年末结转和结余.事项", "一（二）3. 年末结转和结余事项"),
    Comparison("财政拨款收支总计.年初预算", "四、财政拨款收支总计与年初预算相比"),
    Comparison("财政拨款收支总计.上年", "四、财政拨款收支总计与上年决算相比"),
    Comparison("三公经费.预算", "八（一）“三公”经费决算与预算的差异原因"),
    Comparison("因公出国（境）费.上年", "八（二）1. 因公出国（境）费与上年决算相比"),
    Comparison("公务用车购置费.上年", "八（二）2.（1）公务用车购置费与上年决算相比"),
    Comparison("公务用车运行维护费.上年", "八（二）2.（2）公务用车运行维护费与上年决算相比"),
    Comparison("公务接待费.上年", "八（二）3. 公务接待费与上年决算相比"),
    Comparison("政府性基金.上年", "九、政府性基金预算财政拨款支出与上年决算相比"),
    Comparison("政府性基金.用途", "九、政府性基金预算财政拨款支出的主要用途"),
    Comparison("国有资本经营.上年", "十、国有资本经营预算财政拨款支出与上年决算相比"),
    Comparison("机构运行经费.上年", "十一、机构运行经费与上年决算相比"),
]


def reasons(comparisons: list[Comparison] | None = None) -> Table:
    """The 变动原因 sheet: one text row per comparison the narrative makes (a format's own list)."""
    rows = tuple(Row(c.key, c.label, {"原因": INPUT}, kind="text") for c in (comparisons or COMPARISONS))
    return Table("变动原因", "变动原因", "变动原因及说明", "fixed",
                 (Block((LabelColumn(("比较项目",), "label", 44),), (Column("原因", ("变动原因",), "text", 80),), rows),),
                 public=False, unit_line=None, lineno_row=False,
                 description="情况说明中每一处比较的变动原因（缺失时说明中显示【请填写…】）")


def sangong_stats() -> Table:
    items = [("出国（境）团组数", "count", "个"), ("出国（境）人次", "count", "人次"), ("公务用车购置数", "count", "辆"),
             ("公务用车保有量", "count", "辆"), ("国内公务接待费", "amount", "万元"), ("国内接待批次", "count", "批次"),
             ("国内接待人次", "count", "人次"), ("国内接待开支内容", "text", ""),
             ("国（境）外公务接待费", "amount", "万元"), ("国（境）外接待批次", "count", "批次"),
             ("国（境）外接待人次", "count", "人次"), ("国（境）外接待开支内容", "text", "")]
    rows = tuple(Row(k, k, {"值": INPUT}, kind=kind, unit=unit or None) for k, kind, unit in items)  # type: ignore[arg-type]
    return Table("三公统计", "三公统计", "“三公”经费统计数", "fixed",
                 (Block((LabelColumn(("项目",), "label", 26), LabelColumn(("计量单位",), "unit", 10)),
                        (Column("值", ("数值/内容",), "text", 50),), rows),),
                 public=False, unit_line=None, lineno_row=False)


PERF_MANAGEMENT = [("一般公共预算一级项目数", "count"), ("一般公共预算二级项目数", "count"),
                   ("一般公共预算自评资金", "amount"), ("政府性基金一级项目数", "count"), ("政府性基金二级项目数", "count"),
                   ("政府性基金自评资金", "amount"), ("应纳入自评的政府性基金项目支出", "amount"),
                   ("部门评价项目", "text"), ("部门评价一般公共预算资金", "amount"),
                   ("部门评价政府性基金资金", "amount"), ("第三方评价情况", "text"), ("评价总体情况", "text"),
                   ("部门评价结果", "text")]


def perf_management() -> Table:
    return key_value("绩效管理", "预算绩效管理工作开展情况", list(PERF_MANAGEMENT), width=60)  # type: ignore[arg-type]


PERF_MONEY = ["年度资金总额", "财政拨款", "上年结转资金", "其他资金"]
PERF_STAGES = ["年初预算数", "全年预算数", "全年执行数"]


def perf_projects() -> Table:
    def ref(col: Callable[[str], Expr], name: str) -> Expr:
        return col(name)

    cols: list[Column] = [Column("项目名称", ("项目名称",), "text", 20, required=True),
                          Column("主管部门", ("主管部门",), "text", 24), Column("实施单位", ("实施单位",), "text", 24)]
    for stage in PERF_STAGES:
        cols.append(Column(f"年度资金总额{stage}", ("年度资金总额", stage), width=11,
                           derive=lambda col, s=stage: Sum(col(f"{m}{s}") for m in PERF_MONEY[1:])))
    for money in PERF_MONEY[1:]:
        cols += [Column(f"{money}{stage}", (money, stage), width=11) for stage in PERF_STAGES]
    cols += [Column(f"{money}执行率", (money, "执行率（%）"), "number", 9,
                    derive=lambda col, m=money: RatePercent(col(f"{m}全年执行数"), col(f"{m}全年预算数")))
             for money in PERF_MONEY[1:]]
    cols += [
        Column("资金分值", ("资金执行", "分值"), "number", 8),
        Column("执行率", ("资金执行", "执行率（%）"), "number", 9,
               derive=lambda col: RatePercent(col("年度资金总额全年执行数"), col("年度资金总额全年预算数"))),
        Column("资金得分", ("资金执行", "得分"), "number", 8,
               derive=lambda col: ScoreOf(col("资金分值"), col("执行率"))),
        Column("指标得分", ("绩效指标", "得分合计"), "number", 9, sum_over=("绩效指标", "项目名称", "得分")),
        Column("总分", ("总分",), "number", 8, derive=lambda col: Sum([col("资金得分"), col("指标得分")])),
        Column("预期目标", ("年度总体目标", "预期目标"), "text", 30),
        Column("实际完成情况", ("年度总体目标", "实际完成情况"), "text", 30),
        Column("目标完成情况", ("自评综述", "绩效目标完成情况"), "text", 30),
        Column("主要问题", ("自评综述", "发现的主要问题及原因"), "text", 30),
        Column("改进措施", ("自评综述", "下一步改进措施"), "text", 30),
        Column("自评得分", ("自评得分（绩效系统填报）",), "number", 9, optional=True),  # check N-SCORE compares
    ]
    return Table("绩效自评", "绩效自评", "项目支出绩效自评表", "record", (Block((), tuple(cols)),), public=False,
                 landscape=True, lineno_row=False, description="每个自评项目一行；执行率、得分与总分自动计算")


def perf_indicators() -> Table:
    cols = (Column("项目名称", ("项目名称",), "text", 16, required=True),
            Column("一级指标", ("一级指标",), "text", 10), Column("二级指标", ("二级指标",), "text", 12),
            Column("三级指标", ("三级指标",), "text", 28), Column("指标性质", ("指标性质",), "text", 8),
            Column("指标方向", ("指标方向",), "text", 10), Column("年度指标值", ("年度指标值",), "text", 10),
            Column("实际完成值", ("实际完成值",), "text", 10), Column("计量单位", ("计量单位",), "text", 8),
            Column("分值", ("分值",), "number", 7), Column("得分", ("得分",), "number", 7),
            Column("偏差原因", ("偏差原因分析及改进措施",), "text", 30))
    return Table("绩效指标", "绩效指标", "项目支出绩效自评表 · 绩效指标", "record", (Block((), cols),), public=False,
                 landscape=True, lineno_row=False, description="每条三级指标一行，按项目名称归入绩效自评表")


def build() -> Format:
    tables = [table1(), table2(), table3(), table4(), table5(), table6(), table7(), table8(), table9(), table10(),
              table11(), unit_info(), overview(), budget(), budget_totals(), prior_year(), reasons(), sangong_stats(),
              perf_management(), perf_projects(), perf_indicators()]
    return Format(FORMAT_ID, "内蒙古自治区 2023 年度部门决算公开", 2023, tables, FUNCTION_CODES, ECONOMIC_CODES,
                  COMPARISONS)


__all__ = ["build"]
