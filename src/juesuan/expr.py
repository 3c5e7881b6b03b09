"""Derivations as small expression trees: one declaration gives an Excel formula and a Decimal.

A derived cell is declared once as an :class:`Expr`.  ``value(get)`` computes it in ``Decimal``
from the values of the cells it references; ``excel(addr)`` renders the same tree as an Excel
formula given where each referenced cell sits.  Because both come from one tree they cannot
drift; the test suite has LibreOffice recalculate the formulas to prove it.

Example: 表2 合计 row, column 财政拨款收入 = Σ of its 类 rows::

    Sum([Ref("表2", "201", "财政拨款收入"), Ref("表2", "204", "财政拨款收入")])
    → "=SUM(D8,D13)" and Decimal("2657.40") + Decimal("15.00")

A reference to a row that does not exist (a 类 the department does not use) is zero in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

Key = tuple[str, str, str]  # (table key, row key, column key)
Getter = Callable[[Key], Decimal]
Addresser = Callable[[Key], "Address | None"]
ZERO = Decimal(0)


@dataclass(frozen=True)
class Address:
    """Where a cell sits: sheet name, 1-based row and column."""

    sheet: str
    row: int
    col: int

    def a1(self, absolute: bool = False) -> str:
        d = "$" if absolute else ""
        return f"{d}{column_letter(self.col)}{d}{self.row}"

    def ref(self, from_sheet: str, absolute: bool = False) -> str:
        if self.sheet == from_sheet:
            return self.a1(absolute)
        return f"{quote_sheet(self.sheet)}!{self.a1(absolute)}"


@lru_cache(maxsize=1024)
def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """1 for "A", 27 for "AA": the inverse of :func:`column_letter`."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


class Expr:
    """Base of all derivations."""

    def refs(self) -> Iterator[Key]:
        return iter(())

    @cached_property
    def ref_keys(self) -> tuple[Key, ...]:
        """:meth:`refs` as a tuple, computed once (an expression is immutable)."""
        return tuple(self.refs())

    @cached_property
    def sum_keys(self) -> tuple[Key, ...] | None:
        """The cells of a plain Σ of cells (a :class:`Ref`, or a :class:`Sum` of Refs), its value
        being their sum; None for any other expression.  Computed once."""
        return None

    def value(self, get: Getter) -> Decimal:
        raise NotImplementedError

    def excel(self, addr: Addresser, sheet: str) -> str:
        raise NotImplementedError

    def formula(self, addr: Addresser, sheet: str) -> str:
        return "=" + self.excel(addr, sheet)


@dataclass(frozen=True)
class Const(Expr):
    number: Decimal

    def value(self, get: Getter) -> Decimal:
        return self.number

    def excel(self, addr: Addresser, sheet: str) -> str:
        return format(self.number, "f")


@dataclass(frozen=True)
class Ref(Expr):
    table: str
    row: str
    col: str

    if TYPE_CHECKING:
        key: Key  # (table, row, col): set once by __post_init__, not a field

    def __post_init__(self) -> None:
        key = (self.table, self.row, self.col)
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "sum_keys", (key,))  # set here: the evaluators ask for it often
        object.__setattr__(self, "ref_keys", (key,))

    def refs(self) -> Iterator[Key]:
        yield self.key

    def value(self, get: Getter) -> Decimal:
        return get(self.key)

    def excel(self, addr: Addresser, sheet: str) -> str:
        a = addr(self.key)
        return "0" if a is None else a.ref(sheet)


@dataclass(frozen=True)
class Sum(Expr):
    """Σ of terms; contiguous cells of one column render as a range (``SUM(C8:C12)``)."""

    terms: tuple[Expr, ...]

    def __init__(self, terms: Iterable[Expr]) -> None:
        object.__setattr__(self, "terms", tuple(terms))
        if all(isinstance(t, Ref) for t in self.terms):  # a Σ of cells: its cells, set here
            keys = tuple(t.key for t in self.terms)  # type: ignore[attr-defined]
            object.__setattr__(self, "sum_keys", keys)
            object.__setattr__(self, "ref_keys", keys)
        else:
            object.__setattr__(self, "sum_keys", None)

    def refs(self) -> Iterator[Key]:
        for t in self.terms:
            yield from t.refs()

    def value(self, get: Getter) -> Decimal:
        return sum((t.value(get) for t in self.terms), ZERO)

    def excel(self, addr: Addresser, sheet: str) -> str:
        parts: list[str] = []
        run: list[Address] = []

        def flush() -> None:
            if run:
                if len(run) == 1:
                    parts.append(run[0].ref(sheet))
                else:
                    parts.append(f"{run[0].ref(sheet)}:{run[-1].a1()}")
                run.clear()

        for t in self.terms:
            a = addr(t.key) if isinstance(t, Ref) else None
            if isinstance(t, Ref) and a is None:
                continue  # a row the department does not have: zero
            if a is not None:
                if run and a.sheet == run[-1].sheet and a.col == run[-1].col and a.row == run[-1].row + 1:
                    run.append(a)
                    continue
                flush()
                run.append(a)
                continue
            flush()
            parts.append(t.excel(addr, sheet))
        flush()
        if not parts:
            return "0"
        return f"SUM({','.join(parts)})"


@dataclass(frozen=True)
class Sub(Expr):
    left: Expr
    right: Expr

    def refs(self) -> Iterator[Key]:
        yield from self.left.refs()
        yield from self.right.refs()

    def value(self, get: Getter) -> Decimal:
        return self.left.value(get) - self.right.value(get)

    def excel(self, addr: Addresser, sheet: str) -> str:
        return f"{self.left.excel(addr, sheet)}-({self.right.excel(addr, sheet)})"


@dataclass(frozen=True)
class RatePercent(Expr):
    """part / base × 100 rounded to two decimals, 0 when the base is 0 (执行率)."""

    part: Expr
    base: Expr

    def refs(self) -> Iterator[Key]:
        yield from self.part.refs()
        yield from self.base.refs()

    def value(self, get: Getter) -> Decimal:
        base = self.base.value(get)
        if base == 0:
            return ZERO
        return round_half_up(self.part.value(get) / base * 100, 2)

    def excel(self, addr: Addresser, sheet: str) -> str:
        b = self.base.excel(addr, sheet)
        return f"IF({b}=0,0,ROUND({self.part.excel(addr, sheet)}/{b}*100,2))"


@dataclass(frozen=True)
class ScoreOf(Expr):
    """分值 × min(执行率, 100) / 100 rounded to two decimals (资金执行得分)."""

    points: Expr
    rate: Expr

    def refs(self) -> Iterator[Key]:
        yield from self.points.refs()
        yield from self.rate.refs()

    def value(self, get: Getter) -> Decimal:
        rate = min(self.rate.value(get), Decimal(100))
        return round_half_up(self.points.value(get) * rate / 100, 2)

    def excel(self, addr: Addresser, sheet: str) -> str:
        return (f"ROUND({self.points.excel(addr, sheet)}*MIN({self.rate.excel(addr, sheet)},100)/100,2)")


def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)



@dataclass(frozen=True)
class SumIf(Expr):
    """Σ of ``sums`` where the matching cell equals ``criterion`` (绩效指标 得分 of one project).

    ``matches`` and ``sums`` are the same rows of two columns of a record table, so they render
    as two ranges: ``SUMIF('绩效指标'!$A$5:$A$30,A5,'绩效指标'!$K$5:$K$30)``.
    """

    matches: tuple[Key, ...]
    criterion: Key
    sums: tuple[Key, ...]

    def refs(self) -> Iterator[Key]:
        yield self.criterion
        yield from self.matches
        yield from self.sums

    def value(self, get: Getter) -> Decimal:
        want = _text(get(self.criterion))  # type: ignore[arg-type]
        total = ZERO
        for m, s in zip(self.matches, self.sums):
            if _text(get(m)) == want:  # type: ignore[arg-type]  (as SUMIF: whole text, any case)
                total += get(s) or ZERO
        return total

    def excel(self, addr: Addresser, sheet: str) -> str:
        if not self.matches:
            return "0"
        m0, m1 = addr(self.matches[0]), addr(self.matches[-1])
        s0, s1 = addr(self.sums[0]), addr(self.sums[-1])
        crit = addr(self.criterion)
        assert m0 and m1 and s0 and s1 and crit
        return (f"SUMIF({m0.ref(sheet, True)}:{m1.a1(True)},{crit.ref(sheet)},"
                f"{s0.ref(sheet, True)}:{s1.a1(True)})")


def _text(value: object) -> str:
    """A cell as SUMIF compares it: the whole text (spaces count), case-insensitively."""
    return "" if value is None else str(value).casefold()
