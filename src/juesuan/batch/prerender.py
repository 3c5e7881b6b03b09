"""The fast writer's template: the shipped template with the optional sheets written once by openpyxl.

The openpyxl path adds two sheets after the format's tables: the hidden 数据文件说明 (a data
file's free-form notes, :func:`juesuan.xlsx_write.write_notes`) when the book has notes, and the
narrative 决算情况说明 (:func:`juesuan.narrate.write_narrative_sheet`).  Rather than re-implement
their look (styles, page setup, charts), we run those writers once per process on the template
with sample content and save; the fast writer then only replaces the sample rows with each
department's (:mod:`.narrative_sheet`, :mod:`.notes_sheet`).
"""

from __future__ import annotations

import io
from functools import lru_cache

from juesuan.narrate.document import Narrative, Paragraph, Part, Section

SAMPLE_NOTES = {"sample": "notes"}


def sample_narrative() -> Narrative:
    """One paragraph of every kind and both figures: the prerendered sheet shows each once."""
    paragraphs = [Paragraph("heading", "heading"), Paragraph("body", "body"),
                  Paragraph("income", "figure", "income"), Paragraph("spending", "figure", "spending")]
    return Narrative("title", [Part("part", [Section("section", paragraphs)])])


@lru_cache(maxsize=None)
def prerendered_template(format_id: str, narrate: bool = True, notes: bool = False) -> bytes:
    """The template as openpyxl saves it with the sample notes and/or narrative sheets (≈0.3 s)."""
    import openpyxl

    from juesuan.formats import load_format
    from juesuan.model import Book
    from juesuan.templates import template_path
    from juesuan.xlsx_write import write_notes

    wb = openpyxl.load_workbook(template_path(format_id))
    book = Book(load_format(format_id))
    if notes:
        book.notes = dict(SAMPLE_NOTES)
        write_notes(wb, book)
    if narrate:
        from juesuan.narrate import write_narrative_sheet

        write_narrative_sheet(wb, sample_narrative(), book)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
