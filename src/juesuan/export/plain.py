"""The exported document as the plain text a reader (and ``juesuan audit``) gets from it.

``juesuan check`` audits the document before it is exported (:mod:`juesuan.check.narrative`),
so it needs the text the .docx will hold, in the same order: the narrative's parts, sections and
paragraphs, with the 绩效自评 tables placed where :mod:`.docx_writer` places them
(:func:`section_items`, shared by both) and each table row read as the audit's .docx loader
reads it — cells joined by a tab, a merged cell once per row it spans.  A test compares the
audit of this text with the audit of the exported .docx.
"""

from __future__ import annotations

from typing import Iterator

from juesuan.export.grid import Grid, GridCell
from juesuan.export.outline import ExportOutline
from juesuan.model import Book
from juesuan.narrate.document import Narrative, Paragraph, Section

def section_items(section: Section, outline: ExportOutline, has_extra: bool) -> Iterator[Paragraph | None]:
    """The paragraphs of ``section`` in print order; ``None`` where the format's extra tables
    (nmg-2023: the 绩效自评 tables, before 十四（三）) go."""
    placed = section.key != outline.extra_section or not has_extra
    for p in section.paragraphs:
        if not placed and p.kind == "heading" and p.text.startswith(outline.extra_before or "\x00"):
            yield None
            placed = True
        yield p
    if not placed:
        yield None


def grid_lines(grid: Grid) -> list[str]:
    """Each row of ``grid`` as a .docx reader sees it: the text of every cell covering the row,
    left to right, a cell spanning several columns once (tab-separated)."""
    origin: dict[tuple[int, int], GridCell] = {}
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.colspan):
                    origin[(rr, cc)] = cell
    lines = []
    for r in range(len(grid.rows)):
        cells: list[str] = []
        last: GridCell | None = None
        for c in range(grid.ncols):
            cell = origin.get((r, c))
            if cell is None or cell is last:
                continue
            last = cell
            cells.append(" ".join(cell.text.split()))
        lines.append("\t".join(cells))
    return lines


def document_text(book: Book, story: Narrative | None = None) -> str:
    """The narrative of ``book`` with its 绩效自评 tables, as the exported .docx reads."""
    from juesuan.export.content import book_values
    from juesuan.formats import get_pack
    from juesuan.narrate import narrative

    story = story or narrative(book)
    outline = get_pack(book.format.id).export
    perf = outline.extra_tables(book, book_values(book)) if outline.extra_tables else []
    lines = [story.title]
    for part in story.parts:
        lines.append(part.title)
        for section in part.sections:
            if section.title:
                lines.append(section.title)
            for p in section_items(section, outline, bool(perf)):
                if p is not None:
                    lines.append(p.text)
                    continue
                for t in perf:
                    lines.append(t.title)
                    lines += grid_lines(t.grid)
    return "\n".join(lines)
