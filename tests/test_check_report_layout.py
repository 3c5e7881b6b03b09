"""The 校验结果 sheet a reviewer prints: errors and warnings first, the 尾差 of a table on one
line (its rows folded under it), three cells named and the rest folded, one page wide."""

from __future__ import annotations

from decimal import Decimal as D

from openpyxl import Workbook

from juesuan.check.report_sheet import HEADER_ROW, build_sheet
from juesuan.findings import CellRef, Finding, Severity

SHEET5 = "一般公共预算财政拨款支出决算表"


def tail(row: int) -> Finding:
    return Finding("W5-2", Severity.INFO, f"表5 …相差 0.01（差额在四舍五入容差 ±0.02 以内，属尾差）",
                   [CellRef(SHEET5, f"D{row}", "表5", str(row), "基本支出")], expected=D("1"), actual=D("1.01"))


def test_tails_fold_under_one_line_and_errors_come_first() -> None:
    error = Finding("X13", Severity.ERROR, "表5 基本支出与表6 不一致",
                    [CellRef(SHEET5, f"D{r}", "表5") for r in range(7, 13)])
    warning = Finding("X19", Severity.WARNING, "表11 机构运行经费", [CellRef("表11", "D6", "表11")])
    ws = build_sheet(Workbook(), [error, warning] + [tail(r) for r in range(20, 32)], {})
    rows = list(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert [r[1] for r in rows[:3]] == ["X13", "X19", "W5-2"]
    assert "12 处尾差" in rows[2][3] and rows[2][0] == 3
    details = range(HEADER_ROW + 4, HEADER_ROW + 4 + 12)
    assert all(ws.row_dimensions[r].hidden and ws.row_dimensions[r].outlineLevel == 1 for r in details)
    assert not ws.row_dimensions[HEADER_ROW + 3].hidden
    assert rows[0][4].endswith("等 6 个单元格") and rows[0][4].count("、") == 2
    assert ws.column_dimensions["L"].hidden  # 其他单元格: folded
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"


def test_a_single_tail_keeps_its_own_line() -> None:
    ws = build_sheet(Workbook(), [tail(20)], {})
    rows = list(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert len(rows) == 1 and "属尾差" in rows[0][3] and not ws.row_dimensions[HEADER_ROW + 1].hidden
