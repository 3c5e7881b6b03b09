"""Helpers for the fill tests (reading what a saved workbook holds); no tests here."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import python_calamine

from juesuan.lint import workbook_formulas

Cell = tuple[str, int, int]  # (sheet, row, column), 1-based


def stored_values(path: Path) -> dict[Cell, Any]:
    """Every non-empty cell as a reader that does not calculate sees it (python-calamine)."""
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    out: dict[Cell, Any] = {}
    for name in wb.sheet_names:
        sheet = wb.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v != "" and v is not None:
                    out[(name, r, c)] = v
    return out


def formulas(path: Path) -> dict[Cell, str]:
    """Every formula cell's text (openpyxl, formula mode)."""
    return workbook_formulas(openpyxl.load_workbook(path))


def cell_contents(path: Path) -> dict[Cell, Any]:
    """Every cell's content as openpyxl reads it without data_only (formulas as text)."""
    wb = openpyxl.load_workbook(path)
    return {(ws.title, r, c): cell.value for ws in wb.worksheets for (r, c), cell in ws._cells.items()
            if cell.value is not None}


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def numeric_mismatches(ours: dict[Cell, Any], theirs: dict[Cell, Any], tolerance: float = 1e-6) -> list[str]:
    """Cells where ours holds a number and theirs differs (or is missing/not a number)."""
    bad = []
    for key, v in ours.items():
        if not is_number(v):
            continue
        w = theirs.get(key)
        if not is_number(w) or abs(v - w) > tolerance:
            bad.append(f"{key[0]}!R{key[1]}C{key[2]}: ours {v!r}, theirs {w!r}")
    return bad


def copy(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    return dst


def shift_rows(ws: Any, idx: int, amount: int) -> None:
    """Insert (amount > 0) or delete (amount < 0) rows at ``idx`` as Excel does: merged ranges
    below move with their rows (openpyxl's insert_rows/delete_rows leave them behind)."""
    below = [m for m in list(ws.merged_cells.ranges) if m.min_row >= idx]
    for m in below:
        ws.unmerge_cells(str(m))
    if amount > 0:
        ws.insert_rows(idx, amount)
    else:
        ws.delete_rows(idx, -amount)
    for m in below:
        ws.merge_cells(start_row=m.min_row + amount, start_column=m.min_col, end_row=m.max_row + amount,
                       end_column=m.max_col)


def formula_cells(path: Path) -> set[Cell]:
    """Where the formulas are, from the sheet XML (fast: no openpyxl)."""
    import re
    import zipfile

    from juesuan.cached import sheet_paths

    out: set[Cell] = set()
    with zipfile.ZipFile(path) as z:
        for sheet, part in sheet_paths(z).items():
            for col, row in re.findall(r'<c r="([A-Z]+)(\d+)"[^>]*><f[ >/]', z.read(part).decode("utf-8")):
                n = 0
                for ch in col:
                    n = n * 26 + ord(ch) - 64
                out.add((sheet, int(row), n))
    return out
