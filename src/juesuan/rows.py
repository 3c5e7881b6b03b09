"""What each cell of a data row holds, and how it looks: one answer for every writer.

Every writer lays out a table's rows from :func:`row_cells`, through the sheet edits of
:func:`juesuan.sheets.tables.table_edits` (the openpyxl writer, the fast batch writer and the
ribbon apply them), so a label, an input or a formula can only ever be decided here.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

from juesuan.expr import Addresser, Expr, Key
from juesuan.layout import TableLayout
from juesuan.model import Book, code_name
from juesuan.spec import INPUT, Kind, Row


class CellOut(NamedTuple):
    """One cell of a data row: its value (a label, an input value, or ``=…`` formula text), its
    named style (:mod:`juesuan.styles`), for an input cell its kind, and for a value cell (input
    or derived) its key.  (A named tuple: a batch makes ~20,000 per workbook.)"""

    value: Any
    style: str
    input_kind: Kind | None = None  # set on input cells only
    key: Key | None = None  # set on input and derived cells


BLANK = CellOut(None, "js_blank")


def label_style(row: Row | None, bold: bool = False, indent: int = 0) -> str:
    b = "_bold" if bold or (row is not None and row.bold) else ""
    ind = row.indent if row is not None else indent
    return f"js_label{b}{min(ind, 2)}"


FormulaText = Callable[[Key, Expr], str]  # a derived cell's formula text (``=…``)


def row_cells(book: Book, tl: TableLayout, i: int, exprs: dict[Key, Expr], addr: Addresser,
              formula: FormulaText | None = None) -> list[CellOut]:
    """The cells of data row ``i`` of a table, left to right across its blocks.

    ``formula`` gives a derived cell's formula text (default ``expr.formula(addr, sheet)``; the
    fast writer passes a cached renderer that gives the same text)."""
    t = tl.table
    if formula is None:
        sheet = t.sheet
        formula = lambda key, e: e.formula(addr, sheet)  # noqa: E731
    if t.kind == "fixed":
        return [c for b in range(len(t.blocks)) for c in _fixed(book, tl, b, t.blocks[b].rows[i], exprs, formula)]
    return _keyed(book, tl, tl.row_keys[i], exprs, formula)


def _fixed(book: Book, tl: TableLayout, bi: int, row: Row | None, exprs: dict[Key, Expr],
           formula: FormulaText) -> list[CellOut]:
    t = tl.table
    b = t.blocks[bi]
    out: list[CellOut] = []
    for lc in b.label_columns:
        if row is None:
            out.append(BLANK)
        else:
            value = {"label": row.label, "lineno": row.lineno, "code": row.code, "unit": row.unit}[lc.source]
            out.append(CellOut(value, label_style(row) if lc.source == "label" else "js_label_center"))
    for col in b.columns:
        spec = row.cells.get(col.key) if row is not None else None
        kind = t.cell_kind(row, col)
        if spec is None:
            out.append(BLANK)
        elif spec is INPUT:
            key = (t.key, row.key, col.key)  # type: ignore[union-attr]
            out.append(CellOut(book.values.get(key), f"js_in_{kind}", kind, key))
        else:
            bold = "_bold" if row is not None and row.bold else ""
            key = (t.key, row.key, col.key)  # type: ignore[union-attr]
            out.append(CellOut(formula(key, exprs[key]), f"js_out_{kind}{bold}", None, key))
    return out


def _keyed(book: Book, tl: TableLayout, row_key: str, exprs: dict[Key, Expr], formula: FormulaText) -> list[CellOut]:
    t = tl.table
    is_total = t.kind == "code" and row_key == t.total_label
    depth = {3: 0, 5: 1, 7: 2}.get(len(row_key), 0)
    out: list[CellOut] = []
    for lc in t.block.label_columns:
        if lc.source == "code":
            out.append(CellOut(t.total_label, "js_label_bold0") if is_total else CellOut(row_key, "js_label_center"))
        else:
            out.append(CellOut(None if is_total else code_name(book, t, row_key),
                               label_style(None, bold=is_total or depth == 0, indent=depth)))
    for col in t.block.columns:
        key = (t.key, row_key, col.key)
        if key in exprs:
            out.append(CellOut(formula(key, exprs[key]), f"js_out_{col.kind}" + ("_bold" if is_total else ""),
                               None, key))
        elif t.kind == "code" and (len(row_key) < 7 or is_total):
            out.append(BLANK)
        else:
            out.append(CellOut(book.values.get(key), f"js_in_{col.kind}", col.kind, key))
    return out
