"""What each cell of a data row holds, and how it looks: one answer for every writer.

The openpyxl writer (:mod:`juesuan.xlsx_write`) and the ribbon (:mod:`juesuan.excel`) both lay
out a table's rows from :func:`row_cells`, so a label, an input or a formula can only ever be
decided here.  (The server's fast writer renders the same content as XML and is held to it by
an equivalence test.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from juesuan.expr import Addresser, Expr, Key
from juesuan.layout import TableLayout
from juesuan.model import Book, code_name
from juesuan.spec import INPUT, Kind, Row


@dataclass(frozen=True)
class CellOut:
    """One cell of a data row: its value (a label, an input value, or ``=…`` formula text), its
    named style (:mod:`juesuan.styles`), and for an input cell its kind."""

    value: Any
    style: str
    input_kind: Kind | None = None  # set on input cells only
    formula: bool = False  # ``value`` is our formula text (``=…``); any other text is written as text


BLANK = CellOut(None, "js_blank")


def label_style(row: Row | None, bold: bool = False, indent: int = 0) -> str:
    b = "_bold" if bold or (row is not None and row.bold) else ""
    ind = row.indent if row is not None else indent
    return f"js_label{b}{min(ind, 2)}"


def row_cells(book: Book, tl: TableLayout, i: int, exprs: dict[Key, Expr], addr: Addresser) -> list[CellOut]:
    """The cells of data row ``i`` of a table, left to right across its blocks."""
    t = tl.table
    if t.kind == "fixed":
        return [c for b in range(len(t.blocks)) for c in _fixed(book, tl, b, t.blocks[b].rows[i], exprs, addr)]
    return _keyed(book, tl, tl.row_keys[i], exprs, addr)


def _fixed(book: Book, tl: TableLayout, bi: int, row: Row | None, exprs: dict[Key, Expr],
           addr: Addresser) -> list[CellOut]:
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
            out.append(CellOut(book.values.get((t.key, row.key, col.key)), f"js_in_{kind}", kind))  # type: ignore[union-attr]
        else:
            bold = "_bold" if row is not None and row.bold else ""
            out.append(CellOut(exprs[(t.key, row.key, col.key)].formula(addr, t.sheet), f"js_out_{kind}{bold}",  # type: ignore[union-attr]
                              formula=True))
    return out


def _keyed(book: Book, tl: TableLayout, row_key: str, exprs: dict[Key, Expr], addr: Addresser) -> list[CellOut]:
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
            out.append(CellOut(exprs[key].formula(addr, t.sheet), f"js_out_{col.kind}" + ("_bold" if is_total else ""),
                              formula=True))
        elif t.kind == "code" and (len(row_key) < 7 or is_total):
            out.append(BLANK)
        else:
            out.append(CellOut(book.values.get(key), f"js_in_{col.kind}", col.kind))
    return out
