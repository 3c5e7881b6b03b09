"""The finance bureau's overview: every department's key figures side by side (``OUT/summary_figures.xlsx``).

Each batch job records its department's key figures (the cells the format pack's roles name
as ``key_figures``: 收支总计, 本年收入/支出合计, 基本/项目支出, 财政拨款收支总计, 三公 预算/决算,
机构运行经费, 政府采购) and how many error and warning findings each rule raised.  The summary
turns them into a pandas DataFrame, one row per department, adds the 三公 completion rate
(决算 ÷ 预算 × 100) and writes a workbook with a bar chart of 基本支出 and 项目支出 by
department, and a second sheet counting findings by rule.  A failed department has a row with
its status and no figures.

Example row: 部门 乌海市退役军人事务局 · 收支总计 3,041.69 · 基本支出 2,118.34 · 项目支出 903.11 ·
三公经费预算数 20.00 · 三公经费决算数 16.21 · 三公完成率（%） 81.05 · 错误 0 · 警告 2.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from juesuan.celltext import data_sheet

from juesuan.expr import Key
from juesuan.findings import Finding, Severity
from juesuan.money import canonical
from juesuan.workbook_file import write_atomic

if TYPE_CHECKING:
    import pandas as pd

    from juesuan.batch.job import Outcome
    from juesuan.model import Book

FIGURES = "summary_figures"
SHEET = "主要指标 key figures"
RULES_SHEET = "问题按规则 findings by rule"
RATE = "三公完成率（%）"
SANGONG = ("三公经费预算数", "三公经费决算数")
CHART = ("基本支出", "项目支出")


def key_figures(book: "Book", values: Mapping[Key, Any]) -> dict[str, str]:
    """The department's key figures as exact decimal texts (the cells as stored)."""
    from juesuan.roles import find_roles

    roles = find_roles(book.format.id)
    if roles is None:
        return {}
    out = {}
    for name, key in roles.key_figures.items():
        v = values.get(key)
        if v is not None and not isinstance(v, str):
            out[name] = canonical(Decimal(v))
    return out


def rule_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Error and warning findings by rule id (acknowledged ones and 尾差 infos left out)."""
    return dict(Counter(f.rule for f in findings if f.acknowledged is None and f.severity is not Severity.INFO))


def figures_frame(outcomes: list["Outcome"]) -> "pd.DataFrame":
    """One row per department: file, 部门, status, the key figures (floats), 三公完成率, counts."""
    import pandas as pd

    rows = []
    for o in outcomes:
        row: dict[str, Any] = {"文件": o.name, "部门": o.department, "状态": o.status}
        row.update({k: float(v) for k, v in o.figures.items()})
        row["错误"] = o.counts.get("error", 0)
        row["警告"] = o.counts.get("warning", 0)
        rows.append(row)
    df = pd.DataFrame(rows)
    if all(c in df for c in SANGONG):
        budget, spent = df[SANGONG[0]], df[SANGONG[1]]
        rate = (spent / budget.where(budget > 0) * 100).round(2)
        df.insert(list(df.columns).index(SANGONG[1]) + 1, RATE, rate)
    return df


def rules_frame(outcomes: list["Outcome"]) -> "pd.DataFrame":
    """Departments × rule ids: how many error/warning findings each rule raised."""
    import pandas as pd

    df = pd.DataFrame([{"文件": o.name, "部门": o.department, **o.rules} for o in outcomes], columns=None)
    if df.empty:
        return pd.DataFrame(columns=["文件", "部门"])
    rule_cols = sorted(c for c in df.columns if c not in ("文件", "部门"))
    return df[["文件", "部门", *rule_cols]].fillna(0).astype({c: int for c in rule_cols})


def write_figures(out_dir: Path, outcomes: list["Outcome"]) -> Path:
    """``OUT/summary_figures.xlsx``: the key figures sheet with its chart, and the findings-by-rule sheet."""
    import pandas as pd

    path = out_dir / f"{FIGURES}.xlsx"
    figures = figures_frame(outcomes)
    rules = rules_frame(outcomes)

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
            figures.to_excel(xl, sheet_name=SHEET, index=False, freeze_panes=(1, 3))
            rules.to_excel(xl, sheet_name=RULES_SHEET, index=False, freeze_panes=(1, 2))
            for sheet in (SHEET, RULES_SHEET):  # names and texts from data files stay text
                data_sheet(xl.book[sheet])
            _dress(xl.book[SHEET], figures)
            _dress(xl.book[RULES_SHEET], rules)
            _chart(xl.book[SHEET], figures)

    write_atomic(path, write)
    return path


def _dress(ws: Any, df: "pd.DataFrame") -> None:
    """Column widths, and amounts shown with thousands separators and two decimals."""
    from openpyxl.utils import get_column_letter

    for i, col in enumerate(df.columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = 30 if col == "部门" else max(10, len(str(col)) * 2 + 2)
        if df[col].dtype.kind == "f":
            for cell in ws[letter][1:]:
                cell.number_format = "#,##0.00"


def _chart(ws: Any, df: "pd.DataFrame") -> None:
    """A stacked bar chart of 基本支出 and 项目支出 by department, beside the table."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    if not all(c in df for c in CHART) or df.empty:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "各部门基本支出与项目支出（万元）"
    n = len(df)
    for name in CHART:
        col = list(df.columns).index(name) + 1
        chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=n + 1), titles_from_data=True)
    dept = list(df.columns).index("部门") + 1
    chart.set_categories(Reference(ws, min_col=dept, min_row=2, max_row=n + 1))
    chart.height = max(8, min(3 + 0.6 * n, 150))  # centimetres: room for every department's label
    chart.width = 24
    ws.add_chart(chart, f"{get_column_letter(len(df.columns) + 2)}2")
