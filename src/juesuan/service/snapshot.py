"""A workbook snapshot: what the WPS add-in reads in one call per sheet, as JSON.

Shape (``version`` 1)::

    {"version": 1, "workbook": "部门决算.xlsx", "format": "nmg-2023",   # format: the _juesuan_format stamp, if any
     "sheets": [{"name": "收入支出决算总表", "visible": true,
                 "values":   [[…row 1 from column A…], …],   # Range.Value2 from A1 to the last used cell
                 "formulas": [[…], …]}]}                    # Range.Formula of the same range (optional)

A cell is a formula when its ``formulas`` entry is text starting with ``=``; its ``values`` entry
is then the value WPS shows (stored as the formula's cached value, which is what check reads).
Otherwise the ``values`` entry is the constant.  Numbers, text, booleans and null only; WPS's
error values arrive as text (``#DIV/0!``) or as COM error numbers and are both understood.

:func:`to_workbook` makes the snapshot the in-memory workbook the pipeline runs on (no file is
written), :func:`check_grids_of` the grids the checker reads; :func:`from_file` reads an .xlsx
into the snapshot's shape (the tests' stand-in for WPS, and the Node harness's input).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils.datetime import to_excel

from juesuan.celltext import problem
from juesuan.errors import InputError, Location
from juesuan.expr import column_letter
from juesuan.locate import is_error_text
from juesuan.xleval import XlError

VERSION = 1
MAX_SHEETS = 200
MAX_CELLS = 2_000_000  # all sheets together
# COM error numbers (CVErr) as some hosts hand them to scripts
COM_ERRORS = {-2146826281: "#DIV/0!", -2146826246: "#N/A", -2146826259: "#NAME?", -2146826288: "#NULL!",
              -2146826252: "#NUM!", -2146826265: "#REF!", -2146826273: "#VALUE!"}
FORBIDDEN_IN_NAME = set('[]:*?/\\')


@dataclass
class Sheet:
    """One sheet of a snapshot: rectangular grids from A1, formulas as ``=…`` text or None."""

    name: str
    values: list[list[Any]]
    formulas: list[list[Any]]
    visible: bool = True

    def content(self, r: int, c: int) -> Any:
        """What the cell holds (1-based): its formula text, else its constant."""
        f = _at(self.formulas, r, c)
        if isinstance(f, str) and f.startswith("="):
            return f
        return _at(self.values, r, c)

    @property
    def shape(self) -> tuple[int, int]:
        rows = max(len(self.values), len(self.formulas))
        cols = max([len(r) for r in self.values] + [len(r) for r in self.formulas] + [0])
        return rows, cols


def _at(grid: list[list[Any]], r: int, c: int) -> Any:
    if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
        return grid[r - 1][c - 1]
    return None


def _bad(zh: str, en: str, sheet: str | None = None, cell: str | None = None) -> InputError:
    return InputError(zh, en, Location(file="快照 snapshot", sheet=sheet, cell=cell), kind="snapshot")


def format_of(data: Any) -> str | None:
    """The snapshot's format stamp (the workbook's ``_juesuan_format`` name), when it is a known one."""
    from juesuan.formats import FORMATS

    stamp = data.get("format") if isinstance(data, dict) else None
    return stamp if isinstance(stamp, str) and stamp in FORMATS else None


def parse(data: Any) -> list[Sheet]:
    """Validate a decoded snapshot; every problem is an InputError naming the sheet and cell."""
    if not isinstance(data, dict) or not isinstance(data.get("sheets"), list):
        raise _bad("快照格式不对：需要一个含 sheets 列表的 JSON 对象", "a snapshot is a JSON object with a 'sheets' list")
    if data.get("version", VERSION) != VERSION:
        raise _bad(f"不支持的快照版本 {data.get('version')!r}（本服务支持 {VERSION}）",
                   f"unsupported snapshot version {data.get('version')!r} (this service reads {VERSION})")
    raw = data["sheets"]
    if not raw:
        raise _bad("快照中没有工作表", "the snapshot has no sheets")
    if len(raw) > MAX_SHEETS:
        raise _bad(f"工作表过多（{len(raw)} 个，上限 {MAX_SHEETS}）", f"too many sheets ({len(raw)} > {MAX_SHEETS})")
    sheets: list[Sheet] = []
    seen: set[str] = set()
    total = 0
    for i, s in enumerate(raw, 1):
        if not isinstance(s, dict) or not isinstance(s.get("name"), str) or not s["name"].strip():
            raise _bad(f"第 {i} 个工作表缺少名称", f"sheet {i} has no name")
        name = s["name"]
        if len(name) > 31 or FORBIDDEN_IN_NAME & set(name) or name.casefold() in seen:
            raise _bad("工作表名称无效或重复", "invalid or duplicate sheet name", sheet=name)
        seen.add(name.casefold())
        values = _grid(s.get("values"), name, "values")
        formulas = _grid(s.get("formulas"), name, "formulas") if s.get("formulas") is not None else []
        sheet = Sheet(name, values, formulas, bool(s.get("visible", True)))
        rows, cols = sheet.shape
        total += rows * cols
        if total > MAX_CELLS:
            raise _bad(f"快照过大（超过 {MAX_CELLS:,} 个单元格）", f"the snapshot is too large (> {MAX_CELLS:,} cells)")
        sheets.append(sheet)
    return sheets


def _grid(raw: Any, sheet: str, what: str) -> list[list[Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(r, list) for r in raw):
        raise _bad(f"{what} 应为二维数组（行的列表）", f"{what} must be a list of rows", sheet=sheet)
    for r, row in enumerate(raw, 1):
        for c, v in enumerate(row, 1):
            if v is None or isinstance(v, (bool, int, float)):
                if isinstance(v, float) and v != v:  # NaN
                    row[c - 1] = None
                continue
            if isinstance(v, str):
                why = problem(v)  # what a cell cannot hold (control characters, over 32,767 characters)
                if why is not None:
                    raise _bad(*why, sheet=sheet, cell=f"{column_letter(c)}{r}")
                continue
            raise _bad(f"不支持的单元格值类型 {type(v).__name__}", f"unsupported cell value of type {type(v).__name__}",
                       sheet=sheet, cell=f"{column_letter(c)}{r}")
    return raw


def constant(value: Any) -> Any:
    """A snapshot constant as openpyxl stores it ('' is an empty cell)."""
    return None if value == "" else value


def cached_value(value: Any) -> Any:
    """A formula's displayed value as :mod:`juesuan.cached` stores it (errors as XlError)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in COM_ERRORS:
        return XlError(COM_ERRORS[value])
    if isinstance(value, str) and is_error_text(value):
        return XlError(value)
    return value


def to_workbook(sheets: list[Sheet], format_id: str | None = None) -> Workbook:
    """The snapshot as an in-memory openpyxl workbook (formulas and constants), stamped with its
    format when the snapshot names one: what the pipeline would load from the user's file."""
    wb = Workbook()
    wb.remove(wb.active)
    if format_id:
        from juesuan.formats.detect import stamp_workbook

        stamp_workbook(wb, format_id)
    for s in sheets:
        ws = wb.create_sheet(s.name)
        if not s.visible:
            ws.sheet_state = "hidden"
        rows, cols = s.shape
        for r in range(1, rows + 1):
            for c in range(1, cols + 1):
                v = s.content(r, c)
                if isinstance(v, str) and v.startswith("=") and len(v) > 1 and _is_formula(s, r, c):
                    ws.cell(r, c).value = v
                    continue
                v = constant(v)
                if v is None:
                    continue
                cell = ws.cell(r, c)
                cell.value = v
                if isinstance(v, str) and v.startswith("="):
                    cell.data_type = "s"  # text that only looks like a formula stays text
    return wb


def _is_formula(s: Sheet, r: int, c: int) -> bool:
    f = _at(s.formulas, r, c)
    return isinstance(f, str) and f.startswith("=")


def check_grids_of(sheets: list[Sheet]) -> tuple[dict[str, list[list[Any]]], dict[str, list[list[Any]]]]:
    """(values, formulas) as :func:`juesuan.check.read.load_grids` reads them from a file: the
    values WPS shows (errors as their text) and the formula text or constant of every cell."""
    values: dict[str, list[list[Any]]] = {}
    formulas: dict[str, list[list[Any]]] = {}
    for s in sheets:
        rows, cols = s.shape
        values[s.name] = [[_shown(_at(s.values, r, c)) for c in range(1, cols + 1)] for r in range(1, rows + 1)]
        formulas[s.name] = [[s.content(r, c) for c in range(1, cols + 1)] for r in range(1, rows + 1)]
    return values, formulas


def _shown(value: Any) -> Any:
    v = cached_value(value)
    return v.code if isinstance(v, XlError) else v


def format_of_sheets(sheets: list[Sheet], stamp: str | None) -> str:
    """The format id: the snapshot's stamp, else recognised by sheet names and titles (as the
    command line recognises a file)."""
    from juesuan.formats.detect import detect_in_grids, stamp_value
    from juesuan.formats.pack import STAMP_NAME

    names = {STAMP_NAME: stamp_value(stamp)} if stamp else {}
    return detect_in_grids([s.name for s in sheets], names, {s.name: s.values for s in sheets})


def from_file(path: str | Path) -> dict[str, Any]:
    """The snapshot WPS would send for the workbook at ``path`` (values as shown, formulas as text)."""
    from juesuan.check.read import load_grids

    values, formulas = load_grids(path)
    sheets = []
    for name, vgrid in values.items():
        fgrid = formulas.get(name, [])
        rows = max(len(vgrid), len(fgrid))
        cols = max([len(r) for r in vgrid] + [len(r) for r in fgrid] + [0])
        vals = [[_json_value(_at_t(vgrid, r, c)) for c in range(cols)] for r in range(rows)]
        forms = [[_formula_entry(_at_t(fgrid, r, c), vals[r][c]) for c in range(cols)] for r in range(rows)]
        rows, cols = _trim(vals, forms)
        sheets.append({"name": name, "visible": True, "values": [row[:cols] for row in vals[:rows]],
                       "formulas": [row[:cols] for row in forms[:rows]]})
    _mark_hidden(path, sheets)
    from juesuan.formats.detect import workbook_stamp_and_sheets

    return {"version": VERSION, "workbook": Path(path).name, "format": workbook_stamp_and_sheets(path)[0],
            "sheets": sheets}


def _at_t(grid: Any, r: int, c: int) -> Any:
    if r < len(grid) and c < len(grid[r]):
        return grid[r][c]
    return None


def _json_value(v: Any) -> Any:
    if isinstance(v, (dt.datetime, dt.date)):
        return to_excel(v)
    if isinstance(v, dt.time):
        return (v.hour * 3600 + v.minute * 60 + v.second) / 86400
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    if v == "":
        return None
    return v


def _formula_entry(f: Any, value: Any) -> Any:
    """Range.Formula's entry: the formula text, else the constant (WPS gives constants as text)."""
    if isinstance(f, str) and f.startswith("="):
        return f
    return value


def _trim(vals: list[list[Any]], forms: list[list[Any]]) -> tuple[int, int]:
    """The used range from A1: up to the last row and column holding anything."""
    rows = cols = 0
    for r, row in enumerate(vals):
        for c, v in enumerate(row):
            if v is not None or forms[r][c] is not None:
                rows, cols = max(rows, r + 1), max(cols, c + 1)
    return rows, cols


def _mark_hidden(path: str | Path, sheets: list[dict[str, Any]]) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        states = {ws.title: ws.sheet_state for ws in wb.worksheets}
    finally:
        wb.close()
    for s in sheets:
        s["visible"] = states.get(s["name"], "visible") == "visible"
