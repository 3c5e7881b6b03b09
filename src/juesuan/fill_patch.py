"""Fill without loading the workbook: the tables' cells patched into the file's sheet XML.

The same edits as :func:`juesuan.xlsx_write.apply_book` (the 部门 line, every data row from
:func:`juesuan.sheets.tables.table_edits`, blank spare rows, the 注 row) become ``<c>``
elements (:mod:`juesuan.xlsx_patch`); the lint, the evaluation of the workbook's other formulas
and the report are fill's own (:mod:`juesuan.fill`); cached values are stored in every sheet
that holds a formula (:func:`juesuan.cached.store_in_package`).  ``tests/test_fill_patch.py``
compares the result with the openpyxl path's cell by cell and has LibreOffice recalculate it.

What :func:`fill_patch` leaves to the openpyxl path (:class:`~juesuan.xlsx_patch.Cannot`):
a code or record table whose number of rows changes (rows to insert or delete, and every
reference below them to move, as openpyxl's ``resize`` + ``follow_rows`` do); a data file's
notes sheet to write or remove; a merge over the data rows (openpyxl unmerges it) or a 注 row
not merged as fill merges it; a written cell inside a merge, holding a shared or array
formula's anchor, or under a table object; a named style the workbook lacks.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from juesuan.cellxml import formula_cell, plain_xml, value_cell
from juesuan.cached import store_in_package
from juesuan.derive import compute, derivations
from juesuan.expr import Address, Expr, Key, column_letter
from juesuan.layout import BookLayout, book_layout
from juesuan.lint import CellKey, lint_formulas, name_refs
from juesuan.locate import NOTES_SHEET, FoundBook, Grid, cell
from juesuan.model import Book
from juesuan.sheets.edits import CellEdit
from juesuan.sheets.tables import table_edits
from juesuan.spec import Column
from juesuan.xleval import XlError, scalar_of
from juesuan.xlsx_patch import Cannot, Cell, Package, SheetPatch, calc_on_load, defined_names, error_cells, merges, \
    move_sheet_last, named_style_indexes

if TYPE_CHECKING:
    from juesuan.fill import FillReport

FOOTNOTE_HEIGHT = "30"  # as xlsx_write._write_footnote sets it


def fill_patched(src: Path, format_id: str | None, balance: bool | None) -> tuple[Package, "FillReport"]:
    """Fill ``src`` into a patched package (not yet written) and fill's report; raises
    :class:`Cannot` (or any error) when the openpyxl path must decide."""
    from juesuan.fill import balanced
    from juesuan.session import Session

    t0 = time.perf_counter()
    s = Session.for_reading(src, format_id)
    assert s.found is not None and s.grids is not None
    pkg = Package.open(src)
    book, note = balanced(s.book, balance)
    report = fill_patch(pkg, book, s.found, s.grids, write_inputs=bool(note))
    report.balance = note
    report.seconds.update(s.seconds)
    report.seconds["total_patch"] = time.perf_counter() - t0
    return pkg, report


def fill_patch(pkg: Package, book: Book, found: FoundBook, grids: Mapping[str, Grid],
               write_inputs: bool = False) -> "FillReport":
    """Rewrite ``pkg``'s tables for ``book`` (as :func:`juesuan.fill.fill_book` rewrites an
    openpyxl workbook) with every formula's value stored; returns the FillReport."""
    from juesuan.fill import FillReport, _replaced, evaluate_others, overwritten

    report = FillReport(path="patch")
    t0 = time.perf_counter()
    exprs = derivations(book)
    values = compute(book, exprs)
    offsets = {k: f.layout.offset for k, f in found.tables.items()}
    layout = book_layout(book, offsets=offsets)
    sheets = pkg.sheet_paths()
    _notes(pkg, book, sheets)
    old = overwritten(book, found, exprs, grids, layout)
    t1 = time.perf_counter()
    texts = grid_formulas(grids)
    overlay: dict[CellKey, Any] = {}
    patches = _patches(pkg, book, found, layout, exprs, grids, write_inputs, sheets, texts, overlay)
    t2 = time.perf_counter()
    ours: dict[CellKey, Any] = {}
    for key in exprs:
        a = layout.address(key)
        if a is not None:
            ours[(a.sheet, a.row, a.col)] = values[key]
    # Only the workbook's other formulas are parsed and linted (as narrate does): ours come from
    # the format's declarations (the template test lints every one of them) and refer only to
    # input cells and to each other, never to another formula, so no cycle runs through them.
    names = name_refs(defined_names(pkg))
    lint = lint_formulas({k: t for k, t in texts.items() if k not in ours}, list(sheets), names)
    lint.raise_first()
    t3 = time.perf_counter()
    report.derived = len(ours)
    report.replaced = [_replaced(h, exprs, values, layout) for h in old]
    others = {k: f for k, f in lint.formulas.items() if k not in ours}
    computed, report.uncomputed = evaluate_others(stored_lookup(pkg, sheets, grids, overlay), list(sheets), names, ours,
                                                  others)
    report.other = len(computed)
    cell_values: dict[str, dict[str, Any]] = {}
    for (sheet, r, c), v in [*ours.items(), *computed.items()]:
        cell_values.setdefault(sheet, {})[Address(sheet, r, c).a1()] = v
    t4 = time.perf_counter()
    for title, patch in patches.items():
        part = sheets[title]
        pkg.put(part, patch.apply(pkg.text(part)))
    stored = store_in_package(pkg, cell_values)
    calc_on_load(pkg)
    reported = {w for w, _ in report.uncomputed}
    report.uncomputed += [(m, "未计算出值 (no value computed)") for m in stored.missing if m not in reported]
    report.seconds.update(derive=t1 - t0, write=t2 - t1, lint=t3 - t2, others=t4 - t3, store=time.perf_counter() - t4)
    return report


def _patches(pkg: Package, book: Book, found: FoundBook, layout: BookLayout, exprs: dict[Key, Expr],
             grids: Mapping[str, Grid], write_inputs: bool, sheets: Mapping[str, str], texts: dict[CellKey, str],
             overlay: dict[CellKey, Any]) -> dict[str, SheetPatch]:
    """Every table sheet's cells as apply_book writes them; ``texts`` (formulas by cell) and
    ``overlay`` (values written) follow the writes."""
    from juesuan.xlsx_write import _number_as_text, cell_value, department_line

    edits: dict[str, list[CellEdit]] = {}
    heights: dict[str, dict[int, str]] = {}
    for t in book.format.tables:
        f = found.tables[t.key]
        tl = layout.tables[t.key]
        if t.kind != "fixed" and f.last_data_row - f.first_data_row != tl.last_data_row - tl.first_data_row:
            raise Cannot(f"{t.sheet}: rows to insert or delete")
        xml = pkg.text(sheets[t.sheet])
        spans = merges(xml)
        last = max(f.last_data_row, tl.last_data_row)
        if any(r1 <= last and r2 >= f.first_data_row for r1, _, r2, _ in spans):
            raise Cannot(f"{t.sheet}: a merge over the data rows")
        out = edits[t.sheet] = []
        if t.dept_line:
            out.append(CellEdit(tl.header_row - 1, 1, department_line(book), style="js_plain"))
        for e in table_edits(book, tl, exprs, layout.address).cells:
            writes = e.formula is not None or e.input is None or write_inputs or t.kind != "fixed" or \
                _number_as_text(cell(grids[t.sheet], e.row, e.col), e.input)
            out.append(e if writes else e._replace(value=_KEEP))
        for s in range(tl.spare_rows):
            r = tl.first_data_row + len(tl.row_keys) + s
            items = [*t.blocks[0].label_columns, *t.blocks[0].columns]
            out += [CellEdit(r, c, None, style=f"js_in_{i.kind if isinstance(i, Column) else 'text'}")
                    for c, i in enumerate(items, 1)]
        if tl.footnote_row:
            r = tl.footnote_row
            if [m for m in spans if m[0] == r] != [(r, 1, r, tl.ncols)]:
                raise Cannot(f"{t.sheet}: the 注 row is not merged as fill merges it")
            out.append(CellEdit(r, 1, "注：" + book.footnotes.get(t.key, t.footnote or ""), style="js_note"))
            heights[t.sheet] = {r: FOOTNOTE_HEIGHT}
    style = named_style_indexes(pkg, {e.style for cells in edits.values() for e in cells})
    patches: dict[str, SheetPatch] = {}
    for sheet, cells in edits.items():
        p = patches[sheet] = SheetPatch(sheet, heights=heights.get(sheet, {}))
        for e in cells:
            s = style[e.style]
            key = (sheet, e.row, e.col)
            ref = f"{column_letter(e.col)}{e.row}"
            if e.formula is not None:
                p.cells[(e.row, e.col)] = Cell(s, formula_cell(ref, s, e.formula[1:], None))
                texts[key] = e.formula
                overlay.pop(key, None)
            elif e.value is _KEEP:
                p.cells[(e.row, e.col)] = Cell(s)
            else:
                value = cell_value(e.value)
                p.cells[(e.row, e.col)] = Cell(s, value_cell(ref, s, value, sheet))
                texts.pop(key, None)
                overlay[key] = value
    return patches


def _notes(pkg: Package, book: Book, sheets: Mapping[str, str]) -> None:
    """The hidden notes sheet as :func:`juesuan.xlsx_write.write_notes` leaves it: the openpyxl
    path removes it and writes it again last; a patch rewrites its cells and moves it last (a
    notes sheet to add or to remove is left to openpyxl)."""
    import re

    from juesuan.cellxml import text_cell
    from juesuan.xlsx_write import NOTES_TITLE, notes_chunks

    if not book.notes and NOTES_SHEET not in sheets:
        return
    if not book.notes:
        raise Cannot("the notes sheet is removed")
    if not re.search(rf'<sheet\b[^>]*name="{NOTES_SHEET}"[^>]*state="hidden"', pkg.text("xl/workbook.xml")):
        raise Cannot("the notes sheet is not hidden")
    texts = [NOTES_TITLE, *notes_chunks(book.notes)]
    rows = "".join(f'<row r="{r}">{text_cell(f"A{r}", 0, t, NOTES_SHEET)}</row>' for r, t in enumerate(texts, 1))
    xml = pkg.text(sheets[NOTES_SHEET])
    body = re.search(r"<sheetData\s*/>|<sheetData\b[^>]*>.*?</sheetData>", xml, re.S)
    if body is None or "<mergeCell" in xml or not plain_xml(xml):
        raise Cannot("an unexpected notes sheet")
    new = xml[:body.start()] + f"<sheetData>{rows}</sheetData>" + xml[body.end():]
    new = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:A{len(texts)}"/>', new, count=1)
    if new != xml:
        pkg.put(sheets[NOTES_SHEET], new)
    move_sheet_last(pkg, NOTES_SHEET)  # where the openpyxl path writes it again (after a narrative sheet)


class _Keep:
    """An input cell that keeps what it holds (only its style is set)."""


_KEEP: Any = _Keep()


def grid_formulas(grids: Mapping[str, Grid]) -> dict[CellKey, str]:
    """The text of every formula cell of the sheets read with formulas as text."""
    from juesuan.celltext import Literal

    out: dict[CellKey, str] = {}
    for sheet, grid in grids.items():
        for r, row in enumerate(grid, 1):
            for c, v in enumerate(row, 1):
                if isinstance(v, str):
                    if v.startswith("=") and not isinstance(v, Literal) and len(v) > 1:
                        out[(sheet, r, c)] = v
                elif v is not None and hasattr(v, "text"):  # an array formula
                    if v.text:
                        out[(sheet, r, c)] = v.text
    return out


def stored_lookup(pkg: Package, sheets: Mapping[str, str], grids: Mapping[str, Grid],
                  overlay: Mapping[CellKey, Any]) -> Callable[[CellKey], Any]:
    """Stored values of non-formula cells: what fill wrote, else what the file holds (errors
    from the sheet XML: a grid shows them as text)."""
    errors: dict[str, dict[tuple[int, int], str]] = {}

    def stored(key: CellKey) -> Any:
        if key in overlay:
            return scalar_of(overlay[key])
        sheet, r, c = key
        errs = errors.get(sheet)
        if errs is None:
            errs = errors[sheet] = error_cells(pkg.text(sheets[sheet])) if sheet in sheets else {}
        if (r, c) in errs:
            return XlError(errs[(r, c)])
        v = cell(grids.get(sheet, []), r, c)
        return None if v is None else scalar_of(v)

    return stored
