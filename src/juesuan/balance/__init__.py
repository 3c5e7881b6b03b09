"""舍位平衡 (controlled rounding): print two-decimal 万元 tables whose totals tie exactly.

A department keeps its books in 元; the tables print 万元 with two decimals.  Balancing puts
into every input amount cell its *printed* value — the floor or ceiling of the exact amount,
chosen by :mod:`~juesuan.balance.solve` so that every linear relation of the format
(:mod:`~juesuan.balance.gather`) holds exactly on the printed figures with the fewest cells moved
off ordinary rounding.  Derived cells keep their formulas, now over printed inputs, so each
total in the workbook, the narrative, the charts, Word/PDF and batch is the sum of the figures
printed above it.

The exact amounts are kept in the book's notes under :data:`STAMP` (the workbook's hidden
数据文件说明 sheet, which every writer already keeps), one entry per input cell that was changed:
``[table, row, column, printed, exact]``.  The record is also the stamp that tells ``check`` to
expect exact ties and ``fill`` to balance again.  A cell edited after balancing (its value is no
longer the recorded printed one) keeps the edited value as its new exact amount.

In a data file ``"notes": {"舍位平衡": true}`` asks for balancing; ``dump`` of a balanced
workbook gives back the exact amounts with that flag.  A book whose amounts are all whole cents
needs no balancing and is left as it is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from juesuan.expr import Key
from juesuan.model import Book
from juesuan.money import CENT

STAMP = "舍位平衡"
NOTE = ("舍位平衡：各表输入单元格为两位小数的公开数（万元），原始精确数记于此；"
        "每项为 [表, 行, 栏, 公开数, 精确数] (controlled rounding: the exact amounts of the cells shown rounded)")


@dataclass
class Balanced:
    """The outcome of :func:`balance_book`: the book to write and what happened."""

    book: Book  # printed inputs and the stamp (balanced); else the exact book, unstamped
    status: str  # "balanced" | "unneeded" (already whole cents) | "infeasible"
    cells: int = 0  # amount cells considered (inputs and derived)
    moved: list[Key] = field(default_factory=list)  # printed off their ordinary rounding
    blocking: list[str] = field(default_factory=list)  # relations that admit no consistent rounding
    tails: list[str] = field(default_factory=list)  # their input cells with more than two decimals
    seconds: float = 0.0

    def message(self) -> str:
        """One line (balanced / unneeded) or the infeasibility explanation, Chinese with English."""
        if self.status == "balanced":
            return (f"舍位平衡：{self.cells} 个金额单元格，{len(self.moved)} 个偏离普通四舍五入一分以使各表精确勾稽"
                    f"（balanced: {len(self.moved)} of {self.cells} amount cells moved one cent off ordinary "
                    "rounding so that every relation ties exactly）")
        if self.status == "unneeded":
            return "舍位平衡：金额均为两位小数，无需调整（amounts are already whole cents: nothing to balance）"
        head = (f"舍位平衡无解：以下 {len(self.blocking)} 个关系无法在两位小数上同时精确成立，已保留普通四舍五入，"
                f"尾差照常报告（no consistent rounding exists: these {len(self.blocking)} relations cannot all "
                "hold exactly on two-decimal figures; ordinary rounding kept）：")
        lines = [head]
        if self.tails:
            lines.append("  其中带尾数的输入单元格（the input cells whose tails cannot be placed）：" + "；".join(self.tails))
        return "\n".join([*lines, *(f"  {b}" for b in self.blocking)])


def requested(book: Book) -> bool:
    """Whether the book asks to be balanced (a data-file flag or a balanced workbook's record)."""
    return bool(book.notes.get(STAMP))


def is_balanced(book: Book) -> bool:
    """Whether the book's inputs are balanced printed values (it carries the record)."""
    return isinstance(book.notes.get(STAMP), dict)


def exact_book(book: Book) -> Book:
    """The book with its exact amounts back (a balanced book's record applied), unstamped.

    A cell whose value is no longer the recorded printed one was edited after balancing: its
    value stays.  A book that was not balanced is returned as it is (without the flag)."""
    record = book.notes.get(STAMP)
    if record is None:
        return book
    values = dict(book.values)
    if isinstance(record, dict):
        for table, row, col, printed, exact in record.get("精确数", []):
            key = (table, row, col)
            if key in values and _same(values[key], printed):
                values[key] = Decimal(exact)
    from juesuan.derive import share_derivations

    notes = {k: v for k, v in book.notes.items() if k != STAMP}
    out = replace(book, values=values, notes=notes)
    share_derivations(book, out)
    return out


def dump_book(book: Book) -> Book:
    """What ``dump`` writes for ``book``: exact amounts, and the flag when it was balanced."""
    if STAMP not in book.notes:
        return book
    out = exact_book(book)
    out.notes = {**out.notes, STAMP: True}
    return out


def balance_book(book: Book) -> Balanced:
    """Balance ``book`` (exact amounts, or a balanced book's record) — see the module doc."""
    from juesuan.balance.gather import describe, gather_parts
    from juesuan.balance.solve import solve
    from juesuan.derive import share_derivations

    t0 = time.perf_counter()
    source = exact_book(book)
    exact, base, relations, ctx = gather_parts(source)
    solution = solve(exact, relations, explain=False, base=base, same=True)
    if not solution.feasible:  # equal amounts printing equal is a preference, not a rule of the format
        solution = solve(exact, relations, base=base)
    if not solution.needed:
        return Balanced(source, "unneeded", len(exact), seconds=time.perf_counter() - t0)
    if not solution.feasible:
        inputs = set(ctx.prep.numeric_inputs)
        tails = dict.fromkeys(k for r in solution.blocking for k, _ in r.terms
                              if k in inputs and exact[k] != exact[k].quantize(CENT))
        return Balanced(source, "infeasible", len(exact), blocking=[describe(r, ctx) for r in solution.blocking],
                        tails=[f"{ctx.label(k)} {_text(exact[k])}" for k in tails], seconds=time.perf_counter() - t0)
    values = dict(source.values)
    entries = []
    for key in ctx.prep.numeric_inputs:
        if key not in exact or values.get(key) is None:
            continue
        printed = solution.printed[key]
        if printed != exact[key]:
            values[key] = printed
            entries.append([*key, str(printed), _text(exact[key])])
    notes = {**source.notes, STAMP: {"说明": NOTE, "精确数": entries}}
    out = replace(source, values=values, notes=notes)
    share_derivations(source, out)  # same structure: fill, narrate and check reuse the expressions
    return Balanced(out, "balanced", len(exact), solution.moved, seconds=time.perf_counter() - t0)


def _same(value: Any, printed: str) -> bool:
    try:
        return value is not None and not isinstance(value, str) and Decimal(value) == Decimal(printed)
    except ArithmeticError:
        return False


def _text(value: Decimal) -> str:
    from juesuan.money import canonical

    return canonical(value)


__all__ = ["Balanced", "STAMP", "balance_book", "dump_book", "exact_book", "is_balanced", "requested"]
