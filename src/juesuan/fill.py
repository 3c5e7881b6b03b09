"""Fill: every derived cell gets its formula (and, once :mod:`juesuan.cached` lands, its value).

Provisional minimal version; the 填充 issue grows it (cached values, lint, report of replaced
constants, in-place atomic writes).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.workbook import Workbook

from juesuan.derive import derivations
from juesuan.locate import FoundBook
from juesuan.model import Book
from juesuan.workbook_file import write_atomic
from juesuan.xlsx_write import apply_book


def write_filled(wb: Workbook, book: Book, found: FoundBook, output: str | Path, formulas: bool = True) -> None:
    exprs = derivations(book)
    apply_book(wb, book, found, exprs)
    write_atomic(output, lambda tmp: wb.save(tmp))
