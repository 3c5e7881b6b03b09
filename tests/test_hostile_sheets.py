"""Workbooks edited in ways the template did not plan for (found by ``bench/redteam.py``)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.cell.cell import MergedCell

from safe_support import book, run, small_book  # noqa: F401  (fixtures)

TABLE = "一般公共预算财政拨款支出决算表"


def test_check_write_comments_a_finding_inside_a_merged_range_on_its_top_left_cell(book: Path, capsys) -> None:
    """openpyxl's insert_rows (like some editors) leaves merged ranges where they were, so a
    finding's cell can lie inside one: its comment was set on a MergedCell (AttributeError, a
    traceback); now it goes on the range's top-left cell."""
    wb = openpyxl.load_workbook(book)
    ws = wb[TABLE]
    ws.insert_rows(9)
    inside = [(r.min_row, r.min_col) for r in ws.merged_cells.ranges if r.max_row >= 7]
    wb.save(book)
    rc, _, err = run(capsys, "check", book, "--write")
    assert rc == 1 and "Traceback" not in err
    ws = openpyxl.load_workbook(book)[TABLE]
    commented = {(c.row, c.column) for row in ws.iter_rows() for c in row if c.comment is not None}
    assert commented and not any(isinstance(ws.cell(r, c), MergedCell) for r, c in commented)
    assert inside  # the edit did leave merged ranges over the data rows
