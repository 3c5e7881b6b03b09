"""The value types of a narrative's figures, and the cells of a book they are read from.

A format pack's metrics (``formats/<id>/metrics.py``) compute every figure its sections state
from a :class:`Source`; templates never do arithmetic.  Ratios keep the held (unrounded) amounts;
only the number formatter rounds.  A blank input counts as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from juesuan.derive import compute
from juesuan.expr import Key
from juesuan.model import Book
from juesuan.narrate.numbers import is_zero, ratio

ZERO = Decimal(0)


# ── value types ──────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Change:
    """``current`` against ``base`` (上年决算 or 年初预算): difference and rate of change."""

    current: Decimal
    base: Decimal

    @property
    def diff(self) -> Decimal:
        return self.current - self.base

    @property
    def rate(self) -> Decimal | None:
        """Percent change, ``None`` against a zero base."""
        return ratio(self.diff, self.base)

    @property
    def flat(self) -> bool:
        """Equal as printed (持平)."""
        return is_zero(self.diff)

    @property
    def up(self) -> bool:
        return self.diff > 0


@dataclass(frozen=True)
class Completion:
    """Actual spending against a budget: 完成预算的 ``rate`` %, ``None`` when the budget is 0."""

    actual: Decimal
    budget: Decimal

    @property
    def rate(self) -> Decimal | None:
        return ratio(self.actual, self.budget)

    @property
    def change(self) -> Change:
        return Change(self.actual, self.budget)


@dataclass(frozen=True)
class Item:
    """A named amount of a table, with its share of the section's total (``None``: zero total)."""

    name: str
    amount: Decimal
    share: Decimal | None = None
    key: Key | None = None


@dataclass(frozen=True)
class Flow:
    """A 表1 line compared with the prior year, with the 变动原因 key of that comparison."""

    name: str
    amount: Decimal
    vs_prior: Change
    reason: str


@dataclass(frozen=True)
class Group:
    """A subtotal and its non-zero detail lines in table order (the "主要包括" lists)."""

    name: str
    amount: Decimal
    items: list[Item]


# ── the source: cells of the book ───────────────────────────────────────────────────────
class Source:
    """Cell values of one book: derived cells from :func:`compute`, inputs as entered."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.values = compute(book)

    def amount(self, table: str, row: str, col: str = "值") -> Decimal:
        key = (table, row, col)
        if key in self.values:
            return self.values[key]
        return self.book.amount(key)

    def count(self, table: str, row: str, col: str = "值") -> int:
        value = self.book.get((table, row, col))
        return int(value) if isinstance(value, (int, Decimal)) else 0

    def text(self, table: str, row: str, col: str = "值") -> str:
        return self.book.text((table, row, col)).strip()



def shares(src: Source, total: Decimal, lines: list[tuple[str, Key]]) -> list[Item]:
    return [Item(name, a, ratio(a, total), key) for name, key in lines for a in [src.amount(*key)]]
