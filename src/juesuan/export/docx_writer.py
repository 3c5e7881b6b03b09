"""The whole disclosure as one Word document: cover, 目录, 第一至第四部分, 第五部分 tables.

Order and wording follow the seed (``reference/seed_2023.txt``).  The text of 第一至第四部分 is the
narrative of :mod:`juesuan.narrate` (one source for the sheet, the printout and this document);
this module only lays it out: parts start on a new page, 第二部分's charts are inserted where the
narrative places them, and the 绩效自评 tables follow the project summaries of 十四（二）, as in
the seed.  第五部分 puts each public table in its own section, landscape where the format says.

The document is written as WordprocessingML text (:mod:`.wordxml`) into a :class:`.package.WordDocument`
whose constant parts (styles, theme, settings) are prepared once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from juesuan.export import page
from juesuan.export.content import Content
from juesuan.export.grid import Grid, GridCell
from juesuan.export.package import WordDocument
from juesuan.export.plain import section_items
from juesuan.export.tables import add_grid, add_printed_table
from juesuan.export.word_styles import (BODY, CAPTION, COVER_GAP, COVER_LINE, FIGURE, PART, PERF_TITLE, SECTION,
                                        SUBHEADING, TABLE_TITLE, TITLE, TOC_LINE, TOC_PART, TOC_TITLE, StyleSpec)
from juesuan.export.wordxml import paragraph, run
from juesuan.money import cn
from juesuan.narrate.document import Paragraph, Section

FIGURE_WIDTH = page.cm(15.5)  # EMU
PAGE_BREAK = "<w:pageBreakBefore/>"
PT = 12700  # EMU per point


class Writer:
    """The document being written and the page section it is in (tables scale to its width)."""

    def __init__(self) -> None:
        self.doc = WordDocument()
        self.sections = [page.Section()]

    @property
    def usable(self) -> int:
        return page.usable_width(self.sections[-1])

    def add(self, spec: StyleSpec, text: str = "", properties: str = "", runs: str | None = None) -> None:
        self.doc.body.append(paragraph(spec.style_id, text, properties, runs))

    def new_section(self, landscape: bool = False, tables: bool = False) -> None:
        """End the current section (its w:sectPr in an empty paragraph) and start a new page."""
        first = len(self.sections) == 1
        ended = self.sections[-1].xml(self.doc.FOOTER_RID if first else None, first_page_apart=first)
        self.doc.body.append(f"<w:p><w:pPr>{ended}</w:pPr></w:p>")
        self.sections.append(page.Section(landscape, tables))

    def finish(self) -> WordDocument:
        only = len(self.sections) == 1
        self.doc.body.append(self.sections[-1].xml(self.doc.FOOTER_RID if only else None, first_page_apart=only,
                                                   last=True))
        return self.doc


def build_document(content: Content) -> WordDocument:
    """The Word document of ``content`` (not saved)."""
    w = Writer()
    w.doc.footer = page.footer_paragraph()  # no number on the cover (the first section's first page)
    _properties(w.doc, content)
    _cover(w, content)
    toc_at, usable = len(w.doc.body), w.usable
    after = content.outline.tables_after
    tables_done = False
    for part in content.narrative.parts:
        w.add(PART, part.title, PAGE_BREAK)
        for section in part.sections:
            terms = bool(content.outline.terms_part) and part.title.startswith(content.outline.terms_part or "")
            _section(w, content, section, terms=terms)
        if after and not tables_done and part.title.startswith(after):
            _tables(w, content)
            w.new_section()  # back to a portrait text page
            tables_done = True
    if not tables_done:
        _tables(w, content)
    entries = toc_entries(content)
    marks = _bookmark_headings(w.doc.body, toc_at, entries)
    w.doc.body[toc_at:toc_at] = _contents(content, entries, marks, usable)
    return w.finish()


def _properties(doc: WordDocument, content: Content) -> None:
    """File properties Word shows (title, author) instead of python-docx's template defaults."""
    props = doc.properties
    props.title = _property(content.narrative.title)
    props.subject = "部门决算公开"
    props.author = _property(dict(content.cover).get("部门名称", ""))
    props.comments = "由决算公开助手（juesuan）生成"
    props.keywords = "决算公开"
    props.created = datetime.now(timezone.utc).replace(tzinfo=None)


PROPERTY_LIMIT = 255  # characters Word (and python-docx) allow in a core property such as the title


def _property(text: str) -> str:
    """A file property: the document's own text is whole; the property Word lists is cut to its limit."""
    return text if len(text) <= PROPERTY_LIMIT else text[:PROPERTY_LIMIT - 1] + "…"


def _cover(w: Writer, content: Content) -> None:
    w.add(TITLE, content.narrative.title)
    for i, (label, text) in enumerate(content.cover):
        hanging = int(COVER_LINE.size * (len(label) + 1) * PT)  # wrapped text lines up after "部门名称："
        left = page.twips(page.cm(2.0) + hanging)
        gap = f'<w:spacing w:before="{COVER_GAP}"/>' if i == 0 else ""
        w.add(COVER_LINE, properties=f'{gap}<w:ind w:left="{left}" w:hanging="{page.twips(hanging)}"/>',
              runs=run(f"{label}：{text}"))


@dataclass(frozen=True)
class TocEntry:
    """One 目录 line and the heading it points at."""

    text: str  # as the 目录 prints it ("一、收入支出决算总表")
    style: str  # TOC_PART.name or TOC_LINE.name
    target: str  # the heading's paragraph style id
    heading: str  # the heading's text ("收入支出决算总表")


def toc_entries(content: Content) -> list[TocEntry]:
    """Every 目录 line in order: parts, their sections, the public tables."""
    out: list[TocEntry] = []
    after = content.outline.tables_after
    listed = False

    def tables() -> None:
        out.append(TocEntry(content.tables_title, TOC_PART.name, PART.style_id, content.tables_title))
        out.extend(TocEntry(f"{cn(i + 1)}、{t.title}", TOC_LINE.name, TABLE_TITLE.style_id, t.title)
                   for i, t in enumerate(content.tables))

    for part in content.narrative.parts:
        out.append(TocEntry(part.title, TOC_PART.name, PART.style_id, part.title))
        out.extend(TocEntry(s.title, TOC_LINE.name, SECTION.style_id, s.title) for s in part.sections if s.title)
        if after and not listed and part.title.startswith(after):
            tables()
            listed = True
    if not listed:
        tables()
    return out


def _contents(content: Content, entries: list[TocEntry], marks: dict[int, str], usable: int) -> list[str]:
    """A 目录 as the seed prints it (parts, their sections, the eleven tables), each entry with its
    page after a dot leader: a PAGEREF field to the bookmark at its heading, which LibreOffice works
    out as it lays the pages out (one conversion gives the PDF its numbers) and Word when it prints
    (F9 in Word updates them on screen).  The field shows the page a first layout gave
    (``content.toc_pages``) until then, or nothing."""
    out = [paragraph(TOC_TITLE.style_id, "目录", PAGE_BREAK)]
    for k, entry in enumerate(entries):
        spec = TOC_LINE if entry.style == TOC_LINE.name else TOC_PART
        tabs = f'<w:tabs><w:tab w:pos="{usable}" w:val="right" w:leader="dot"/></w:tabs>'
        indent = f'<w:ind w:left="{page.twips(page.cm(0.8))}"/>' if spec is TOC_LINE else ""
        number = content.toc_pages.get(entry.text)
        shown = "" if number is None else str(number)
        runs = run(entry.text)
        if k in marks:
            runs += "<w:r><w:tab/></w:r>" + page_reference(marks[k], shown)
        elif number is not None:
            runs += run(f"\t{number}")
        out.append(paragraph(spec.style_id, properties=tabs + indent, runs=runs))
    return out


def page_reference(bookmark: str, shown: str) -> str:
    """A PAGEREF field to ``bookmark`` (the page it is on), showing ``shown`` until it is updated."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> PAGEREF {bookmark} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'{run(shown) if shown else ""}<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def _bookmark_headings(body: list[str], start: int, entries: list[TocEntry]) -> dict[int, str]:
    """Put a bookmark ``_JsTocN`` on the heading of each 目录 entry N, searching ``body`` in order
    from ``start``; entry index → bookmark name for the headings found (an entry whose heading is
    not found gets no field: a PAGEREF to a missing bookmark would print an error)."""
    marks: dict[int, str] = {}
    at = start
    for k, entry in enumerate(entries):
        opening, closing = f'<w:p><w:pPr><w:pStyle w:val="{entry.target}"/>', run(entry.heading) + "</w:p>"
        for i in range(at, len(body)):
            xml = body[i]
            if xml.startswith(opening) and xml.endswith(closing):
                name = f"_JsToc{k}"
                cut = xml.index("</w:pPr>") + len("</w:pPr>")
                body[i] = (f'{xml[:cut]}<w:bookmarkStart w:id="{k}" w:name="{name}"/>{xml[cut:-len("</w:p>")]}'
                           f'<w:bookmarkEnd w:id="{k}"/></w:p>')
                marks[k] = name
                at = i + 1
                break
    return marks


def _section(w: Writer, content: Content, section: Section, terms: bool = False) -> None:
    if section.title:
        w.add(SECTION, section.title)
    rows: list[str] = []  # consecutive typed lines with tabs (第一部分's unit list): one table
    for p in section_items(section, content.outline, bool(content.perf)):
        if p is not None and p.kind == "body" and "\t" in p.text:
            rows.append(p.text)
            continue
        if rows:
            _typed_table(w, rows)
            rows = []
        if p is None:
            _perf_tables(w, content)
        else:
            _paragraph(w, content, p, terms)
    if rows:
        _typed_table(w, rows)


def _typed_table(w: Writer, rows: list[str]) -> None:
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
    add_grid(w.doc, grid, w.usable)


def _paragraph(w: Writer, content: Content, p: Paragraph, terms: bool = False) -> None:
    if p.kind == "figure":
        png = content.charts.get(p.figure or "")
        if png:
            w.add(FIGURE, runs=w.doc.picture_run(png, FIGURE_WIDTH))
        w.add(CAPTION, p.text)
    elif p.kind == "heading":
        w.add(SUBHEADING, p.text)
    elif p.kind in ("section", "part", "title"):
        w.add({"section": SECTION, "part": PART, "title": TITLE}[p.kind], p.text)
    elif terms and "：" in p.text:  # 名词解释: the term in bold, as the seed prints it
        term, definition = p.text.split("：", 1)
        w.add(BODY, runs=run(term + "：", bold=True) + run(definition))
    else:
        w.add(BODY, p.text)


def _perf_tables(w: Writer, content: Content) -> None:
    for t in content.perf:  # each on its own page: a form is read as one
        w.add(PERF_TITLE, t.title, PAGE_BREAK)
        add_grid(w.doc, t.grid, w.usable)


def _tables(w: Writer, content: Content) -> None:
    """第五部分: its heading and list on a portrait page, then one section per table."""
    w.add(PART, content.tables_title, PAGE_BREAK)
    for i, t in enumerate(content.tables):
        w.add(BODY, f"{cn(i + 1)}、{t.title}")
    for t in content.tables:
        w.new_section(landscape=t.table.landscape, tables=True)
        add_printed_table(w.doc, t, w.usable)
