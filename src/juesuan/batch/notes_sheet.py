"""The hidden 数据文件说明 sheet on the fast path: a data file's notes as JSON in column A.

Same content as :func:`juesuan.xlsx_write.write_notes` (row 1 a warning, then the JSON in cells of
at most ``NOTE_CHUNK`` characters), rendered into the sheet the prerendered template holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from juesuan.batch.template_parts import ExtraSheet, TemplateParts
from juesuan.errors import FormatError


@dataclass
class NotesParts:
    sheet: ExtraSheet
    head: str  # up to <dimension>
    middle: str  # after <dimension> up to <sheetData>
    first_row: str  # row 1 (the warning), as the template has it
    tail: str  # after </sheetData>

    @classmethod
    def parse(cls, parts: TemplateParts) -> "NotesParts":
        from juesuan.locate import NOTES_SHEET

        found = [x for x in parts.extra if x.name == NOTES_SHEET]
        if len(found) != 1:
            raise FormatError(f"prerendered template: no sheet {NOTES_SHEET}")
        xml = found[0].xml
        start, end = xml.index("<sheetData"), xml.index("</sheetData>") + len("</sheetData>")
        dim = re.search(r"<dimension [^>]*/>", xml)
        row1 = re.search(r'<row r="1"[^>]*>.*?</row>', xml[start:end], re.S)
        assert dim is not None and row1 is not None
        return cls(found[0], xml[:dim.start()], xml[dim.end():start], row1.group(0), xml[end:])

    def render(self, notes: dict) -> dict[str, bytes]:
        from juesuan.batch.fastxlsx import text_cell
        from juesuan.xlsx_write import notes_chunks

        rows = [self.first_row]
        for i, chunk in enumerate(notes_chunks(notes)):
            r = 2 + i
            cell = text_cell(f"A{r}", 0, chunk).replace(' s="0"', "")
            rows.append(f'<row r="{r}">{cell}</row>')
        last = 1 + len(rows) - 1
        xml = f'{self.head}<dimension ref="A1:A{last}"/>{self.middle}<sheetData>{"".join(rows)}</sheetData>{self.tail}'
        return {self.sheet.path: xml.encode("utf-8")}
