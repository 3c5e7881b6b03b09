"""Cell styles of the workbooks, as openpyxl named styles registered once per workbook.

Input cells are pale yellow and unlocked; derived cells are white and locked (the sheets are
protected without a password), so an accountant sees at a glance what to type.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.workbook import Workbook

FONT = "宋体"
INPUT_FILL = "FFF2CC"
HEADER_FILL = "F2F2F2"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
AMOUNT_FORMAT = "#,##0.00"
COUNT_FORMAT = "0"
NUMBER_FORMAT = "0.00"


def _style(name: str, *, bold: bool = False, size: int = 10, fill: str | None = None, box: bool = True,
           h: str = "left", v: str = "center", wrap: bool = False, fmt: str = "General", locked: bool = True,
           indent: int = 0) -> NamedStyle:
    st = NamedStyle(name=name)
    st.font = Font(name=FONT, size=size, bold=bold)
    if fill:
        st.fill = PatternFill("solid", start_color=fill, end_color=fill)
    if box:
        st.border = BOX
    st.alignment = Alignment(horizontal=h, vertical=v, wrap_text=wrap, indent=indent)
    st.number_format = fmt
    st.protection = Protection(locked=locked)
    return st


def _all() -> list[NamedStyle]:
    styles = [
        _style("js_title", bold=True, size=16, box=False, h="center"),
        _style("js_plain", box=False),
        _style("js_plain_right", box=False, h="right"),
        _style("js_header", bold=True, fill=HEADER_FILL, h="center", wrap=True),
        _style("js_lineno", h="center"),
        _style("js_note", box=False, wrap=True, v="top", locked=False),
    ]
    for bold in (False, True):
        b = "_bold" if bold else ""
        for indent in range(3):
            styles.append(_style(f"js_label{b}{indent}", bold=bold, indent=indent, wrap=True))
    styles.append(_style("js_label_center", h="center"))
    for kind, fmt, h in (("amount", AMOUNT_FORMAT, "right"), ("count", COUNT_FORMAT, "right"),
                         ("number", NUMBER_FORMAT, "right"), ("text", "@", "left")):
        styles.append(_style(f"js_in_{kind}", fill=INPUT_FILL, h=h, fmt=fmt, locked=False, wrap=kind == "text"))
        styles.append(_style(f"js_out_{kind}", h=h, fmt=fmt, wrap=kind == "text"))
        styles.append(_style(f"js_out_{kind}_bold", bold=True, h=h, fmt=fmt, wrap=kind == "text"))
    styles.append(_style("js_blank"))
    return styles


def register(wb: Workbook) -> None:
    """Add the named styles a workbook lacks (a user's workbook may already have them)."""
    have = set(wb.named_styles)
    for st in _all():
        if st.name not in have:
            wb.add_named_style(st)
