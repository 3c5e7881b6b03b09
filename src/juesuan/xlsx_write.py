"""Writing a book into an openpyxl workbook: the sheet frame, the data rows, formulas and inputs.

One writer serves the template builder (a fresh workbook), ``new`` (the template with a data
file's inputs) and ``fill`` (a user's workbook): code and record tables are resized to the
book's rows (rows inserted or deleted above the 注 row), every data row is rewritten, and each
derived cell gets its formula.  Cached values are added after saving (:mod:`juesuan.cached`).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from juesuan.celltext import put
from juesuan.expr import Expr, Key, column_letter
from juesuan.layout import LABEL_ROW, TITLE_ROW, BookLayout, TableLayout, book_layout, header_spans
from juesuan.model import Book
from juesuan.sheets.edits import SheetEdits
from juesuan.sheets.tables import table_edits
from juesuan.xlformula import shift_rows
from juesuan.spec import Column, LabelColumn

if TYPE_CHECKING:  # openpyxl (and numpy) only where a workbook is built: fill's patch path needs none
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from juesuan.locate import FoundBook


def cell_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def department_line(book: Book) -> str:
    from juesuan.formats import get_pack

    name = book.text(get_pack(book.format.id).department)
    return f"部门：{name}"


def write_frame(ws: Worksheet, tl: TableLayout) -> None:
    """Title, label, unit line, headers, 栏次 row, widths, print setup, frozen panes."""
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.worksheet.protection import SheetProtection

    t = tl.table
    last = column_letter(tl.ncols)
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    c = ws.cell(TITLE_ROW, 1, t.title)
    c.style = "js_title"
    ws.row_dimensions[TITLE_ROW].height = 28
    if t.label:
        ws.cell(LABEL_ROW, tl.ncols, t.label).style = "js_plain_right"
    if t.unit_line:
        ws.cell(tl.header_row - 1, tl.ncols, t.unit_line).style = "js_plain_right"
    _write_headers(ws, tl)
    if tl.lineno_row:
        _write_lineno_row(ws, tl)
    for _, col, item in tl.columns():
        ws.column_dimensions[column_letter(col)].width = item.width
    ws.freeze_panes = ws.cell(tl.first_data_row, 1)
    ws.print_title_rows = f"{tl.header_row}:{tl.first_data_row - 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if t.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    growable = t.kind != "fixed"
    ws.protection = SheetProtection(sheet=True, formatColumns=False, formatRows=False, formatCells=False,
                                    insertRows=not growable, deleteRows=not growable, selectLockedCells=False,
                                    selectUnlockedCells=False)


def _write_headers(ws: Worksheet, tl: TableLayout) -> None:
    cols = [c for _, c, _ in tl.columns()]
    for span in header_spans(tl.table):
        top = tl.header_row + span.level
        bottom = top + span.rowspan - 1
        for k in range(span.first, span.last + 1):
            for r in range(top, bottom + 1):
                ws.cell(r, cols[k]).style = "js_header"
        ws.cell(top, cols[span.first], span.label)
        if span.last > span.first or bottom > top:
            ws.merge_cells(start_row=top, start_column=cols[span.first], end_row=bottom, end_column=cols[span.last])
    for level in range(tl.header_rows):
        ws.row_dimensions[tl.header_row + level].height = 30


def _write_lineno_row(ws: Worksheet, tl: TableLayout) -> None:
    r = tl.lineno_row
    assert r is not None
    for bi, col, item in tl.columns():
        cell = ws.cell(r, col)
        cell.style = "js_lineno"
        if isinstance(item, LabelColumn):
            cell.value = "栏次" if col == tl.block_starts[bi] else None
        else:
            cell.value = item.lineno


def resize(ws: Worksheet, old_first: int, old_last: int, new: TableLayout) -> None:
    """Insert or delete rows above the 注 row so the data region fits ``new``."""
    old_n = old_last - old_first + 1
    new_n = new.last_data_row - new.first_data_row + 1
    if old_n == new_n:
        return
    below = [m for m in list(ws.merged_cells.ranges) if m.min_row > old_last]
    for m in below:
        ws.unmerge_cells(str(m))
    shift = new_n - old_n
    heights = {r: d.height for r, d in list(ws.row_dimensions.items()) if r > old_last and d.height is not None}
    if new_n > old_n:
        ws.insert_rows(old_last + 1, new_n - old_n)
    else:
        ws.delete_rows(new.last_data_row + 1, old_n - new_n)
    for r in heights:  # openpyxl moves cells, not row heights: move them with the rows below
        ws.row_dimensions[r].height = None
    for r, h in heights.items():
        ws.row_dimensions[r + shift].height = h
    follow_rows(ws, old_last, shift)
    for m in below:
        ws.merge_cells(start_row=m.min_row + shift, start_column=m.min_col, end_row=m.max_row + shift,
                       end_column=m.max_col)


def follow_rows(ws: Worksheet, after: int, shift: int) -> None:
    """Formulas and defined names anywhere in the workbook that point below ``after`` on ``ws``
    follow the rows that moved (openpyxl moves cells but not the references to them; Excel would).
    Fill rewrites its own formulas afterwards; this keeps a user's own formulas right."""
    wb = ws.parent
    for other in wb.worksheets:
        for cell in list(other._cells.values()):  # noqa: SLF001 — the cells that exist, not the sheet's extent
            v = cell.value
            if cell.data_type == "f" and isinstance(v, str) and v != (moved := shift_rows(v, other.title, ws.title,
                                                                                         after, shift)):
                cell.value = moved
    for name in wb.defined_names.values():
        if name.attr_text:
            name.attr_text = shift_rows(name.attr_text, "", ws.title, after, shift)


def write_rows(ws: Worksheet, book: Book, tl: TableLayout, exprs: dict[Key, Expr], layout: BookLayout,
               write_inputs: bool = True) -> None:
    """Every data row: labels, inputs (when ``write_inputs``) and derived formulas."""
    apply_edits(ws, table_edits(book, tl, exprs, layout.address), write_inputs)
    for s in range(tl.spare_rows):
        _write_blank_row(ws, tl, tl.first_data_row + len(tl.row_keys) + s)
    if tl.footnote_row:
        _write_footnote(ws, book, tl)


def apply_edits(ws: Worksheet, edits: SheetEdits, write_inputs: bool = True) -> None:
    """Sheet edits into an openpyxl sheet: formulas, values (text always as text, see
    :func:`juesuan.celltext.put`), named styles.  Without
    ``write_inputs`` an input cell keeps what the sheet holds (unless it is a number typed as
    text); cached values of formulas are added after saving (:mod:`juesuan.cached`)."""
    for e in edits.cells:
        cell = ws.cell(e.row, e.col)
        if e.formula is not None:
            cell.value = e.formula
        elif e.input is None or write_inputs or _number_as_text(cell.value, e.input):
            put(cell, cell_value(e.value))  # text is text, whatever it starts with
        cell.style = e.style


def _number_as_text(value: Any, kind: str) -> bool:
    """A number typed or pasted as text ("1,000.02"): Excel's SUM skips it, so it is written back
    as the number the reader parsed, or the sheet would show other totals than juesuan computed."""
    return kind != "text" and isinstance(value, str) and not value.startswith("=")


def _write_blank_row(ws: Worksheet, tl: TableLayout, r: int) -> None:
    c = 1
    for item in [*tl.table.blocks[0].label_columns, *tl.table.blocks[0].columns]:
        cell = ws.cell(r, c)
        cell.value = None
        kind = item.kind if isinstance(item, Column) else "text"
        cell.style = f"js_in_{kind}"
        c += 1


def _write_footnote(ws: Worksheet, book: Book, tl: TableLayout) -> None:
    r = tl.footnote_row
    assert r is not None
    t = tl.table
    for m in list(ws.merged_cells.ranges):
        if m.min_row == r:
            ws.unmerge_cells(str(m))
    cell = ws.cell(r, 1)
    put(cell, "注：" + book.footnotes.get(t.key, t.footnote or ""))
    cell.style = "js_note"
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=tl.ncols)
    ws.row_dimensions[r].height = 30


def write_department(ws: Worksheet, book: Book, tl: TableLayout) -> None:
    """The 部门 line, just above the headers (row 3, or lower when rows were inserted above)."""
    if tl.table.dept_line:
        cell = ws.cell(tl.header_row - 1, 1)
        put(cell, department_line(book))
        cell.style = "js_plain"


def new_workbook(book: Book, exprs: dict[Key, Expr], layout: BookLayout) -> Workbook:
    """A workbook built from nothing: the template (empty book) or a book written fresh."""
    from openpyxl.workbook import Workbook

    from juesuan.styles import register

    wb = Workbook()
    register(wb)
    wb.remove(wb.active)
    for t in book.format.tables:
        ws = wb.create_sheet(t.sheet)
        tl = layout.tables[t.key]
        write_frame(ws, tl)
        write_department(ws, book, tl)
        write_rows(ws, book, tl, exprs, layout)
    return wb


def apply_book(wb: Workbook, book: Book, found: "FoundBook", exprs: dict[Key, Expr],
               write_inputs: bool = True) -> BookLayout:
    """Bring an existing workbook (template or user's) to ``book``: resize, rewrite rows, formulas.

    Fixed tables keep their rows; code and record tables are resized above their 注 row and
    every data row is rewritten in canonical order.  Returns the layout the workbook now has.
    """
    from juesuan.styles import register

    register(wb)
    offsets = {k: f.layout.offset for k, f in found.tables.items()}
    layout = book_layout(book, offsets=offsets)
    for t in book.format.tables:  # all resizing first: it moves references, ours included
        ws = wb[t.sheet]
        f = found.tables[t.key]
        tl = layout.tables[t.key]
        _unmerge_data_rows(ws, f.first_data_row, max(f.last_data_row, tl.last_data_row))
        if t.kind != "fixed":
            resize(ws, f.first_data_row, f.last_data_row, tl)
    for t in book.format.tables:  # then every row, with formulas addressed in the final layout
        ws = wb[t.sheet]
        tl = layout.tables[t.key]
        write_department(ws, book, tl)
        write_rows(ws, book, tl, exprs, layout, write_inputs=write_inputs or t.kind != "fixed")
    write_notes(wb, book)
    return layout


def _unmerge_data_rows(ws: Worksheet, first: int, last: int) -> None:
    """Data rows are rewritten cell by cell: merges a user made inside them (a 合计 label across
    two columns) are undone first, or their covered cells could not be written."""
    for m in list(ws.merged_cells.ranges):
        if m.min_row <= last and m.max_row >= first:
            ws.unmerge_cells(str(m))


NOTE_CHUNK = 30000
NOTES_TITLE = "数据文件中的说明（notes），由 juesuan 保存，请勿编辑"  # cell A1 of the notes sheet


def write_notes(wb: Workbook, book: Book) -> None:
    """Keep a data file's free-form notes in a hidden sheet (column A, JSON in ≤30,000-char cells)."""
    from juesuan.locate import NOTES_SHEET

    if NOTES_SHEET in wb.sheetnames:
        wb.remove(wb[NOTES_SHEET])
    if not book.notes:
        return
    ws = wb.create_sheet(NOTES_SHEET)
    ws.sheet_state = "hidden"
    ws.cell(1, 1, NOTES_TITLE)
    for i, chunk in enumerate(notes_chunks(book.notes)):
        put(ws.cell(2 + i, 1), chunk)


def notes_chunks(notes: dict) -> list[str]:
    """The notes as JSON, cut into cells of at most ``NOTE_CHUNK`` characters (rows 2, 3, …)."""
    text = json.dumps(notes, ensure_ascii=False, separators=(",", ":"))
    return [text[i:i + NOTE_CHUNK] for i in range(0, len(text), NOTE_CHUNK)]
