"""The model: one department's workbook as plain values keyed by (table, row key, column key).

A :class:`Book` holds the input values (``Decimal`` amounts, ``int`` counts, ``str`` texts),
the 项 codes each code table uses, the number of records of each record table and each table's
注 text.  Derived values are computed from it by :mod:`juesuan.derive`; nothing here knows
about Excel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product
from operator import itemgetter
from typing import Iterator

from juesuan.expr import Key
from juesuan.spec import INPUT, Format, Table

Value = Decimal | int | str | None


@dataclass
class Book:
    format: Format
    values: dict[Key, Value] = field(default_factory=dict)
    codes: dict[str, list[str]] = field(default_factory=dict)  # code table → its 项 codes
    records: dict[str, int] = field(default_factory=dict)  # record table → number of rows
    footnotes: dict[str, str] = field(default_factory=dict)  # table → 注 text
    names: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, code) → name as typed
    notes: dict = field(default_factory=dict)  # free-form notes of a data file (kept on round trip)

    def get(self, key: Key) -> Value:
        return self.values.get(key)

    def amount(self, key: Key) -> Decimal:
        v = self.values.get(key)
        if v is None or isinstance(v, str):
            return Decimal(0)
        return Decimal(v)

    def text(self, key: Key) -> str:
        v = self.values.get(key)
        return "" if v is None else str(v)

    def rows(self, table: Table) -> list[str]:
        """Row keys of a table in printed order (code tables: 合计, then 类/款/项 in code order)."""
        if table.kind == "fixed":
            return [r.key for r in table.fixed_rows()]
        if table.kind == "record":
            return [str(i + 1) for i in range(self.records.get(table.key, 0))]
        return [table.total_label] + code_rows(self.codes.get(table.key, []))

    def input_keys_of_row(self, table: Table, row: str) -> Iterator[Key]:
        """The input cells of one row of a record table."""
        for col in table.columns():
            if col.is_input:
                yield (table.key, row, col.key)

    def input_keys(self, table: Table) -> list[Key]:
        """Every input cell of a table (in row order)."""
        if table.kind == "fixed":
            return list(_fixed_inputs(self.format, table))
        cols = [col.key for col in table.columns() if col.is_input]
        rows = self.codes.get(table.key, []) if table.kind == "code" else \
            [str(i + 1) for i in range(self.records.get(table.key, 0))]
        return list(product((table.key,), rows, cols))  # (t, row, column) row by row, in C


def _fixed_inputs(fmt: Format, table: Table) -> list[Key]:
    """The input cells of a fixed table (the same for every book of the format: remembered)."""
    known = format_cache(fmt, "_fixed_inputs")
    entry = known.get(table.key)
    if entry is None or entry[0] is not table:
        entry = known[table.key] = (table, [(table.key, row.key, col_key) for row in table.fixed_rows()
                                            for col_key, spec in row.cells.items() if spec is INPUT])
    return entry[1]  # type: ignore[no-any-return]


def code_name(book: Book, table: Table, code: str) -> str:
    """The name of a code: from the format's code list, else as declared in the data file, else
    as typed on the sheet (a code the list does not have)."""
    return (book.format.codes_for(table).get(code) or book.names.get(("科目名称", code))
            or book.names.get((table.key, code), ""))


def custom_names(book: Book) -> dict[str, str]:
    """Names of the codes the book uses that the format's code list lacks (declared or typed)."""
    out = {c: n for (t, c), n in book.names.items() if t == "科目名称"}
    for table in book.format.tables:
        if table.kind != "code":
            continue
        for code in code_rows(book.codes.get(table.key, [])):
            if code not in book.format.codes_for(table) and code not in out:
                name = book.names.get((table.key, code))
                if name:
                    out[code] = name
    return dict(sorted(out.items()))


def format_cache(fmt: Format, name: str) -> dict:  # type: ignore[type-arg]
    """A dict kept on ``fmt`` for facts that depend on the format alone (shared by every book of
    a batch); rebuilt if tables were added, as :meth:`~juesuan.spec.Format.table`'s index is."""
    entry = fmt.__dict__.get(name)
    if entry is None or entry[0] != len(fmt.tables):
        entry = fmt.__dict__[name] = (len(fmt.tables), {})
    return entry[1]  # type: ignore[no-any-return]


def code_rows(items: list[str]) -> list[str]:
    """项 codes → the printed rows: each 类, then its 款, then that 款's 项, in code order."""
    rows = set(items)  # (in C: no call of ours per code)
    rows.update(map(_CLASS, items), map(_KUAN, items))
    return sorted(rows)


_CLASS, _KUAN = itemgetter(slice(3)), itemgetter(slice(5))  # code[:3], code[:5]
