"""The one number formatter of the narrative: every figure in the text is printed here.

Why one module: the accountant's typical slip is a figure printed two ways ("完成预算的0%" for
82.75 %, "2%" beside "19.85%").  Every template prints numbers only through these functions
(registered as Jinja2 filters), so a rule changes in one place and the test that proves each
printed number against the tables builds its allowed strings with the same functions.

- amounts: 万元, two decimals, thousands separators, rounded half up: ``3,041.69万元``;
- percentages: two decimals, half up, in ``Decimal``: ``93.33%`` (``3,000.00%`` past a thousand);
- counts: whole numbers with separators: ``5,645``;
- scores (绩效 得分): up to two decimals, trailing zeros dropped, as score sheets print them:
  ``99.9``, ``98.07``, ``99``.

Ratios are computed from the held (unrounded) amounts; only the result is rounded.
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.money import HUNDRED, round2

UNIT = "万元"


def number(value: Decimal) -> str:
    """``3041.6912`` → ``3,041.69`` (no unit)."""
    return f"{round2(Decimal(value)):,.2f}"


def amount(value: Decimal) -> str:
    """``3041.6912`` → ``3,041.69万元``; negative values print their magnitude (the sentence says
    增加/减少)."""
    return number(abs(Decimal(value))) + UNIT


def percent(value: Decimal) -> str:
    """A value already in percent units → ``93.33%`` (magnitude; the sentence carries the sign)."""
    return number(abs(Decimal(value))) + "%"


def count(value: int | Decimal | None) -> str:
    """``5645`` → ``5,645``; an empty count prints ``0``."""
    return f"{int(value or 0):,}"


def score(value: Decimal) -> str:
    """A score rounded half up to two decimals, trailing zeros dropped: ``99.90`` → ``99.9``."""
    text = f"{round2(Decimal(value)):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def ratio(part: Decimal, base: Decimal) -> Decimal | None:
    """part / base × 100 unrounded, or ``None`` against a zero base (no "0%" for a missing base)."""
    if base == 0:
        return None
    return Decimal(part) / Decimal(base) * HUNDRED


def is_zero(value: Decimal) -> bool:
    """Zero as printed: an amount that rounds to 0.00 reads as nothing."""
    return round2(Decimal(value)) == 0
