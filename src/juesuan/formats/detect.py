"""Recognising the format of a workbook or a data file.

In order:

1. a data file names its format (``"format": "nmg-2023"``); one that names none is the default
   format's (as data files always were);
2. a workbook written by ``juesuan new`` (or from a pack's template) carries a stamp: the hidden
   workbook-level defined name ``_juesuan_format`` whose value is ``"<format id>"``;
3. a workbook without the stamp (typed from an official template) is matched by its sheet names
   and the titles in the first rows of its sheets: the pack whose public tables are found in the
   largest share wins (ties: the one with more tables found).  A workbook in which no pack finds
   a table is read as the default format, whose reader then names the sheets it misses.

``--format`` overrides all of this on every command (:func:`juesuan.formats.detect_pack`).
Reading for detection never fails on a damaged file: the real reader reports that.
"""

from __future__ import annotations

import json
import re
import zipfile
from html import unescape
from pathlib import Path
from typing import Any, Iterable, Mapping

from juesuan.formats import DEFAULT_FORMAT, FORMATS, get_pack
from juesuan.formats.pack import STAMP_NAME

TITLE_ROWS = 3  # rows at the top of a sheet searched for its title
_DEFINED = re.compile(r'<(?:\w+:)?definedName\b([^>]*)>([^<]*)</(?:\w+:)?definedName>')
_SHEET = re.compile(r'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"')


def detect_format_id(source: str | Path | Mapping[str, Any]) -> str:
    """The format id of a data file (dict or ``.json`` path) or a workbook (``.xlsx`` path)."""
    if isinstance(source, Mapping):
        return str(source.get("format") or DEFAULT_FORMAT)
    path = Path(source)
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError, RecursionError):
            return DEFAULT_FORMAT  # the data-file reader reports the problem
        return detect_format_id(data) if isinstance(data, dict) else DEFAULT_FORMAT
    stamp, sheets = workbook_stamp_and_sheets(path)
    if stamp in FORMATS:
        return stamp
    return best_match(sheets, lambda: _first_rows(path))


def workbook_stamp_and_sheets(path: str | Path) -> tuple[str | None, list[str]]:
    """The ``_juesuan_format`` stamp (or None) and the sheet names, from ``xl/workbook.xml``."""
    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("xl/workbook.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None, []
    return stamp_of_defined_names(_defined_names(xml)), [unescape(n) for n in _SHEET.findall(xml)]


def _defined_names(xml: str) -> dict[str, str]:
    out = {}
    for attrs, value in _DEFINED.findall(xml):
        name = re.search(r'\bname="([^"]*)"', attrs)
        if name and "localSheetId" not in attrs:
            out[unescape(name.group(1))] = unescape(value)
    return out


def stamp_of_defined_names(names: Mapping[str, str]) -> str | None:
    """``{"_juesuan_format": '"nmg-2023"'}`` → ``"nmg-2023"`` (a leading ``=`` is allowed)."""
    for name, value in names.items():
        if name.lower() == STAMP_NAME.lower():
            return value.strip().lstrip("=").strip().strip('"') or None
    return None


def stamp_value(format_id: str) -> str:
    """The text of the stamp's defined name for ``format_id``."""
    return f'"{format_id}"'


def best_match(sheets: Iterable[str], titles: Any = None) -> str:
    """The format whose public tables best match the sheet names (then the sheets' titles,
    ``titles()`` → iterable of texts, read only when the names alone match nothing)."""
    names = {_norm(s) for s in sheets}
    scores = _scores(names)
    if not any(s[1] for s in scores.values()) and titles is not None:
        scores = _scores(names | {_norm(t) for t in titles()})
    best = max(scores, key=lambda i: scores[i])
    return best if scores[best][1] else DEFAULT_FORMAT


def _scores(found: set[str]) -> dict[str, tuple[float, int]]:
    out = {}
    for format_id in FORMATS:
        pack = get_pack(format_id)
        tables = pack.format.public_tables
        hits = sum(1 for t in tables if {_norm(t.sheet), _norm(t.title)} & found)
        extra = sum(1 for t in pack.titles if _norm(t) in found)
        out[format_id] = ((hits / len(tables)) if tables else 0.0, hits + extra)
    return out


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", str(text)).replace('"', "“").replace("'", "’")


def _first_rows(path: Path) -> list[str]:
    """Texts in the first rows of every sheet (an official template's 表 titles)."""
    try:
        from openpyxl import load_workbook

        from juesuan.locate import MAX_COLUMNS

        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — detection never fails; the reader reports a damaged file
        return []
    out: list[str] = []
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows(min_row=1, max_row=TITLE_ROWS, max_col=MAX_COLUMNS, values_only=True):
                out.extend(str(v) for v in row if isinstance(v, str) and v.strip())
    except Exception:  # noqa: BLE001 — sheets are parsed lazily: a damaged one is the reader's to report
        return []
    finally:
        wb.close()
    return out


def detect_in_grids(sheet_names: Iterable[str], defined_names: Mapping[str, str],
                    grids: Mapping[str, Any] | None = None) -> str:
    """The format id of an open workbook (the ribbon): its stamp, else its sheet names and titles."""
    stamp = stamp_of_defined_names(defined_names)
    if stamp in FORMATS:
        return stamp

    def titles() -> list[str]:
        out: list[str] = []
        for grid in (grids or {}).values():
            for row in list(grid)[:TITLE_ROWS]:
                out.extend(str(v) for v in row if isinstance(v, str) and v.strip())
        return out

    return best_match(sheet_names, titles)


def stamp_workbook(wb: Any, format_id: str) -> None:
    """Write (or replace) the format stamp into an openpyxl workbook: a hidden defined name."""
    from openpyxl.workbook.defined_name import DefinedName

    for name in [n for n in wb.defined_names if n.lower() == STAMP_NAME.lower()]:
        del wb.defined_names[name]
    wb.defined_names[STAMP_NAME] = DefinedName(STAMP_NAME, attr_text=stamp_value(format_id), hidden=True)


def stamp_of_workbook(wb: Any) -> str | None:
    """The stamp of an openpyxl workbook (None when it has none)."""
    return stamp_of_defined_names({n: d.attr_text or "" for n, d in wb.defined_names.items()})
