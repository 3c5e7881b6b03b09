"""The whole disclosure as one Word document: cover, 目录, 第一至第四部分, 第五部分 tables.

Order and wording follow the seed (``reference/seed_2023.txt``).  The text of 第一至第四部分 is the
narrative of :mod:`juesuan.narrate` (one source for the sheet, the printout and this document);
this module only lays it out: parts start on a new page, 第二部分's charts are inserted where the
narrative places them, and the 绩效自评 tables follow the project summaries of 十四（二）, as in
the seed.  第五部分 puts each public table in its own section, landscape where the format says.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

from docx import Document as new_document
from docx.document import Document
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Cm, Pt, Twips

from juesuan.export import page
from juesuan.export.content import Content
from juesuan.export.grid import Grid, GridCell
from juesuan.export.plain import section_items
from juesuan.export.tables import add_grid, add_printed_table
from juesuan.export.word_styles import (BODY, CAPTION, COVER_GAP, COVER_LINE, FIGURE, PART, PERF_TITLE, SECTION,
                                        SUBHEADING, TITLE, TOC_LINE, TOC_PART, TOC_TITLE, apply_styles)
from juesuan.money import cn
from juesuan.narrate.document import Paragraph, Section

FIGURE_WIDTH = Cm(15.5)


def build_document(content: Content) -> Document:
    """The python-docx document of ``content`` (not saved)."""
    doc = new_document()
    apply_styles(doc)
    first = doc.sections[0]
    page.setup(first)
    page.page_numbers(first)
    first.different_first_page_header_footer = True  # no number on the cover
    _properties(doc, content)
    _cover(doc, content)
    _contents(doc, content)
    after = content.outline.tables_after
    tables_done = False
    for part in content.narrative.parts:
        _heading(doc, part.title, PART.name, new_page=True)
        for section in part.sections:
            terms = bool(content.outline.terms_part) and part.title.startswith(content.outline.terms_part or "")
            _section(doc, content, section, terms=terms)
        if after and not tables_done and part.title.startswith(after):
            _tables(doc, content)
            page.new_section(doc)  # back to a portrait text page
            tables_done = True
    if not tables_done:
        _tables(doc, content)
    return doc


def _properties(doc: Document, content: Content) -> None:
    """File properties Word shows (title, author) instead of python-docx's template defaults."""
    props = doc.core_properties
    props.title = _property(content.narrative.title)
    props.subject = "部门决算公开"
    props.author = props.last_modified_by = _property(dict(content.cover).get("部门名称", ""))
    props.comments = "由决算公开助手（juesuan）生成"
    props.keywords = "决算公开"
    props.created = props.modified = datetime.now(timezone.utc).replace(tzinfo=None)
    props.revision = 1


PROPERTY_LIMIT = 255  # characters Word (and python-docx) allow in a core property such as the title


def _property(text: str) -> str:
    """A file property: the document's own text is whole; the property Word lists is cut to its limit."""
    return text if len(text) <= PROPERTY_LIMIT else text[:PROPERTY_LIMIT - 1] + "…"


def _heading(doc: Document, text: str, style: str, new_page: bool = False) -> None:
    p = doc.add_paragraph(text, style=style)
    if new_page:
        p.paragraph_format.page_break_before = True


def _cover(doc: Document, content: Content) -> None:
    doc.add_paragraph(content.narrative.title, style=TITLE.name)
    for i, (label, text) in enumerate(content.cover):
        p = doc.add_paragraph(style=COVER_LINE.name)
        hanging = Pt(COVER_LINE.size * (len(label) + 1))  # wrapped text lines up after "部门名称："
        p.paragraph_format.left_indent = Cm(2.0) + hanging
        p.paragraph_format.first_line_indent = -hanging
        if i == 0:
            p.paragraph_format.space_before = Twips(COVER_GAP)
        p.add_run(f"{label}：{text}")


def toc_entries(content: Content) -> list[tuple[str, str]]:
    """(text, style) of every 目录 line in order: parts, their sections, the public tables."""
    out: list[tuple[str, str]] = []
    after = content.outline.tables_after
    listed = False

    def tables() -> None:
        out.append((content.tables_title, TOC_PART.name))
        out.extend((f"{cn(i + 1)}、{t.title}", TOC_LINE.name) for i, t in enumerate(content.tables))

    for part in content.narrative.parts:
        out.append((part.title, TOC_PART.name))
        out.extend((s.title, TOC_LINE.name) for s in part.sections if s.title)
        if after and not listed and part.title.startswith(after):
            tables()
            listed = True
    if not listed:
        tables()
    return out


def _contents(doc: Document, content: Content) -> None:
    """A static 目录 as the seed prints it (parts, their sections, the eleven tables), with each
    entry's page after a dot leader once a first layout gave them (:mod:`juesuan.export.toc`)."""
    _heading(doc, "目录", TOC_TITLE.name, new_page=True)
    usable = page.usable_width(doc.sections[-1])
    for text, style in toc_entries(content):
        p = doc.add_paragraph(text, style=style)
        if style == TOC_LINE.name:
            p.paragraph_format.left_indent = Cm(0.8)
        number = content.toc_pages.get(text)
        if number is not None:
            p.paragraph_format.tab_stops.add_tab_stop(Twips(usable), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
            p.add_run(f"\t{number}")


def _section(doc: Document, content: Content, section: Section, terms: bool = False) -> None:
    if section.title:
        doc.add_paragraph(section.title, style=SECTION.name)
    rows: list[str] = []  # consecutive typed lines with tabs (第一部分's unit list): one table
    for p in section_items(section, content.outline, bool(content.perf)):
        if p is not None and p.kind == "body" and "\t" in p.text:
            rows.append(p.text)
            continue
        if rows:
            _typed_table(doc, rows)
            rows = []
        if p is None:
            _perf_tables(doc, content)
        else:
            _paragraph(doc, content, p, terms)
    if rows:
        _typed_table(doc, rows)


def _typed_table(doc: Document, rows: list[str]) -> None:
    """Lines typed with tabs (序号, 单位名称, 单位性质) as a table, the first line its header."""
    cells = [r.split("\t") for r in rows]
    n = max(len(r) for r in cells)
    # Relative widths: each column's longest text plus room for the cell margins, so that a
    # short header such as 序号 stays on one line beside a long 单位名称.
    widths = [max(len(r[c]) if c < len(r) else 0 for r in cells) + 1.5 for c in range(n)]
    grid = Grid(widths, header_rows=1, font_size=10.5)
    for i, r in enumerate(cells):
        row = grid.add_row()
        for c in range(n):
            text = r[c].strip() if c < len(r) else ""
            row[c] = GridCell(text, "center" if i == 0 or len(text) <= 4 else "left", bold=i == 0, shade=i == 0)
    add_grid(doc, grid, page.usable_width(doc.sections[-1]))


def _paragraph(doc: Document, content: Content, p: Paragraph, terms: bool = False) -> None:
    if p.kind == "figure":
        png = content.charts.get(p.figure or "")
        if png:
            doc.add_paragraph(style=FIGURE.name).add_run().add_picture(io.BytesIO(png), width=FIGURE_WIDTH)
        doc.add_paragraph(p.text, style=CAPTION.name)
    elif p.kind == "heading":
        doc.add_paragraph(p.text, style=SUBHEADING.name)
    elif p.kind in ("section", "part", "title"):
        doc.add_paragraph(p.text, style={"section": SECTION, "part": PART, "title": TITLE}[p.kind].name)
    elif terms and "：" in p.text:  # 名词解释: the term in bold, as the seed prints it
        term, definition = p.text.split("：", 1)
        para = doc.add_paragraph(style=BODY.name)
        para.add_run(term + "：").bold = True
        para.add_run(definition)
    else:
        doc.add_paragraph(p.text, style=BODY.name)


def _perf_tables(doc: Document, content: Content) -> None:
    usable = page.usable_width(doc.sections[-1])
    for t in content.perf:  # each on its own page: a form is read as one
        doc.add_paragraph(t.title, style=PERF_TITLE.name).paragraph_format.page_break_before = True
        add_grid(doc, t.grid, usable)


def _tables(doc: Document, content: Content) -> None:
    """第五部分: its heading and list on a portrait page, then one section per table."""
    _heading(doc, content.tables_title, PART.name, new_page=True)
    for i, t in enumerate(content.tables):
        doc.add_paragraph(f"{cn(i + 1)}、{t.title}", style=BODY.name)
    for t in content.tables:
        section = page.new_section(doc, landscape=t.table.landscape, tables=True)
        add_printed_table(doc, t, page.usable_width(section))
