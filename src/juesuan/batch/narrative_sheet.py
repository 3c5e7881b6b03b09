"""The narrative sheet 决算情况说明 on the fast path: openpyxl once per process, text per department.

The narrate engineer's :func:`juesuan.narrate.write_narrative_sheet` (openpyxl) decides how the
sheet looks: fonts, alignment, column widths, page setup, the hidden hash cell and the two pie
charts (图1 收入决算图, 图2 支出决算图) whose series refer to 表1 and 表3 cells.  Those references
do not move between departments (表1 is a fixed table; 表3's 合计 row is its first data row), so
the chart parts are the same in every workbook.  Once per process we run that writer on the
template with a sample narrative holding one paragraph of each kind and both figures, save it,
and keep the result as the fast writer's template (:mod:`.prerender`).  Per department
only the paragraphs (rows, heights), the charts' anchor rows, the print area and the text hash
change; :class:`NarrativeParts` renders those as text.  ``tests/test_batch_fastxlsx.py`` compares
the sheet with the one the openpyxl writer makes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from juesuan.batch.template_parts import ExtraSheet, TemplateParts
from juesuan.cellxml import number_text
from juesuan.errors import FormatError
from juesuan.narrate.document import Narrative, text_hash

ROW_CACHE = 20000  # paragraphs remembered across departments (then forgotten at once)
KINDS = ("title", "part", "section", "heading", "body", "figure")
FIGURES = ("income", "spending")


@dataclass
class NarrativeParts:
    """The narrative sheet of a prerendered template, split where departments differ."""

    sheet: ExtraSheet
    head: str  # up to <dimension>
    middle: str  # after <dimension> up to <sheetData>
    tail: str  # after </sheetData>
    style: dict[str, str]  # paragraph kind → ' s="N"' as openpyxl wrote it
    hash_style: str
    drawing_path: str
    drawing_head: str
    anchors: dict[str, str]  # figure → its <oneCellAnchor> with "\x00" for the row
    drawing_tail: str
    workbook: str  # xl/workbook.xml with "\x00" for the print area's last row
    _rows: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, text) → row with "\x02" for r

    @classmethod
    def parse(cls, parts: TemplateParts) -> "NarrativeParts":
        from juesuan.narrate.sheet import SHEET

        sheets = [x for x in parts.extra if x.name == SHEET]
        if len(sheets) != 1:
            raise FormatError(f"prerendered template: no sheet {SHEET}")
        sheet = sheets[0]
        xml = sheet.xml
        start, end = xml.index("<sheetData"), xml.index("</sheetData>") + len("</sheetData>")
        dim = re.search(r"<dimension [^>]*/>", xml)
        assert dim is not None
        rows = dict(re.findall(r'<row r="(\d+)"[^>]*>(.*?)</row>', xml[start:end], re.S))
        style = {kind: _style_attr(rows[str(i + 1)], f"A{i + 1}") for i, kind in enumerate(KINDS)}
        hash_style = _style_attr(rows["1"], "C1")
        drawing_path = _drawing_path(parts, sheet)
        drawing = parts.static[drawing_path].decode("utf-8")
        found = list(re.finditer(r"<oneCellAnchor>.*?</oneCellAnchor>", drawing, re.S))
        if len(found) != len(FIGURES):
            raise FormatError(f"prerendered narrative: {len(found)} chart anchors, expected {len(FIGURES)}")
        anchors = {f: re.sub(r"<row>\d+</row>", "<row>\x00</row>", m.group(0), count=1) for f, m in zip(FIGURES, found)}
        wb = parts.static["xl/workbook.xml"].decode("utf-8")
        area = re.search(r"(_xlnm\.Print_Area[^>]*>[^<]*\$A\$1:\$A\$)(\d+)", wb)
        if area is None:
            raise FormatError("prerendered narrative: no print area")
        workbook = wb[:area.start(2)] + "\x00" + wb[area.end(2):]
        return cls(sheet, xml[:dim.start()], xml[dim.end():start], xml[end:], style, hash_style, drawing_path,
                   drawing[:found[0].start()], anchors, drawing[found[-1].end():], workbook)

    def render(self, narrative: Narrative) -> dict[str, bytes]:
        """The sheet, its drawing and workbook.xml (print area) for one department's narrative."""
        from juesuan.batch.fastxlsx import text_cell
        from juesuan.narrate.sheet import (
            CHART_ROW_HEIGHT,
            HASH_PREFIX,
            SHEET,
            STYLES,
            row_height,
            written_text,
        )

        rows: list[str] = []
        anchors: list[str] = []
        lines: list[str] = []
        chart_height = number_text(round(CHART_ROW_HEIGHT, 1))
        r = 1
        last_cell = 1
        cache = self._rows
        if len(cache) > ROW_CACHE:
            cache.clear()
        for p in narrative.paragraphs():
            text = written_text(p)
            lines.append(text)
            row = cache.get((p.kind, text))
            if row is None:  # 名词解释 and much else read the same in every department
                cell = text_cell("A\x02", 0, text, SHEET, f"A{r}").replace(' s="0"', self.style[p.kind], 1)
                height = number_text(row_height(text, STYLES[p.kind][0]))
                row = cache[(p.kind, text)] = f'<row r="\x02" ht="{height}" customHeight="1">{cell}\x01</row>'
            rows.append(row.replace("\x02", str(r)).replace("\x01", "" if r > 1 else "\x01"))
            last_cell = r
            r += 1
            if p.kind == "figure" and p.figure in self.anchors:
                rows.append(f'<row r="{r}" ht="{chart_height}" customHeight="1"></row>')
                anchors.append(self.anchors[p.figure].replace("\x00", str(r - 1)))
                r += 1
        digest = text_hash(lines)
        hash_cell = text_cell("C1", 0, HASH_PREFIX + digest).replace(' s="0"', self.hash_style, 1)
        body = "".join(rows).replace("\x01", hash_cell, 1)
        sheet = (f'{self.head}<dimension ref="A1:C{last_cell}"/>{self.middle}<sheetData>{body}</sheetData>'
                 f"{self.tail}")
        drawing = self.drawing_head + "".join(anchors) + self.drawing_tail
        return {self.sheet.path: sheet.encode("utf-8"), self.drawing_path: drawing.encode("utf-8"),
                "xl/workbook.xml": self.workbook.replace("\x00", str(r - 1)).encode("utf-8")}


def _style_attr(row_xml: str, ref: str) -> str:
    m = re.search(rf'<c r="{ref}"([^>]*)>', row_xml)
    if m is None:
        raise FormatError(f"prerendered narrative: no cell {ref}")
    s = re.search(r' s="\d+"', m.group(1))
    return s.group(0) if s else ""


def _drawing_path(parts: TemplateParts, sheet: ExtraSheet) -> str:
    rels_path = sheet.path.replace("worksheets/", "worksheets/_rels/") + ".rels"
    rels = parts.static[rels_path].decode("utf-8")
    m = re.search(r'Target="([^"]*drawing[^"]*)"', rels)
    if m is None:
        raise FormatError("prerendered narrative: the sheet has no drawing")
    target = m.group(1)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target.replace("../", "")
