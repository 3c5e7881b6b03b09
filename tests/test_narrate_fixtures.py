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
