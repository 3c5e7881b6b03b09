"""Sheet edits: what a front end must do to a live workbook so it shows what the file pipeline wrote.

The service runs fill / check --write / narrate on a temporary copy of the snapshot
(:mod:`.snapshot`), then :func:`diff` compares the resulting workbook with the snapshot cell by
cell (formulas and constants) and describes the difference as plain JSON, which the WPS add-in
(``addin/wps/js/et.js``) applies in a few calls per sheet.  :mod:`juesuan.sheets.edits`
(which landed while this was built) describes what a *table's rows* hold, for the writers that
lay a table out; these edits describe the *changes a live workbook needs* after any step — rows
moved, only the cells that differ, styles as attributes rather than named styles, whole
sheets (校验结果, 决算情况说明), links, comments and charts.  This module is the one place that
shape is defined (version 1)::

    {"version": 1,
     "remove_comments_by": "juesuan校验" | null,   # delete comments by this author first (every sheet)
     "sheets": [{
        "name": "收入决算表",
        "delete": true,                         # only this key besides name: remove the sheet
        "new": true, "after": "上一个工作表",     # create it after that sheet (null: first)
        "visible": true, "protect": false,      # for new sheets
        "rows":    [{"insert": 12, "count": 2}, {"delete": 30, "count": 1}],   # before cells, in order
        "cells":   [{"a": "A12:F13", "f": [[…], […]]}],  # Range(a).Formula = f
        "styles":  [{"a": "A12:F13,A20:F20", "s": {"fill": "FFF2CC", "bold": false, …}}],
        "columns": [{"a": "A:A", "width": 100, "hidden": false}],
        "heights": [{"a": "3:3,5:5", "height": 30}],
        "merges":  ["A1:F1"],
        "links":   [{"a": "E5", "sub": "'收入决算表'!C7", "url": null, "text": "收入决算表!C7"}],
        "comments":[{"a": "C7", "text": "[错误 X1] …", "author": "juesuan校验"}],
        "charts":  [{"type": "pie", "anchor": "A20", "width": 420, "height": 210,
                     "source": "E1:F8", "title": "图1"}]}]}

Cell entries (``f``): ``null`` clears the cell; numbers and booleans are constants; text starting
with ``=`` is a formula; text starting with an apostrophe is the text after it (as typed in
Excel, so "2010301", "=x" or "TRUE" stay text).  Every cell of a block is meant to be written.
Style keys, always given: ``fill`` (RGB hex, or null for no fill), ``bold``, ``h`` (horizontal
alignment), ``nf`` (number format), ``locked``; given only when not Excel's default: ``italic``,
``underline``, ``size``, ``color``, ``font``, ``v`` (vertical alignment), ``wrap``, ``indent``,
``border`` ("thin" on all four sides).

Rows: fill inserts or deletes rows inside code and record tables; the applier lets WPS do the
same (``Rows(…).Insert`` / ``.Delete``), so merges, formats and the user's own formulas below
move with them, and the cell diff is taken against the snapshot shifted the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any, Iterable

from openpyxl.utils.datetime import to_excel
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from juesuan.errors import InputError
from juesuan.expr import column_letter
from juesuan.sheets.ranges import unions
from juesuan.service.snapshot import Sheet

if TYPE_CHECKING:
    from juesuan.spec import Format

VERSION = 1
POINTS_PER_CM = 72 / 2.54
_NEEDS_APOSTROPHE = re.compile(r"^\s*[-+=@']|^[\s\d.,%/:\-()¥$]+$|^(true|false)$", re.IGNORECASE)


# ── cell contents ───────────────────────────────────────────────────────────────────────
def cell_content(cell: Any) -> Any:
    """What an openpyxl cell holds, in snapshot terms: ``=…`` formula text or the constant."""
    v = cell.value
    text = getattr(v, "text", None)  # ArrayFormula
    if isinstance(text, str):
        return text
    if isinstance(v, str) and v.startswith("=") and cell.data_type != "f":
        return ("text", v)  # text that looks like a formula
    if isinstance(v, (dt.datetime, dt.date)):
        return to_excel(v)
    if isinstance(v, dt.time):
        return (v.hour * 3600 + v.minute * 60 + v.second) / 86400
    return None if v == "" else v


def same(a: Any, b: Any) -> bool:
    """Equal contents: exact text, exact numbers (int 5 equals float 5.0), bool apart from numbers."""
    if isinstance(a, tuple):
        a = a[1]
        if not isinstance(b, str) or b.startswith("="):
            return False
    if isinstance(b, tuple):
        return same(b, a)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return type(a) is type(b) and a == b


def encode(content: Any) -> Any:
    """A cell's content as a block entry (see the module docstring)."""
    if isinstance(content, tuple):
        return "'" + content[1]
    if isinstance(content, float) and content.is_integer() and abs(content) < 1e15:
        return int(content)
    if isinstance(content, str) and not content.startswith("=") and _NEEDS_APOSTROPHE.search(content):
        return "'" + content
    return content


# ── rectangles and unions ───────────────────────────────────────────────────────────────
def rectangles(cells: Iterable[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Cells (row, col) covered by rectangles (r1, c1, r2, c2): runs along rows, stacked when equal."""
    by_row: dict[int, list[int]] = {}
    for r, c in cells:
        by_row.setdefault(r, []).append(c)
    open_: dict[tuple[int, int], list[int]] = {}
    done: list[tuple[int, int, int, int]] = []
    for r in sorted(by_row):
        runs: list[tuple[int, int]] = []
        for c in sorted(set(by_row[r])):
            if runs and runs[-1][1] == c - 1:
                runs[-1] = (runs[-1][0], c)
            else:
                runs.append((c, c))
        still: dict[tuple[int, int], list[int]] = {}
        for run in runs:
            if run in open_ and open_[run][1] == r - 1:
                open_[run][1] = r
                still[run] = open_.pop(run)
            else:
                still[run] = [r, r]
        done += [(rr[0], run[0], rr[1], run[1]) for run, rr in open_.items()]
        open_ = still
    done += [(rr[0], run[0], rr[1], run[1]) for run, rr in open_.items()]
    return sorted(done)


def a1_range(r1: int, c1: int, r2: int, c2: int) -> str:
    first = f"{column_letter(c1)}{r1}"
    return first if (r1, c1) == (r2, c2) else f"{first}:{column_letter(c2)}{r2}"




# ── styles ──────────────────────────────────────────────────────────────────────────────
def _rgb(color: Any) -> str | None:
    rgb = getattr(color, "rgb", None) if color is not None and getattr(color, "type", "rgb") == "rgb" else None
    return rgb[-6:].upper() if isinstance(rgb, str) and len(rgb) >= 6 else None


DEFAULT_LOOK = {"italic": False, "underline": False, "size": 11.0, "color": None, "v": "bottom", "wrap": False,
                "indent": 0, "border": None, "font": "Calibri"}


def style_of(cell: Any) -> dict[str, Any] | None:
    """The look of a styled cell as plain data; None for a cell with the default style."""
    if not cell.has_style:
        return None
    font, fill, al, border = cell.font, cell.fill, cell.alignment, cell.border
    sides = [getattr(getattr(border, side), "style", None) for side in ("left", "right", "top", "bottom")]
    style: dict[str, Any] = {  # always set: what fill changes between rows of one table
        "fill": _rgb(fill.fgColor) if fill.fill_type == "solid" else None, "bold": bool(font.b),
        "h": al.horizontal or "general", "nf": cell.number_format, "locked": cell.protection.locked is not False,
    }
    optional = {"italic": bool(font.i), "underline": bool(font.u), "size": float(font.sz) if font.sz else 11.0,
                "color": _rgb(font.color), "v": al.vertical or "bottom", "wrap": bool(al.wrap_text),
                "indent": int(al.indent or 0), "border": "thin" if all(s == "thin" for s in sides) else None,
                "font": font.name or "Calibri"}
    style.update({k: v for k, v in optional.items() if v != DEFAULT_LOOK[k]})
    return style


def _styles(ws: Worksheet, rows: Iterable[int] | None = None) -> list[dict[str, Any]]:
    groups: dict[str, list[tuple[int, int]]] = {}
    looks: dict[tuple[int, ...], str | None] = {}  # openpyxl's style indices → the look as JSON
    for row in ws.iter_rows():
        for cell in row:
            if rows is not None and cell.row not in rows:
                continue
            indices = getattr(cell, "_style", None)  # openpyxl's style indices: equal indices, equal look
            if indices is None:  # a cell covered by a merge takes the look of the merge's first cell
                continue
            ids = tuple(indices)
            if ids not in looks:
                s = style_of(cell)
                looks[ids] = None if s is None else json.dumps(s, sort_keys=True, ensure_ascii=False)
            key = looks[ids]
            if key is not None:
                groups.setdefault(key, []).append((cell.row, cell.column))
    out = []
    for key, cells in groups.items():
        for union in unions([a1_range(*rect) for rect in rectangles(cells)]):
            out.append({"a": union, "s": json.loads(key)})
    return out


# ── rows fill inserted or deleted ───────────────────────────────────────────────────────
def row_moves(before: list[Sheet], wb: Workbook, fmt: "Format") -> dict[str, list[dict[str, int]]]:
    """Rows inserted or deleted in each table's sheet, as the file pipeline did them.

    Both books are located by the format's keys; a book that cannot be located (check on a
    broken workbook) moved no rows.
    """
    from juesuan.locate import read_book
    from juesuan.workbook_file import grids

    try:
        _, old = read_book(fmt, {s.name: _content_grid(s) for s in before})
        _, new = read_book(fmt, grids(wb))
    except InputError:
        return {}
    moves: dict[str, list[dict[str, int]]] = {}
    for key, f in old.tables.items():
        g = new.tables.get(key)
        if g is None or f.table.kind == "fixed":
            continue
        shift = (g.last_data_row - g.first_data_row) - (f.last_data_row - f.first_data_row)
        if shift > 0:
            moves.setdefault(f.table.sheet, []).append({"insert": f.last_data_row + 1, "count": shift})
        elif shift < 0:
            moves.setdefault(f.table.sheet, []).append({"delete": g.last_data_row + 1, "count": -shift})
    for ops in moves.values():  # bottom first, so each op's row numbers still hold
        ops.sort(key=lambda op: -op.get("insert", op.get("delete", 0)))
    return moves


def _content_grid(s: Sheet) -> list[list[Any]]:
    rows, cols = s.shape
    return [[s.content(r, c) for c in range(1, cols + 1)] for r in range(1, rows + 1)]


def shifted(grid: list[list[Any]], ops: list[dict[str, int]]) -> list[list[Any]]:
    """``grid`` with the row operations applied (as WPS will do them before the cells are written)."""
    out = [list(r) for r in grid]
    for op in ops:
        if "insert" in op:
            i = op["insert"] - 1
            out[i:i] = [[] for _ in range(op["count"])]
        else:
            i = op["delete"] - 1
            del out[i:i + op["count"]]
    return out


# ── the difference ──────────────────────────────────────────────────────────────────────
def diff(before: list[Sheet], wb: Workbook, fmt: "Format", remove_comments_by: str | None = None,
         rebuilt: Iterable[str] = ()) -> dict[str, Any]:
    """The sheet edits that turn the snapshot ``before`` into the workbook ``wb`` (of format ``fmt``).

    ``rebuilt`` names sheets the step writes from scratch (校验结果, 决算情况说明): one that existed is
    deleted and made anew, so nothing of the old one (links, charts, row heights) lingers."""
    replaced = set(rebuilt) & set(wb.sheetnames)
    old = {s.name: s for s in before if s.name not in replaced}
    moves = row_moves(before, wb, fmt)
    sheets: list[dict[str, Any]] = [{"name": s.name, "delete": True} for s in before
                                    if s.name not in wb.sheetnames or s.name in replaced]
    previous: str | None = None
    for ws in wb.worksheets:
        if ws.title in old:
            edit = _changed_sheet(old[ws.title], ws, moves.get(ws.title, []))
        else:
            edit = _new_sheet(ws, previous)
        if len(edit) > 1:
            sheets.append(edit)
        previous = ws.title
    return {"version": VERSION, "remove_comments_by": remove_comments_by, "sheets": sheets}


def _blocks(contents: dict[tuple[int, int], Any]) -> list[dict[str, Any]]:
    out = []
    for r1, c1, r2, c2 in rectangles(contents):
        out.append({"a": a1_range(r1, c1, r2, c2),
                    "f": [[encode(contents[(r, c)]) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]})
    return out


def _after_cells(ws: Worksheet) -> dict[tuple[int, int], Any]:
    return {(c.row, c.column): cell_content(c) for row in ws.iter_rows() for c in row}


def _changed_sheet(s: Sheet, ws: Worksheet, ops: list[dict[str, int]]) -> dict[str, Any]:
    base = shifted(_content_grid(s), ops)
    after = _after_cells(ws)
    changed: dict[tuple[int, int], Any] = {}
    for r, row in enumerate(base, 1):
        for c, v in enumerate(row, 1):
            if v is not None and not same(after.get((r, c)), v):
                changed[(r, c)] = after.get((r, c))
    for (r, c), v in after.items():
        if v is not None and (r, c) not in changed:
            old = base[r - 1][c - 1] if r - 1 < len(base) and c - 1 < len(base[r - 1]) else None
            if not same(v, old):
                changed[(r, c)] = v
    edit: dict[str, Any] = {"name": s.name}
    if ops:
        edit["rows"] = ops
    if changed:
        edit["cells"] = _blocks(changed)
    styles = _styles(ws)
    if styles:
        edit["styles"] = styles
    _dimensions(ws, edit)
    _extras(ws, edit)
    return edit


def _new_sheet(ws: Worksheet, previous: str | None) -> dict[str, Any]:
    contents = {k: v for k, v in _after_cells(ws).items() if v is not None}
    edit: dict[str, Any] = {"name": ws.title, "new": True, "after": previous,
                            "visible": ws.sheet_state == "visible", "protect": bool(ws.protection.sheet),
                            "cells": _blocks(contents)}
    styles = _styles(ws)
    if styles:
        edit["styles"] = styles
    _dimensions(ws, edit)
    if ws.merged_cells.ranges:
        edit["merges"] = [str(m) for m in ws.merged_cells.ranges]
    _extras(ws, edit)
    return edit


def _dimensions(ws: Worksheet, edit: dict[str, Any]) -> None:
    """Column widths, hidden columns and row heights the pipeline set."""
    columns = []
    for letter, dim in sorted(ws.column_dimensions.items()):
        if dim.width or dim.hidden:
            lo, hi = column_letter(dim.min or 1), column_letter(dim.max or dim.min or 1)
            columns.append({"a": f"{lo}:{hi}" if dim.min else f"{letter}:{letter}",
                            "width": dim.width if dim.customWidth or dim.width else None, "hidden": bool(dim.hidden)})
    if columns:
        edit["columns"] = columns
    heights: dict[float, list[str]] = {}
    for r, dim in sorted(ws.row_dimensions.items()):
        if dim.height:
            heights.setdefault(float(dim.height), []).append(f"{r}:{r}")
    if heights:
        edit["heights"] = [{"a": u, "height": h} for h, rows in heights.items() for u in unions(rows)]


def _extras(ws: Worksheet, edit: dict[str, Any]) -> None:
    """Links, comments and charts the pipeline put on the sheet."""
    links, comments = [], []
    for row in ws.iter_rows():
        for c in row:
            if c.hyperlink is not None:
                links.append({"a": c.coordinate, "sub": c.hyperlink.location, "url": c.hyperlink.target,
                              "text": c.hyperlink.display or (str(c.value) if c.value is not None else None)})
            if c.comment is not None:
                comments.append({"a": c.coordinate, "text": c.comment.text, "author": c.comment.author})
    if links:
        edit["links"] = links
    if comments:
        edit["comments"] = comments
    charts = [chart_edit(ch) for ch in getattr(ws, "_charts", [])]
    if charts:
        edit["charts"] = charts


def chart_edit(chart: Any) -> dict[str, Any]:
    """A chart as type, anchor, size (points), source range and title."""
    kind = type(chart).__name__.replace("Chart", "").replace("3D", "").lower() or "pie"
    marker = getattr(getattr(chart, "anchor", None), "_from", None)
    anchor = f"{column_letter(marker.col + 1)}{marker.row + 1}" if marker is not None else "A1"
    refs: list[str] = []
    for s in chart.series:
        for part in (s.cat, s.val):
            ref = getattr(getattr(part, "numRef", None), "f", None) or getattr(getattr(part, "strRef", None), "f", None)
            if ref:
                refs.append(ref)
    return {"type": kind, "anchor": anchor, "width": round(chart.width * POINTS_PER_CM, 1),
            "height": round(chart.height * POINTS_PER_CM, 1), "source": _source(refs), "title": _title(chart)}


def _source(refs: list[str]) -> str | None:
    """One rectangle covering the chart's category and value ranges, when they are on one sheet."""
    from openpyxl.utils.cell import range_boundaries

    boxes, sheets = [], set()
    for ref in refs:
        sheet, _, rng = ref.rpartition("!")
        sheets.add(sheet.strip("'"))
        boxes.append(range_boundaries(rng.replace("$", "")))
    if not boxes or len(sheets) != 1:
        return None
    c1, r1 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    c2, r2 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return a1_range(r1, c1, r2, c2)


def _title(chart: Any) -> str | None:
    try:
        runs = chart.title.tx.rich.p[0].r
        return "".join(r.t for r in runs) or None
    except AttributeError:
        return None


def count(edits: dict[str, Any]) -> dict[str, int]:
    """How many cells, styled ranges and sheets the edits touch (for messages and tests)."""
    cells = 0
    for s in edits["sheets"]:
        for b in s.get("cells", []):
            cells += sum(len(r) for r in b["f"])
    return {"sheets": len(edits["sheets"]), "cells": cells,
            "new_sheets": sum(1 for s in edits["sheets"] if s.get("new")),
            "row_ops": sum(len(s.get("rows", [])) for s in edits["sheets"])}
