"""Stored ("cached") formula values in a saved .xlsx, which openpyxl cannot write itself.

A workbook saved by openpyxl has ``<f>…</f><v></v>`` in every formula cell: Excel and WPS
recalculate on open, but pandas, python-calamine, openpyxl ``data_only=True`` and the server's
readers see blanks.  After openpyxl saves, :func:`store_values` rewrites only the worksheet XMLs
of the zip, putting the value after each formula (``<v>3041.69</v>``, with ``t="str"`` /
``t="b"`` / ``t="e"`` for text, booleans and errors), and makes sure ``xl/workbook.xml`` asks
for a full recalculation on load (``<calcPr fullCalcOnLoad="1"/>``), so Excel never trusts our
values over its own.  Every other part is written back unchanged (about 0.04 s a workbook).

Example: ``<c r="C7" s="13"><f>SUM(D7,E7)</f><v></v></c>`` with value 101.7345 →
``<c r="C7" s="13"><f>SUM(D7,E7)</f><v>101.7345</v></c>``.
"""

from __future__ import annotations

import io
import posixpath
import re
import time
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping
from xml.etree import ElementTree as ET

from juesuan.cellxml import esc, number_text, plain_xml
from juesuan.workbook_file import write_atomic
from juesuan.xleval import XlError

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

CellValues = Mapping[str, Mapping[str, Any]]  # sheet title → {"C7": value}

_CELL = re.compile(
    r'<c\b(?P<attrs>[^>]*?)>(?P<f><f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)(?P<v><v\s*/>|<v>[^<]*</v>)?(?P<rest>[^<]*)</c>')
_ATTR_R = re.compile(r'\sr="([A-Z]+[0-9]+)"')
_ATTR_T = re.compile(r'\st="[^"]*"')
_CALC_PR = re.compile(r"<calcPr\b[^>]*?/?>")


@dataclass
class Stored:
    """What :func:`store_values` did: values written, formula cells left without one."""

    written: int = 0
    missing: list[str] = field(default_factory=list)  # "sheet!A1" of formula cells with no value
    seconds_save: float = 0.0  # openpyxl's own save
    seconds_store: float = 0.0  # rewriting the zip with the values


def sheet_paths(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → its part name in the zip (``xl/worksheets/sheet1.xml``)."""
    return sheet_parts(z.read("xl/workbook.xml"), z.read("xl/_rels/workbook.xml.rels"))


def sheet_parts(workbook_xml: bytes, rels_xml: bytes) -> dict[str, str]:
    """Sheet title → part name, in workbook order, from ``xl/workbook.xml`` and its relationships."""
    wb = ET.fromstring(workbook_xml)
    rels = ET.fromstring(rels_xml)
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{NS_PKG_REL}}}Relationship")}
    out: dict[str, str] = {}
    for sheet in wb.iter(f"{{{NS_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{NS_REL}}}id"), "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out[sheet.get("name", "")] = part
    return out


def xml_value(value: Any) -> tuple[str | None, str]:
    """(t attribute or None, text of <v>) for a Python value."""
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, XlError):
        return "e", value.code
    if isinstance(value, (Decimal, int, float)):
        return None, number_text(value)
    return "str", esc(str(value))


def _rewrite_sheet(xml: str, sheet: str, values: Mapping[str, Any], stored: Stored, drop_stale: bool = False) -> str:
    """``drop_stale``: a formula cell without a value loses the value it held (a patched
    workbook keeps its old cached values, which may no longer be right)."""
    def cell(m: re.Match[str]) -> str:
        attrs = m.group("attrs")
        ref = _ATTR_R.search(attrs)
        addr = ref.group(1) if ref else ""
        if addr not in values or values[addr] is None:
            if 'dataTable' not in m.group("f"):
                stored.missing.append(f"{sheet}!{addr}")
                if drop_stale and m.group("v"):
                    return f"<c{_ATTR_T.sub('', attrs)}>{m.group('f')}{m.group('rest')}</c>"
            return m.group(0)
        t, text = xml_value(values[addr])
        attrs = _ATTR_T.sub("", attrs)
        if t:
            attrs += f' t="{t}"'
        stored.written += 1
        return f"<c{attrs}>{m.group('f')}<v>{text}</v>{m.group('rest')}</c>"

    return _CELL.sub(cell, xml)


def full_calc_on_load(xml: str) -> str:
    """``xl/workbook.xml`` with ``<calcPr … fullCalcOnLoad="1"/>``."""
    m = _CALC_PR.search(xml)
    if m:
        tag = m.group(0)
        if 'fullCalcOnLoad="1"' in tag or "fullCalcOnLoad='1'" in tag:
            return xml
        new = re.sub(r'\sfullCalcOnLoad="[^"]*"', "", tag)
        new = new[:-2].rstrip() + ' fullCalcOnLoad="1"/>' if new.endswith("/>") else \
            new[:-1].rstrip() + ' fullCalcOnLoad="1">'
        return xml[:m.start()] + new + xml[m.end():]
    for anchor in ("</definedNames>", "</sheets>"):
        i = xml.find(anchor)
        if i >= 0:
            i += len(anchor)
            return xml[:i] + '<calcPr calcId="191029" fullCalcOnLoad="1"/>' + xml[i:]
    raise ValueError("xl/workbook.xml has no <sheets>")


def store_in_package(pkg: Any, values: CellValues) -> Stored:
    """:func:`store_values` for a :class:`juesuan.xlsx_patch.Package`: every sheet holding a
    formula gets the values (a stale one is dropped); the other parts are left as they are."""
    stored = Stored()
    for title, part in pkg.sheet_paths().items():
        text = pkg.text(part)
        if "<f" in text:
            if not plain_xml(text):
                raise ValueError(f"{title}: CDATA or comments in the sheet XML")  # the patcher's caller uses openpyxl
            new = _rewrite_sheet(text, title, values.get(title, {}), stored, drop_stale=True)
            if new != text:
                pkg.put(part, new)
    return stored


def store_values(data: bytes, values: CellValues) -> tuple[bytes, Stored]:
    """The .xlsx ``data`` with ``values`` stored after their formulas; other parts unchanged."""
    stored = Stored()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        paths = {part: title for title, part in sheet_paths(zin).items()}
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                content = zin.read(info)
                if info.filename in paths:
                    title = paths[info.filename]
                    text = content.decode("utf-8")
                    if "<f" in text:
                        content = _rewrite_sheet(text, title, values.get(title, {}), stored).encode("utf-8")
                elif info.filename == "xl/workbook.xml":
                    content = full_calc_on_load(content.decode("utf-8")).encode("utf-8")
                zout.writestr(info, content, compress_type=info.compress_type)
    return out.getvalue(), stored


def save_with_values(wb: Any, path: str | Path, values: CellValues) -> Stored:
    """Save an openpyxl workbook atomically at ``path`` with ``values`` stored for its formulas."""
    t0 = time.perf_counter()
    buf = io.BytesIO()
    wb.save(buf)
    t1 = time.perf_counter()
    data, stored = store_values(buf.getvalue(), values)
    write_atomic(path, lambda tmp: Path(tmp).write_bytes(data))
    stored.seconds_save, stored.seconds_store = t1 - t0, time.perf_counter() - t1
    return stored
