"""A balanced workbook's record (舍位平衡, :mod:`juesuan.balance`) against its cells.

Balancing puts printed two-decimal figures into the input cells and records, per changed cell,
the printed figure and the exact amount.  Two things can go wrong afterwards:

- B-1: the cell no longer holds the recorded printed figure (edited after balancing): its exact
  amount is now the typed one and the tables may no longer tie; ``juesuan fill`` balances again;
- B-2: the printed figure is not the floor or ceiling of the exact amount (a record edited by
  hand): |printed − exact| must be below 0.01.

Example: 表5「2010301」基本支出 recorded as printed 1314.65, exact 1314.653, cell 1314.66 → B-1.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Iterator

from juesuan.balance import STAMP
from juesuan.findings import Finding
from juesuan.money import CENT

if TYPE_CHECKING:
    from juesuan.check.context import Context
    from juesuan.check.registry import Rule


def _entries(ctx: "Context") -> Iterator[tuple[tuple[str, str, str], Decimal, Decimal]]:
    record = ctx.book.notes.get(STAMP) if ctx.balanced else None
    for entry in (record or {}).get("精确数", []):
        try:
            table, row, col, printed, exact = entry
            yield (table, row, col), Decimal(printed), Decimal(exact)
        except (TypeError, ValueError, InvalidOperation):
            continue


def edited(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """B-1: a balanced cell whose value is not the printed figure recorded for it."""
    for key, printed, exact in _entries(ctx):
        if ctx.address(key) is not None and ctx.value(key) != printed:
            yield rule.finding(ctx, [key], cell=ctx.label(key), printed=printed, actual=ctx.value(key),
                               exact=exact)


def off_by_more(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """B-2: a recorded printed figure that is not within one cent of its exact amount."""
    for key, printed, exact in _entries(ctx):
        if abs(printed - exact) >= CENT:
            yield rule.finding(ctx, [key], cell=ctx.label(key), printed=printed, exact=exact)
