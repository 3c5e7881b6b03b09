"""Any :class:`~juesuan.export.grid.Grid` as a Word table, and a public table with its title block.

The table XML is written directly (``w:tbl``) rather than through python-docx's ``merge``:
merges become ``w:gridSpan`` / ``w:vMerge`` in one pass, header rows get ``w:tblHeader`` so Word
and LibreOffice repeat them on every page, rows get ``w:cantSplit`` so a row never breaks
across pages, and the layout is fixed with column widths scaled to the section's usable width —
a table can never run past the right margin.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Twips

from juesuan.export.grid import Grid, GridCell
from juesuan.export.public_tables import PrintedTable
from juesuan.export.word_styles import NOTE, TABLE_LABEL, TABLE_TEXT, TABLE_TITLE, UNIT_LINE

CELL_MARGIN = 57  # twips left and right inside a cell (0.1 cm; Word's default 0.19 cm wastes width)
BORDER = "4"  # eighths of a point: ½ pt lines
HEADER_FILL = "F2F2F2"
JC = {"left": "left", "center": "center", "right": "right"}


KEEP_LAST = 3  # rows kept on one page at a table's end: no 总计 row alone on a page


def _el(tag: str, **attrs: str) -> BaseOxmlElement:
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def column_widths(grid: Grid, usable: int) -> list[int]:
    """Twips per column: the grid's relative widths scaled to ``usable`` (never more)."""
    total = sum(grid.widths)
    return [int(usable * w / total) for w in grid.widths]


def table_element(grid: Grid, usable: int) -> BaseOxmlElement:
    """The ``w:tbl`` of ``grid`` at most ``usable`` twips wide."""
    widths = column_widths(grid, usable)
    tbl = _el("w:tbl")
    pr = _el("w:tblPr")
    pr.append(_el("w:tblW", w=str(sum(widths)), type="dxa"))
    pr.append(_el("w:jc", val="center"))
    borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(f"w:{side}", val="single", sz=BORDER, space="0", color="000000"))
    pr.append(borders)
    pr.append(_el("w:tblLayout", type="fixed"))
    margins = _el("w:tblCellMar")
    for side, w in (("top", 0), ("left", CELL_MARGIN), ("bottom", 0), ("right", CELL_MARGIN)):
        margins.append(_el(f"w:{side}", w=str(w), type="dxa"))
    pr.append(margins)
    pr.append(_el("w:tblLook", val="0000", firstRow="0", lastRow="0", firstColumn="0", lastColumn="0",
                  noHBand="1", noVBand="1"))
    tbl.append(pr)
    tbl_grid = _el("w:tblGrid")
    for w in widths:
        tbl_grid.append(_el("w:gridCol", w=str(w)))
    tbl.append(tbl_grid)
    anchors = _anchors(grid)
    tail = max(grid.header_rows, len(grid.rows) - KEEP_LAST)
    for r, row in enumerate(grid.rows):
        keep = r >= tail  # the last rows travel together (and with the 注 line after the table)
        tr = _el("w:tr")
        trpr = _el("w:trPr")
        trpr.append(_el("w:cantSplit"))
        if r < grid.header_rows:
            trpr.append(_el("w:tblHeader"))
        tr.append(trpr)
        c = 0
        while c < grid.ncols:
            cell = row[c]
            if cell is not None:
                tr.append(_cell(cell, widths[c:c + cell.colspan], grid.font_size, restart=cell.rowspan > 1, keep=keep))
                c += cell.colspan
                continue
            ar, ac = anchors[(r, c)]
            anchor = grid.rows[ar][ac]
            assert anchor is not None
            if ar < r and ac == c:  # below a vertically merged cell: a continuation cell
                tr.append(_cell(GridCell(colspan=anchor.colspan, shade=anchor.shade), widths[c:c + anchor.colspan],
                                grid.font_size, cont=True, keep=keep))
                c += anchor.colspan
            else:  # inside a horizontal span already written
                c += 1
        tbl.append(tr)
    return tbl


def _anchors(grid: Grid) -> dict[tuple[int, int], tuple[int, int]]:
    """For every covered position, the cell whose span covers it."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.colspan):
                    if (rr, cc) != (r, c):
                        out[(rr, cc)] = (r, c)
    return out


def _cell(cell: GridCell, widths: list[int], size: float, restart: bool = False, cont: bool = False,
          keep: bool = False) -> BaseOxmlElement:
    tc = _el("w:tc")
    pr = _el("w:tcPr")
    pr.append(_el("w:tcW", w=str(sum(widths)), type="dxa"))
    if cell.colspan > 1:
        pr.append(_el("w:gridSpan", val=str(cell.colspan)))
    if restart:
        pr.append(_el("w:vMerge", val="restart"))
    elif cont:
        pr.append(_el("w:vMerge"))
    if cell.shade:
        pr.append(_el("w:shd", val="clear", color="auto", fill=HEADER_FILL))
    pr.append(_el("w:vAlign", val="center"))
    tc.append(pr)
    p = _el("w:p")
    ppr = _el("w:pPr")
    ppr.append(_el("w:pStyle", val=TABLE_TEXT.style_id))
    if keep:
        ppr.append(_el("w:keepNext"))
    if cell.indent:
        ppr.append(_el("w:ind", left=str(int(cell.indent * size * 20))))
    ppr.append(_el("w:jc", val=JC[cell.align]))
    p.append(ppr)
    if cell.text and not cont:
        for i, line in enumerate(cell.text.split("\n")):
            r = _el("w:r")
            rpr = _el("w:rPr")
            if cell.bold:
                rpr.append(_el("w:b"))
            half_points = str(int(size * 2))
            rpr.append(_el("w:sz", val=half_points))
            rpr.append(_el("w:szCs", val=half_points))
            r.append(rpr)
            if i:
                r.append(_el("w:br"))
            t = _el("w:t")
            t.text = line
            t.set(qn("xml:space"), "preserve")
            r.append(t)
            p.append(r)
    tc.append(p)
    return tc


def add_grid(doc: Document, grid: Grid, usable: int) -> BaseOxmlElement:
    """Append the table of ``grid`` at the end of the document body."""
    tbl = table_element(grid, usable)
    body = doc.element.body
    if body.sectPr is not None:
        body.sectPr.addprevious(tbl)  # the body's last child must stay the final w:sectPr
    else:
        body.append(tbl)
    return tbl


def add_printed_table(doc: Document, pt: PrintedTable, usable: int) -> None:
    """Title, 公开NN表, the 部门/金额单位 line, the table, the 注 line."""
    doc.add_paragraph(pt.title, style=TABLE_TITLE.name)
    if pt.label:
        doc.add_paragraph(pt.label, style=TABLE_LABEL.name).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if pt.dept_line or pt.unit_line:
        p = doc.add_paragraph(style=UNIT_LINE.name)
        p.paragraph_format.tab_stops.add_tab_stop(Twips(usable), WD_TAB_ALIGNMENT.RIGHT)
        p.add_run(pt.dept_line or "")
        if pt.unit_line:
            p.add_run("\t" + pt.unit_line)
    add_grid(doc, pt.grid, usable)
    if pt.footnote:
        doc.add_paragraph(pt.footnote, style=NOTE.name)
