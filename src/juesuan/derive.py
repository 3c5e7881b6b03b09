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
from typing import Callable

from juesuan.expr import Expr, Key, Ref, Sum, SumIf
from juesuan.model import Book
from juesuan.spec import INPUT, Table

ZERO = Decimal(0)


MEMO = "_derive_memo"  # book.__dict__ entry: {"structure", "exprs", "inputs", "values"}


def _memo(book: Book) -> dict:
    """The book's remembered derivations, recomputed when its structure changed."""
    structure = (id(book.format), tuple((k, tuple(v)) for k, v in book.codes.items()),
                 tuple(book.records.items()))
    memo = book.__dict__.get(MEMO)
    if memo is None or memo["structure"] != structure:
        memo = book.__dict__[MEMO] = {"structure": structure, "exprs": _derivations(book)}
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
            for row in table.fixed_rows():
                for col_key, spec in row.cells.items():
                    if spec is not INPUT:
                        out[(table.key, row.key, col_key)] = spec  # type: ignore[assignment]
        elif table.kind == "code":
            out.update(_code_table(book, table))
        else:
            out.update(_record_table(book, table))
    return out


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
    for row in rows:
        for col in table.columns():
            if col.kind == "text":
                continue
            key = (table.key, row, col.key)
            if col.derive is not None:
                out[key] = col.derive(_same_row(table.key, row))
            elif row == total:
                out[key] = Sum(Ref(table.key, c, col.key) for c in rows if len(c) == 3)
            elif len(row) < 7:
                out[key] = Sum(Ref(table.key, c, col.key) for c in kids.get(row, []))
    return out


def _record_table(book: Book, table: Table) -> dict[Key, Expr]:
    out: dict[Key, Expr] = {}
    rows = book.rows(table)
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
    inputs = tuple(book.values.items())
    if memo.get("inputs") != inputs:
        memo["values"] = _compute(book, memo["exprs"])
        memo["inputs"] = inputs
    return dict(memo["values"])


def _compute(book: Book, exprs: dict[Key, Expr]) -> dict[Key, Decimal]:
    done: dict[Key, Decimal] = {}
    visiting: set[Key] = set()

    def get(key: Key):  # type: ignore[no-untyped-def]
        if key in done:
            return done[key]
        expr = exprs.get(key)
        if expr is None:
            value = book.values.get(key)
            if value is None:
                return ZERO  # an empty input cell counts as zero
            return value if isinstance(value, str) else Decimal(value)
        if key in visiting:
            raise RuntimeError(f"cycle in derivations at {key}")
        visiting.add(key)
        result = expr.value(get)
        visiting.discard(key)
        done[key] = result
        return result

    for key in exprs:
        get(key)
    return done
