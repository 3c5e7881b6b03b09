"""A printed table as a plain grid: rows of cells with spans, alignment and the value behind them.

Why a grid between the format and Word: the eleven public tables (from the format's
declarations) and the 绩效自评 tables (one per project) are built as grids by pure functions,
and one renderer (:mod:`juesuan.export.tables`) turns any grid into a Word table.  The grid of a
public table mirrors its sheet cell for cell — the same columns left to right, the header rows,
the 栏次 row, then the data rows in the sheet's order — so grid column *c* is sheet column
*c + 1* and a test can compare every amount of the Word table with the workbook.

Numbers are formatted here, from ``Decimal``: amounts ``#,##0.00`` (half up, as Excel shows
them), counts as whole numbers, scores and rates with up to two decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from juesuan.expr import Key
from juesuan.model import Value
from juesuan.money import fmt_amount, round2
from juesuan.spec import Kind

Align = Literal["left", "center", "right"]


@dataclass
class GridCell:
    """One printed cell; ``rowspan``/``colspan`` > 1 cover the cells right of and below it."""

    text: str = ""
    align: Align = "left"
    bold: bool = False
    indent: int = 0  # levels of indentation (科目名称 of 款/项 rows)
    rowspan: int = 1
    colspan: int = 1
    key: Key | None = None  # the model cell whose value is printed here
    shade: bool = False  # header cells


@dataclass
class Grid:
    """``rows[r][c]`` is a cell, or ``None`` where an earlier cell's span covers it."""

    widths: list[float]  # relative column widths (the format's Excel widths)
    rows: list[list[GridCell | None]] = field(default_factory=list)
    header_rows: int = 0  # the first rows, repeated at the top of every page
    font_size: float = 9.0

    @property
    def ncols(self) -> int:
        return len(self.widths)

    def add_row(self) -> list[GridCell | None]:
        row: list[GridCell | None] = [GridCell() for _ in self.widths]
        self.rows.append(row)
        return row

    def place(self, r: int, c: int, cell: GridCell) -> None:
        """Put ``cell`` at (r, c) and mark the cells its spans cover (adding rows it reaches)."""
        while len(self.rows) < r + cell.rowspan:
            self.add_row()
        self.rows[r][c] = cell
        for rr in range(r, r + cell.rowspan):
            for cc in range(c, c + cell.colspan):
                if (rr, cc) != (r, c):
                    self.rows[rr][cc] = None

    def check(self) -> None:
        """Every row has one entry per column and spans stay inside the grid (a bug otherwise)."""
        for r, row in enumerate(self.rows):
            assert len(row) == self.ncols, f"row {r}: {len(row)} cells for {self.ncols} columns"
            for c, cell in enumerate(row):
                if cell is not None:
                    assert r + cell.rowspan <= len(self.rows) and c + cell.colspan <= self.ncols, (r, c)


def format_value(value: Value | Decimal, kind: Kind) -> str:
    """A cell value as printed: amount ``3,041.69``, count ``5``, number ``98.3``, text as is."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if kind == "amount":
        return fmt_amount(Decimal(value))
    if kind == "count":
        return f"{int(Decimal(value))}"
    if kind == "number":
        return score_text(Decimal(value))
    return str(value)


def score_text(value: Decimal) -> str:
    """A score or rate as score sheets print it: two decimals at most, trailing zeros dropped."""
    text = f"{round2(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
