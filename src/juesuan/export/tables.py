"""Any :class:`~juesuan.export.grid.Grid` as a Word table, and a public table with its title block.

The table XML is written directly (``w:tbl``, as text) rather than through python-docx's ``merge``:
merges become ``w:gridSpan`` / ``w:vMerge`` in one pass, header rows get ``w:tblHeader`` so Word
and LibreOffice repeat them on every page, rows get ``w:cantSplit`` so a row never breaks
across pages, and the layout is fixed with column widths scaled to the section's usable width —
a table can never run past the right margin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from juesuan.export.grid import Grid, GridCell
from juesuan.export.public_tables import PrintedTable
from juesuan.export.word_styles import NOTE, TABLE_LABEL, TABLE_TEXT, TABLE_TITLE, UNIT_LINE
from juesuan.export.wordxml import paragraph, run, t

if TYPE_CHECKING:
    from juesuan.export.package import WordDocument

CELL_MARGIN = 57  # twips left and right inside a cell (0.1 cm; Word's default 0.19 cm wastes width)
BORDER = "4"  # eighths of a point: ½ pt lines
HEADER_FILL = "F2F2F2"
JC = {"left": "left", "center": "center", "right": "right"}


KEEP_LAST = 3  # rows kept on one page at a table's end: no 总计 row alone on a page

_BORDERS = "".join(f'<w:{side} w:val="single" w:sz="{BORDER}" w:space="0" w:color="000000"/>'
                   for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
_MARGINS = "".join(f'<w:{side} w:w="{w}" w:type="dxa"/>'
                   for side, w in (("top", 0), ("left", CELL_MARGIN), ("bottom", 0), ("right", CELL_MARGIN)))
_TABLE_PROPERTIES = ('<w:jc w:val="center"/><w:tblBorders>' + _BORDERS + '</w:tblBorders><w:tblLayout w:type="fixed"/>'
                     '<w:tblCellMar>' + _MARGINS + '</w:tblCellMar><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" '
                     'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>')


def column_widths(grid: Grid, usable: int) -> list[int]:
    """Twips per column: the grid's relative widths scaled to ``usable`` (never more)."""
    total = sum(grid.widths)
    return [int(usable * w / total) for w in grid.widths]


def table_xml(grid: Grid, usable: int) -> str:
    """The ``w:tbl`` of ``grid`` at most ``usable`` twips wide."""
    widths = column_widths(grid, usable)
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>', _TABLE_PROPERTIES, "<w:tblGrid>"]
    out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    out.append("</w:tblGrid>")
    anchors = _anchors(grid)
    tail = max(grid.header_rows, len(grid.rows) - KEEP_LAST)
    size = grid.font_size
    for r, row in enumerate(grid.rows):
        keep = r >= tail  # the last rows travel together (and with the 注 line after the table)
        out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if r < grid.header_rows
                   else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        c = 0
        while c < grid.ncols:
            cell = row[c]
            if cell is not None:
                out.append(_cell(cell, sum(widths[c:c + cell.colspan]), size, restart=cell.rowspan > 1, keep=keep))
                c += cell.colspan
                continue
            ar, ac = anchors[(r, c)]
            anchor = grid.rows[ar][ac]
            assert anchor is not None
            if ar < r and ac == c:  # below a vertically merged cell: a continuation cell
                out.append(_cell(GridCell(colspan=anchor.colspan, shade=anchor.shade),
                                 sum(widths[c:c + anchor.colspan]), size, cont=True, keep=keep))
                c += anchor.colspan
            else:  # inside a horizontal span already written
                c += 1
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _anchors(grid: Grid) -> dict[tuple[int, int], tuple[int, int]]:
    """For every covered position, the cell whose span covers it."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            if cell is None or (cell.rowspan == 1 and cell.colspan == 1):
                continue
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.colspan):
                    if (rr, cc) != (r, c):
                        out[(rr, cc)] = (r, c)
    return out


def _cell(cell: GridCell, width: int, size: float, restart: bool = False, cont: bool = False,
          keep: bool = False) -> str:
    pr = [f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>']
    if cell.colspan > 1:
        pr.append(f'<w:gridSpan w:val="{cell.colspan}"/>')
    if restart:
        pr.append('<w:vMerge w:val="restart"/>')
    elif cont:
        pr.append("<w:vMerge/>")
    if cell.shade:
        pr.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>')
    pr.append(f'<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{TABLE_TEXT.style_id}"/>')
    if keep:
        pr.append("<w:keepNext/>")
    if cell.indent:
        pr.append(f'<w:ind w:left="{int(cell.indent * size * 20)}"/>')
    # what the table-text style already says (its size, its alignment) is not repeated in every cell:
    # the same look, and about 5 % less work for LibreOffice turning the document into a PDF
    pr.append("</w:pPr>" if JC[cell.align] == TABLE_TEXT.align else f'<w:jc w:val="{JC[cell.align]}"/></w:pPr>')
    if cell.text and not cont:
        half_points = str(int(size * 2))
        sz = "" if size == TABLE_TEXT.size else f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
        rpr = f'<w:rPr>{"<w:b/>" if cell.bold else ""}{sz}</w:rPr>' if cell.bold or sz else ""
        for i, line in enumerate(cell.text.split("\n")):
            pr.append(f'<w:r>{rpr}{"<w:br/>" if i else ""}{t(line, preserve=True)}</w:r>')
    pr.append("</w:p></w:tc>")
    return "".join(pr)


def add_grid(doc: "WordDocument", grid: Grid, usable: int) -> None:
    """Append the table of ``grid`` at the end of the document body."""
    doc.body.append(table_xml(grid, usable))


def add_printed_table(doc: "WordDocument", pt: PrintedTable, usable: int) -> None:
    """Title, 公开NN表, the 部门/金额单位 line, the table, the 注 line."""
    body = doc.body
    body.append(paragraph(TABLE_TITLE.style_id, pt.title))
    if pt.label:
        body.append(paragraph(TABLE_LABEL.style_id, pt.label, '<w:jc w:val="right"/>'))
    if pt.dept_line or pt.unit_line:
        runs = run(pt.dept_line or "") + (run("\t" + pt.unit_line) if pt.unit_line else "")
        body.append(paragraph(UNIT_LINE.style_id, properties=f'<w:tabs><w:tab w:pos="{usable}" w:val="right"/></w:tabs>',
                              runs=runs))
    add_grid(doc, pt.grid, usable)
    if pt.footnote:
        body.append(paragraph(NOTE.style_id, pt.footnote))
