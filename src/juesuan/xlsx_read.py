"""One pass over an .xlsx: every sheet's values as shown and its formulas, without openpyxl.

:func:`juesuan.check.read.load_grids` used to read a workbook twice — values through
python-calamine, formula text through openpyxl's streaming reader (and sometimes a third time
for cached errors such as ``#REF!``) — which, with openpyxl's import, was most of the time of
``juesuan check``.  :func:`read` parses each sheet's XML once (lxml, entities never resolved, no
network, no huge trees) and gives the same three things those readers gave, cell for cell:

- ``values``: what python-calamine shows — one dense block of rows (lists) from A1 to the last
  cell that holds a value, empty cells ``""``, numbers as ``float``, booleans, text (a cached
  error shows as ``""``), the first ``MAX_COLUMNS`` columns;
- ``formulas``: what openpyxl's read-only reader gives with ``data_only=False`` — rows of
  ``MAX_COLUMNS`` (tuples), ``()`` for a row without a value, formula text ``"=…"`` (shared
  formulas translated by openpyxl's own Translator), numbers as ``int``/``float`` as written,
  rows past the sheet's declared ``<dimension>`` left out (openpyxl trusts it);
- ``cached``: the stored result of each formula cell as openpyxl's ``data_only=True`` reads it
  (``"#REF!"`` for an error), for the cells python-calamine shows blank.

It refuses (:class:`Refused`, with the reason) whatever it does not reproduce exactly: dates
(a number in a date format: the two libraries each guess them), ``t="d"`` cells, text the two
libraries would read differently (``_x000D_`` escapes, untrimmed whitespace without
``xml:space="preserve"``, carriage returns), numbers or booleans not written the plain way, data
tables, chart sheets, missing ``r`` attributes, rows out of order, DTDs, parts over
:data:`MAX_PART_BYTES`, sheets over :data:`MAX_CELLS` cells.  The caller then reads the file the
old way (:mod:`juesuan.check.read`), which stays the oracle of the equality tests.

The container has passed :func:`juesuan.workbook_file.check_readable` (size, ratio, part count)
before this reads it.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any

from juesuan.expr import column_index, column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET_TYPE = REL + "/worksheet"
SST_TYPE = REL + "/sharedStrings"
STYLES_TYPE = REL + "/styles"
WORKBOOK_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
SST_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

MAX_PART_BYTES = 64 * 1024 * 1024  # a sheet part larger than this goes to the streaming readers
MAX_CELLS = 1_000_000  # rows × columns of one sheet's block (the old path allows calamine 5,000,000)

_C, _V, _F, _IS, _T, _R, _ROW = (f"{{{MAIN}}}{t}" for t in ("c", "v", "f", "is", "t", "r", "row"))
_DIM, _DATA, _SI, _MERGE = (f"{{{MAIN}}}{t}" for t in ("dimension", "sheetData", "si", "mergeCell"))
_RANGE = re.compile(r"([A-Z]{1,3})([1-9]\d{0,6})(?::([A-Z]{1,3})([1-9]\d{0,6}))?\Z")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\Z")
_REF = re.compile(r"([A-Z]{1,3})([1-9]\d{0,6})\Z")
_DIM_REF = re.compile(r"\$?[A-Z]{1,3}\$?(\d{1,7})(?::\$?[A-Z]{1,3}\$?(\d{1,7}))?\Z")
_PLAIN_BUILTIN = {0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 37, 38, 39, 40, 41, 42, 43, 44, 48, 49}  # not dates
_SPACE = " \t\n\r"


class Refused(Exception):
    """The fast reader does not reproduce this workbook exactly; read it the old way."""


Grids = dict[str, list[Any]]


def read(path: str | Path, max_columns: int) -> tuple[Grids, Grids, dict[tuple[str, int, int], Any]]:
    """(values, formulas, cached) of every worksheet (see the module docstring), or :class:`Refused`."""
    book = _open(path, max_columns, False)
    return book.values, book.formulas, book.cached


def read_stored(path: str | Path, max_columns: int) -> Grids:
    """Every worksheet as :func:`juesuan.workbook_file.grids` gives it from a workbook openpyxl
    loaded whole (formulas as text): only the cells that hold a value, rows as tuples as long as
    their last such cell, ``()`` for a row without one, text cells starting with "=" as
    :class:`~juesuan.celltext.Literal`, the cells a merge hides left out, no row dropped for a
    stale ``<dimension>``.  Array formulas (openpyxl keeps them as objects) are refused."""
    return _open(path, max_columns, True).stored


def _open(path: str | Path, max_columns: int, stored: bool) -> "_Book":
    try:
        with zipfile.ZipFile(path) as z:
            book = _Book(z, max_columns, stored)
            book.read()
            return book
    except Refused:
        raise
    except Exception as exc:  # noqa: BLE001 — damaged XML, a missing part…: the old readers say what is wrong
        raise Refused(f"{type(exc).__name__}: {exc}") from None


def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


class _Book:
    def __init__(self, z: zipfile.ZipFile, max_columns: int, stored: bool) -> None:
        self.z = z
        self.max_columns = max_columns
        self.stored_mode = stored
        self.names = {i.filename: i for i in z.infolist()}
        self.values: Grids = {}
        self.formulas: Grids = {}
        self.cached: dict[tuple[str, int, int], Any] = {}
        self.stored: Grids = {}
        self.xf_count = 1  # cell formats (openpyxl has one when there is no styles part)

    def part(self, name: str) -> bytes:
        info = self.names.get(name)
        if info is None:
            raise Refused(f"no part {name}")
        if info.file_size > MAX_PART_BYTES:
            raise Refused(f"{name} is large")
        data = self.z.read(info)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise Refused(f"{name} declares a DTD")
        return data

    def tree(self, name: str) -> Any:
        from lxml import etree

        return etree.fromstring(self.part(name), _parser())

    def rels(self, name: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, part name) of ``name``'s relationships."""
        folder, base = posixpath.split(name)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name not in self.names:
            return {}
        out = {}
        for rel in self.tree(rels_name).iter(f"{{{PKG_REL}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id") or ""] = (rel.get("Type") or "", target)
        return out

    def read(self) -> None:
        types = self.tree("[Content_Types].xml")
        overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{{{CT}}}Override")}
        if overrides.get("/xl/workbook.xml") != WORKBOOK_CT:
            raise Refused("not a plain workbook part")
        wb = self.tree("xl/workbook.xml")
        if wb.tag != f"{{{MAIN}}}workbook":
            raise Refused("workbook in another namespace")
        rels = self.rels("xl/workbook.xml")
        sst_parts = [t for typ, t in rels.values() if typ == SST_TYPE]
        sst_ct = [p.lstrip("/") for p, c in overrides.items() if c == SST_CT]
        if sorted(sst_parts) != sorted(sst_ct) or len(sst_parts) > 1:
            raise Refused("shared strings not where both readers look")
        self.strings = self.shared_strings(sst_parts[0]) if sst_parts else []
        styles = [t for typ, t in rels.values() if typ == STYLES_TYPE]
        self.dates = self.date_styles(styles[0]) if styles else set()
        sheets = []
        for sh in wb.iter(f"{{{MAIN}}}sheet"):
            typ, target = rels.get(sh.get(f"{{{REL}}}id") or "", ("", ""))
            if typ != WORKSHEET_TYPE:
                raise Refused("a sheet that is not a worksheet")
            sheets.append((sh.get("name") or "", target))
        parts = {t for _, t in sheets}
        if len(parts) != len(sheets) or len({n for n, _ in sheets}) != len(sheets) \
                or any(n.startswith("xl/worksheets/") and n.endswith(".xml") and n not in parts for n in self.names):
            raise Refused("worksheet parts and sheets do not pair up")
        for name, target in sheets:
            self.sheet(name, target)

    # ── parts ─────────────────────────────────────────────────────────────────────────────
    def shared_strings(self, name: str) -> list[str]:
        data = self.part(name)
        if b"\r" in data:
            raise Refused("a carriage return in the shared strings")
        from lxml import etree

        out = []
        for si in etree.fromstring(data, _parser()).iter(_SI):
            plain = [c for c in si if c.tag == _T]
            if len(plain) > 1:
                raise Refused("a shared string with two texts")
            out.append(_text(si))
        return out

    def date_styles(self, name: str) -> set[int]:
        """Indexes of the cell formats whose number format may be a date or time (either library
        may show such a number as a date: refused)."""
        root = self.tree(name)
        custom = {}
        for nf in root.iter(f"{{{MAIN}}}numFmt"):
            custom[int(nf.get("numFmtId") or -1)] = nf.get("formatCode") or ""
        out: set[int] = set()
        xfs = root.find(f"{{{MAIN}}}cellXfs")
        self.xf_count = len(xfs) if xfs is not None else 0
        for i, xf in enumerate(xfs if xfs is not None else ()):
            fid = int(xf.get("numFmtId") or 0)
            if fid in custom:
                if _maybe_date(custom[fid]):
                    out.add(i)
            elif fid not in _PLAIN_BUILTIN:
                out.add(i)
        return out

    def sheet(self, name: str, part: str) -> None:
        data = self.part(part)
        if b"\r" in data:
            raise Refused("a carriage return in a sheet")
        from lxml import etree

        width = self.max_columns
        shown: list[tuple[int, int, Any]] = []  # (row, column, value) of the cells calamine keeps
        rows: list[tuple[int, list[tuple[int, Any, bool]]]] = []  # openpyxl's cells with a value (and
        # whether each is a text cell), by row
        merges: list[str] = []
        cached = self.cached
        stored_mode = self.stored_mode
        max_row = None  # openpyxl reads no row past the declared dimension (found before </sheetData>)
        data_done = False
        last_row = extent_c = 0
        shared: dict[str, Any] = {}
        for _, el in etree.iterparse(io.BytesIO(data), events=("end",), tag=(_DIM, _DATA, _ROW, _MERGE),
                                     resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False):
            tag = el.tag
            if tag == _DIM:
                if not data_done:
                    m = _DIM_REF.match(el.get("ref") or "")
                    if not m:
                        raise Refused("a dimension openpyxl may not read")
                    max_row = int(m.group(2) or m.group(1))
                continue
            if tag == _DATA:
                data_done = True
                continue
            if tag == _MERGE:
                merges.append(el.get("ref") or "")
                continue
            r = _int(el.get("r"))
            if r <= last_row:
                raise Refused("rows out of order")
            last_row = r
            cells: list[tuple[int, Any, bool]] = []
            last_col = 0
            digits = str(r)
            for c in el:
                ref = c.get("r") or ""
                col = _COLS.get(ref[:-len(digits)]) if ref.endswith(digits) else None
                if col is None:
                    col = _address(ref, r)
                if col <= last_col or c.tag != _C:
                    raise Refused("cells out of order, or something other than a cell in a row")
                last_col = col
                if stored_mode and int(c.get("s") or 0) >= self.xf_count and c.get("s") not in (None, "0"):
                    raise Refused("a cell format openpyxl cannot find")
                if len(c) == 0 and c.get("t") is None:  # a styled empty cell: no value for either reader
                    continue
                if c.get("vm") is not None or c.get("cm") is not None:
                    raise Refused("a rich-value or array-metadata cell")
                v, f, is_formula = self.cell(c, r, col, shared)
                if v is not _EMPTY and not stored_mode:  # the shown values: read() only
                    shown.append((r, col, v))
                    if is_formula and v == "":  # calamine shows a cached error as blank
                        stored = self.cached_result(c)
                        if stored is not None:
                            cached[(name, r, col)] = stored
                if f is not None and col <= width:
                    cells.append((col, f, not is_formula and c.get("t") in ("s", "str", "inlineStr")))
            extent_c = max(extent_c, last_col)
            el.clear()
            while el.getprevious() is not None:  # rows already read leave no empty elements behind
                del el.getparent()[0]
            rows.append((r, cells))
            if r * extent_c > MAX_CELLS:
                raise Refused("a large sheet")
        if stored_mode:
            self.stored[name] = _stored(rows, merges)
        else:
            self.values[name] = _dense(shown, width)
            self.formulas[name] = _rows(rows, width, max_row)

    def cell(self, c: Any, r: int, col: int, shared: dict[str, Any]) -> tuple[Any, Any, bool]:
        """(what calamine shows or _EMPTY, what openpyxl reads in formula mode or None, whether
        the cell holds a formula)."""
        v_el = f_el = None
        for child in c:
            tag = child.tag
            if tag == _V and v_el is None:
                v_el = child
            elif tag == _F and f_el is None:
                f_el = child
            elif tag != _IS:
                raise Refused("a cell with parts neither reader expects")
        formula = None if f_el is None else self.formula(f_el, r, col, shared)
        return (*self.value(c, v_el, f_el, formula), f_el is not None)

    def value(self, c: Any, v_el: Any, f_el: Any, formula: Any) -> tuple[Any, Any]:
        t = c.get("t") or "n"
        v = None if v_el is None else (v_el.text or "")
        if t == "n":
            if not v:  # none, or <v></v> (openpyxl writes that for a formula without its value)
                return _EMPTY, formula
            if not _NUMBER.match(v):
                raise Refused("a number not written plainly")
            if _int(c.get("s") or "0") in self.dates:
                raise Refused("a number in a date format")
            number = float(v)
            return number, formula if f_el is not None else (number if "." in v or "e" in v or "E" in v else int(v))
        if t == "s":
            if not v or not v.isdigit() or int(v) >= len(self.strings):
                raise Refused("a shared-string cell without a usable index")
            text = self.strings[int(v)]
            return text, formula if f_el is not None else text
        if t == "str":
            if v is None:
                return _EMPTY, formula
            if "_x" in v:
                raise Refused("formula text calamine may read differently")
            return v, formula if f_el is not None else v or None  # calamine keeps "", openpyxl None
        if t == "b":
            if v is None:
                return _EMPTY, formula
            if v not in ("0", "1"):
                raise Refused("a boolean not written 0 or 1")
            return v == "1", formula if f_el is not None else v == "1"
        if t == "e":
            if not v:
                raise Refused("an error cell without its error")
            return "", formula if f_el is not None else v
        if t == "inlineStr":
            is_el = c.find(_IS)
            if is_el is None or v_el is not None:
                raise Refused("an inline string cell without its text")
            text = _text(is_el)
            return text, formula if f_el is not None else text
        raise Refused(f"a cell of type {t!r}")

    def formula(self, f_el: Any, r: int, col: int, shared: dict[str, Any]) -> Any:
        """The formula text openpyxl reads (``parse_formula``), shared formulas translated."""
        kind = f_el.get("t")
        text = "=" + (f_el.text or "")
        if kind == "shared":
            idx = f_el.get("si")
            if idx in shared:
                return shared[idx].translate_formula(f"{column_letter(col)}{r}")
            if text != "=":
                shared[idx] = _translator(text, f"{column_letter(col)}{r}")
            return text
        if kind in (None, "normal") or kind == "array" and not self.stored_mode:
            return text
        raise Refused(f"a {kind} formula")

    def cached_result(self, c: Any) -> Any:
        """A formula cell's stored result as openpyxl ``data_only=True`` reads it (None: none)."""
        t = c.get("t") or "n"
        v = c.findtext(_V) or None
        if v is None:
            return None
        if t == "n":
            return float(v) if "." in v or "e" in v or "E" in v else int(v)
        if t == "s":
            return self.strings[int(v)]
        if t == "b":
            return v == "1"
        return v  # str, e


_EMPTY = object()  # a cell calamine does not keep (no value)


def _text(el: Any) -> str:
    """A string item's text (``<t>`` and the runs' ``<t>``, not phonetic runs), refusing text
    calamine and openpyxl would read differently."""
    out = []
    for child in el:
        if child.tag == _T:
            out.append(_t(child))
        elif child.tag == _R:
            for t in child.iter(_T):
                out.append(_t(t))
    text = "".join(out)
    if "_x" in text or "x005F_" in text:
        raise Refused("an escaped character in text")
    return text


def _t(t: Any) -> str:
    text = t.text or ""
    if text and (text[0] in _SPACE or text[-1] in _SPACE) and t.get(XML_SPACE) != "preserve":
        raise Refused("untrimmed text without xml:space")
    return text


def _maybe_date(code: str) -> bool:
    """Whether a number format code could show a date or time (a generous guess)."""
    code = re.sub(r'"[^"]*"|\\.|_.', "", code)
    code = re.sub(r"\[(?![hmsHMS]+\])[^\]]*\]", "", code)
    return bool(re.search(r"[dmyhsDMYHS]|AM/PM|A/P|上午|下午|年|月|日", code))


def _translator(text: str, where: str) -> Any:
    from openpyxl.formula.translate import Translator  # only for shared formulas (LibreOffice, Excel)

    return Translator(text, where)


def _dense(shown: list[tuple[int, int, Any]], width: int) -> list[list[Any]]:
    if not shown:
        return []
    rows = max(r for r, _, _ in shown)
    cols = min(width, max(c for _, c, _ in shown))
    grid = [[""] * cols for _ in range(rows)]
    for r, c, v in shown:
        if c <= cols:
            grid[r - 1][c - 1] = v
    return grid


def _rows(rows: list[tuple[int, list[tuple[int, Any, bool]]]], width: int, max_row: int | None) -> list[Any]:
    out: list[Any] = []
    empty: tuple[Any, ...] = ()
    for r, cells in rows:
        if max_row is not None and r > max_row:
            break
        if not cells or all(v is None for _, v, _ in cells):
            continue
        while len(out) < r - 1:
            out.append(empty)
        row = [None] * width
        for c, v, _ in cells:
            row[c - 1] = v
        out.append(tuple(row))
    return out


def _stored(rows: list[tuple[int, list[tuple[int, Any, bool]]]], merges: list[str]) -> list[Any]:
    """:func:`juesuan.workbook_file.sheet_grid` of the sheet openpyxl would have loaded."""
    from juesuan.celltext import Literal
    from juesuan.workbook_file import dense_rows

    cells: dict[tuple[int, int], Any] = {}
    for r, row in rows:
        for c, v, text in row:
            if v is not None:
                cells[(r, c)] = Literal(v) if text and v.startswith("=") else v
    if len(merges) * len(cells) > MAX_CELLS:
        raise Refused("many merged ranges over many cells")
    for ref in merges:  # openpyxl replaces every cell of a merge but its first by an empty MergedCell
        m = _RANGE.match(ref)
        if not m:
            raise Refused("a merged range openpyxl may not read")
        c1, r1 = column_index(m.group(1)), int(m.group(2))
        c2, r2 = (column_index(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
        if c2 < c1 or r2 < r1:
            raise Refused("a merged range written backwards")
        for key in [k for k in cells if r1 <= k[0] <= r2 and c1 <= k[1] <= c2 and k != (r1, c1)]:
            del cells[key]
    by_row: dict[int, dict[int, Any]] = {}
    for (r, c), v in cells.items():
        by_row.setdefault(r, {})[c] = v
    return dense_rows(by_row)


def _int(text: str | None) -> int:
    if text is None or not text.isdigit():
        raise Refused("a row or style without a plain number")
    return int(text)


def _address(ref: str, row: int) -> int:
    """The column of a cell address ``ref`` that must be in ``row`` (Refused otherwise)."""
    m = _REF.match(ref)
    if not m or int(m.group(2)) != row or column_index(m.group(1)) > 16384:
        raise Refused("a cell without its own address")
    return column_index(m.group(1))


_COLS = {column_letter(i): i for i in range(1, 703)}  # A … ZZ
