"""Evaluating a parsed Excel formula in ``Decimal``, with Excel's semantics for what we allow.

Fill computes the derived cells from the format (``derive.compute``); this evaluator exists for
the *other* formulas a user's workbook may hold (a total the user added beside a table), so that
every formula cell gets a stored value, and for tests that recompute our formula text
independently of the derivation tree.  It covers the allow-list :data:`FUNCTIONS` (what the
linter accepts) with Excel's rules: blank cells count as 0 (or "" in text), ``SUM`` skips text
in ranges, ``ROUND`` rounds half away from zero on the decimal value (``ROUND(1.005,2)`` = 1.01,
as in Excel and LibreOffice), errors propagate.  Anything else raises :class:`Unsupported`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, DivisionByZero, InvalidOperation
from typing import Any, Callable, Iterator, Union

from juesuan.xlformula import Node, Ref


@dataclass(frozen=True)
class XlError:
    """An Excel error value such as ``#DIV/0!``."""

    code: str

    def __str__(self) -> str:
        return self.code


class Unsupported(Exception):
    """The formula uses something this evaluator does not compute (array formulas, unions…)."""


Scalar = Union[Decimal, str, bool, None, XlError]
Grid = list[list[Scalar]]
Value = Union[Scalar, Grid]
CellGetter = Callable[[str | None, int, int], Scalar]  # (sheet or None for own sheet, row, col)
NameResolver = Callable[[str], Ref | None]

DIV0, VALUE, NA, NAME = XlError("#DIV/0!"), XlError("#VALUE!"), XlError("#N/A"), XlError("#NAME?")
ZERO, ONE = Decimal(0), Decimal(1)
MAX_RANGE_CELLS = 2_000_000


class Evaluator:
    """Evaluates trees against cell values given by ``get(sheet, row, col)``."""

    def __init__(self, get: CellGetter, names: NameResolver | None = None) -> None:
        self.get = get
        self.names = names or (lambda name: None)

    def value(self, node: Node) -> Scalar:
        """A scalar result (a range in scalar position is not supported, except one cell)."""
        v = self.eval(node)
        if isinstance(v, list):
            if len(v) == 1 and len(v[0]) == 1:
                return v[0][0]
            raise Unsupported("a range where one value is expected (array formula)")
        return v

    def eval(self, node: Node) -> Value:
        kind = node[0]
        if kind in ("num", "str", "bool"):
            return node[1]
        if kind == "err":
            return XlError(node[1])
        if kind == "empty":
            return None
        if kind == "ref":
            return self.range(node[1])
        if kind == "name":
            ref = self.names(node[1])
            if ref is None:
                return NAME
            return self.range(ref)
        if kind == "neg":
            x = number(self.value(node[1]))
            return x if isinstance(x, XlError) else -x
        if kind == "pos":
            return self.value(node[1])
        if kind == "pct":
            x = number(self.value(node[1]))
            return x if isinstance(x, XlError) else x / 100
        if kind == "bin":
            return self.binary(node[1], node[2], node[3])
        if kind == "call":
            fn = FUNCTIONS.get(node[1])
            if fn is None:
                raise Unsupported(f"function {node[1]}")
            return fn(self, node[2])
        raise Unsupported(f"{kind}")

    def range(self, ref: Ref) -> Value:
        if ref.single:
            return self.get(ref.sheet, ref.r1, ref.c1)
        if (ref.r2 - ref.r1 + 1) * (ref.c2 - ref.c1 + 1) > MAX_RANGE_CELLS:
            raise Unsupported("range too large")
        return [[self.get(ref.sheet, r, c) for c in range(ref.c1, ref.c2 + 1)] for r in range(ref.r1, ref.r2 + 1)]

    def binary(self, op: str, left: Node, right: Node) -> Scalar:
        if op == ":":
            raise Unsupported("range operator between references")
        a, b = self.value(left), self.value(right)
        if isinstance(a, XlError):
            return a
        if isinstance(b, XlError):
            return b
        if op == "&":
            return text(a) + text(b)
        if op in ("=", "<>", "<", ">", "<=", ">="):
            c = compare(a, b)
            return {"=": c == 0, "<>": c != 0, "<": c < 0, ">": c > 0, "<=": c <= 0, ">=": c >= 0}[op]
        x, y = number(a), number(b)
        if isinstance(x, XlError):
            return x
        if isinstance(y, XlError):
            return y
        try:
            if op == "+":
                return x + y
            if op == "-":
                return x - y
            if op == "*":
                return x * y
            if op == "/":
                return DIV0 if y == 0 else x / y
            if op == "^":
                if y == y.to_integral_value() and abs(y) < 1000:
                    return DIV0 if x == 0 and y < 0 else x ** int(y)
                return Decimal(repr(float(x) ** float(y)))
        except (InvalidOperation, DivisionByZero, OverflowError, ValueError):
            return XlError("#NUM!")
        raise Unsupported(op)


# ── coercions ────────────────────────────────────────────────────────────────────────────
def number(v: Scalar) -> Decimal | XlError:
    """A value in arithmetic: blank 0, TRUE 1, numeric text its number, other text #VALUE!."""
    if v is None:
        return ZERO
    if isinstance(v, bool):
        return ONE if v else ZERO
    if isinstance(v, Decimal):
        return v
    if isinstance(v, XlError):
        return v
    try:
        return Decimal(str(v).strip().replace(",", ""))
    except InvalidOperation:
        return VALUE


def text(v: Scalar) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, Decimal):
        return general(v)
    return str(v)


def general(d: Decimal) -> str:
    """A number as Excel's General format shows it in text (up to 15 significant digits)."""
    if d == d.to_integral_value():
        return str(int(d))
    s = format(d.normalize(), "f")
    return s


def boolean(v: Scalar) -> bool | XlError:
    if v is None:
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, Decimal):
        return v != 0
    if isinstance(v, XlError):
        return v
    up = str(v).strip().upper()
    if up in ("TRUE", "FALSE"):
        return up == "TRUE"
    return VALUE


def _rank(v: Scalar) -> int:
    return 0 if isinstance(v, Decimal) else 1 if isinstance(v, str) else 2


def compare(a: Scalar, b: Scalar) -> int:
    """Excel's ordering: numbers < text < logical; text case-insensitive; blank as 0 or ""."""
    if a is None:
        a = "" if isinstance(b, str) else False if isinstance(b, bool) else ZERO
    if b is None:
        b = "" if isinstance(a, str) else False if isinstance(a, bool) else ZERO
    ra, rb = _rank(a), _rank(b)
    if ra != rb:
        return -1 if ra < rb else 1
    if isinstance(a, str):
        x, y = a.casefold(), str(b).casefold()
        return (x > y) - (x < y)
    return (a > b) - (a < b)  # type: ignore[operator]


def cells(v: Value) -> Iterator[tuple[Scalar, bool]]:
    """(value, came from a range) for every value of an argument."""
    if isinstance(v, list):
        for row in v:
            for x in row:
                yield x, True
    else:
        yield v, False


def numbers(ev: Evaluator, args: list[Node]) -> list[Decimal] | XlError:
    """SUM/MIN/MAX/AVERAGE arguments: range cells count only when numeric; direct ones coerce."""
    out: list[Decimal] = []
    for arg in args:
        if arg[0] == "empty":
            out.append(ZERO)
            continue
        for x, from_range in cells(ev.eval(arg)):
            if isinstance(x, XlError):
                return x
            if from_range:
                if isinstance(x, Decimal):
                    out.append(x)
            else:
                n = number(x)
                if isinstance(n, XlError):
                    return n
                out.append(n)
    return out


# ── functions (the allow-list) ───────────────────────────────────────────────────────────
def _sum(ev: Evaluator, args: list[Node]) -> Scalar:
    ns = numbers(ev, args)
    return ns if isinstance(ns, XlError) else sum(ns, ZERO)


def _min(ev: Evaluator, args: list[Node]) -> Scalar:
    ns = numbers(ev, args)
    return ns if isinstance(ns, XlError) else (min(ns) if ns else ZERO)


def _max(ev: Evaluator, args: list[Node]) -> Scalar:
    ns = numbers(ev, args)
    return ns if isinstance(ns, XlError) else (max(ns) if ns else ZERO)


def _average(ev: Evaluator, args: list[Node]) -> Scalar:
    ns = numbers(ev, args)
    if isinstance(ns, XlError):
        return ns
    return DIV0 if not ns else sum(ns, ZERO) / len(ns)


def _count(ev: Evaluator, args: list[Node]) -> Scalar:
    n = 0
    for arg in args:
        for x, from_range in cells(ev.eval(arg)):
            if isinstance(x, Decimal) or (not from_range and not isinstance(number(x), XlError) and x is not None
                                          and not isinstance(x, bool)):
                n += 1
    return Decimal(n)


def _arity(args: list[Node], lo: int, hi: int, name: str) -> None:
    if not lo <= len(args) <= hi:
        raise Unsupported(f"{name} with {len(args)} arguments")


def _rounder(mode: str) -> Callable[[Evaluator, list[Node]], Scalar]:
    def fn(ev: Evaluator, args: list[Node]) -> Scalar:
        _arity(args, 1 if mode == ROUND_HALF_UP else 2, 2, "ROUND")
        x = number(ev.value(args[0]))
        d = number(ev.value(args[1])) if len(args) > 1 else ZERO
        if isinstance(x, XlError):
            return x
        if isinstance(d, XlError):
            return d
        places = int(d)  # Excel truncates the digits argument
        return x.quantize(Decimal(1).scaleb(-places), rounding=mode) if places >= 0 else \
            (x.scaleb(places).quantize(ONE, rounding=mode)).scaleb(-places)
    return fn


def _abs(ev: Evaluator, args: list[Node]) -> Scalar:
    _arity(args, 1, 1, "ABS")
    x = number(ev.value(args[0]))
    return x if isinstance(x, XlError) else abs(x)


def _if(ev: Evaluator, args: list[Node]) -> Scalar:
    _arity(args, 1, 3, "IF")
    cond = boolean(ev.value(args[0]))
    if isinstance(cond, XlError):
        return cond
    if cond:
        return ev.value(args[1]) if len(args) > 1 and args[1][0] != "empty" else (ZERO if len(args) > 1 else True)
    if len(args) < 3:
        return False
    return ZERO if args[2][0] == "empty" else ev.value(args[2])


def _iferror(ev: Evaluator, args: list[Node]) -> Scalar:
    _arity(args, 2, 2, "IFERROR")
    v = ev.value(args[0])
    return ev.value(args[1]) if isinstance(v, XlError) else v


def _logic(all_: bool) -> Callable[[Evaluator, list[Node]], Scalar]:
    def fn(ev: Evaluator, args: list[Node]) -> Scalar:
        seen: list[bool] = []
        for arg in args:
            for x, from_range in cells(ev.eval(arg)):
                if isinstance(x, XlError):
                    return x
                if from_range and not isinstance(x, (bool, Decimal)):
                    continue
                b = boolean(x)
                if isinstance(b, XlError):
                    return b
                seen.append(b)
        if not seen:
            return VALUE
        return all(seen) if all_ else any(seen)
    return fn


def _not(ev: Evaluator, args: list[Node]) -> Scalar:
    _arity(args, 1, 1, "NOT")
    b = boolean(ev.value(args[0]))
    return b if isinstance(b, XlError) else not b


_CRITERION = re.compile(r"^(<=|>=|<>|=|<|>)?(.*)$", re.S)


def criterion_matcher(crit: Scalar) -> Callable[[Scalar], bool]:
    """SUMIF's criterion: a value (equal), or text ``">5"``/``"<>x"``; ``*`` ``?`` wildcards in text."""
    if isinstance(crit, (Decimal, bool)) or crit is None:
        want: Decimal | bool = ZERO if crit is None else crit

        def equal(v: Scalar) -> bool:
            if isinstance(v, str):
                n = number(v)
                return isinstance(want, Decimal) and not isinstance(want, bool) and n == want
            return v is not None and not isinstance(v, XlError) and _rank(v) == _rank(want) and v == want
        return equal
    if isinstance(crit, XlError):
        return lambda v: isinstance(v, XlError) and v.code == crit.code
    m = _CRITERION.match(str(crit))
    assert m
    op, operand = m.group(1) or "=", m.group(2)
    num = number(operand) if operand.strip() != "" else None
    if isinstance(num, Decimal) and op in ("<", ">", "<=", ">=", "=", "<>"):
        def numeric(v: Scalar) -> bool:
            if not isinstance(v, Decimal):
                return op == "<>"
            c = (v > num) - (v < num)  # type: ignore[operator]
            return {"=": c == 0, "<>": c != 0, "<": c < 0, ">": c > 0, "<=": c <= 0, ">=": c >= 0}[op]
        return numeric
    pattern = _wildcard(operand)

    def textual(v: Scalar) -> bool:
        if op in ("=", "<>"):
            if operand == "":
                hit = v is None or v == ""
            else:
                hit = isinstance(v, str) and pattern.fullmatch(v) is not None
            return hit if op == "=" else not hit
        if not isinstance(v, str):
            return False
        c = compare(v, operand)
        return {"<": c < 0, ">": c > 0, "<=": c <= 0, ">=": c >= 0}[op]
    return textual


def _wildcard(text_: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(text_):
        ch = text_[i]
        if ch == "~" and i + 1 < len(text_) and text_[i + 1] in "*?~":
            out.append(re.escape(text_[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.S | re.IGNORECASE)


def _sumif(ev: Evaluator, args: list[Node]) -> Scalar:
    _arity(args, 2, 3, "SUMIF")
    rng = ev.eval(args[0])
    crit = ev.value(args[1])
    sums = ev.eval(args[2]) if len(args) > 2 else rng
    grid_r = rng if isinstance(rng, list) else [[rng]]
    grid_s = sums if isinstance(sums, list) else [[sums]]
    match = criterion_matcher(crit)
    total = ZERO
    for i, row in enumerate(grid_r):
        for j, v in enumerate(row):
            if match(v):
                s = grid_s[i][j] if i < len(grid_s) and j < len(grid_s[i]) else None
                if isinstance(s, XlError):
                    return s
                if isinstance(s, Decimal):
                    total += s
    return total


def _hyperlink(ev: Evaluator, args: list[Node]) -> Scalar:
    """HYPERLINK(link, [name]) shows ``name`` (the ribbon's 校验结果 sheet links to cells this way)."""
    _arity(args, 1, 2, "HYPERLINK")
    v = ev.value(args[-1])
    return v if isinstance(v, XlError) else text(v)


FUNCTIONS: dict[str, Callable[[Evaluator, list[Node]], Scalar]] = {
    "SUM": _sum, "SUMIF": _sumif, "MIN": _min, "MAX": _max, "AVERAGE": _average, "COUNT": _count,
    "ROUND": _rounder(ROUND_HALF_UP), "ROUNDUP": _rounder(ROUND_UP), "ROUNDDOWN": _rounder(ROUND_DOWN),
    "ABS": _abs, "IF": _if, "IFERROR": _iferror, "AND": _logic(True), "OR": _logic(False), "NOT": _not,
    "HYPERLINK": _hyperlink,
}


def scalar_of(value: Any) -> Scalar:
    """A cell's stored Python value (openpyxl/calamine) as an evaluator value."""
    if value is None or isinstance(value, (Decimal, bool, XlError)):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if hasattr(value, "toordinal"):  # date/datetime → Excel serial number
        from openpyxl.utils.datetime import to_excel

        return Decimal(repr(float(to_excel(value))))
    return str(value)
