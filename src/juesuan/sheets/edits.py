"""Sheet edits: what goes into a sheet's cells, as plain data that any writer applies.

The content of a sheet (a table's data rows: labels, inputs, formulas and their named styles)
is decided once (:mod:`juesuan.sheets.tables`) and handed as :class:`SheetEdits` to the writer
at hand: openpyxl (:func:`juesuan.xlsx_write.apply_edits`), the fast batch writer
(:func:`juesuan.batch.fastxlsx.edits_xml`) and the ribbon through xlwings
(:func:`juesuan.excel.edits_block`).  :meth:`SheetEdits.to_json` gives the same edits as JSON
for a writer in another language (a WPS add-in in JavaScript).  Example::

    SheetEdits("一般公共预算财政拨款支出决算表", [
        CellEdit(8, 1, "合计", style="js_label_bold0"),
        CellEdit(8, 3, Decimal("3038.13"), "=SUM(C9,C15)", "js_out_amount_bold"),
        CellEdit(9, 3, Decimal("1314.65"), style="js_in_amount", input="amount")])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterator, Mapping, NamedTuple

from juesuan.expr import Key
from juesuan.spec import Kind


class CellEdit(NamedTuple):
    """One cell: 1-based ``row``/``col``; ``value`` is a label or input (text, number, None) or,
    with ``formula`` (Excel text starting with ``=``), the formula's cached value when known;
    ``style`` a named style of :mod:`juesuan.styles`; ``input`` the kind of an input cell;
    ``key`` the model's cell key (table, row, column) of an input or derived cell."""

    row: int
    col: int
    value: Any = None
    formula: str | None = None
    style: str = "js_blank"
    input: Kind | None = None
    key: Key | None = None


@dataclass
class SheetEdits:
    """The edits of one sheet, row by row, left to right."""

    sheet: str
    cells: list[CellEdit] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, list[CellEdit]]]:
        """(row number, its cells) in order."""
        current: list[CellEdit] = []
        for c in self.cells:
            if current and c.row != current[0].row:
                yield current[0].row, current
                current = []
            current.append(c)
        if current:
            yield current[0].row, current

    def to_json(self) -> dict[str, Any]:
        """``{"sheet": …, "cells": [[row, col, value, formula, style, input, key], …]}``; amounts
        as JSON numbers."""
        return {"sheet": self.sheet,
                "cells": [[c.row, c.col, _json_value(c.value), c.formula, c.style, c.input,
                           list(c.key) if c.key else None] for c in self.cells]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SheetEdits":
        return cls(data["sheet"], [CellEdit(r, c, Decimal(str(v)) if isinstance(v, float) else v, f, s, i,
                                            tuple(k) if k else None)  # type: ignore[arg-type]
                                   for r, c, v, f, s, i, k in data["cells"]])

    def refill(self, inputs: Mapping[Key, Any], cached: Mapping[Key, Any],
               formula: Callable[[Key], str | None] | None = None) -> "SheetEdits":
        """The same edits with another book's input values and cached values (and, where
        ``formula(key)`` gives one, formula text): a table whose rows do not depend on the book
        (a fixed table) is laid out once and refilled per department."""
        out = []
        for c in self.cells:
            if c.key is None:
                out.append(c)
            elif c.formula is None:
                out.append(c._replace(value=inputs.get(c.key)))
            else:
                out.append(c._replace(value=cached.get(c.key), formula=(formula and formula(c.key)) or c.formula))
        return SheetEdits(self.sheet, out)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)
    return value
