"""Saving a narrated workbook so that it keeps its formulas' stored values.

openpyxl drops every formula's cached value when it saves; a narrated workbook read by pandas,
calamine or a viewer would then show blank tables.  The fill engineer's :mod:`juesuan.cached`
puts values back after saving.  Narrate must not rewrite the tables (fill's ``fill_book`` does),
so the values come from two places, cell by cell, as fill itself decides them:

- a cell holding *our* formula for a derived cell (same formula as the declaration gives at the
  address the reader found): the value :func:`juesuan.derive.compute` gives;
- any other formula of the workbook: fill's Decimal evaluator (:func:`juesuan.fill.evaluate_others`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from juesuan.cached import save_with_values
from juesuan.derive import compute, derivations
from juesuan.expr import Address
from juesuan.fill import Lookup, evaluate_others, workbook_cells
from juesuan.xlformula import Ref, same_formula
from juesuan.lint import CellKey, lint_formulas, workbook_formulas, workbook_names
from juesuan.locate import FoundBook
from juesuan.model import Book

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook

CellValues = dict[str, dict[str, Any]]


def formula_values(wb: Workbook, book: Book, found: FoundBook) -> CellValues:
    """sheet → {A1: value} for every formula of ``wb`` that can be computed."""
    return values_of_formulas(workbook_formulas(wb), wb.sheetnames, workbook_names(wb), workbook_cells(wb), book,
                              found)


def values_of_formulas(texts: Mapping[CellKey, str], sheetnames: list[str], names: Mapping[str, Ref | None],
                       cells: Lookup, book: Book, found: FoundBook) -> CellValues:
    """sheet → {A1: value} for every formula (``texts``) that can be computed; ``cells`` gives
    the stored values of the other cells (an openpyxl workbook's, or a patched file's).

    Our own formulas are recognised by their text (no parsing); only the workbook's other
    formulas are parsed, for fill's evaluator.
    """
    exprs = derivations(book)
    values = compute(book)
    ours: dict[CellKey, Any] = {}
    for key, expr in exprs.items():
        a = found.address(key)
        if a is None:
            continue
        where = (a.sheet, a.row, a.col)
        held = texts.get(where)
        if held and same_formula(held, expr.formula(found.address, a.sheet), a.sheet):
            ours[where] = values[key]
    rest = {k: t for k, t in texts.items() if k not in ours}
    lint = lint_formulas(rest, sheetnames, names)
    computed, _problems = evaluate_others(cells, sheetnames, names, ours, lint.formulas)
    out: CellValues = {}
    for (sheet, r, c), v in [*ours.items(), *computed.items()]:
        out.setdefault(sheet, {})[Address(sheet, r, c).a1()] = v
    return out


def save_workbook(wb: Workbook, book: Book, found: FoundBook, path: str | Path) -> int:
    """Save ``wb`` atomically at ``path`` with stored formula values; returns how many were stored."""
    return save_with_values(wb, path, formula_values(wb, book, found)).written
