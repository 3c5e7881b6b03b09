"""Page geometry: A4 sections, portrait for text and narrow tables, landscape for wide ones.

Why sections: Word changes orientation only at a section break, so each public table gets its
own section (``Table.landscape`` in the format decides), which also starts it on a new page as
published disclosures do.  :func:`usable_width` is what the table renderer scales columns to,
so a table never runs past the margins.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.text.paragraph import Paragraph
from docx.shared import Cm, Pt

A4_SHORT = Cm(21.0)
A4_LONG = Cm(29.7)
TEXT_MARGINS = (Cm(2.54), Cm(2.54), Cm(2.8), Cm(2.6))  # top, bottom, left, right
TABLE_MARGINS = (Cm(2.0), Cm(2.0), Cm(2.0), Cm(2.0))
TWIPS_PER_EMU = 1 / 635


def setup(section: Section, landscape: bool = False, tables: bool = False) -> None:
    """A4 in the given orientation with text or table margins."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    top, bottom, left, right = TABLE_MARGINS if tables else TEXT_MARGINS
    section.top_margin, section.bottom_margin = top, bottom
    section.left_margin, section.right_margin = left, right
    section.header_distance = section.footer_distance = Cm(1.2)


def usable_width(section: Section) -> int:
    """Width between the margins, in twips."""
    return int((section.page_width - section.left_margin - section.right_margin) * TWIPS_PER_EMU)


def new_section(doc: Document, landscape: bool = False, tables: bool = False) -> Section:
    """Start a new page in a new section (the previous section keeps its own geometry)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    setup(section, landscape, tables)
    section.different_first_page_header_footer = False  # the cover's setting is copied otherwise
    return section


def page_numbers(section: Section) -> None:
    """A centred ``- N -`` page number in the footer (later sections inherit it)."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("- ")
    _field(p, "PAGE")
    p.add_run(" -")
    for run in p.runs:
        run.font.size = Pt(10.5)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A complex field (PAGE) as Word writes it: begin, instruction, separate, result, end runs."""
    def char(kind: str) -> OxmlElement:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    result = OxmlElement("w:t")
    result.text = "1"
    for el in (char("begin"), instr, char("separate"), result, char("end")):
        paragraph.add_run()._r.append(el)
