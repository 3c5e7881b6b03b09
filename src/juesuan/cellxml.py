"""One cell as SpreadsheetML text: what the fast batch writer and the patch writer put in a sheet.

Text is always an inline string (``t="inlineStr"``), whatever it starts with (a paragraph that
begins with "=" is not a formula, :mod:`juesuan.celltext`); numbers are written as the shortest
text that reads back as the same double; a derived cell is its formula with the cached value
beside it.  Example: ``formula_cell("D8", 12, "SUM(D9:D12)", Decimal("2657.4"))`` →
``<c r="D8" s="12"><f>SUM(D9:D12)</f><v>2657.4</v></c>``.
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.celltext import problem, require
from juesuan.errors import Location


def esc(text: str) -> str:
    """XML text escaped (as xml.sax.saxutils.escape, which imports urllib with it)."""
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def number_text(value: Decimal | int | float) -> str:
    """The shortest text that reads back as the same double (what Excel itself writes)."""
    kind = type(value)
    if kind is Decimal:
        # Fast path: a decimal of at most 15 digits written positionally is the shortest text
        # of its double (any two such decimals are different doubles), which is what repr
        # prints for 1e-4 <= |x| < 1e16; trailing zeros and point dropped, -0 as 0.
        s = str(value)
        if len(s) <= 15 and s[-1].isdigit() and "E" not in s:  # not NaN/Infinity, not 1E+2
            if "." in s:
                s = s.rstrip("0").rstrip(".")
            if "0.0000" not in s:
                return "0" if s == "-0" else s
    elif kind is int:
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    f = float(value)
    if f == int(f) and abs(f) < 1e15:
        return str(int(f))
    return repr(f)


def text_cell(ref: str, s: int, text: str, sheet: str | None = None, cell: str | None = None) -> str:
    """An inline-string cell: text is text whatever it starts with; what a cell cannot hold (see
    :func:`juesuan.celltext.problem`) is an InputError naming ``sheet`` and the cell."""
    if problem(text) is not None:
        require(text, Location(sheet=sheet, cell=cell or (ref if sheet else None)))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" s="{s}" t="inlineStr"><is><t{space}>{esc(text)}</t></is></c>'


def value_cell(ref: str, s: int, value: object, sheet: str | None = None) -> str:
    """An input or label cell; ``None`` is an empty styled cell; ``sheet`` names it in an error."""
    if value is None:
        return f'<c r="{ref}" s="{s}"/>'
    if isinstance(value, str):
        return text_cell(ref, s, value, sheet)
    return f'<c r="{ref}" s="{s}"><v>{number_text(value)}</v></c>'  # type: ignore[arg-type]


def formula_cell(ref: str, s: int, formula: str, value: object) -> str:
    """A derived cell: its formula (without ``=``) and the cached value readers show."""
    if value is None:
        return f'<c r="{ref}" s="{s}"><f>{esc(formula)}</f></c>'
    if isinstance(value, str):
        return f'<c r="{ref}" s="{s}" t="str"><f>{esc(formula)}</f><v>{esc(value)}</v></c>'
    return f'<c r="{ref}" s="{s}"><f>{esc(formula)}</f><v>{number_text(value)}</v></c>'  # type: ignore[arg-type]


def plain_xml(xml: str) -> bool:
    """No CDATA section or comment, where text could look like markup to a regular expression."""
    return "<![CDATA[" not in xml and "<!--" not in xml
