"""The template workbook taken apart once per process, so each department only renders its rows.

A format's template (``workbook_templates/<id>.xlsx``, written by openpyxl) is parsed as text:
the constant parts (styles, theme, workbook.xml, relationships, document properties) are kept as
bytes; each sheet is split into the XML before ``<sheetData>``, its rows, and the XML after it
(protection, merges, print setup).  What varies per department is only ``<sheetData>``, the
``<dimension>`` and the 注 row's merge, which moves with the table's length.

The named styles (``js_in_amount`` …) are mapped to ``cellXfs`` indices the way openpyxl maps
them when a cell gets ``cell.style = name``: the first cell format whose ``xfId`` is the named
style and whose other attributes copy it; a style the template does not use yet gets one
appended.  Unknown template features (a row below the 注 row, a merge inside the data) are an
error here, not a silently wrong workbook later.
"""

from __future__ import annotations

import hashlib
import html
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO

from juesuan.cached import sheet_paths
from juesuan.errors import FormatError
from juesuan.formats import load_format
from juesuan.layout import table_layout
from juesuan.model import Book
from juesuan.spec import Format, Table
from juesuan.templates import template_path

ROW = re.compile(r'<row r="(\d+)"([^>]*?)(?:/>|>(.*?)</row>)', re.S)
CELL = re.compile(r'<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)
MERGE = re.compile(r'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"/>')
XF = re.compile(r"<xf [^>]*?(?:/>|>.*?</xf>)", re.S)
CELL_ROW = re.compile(r'<c r="([A-Z]+)\d+"')
ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class TemplateRow:
    """A row of the template: its attributes (height) and its cells' XML by column letter."""

    number: int
    attrs: str
    cells: dict[str, str]
    _patterns: dict[tuple[bool, str], str] = field(default_factory=dict, repr=False)


    def xml(self, number: int, first: str = "", skip: str = "") -> str:
        """The row moved to ``number`` (its cells' references follow), ``first`` in place of column ``skip``."""
        key = (first != "", skip)
        pattern = self._patterns.get(key)
        if pattern is None:
            cells = "".join(CELL_ROW.sub(lambda m: f'<c r="{m.group(1)}\x00"', x, count=1)
                            for c, x in self.cells.items() if c != skip)
            pattern = self._patterns[key] = f'<row r="\x00"{self.attrs}>\x01{cells}</row>'
        return pattern.replace("\x00", str(number)).replace("\x01", first)


@dataclass
class SheetParts:
    table: Table
    path: str  # xl/worksheets/sheetN.xml
    head: str  # up to and excluding <dimension …/>
    after_dimension: str  # from after <dimension …/> to <sheetData>
    frame: list[TemplateRow]  # rows above the data rows (title, label, unit line, headers, 栏次)
    footnote: TemplateRow | None  # the 注 row as the template has it
    spare: list[TemplateRow]  # blank input rows kept below the data of a table without a 注 row
    before_merges: str  # after </sheetData> up to <mergeCells>
    merges: list[str]  # merges of the frame (title, headers), kept as they are
    after_merges: str


@dataclass
class ExtraSheet:
    """A sheet after the format's sheets (the narrative), kept as text for its own renderer."""

    name: str
    path: str
    xml: str


@dataclass
class TemplateParts:
    format: Format
    digest: str  # sha256 of the template file: a batch redoes every department when it changes
    static: dict[str, bytes]  # every part that is not a format sheet, in archive order
    order: list[str]  # archive order of all parts (sheets included)
    sheets: list[SheetParts]
    extra: list[ExtraSheet] = field(default_factory=list)
    style: dict[str, int] = field(default_factory=dict)  # named style → cellXfs index

    def sheet(self, table_key: str) -> SheetParts:
        for s in self.sheets:
            if s.table.key == table_key:
                return s
        raise KeyError(table_key)


@lru_cache(maxsize=None)
def template_parts(format_id: str) -> TemplateParts:
    """The parsed template of a format; computed once per process."""
    data = template_path(format_id).read_bytes()
    return parse_template(load_format(format_id), data)


def parse_template(fmt: Format, data: bytes) -> TemplateParts:
    with zipfile.ZipFile(BytesIO(data)) as z:
        order = z.namelist()
        parts = {n: z.read(n) for n in order}
        paths = list(sheet_paths(z).items())
    n = len(fmt.tables)
    if [name for name, _ in paths[:n]] != [t.sheet for t in fmt.tables]:
        raise FormatError(f"template sheets {[n for n, _ in paths]} differ from format {fmt.id}")
    styles, style_map = _styles(parts["xl/styles.xml"].decode("utf-8"))
    sheets = [_sheet(fmt, t, path, parts[path].decode("utf-8")) for t, (_, path) in zip(fmt.tables, paths)]
    extra = [ExtraSheet(name, path, parts[path].decode("utf-8")) for name, path in paths[n:]]
    table_parts = {p for _, p in paths[:n]}
    static = {name: parts[name] for name in order if name not in table_parts}
    static["xl/styles.xml"] = styles.encode("utf-8")
    return TemplateParts(fmt, hashlib.sha256(data).hexdigest(), static, order, sheets, extra, style_map)


def _sheet(fmt: Format, table: Table, path: str, xml: str) -> SheetParts:
    start, end = xml.index("<sheetData"), xml.index("</sheetData>") + len("</sheetData>")
    before, body, after = xml[:start], xml[start:end], xml[end:]
    dim = re.search(r"<dimension [^>]*/>", before)
    if dim is None:
        raise FormatError(f"template sheet {table.sheet}: no <dimension>")
    rows = [TemplateRow(int(m.group(1)), m.group(2), {c.group(1): c.group(0) for c in CELL.finditer(m.group(3) or "")})
            for m in ROW.finditer(body)]
    tl = table_layout(Book(fmt), table)  # the frame does not depend on the department's rows
    first = tl.first_data_row
    frame = [r for r in rows if r.number < first]
    footnote = None
    spare = []
    if table.footnote is None and table.kind != "fixed":
        # the openpyxl path finds no data rows in the template here (no 注 row bounds the
        # spare rows), inserts the department's rows above them and so keeps them all
        spare = [r for r in rows if r.number >= first + len(tl.row_keys)]
    if table.footnote is not None:
        footnote = rows[-1]
        if "A" not in footnote.cells or "注" not in html.unescape(footnote.cells["A"]):
            raise FormatError(f"template sheet {table.sheet}: the last row is not the 注 row")
    mstart = after.find("<mergeCells")
    if mstart < 0:
        before_merges, merges_xml, after_merges = after, "", ""
    else:
        mend = after.index("</mergeCells>") + len("</mergeCells>")
        before_merges, merges_xml, after_merges = after[:mstart], after[mstart:mend], after[mend:]
    merges = []
    for m in MERGE.finditer(merges_xml):
        top = int(m.group(2))
        if footnote is not None and top == footnote.number:
            continue  # re-made below the department's rows
        if top >= first:
            raise FormatError(f"template sheet {table.sheet}: merge {m.group(0)} inside the data rows")
        merges.append(m.group(0))
    return SheetParts(table, path, before[:dim.start()], before[dim.end():], frame, footnote, spare, before_merges,
                      merges, after_merges)


def _styles(xml: str) -> tuple[str, dict[str, int]]:
    """styles.xml with a cell format for every named style, and name → cellXfs index."""
    names = {a["name"]: int(a["xfId"]) for a in (dict(ATTR.findall(s)) for s in re.findall(r"<cellStyle [^>]*/>", xml))}
    sx = re.search(r"<cellStyleXfs[^>]*>(.*?)</cellStyleXfs>", xml, re.S)
    cx = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", xml, re.S)
    if sx is None or cx is None:
        raise FormatError("template styles.xml has no cellStyleXfs/cellXfs")
    style_xfs = XF.findall(sx.group(1))
    cell_xfs = XF.findall(cx.group(1))
    index: dict[str, int] = {}
    for name, xf_id in names.items():
        want = _as_cell_xf(style_xfs[xf_id], xf_id)
        if want in cell_xfs:
            index[name] = cell_xfs.index(want)
        else:
            cell_xfs.append(want)
            index[name] = len(cell_xfs) - 1
    body = f'<cellXfs count="{len(cell_xfs)}">' + "".join(cell_xfs) + "</cellXfs>"
    return xml[:cx.start()] + body + xml[cx.end():], index


def _as_cell_xf(style_xf: str, xf_id: int) -> str:
    """The cell format openpyxl writes for a cell styled with this named style."""
    m = re.match(r"<xf ([^>]*?)(/?)>", style_xf)
    assert m is not None
    attrs = m.group(1).rstrip()
    extra = f' pivotButton="0" quotePrefix="0" xfId="{xf_id}"'
    if m.group(2):
        return f"<xf {attrs}{extra}/>"
    return f"<xf {attrs}{extra}>" + style_xf[m.end():]
