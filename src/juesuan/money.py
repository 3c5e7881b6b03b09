"""Money and numbers in ``Decimal``: parsing inputs, the printed two-decimal 万元, percentages.

Inputs may carry 元 precision (four or more decimals of 万元); tables print two decimals.  A
printed figure stands for the interval ±0.005 around it, so a printed total agrees with its
printed parts when |Σparts − total| ≤ 0.005 × (n + 1) (their rounding intervals overlap).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")
ZERO = Decimal("0")
HUNDRED = Decimal("100")
LIMIT = Decimal("1e10")  # 万元 (100 万亿元, more than the national budget): no department has an amount this
# large; it is a typo or a hostile file.  Below it every amount and every total of them stays exact
# to the cent through the binary doubles Excel stores (about 15 significant digits).
_NUMBER = re.compile(r"[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?|[+-]?\.\d+")


def parse_amount(value: object) -> Decimal | None:
    """A number from a JSON value or a cell: int/float/Decimal, or text as people type numbers:
    ``1,234.5`` (commas only as thousands separators: ``1,5`` is not a number), full-width
    ``１２３``, surrounding spaces.  None when empty.

    Raises ValueError for text that is not a number and for amounts that are not finite or not
    below :data:`LIMIT` in size; callers add where it was.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int):
        value = Decimal(value)
    elif isinstance(value, float):
        value = Decimal(repr(value))
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace("，", ",")
        if text == "":
            return None
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"not a number: {value!r}")
        value = Decimal(text.replace(",", ""))
    if isinstance(value, Decimal):
        if not value.is_finite() or value.copy_abs() >= LIMIT:  # copy_abs: exact (abs() overflows at 1E+999999999)
            raise ValueError(f"not a usable amount: {value!r}")
        return value
    raise ValueError(f"not a number: {value!r}")


def refusal(value: object) -> tuple[str, str]:
    """(zh, en): why ``value`` is not a usable amount (after :func:`parse_amount` refused it)."""
    from juesuan.celltext import shown

    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return (f"金额「{shown(value)}」不可用：须为有限数，且绝对值小于 {LIMIT:,.0f} 万元",
                f"the amount {shown(value)} is not usable: it must be finite and below {LIMIT:,.0f} 万元 in size")
    if isinstance(value, str) and ("," in value or "，" in value):
        return (f"此处应为数字，却是「{shown(value)}」（千位分隔符只能每三位一个，如 1,234.5）",
                f"a number is expected here, got {shown(value)!r} (commas only between groups of three digits)")
    return f"此处应为数字，却是「{shown(value)}」", f"a number is expected here, got {shown(value)!r}"


def round2(value: Decimal) -> Decimal:
    """Round half up to two decimals, as a printed 万元 figure or percentage."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_amount(value: Decimal) -> str:
    """``3041.6912`` → ``3,041.69`` (two decimals, thousands separators)."""
    return f"{round2(value):,.2f}"


def fmt_percent(value: Decimal) -> str:
    """A percentage already in percent units → ``93.33%``."""
    return f"{round2(value):,.2f}%"


def percent(part: Decimal, base: Decimal) -> Decimal | None:
    """part / base × 100, or None when the base is zero (no percentage against a zero base)."""
    if base == 0:
        return None
    return part / base * HUNDRED


def canonical(value: Decimal) -> str:
    """A Decimal as the shortest plain string that keeps its value: ``1314.6500`` → ``1314.65``."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


CN_NUMBERS = "一二三四五六七八九十"


def cn(n: int) -> str:
    """A Chinese list number: 1 → 一, 11 → 十一, 26 → 二十六 (一、 二、 … numbering)."""
    if n <= 10:
        return CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMBERS[ones - 1] if ones else "")
