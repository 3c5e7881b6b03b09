"""Rounding tolerance: when does a printed figure agree with what the text's other figures imply?

A figure printed with *p* decimals stands for the interval ±½·10⁻ᵖ around it (3,041.69 means
[3,041.685, 3,041.695]; 83% means [82.5%, 83.5%]).  A relation holds when the interval of the
printed result overlaps the interval its printed inputs allow:

- a total against n printed parts: |Σ − total| ≤ ½·10⁻ᵖ·(n + 1), e.g. 0.005 × 11 for 人员经费
  and its 10 items;
- a percentage against an amount and a base: the extreme ratios over the inputs' intervals
  (:func:`ratio_band`), widened by the percentage's own half unit.  Worked example, 0.60 万元 on a
  prior 0.02 万元 printed as 3,000.00%: 0.595/0.025 … 0.605/0.015 = 2,380% … 4,033%, so any
  percentage in that range is consistent, and 3,000.00% is exactly 0.60/0.02.

:func:`judge` turns this into three outcomes: ``ok`` when the recomputed value, rounded as the
text rounds, is the printed value; ``info`` (尾差) when it is not but the intervals overlap;
``fail`` otherwise.  ``fail`` becomes ``lenient`` for a percentage printed with zero decimals
(90.00%) that agrees as a whole number (90.48% → 90): it looks like a whole number shown with
two decimals, so the audit warns instead of erring.  All arithmetic is ``Decimal``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import product
from typing import Callable, Iterable

from juesuan.audit.text import Figure, half_unit

HUNDRED = Decimal(100)


half = half_unit  # half a unit in the last place of a figure printed with ``places`` decimals


@lru_cache(maxsize=64)
def _unit(places: int) -> Decimal:
    """One unit in the last place (exact; memoised)."""
    return Decimal(1).scaleb(-places)


def rounded(value: Decimal, places: int) -> Decimal:
    """Round half up to ``places`` decimals, as the text rounds."""
    return value.quantize(_unit(places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Verdict:
    """How a printed figure compares with the value its relation implies."""

    status: str  # "ok" | "info" | "fail" | "lenient"
    expected: Decimal  # the implied value, rounded for display
    actual: Decimal
    difference: Decimal
    tolerance: Decimal

    def __init__(self, status: str, expected: Decimal, actual: Decimal, difference: Decimal,
                 tolerance: Decimal) -> None:
        d = self.__dict__  # (as the generated frozen __init__, without five object.__setattr__ calls)
        d["status"], d["expected"], d["actual"], d["difference"], d["tolerance"] = \
            status, expected, actual, difference, tolerance

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def judge(actual: Figure | tuple[Decimal, int], exact: Decimal, band: Decimal,
          compare_places: int | None = None) -> Verdict:
    """Compare a printed figure with the exact implied value whose uncertainty is ``band``.

    ``compare_places`` (default: the figure's own decimals) is the precision at which a rounded
    implied value must equal the printed one for ``ok``.
    """
    value, places = (actual.value, actual.precision) if isinstance(actual, Figure) else actual
    show_places = max(places, 2)
    expected = rounded(exact, show_places)
    tol = half(places) + band
    tol_shown = rounded(tol, max(show_places, 3)).normalize()
    diff = value - expected
    places_cmp = places if compare_places is None else max(compare_places, places)
    if rounded(exact, places_cmp) == rounded(value, places_cmp):
        status = "ok"
    elif abs(value - exact) < tol:  # half-open rounding intervals: touching is not overlapping
        status = "info"
    elif isinstance(actual, Figure) and actual.is_percent and places > 0 \
            and value == value.to_integral_value() and rounded(exact, 0) == value:
        status = "lenient"
    else:
        status = "fail"
    return Verdict(status, expected, value, diff, tol_shown)


def sum_band(parts: Iterable[Figure]) -> tuple[Decimal, Decimal]:
    """Σ of printed parts and the half-width of its interval."""
    total, band = Decimal(0), Decimal(0)
    for f in parts:
        total += f.value
        band += f.half
    return total, band


def extreme_band(fn: Callable[..., Decimal], *inputs: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal] | None:
    """Exact value of ``fn`` at the inputs, and the largest deviation over their intervals' corners.

    ``inputs`` are (value, half-width) pairs; ``fn`` must be monotonic in each input over the
    intervals (ratios of positive quantities are).  None when a corner divides by zero or less.
    """
    try:
        exact = fn(*(v for v, _ in inputs))
        corners = [fn(*c) for c in product(*((v - h, v + h) for v, h in inputs))]
    except (ArithmeticError, ZeroDivisionError):
        return None
    if any(c is None for c in corners) or exact is None:
        return None
    return exact, max(abs(c - exact) for c in corners)


def ratio_band(part: tuple[Decimal, Decimal], base: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal] | None:
    """part / base × 100 and its half-width over the inputs' intervals; None if the base may be ≤ 0."""
    if base[0] - base[1] <= 0:
        return None
    (p, hp), (b, hb) = part, base
    if p - hp < 0:
        return extreme_band(_percent, part, base)
    # A part ≥ 0 on a base > 0: the ratio grows with the part and falls with the base, so the
    # corners farthest from it are (p + hp)/(b − hb) and (p − hp)/(b + hb) (Decimal rounding keeps
    # that order), and the largest deviation is theirs: extreme_band's answer, from 2 corners of 4.
    try:
        exact = p / b * HUNDRED
        return exact, max(abs((p + hp) / (b - hb) * HUNDRED - exact), abs((p - hp) / (b + hb) * HUNDRED - exact))
    except (ArithmeticError, ZeroDivisionError):
        return None


def _percent(p: Decimal, b: Decimal) -> Decimal:
    return p / b * HUNDRED


def fig_pair(f: Figure) -> tuple[Decimal, Decimal]:
    return f.value, f.half
