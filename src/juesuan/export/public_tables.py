"""The eleven public tables as grids, from the format's declarations and the book's values.

Each grid mirrors its sheet (see :mod:`juesuan.export.grid`): the header rows merged as the
template merges them (a header spans the columns below it that share its path; a header whose
path ends early spans down to the last header row), the 栏次 row, and the data rows — fixed
tables row by row with their side-by-side blocks, code tables as 合计 then 类/款/项 in code
order.  Values come from ``values`` (inputs from the book, derived cells from
:func:`juesuan.derive.compute`), never from a workbook's cached results.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from juesuan.export.grid import Align, Grid, GridCell, format_value
from juesuan.expr import Key
from juesuan.formats import get_pack
from juesuan.layout import header_depth, header_spans
from juesuan.model import Book, Value, code_name
from juesuan.spec import LabelColumn, Row, Table

WIDE_TABLE_COLUMNS = 9  # from this many columns on, tables print one point smaller


@dataclass
class PrintedTable:
    """A public table ready to print: the lines above it, its grid, the 注 below it."""

    table: Table
    title: str
    label: str | None  # 公开01表
    dept_line: str | None  # 部门：…
    unit_line: str | None  # 金额单位：万元
    grid: Grid
    footnote: str | None  # with its 注： lead


def printed_tables(book: Book, values: dict[Key, Value | Decimal]) -> list[PrintedTable]:
    """Every public table of the book's format, in sheet order."""
    return [printed_table(book, t, values) for t in book.format.public_tables]


def printed_table(book: Book, table: Table, values: dict[Key, Value | Decimal]) -> PrintedTable:
    columns = [item for b in table.blocks for item in (*b.label_columns, *b.columns)]
    grid = Grid([float(c.width) for c in columns])
    grid.font_size = 8.0 if len(columns) >= WIDE_TABLE_COLUMNS else 9.0
    _headers(grid, table)
    if table.lineno_row:
        _lineno_row(grid, table)
    grid.header_rows = len(grid.rows)
    if table.kind == "fixed":
        for i in range(len(table.blocks[0].rows)):
            _fixed_row(grid, table, i, values)
    else:
        for row_key in book.rows(table):
            _code_row(grid, book, table, row_key, values)
    grid.check()
    dept = book.text(get_pack(book.format.id).department).strip()
    footnote = book.footnotes.get(table.key, table.footnote or "")
    return PrintedTable(table, table.title, table.label, f"部门：{dept}" if table.dept_line else None,
                        table.unit_line, grid, f"注：{footnote}" if footnote else None)


def _headers(grid: Grid, table: Table) -> None:
    top = len(grid.rows)
    for _ in range(header_depth(table)):
        grid.add_row()
    for span in header_spans(table):
        grid.place(top + span.level, span.first, GridCell(span.label, "center", bold=True, rowspan=span.rowspan,
                                                          colspan=span.last - span.first + 1, shade=True))


def _lineno_row(grid: Grid, table: Table) -> None:
    row = grid.add_row()
    c = 0
    for b in table.blocks:
        for n, lc in enumerate(b.label_columns):
            row[c] = GridCell("栏次" if n == 0 else "", "center", shade=True)
            c += 1
        for col in b.columns:
            row[c] = GridCell(col.lineno or "", "center", shade=True)
            c += 1


def _label_text(row: Row, lc: LabelColumn) -> str:
    return {"label": row.label, "lineno": row.lineno, "code": row.code, "unit": row.unit}[lc.source] or ""


def _fixed_row(grid: Grid, table: Table, i: int, values: dict[Key, Value | Decimal]) -> None:
    cells = grid.add_row()
    c = 0
    for b in table.blocks:
        row = b.rows[i]
        for lc in b.label_columns:
            if row is not None:
                is_label = lc.source == "label"
                cells[c] = GridCell(_label_text(row, lc), "left" if is_label else "center",
                                    bold=row.bold and is_label, indent=row.indent if is_label else 0)
            c += 1
        for col in b.columns:
            if row is not None and col.key in row.cells:
                key = (table.key, row.key, col.key)
                text = format_value(values.get(key), table.cell_kind(row, col))
                cells[c] = GridCell(text, _align(table.cell_kind(row, col)), bold=row.bold, key=key)
            c += 1


def _code_row(grid: Grid, book: Book, table: Table, row_key: str, values: dict[Key, Value | Decimal]) -> None:
    cells = grid.add_row()
    r = len(grid.rows) - 1
    block = table.block
    total = row_key == table.total_label
    depth = {3: 0, 5: 1, 7: 2}.get(len(row_key), 0)
    c = 0
    for lc in block.label_columns:
        if total and lc.source == "code":
            span = len(block.label_columns)
            grid.place(r, c, GridCell(table.total_label, "center", bold=True, colspan=span))
        elif not total:
            if lc.source == "code":
                cells[c] = GridCell(row_key, "left", bold=depth == 0)
            else:
                cells[c] = GridCell(code_name(book, table, row_key), "left", bold=depth == 0, indent=depth)
        c += 1
    for col in block.columns:
        key = (table.key, row_key, col.key)
        cells[c] = GridCell(format_value(values.get(key), col.kind), _align(col.kind), bold=total or depth == 0,
                            key=key)
        c += 1


def _align(kind: str) -> Align:
    return "left" if kind == "text" else "right"

