"""Shared helpers of the narrate tests (no tests here): books, workbooks, and the set of
strings a printed number may be, built from the book's cells independently of the narrator."""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import product
from pathlib import Path

from juesuan.data_file import book_from_data, read_data
from juesuan.derive import compute, derivations
from juesuan.layout import book_layout
from juesuan.model import Book
from juesuan.xlsx_write import new_workbook

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small.json"
REFERENCE = ROOT / "src" / "juesuan" / "reference" / "nmg-2023-reference.json"
NATIONAL = ROOT / "src" / "juesuan" / "reference" / "national-2023-reference.json"


def small() -> Book:
    return read_data(SMALL)


def reference() -> Book:
    return read_data(REFERENCE)


def book_with(data: dict) -> Book:
    """A book from a data dict (``format`` added)."""
    return book_from_data({"format": "nmg-2023", **data})


def workbook_file(book: Book, path: Path) -> Path:
    """``book`` written as a fresh workbook (the template's layout, formulas in derived cells)."""
    wb = new_workbook(book, derivations(book), book_layout(book))
    wb.save(path)
    return path


# ── every number in the text must be one of these ─────────────────────────────────────────
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")
PLACEHOLDER = re.compile(r"【请填写[^】]*】")
CENT = Decimal("0.01")


def two(value: Decimal) -> str:
    """Half-up two decimals with separators — written here, not imported, so the test does not
    trust the formatter it checks."""
    from decimal import ROUND_HALF_UP

    return f"{abs(value).quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def short(value: Decimal) -> str:
    """A score as score sheets print it: two decimals at most, trailing zeros dropped."""
    text = two(value).replace(",", "")
    return text.rstrip("0").rstrip(".") if "." in text else text


def allowed_numbers(book: Book) -> tuple[set[str], set[str], set[str]]:
    """(amount strings, percentage strings, count strings) a correct text may print.

    Amounts: every cell (inputs and recomputed derived cells) and every difference of two cells.
    Percentages: every ratio and every rate of change between two cells.  Counts: every whole
    number cell, plus the record counts of the book.  Built by brute force over all pairs, so a
    figure the narrator invents (or computes from the wrong cells) has no way in.
    """
    values = dict(compute(book))
    for key, v in book.values.items():
        if key not in values and isinstance(v, (Decimal, int)) and not isinstance(v, bool):
            values[key] = Decimal(v)
    numbers = sorted({v for v in values.values() if isinstance(v, Decimal)})
    amounts = {two(v) for v in numbers} | {short(v) for v in numbers}
    percents = set()
    nonzero = [v for v in numbers if v != 0]
    for a, b in product(numbers, numbers):
        amounts.add(two(a - b))
    for a, b in product(numbers, nonzero):
        percents.add(two(a / b * 100))
        percents.add(two((a - b) / b * 100))
    counts = {f"{int(v):,}" for v in numbers if v == v.to_integral_value()}
    counts |= {str(n) for n in book.records.values()}
    return amounts, percents, counts


# ── every percentage tied to the two cells it divides (nmg-2023) ───────────────────────────
def stated_ratios(book: Book) -> list[tuple[str, str, Decimal]]:
    """(section, label, value in percent) of every percentage the nmg-2023 text may print, each
    computed here from the two cells it states — a share from its part and its own base, a
    rate of change from the figure and its 上年决算 or 年初预算, a completion rate from 决算 and
    预算.  Declared from the tables, not from the narrator's metrics."""
    from juesuan.formats.nmg_2023 import INCOME_LINES, PURCHASE_TYPES, SPENDING_KINDS
    from juesuan.model import code_name

    values = dict(compute(book))

    def v(table: str, row: str, col: str = "值") -> Decimal:
        x = values.get((table, row, col), book.values.get((table, row, col)))
        return Decimal(x) if isinstance(x, (Decimal, int)) and not isinstance(x, bool) else Decimal(0)

    out: list[tuple[str, str, Decimal]] = []

    def share(section: str, label: str, part: Decimal, base: Decimal) -> None:
        if base:
            out.append((section, label, part / base * 100))

    def change(section: str, label: str, now: Decimal, then: Decimal) -> None:
        if then:
            out.append((section, label, (now - then) / then * 100))

    t1 = lambda row: v("表1", row, "金额")  # noqa: E731
    for sec, total, budget, prior in (("一", t1("收入总计"), v("预算总数", "收支总计"), v("上年决算", "收支总计")),
                                      ("四", v("表4", "收入总计", "金额"), v("预算总数", "财政拨款收支总计"),
                                       v("上年决算", "财政拨款收支总计"))):
        change(sec, "收、支总计", total, budget)
        change(sec, "收、支总计", total, prior)
    for row in ("本年收入合计", "使用非财政拨款结余", "年初结转和结余", "本年支出合计", "结余分配", "年末结转和结余"):
        change("一", row, t1(row), v("上年决算", row))
    for name, _ in INCOME_LINES:
        share("二", f"本年{name}", t1(name), t1("本年收入合计"))
    for kind in SPENDING_KINDS:
        share("三", f"本年{kind}", v("表3", "合计", kind), v("表3", "合计", "本年支出合计"))
    share("五", "一般公共预算财政拨款支出", v("表5", "合计", "小计"), v("年初预算", "合计", "年初预算数"))
    t5 = book.format.table("表5")
    for code in set(book.codes.get("表5", [])) | set(book.codes.get("年初预算", [])):
        share("五", code_name(book, t5, code), v("表5", code, "小计"), v("年初预算", code, "年初预算数"))
    s = lambda kind, item: v("表10", "金额", f"{kind}{item}")  # noqa: E731
    for label, item in (("“三公”经费", "合计"), ("因公出国（境）费", "因公出国（境）费"),
                        ("公务用车购置及运行维护费", "公务用车购置及运行维护费小计"), ("公务接待费", "公务接待费")):
        share("八", label, s("决算数", item), s("预算数", item))  # completion rate
        if item != "合计":
            share("八", label, s("决算数", item), s("决算数", "合计"))  # share of the 三公 total
    for label, item in (("因公出国（境）费", "因公出国（境）费"), ("公务用车购置", "公务用车购置费"),
                        ("公务用车运行维护费", "公务用车运行维护费"), ("公务接待费", "公务接待费")):
        change("八", label, s("决算数", item), v("上年决算", item))
    change("九", "政府性基金", v("表8", "合计", "本年支出小计"), v("上年决算", "政府性基金预算财政拨款支出"))
    change("十", "国有资本经营", v("表9", "合计", "合计"), v("上年决算", "国有资本经营预算财政拨款支出"))
    change("十一", "机构运行经费", v("表11", "机构运行经费支出", "数值"), v("上年决算", "机构运行经费"))
    t11 = lambda row: v("表11", row, "数值")  # noqa: E731
    share("十二", "授予中小企业合同金额", t11("授予中小企业合同金额"), t11("政府采购支出总额"))
    share("十二", "授予小微企业合同金额", t11("授予小微企业合同金额"), t11("政府采购支出总额"))
    for kind in PURCHASE_TYPES:
        share("十二", f"{kind}采购授予中小企业", t11(f"{kind}授予中小企业合同金额"), t11(f"政府采购{kind}支出"))
    share("十四", "一般公共预算项目支出", v("绩效管理", "一般公共预算自评资金"), v("表5", "合计", "项目支出"))
    typed = book.values.get(("绩效管理", "应纳入自评的政府性基金项目支出", "值"))
    fund_base = v("绩效管理", "应纳入自评的政府性基金项目支出") if typed is not None else v("表8", "合计", "项目支出")
    share("十四", "政府性基金预算项目", v("绩效管理", "政府性基金自评资金"), fund_base)
    for row in book.rows(book.format.table("绩效自评")):
        share("十四", book.text(("绩效自评", row, "项目名称")), v("绩效自评", row, "年度资金总额全年执行数"),
              v("绩效自评", row, "年度资金总额全年预算数"))
    return out


def in_order(label: str, text: str) -> bool:
    """Whether the characters of ``label`` occur in ``text`` in order ("本年收入合计" in
    "本年收入决算合计"): the words that name the figure precede it."""
    it = iter(text)
    return all(ch in it for ch in label if not ch.isspace())
