"""One way to open a book: a workbook or a data file read once, its format recognised, the
problems met while reading kept as values, derived values computed once.

Every command starts here instead of its own read sequence::

    s = Session.workbook("部门.xlsx")           # openpyxl, for commands that write it back
    s = Session.for_reading("部门.xlsx")        # the same grids, read without openpyxl (dump, export)
    s = Session.for_check("部门.xlsx")          # values as shown + formula text, read leniently
    s = Session.data_file("部门.json")
    s.pack, s.book, s.found, s.problems         # the format, the inputs, where they are, what was unusable
    s.exprs, s.values                           # every derivation and its value (computed once)

A session read leniently (``for_check``, or ``lenient=True``) never raises on a cell-level
problem: an unusable cell is read as empty and listed in ``problems``; a problem of the sheet's
structure (a missing sheet or header) is an InputError naming the file.  Derived values are
remembered on the book (:mod:`juesuan.derive`), so fill, check, narrate and export share them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

from juesuan.errors import InputError
from juesuan.expr import Expr, Key
from juesuan.formats import detect_pack, get_pack
from juesuan.formats.pack import FormatPack
from juesuan.locate import FoundBook, Grid, read_book
from juesuan.model import Book


@dataclass
class Session:
    pack: FormatPack
    book: Book
    found: FoundBook | None = None  # where the tables are (a workbook)
    path: Path | None = None
    wb: Any = None  # the openpyxl workbook, when opened for writing back
    grids: Mapping[str, Grid] | None = None  # every sheet as rows of values (as stored or shown)
    formulas: Mapping[str, Grid] | None = None  # every sheet as rows with formula text (for_check)
    problems: list[InputError] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # load, read

    # ── opening ──────────────────────────────────────────────────────────────────────────
    @classmethod
    def workbook(cls, path: str | Path, format_id: str | None = None, lenient: bool = False) -> "Session":
        """A workbook loaded once with openpyxl (formulas as text), its inputs read."""
        from juesuan.workbook_file import grids, load

        p = Path(path)
        pack = detect_pack(p, format_id)
        t0 = time.perf_counter()
        wb = load(p)
        t1 = time.perf_counter()
        s = cls._read(pack, grids(wb), p, wb=wb, lenient=lenient)
        s.seconds.update(load=t1 - t0, read=time.perf_counter() - t1)
        return s

    @classmethod
    def for_reading(cls, path: str | Path, format_id: str | None = None) -> "Session":
        """A workbook read as :meth:`workbook` reads it (formulas as text, strictly) for commands
        that only read it: the same grids, from one pass over the file without openpyxl; no ``wb``."""
        p = Path(path)
        pack = detect_pack(p, format_id)
        t0 = time.perf_counter()
        sheets = stored_grids(p)
        t1 = time.perf_counter()
        s = cls._read(pack, sheets, p)
        s.seconds.update(load=t1 - t0, read=time.perf_counter() - t1)
        return s

    @classmethod
    def for_check(cls, path: str | Path, format_id: str | None = None) -> "Session":
        """A workbook as the checker needs it: values as shown and formula text, read leniently."""
        from juesuan.check.read import load_grids

        p = Path(path)
        try:
            values, formulas = load_grids(p)
        except InputError as exc:
            raise exc.at(file=str(p)) from None
        s = cls._read(detect_pack(p, format_id), values, p, lenient=True)
        s.formulas = formulas
        return s

    @classmethod
    def from_grids(cls, pack: FormatPack, sheets: Mapping[str, Grid], lenient: bool = False) -> "Session":
        """Sheets already in memory (the ribbon reads them through xlwings)."""
        return cls._read(pack, sheets, None, lenient=lenient)

    @classmethod
    def data_file(cls, path: str | Path) -> "Session":
        from juesuan.data_file import read_data

        book = read_data(path)
        return cls(get_pack(book.format.id), book, path=Path(path))

    @classmethod
    def _read(cls, pack: FormatPack, sheets: Mapping[str, Grid], path: Path | None, wb: Any = None,
              lenient: bool = False) -> "Session":
        problems: list[InputError] = []
        try:
            book, found = read_book(pack.format, sheets, problems if lenient else None)
        except InputError as exc:
            raise (exc.at(file=str(path)) if path else exc) from None
        return cls(pack, book, found, path, wb, sheets, None, problems)

    # ── derived values, once ─────────────────────────────────────────────────────────────
    @property
    def exprs(self) -> dict[Key, Expr]:
        from juesuan.derive import derivations

        return derivations(self.book)

    @property
    def values(self) -> dict[Key, Decimal]:
        from juesuan.derive import compute

        return compute(self.book)

    # ── the engines ──────────────────────────────────────────────────────────────────────
    def check(self, prior: Book | None = None) -> list[Any]:
        """Every check rule of the pack on the book as read (a workbook read ``for_check``);
        ``prior``: last year's book (the rules across the two years)."""
        from juesuan.check import check_book, check_read
        from juesuan.check.read import problem_findings

        if self.grids is None or self.found is None:
            return check_book(self.book, self.found, prior=prior)
        read = problem_findings(self.pack.format, self.grids, self.problems)
        return check_read(self.book, self.found, read, self.grids, self.formulas, prior)

    def narrative(self) -> Any:
        from juesuan.narrate import narrative

        return narrative(self.book)


def stored_grids(path: Path) -> dict[str, Grid]:
    """Every sheet as :func:`juesuan.workbook_file.grids` gives it from the workbook loaded with
    openpyxl, read by :func:`juesuan.xlsx_read.read_stored`; what that refuses (dates, odd XML…)
    is loaded with openpyxl (which is also the oracle of the tests)."""
    from juesuan import xlsx_read
    from juesuan.locate import MAX_COLUMNS
    from juesuan.workbook_file import check_readable, grids, load

    check_readable(path)
    try:
        return xlsx_read.read_stored(path, MAX_COLUMNS)
    except xlsx_read.Refused:
        return grids(load(path))
