"""Formula text for a department's derived cells, fast: the same strings as ``Expr.excel``.

Why: rendering a department using the whole code list means ~7,000 ``Sum`` formulas and ~26,000
address look-ups; :meth:`juesuan.expr.Sum.excel` builds an ``Address`` per reference and closes
over helpers, which made formulas half of the writer's time.  Here a reference is found with two
dict look-ups (row key → sheet row, column key → sheet column, per table) and ``Sum`` and
``Ref`` are rendered with the same rules as :mod:`juesuan.expr` (contiguous cells of one column
as a range, a missing row as nothing / ``0``).  Every other node falls back to its own
``excel``, so a new kind of expression stays correct, only not faster.
``tests/test_batch_fastxlsx.py`` compares every formula with the openpyxl path.
"""

from __future__ import annotations

from juesuan.expr import Expr, Key, Ref, Sum, column_letter, quote_sheet
from juesuan.layout import BookLayout

LETTERS = [""] + [column_letter(i) for i in range(1, 16385)]
Pos = tuple[str, int, int]  # sheet, row, column


class FormulaRenderer:
    def __init__(self, layout: BookLayout) -> None:
        self.layout = layout
        self._tables: dict[str, tuple[str, dict[str, int], dict[str, int] | None]] = {}
        for key, tl in layout.tables.items():
            t = tl.table
            cols = None
            if len(t.blocks) == 1:  # one block: a column key has one sheet column
                cols = {c.key: tl.value_col(0, c.key) for c in t.blocks[0].columns}
            self._tables[key] = (t.sheet, tl.row_index, cols)
        self._memo: dict[Key, Pos | None] = {}

    def pos(self, key: Key) -> Pos | None:
        try:
            return self._memo[key]
        except KeyError:
            pass
        sheet, rows, cols = self._tables[key[0]]
        if cols is None:
            a = self.layout.address(key)
            p = None if a is None else (a.sheet, a.row, a.col)
        else:
            r, c = rows.get(key[1]), cols.get(key[2])
            p = None if r is None or c is None else (sheet, r, c)
        self._memo[key] = p
        return p

    def address(self, key: Key):  # type: ignore[no-untyped-def]
        """An ``Addresser`` for the nodes rendered by their own ``excel``."""
        from juesuan.expr import Address

        p = self.pos(key)
        return None if p is None else Address(*p)

    def excel(self, expr: Expr, sheet: str) -> str:
        """``expr.excel(layout.address, sheet)``, without the leading ``=``."""
        kind = type(expr)
        if kind is Sum:
            return self._sum(expr.terms, sheet)  # type: ignore[attr-defined]
        if kind is Ref:
            p = self.pos(expr.key)  # type: ignore[attr-defined]
            return "0" if p is None else _ref(p, sheet)
        return expr.excel(self.address, sheet)

    def _sum(self, terms: tuple[Expr, ...], sheet: str) -> str:
        parts: list[str] = []
        first: Pos | None = None
        last: Pos | None = None
        for t in terms:
            if type(t) is Ref:
                p = self.pos(t.key)  # type: ignore[attr-defined]
                if p is None:
                    continue  # a row the department does not have: zero
                if last is not None and p[0] == last[0] and p[2] == last[2] and p[1] == last[1] + 1:
                    last = p
                    continue
                if first is not None:
                    parts.append(_run(first, last, sheet))  # type: ignore[arg-type]
                first = last = p
                continue
            if first is not None:
                parts.append(_run(first, last, sheet))  # type: ignore[arg-type]
                first = last = None
            parts.append(self.excel(t, sheet))
        if first is not None:
            parts.append(_run(first, last, sheet))  # type: ignore[arg-type]
        if not parts:
            return "0"
        return f"SUM({','.join(parts)})"


def _ref(p: Pos, sheet: str) -> str:
    a1 = f"{LETTERS[p[2]]}{p[1]}"
    return a1 if p[0] == sheet else f"{quote_sheet(p[0])}!{a1}"


def _run(first: Pos, last: Pos, sheet: str) -> str:
    if first is last:
        return _ref(first, sheet)
    return f"{_ref(first, sheet)}:{LETTERS[last[2]]}{last[1]}"
