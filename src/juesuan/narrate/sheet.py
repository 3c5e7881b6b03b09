"""Writing the narrative into the workbook: the sheet 决算情况说明, print-ready, with its charts.

One paragraph per row in column A (width 100, wrapped, top-aligned), row heights estimated from
the text's display width so Excel, WPS and LibreOffice print every line (a row too short cuts
text off on paper; a little slack is harmless).  A4 portrait at a fixed 85 % scale (see
:data:`SCALE`), print area column A only.  Charts sit in the text flow, in a tall row under their caption, so they print
with the section they illustrate.

Regenerating replaces the sheet and touches no other sheet.  The SHA-256 of the text as written
is kept in a hidden cell (:data:`HASH_CELL`); if the sheet's text no longer matches it, someone
edited the narrative by hand, and the old sheet is kept as ``决算情况说明(手改1)`` (next free
number) instead of being overwritten.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from juesuan.celltext import put
from juesuan.formats import get_pack
from juesuan.formats.pack import FormatPack
from juesuan.locate import FoundBook, read_book
from juesuan.model import Book
from juesuan.narrate.charts import HEIGHT_CM, chart
from juesuan.narrate.document import Narrative, Paragraph, text_hash
from juesuan.workbook_file import grids

if TYPE_CHECKING:  # openpyxl (and numpy) only where the sheet is written with it: narrate's patch path needs none
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SHEET = "决算情况说明"
HASH_CELL = "C1"  # in a hidden column, outside the print area
HASH_PREFIX = "juesuan-narrative-sha256:"
WIDTH = 100  # column A width, in characters of the workbook's default font
SCALE = 85  # print scale: column A (≈ 705 px in Calibri, ≈ 805 px where LibreOffice substitutes
# DejaVu Sans) then fits the 697 px between 0.5-inch A4 margins.  An explicit scale, because
# LibreOffice 7 ignores "fit to 1 page wide, any height" and clips a column wider than the page.
FONT = "宋体"
INDENT = "\u3000\u3000"  # two full-width spaces: the first-line indent of a Chinese paragraph
STYLES: dict[str, tuple[int, bool, str]] = {  # kind → (font size, bold, horizontal alignment)
    "title": (16, True, "center"),
    "part": (14, True, "left"),
    "section": (12, True, "left"),
    "heading": (12, True, "left"),
    "body": (12, False, "left"),
    "figure": (12, True, "center"),
}
CHART_ROW_HEIGHT = HEIGHT_CM / 2.54 * 72 + 12  # points


@dataclass(frozen=True)
class WriteResult:
    sheet: str
    kept_copy: str | None  # the name the hand-edited sheet was kept under, if any
    paragraphs: int
    digest: str


_WIDE: dict[str, bool] = {}  # character → counts 2 (East Asian width W, F or A)
# Unicode versions in which every character Python's GBK codec encodes takes 2 bytes exactly when
# its East Asian width is W, F or A (1 byte otherwise): there the width is the GBK length, ~10×
# faster (a batch sizes ~90 paragraphs per department).  tests/test_batch_write_width.py checks the
# running version character by character.
GBK_IS_WIDTH = ("13.0.0", "14.0.0", "15.0.0", "15.1.0")  # Python 3.9–3.13 checked


def display_width(text: str) -> int:
    """Width in half-width units: CJK and full-width characters count 2."""
    width = len(text)
    if text.isascii():  # no ASCII character is W, F or A
        return width
    if unicodedata.unidata_version in GBK_IS_WIDTH:
        try:
            return len(text.encode("gbk"))
        except UnicodeEncodeError:  # a character GBK lacks: count one by one
            pass
    for ch in set(text):
        wide = _WIDE.get(ch)
        if wide is None:
            wide = _WIDE[ch] = unicodedata.east_asian_width(ch) in "WFA"
        if wide:
            width += text.count(ch)
    return width


def row_height(text: str, size: int) -> float:
    """Points needed to show ``text`` wrapped in column A at ``size`` pt, with slack.

    Column A is ``WIDTH × 7 + 5`` px wide in Excel's Calibri (the narrowest case, so the most
    lines); a full-width character is ``size × 4/3`` px, a half-width one half that.  Lines are
    1.5 × the font size (CJK fonts in LibreOffice and WPS are taller than Excel's default)."""
    column_px = WIDTH * 7 + 5
    per_line = column_px / (size * 4 / 3 / 2) * 0.93  # half-width units per line
    lines = max(1, math.ceil(display_width(text) / per_line))
    return round(lines * size * 1.5 + 4, 1)


def written_text(p: Paragraph) -> str:
    return INDENT + p.text if p.kind == "body" else p.text


def stored_digest(ws: Worksheet) -> str | None:
    return digest_of(ws[HASH_CELL].value)


def digest_of(value: object) -> str | None:
    """The digest juesuan stored in the hash cell, or None."""
    if isinstance(value, str) and value.startswith(HASH_PREFIX):
        return value[len(HASH_PREFIX):]
    return None


def edited_since(digest: str | None, lines: list[str]) -> bool:
    """Whether column A's ``lines`` differ from what juesuan last wrote (``digest``; None: never)."""
    return digest is None or digest != text_hash(lines)


@dataclass
class SheetText:
    """Column A of the sheet as read into a grid (rows of cell values): its non-empty text rows
    (row number, text) and the digest juesuan stored in :data:`HASH_CELL`."""

    rows: list[tuple[int, str]]
    digest: str | None

    @classmethod
    def of(cls, grid: Any) -> "SheetText":
        from juesuan.locate import cell

        rows = [(r, row[0]) for r, row in enumerate(grid or [], 1)
                if len(row) and isinstance(row[0], str) and row[0] != ""]
        return cls(rows, digest_of(cell(grid, 1, 3)) if grid else None)  # HASH_CELL, C1

    @property
    def lines(self) -> list[str]:
        return [text for _, text in self.rows]

    @cached_property
    def by_hand(self) -> bool:
        """The text differs from what juesuan last wrote (or it never did): :func:`hand_edited`."""
        return edited_since(self.digest, self.lines)

    def row_at(self, position: int | None) -> int:
        """The row holding character ``position`` of ``"\\n".join(lines)`` (the first row when unknown)."""
        if position is not None:
            end = -1
            for row, text in self.rows:
                end += len(text) + 1
                if position <= end:
                    return row
        return self.rows[0][0]


def sheet_lines(ws: Worksheet) -> list[str]:
    """The texts of column A, top to bottom, empty rows skipped (what the hash covers)."""
    cells = sorted((r, cell.value) for (r, c), cell in ws._cells.items() if c == 1)  # noqa: SLF001 — sparse
    return [v for _, v in cells if isinstance(v, str) and v != ""]


def hand_edited(ws: Worksheet) -> bool:
    """True when the sheet's text differs from what juesuan last wrote (or it never did)."""
    return edited_since(stored_digest(ws), sheet_lines(ws))


def _free_copy_name(wb: Workbook) -> str:
    n = 1
    while f"{SHEET}(手改{n})" in wb.sheetnames:
        n += 1
    return f"{SHEET}(手改{n})"


def write_narrative_sheet(wb: Workbook, narrative: Narrative, book: Book,
                          found: FoundBook | None = None) -> WriteResult:
    """Replace (or create) the sheet 决算情况说明 with ``narrative``; other sheets are untouched.

    ``found`` (where the tables are) feeds the chart references; read from ``wb`` when omitted.
    """
    if found is None:
        _, found = read_book(book.format, grids(wb))
    kept = None
    index = len(wb.sheetnames)
    if SHEET in wb.sheetnames:
        old = wb[SHEET]
        index = wb.sheetnames.index(SHEET)
        if hand_edited(old):
            kept = _free_copy_name(wb)
            old.title = kept
            index += 1
        else:
            wb.remove(old)
    ws = wb.create_sheet(SHEET, index)
    lines = _write_paragraphs(ws, wb, narrative, found, get_pack(book.format.id))
    digest = text_hash(lines)
    ws[HASH_CELL] = HASH_PREFIX + digest
    ws.column_dimensions["C"].hidden = True
    _page_setup(ws)
    return WriteResult(SHEET, kept, len(lines), digest)


def _write_paragraphs(ws: Worksheet, wb: Workbook, narrative: Narrative, found: FoundBook,
                      pack: FormatPack) -> list[str]:
    from openpyxl.styles import Alignment, Font

    charts = {c.id: c for c in pack.charts}
    ws.column_dimensions["A"].width = WIDTH
    ws.sheet_view.showGridLines = False
    lines: list[str] = []
    r = 1
    for p in narrative.paragraphs():
        text = written_text(p)
        size, bold, h = STYLES[p.kind]
        cell = ws.cell(r, 1)
        put(cell, text)  # a paragraph is never a formula, even if typed text starts with "="
        cell.font = Font(name=FONT, size=size, bold=bold)
        cell.alignment = Alignment(horizontal=h, vertical="top", wrap_text=True)
        ws.row_dimensions[r].height = row_height(text, size)
        lines.append(text)
        r += 1
        if p.kind == "figure" and p.figure in charts:
            ws.row_dimensions[r].height = round(CHART_ROW_HEIGHT, 1)
            ws.add_chart(chart(wb, found, charts[p.figure]), f"A{r}")
            r += 1
    ws.print_area = f"A1:A{r - 1}"
    return lines


def _page_setup(ws: Worksheet) -> None:
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.scale = SCALE
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.print_options.horizontalCentered = True
