"""A cell's stored value as the checker sees it: a Decimal, nothing, or a problem to report.

Excel stores binary floats, so a total computed by Excel may come back as
``3041.6899999999996``.  Taking that at face value would make a clean two-decimal workbook look
like one with 元 precision.  Floats are therefore rounded to nine decimals (far below 1 元 =
0.0001 万元, far above float noise) before anything else::

    normalize(3041.6899999999996)  → Decimal("3041.69")
    normalize(12.6345)             → Decimal("12.6345")
    normalize("1,234.50")          → Problem("numtext", …)   (Excel's SUM skips a number stored as text)
    normalize(1e308)               → Problem("absurd", …)
    normalize("#REF!")             → Problem("error", …)

Never raises: the checker reports problems as findings (S-5, F-6).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from juesuan.locate import is_error_text
from juesuan.celltext import shown
from juesuan.money import LIMIT, parse_amount

NINE = Decimal("1e-9")


@dataclass(frozen=True)
class Problem:
    """Why a stored value cannot be used as a number: kind ∈ text/error/date/bool/fraction, numtext (a
    number stored as text: Excel's SUM skips it), absurd (not finite, or beyond any budget)."""

    kind: str
    shown: str

    @property
    def zh(self) -> str:
        return {"text": f"金额单元格中是文字「{self.shown}」", "error": f"单元格是公式错误 {self.shown}",
                "date": f"金额单元格中是日期「{self.shown}」", "bool": f"金额单元格中是逻辑值 {self.shown}",
                "fraction": f"此处应为整数，却是 {self.shown}",
                "numtext": f"金额单元格中是文本形式的数字「{self.shown}」，Excel 求和时会跳过它（运行「填充」即转换为数字）",
                "absurd": f"金额 {self.shown} 不可用（须为有限数，且绝对值小于 {LIMIT:,.0f} 万元）"}[self.kind]


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def normalize(raw: Any, whole: bool = False) -> Decimal | Problem | None:
    """A stored cell value as Decimal (None when blank), or the Problem that prevents it.

    ``whole``: the cell holds a count (vehicles, devices), so a fraction is a problem.
    """
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        return Problem("bool", "TRUE" if raw else "FALSE")
    if isinstance(raw, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return Problem("date", str(raw))
    if isinstance(raw, float):
        value = Decimal(repr(raw))
        if not value.is_finite() or abs(value) >= LIMIT:
            return Problem("absurd", repr(raw))
        value = value.quantize(NINE)
    elif isinstance(raw, str):
        text = raw.strip()
        if is_error_text(text):
            return Problem("error", text)
        try:
            value = parse_amount(text)  # type: ignore[assignment]
        except ValueError:
            return Problem("text", shown(text))
        if value is None:
            return None
        return Problem("numtext", shown(text))  # Excel's SUM skips it: the sheet shows other totals
    else:
        try:
            value = parse_amount(raw)  # type: ignore[assignment]
        except ValueError:
            return Problem("absurd" if isinstance(raw, (int, Decimal)) else "text", shown(raw))
        if value is None:
            return None
    value = tidy(value)
    if whole and value != value.to_integral_value():
        return Problem("fraction", str(raw))
    return value


def tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent form: 100.00 → 100, 1.50 → 1.5."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
