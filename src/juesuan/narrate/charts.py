"""图1 收入决算图 and 图2 支出决算图 as native Excel pie charts fed by the table cells.

Why references and not numbers: the charts must follow the tables when an accountant corrects a
figure and recalculates; a chart holding copied numbers would silently go stale.  图1 reads the
eight income lines of 表1 (labels from its 项目 column, amounts from 金额); 图2 reads the 表3 合计
row's five 支出 columns with their headers as labels.  Addresses come from where the reader
found the tables (:class:`~juesuan.locate.FoundBook`), so rows a user inserted above a header
do not break them.
"""

from __future__ import annotations

from openpyxl.chart import PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.workbook import Workbook

from juesuan.formats.nmg_2023 import INCOME_LINES, SPENDING_KINDS
from juesuan.locate import FoundBook

WIDTH_CM, HEIGHT_CM = 15.0, 7.5


def _pie(title: str | None, data: Reference, labels: Reference, from_rows: bool) -> PieChart:
    """A pie of ``data`` labelled by ``labels``; the caption row above it carries the title
    in the narrative sheet, so ``title`` is only set for a chart placed elsewhere."""
    chart = PieChart()
    if title:
        chart.title = title
    chart.add_data(data, from_rows=from_rows, titles_from_data=False)
    chart.set_categories(labels)
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showPercent = True
    chart.dataLabels.showVal = False
    chart.dataLabels.showCatName = False
    chart.dataLabels.showSerName = False
    chart.dataLabels.showLegendKey = False
    chart.legend.position = "r"
    chart.width, chart.height = WIDTH_CM, HEIGHT_CM
    return chart


def income_chart(wb: Workbook, found: FoundBook, title: str | None = None) -> PieChart:
    """图1: 表1 income lines 一…八 (label column of the 收入 block, 金额 column)."""
    first = found.address(("表1", INCOME_LINES[0][0], "金额"))
    last = found.address(("表1", INCOME_LINES[-1][0], "金额"))
    assert first and last, "表1 income lines not found"
    ws = wb[first.sheet]
    label_col = found.tables["表1"].layout.block_starts[0]
    data = Reference(ws, min_col=first.col, min_row=first.row, max_row=last.row)
    labels = Reference(ws, min_col=label_col, min_row=first.row, max_row=last.row)
    return _pie(title, data, labels, from_rows=False)


def spending_chart(wb: Workbook, found: FoundBook, title: str | None = None) -> PieChart:
    """图2: 表3 合计 row, columns 基本支出 … 对附属单位补助支出, headers as labels."""
    first = found.address(("表3", "合计", SPENDING_KINDS[0]))
    last = found.address(("表3", "合计", SPENDING_KINDS[-1]))
    assert first and last, "表3 合计 row not found"
    ws = wb[first.sheet]
    header = found.tables["表3"].layout.header_row
    data = Reference(ws, min_col=first.col, max_col=last.col, min_row=first.row, max_row=first.row)
    labels = Reference(ws, min_col=first.col, max_col=last.col, min_row=header, max_row=header)
    return _pie(title, data, labels, from_rows=True)


CHARTS = {"income": income_chart, "spending": spending_chart}
