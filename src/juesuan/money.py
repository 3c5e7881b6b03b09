"""Money and numbers in ``Decimal``: parsing inputs, the printed two-decimal 万元, percentages.

Inputs may carry 元 precision (four or more decimals of 万元); tables print two decimals.  A
printed figure stands for the interval ±0.005 around it, so a printed total agrees with its
printed parts when |Σparts − total| ≤ 0.005 × (n + 1) (their rounding intervals overlap).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")
ZERO = Decimal("0")
HUNDRED = Decimal("100")
LIMIT = Decimal("1e15")  # 万元: far beyond any budget; larger is a typo or a hostile file


def parse_amount(value: object) -> Decimal | None:
    """A number from a JSON value or a cell: int/float/Decimal/str with commas. None when empty.

    Raises ValueError for text that is not a number; callers add where it was.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int):
        value = Decimal(value)
    elif isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite() or abs(value) >= LIMIT:
            raise ValueError(f"not a usable amount: {value!r}")
        return value
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        if text == "":
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
        if not number.is_finite() or abs(number) >= LIMIT:
            raise ValueError(f"not a usable amount: {value!r}")
        return number
    raise ValueError(f"not a number: {value!r}")


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
