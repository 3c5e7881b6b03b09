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

from datetime import datetime, timezone

from juesuan.export import page
from juesuan.export.content import Content
from juesuan.export.grid import Grid, GridCell
from juesuan.export.package import WordDocument
from juesuan.export.plain import section_items
from juesuan.export.tables import add_grid, add_printed_table
from juesuan.export.word_styles import (BODY, CAPTION, COVER_GAP, COVER_LINE, FIGURE, PART, PERF_TITLE, SECTION,
                                        SUBHEADING, TITLE, TOC_LINE, TOC_PART, TOC_TITLE, StyleSpec)
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
    _contents(w, content)
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


def _contents(w: Writer, content: Content) -> None:
    """A static 目录 as the seed prints it (parts, their sections, the eleven tables), with each
    entry's page after a dot leader once a first layout gave them (:mod:`juesuan.export.toc`)."""
    w.add(TOC_TITLE, "目录", PAGE_BREAK)
    usable = w.usable
    for text, style in toc_entries(content):
        spec = TOC_LINE if style == TOC_LINE.name else TOC_PART
        number = content.toc_pages.get(text)
        tabs = f'<w:tabs><w:tab w:pos="{usable}" w:val="right" w:leader="dot"/></w:tabs>' if number is not None else ""
        indent = f'<w:ind w:left="{page.twips(page.cm(0.8))}"/>' if spec is TOC_LINE else ""
        runs = run(text) + (run(f"\t{number}") if number is not None else "")
        w.add(spec, properties=tabs + indent, runs=runs)


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
