"""Tolerance modes: when do two amounts "agree", given that tables print two-decimal 万元?

A printed figure stands for an interval: ``139.35`` means anything in [139.345, 139.355).  A
printed total agrees with its printed parts when their intervals overlap (the idea of XBRL
Calculations 1.1), i.e. |Σ parts − total| ≤ 0.005 × (n + 1) with n the parts that are not zero
(a blank or zero part is exactly zero and carries no rounding).  Worked example from the seed's
表5 类 208::

    parts 12.63 + 71.77 + 24.01 + 28.56 + 2.39 = 139.36, printed total 139.35
    gap 0.01 ≤ 0.005 × (5 + 1) = 0.03  →  info "尾差", not an error

When the stored values carry more decimals (元 precision, e.g. 12.6345), rounding is not an
excuse: the stored values must agree exactly (within 0.000001), and the printed values are then
checked as above, so a reader who adds up the printed figures is warned of a 尾差.

Modes are an explicit enum (as in Arelle); every rule declares one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from itertools import repeat
from operator import ne
from typing import Iterable

from juesuan.money import CENT, HALF_CENT, ZERO, round2

EPS = Decimal("0.000001")


class Mode(str, Enum):
    """How a rule compares numbers."""

    ROUNDED = "rounded"  # a total = Σ parts: printed intervals overlap; exact on 元-precision values
    AT_LEAST = "at_least"  # a ≥ Σ parts, with the same allowance for rounding on the shortfall
    RATE = "rate"  # a percentage or score the format itself rounds to two places: ±0.01
    COUNT = "count"  # whole numbers (vehicles): exact
    EXACT = "exact"  # a formula's cached value vs the formula on the stored values: ±0.000001
    NONE = "none"  # not a numeric comparison (codes, names, texts, presence)

    @property
    def zh(self) -> str:
        return {"rounded": "四舍五入区间重叠", "at_least": "不小于（含尾差）", "rate": "±0.01",
                "count": "整数相等", "exact": "精确（±0.000001）", "none": "—"}[self.value]


@dataclass(frozen=True)
class Gap:
    """Two sides that do not agree exactly: how far apart, and whether it is only a 尾差."""

    expected: Decimal
    actual: Decimal
    difference: Decimal  # actual − expected
    tolerance: Decimal
    beyond: bool  # outside the tolerance: the rule's own severity; inside: info (尾差)
    basis: str  # "stored" (元 precision compared exactly) or "printed" (two-decimal figures)


# the members as plain module names: ``Mode.X`` is a property look-up on an Enum (~0.1 µs each)
ROUNDED, AT_LEAST, RATE, COUNT, EXACT = Mode.ROUNDED, Mode.AT_LEAST, Mode.RATE, Mode.COUNT, Mode.EXACT


def is_precise(values: Iterable[Decimal]) -> bool:
    """True when any value carries more than two decimals (元 precision)."""
    numbers = [v for v in values if v is not None]
    return any(map(ne, numbers, map(Decimal.quantize, numbers, repeat(CENT))))  # in C, stopping at the first


def band(n_parts: int) -> Decimal:
    """Half a cent for each nonzero printed part and for the total: 0.005 × (n + 1)."""
    return (HALF_CENT * (n_parts + 1)).normalize()


def compare(mode: Mode, actual: Decimal, expected: Decimal, *, actual_printed: Decimal | None = None,
            expected_printed: Decimal | None = None, n_parts: int = 0, precise: bool = False,
            balanced: bool = False) -> Gap | None:
    """``actual`` (a cell, or one side) against ``expected`` (the relation on the stored values).

    ``actual_printed``/``expected_printed`` are the same on the two-decimal figures (default: the
    rounded cell, and ``expected``); ``n_parts`` the nonzero parts; ``precise`` whether any stored
    value involved carries 元 precision.  None when they agree exactly (AT_LEAST: when actual ≥
    expected).  ``balanced``: the workbook was balanced (舍位平衡, :mod:`juesuan.balance`): its
    printed figures must tie exactly, so a printed gap is no 尾差 (tolerance 0, basis "balanced").
    """
    ap = round2(actual) if actual_printed is None else actual_printed
    ep = expected if expected_printed is None else expected_printed
    if mode is EXACT or mode is COUNT:
        d = actual - expected
        tol = EPS if mode is EXACT else ZERO
        return Gap(expected, actual, d, tol, True, "stored") if abs(d) > tol else None
    if mode is RATE:
        d = actual - expected
        if abs(d) <= EPS:
            return None
        return Gap(expected, actual, d, CENT, abs(d) > CENT + EPS, "stored")
    short = expected - actual if mode is AT_LEAST else abs(actual - expected)
    if precise and short > EPS:
        return Gap(expected, actual, actual - expected, EPS, True, "stored")
    d = ap - ep
    miss = -d if mode is AT_LEAST else abs(d)
    if miss <= 0:
        return None
    tol = band(n_parts)
    if balanced:  # 舍位平衡: the printed figures were made to tie exactly, a gap is no 尾差
        return Gap(ep, ap, d, ZERO, True, "balanced")
    return Gap(ep, ap, d, tol, miss > tol, "printed")


def sum_gap(mode: Mode, total: Decimal, parts: list[Decimal]) -> Gap | None:
    """``total`` against Σ ``parts`` (stored values), the common case of :func:`compare`."""
    return compare(mode, total, sum(parts, ZERO), expected_printed=sum((round2(p) for p in parts), ZERO),
                   n_parts=sum(1 for p in parts if p != 0), precise=is_precise([total, *parts]))
