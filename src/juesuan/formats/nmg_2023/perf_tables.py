"""项目支出绩效自评表: one table per project of the 绩效自评 sheet, laid out as the seed prints it.

Twelve grid columns carry three different row shapes — the money block (年初预算数 … 得分), the
goals (预期目标 | 实际完成情况) and the indicator lines (一级指标 … 偏差原因) — so the cells of
each shape span several grid columns.  一级/二级指标 cells merge downwards over consecutive equal
values, as in the seed.  Values come from the book's inputs and :func:`juesuan.derive.compute`
(年度资金总额, the 执行率 of every money line, 得分, 总分).
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.export.content import PerfTable
from juesuan.export.grid import Grid, GridCell, format_value, score_text
from juesuan.expr import Key
from juesuan.formats.nmg_2023 import PERF_MONEY, PERF_STAGES
from juesuan.narrate.build import year as book_year
from juesuan.model import Book, Value

PROJECTS, INDICATORS = "绩效自评", "绩效指标"
WIDTHS = [2.1, 1.3, 1.4, 2.2, 1.0, 1.3, 1.2, 1.2, 1.0, 1.0, 1.1, 2.2]  # 项目名称 on one line  # cm on a portrait page
DASH = "——"
# (first grid column, span) of the money block's columns: label, 年初/全年预算数, 全年执行数, 分值, 执行率, 得分
MONEY_COLUMNS = [(1, 2), (3, 1), (4, 2), (6, 2), (8, 1), (9, 2), (11, 1)]
INDICATOR_HEADERS = ["一级指标", "二级指标", "三级指标", "指标性质", "指标方向", "年度指标值", "实际完成值", "计量单位",
                     "分值", "得分", "偏差原因分析及改进措施"]
INDICATOR_COLUMNS = ["一级指标", "二级指标", "三级指标", "指标性质", "指标方向", "年度指标值", "实际完成值", "计量单位",
                     "分值", "得分", "偏差原因"]
MONEY_LABELS = {"年度资金总额": "年度资金总额", "财政拨款": "其中：财政拨款", "上年结转资金": "上年结转资金",
                "其他资金": "其他资金"}


def perf_tables(book: Book, values: dict[Key, Value | Decimal]) -> list[PerfTable]:
    """One table per 绩效自评 record, in sheet order."""
    year = book_year(book)
    out = []
    for row in book.rows(book.format.table(PROJECTS)):
        name = book.text((PROJECTS, row, "项目名称"))
        out.append(PerfTable(f"项目支出绩效自评表（{year}年度）", name, perf_grid(book, row, values)))
    return out


def perf_grid(book: Book, row: str, values: dict[Key, Value | Decimal]) -> Grid:
    def v(col: str) -> Value | Decimal:
        return values.get((PROJECTS, row, col))

    def text(col: str) -> str:
        value = v(col)
        return "" if value is None else str(value)

    grid = Grid(list(WIDTHS), font_size=9.0)
    rows = _Rows(grid)
    r = rows()
    grid.place(r, 0, _head("项目名称"))
    grid.place(r, 1, GridCell(text("项目名称"), colspan=11, key=(PROJECTS, row, "项目名称")))
    r = rows()
    grid.place(r, 0, _head("主管部门"))
    grid.place(r, 1, GridCell(text("主管部门"), colspan=5))
    grid.place(r, 6, _head("实施单位", colspan=2))
    grid.place(r, 8, GridCell(text("实施单位"), colspan=4))
    _money(grid, rows, row, values)
    r = rows()
    rows()
    grid.place(r, 0, _head("年度总体目标", rowspan=2))
    grid.place(r, 1, _head("预期目标", colspan=5))
    grid.place(r, 6, _head("实际完成情况", colspan=6))
    grid.place(r + 1, 1, GridCell(text("预期目标"), colspan=5))
    grid.place(r + 1, 6, GridCell(text("实际完成情况"), colspan=6))
    points = _indicators(grid, rows, book, text("项目名称"), values)
    r = rows()
    grid.place(r, 0, _head("总分", colspan=9))
    fund_points = v("资金分值")
    total_points = (Decimal(fund_points) if isinstance(fund_points, (int, Decimal)) else Decimal(0)) + points
    grid.rows[r][9] = GridCell(score_text(total_points), "center", bold=True)
    grid.rows[r][10] = GridCell(format_value(v("总分"), "number"), "center", bold=True, key=(PROJECTS, row, "总分"))
    grid.check()
    return grid


class _Rows:
    """Hands out row indexes top to bottom (a rowspan may already have created the row)."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.next = 0

    def __call__(self) -> int:
        r = self.next
        self.next += 1
        while len(self.grid.rows) <= r:
            self.grid.add_row()
        return r


def _head(text: str, rowspan: int = 1, colspan: int = 1) -> GridCell:
    return GridCell(text, "center", bold=True, rowspan=rowspan, colspan=colspan, shade=True)


def _money(grid: Grid, rows: _Rows, row: str, values: dict[Key, Value | Decimal]) -> None:
    top = rows()
    grid.place(top, 0, _head("项目资金（万元）", rowspan=1 + len(PERF_MONEY)))
    headers = ["", *PERF_STAGES, "分值", "执行率（%）", "得分"]
    for (c, span), text in zip(MONEY_COLUMNS, headers):
        grid.place(top, c, _head(text, colspan=span))
    for money in PERF_MONEY:
        r = rows()
        stage_keys = [(PROJECTS, row, f"{money}{s}") for s in PERF_STAGES]
        amounts = [values.get(k) for k in stage_keys]
        no_budget = _dec(values.get((PROJECTS, row, f"{money}全年预算数"))) == 0  # a rate of nothing: ——
        if money == "年度资金总额":
            tail = [(DASH if k == "执行率" and no_budget else format_value(values.get((PROJECTS, row, k)), "number"),
                     (PROJECTS, row, k)) for k in ("资金分值", "执行率", "资金得分")]
        else:
            rate = (PROJECTS, row, f"{money}执行率")
            tail = [(DASH, None), (DASH if no_budget else format_value(values.get(rate), "number"), rate), (DASH, None)]
        cells = [(MONEY_LABELS[money], None)] + [(format_value(a, "amount"), k) for a, k in zip(amounts, stage_keys)]
        for (c, span), (text, key) in zip(MONEY_COLUMNS, cells + tail):
            align = "left" if c == 1 else "right" if key and key[2] in {k[2] for k in stage_keys} else "center"
            grid.place(r, c, GridCell(text, align, colspan=span, key=key))


def _dec(value: Value | Decimal) -> Decimal:
    return Decimal(value) if isinstance(value, (int, Decimal)) else Decimal(0)


def _indicators(grid: Grid, rows: _Rows, book: Book, project: str, values: dict[Key, Value | Decimal]) -> Decimal:
    """The indicator header and lines of ``project``; returns the sum of their 分值."""
    lines = [r for r in book.rows(book.format.table(INDICATORS))
             if book.text((INDICATORS, r, "项目名称")).strip() == project.strip()]
    top = rows()
    grid.place(top, 0, _head("绩效指标", rowspan=1 + len(lines)))
    for i, text in enumerate(INDICATOR_HEADERS):
        grid.place(top, 1 + i, _head(text))
    points = Decimal(0)
    first = top + 1
    for n, line in enumerate(lines):
        r = rows()
        for i, col in enumerate(INDICATOR_COLUMNS):
            key = (INDICATORS, line, col)
            kind = "number" if col in ("分值", "得分") else "text"
            align = "center" if kind == "number" or i >= 3 else "left"
            grid.rows[r][1 + i] = GridCell(format_value(values.get(key), kind), align, key=key)
        points += _dec(values.get((INDICATORS, line, "分值")))
    _merge_down(grid, first, len(lines), 1, [])
    _merge_down(grid, first, len(lines), 2, [1])
    return points


def _merge_down(grid: Grid, first: int, n: int, col: int, within: list[int]) -> None:
    """Merge runs of equal text in column ``col`` (inside runs equal in the ``within`` columns)."""
    r = first
    while r < first + n:
        cell = grid.rows[r][col]
        assert cell is not None
        end = r + 1
        while end < first + n:
            below = grid.rows[end][col]
            if below is None or below.text != cell.text or not cell.text:
                break
            if any(grid.rows[end][w] is not None for w in within):  # a new run of the outer column
                break
            end += 1
        if end - r > 1:
            cell.rowspan = end - r
            cell.align = "center"
            grid.place(r, col, cell)
        r = end
