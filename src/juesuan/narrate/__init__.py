"""生成说明: the disclosure's text written from the numbers.

API for every front end (CLI, ribbon, export, batch)::

    narrative(book) -> Narrative            parts → sections → paragraphs, plain text
    write_narrative_sheet(wb, narrative, book) -> WriteResult
                                            the sheet 决算情况说明 with 图1/图2 (openpyxl)
    missing_reasons(book) -> [(key, label)] the 变动原因 / 差异原因 the text shows as 【请填写…】

The format pack declares the narrative (``formats/<id>/narrative.py``: a
:class:`~juesuan.narrate.outline.NarrativeOutline` — parts, sections, templates, metrics, terms);
this engine renders it.  Layers: the pack's metrics compute every figure once from the book
(value types in :mod:`.figures`); :mod:`.numbers` is the one number formatter; :mod:`.text` holds
the rule-bound phrases; the pack's ``templates/*.j2`` hold the sentences; :mod:`.terms` reads 名词解释;
:mod:`.sheet` and :mod:`.charts` are the only modules that know openpyxl.
"""

from __future__ import annotations

from juesuan.model import Book
from juesuan.narrate.build import narrative
from juesuan.narrate.document import Narrative, Paragraph, Part, Section
from juesuan.narrate.text import Placeholder


def placeholders(book: Book) -> list[Placeholder]:
    """Every 【请填写…】 the generated text would show, in reading order."""
    return list(narrative(book).placeholders)


def missing_reasons(book: Book) -> list[tuple[str, str]]:
    """The reasons the text asks for and the book lacks: ``(key, label)`` in reading order.

    ``key`` is a comparison key of the format's 变动原因 sheet (e.g. ``"收支总计.上年"``) or, for
    a 五 项 whose 决算 differs from its 年初预算, ``"年初预算/<项 code>/差异原因"``.  A reason
    is not required where the two figures are equal (持平) — the text then says 持平.
    """
    return [(p.key, p.label) for p in placeholders(book) if p.kind == "reason"]


def write_narrative_sheet(wb, narrative: Narrative, book: Book, found=None):  # type: ignore[no-untyped-def]
    """See :func:`juesuan.narrate.sheet.write_narrative_sheet` (imported lazily: openpyxl)."""
    from juesuan.narrate.sheet import write_narrative_sheet as write

    return write(wb, narrative, book, found)


__all__ = ["Narrative", "Part", "Section", "Paragraph", "Placeholder", "narrative", "placeholders",
           "missing_reasons", "write_narrative_sheet"]
