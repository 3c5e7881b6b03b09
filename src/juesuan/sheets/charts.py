"""Where the cells of a pack's pie charts are in a workbook: (label, amount) addresses.

A :class:`~juesuan.formats.pack.ChartSpec` names the amount cells; a slice's label is the row's
label cell (the label column of the row's block) or the column's header cell.  The openpyxl
chart, the ribbon's chart source block and the fast writer all place charts from these
addresses, so they plot the same cells.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from juesuan.errors import FormatError
from juesuan.expr import Address
from juesuan.locate import FoundBook

if TYPE_CHECKING:
    from juesuan.formats.pack import ChartSpec, FormatPack

Slice = tuple[Address, Address]  # (label cell, amount cell)


def chart_cells(spec: "ChartSpec", found: FoundBook) -> list[Slice]:
    """The (label, amount) addresses of one chart, in slice order."""
    where = found.tables[spec.table]
    layout = where.layout
    out: list[Slice] = []
    for key in spec.amounts:
        a = found.address(key)
        if a is None:
            raise FormatError(f"chart {spec.id}: cell {key} is not in the workbook")
        if spec.labels == "row":
            block = layout.block_index(key[1]) if where.table.kind == "fixed" else 0
            out.append((Address(a.sheet, a.row, layout.block_starts[block]), a))
        else:
            out.append((Address(a.sheet, layout.header_row, a.col), a))
    return out


def chart_sources(pack: "FormatPack", found: FoundBook) -> list[tuple["ChartSpec", list[Slice]]]:
    """Every chart of ``pack`` with its cells."""
    return [(spec, chart_cells(spec, found)) for spec in pack.charts]
