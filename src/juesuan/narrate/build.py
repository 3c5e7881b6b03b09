"""Assemble the whole disclosure text from the format pack's narrative outline (nmg-2023:
第一部分 部门概况, 第二部分 the fourteen sections, 第三部分 名词解释, 第四部分 联系方式).  Pure: a
:class:`~juesuan.model.Book` in, a :class:`~juesuan.narrate.document.Narrative` out.
"""

from __future__ import annotations

from juesuan.formats import get_pack
from juesuan.model import Book
from juesuan.narrate.document import Narrative, Paragraph, Part, Section
from juesuan.narrate.outline import NarrativeOutline, PartSpec
from juesuan.narrate.sections import paragraphs, render, split_sections
from juesuan.narrate.terms import term_paragraphs
from juesuan.narrate.text import Phrases, paragraphs_of


def department(book: Book) -> str:
    return book.text(get_pack(book.format.id).department).strip() or "本部门"


def year(book: Book) -> str:
    """The year as typed (``2023``, ``2023年度``), else the format's year."""
    typed = book.text(get_pack(book.format.id).year).strip().removesuffix("年度").removesuffix("年")
    return typed or str(book.format.year)


def narrative(book: Book, outline: NarrativeOutline | None = None) -> Narrative:
    """The structured text of the disclosure, computed from ``book`` alone."""
    outline = outline or get_pack(book.format.id).narrative
    phrases = Phrases(book, outline)
    dept, yr = department(book), year(book)
    figures = outline.metrics(book)
    common = dict(dept=dept, year=yr, p=phrases)

    def need(row: str) -> list[str]:
        cell = (outline.overview, row, "值")
        return paragraphs_of(book.text(cell)) or [phrases.need(cell, row)]

    def sections(part: PartSpec) -> list[Section]:
        if part.template is not None:
            return split_sections(paragraphs(render(outline.templates, part.template, need=need, **common)))
        if part.sections:
            return [Section(f"{s.key}、{s.title}",
                            paragraphs(render(outline.templates, s.template, m=getattr(figures, s.figures), **common)),
                            s.key)
                    for s in part.sections]
        assert outline.terms is not None  # the outline checks it
        return [Section("", [Paragraph(t) for t in term_paragraphs(outline.terms)])]

    parts = [Part(p.title.format(year=yr, dept=dept), sections(p)) for p in outline.parts]
    return Narrative(outline.title.format(year=yr, dept=dept), parts, phrases.placeholders)
