"""Every figure the national-2023 narrative (第三部分 情况说明) states, computed once from the book.

One function per section, named as the section's metric; templates never do arithmetic.  Ratios
keep the held (unrounded) amounts; only the number formatter rounds.  Example (the reference case,
五（三））::

    general(src).completion.rate   → Decimal('102.268…')   printed "102.27%"
    general(src).lines[0].name     → "社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）"
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from juesuan.formats.national_2023 import (CATEGORIES, FUNDS, INCOME_LINES, OFFICE, PERSONNEL, PURCHASE_TYPES,
                                           SPENDING_KINDS, VEHICLES)
from juesuan.model import Book, code_name
from juesuan.narrate.figures import Change, Completion, Item, Source
from juesuan.narrate.numbers import ratio

ZERO = Decimal(0)


def prior(src: Source, row: str) -> Decimal:
    """A figure of last year (the 上年决算 sheet)."""
    return src.amount("上年决算", row)


def _shares(src: Source, total: Decimal, lines: list[tuple[str, tuple[str, str, str]]]) -> list[Item]:
    return [Item(name, a, ratio(a, total), key) for name, key in lines for a in [src.amount(*key)]]


# ── 一 收入支出决算总体, 四 财政拨款收入支出决算总体 ─────────────────────────────────────────
@dataclass(frozen=True)
class Total:
    total: Decimal
    vs_prior: Change


def overview(src: Source) -> Total:
    total = src.amount("表1", "收入总计", "金额")
    return Total(total, Change(total, prior(src, "收入支出总计")))


def fiscal(src: Source) -> Total:
    total = src.amount("表4", "收入总计", "金额")
    return Total(total, Change(total, prior(src, "财政拨款收入支出总计")))


# ── 二 收入, 三 支出 ───────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Shares:
    total: Decimal
    lines: list[Item]  # every line; templates print the non-zero ones


def income(src: Source) -> Shares:
    total = src.amount("表2", "合计", "本年收入合计")
    names = ["财政拨款收入"] + [n for n, _ in INCOME_LINES[3:]]
    return Shares(total, _shares(src, total, [(n, ("表2", "合计", n)) for n in names]))


def spending(src: Source) -> Shares:
    total = src.amount("表3", "合计", "本年支出合计")
    return Shares(total, _shares(src, total, [(k, ("表3", "合计", k)) for k in SPENDING_KINDS]))


# ── 五 一般公共预算财政拨款支出 ────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class BudgetLine:
    code: str
    name: str  # 类（类）款（款）项（项）
    use: str  # 主要用于 (typed on 年初预算)
    completion: Completion
    reason: tuple[str, str, str]  # the 差异原因 cell


@dataclass(frozen=True)
class General:
    total: Decimal
    share_of_spending: Decimal | None
    vs_prior: Change
    categories: list[Item]
    completion: Completion
    lines: list[BudgetLine]


def general(src: Source) -> General:
    book = src.book
    table = book.format.table("表5")
    total = src.amount("表5", "合计", "合计")
    categories = by_category(src, "表5", "合计")
    codes = sorted(set(book.codes.get("表5", [])) | set(book.codes.get("年初预算", [])))
    lines = []
    for code in codes:
        name = "".join(f"{code_name(book, table, c)}（{level}）"
                       for c, level in ((code[:3], "类"), (code[:5], "款"), (code, "项")))
        lines.append(BudgetLine(code, name, src.text("年初预算", code, "主要用途"),
                                Completion(src.amount("表5", code, "合计"), src.amount("年初预算", code, "年初预算数")),
                                ("年初预算", code, "差异原因")))
    return General(total, ratio(total, src.amount("表3", "合计", "本年支出合计")),
                   Change(total, prior(src, "一般公共预算财政拨款支出")), categories,
                   Completion(total, src.amount("年初预算", "合计", "年初预算数")), lines)


# ── 六 基本支出 ─────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Basic:
    total: Decimal
    personnel: Decimal
    office: Decimal
    personnel_items: list[str]  # names of the non-zero 款 (主要包括)
    office_items: list[str]


def basic(src: Source) -> Basic:
    rows = src.book.format.table("表6").fixed_rows()

    def names(classes: list[str]) -> list[str]:
        return [r.label for r in rows if r.code and len(r.code) == 5 and r.code[:3] in classes
                and src.amount("表6", r.key, "决算数") != 0]

    return Basic(src.amount("表5", "合计", "基本支出"), src.amount("表6", "人员经费合计", "决算数"),
                 src.amount("表6", "公用经费合计", "决算数"), names(PERSONNEL), names(OFFICE))


# ── 七 “三公”经费 ───────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class SangongLine:
    name: str
    completion: Completion
    vs_prior: Change
    share: Decimal | None


@dataclass(frozen=True)
class Sangong:
    total: SangongLine
    lines: list[SangongLine]  # 因公出国（境）费, 公务用车购置及运行维护费, 公务接待费
    car_purchase: Decimal
    car_running: Decimal
    groups: int
    travellers: int
    cars_held: int
    running_use: str
    domestic_batches: int
    domestic_persons: int
    foreign_amount: Decimal
    foreign_batches: int
    foreign_persons: int


def sangong(src: Source) -> Sangong:
    v = lambda name, group="决算数": src.amount("表7", "金额", f"{group}{name}")  # noqa: E731
    total = v("合计")

    def line(name: str, column: str, last: str) -> SangongLine:
        return SangongLine(name, Completion(v(column), v(column, "预算数")), Change(v(column), prior(src, last)),
                           ratio(v(column), total))

    lines = [line("因公出国（境）费", "因公出国（境）费", "因公出国（境）费"),
             line("公务用车购置及运行维护费", "公务用车购置及运行维护费小计", "公务用车购置及运行维护费"),
             line("公务接待费", "公务接待费", "公务接待费")]
    stat = lambda row: src.count("三公统计", row)  # noqa: E731
    return Sangong(line("“三公”经费", "合计", "三公经费合计"), lines, v("公务用车购置费"), v("公务用车运行维护费"),
                   stat("出国（境）团组数"), stat("出国（境）人次"), stat("公务用车保有量"),
                   src.text("三公统计", "公务用车运行维护费用途"), stat("国内公务接待批次"), stat("国内公务接待人次"),
                   src.amount("三公统计", "外宾接待费"), stat("外宾接待批次"), stat("外宾接待人次"))


# ── 八 政府性基金, 九 国有资本经营 ────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Fund:
    income: Decimal
    spending: Decimal
    start: Decimal
    end: Decimal
    vs_prior: Change
    categories: list[Item]


def by_category(src: Source, table: str, column: str) -> list[Item]:
    """The 类 rows of a code table's ``column`` ("节能环保支出（类）"), with their shares of its 合计."""
    book = src.book
    t = book.format.table(table)
    return _shares(src, src.amount(table, "合计", column),
                   [(f"{code_name(book, t, c)}（类）", (table, c, column)) for c in book.rows(t) if len(c) == 3])


def fund(src: Source) -> Fund:
    t8 = lambda col: src.amount("表8", "合计", col)  # noqa: E731
    spent = t8("本年支出小计")
    return Fund(t8("本年收入"), spent, t8("年初结转和结余"), t8("年末结转和结余"),
                Change(spent, prior(src, "政府性基金预算财政拨款支出")), by_category(src, "表8", "本年支出小计"))


def capital(src: Source) -> Fund:
    spent = src.amount("表9", "合计", "合计")
    return Fund(src.amount("表4", FUNDS[2], "金额"), spent, src.amount("表4", f"年初{FUNDS[2]}", "金额"),
                src.amount("表4", "年末财政拨款结转和结余", FUNDS[2]),
                Change(spent, prior(src, "国有资本经营预算财政拨款支出")), by_category(src, "表9", "合计"))


# ── 十 预算绩效管理 ─────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Performance:
    counts: dict[str, int]
    amounts: dict[str, Decimal]
    score: Decimal
    system: str
    mechanism: str


def performance(src: Source) -> Performance:
    rows = [r for r in src.book.format.table("绩效管理").fixed_rows()]
    counts = {r.key: src.count("绩效管理", r.key) for r in rows if r.kind == "count"}
    amounts = {r.key: src.amount("绩效管理", r.key) for r in rows if r.kind == "amount"}
    return Performance(counts, amounts, src.amount("绩效管理", "自评平均得分"), src.text("绩效管理", "制度建设"),
                       src.text("绩效管理", "工作机制"))


# ── 十一 其他重要事项 ───────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Other:
    operating: Decimal
    operating_vs_prior: Change
    purchase_total: Decimal
    purchases: list[Item]
    sme_reserved: Decimal
    small_reserved: Decimal
    sme_awarded: Decimal
    small_awarded: Decimal
    sme_other: Decimal
    vehicles: int
    vehicle_lines: list[tuple[str, int]]
    equipment: int


def other(src: Source) -> Other:
    a = lambda row: src.amount("其他事项", row)  # noqa: E731
    purchases = [Item(t, a(f"政府采购{t}采购金额")) for t in PURCHASE_TYPES]
    vehicle_lines = [(v, src.count("其他事项", v)) for v in VEHICLES]
    operating = a("机关运行经费支出")
    return Other(operating, Change(operating, prior(src, "机关运行经费")), sum((p.amount for p in purchases), ZERO),
                 purchases, a("面向中小企业预留项目预算金额"), a("面向小微企业预留项目预算金额"),
                 a("中小企业预留项目中小企业成交金额"), a("小微企业预留项目小微企业成交金额"),
                 a("其他项目中小企业成交金额"), sum(n for _, n in vehicle_lines), vehicle_lines,
                 src.count("其他事项", "单价100万元以上设备"))


@dataclass(frozen=True)
class Figures:
    overview: Total
    income: Shares
    spending: Shares
    fiscal: Total
    general: General
    basic: Basic
    sangong: Sangong
    fund: Fund
    capital: Fund
    performance: Performance
    other: Other


def metrics(book: Book) -> Figures:
    src = Source(book)
    return Figures(overview(src), income(src), spending(src), fiscal(src), general(src), basic(src), sangong(src),
                   fund(src), capital(src), performance(src), other(src))


__all__ = ["metrics", "Figures", "CATEGORIES"]
