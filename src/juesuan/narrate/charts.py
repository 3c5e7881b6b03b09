"""图1 收入决算图 and 图2 支出决算图 as native Excel pie charts fed by the table cells.

Why references and not numbers: the charts must follow the tables when an accountant corrects a
figure and recalculates; a chart holding copied numbers would silently go stale.  The format pack
declares its charts (:class:`~juesuan.formats.pack.ChartSpec`: nmg-2023's 图1 reads 表1's eight
income lines, 图2 表3's 合计 row with the column headers as labels).  Addresses come from where the reader
found the tables (:class:`~juesuan.locate.FoundBook`), so rows a user inserted above a header
do not break them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from juesuan.formats.pack import ChartSpec
from juesuan.locate import FoundBook
from juesuan.sheets.charts import chart_cells

if TYPE_CHECKING:  # openpyxl only where a chart is built (narrate's patch path copies prebuilt ones)
    from openpyxl.chart import PieChart, Reference
    from openpyxl.workbook import Workbook

WIDTH_CM, HEIGHT_CM = 15.0, 7.5


def _pie(title: str | None, data: Reference, labels: Reference, from_rows: bool) -> PieChart:
    """A pie of ``data`` labelled by ``labels``; the caption row above it carries the title
    in the narrative sheet, so ``title`` is only set for a chart placed elsewhere."""
    from openpyxl.chart import PieChart
    from openpyxl.chart.label import DataLabelList

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


def chart(wb: Workbook, found: FoundBook, spec: ChartSpec, title: str | None = None) -> PieChart:
    """A pack's chart: amounts down a column (row labels) or along a row (header labels)."""
    from openpyxl.chart import Reference

    cells = chart_cells(spec, found)
    (first_label, first), (last_label, last) = cells[0], cells[-1]
    ws = wb[first.sheet]
    from_rows = spec.labels == "header"
    data = Reference(ws, min_col=first.col, max_col=last.col, min_row=first.row, max_row=last.row)
    labels = Reference(ws, min_col=first_label.col, max_col=last_label.col, min_row=first_label.row,
                       max_row=last_label.row)
    return _pie(title, data, labels, from_rows=from_rows)
