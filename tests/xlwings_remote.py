"""A real harness for the ribbon commands: xlwings' remote engine fed from a workbook file.

``payload(path)`` builds the JSON an Excel client sends (every sheet's values, read with
python-calamine as Excel would show them); ``open_remote(path)`` opens it as an ``xlwings.Book``;
``apply_actions(path, actions)`` replays the actions the commands recorded onto the file with
openpyxl, so a test can compare the result with what the command line writes.
The remote engine is xlwings PRO code, used here under its PolyForm Noncommercial licence for
testing only (``XLWINGS_LICENSE_KEY=noncommercial``); the shipped ribbon code uses only the core.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, PatternFill
from python_calamine import CalamineWorkbook

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
import xlwings as xw  # noqa: E402


def payload(path: str | Path) -> dict[str, Any]:
    wb = CalamineWorkbook.from_path(str(path))
    sheets = []
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        rows = [[None if v == "" else v for v in r] for r in rows] or [[None]]
        width = max(len(r) for r in rows)
        rows = [r + [None] * (width - len(r)) for r in rows]
        sheets.append({"name": name, "values": rows, "pictures": [], "tables": []})
    return {"client": "Microsoft Office Scripts", "version": xw.__version__,
            "book": {"name": Path(path).name, "active_sheet_index": 0, "selection": "A1"},
            "names": [], "sheets": sheets}


def open_remote(path: str | Path) -> Any:
    return xw.Book(json=payload(path))


def actions_per_sheet(actions: list[dict[str, Any]], names: list[str]) -> Counter:
    counts: Counter = Counter()
    for a in actions:
        pos = a.get("sheet_position")
        counts[names[pos] if pos is not None and pos < len(names) else "(book)"] += 1
    return counts


def apply_actions(path: str | Path, actions: list[dict[str, Any]], out: str | Path) -> list[str]:
    """Replay recorded actions on the workbook file; returns the alert messages."""
    wb = openpyxl.load_workbook(path)
    alerts = []
    for a in actions:
        func = a["func"]
        ws = wb.worksheets[a["sheet_position"]] if a.get("sheet_position") is not None else None
        r0, c0 = (a.get("start_row") or 0) + 1, (a.get("start_column") or 0) + 1
        if func == "setValues":
            for i, row in enumerate(a["values"]):
                for j, v in enumerate(row):
                    ws.cell(r0 + i, c0 + j).value = None if v == "" else v
        elif func == "rangeInsert":
            ws.insert_rows(r0, a["row_count"])
        elif func == "rangeDelete":
            ws.delete_rows(r0, a["row_count"])
        elif func == "addSheet":
            wb.create_sheet(a["args"][1], a["args"][0])
        elif func == "sheetDelete":
            wb.remove(ws)
        elif func == "setRangeColor":
            for row in ws.iter_rows(min_row=r0, max_row=r0 + a["row_count"] - 1, min_col=c0,
                                    max_col=c0 + a["column_count"] - 1):
                for c in row:
                    c.fill = PatternFill("solid", start_color=a["args"][0].lstrip("#"))
        elif func == "setColumnWidth":
            from openpyxl.utils import get_column_letter
            for c in range(c0, c0 + a["column_count"]):
                ws.column_dimensions[get_column_letter(c)].width = a["args"][0]
        elif func == "setWrapText":
            for row in ws.iter_rows(min_row=r0, max_row=r0 + a["row_count"] - 1, min_col=c0,
                                    max_col=c0 + a["column_count"] - 1):
                for c in row:
                    c.alignment = Alignment(wrap_text=a["args"][0], vertical="top")
        elif func == "addHyperlink":
            ws.cell(r0, c0).hyperlink = a["args"][0]
        elif func == "setNumberFormat":
            for row in ws.iter_rows(min_row=r0, max_row=r0 + a["row_count"] - 1, min_col=c0,
                                    max_col=c0 + a["column_count"] - 1):
                for c in row:
                    c.number_format = a["args"][0]
        elif func == "setSheetAutofit":
            pass  # row heights: Excel measures text; nothing to replay in a file
        elif func == "setSheetName":
            ws.title = a["args"][0]
        elif func == "addChart":
            _add_chart(wb, ws, a["args"])
        elif func == "alert":
            alerts.append(a["args"][0])
        else:
            raise AssertionError(f"the harness does not know the action {func!r}")
    wb.save(out)
    return alerts


def _add_chart(wb: Any, ws: Any, args: list[Any]) -> None:
    """addChart [name, type, source sheet, source address, left, top, width, height, …]: a pie."""
    from openpyxl.chart import PieChart, Reference
    from openpyxl.utils.cell import range_boundaries

    _, kind, source_sheet, address, _, top, _, _, _, anchor = args[:10]
    assert kind == "Pie", kind
    min_col, min_row, max_col, max_row = range_boundaries(address.replace("$", ""))
    src = wb[source_sheet]
    chart = PieChart()
    chart.add_data(Reference(src, min_col=max_col, min_row=min_row, max_row=max_row))
    chart.set_categories(Reference(src, min_col=min_col, min_row=min_row, max_row=max_row))
    ws.add_chart(chart, anchor.replace("$", "") if anchor else f"A{int(top // 15) + 1}")
