"""Fixtures for the check tests: a clean department, and three ways to make a workbook of it.

- :func:`recalculated` — the department after a change of inputs, filled and recalculated
  (what a user sees after typing in Excel): ``check_book(book)`` on the model.
- :func:`typed` — the same as a hand-typed workbook (no formulas), with some figures typed
  differently: ``check_book`` on stored values with ``formulas={}``.
- :class:`Sheets` — the clean workbook file as grids (values as shown, formulas), edited cell by
  cell and checked through the same path as a file (``check_grids``).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from juesuan import derive
from juesuan.book_io import new_book
from juesuan.check import check_book, check_grids
from juesuan.check.read import load_grids, read_lenient
from juesuan.data_file import read_data
from juesuan.expr import Key
from juesuan.findings import Finding, Severity
from juesuan.formats import load_format
from juesuan.model import Book

HERE = Path(__file__).parent
CLEAN = HERE / "data" / "check" / "clean.json"
REFERENCE = HERE.parent / "src" / "juesuan" / "reference" / "nmg-2023-reference.json"


def clean_book() -> Book:
    return read_data(CLEAN)


def ids(findings: list[Finding], *severities: Severity) -> set[str]:
    """Rule ids among the findings of the given severities (default: errors and warnings)."""
    wanted = severities or (Severity.ERROR, Severity.WARNING)
    return {f.rule for f in findings if f.severity in wanted and f.acknowledged is None}


def recalculated(mutate: Callable[[Book], None]) -> list[Finding]:
    book = clean_book()
    mutate(book)
    return check_book(book)


def with_last_year() -> tuple[Book, Book]:
    """(this year, last year): the clean department and a last year it continues exactly.

    Last year is the clean department with its year-end balances set to this year's year-start
    ones (its 年初 moved by the same amount, so it still balances); this year's 上年决算 are
    last year's figures.
    """
    from juesuan.carry import carry_pairs, last_values
    from juesuan.roles import roles_for

    this, prior = clean_book(), clean_book()
    roles = roles_for(this.format)
    prior.values[roles.year] = "2022"
    now = last_values(this)
    begin, end = roles.carry[0]  # 表1: 年初 ← 年末
    for key, old in carry_pairs(roles, this):
        delta = Decimal(now.get(key) or 0) - Decimal(prior.values.get(old) or 0)
        prior.values[old] = Decimal(now.get(key) or 0)
        if old == end:
            prior.values[begin] = prior.amount(begin) + delta
    last = last_values(prior)
    for key, old in roles.prior:
        this.values[key] = Decimal(last[old] or 0)
    return this, prior


def against_last_year(mutate: Callable[[Book], None]) -> list[Finding]:
    """This year changed by ``mutate``, checked with last year's book."""
    this, prior = with_last_year()
    mutate(this)
    return check_book(this, prior=prior)


def stored_of(book: Book) -> dict[Key, Any]:
    stored: dict[Key, Any] = {k: v for k, v in book.values.items()}
    stored.update(derive.compute(book))
    return stored


def typed(edits: dict[Key, Decimal | int]) -> list[Finding]:
    """The clean department hand-typed, with ``edits`` added to the typed figures."""
    book = clean_book()
    stored = stored_of(book)
    for key, delta in edits.items():
        stored[key] = Decimal(stored.get(key) or 0) + Decimal(delta)
    return check_book(book, None, stored, {})


@lru_cache(maxsize=None)
def clean_file(directory: str) -> Path:
    path = Path(directory) / "clean.xlsx"
    if not path.exists():
        new_book(clean_book(), path)
    return path


class Sheets:
    """The grids of a workbook file, editable by cell key, checked as the file would be."""

    def __init__(self, path: Path) -> None:
        self.values, self.formulas = load_grids(path)
        self.fmt = load_format()
        self.book, self.found, _ = read_lenient(self.fmt, self.values)

    def copy(self) -> "Sheets":
        return copy.deepcopy(self)

    def where(self, key: Key) -> tuple[str, int, int]:
        a = self.found.address(key)
        assert a is not None, key
        return a.sheet, a.row, a.col

    def put(self, sheet: str, r: int, c: int, value: Any, formula: str | None = None) -> None:
        for grid, v in ((self.values[sheet], value), (self.formulas[sheet], formula if formula else value)):
            row = grid[r - 1]
            if not isinstance(row, list):
                row = grid[r - 1] = list(row)
            row.extend([None] * (c - len(row)))
            row[c - 1] = v

    def set(self, key: Key, value: Any, formula: str | None = None) -> None:
        """Type ``value`` into the cell (a formula it held is gone unless ``formula`` is given)."""
        self.put(*self.where(key), value, formula)

    def set_cached(self, key: Key, value: Any) -> None:
        """Change the value shown by a formula cell, keeping its formula (a stale cache)."""
        sheet, r, c = self.where(key)
        self.values[sheet][r - 1][c - 1] = value

    def set_formula(self, key: Key, formula: str) -> None:
        sheet, r, c = self.where(key)
        grid = self.formulas[sheet]
        if not isinstance(grid[r - 1], list):
            grid[r - 1] = list(grid[r - 1])
        grid[r - 1][c - 1] = formula

    def found_derived(self) -> list[Key]:
        """The derived cells that are on the sheets."""
        return [k for k in derive.derivations(self.book) if self.found.address(k) is not None]

    def code_row(self, table: str, code: str) -> int:
        return self.found.tables[table].rows[code]

    def note_row(self, table: str) -> int:
        row = self.found.tables[table].footnote_row
        assert row is not None
        return row

    def sheet(self, table: str) -> str:
        return self.fmt.table(table).sheet

    def check(self) -> list[Finding]:
        return check_grids(self.fmt, self.values, self.formulas)
