"""Assemble the whole disclosure text from the format pack's narrative outline (nmg-2023:
第一部分 部门概况, 第二部分 the fourteen sections, 第三部分 名词解释, 第四部分 联系方式).  Pure: a
:class:`~juesuan.model.Book` in, a :class:`~juesuan.narrate.document.Narrative` out.
"""

from __future__ import annotations


from juesuan.derive import Snapshot, same_shape, shape
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


MEMO = "_narrative_memo"  # book.__dict__ entry: (state, outline, narrative, metrics, seen)


def narrative_state(book: Book) -> tuple:  # type: ignore[type-arg]
    """What a narrative is computed from: the format, every value, the rows, the typed names and
    the tables' notes (``book.notes``, the data file's free-form notes, is not: no narrative reads it)."""
    return (id(book.format), tuple(book.values.items()), tuple((k, tuple(v)) for k, v in book.codes.items()),
            tuple(book.records.items()), tuple(book.names.items()), tuple(book.footnotes.items()))


def _remembered(book: Book, outline: NarrativeOutline, state: tuple) -> tuple | None:  # type: ignore[type-arg]
    memo = book.__dict__.get(MEMO)
    if memo is not None and memo[1] is outline and memo[0] == state:
        return memo
    return None


def _seen(book: Book) -> tuple:  # type: ignore[type-arg]
    """What :func:`_unchanged` compares: the structure (:func:`juesuan.derive.shape`), the values'
    very objects, the names and notes."""
    return shape(book), Snapshot(book.values), tuple(book.names.items()), tuple(book.footnotes.items())


def _unchanged(book: Book, seen: tuple) -> bool:  # type: ignore[type-arg]
    """Whether ``book`` is as :func:`_seen` saw it (its values the very objects: no state built);
    False says only that :func:`narrative_state` must be compared."""
    structure, values, names, notes = seen
    return (values.same(book.values) and same_shape(book, structure) and tuple(book.names.items()) == names
            and tuple(book.footnotes.items()) == notes)


def metrics_of(book: Book, outline: NarrativeOutline | None = None) -> object:
    """The pack's metrics of ``book`` (``outline.metrics(book)``), reusing the ones its last
    narrative was written from while the book is unchanged."""
    outline = outline or get_pack(book.format.id).narrative
    memo = _remembered(book, outline, narrative_state(book))
    return memo[3] if memo is not None else outline.metrics(book)


def narrative(book: Book, outline: NarrativeOutline | None = None) -> Narrative:
    """The structured text of the disclosure, computed from ``book`` alone.

    Remembered on the book until a value, a row or a name changes (a batch narrates, then checks
    the same text): the result is shared, never change it."""
    outline = outline or get_pack(book.format.id).narrative
    memo = book.__dict__.get(MEMO)
    if memo is not None and memo[1] is outline and _unchanged(book, memo[4]):
        return memo[2]  # type: ignore[no-any-return]
    state = narrative_state(book)
    memo = _remembered(book, outline, state)
    if memo is not None:
        book.__dict__[MEMO] = (*memo[:4], _seen(book))
        return memo[2]  # type: ignore[no-any-return]
    told, figures = _narrative(book, outline)
    book.__dict__[MEMO] = (state, outline, told, figures, _seen(book))
    return told


def _narrative(book: Book, outline: NarrativeOutline) -> tuple[Narrative, object]:
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
    return Narrative(outline.title.format(year=yr, dept=dept), parts, phrases.placeholders), figures
