"""Page geometry: A4 sections, portrait for text and narrow tables, landscape for wide ones.

Why sections: Word changes orientation only at a section break, so each public table gets its
own section (``Table.landscape`` in the format decides), which also starts it on a new page as
published disclosures do.  :func:`usable_width` is what the table renderer scales columns to,
so a table never runs past the margins.

A section is written as its ``w:sectPr``: inside the paragraph that ends it, or at the body's end
for the last one.  The first section (cover, 目录, text) has no page number on its first page and
carries the footer with the centred ``- N -`` page number, which later sections inherit.
"""

from __future__ import annotations

from dataclasses import dataclass

EMU_PER_CM = 360000
EMU_PER_TWIP = 635


def cm(value: float) -> int:
    """Centimetres in EMU (as python-docx's ``Cm``)."""
    return int(value * EMU_PER_CM)


def twips(emu: int) -> int:
    """EMU as the whole twips Word stores."""
    return int(round(emu / float(EMU_PER_TWIP)))


A4_SHORT = cm(21.0)
A4_LONG = cm(29.7)
TEXT_MARGINS = (cm(2.54), cm(2.54), cm(2.8), cm(2.6))  # top, bottom, left, right
TABLE_MARGINS = (cm(2.0), cm(2.0), cm(2.0), cm(2.0))
HEADER_FOOTER = cm(1.2)
# The body's last w:sectPr keeps the revision ids of the template python-docx started from.
LAST_SECTION_RSIDS = ' w:rsidR="00FC693F" w:rsidRPr="0006063C" w:rsidSect="00034616"'


@dataclass(frozen=True)
class Section:
    """One section's page: A4 portrait or landscape, text or table margins (all in twips)."""

    landscape: bool = False
    tables: bool = False

    @property
    def size(self) -> tuple[int, int]:
        w, h = (A4_LONG, A4_SHORT) if self.landscape else (A4_SHORT, A4_LONG)
        return twips(w), twips(h)

    @property
    def margins(self) -> tuple[int, int, int, int]:
        """top, bottom, left, right."""
        top, bottom, left, right = TABLE_MARGINS if self.tables else TEXT_MARGINS
        return twips(top), twips(bottom), twips(left), twips(right)

    def xml(self, footer_rid: str | None = None, first_page_apart: bool = False, last: bool = False) -> str:
        """The ``w:sectPr``: with the footer reference and a different first page for the first
        section; ``last``: the body's final one."""
        w, h = self.size
        top, bottom, left, right = self.margins
        hf = twips(HEADER_FOOTER)
        orient = ' w:orient="landscape"' if self.landscape else ""
        footer = f'<w:footerReference w:type="default" r:id="{footer_rid}"/>' if footer_rid else ""
        title = "<w:titlePg/>" if first_page_apart else ""
        return (f'<w:sectPr{LAST_SECTION_RSIDS if last else ""}>{footer}<w:pgSz w:w="{w}" w:h="{h}"{orient}/>'
                f'<w:pgMar w:top="{top}" w:right="{right}" w:bottom="{bottom}" w:left="{left}" w:header="{hf}" '
                f'w:footer="{hf}" w:gutter="0"/><w:cols w:space="720"/>{title}<w:docGrid w:linePitch="360"/></w:sectPr>')


def usable_width(section: Section) -> int:
    """Width between the margins, in twips."""
    w, _ = section.size
    _, _, left, right = section.margins
    return w - left - right


FOOTER_RUN = '<w:r><w:rPr><w:sz w:val="21"/></w:rPr>{}</w:r>'


def footer_paragraph() -> str:
    """A centred ``- N -`` page number (10.5 pt): the PAGE field as Word writes it (begin,
    instruction, separate, result, end)."""
    parts = ('<w:t xml:space="preserve">- </w:t>', '<w:fldChar w:fldCharType="begin"/>',
             '<w:instrText xml:space="preserve"> PAGE </w:instrText>', '<w:fldChar w:fldCharType="separate"/>',
             "<w:t>1</w:t>", '<w:fldChar w:fldCharType="end"/>', '<w:t xml:space="preserve"> -</w:t>')
    runs = "".join(FOOTER_RUN.format(p) for p in parts)
    return f'<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>{runs}</w:p>'
