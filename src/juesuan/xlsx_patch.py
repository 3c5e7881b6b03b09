"""Patching a user's .xlsx in place of loading it: only the parts that change are rewritten.

Why: ``fill`` and ``narrate`` used to load the whole workbook into openpyxl (≈0.35 s on the
reference, half of it re-formatting merged cells), set a few hundred cells and save it all again.
Here the zip is opened once; the sheets that change get their ``<c>`` elements replaced or
inserted as text (:class:`SheetPatch`), ``styles.xml`` gets the cell formats of the named styles
it lacks, and every other part is copied byte for byte (its deflated stream, not even
recompressed).  So what openpyxl would drop on saving — images, comments, ``extLst`` features,
sparklines, slicers — survives too.

What a patch cannot do safely raises :class:`Cannot` before anything is written; the caller
then takes the openpyxl path (rows to insert, a named style the workbook lacks, a shared
formula's anchor or a table object where a cell is written, a merge over a written cell …).

Example: ``<row r="8"><c r="A8" s="3" t="s"><v>4</v></c></row>`` patched with column 3 →
``<c r="C8" s="12"><f>SUM(C9:C12)</f></c>`` gives
``<row r="8"><c r="A8" s="3" t="s"><v>4</v></c><c r="C8" s="12"><f>SUM(C9:C12)</f></c></row>``.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from juesuan.batch.zipwrite import Member, archive, deflate
from juesuan.cached import full_calc_on_load, sheet_parts
from juesuan.cellxml import plain_xml
from juesuan.expr import column_index, column_letter

LEVEL = 6  # deflate level of the parts we rewrite (few and small)
ROW = re.compile(r"<row\b([^>]*?)(/>|>(.*?)</row>)", re.S)
CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
ATTR_R = re.compile(r'\sr="([A-Z]{1,3})([0-9]+)"')
ROW_R = re.compile(r'\sr="([0-9]+)"')
ATTR_S = re.compile(r'\ss="[0-9]*"')
MERGE = re.compile(r'<mergeCell ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"\s*/>')
DIMENSION = re.compile(r'<dimension ref="([^"]*)"\s*/>')
SPANS = re.compile(r'\sspans="[^"]*"')
HEIGHT = re.compile(r'\s(?:ht|customHeight)="[^"]*"')
CELL_OPEN = re.compile(r"<c\b([^>]*?)(/?>)")
SPECIAL_F = re.compile(r'<f\b[^>]*\st="(shared|array|dataTable)"[^>]*>')
FULL_CELL = re.compile(r"<c\b([^>]*?)(?<!/)>((?:(?!</c>).)*)</c>", re.S)  # a cell with content, never past its </c>
CELL_REF = re.compile(r'\sr="([A-Z]{1,3})([0-9]+)"')
CELL_VALUE = re.compile(r"<v>([^<]*)</v>")


class Cannot(Exception):
    """This workbook cannot be patched safely (the reason is the message); use openpyxl."""


# ── the package ──────────────────────────────────────────────────────────────────────────
@dataclass
class Package:
    """An .xlsx opened once: parts read on demand, changed or added ones written back, every
    other part copied as it is (its compressed bytes)."""

    path: Path
    data: bytes
    infos: list[zipfile.ZipInfo]
    _text: dict[str, bytes] = field(default_factory=dict)
    changed: dict[str, bytes] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    _zip: zipfile.ZipFile | None = None

    @classmethod
    def open(cls, path: str | Path) -> "Package":
        p = Path(path)
        data = p.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
        for i in infos:
            if not i.filename.isascii() or i.flag_bits & 1:
                raise Cannot(f"part {i.filename!r}: non-ASCII name or encrypted")
        return cls(p, data, infos)

    def read(self, name: str) -> bytes:
        if name in self.changed:
            return self.changed[name]
        got = self._text.get(name)
        if got is None:
            if self._zip is None:
                self._zip = zipfile.ZipFile(io.BytesIO(self.data))  # the bytes we hold, not the file again
            got = self._text[name] = self._zip.read(name)
        return got

    def text(self, name: str) -> str:
        return self.read(name).decode("utf-8")

    def has(self, name: str) -> bool:
        return name in self.changed or any(i.filename == name for i in self.infos if i.filename not in self.removed)

    def put(self, name: str, content: bytes | str) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        if not self.has(name):
            self.added.append(name)
        self.changed[name] = data

    def remove(self, name: str) -> None:
        self.removed.add(name)
        self.changed.pop(name, None)
        if name in self.added:
            self.added.remove(name)

    def sheet_paths(self) -> dict[str, str]:
        """Sheet title → part name, in workbook order."""
        return sheet_parts(self.read("xl/workbook.xml"), self.read("xl/_rels/workbook.xml.rels"))

    def bytes(self) -> bytes:
        """The archive: every part in its original order (added ones last)."""
        members: list[Member] = []
        for info in self.infos:
            name = info.filename
            if name in self.removed:
                continue
            if name in self.changed:
                members.append(deflate(name, self.changed[name], LEVEL))
            else:
                members.append(self._raw(info))
        members += [deflate(n, self.changed[n], LEVEL) for n in self.added]
        return archive(members)

    def _raw(self, info: zipfile.ZipInfo) -> Member:
        """The part's deflated stream as the file holds it (no recompression)."""
        if info.compress_type != zipfile.ZIP_DEFLATED:
            return deflate(info.filename, self.read(info.filename), LEVEL)
        head = info.header_offset
        if self.data[head:head + 4] != b"PK\x03\x04":
            raise Cannot(f"part {info.filename!r}: bad local header")
        n, m = struct.unpack("<HH", self.data[head + 26:head + 30])
        start = head + 30 + n + m
        return Member(info.filename, info.CRC, info.file_size, self.data[start:start + info.compress_size])

    def write(self, path: str | Path) -> None:
        from juesuan.workbook_file import write_atomic

        data = self.bytes()
        write_atomic(path, lambda tmp: Path(tmp).write_bytes(data))


def part_name(source: str, target: str) -> str:
    """A relationship's target as a part name, relative to the part ``source`` it belongs to."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def rels_name(part: str) -> str:
    d, f = posixpath.split(part)
    return f"{d}/_rels/{f}.rels"


# ── one sheet ────────────────────────────────────────────────────────────────────────────
@dataclass
class Cell:
    """A cell to write: its full XML, or (``xml`` None) only a new style for what it holds, or
    (``number`` set) a number in place of what it holds, its style kept."""

    style: int
    xml: str | None = None
    number: float | int | None = None


@dataclass
class SheetPatch:
    """Cells to write into one sheet's XML, and row heights; everything else stays as it was."""

    sheet: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    heights: dict[int, str] = field(default_factory=dict)  # row → ht (customHeight set)

    def apply(self, xml: str) -> str:
        if "<sheetData" not in xml or "<x:" in xml[:400] or not plain_xml(xml):
            raise Cannot(f"{self.sheet}: unexpected sheet XML")
        if "<tableParts" in xml:
            raise Cannot(f"{self.sheet}: a table object (ListObject)")
        self._check_merges(xml)
        start = xml.index("<sheetData")
        if xml.startswith("<sheetData/>", start):
            body, end = "", start + len("<sheetData/>")
        else:
            open_end = xml.index(">", start) + 1
            end = xml.index("</sheetData>", open_end)
            body = xml[open_end:end]
            end += len("</sheetData>")
        by_row: dict[int, dict[int, Cell]] = {}
        for (r, c), cell in self.cells.items():
            by_row.setdefault(r, {})[c] = cell
        rows_touched = set(by_row) | set(self.heights)
        out: list[str] = []
        pos = 0
        for m in ROW.finditer(body):
            rm = ROW_R.search(m.group(1))
            if rm is None:
                raise Cannot(f"{self.sheet}: a row without its number")
            r = int(rm.group(1))
            for new in sorted(x for x in rows_touched if x < r):
                out.append(self._new_row(new, by_row.get(new, {})))
                rows_touched.discard(new)
            out.append(body[pos:m.start()])
            if r in rows_touched:
                rows_touched.discard(r)
                out.append(self._row(r, m.group(1), m.group(3) or "", by_row.get(r, {})))
            else:
                out.append(m.group(0))
            pos = m.end()
        out.append(body[pos:])
        out += [self._new_row(r, by_row.get(r, {})) for r in sorted(rows_touched)]
        xml = xml[:start] + "<sheetData>" + "".join(out) + "</sheetData>" + xml[end:]
        return self._dimension(xml)

    def _row(self, r: int, attrs: str, inner: str, cells: dict[int, Cell]) -> str:
        attrs = SPANS.sub("", attrs)  # Excel's hint of the row's first and last column: may no longer hold
        if r in self.heights:
            attrs = HEIGHT.sub("", attrs) + f' ht="{self.heights[r]}" customHeight="1"'
        held: dict[int, str] = {}
        last, pos = 0, 0
        for m in CELL.finditer(inner):
            ref = ATTR_R.search(m.group(1))
            if ref is None or int(ref.group(2)) != r or inner[pos:m.start()].strip():
                raise Cannot(f"{self.sheet}: row {r} holds more than cells with their addresses")
            c = column_index(ref.group(1))
            if c <= last:
                raise Cannot(f"{self.sheet}: row {r} cells out of order")
            held[c] = m.group(0)
            last, pos = c, m.end()
        if inner[pos:].strip():
            raise Cannot(f"{self.sheet}: row {r} holds more than cells")
        for c, cell in cells.items():
            old = held.get(c)
            if old is not None and "<f" in old:
                f = SPECIAL_F.search(old)
                if f is not None and (f.group(1) != "shared" or " ref=" in f.group(0)):
                    raise Cannot(f"{self.sheet}!{column_letter(c)}{r}: a shared formula's anchor or an array formula")
            held[c] = self._cell(r, c, cell, old)
        return f"<row{attrs}>" + "".join(held[c] for c in sorted(held)) + "</row>"

    def _new_row(self, r: int, cells: dict[int, Cell]) -> str:
        attrs = f' r="{r}"'
        if r in self.heights:
            attrs += f' ht="{self.heights[r]}" customHeight="1"'
        return f"<row{attrs}>" + "".join(self._cell(r, c, cells[c], None) for c in sorted(cells)) + "</row>"

    @staticmethod
    def _cell(r: int, c: int, cell: Cell, old: str | None) -> str:
        if cell.xml is not None:
            return cell.xml
        if cell.number is not None:
            from juesuan.cellxml import number_text

            s = ATTR_S.search(re.match(r"<c\b[^>]*", old or "<c").group(0))  # type: ignore[union-attr]
            return f'<c r="{column_letter(c)}{r}"{s.group(0) if s else ""}><v>{number_text(cell.number)}</v></c>'
        if old is None:
            return f'<c r="{column_letter(c)}{r}" s="{cell.style}"/>'
        m = CELL_OPEN.match(old)
        assert m is not None
        attrs = ATTR_S.sub("", m.group(1)) + f' s="{cell.style}"'
        return f"<c{attrs}{m.group(2)}" + old[m.end():]

    def _check_merges(self, xml: str) -> None:
        for r1, c1, r2, c2 in merges(xml):
            for (r, c) in self.cells:
                if r1 <= r <= r2 and c1 <= c <= c2 and (r, c) != (r1, c1):
                    raise Cannot(f"{self.sheet}!{column_letter(c)}{r}: inside a merged range")

    def _dimension(self, xml: str) -> str:
        m = DIMENSION.search(xml)
        if m is None or not self.cells:
            return xml
        last_r = max(r for r, _ in self.cells)
        last_c = max(c for _, c in self.cells)
        ref = m.group(1)
        parts = re.fullmatch(r"([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?", ref)
        if parts is None:
            return xml
        c1, r1 = parts.group(1), int(parts.group(2))
        c2, r2 = (parts.group(3), int(parts.group(4))) if parts.group(3) else (c1, r1)
        if last_r <= r2 and last_c <= column_index(c2):
            return xml
        new = f'<dimension ref="{c1}{r1}:{column_letter(max(last_c, column_index(c2)))}{max(last_r, r2)}"/>'
        return xml[:m.start()] + new + xml[m.end():]


def merges(xml: str) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as (first row, first col, last row, last col)."""
    out = []
    for m in MERGE.finditer(xml):
        c1, r1 = column_index(m.group(1)), int(m.group(2))
        c2, r2 = (column_index(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
        out.append((r1, c1, r2, c2))
    return out


def error_cells(xml: str) -> dict[tuple[int, int], str]:
    """(row, col) → the error code of every cell stored as an error (``t="e"``)."""
    if 't="e"' not in xml:
        return {}
    found: dict[tuple[int, int], str] = {}
    for m in FULL_CELL.finditer(xml):
        attrs = m.group(1)
        if ' t="e"' not in attrs:
            continue
        ref, value = CELL_REF.search(attrs), CELL_VALUE.search(m.group(2))
        if ref and value:
            found[(int(ref.group(2)), column_index(ref.group(1)))] = value.group(1)
    return found


# ── styles ───────────────────────────────────────────────────────────────────────────────
def named_style_indexes(pkg: Package, names: Iterable[str]) -> dict[str, int]:
    """cellXfs indexes for the named styles ``names`` as openpyxl's ``cell.style = name`` would
    give them; styles.xml gains the cell formats the workbook does not have yet.  A named style
    the workbook lacks (openpyxl would add it) is :class:`Cannot`."""
    from juesuan.batch.template_parts import _styles

    xml = pkg.text("xl/styles.xml")
    try:
        new, index = _styles(xml)
    except Exception as exc:  # noqa: BLE001 — any odd styles.xml: let openpyxl handle it
        raise Cannot(f"styles.xml: {exc}") from None
    missing = sorted(set(names) - set(index))
    if missing:
        raise Cannot(f"named styles missing: {missing}")
    if len(re.findall(r"<xf\b", new)) != len(re.findall(r"<xf\b", xml)):
        pkg.put("xl/styles.xml", new)
    return index


def move_sheet_last(pkg: Package, title: str) -> None:
    """Put sheet ``title`` last in ``xl/workbook.xml``: the sheet-scoped names (print titles and
    areas) and the active tab follow their sheets to their new indexes."""
    xml = pkg.text("xl/workbook.xml")
    entries = list(re.finditer(r"<sheet\b[^>]*/>", xml))
    names = [re.search(r'\sname="([^"]*)"', e.group(0)) for e in entries]
    at = [i for i, n in enumerate(names) if n is not None and html.unescape(n.group(1)) == title]
    if len(at) != 1:
        raise Cannot(f"{title}: not found once in workbook.xml")
    i, last = at[0], len(entries) - 1
    if i == last:
        return
    moved = entries[i]
    xml = xml[:moved.start()] + xml[moved.end():]
    xml = xml.replace("</sheets>", moved.group(0) + "</sheets>", 1)

    def new_index(j: int) -> int:
        return last if j == i else j - 1 if j > i else j

    xml = re.sub(r'(<definedName\b[^>]*\slocalSheetId=")(\d+)"',
                 lambda m: f'{m.group(1)}{new_index(int(m.group(2)))}"', xml)
    xml = re.sub(r'(<workbookView\b[^>]*\sactiveTab=")(\d+)"', lambda m: f'{m.group(1)}{new_index(int(m.group(2)))}"', xml)
    pkg.put("xl/workbook.xml", xml)


def calc_on_load(pkg: Package) -> None:
    """``xl/workbook.xml`` asks Excel and WPS for a full recalculation on load."""
    xml = pkg.text("xl/workbook.xml")
    new = full_calc_on_load(xml)
    if new != xml:
        pkg.put("xl/workbook.xml", new)


def defined_names(pkg: Package) -> dict[str, str]:
    """Defined names (upper-cased) → their text, as openpyxl's ``workbook_names`` sees them
    (the print titles and print areas are sheet settings there, not names)."""
    out: dict[str, str] = {}
    for m in re.finditer(r'<definedName\b([^>]*)>([^<]*)</definedName>', pkg.text("xl/workbook.xml")):
        name = re.search(r'\sname="([^"]*)"', m.group(1))
        if name is None:
            continue
        n = html.unescape(name.group(1))
        if n in ("_xlnm.Print_Titles", "_xlnm.Print_Area"):
            continue
        out[n.upper()] = html.unescape(m.group(2))
    return out
