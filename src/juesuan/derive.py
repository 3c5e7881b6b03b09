"""Every derived cell of a book and its expression, from the format's declarations.

- fixed tables: the expressions declared on their rows;
- code tables: per-row identities declared on columns (e.g. 表2 本年收入合计 = Σ sources), and
  for 合计/类/款 rows the sum of their children (合计 = Σ 类, 类 = Σ 款, 款 = Σ 项);
- record tables: per-row identities (绩效 执行率, 得分, 总分) and 指标得分 = SUMIF over 绩效指标.

:func:`compute` evaluates them all in ``Decimal`` (each once, in dependency order).

Both are remembered on the book until what they depend on changes (:func:`derivations`: the
format, the 项 codes and the record counts; :func:`compute` also every input value), because
fill, check and narrate each ask for them and a batch runs all three per department.  Callers
get their own dict each time; the expressions in it are immutable.
"""

from __future__ import annotations

from decimal import Decimal
from operator import eq, is_
from typing import Callable

from juesuan.expr import Expr, Key, Ref, Sum, SumIf
from juesuan.model import Book, format_cache
from juesuan.spec import INPUT, Table

ZERO = Decimal(0)


MEMO = "_derive_memo"  # book.__dict__ entry: {"structure", "exprs", "shape", "inputs", "values", "seen"}


class Snapshot:
    """The very objects a dict holds, in order.  ``same(d)``: ``d`` still holds them (told in C,
    nothing built); False says only that a comparison of the values is needed."""

    __slots__ = ("keys", "vals")

    def __init__(self, d: dict) -> None:  # type: ignore[type-arg]
        self.keys, self.vals = tuple(d), tuple(d.values())

    def same(self, d: dict) -> bool:  # type: ignore[type-arg]
        return len(d) == len(self.keys) and all(map(is_, d, self.keys)) and all(map(is_, d.values(), self.vals))


def shape(book: Book) -> tuple:  # type: ignore[type-arg]
    """What the structure is compared by, kept so that an unchanged book is told without building it."""
    return book.format, tuple(book.codes), list(map(list, book.codes.values())), tuple(book.records.items())


def same_shape(book: Book, seen: tuple | None) -> bool:  # type: ignore[type-arg]
    """Whether ``book`` has the format, rows and records :func:`shape` saw."""
    if seen is None:
        return False
    fmt, tables, codes, records = seen  # (the code lists compared in C: list == list)
    return (fmt is book.format and tuple(book.codes) == tables and all(map(eq, book.codes.values(), codes))
            and tuple(book.records.items()) == records)


def _memo(book: Book) -> dict:
    """The book's remembered derivations, recomputed when its structure changed."""
    memo = book.__dict__.get(MEMO)
    if memo is not None and same_shape(book, memo.get("shape")):  # (a list typed in place is compared)
        return memo  # type: ignore[no-any-return]
    structure = (id(book.format), tuple((k, tuple(v)) for k, v in book.codes.items()),
                 tuple(book.records.items()))
    if memo is None or memo["structure"] != structure:
        memo = book.__dict__[MEMO] = {"structure": structure, "exprs": _derivations(book)}
    memo["shape"] = shape(book)
    return memo


def share_derivations(source: Book, target: Book) -> None:
    """Let ``target`` (same format, codes and records, other values) reuse ``source``'s expressions."""
    memo = source.__dict__.get(MEMO)
    if memo is not None:
        target.__dict__[MEMO] = {"structure": memo["structure"], "exprs": memo["exprs"]}


def derivations(book: Book) -> dict[Key, Expr]:
    return dict(_memo(book)["exprs"])


def _derivations(book: Book) -> dict[Key, Expr]:
    out: dict[Key, Expr] = {}
    for table in book.format.tables:
        if table.kind == "fixed":
            out.update(_fixed_table(book, table))
        elif table.kind == "code":
            out.update(_code_table(book, table))
        else:
            out.update(_record_table(book, table))
    return out


CACHE_LIMIT = 20_000  # built expressions remembered per table before starting afresh


def _built(book: Book, table: Table) -> dict:  # type: ignore[type-arg]
    """The expressions of ``table`` already built, by what they depend on (a row and its children,
    the record counts): shared by every book of the format, as the expressions are immutable."""
    tables = format_cache(book.format, "_derive_built")
    entry = tables.get(table.key)
    if entry is None or entry[0] is not table or len(entry[1]) > CACHE_LIMIT:
        entry = tables[table.key] = (table, {})
    return entry[1]  # type: ignore[no-any-return]


def _fixed_table(book: Book, table: Table) -> dict[Key, Expr]:
    built = _built(book, table)
    out = built.get("fixed")
    if out is None:
        out = built["fixed"] = {(table.key, row.key, col_key): spec  # type: ignore[misc]
                                for row in table.fixed_rows() for col_key, spec in row.cells.items()
                                if spec is not INPUT}
    return out  # type: ignore[no-any-return]


def _same_row(table: str, row: str) -> Callable[[str], Expr]:
    return lambda col: Ref(table, row, col)


def _code_table(book: Book, table: Table) -> dict[Key, Expr]:
    out: dict[Key, Expr] = {}
    rows = book.rows(table)
    total = table.total_label
    kids: dict[str, list[str]] = {}  # children(row, rows) for every row at once (rows are in code order)
    for c in rows:
        if len(c) in (5, 7):
            kids.setdefault(c[:-2], []).append(c)
    built = _built(book, table)
    for row in rows:
        if row == total:
            under: tuple[str, ...] | None = tuple(c for c in rows if len(c) == 3)
        elif len(row) < 7:
            under = tuple(kids.get(row, ()))
        else:
            under = None
        exprs = built.get((row, under))
        if exprs is None:
            exprs = built[(row, under)] = _code_row(table, row, under)
        out.update(exprs)
    return out


def _code_row(table: Table, row: str, under: tuple[str, ...] | None) -> dict[Key, Expr]:
    """One row of a code table: its per-row identities, and (``under``: its children, for 合计/类/款)
    each amount column as the sum of the children's."""
    out: dict[Key, Expr] = {}
    for col in table.columns():
        if col.kind == "text":
            continue
        key = (table.key, row, col.key)
        if col.derive is not None:
            out[key] = col.derive(_same_row(table.key, row))
        elif under is not None:
            out[key] = Sum(Ref(table.key, c, col.key) for c in under)
    return out


def _record_table(book: Book, table: Table) -> dict[Key, Expr]:
    rows = book.rows(table)
    sources = tuple(tuple(book.rows(book.format.table(col.sum_over[0]))) for col in table.columns()
                    if col.derive is None and col.sum_over is not None)
    built = _built(book, table)
    out = built.get((tuple(rows), sources))
    if out is None:
        out = built[(tuple(rows), sources)] = _record_rows(book, table, rows)
    return out  # type: ignore[no-any-return]


def _record_rows(book: Book, table: Table, rows: list[str]) -> dict[Key, Expr]:
    out: dict[Key, Expr] = {}
    for row in rows:
        for col in table.columns():
            key = (table.key, row, col.key)
            if col.derive is not None:
                out[key] = col.derive(_same_row(table.key, row))
            elif col.sum_over is not None:
                source, match, summed = col.sum_over
                src_rows = book.rows(book.format.table(source))
                out[key] = SumIf(tuple((source, r, match) for r in src_rows), (table.key, row, match),
                                 tuple((source, r, summed) for r in src_rows))
    return out


def compute(book: Book, exprs: dict[Key, Expr] | None = None) -> dict[Key, Decimal]:
    """Values of every derived cell, in ``Decimal``, each computed once.

    Without ``exprs`` (the book's own derivations) the result is remembered until an input
    value or the book's structure changes."""
    if exprs is not None:
        return _compute(book, exprs)
    memo = _memo(book)
    seen = memo.get("seen")  # the values' very objects when last compared: unchanged, nothing to build
    if seen is None or not seen.same(book.values):
        inputs = tuple(book.values.items())
        if memo.get("inputs") != inputs:
            memo["values"] = _compute(book, memo["exprs"])
            memo["inputs"] = inputs
        memo["seen"] = Snapshot(book.values)
    return dict(memo["values"])


def computed_from(book: Book) -> tuple[tuple[tuple[Key, object], ...], dict[Key, Decimal]] | None:
    """What the book's last :func:`compute` of its own derivations read and gave: its inputs (the
    items of ``book.values`` then) and its values, the very objects; None when there is none for
    the book's present structure.  Shared: do not change them."""
    memo = _memo(book)
    if "values" not in memo:
        return None
    return memo["inputs"], memo["values"]


def _compute(book: Book, exprs: dict[Key, Expr]) -> dict[Key, Decimal]:
    """Each derived cell once, depth first in declaration order; the result is in the order the
    cells were completed (a cell after the cells it refers to)."""
    done: dict[Key, Decimal] = {}
    known: dict[Key, Decimal | str] = {}  # every value met so far: inputs (blank: 0), derived cells
    for key, raw in book.values.items():
        if key not in exprs:
            if raw.__class__ is Decimal:
                known[key] = raw  # type: ignore[assignment]
            elif raw.__class__ is int:
                known[key] = Decimal(raw)  # type: ignore[arg-type]
    visiting: set[Key] = set()
    values = book.values

    def get(key: Key):  # type: ignore[no-untyped-def]
        result = known.get(key)
        if result is not None:
            return result
        expr = exprs.get(key)
        if expr is None:
            raw = values.get(key)  # an empty input cell counts as zero
            result = known[key] = ZERO if raw is None else raw if isinstance(raw, str) else Decimal(raw)
            return result
        if key in visiting:
            raise RuntimeError(f"cycle in derivations at {key}")
        visiting.add(key)
        if expr.__class__ is Sum and (keys := expr.sum_keys) is not None:
            result = ZERO  # Σ of cells without a call per term: as Sum.value, left to right from 0
            for k in keys:
                v = known.get(k)
                result += get(k) if v is None else v
        else:
            result = expr.value(get)
        visiting.discard(key)
        known[key] = done[key] = result
        return result

    for key, expr in exprs.items():
        if key in done:
            continue
        if expr.__class__ is Sum and (keys := expr.sum_keys) is not None:
            result = ZERO  # as in get(), without the call
            visiting.add(key)  # (a cycle back to ``key`` is named at ``key``, as get() names it)
            for k in keys:
                v = known.get(k)
                result += get(k) if v is None else v
            visiting.discard(key)
            known[key] = done[key] = result
        else:
            get(key)
    return done
