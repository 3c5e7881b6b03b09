"""What the exported document shows, computed from a book before any Word code runs.

Values: the book's inputs overlaid with every derived cell from :func:`juesuan.derive.compute`
— the workbook's cached results are never read, so a workbook saved without recalculation
(openpyxl, a script) still exports correct tables.  Text: :func:`juesuan.narrate.narrative`.
Charts: the narrative's figure lines (图1 收入, 图2 支出) drawn by :mod:`juesuan.export.charts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from juesuan.derive import compute
from juesuan.export.grid import Grid
from juesuan.export.outline import ExportOutline
from juesuan.export.charts import Slice, pie_chart
from juesuan.export.public_tables import PrintedTable, printed_tables
from juesuan.expr import Key
from juesuan.model import Book, Value
from juesuan.narrate import Narrative, narrative
from juesuan.narrate.build import department, year
from juesuan.formats import get_pack

@dataclass
class PerfTable:
    """An extra table of the format (nmg-2023: a 项目支出绩效自评表): title, project, grid."""

    title: str
    project: str
    grid: Grid


@dataclass
class Content:
    """Everything the document shows (no arithmetic happens in the Word layer)."""

    narrative: Narrative
    cover: list[tuple[str, str]]  # (label, text) lines under the title
    year: str
    tables: list[PrintedTable]
    outline: ExportOutline
    perf: list[PerfTable] = field(default_factory=list)
    charts: dict[str, bytes] = field(default_factory=dict)  # figure id → picture (JPEG)
    missing: list[str] = field(default_factory=list)  # 【请填写…】 texts the document shows
    toc_pages: dict[str, int] = field(default_factory=dict)  # 目录 entry → page (from a first layout)

    @property
    def tables_title(self) -> str:
        return self.outline.tables_title.format(year=self.year)


def book_values(book: Book) -> dict[Key, Value | Decimal]:
    """Inputs as entered, derived cells as computed."""
    return {**book.values, **compute(book)}


def content_of(book: Book) -> Content:
    outline = get_pack(book.format.id).export
    values = book_values(book)
    story = narrative(book)
    cover, missing = cover_lines(book)
    extra = outline.extra_tables(book, values) if outline.extra_tables else []
    return Content(story, cover, year(book), printed_tables(book, values), outline, extra,
                   charts(book), missing + [p.text for p in story.placeholders])


def cover_lines(book: Book) -> tuple[list[tuple[str, str]], list[str]]:
    """The cover's lines (the outline's ``info`` sheet rows; the first is the department's name);
    a missing entry shows a 【请填写…】 placeholder."""
    outline = get_pack(book.format.id).export
    lines, missing = [], []
    for i, name in enumerate(outline.cover):
        text = book.text((outline.info, name, "值")).strip()
        if i == 0:
            text = text or department(book)
        if not text:
            text = f"【请填写「{outline.info}」表：{name}】"
            missing.append(text)
        lines.append((name, text))
    return lines, missing


def charts(book: Book) -> dict[str, bytes]:
    """The narrative's pictures (nmg-2023: 图1 income, 图2 spending) from the lines its sections
    state (the outline's ``charts``: figure id → metrics attribute with ``lines``)."""
    outline = get_pack(book.format.id).narrative
    m = outline.metrics(book)
    out = {}
    for figure, attribute in outline.charts:
        out[figure] = pie_chart([Slice(_legend_name(i.name), i.amount, i.share) for i in getattr(m, attribute).lines])
    return out


def _legend_name(name: str) -> str:
    """"本年一般公共预算财政拨款收入" → "一般公共预算财政拨款收入" (the chart says 本年 once, in its caption)."""
    return name.removeprefix("本年") or name
