"""nmg-2023's metrics: every figure its narrative states, computed once from the book.

Templates never do arithmetic.  This module reads the table cells (inputs and the values
:func:`juesuan.derive.compute` gives for derived cells: totals, 执行率, 得分) and the input
sheets, and computes the figures the sentences need: shares of a total, changes against the
prior year or the budget, completion rates.  Ratios keep the held (unrounded) amounts; only the
number formatter rounds.  Example (the reference case, 第二部分 五)::

    general = general_budget(src)
    general.total            → Decimal('3038.13')   表5 合计 小计
    general.completion.rate  → Decimal('93.3295…')  printed "93.33%"

A blank input counts as zero (a department with no prior-year figure reads "上年无此项").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from juesuan.expr import Key
from juesuan.formats.nmg_2023 import INCOME_LINES, OFFICE, PERSONNEL, PURCHASE_TYPES, SPENDING_KINDS, VEHICLES
from juesuan.model import Book, code_name
from juesuan.spec import Table
from juesuan.narrate.figures import Change, Completion, Flow, Group, Item, shares
from juesuan.narrate.figures import Source as BookSource
from juesuan.narrate.numbers import is_zero, ratio


class Source(BookSource):
    """Cell values of one book, and 上年决算 (the prior-year sheet) by row."""

    def prior(self, row: str) -> Decimal:
        return self.amount("上年决算", row)


# ── 一 收入支出决算总体情况 ─────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Overview:
    total_in: Decimal
    total_out: Decimal
    vs_budget: Change
    vs_prior: Change
    income: list[Flow]
    spending: list[Flow]
    year_end: Decimal


def overview(src: Source) -> Overview:
    total_in = src.amount("表1", "收入总计", "金额")
    total_out = src.amount("表1", "支出总计", "金额")

    def flows(rows: list[str]) -> list[Flow]:
        return [Flow(r, a, Change(a, src.prior(r)), f"{r}.上年") for r in rows for a in [src.amount("表1", r, "金额")]]

    return Overview(
        total_in, total_out,
        Change(total_in, src.amount("预算总数", "收支总计")), Change(total_in, src.prior("收支总计")),
        flows(["本年收入合计", "使用非财政拨款结余", "年初结转和结余"]),
        flows(["本年支出合计", "结余分配", "年末结转和结余"]),
        src.amount("表1", "年末结转和结余", "金额"),
    )


# ── 二 收入, 三 支出 (shares; the pie charts use the same cells) ───────────────────────────
INCOME_CHART_ROWS = [name for name, _ in INCOME_LINES]


@dataclass(frozen=True)
class Shares:
    total: Decimal
    lines: list[Item]


def income(src: Source) -> Shares:
    total = src.amount("表1", "本年收入合计", "金额")
    return Shares(total, shares(src, total, [(f"本年{n}", ("表1", n, "金额")) for n in INCOME_CHART_ROWS]))


def spending(src: Source) -> Shares:
    total = src.amount("表3", "合计", "本年支出合计")
    return Shares(total, shares(src, total, [(f"本年{k}", ("表3", "合计", k)) for k in SPENDING_KINDS]))


# ── 四 财政拨款收支总体 ─────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class FiscalTotal:
    total: Decimal
    vs_budget: Change
    vs_prior: Change


def fiscal_total(src: Source) -> FiscalTotal:
    total = src.amount("表4", "收入总计", "金额")
    return FiscalTotal(total, Change(total, src.amount("预算总数", "财政拨款收支总计")),
                       Change(total, src.prior("财政拨款收支总计")))


# ── 五 一般公共预算财政拨款支出 (against 年初预算) ──────────────────────────────────────────────
@dataclass(frozen=True)
class BudgetLine:
    code: str
    name: str
    completion: Completion
    reason: Key  # the 差异原因 cell of the 年初预算 sheet


@dataclass(frozen=True)
class BudgetClass:
    code: str
    name: str
    completion: Completion
    lines: list[BudgetLine]


@dataclass(frozen=True)
class GeneralBudget:
    completion: Completion
    classes: list[BudgetClass]

    @property
    def total(self) -> Decimal:
        return self.completion.actual


def general_budget(src: Source) -> GeneralBudget:
    book = src.book
    t5, plan = book.format.table("表5"), book.format.table("年初预算")
    items = sorted(set(book.codes.get("表5", [])) | set(book.codes.get("年初预算", [])))

    def done(code: str) -> Completion:
        return Completion(src.amount("表5", code, "小计"), src.amount("年初预算", code, "年初预算数"))

    classes = []
    for cls in sorted({c[:3] for c in items}):
        lines = [BudgetLine(c, f"{code_name(book, t5, c[:5])}（款）{code_name(book, t5, c)}（项）", done(c),
                            ("年初预算", c, "差异原因")) for c in items if c.startswith(cls)]
        classes.append(BudgetClass(cls, code_name(book, t5, cls) or code_name(book, plan, cls), done(cls), lines))
    total = Completion(src.amount("表5", "合计", "小计"), src.amount("年初预算", "合计", "年初预算数"))
    return GeneralBudget(total, classes)


# ── 六 基本支出, 七 项目支出 (经济分类 "主要包括" lists) ──────────────────────────────────────
def _econ_group(src: Source, table: str, classes: list[str], name: str, total: Decimal) -> Group:
    lines = _econ_lines(src.book.format.table(table), tuple(classes))
    items = [Item(label, a, None, key) for label, key in lines for a in [src.amount(*key)] if not is_zero(a)]
    return Group(name, total, items)


def _econ_lines(fmt_table: Table, classes: tuple[str, ...]) -> list[tuple[str, Key]]:
    """(label, 决算数 cell) of the 款 rows of ``classes`` in ``fmt_table``, in table order; the
    same for every book of the format (kept on the table)."""
    known = fmt_table.__dict__.setdefault("_econ_lines", {})
    lines = known.get(classes)
    if lines is None:
        lines = known[classes] = [(r.label, (fmt_table.key, r.key, "决算数")) for r in fmt_table.fixed_rows()
                                  if r.code and len(r.code) == 5 and r.code[:3] in classes]
    return lines  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Basic:
    personnel: Group
    office: Group

    @property
    def total(self) -> Decimal:
        return self.personnel.amount + self.office.amount


def basic(src: Source) -> Basic:
    return Basic(_econ_group(src, "表6", PERSONNEL, "人员经费", src.amount("表6", "人员经费合计", "决算数")),
                 _econ_group(src, "表6", OFFICE, "公用经费", src.amount("表6", "公用经费合计", "决算数")))


@dataclass(frozen=True)
class Project:
    total: Decimal
    groups: list[Group]


def class_title(name: str) -> str:
    """经济分类 类 name as the narrative says it: 对个人和家庭的补助 → 对个人和家庭的补助支出."""
    return name if "支出" in name else name + "支出"


def project(src: Source) -> Project:
    econ = src.book.format.economic_codes
    groups = []
    for cls in sorted(c for c in econ if len(c) == 3):
        amount = src.amount("表7", cls, "决算数")
        if not is_zero(amount):
            groups.append(_econ_group(src, "表7", [cls], class_title(econ[cls]), amount))
    return Project(src.amount("表7", "合计", "决算数"), groups)


# ── 八 “三公”经费 ───────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Reception:
    amount: Decimal
    batches: int
    persons: int
    content: str
    content_key: Key


@dataclass(frozen=True)
class SanGong:
    total: Completion
    abroad: Completion
    cars: Completion
    car_purchase: Completion
    car_running: Completion
    reception: Completion
    lines: list[Item]  # 因公出国（境）费, 公务用车购置及运行维护费, 公务接待费 with shares of the 决算 total
    abroad_vs_prior: Change
    purchase_vs_prior: Change
    running_vs_prior: Change
    reception_vs_prior: Change
    groups: int
    travellers: int
    cars_bought: int
    cars_held: int
    domestic: Reception
    foreign: Reception


def sangong(src: Source) -> SanGong:
    def done(name: str) -> Completion:
        return Completion(src.amount("表10", "金额", f"决算数{name}"), src.amount("表10", "金额", f"预算数{name}"))

    actual_total = src.amount("表10", "金额", "决算数合计")
    lines = shares(src, actual_total, [(n, ("表10", "金额", f"决算数{c}")) for n, c in (
        ("因公出国（境）费", "因公出国（境）费"), ("公务用车购置及运行维护费", "公务用车购置及运行维护费小计"),
        ("公务接待费", "公务接待费"))])

    def vs_prior(name: str) -> Change:
        return Change(src.amount("表10", "金额", f"决算数{name}"), src.prior(name))

    def reception(where: str) -> Reception:
        return Reception(src.amount("三公统计", f"{where}公务接待费"), src.count("三公统计", f"{where}接待批次"),
                         src.count("三公统计", f"{where}接待人次"), src.text("三公统计", f"{where}接待开支内容"),
                         ("三公统计", f"{where}接待开支内容", "值"))

    return SanGong(
        done("合计"), done("因公出国（境）费"), done("公务用车购置及运行维护费小计"), done("公务用车购置费"),
        done("公务用车运行维护费"), done("公务接待费"), lines,
        vs_prior("因公出国（境）费"), vs_prior("公务用车购置费"), vs_prior("公务用车运行维护费"), vs_prior("公务接待费"),
        src.count("三公统计", "出国（境）团组数"), src.count("三公统计", "出国（境）人次"),
        src.count("三公统计", "公务用车购置数"), src.count("三公统计", "公务用车保有量"),
        reception("国内"), reception("国（境）外"),
    )


# ── 九 政府性基金, 十 国有资本经营 ────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Fund:
    total: Decimal
    vs_prior: Change
    lines: list[Item]  # 项 rows with spending, named 类（类）款（款）项（项）
    empty: bool  # no 收、支、余 at all: the standard sentence replaces the detail


def government_fund(src: Source) -> Fund:
    book = src.book
    t8 = book.format.table("表8")
    total = src.amount("表8", "合计", "本年支出小计")
    lines = []
    for code in book.codes.get("表8", []):
        a = src.amount("表8", code, "本年支出小计")
        if not is_zero(a):
            name = (f"{code_name(book, t8, code[:3])}（类）{code_name(book, t8, code[:5])}（款）"
                    f"{code_name(book, t8, code)}（项）")
            lines.append(Item(name, a, None, ("表8", code, "本年支出小计")))
    empty = all(is_zero(src.amount("表8", "合计", c.key)) for c in t8.columns())
    return Fund(total, Change(total, src.prior("政府性基金预算财政拨款支出")), lines, empty)


def state_capital(src: Source) -> Fund:
    total = src.amount("表9", "合计", "合计")
    other = [src.amount("表4", "国有资本经营预算财政拨款", "金额"),
             src.amount("表4", "年初国有资本经营预算财政拨款", "金额"),
             src.amount("表4", "年末财政拨款结转和结余", "国有资本经营预算财政拨款")]
    empty = is_zero(total) and all(is_zero(a) for a in other)
    return Fund(total, Change(total, src.prior("国有资本经营预算财政拨款支出")), [], empty)


# ── 十一 机构运行经费, 十二 政府采购, 十三 国有资产 ─────────────────────────────────────────────
@dataclass(frozen=True)
class Operating:
    total: Decimal
    vs_prior: Change


def operating(src: Source) -> Operating:
    total = src.amount("表11", "机构运行经费支出", "数值")
    return Operating(total, Change(total, src.prior("机构运行经费")))


@dataclass(frozen=True)
class TypeShare:
    kind: str  # 货物 / 工程 / 服务
    amount: Decimal
    sme: Decimal
    share: Decimal | None  # 中小企业 share within this kind


@dataclass(frozen=True)
class Procurement:
    total: Decimal
    kinds: list[TypeShare]
    sme: Decimal
    small: Decimal
    sme_share: Decimal | None
    small_share: Decimal | None


def procurement(src: Source) -> Procurement:
    v = lambda row: src.amount("表11", row, "数值")  # noqa: E731
    total = v("政府采购支出总额")
    kinds = [TypeShare(t, v(f"政府采购{t}支出"), v(f"{t}授予中小企业合同金额"),
                       ratio(v(f"{t}授予中小企业合同金额"), v(f"政府采购{t}支出"))) for t in PURCHASE_TYPES]
    sme, small = v("授予中小企业合同金额"), v("授予小微企业合同金额")
    return Procurement(total, kinds, sme, small, ratio(sme, total), ratio(small, total))


@dataclass(frozen=True)
class Assets:
    vehicles: int
    kinds: list[tuple[str, int]]
    equipment: int


def assets(src: Source) -> Assets:
    total = src.amount("表11", "车辆数合计", "数值")
    return Assets(int(total), [(v, src.count("表11", v, "数值")) for v in VEHICLES],
                  src.count("表11", "单价100万元以上设备", "数值"))


# ── 十四 预算绩效 ──────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class SelfAssessed:
    """One project of the 绩效自评 sheet, with 执行率 and 总分 as recomputed by the derivations;
    ``submitted`` the 自评得分 as filed in the 绩效 system (``None``: not typed), which the text
    states when given (check N-SCORE compares the two)."""

    row: str
    name: str
    budget: Decimal
    executed: Decimal
    rate: Decimal
    score: Decimal
    achieved: str
    problems: str
    measures: str
    submitted: Decimal | None = None

    @property
    def stated(self) -> Decimal:
        """The score the text prints: as submitted, else as computed."""
        return self.score if self.submitted is None else self.submitted


@dataclass(frozen=True)
class Coverage:
    level1: int
    level2: int
    funds: Decimal
    base: Decimal  # 表5 合计 项目支出; for 政府性基金 the typed 应纳入自评的政府性基金项目支出, else 表8 合计 项目支出
    share: Decimal | None


@dataclass(frozen=True)
class Performance:
    general: Coverage
    fund: Coverage
    evaluated: list[str]
    evaluated_general: Decimal
    evaluated_fund: Decimal
    third_party: str
    overall: str
    result: str
    projects: list[SelfAssessed] = field(default_factory=list)


NAME_SPLIT = re.compile(r"[、，,；;\s]+")


NO_NAMES = {"无", "没有", "无此项", "本年无", "暂无"}  # typed where there is no project to name


def split_names(text: str) -> list[str]:
    """“公务接待费”、“维护费” → [公务接待费, 维护费]."""
    names = [n.strip("“”\"'「」") for n in NAME_SPLIT.split(text) if n.strip("“”\"'「」")]
    return [n for n in names if n not in NO_NAMES]


def _typed(value: object) -> Decimal | None:
    return Decimal(value) if isinstance(value, (int, Decimal)) and not isinstance(value, bool) else None


def performance(src: Source) -> Performance:
    g = lambda row: src.amount("绩效管理", row)  # noqa: E731
    n = lambda row: src.count("绩效管理", row)  # noqa: E731

    def coverage(prefix: str, funds_row: str, base: Decimal) -> Coverage:
        funds = g(funds_row)
        return Coverage(n(f"{prefix}一级项目数"), n(f"{prefix}二级项目数"), funds, base, ratio(funds, base))

    typed_base = src.book.get(("绩效管理", "应纳入自评的政府性基金项目支出", "值"))
    fund_base = g("应纳入自评的政府性基金项目支出") if typed_base is not None else src.amount("表8", "合计", "项目支出")
    projects = []
    for row in src.book.rows(src.book.format.table("绩效自评")):
        a = lambda col: src.amount("绩效自评", row, col)  # noqa: E731
        t = lambda col: src.text("绩效自评", row, col)  # noqa: E731
        projects.append(SelfAssessed(row, t("项目名称"), a("年度资金总额全年预算数"), a("年度资金总额全年执行数"),
                                     a("执行率"), a("总分"), t("目标完成情况"), t("主要问题"), t("改进措施"),
                                     _typed(src.book.get(("绩效自评", row, "自评得分")))))
    return Performance(
        coverage("一般公共预算", "一般公共预算自评资金", src.amount("表5", "合计", "项目支出")),
        coverage("政府性基金", "政府性基金自评资金", fund_base),
        split_names(src.text("绩效管理", "部门评价项目")), g("部门评价一般公共预算资金"), g("部门评价政府性基金资金"),
        src.text("绩效管理", "第三方评价情况"), src.text("绩效管理", "评价总体情况"), src.text("绩效管理", "部门评价结果"),
        projects,
    )


# ── all of it ─────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Metrics:
    """Every figure of 第二部分, by section (一 … 十四)."""

    overview: Overview
    income: Shares
    spending: Shares
    fiscal: FiscalTotal
    general: GeneralBudget
    basic: Basic
    project: Project
    sangong: SanGong
    fund: Fund
    capital: Fund
    operating: Operating
    procurement: Procurement
    assets: Assets
    performance: Performance


def metrics(book: Book) -> Metrics:
    src = Source(book)
    return Metrics(overview(src), income(src), spending(src), fiscal_total(src), general_budget(src), basic(src),
                   project(src), sangong(src), government_fund(src), state_capital(src), operating(src),
                   procurement(src), assets(src), performance(src))
