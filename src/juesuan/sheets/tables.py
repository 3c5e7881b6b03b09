"""A table's data rows as sheet edits: labels, inputs and formulas with their named styles.

What each cell holds is decided by :func:`juesuan.rows.row_cells`; this adds where it goes
(rows and columns of the layout) and, when given, the computed value of each derived cell (the
cached value a writer stores beside the formula).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping

from juesuan.expr import Addresser, Expr, Key
from juesuan.layout import TableLayout
from juesuan.model import Book
from juesuan.rows import FormulaText, row_cells
from juesuan.sheets.edits import CellEdit, SheetEdits


def table_edits(book: Book, tl: TableLayout, exprs: dict[Key, Expr], addr: Addresser,
                values: Mapping[Key, Decimal] | None = None, formula: FormulaText | None = None) -> SheetEdits:
    """The data rows of one table (not the frame above them, nor the 注 row); ``formula`` as
    for :func:`~juesuan.rows.row_cells`."""
    cells: list[CellEdit] = []
    for i in range(len(tl.row_keys)):
        r = tl.first_data_row + i
        for c, out in enumerate(row_cells(book, tl, i, exprs, addr, formula), 1):
            if out.key is not None and out.input_kind is None:  # derived: a formula
                cached = values.get(out.key) if values is not None else None
                cells.append(CellEdit(r, c, cached, out.value, out.style, None, out.key))
            else:
                cells.append(CellEdit(r, c, out.value, None, out.style, out.input_kind, out.key))
    return SheetEdits(tl.table.sheet, cells)
