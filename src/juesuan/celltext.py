"""Text from a user, written as text: the one rule every writer follows.

A department's data file, a workbook's input cells and a published document are untrusted: a
部门名称 of ``=HYPERLINK("http://…","点击")`` must reach the workbook as those characters, never as
a live formula Excel follows.  Every writer puts user text through here:

- openpyxl (:func:`put`): the value is stored and the cell's type forced to string (``t="s"``,
  written by openpyxl as an inline string), whatever the text starts with;
- the server's fast XML writer: inline strings (``t="inlineStr"``) by construction
  (:func:`juesuan.batch.fastxlsx.text_cell`), with the same :func:`require` check;
- the ribbon (:func:`xl_value`): Excel's COM parses a written string as if typed, so text that
  Excel would read as a formula or number gets the leading apostrophe (the quote prefix);
- Word (python-docx) has no formulas; it gets the same :func:`require` check.

What a workbook cannot hold is refused with a clear message (exit status 2), never cut or
cleaned silently: control characters other than tab, line feed and carriage return, the
non-characters U+FFFE/U+FFFF, unpaired surrogates (they cannot be written as UTF-8), and text
longer than Excel's cell limit of 32,767 characters.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from juesuan.errors import InputError, Location

MAX_CELL_CHARS = 32767  # Excel's limit for the text of one cell
_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
FORMULA_LEADS = ("=", "+", "-", "@", "'")  # what Excel's input parser would not keep as plain text


class Literal(str):
    """A cell's text read as text although it starts with ``=`` (a string cell, not a formula)."""

    __slots__ = ()


def problem(text: str) -> tuple[str, str] | None:
    """(zh, en) of why ``text`` cannot be stored in a cell, or None when it can."""
    m = _BAD.search(text)
    if m:
        code = f"U+{ord(m.group(0)):04X}"
        return (f"文本中含有不能保存的字符 {code}（第 {m.start() + 1} 个字符；控制字符、U+FFFE/U+FFFF 或不成对的代理项）",
                f"the text holds a character that cannot be stored, {code} at position {m.start() + 1} "
                "(a control character, U+FFFE/U+FFFF or an unpaired surrogate)")
    if len(text) > MAX_CELL_CHARS:
        return (f"文本长 {len(text):,} 个字符，超过 Excel 单元格上限 {MAX_CELL_CHARS:,} 个字符",
                f"the text is {len(text):,} characters long, over Excel's cell limit of {MAX_CELL_CHARS:,}")
    return None


def require(text: str, where: Location | None = None) -> str:
    """``text`` unchanged, or an InputError (exit status 2) saying why a cell cannot hold it."""
    why = problem(text)
    if why is not None:
        raise InputError(why[0], why[1], where or Location(), kind="text")
    return text


def has_bad_characters(text: str) -> bool:
    """Whether ``text`` holds a character no document or workbook can store (see :func:`problem`)."""
    return _BAD.search(text) is not None


def printable(text: str) -> str:
    """``text`` with unstorable characters shown as U+FFFD: for messages and summaries only,
    never for a user's data (which is refused instead)."""
    return _BAD.sub("\ufffd", text)


def shown(value: Any, limit: int = 40) -> str:
    """A value as a message quotes it: printable, and at most ``limit`` characters."""
    text = printable(str(value))
    return text if len(text) <= limit else text[:limit] + "…"


def put(cell: Any, value: Any) -> None:
    """Store ``value`` in an openpyxl cell; a string is always a string, even ``=…``."""
    if isinstance(value, str):
        require(value, Location(sheet=cell.parent.title, cell=cell.coordinate))
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value


def report_text(text: str) -> str:
    """Text as a report shows it: unstorable characters as U+FFFD, and over the cell limit cut
    with a visible mark (a report describes its input; the input itself is refused instead)."""
    text = printable(text)
    if len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS - 20] + "…（已截断 truncated）"
    return text


def plain_cells(cells: Iterable[Any]) -> None:
    """Make openpyxl cells that hold only data (a report, or a sheet pandas wrote) plain: text
    stays text even if it starts with "=" (see :func:`report_text` for what else)."""
    for cell in cells:
        v = cell.value
        if isinstance(v, str):
            cell._value = report_text(v)  # noqa: SLF001 — assigning .value would parse "=…" as a formula again
            cell.data_type = "s"


def data_sheet(ws: Any) -> None:
    """:func:`plain_cells` for every cell of a sheet written by another library (pandas)."""
    plain_cells(list(ws._cells.values()))  # noqa: SLF001 — the cells that exist, not the sheet's extent


def xl_value(value: Any) -> Any:
    """A value for an xlwings/COM write: text Excel would parse (``=…``, ``+…``, ``-…``, ``@…``,
    a leading apostrophe) gets the quote prefix so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value
