"""A table's data rows as XML from rows compiled once per process: per department only values.

Why: laying out every department's rows through :func:`juesuan.sheets.tables.table_edits`
(named tuples per cell, then a generic cell renderer) took most of the fast writer's time.  What
a data row's XML holds besides the department's numbers depends on little: the table and the row
key (styles, labels, which cells are inputs, blanks or formulas, the per-row identities' formula
text).  :class:`RowCompiler` compiles that once per (table, row key) into a :class:`Row` —
literal XML with slots, the sheet row left open — and per department fills in the sheet row, the
input values, the cached values, a 科目名称 the format's code list lacks, and the formula text
that depends on the department's rows (a 合计/类/款's ``SUM`` over its children, rendered once
per row with the column left open, since derive.py makes every amount column of the row sum the
same children).  A fixed table is compiled whole, once.

The rows follow :func:`juesuan.rows.row_cells` (a cell is a formula exactly when the book's
derivations hold its key).  Filling checks every formula cell's key against the derivations
given and the writer compares their number with the formulas written; on any difference it
renders the book generically (:class:`Mismatch`).  ``tests/test_batch_datarows.py`` compares the
XML with the generic path's, department after department in one writer (so rows compiled for
one serve the next).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable, Mapping, NamedTuple

from juesuan.batch.formulas import LETTERS
from juesuan.cellxml import esc, number_text, text_cell, value_cell
from juesuan.expr import Expr, Key, Ref, Sum
from juesuan.layout import TableLayout
from juesuan.model import Book, code_name
from juesuan.rows import BLANK, FormulaText, label_style
from juesuan.sheets.edits import SheetEdits
from juesuan.spec import Table

# slot kinds of a compiled row
# (fill compares the kinds as literals, for speed)
LIT = 0  # literal XML (``b``: it holds the sheet row, :data:`R`)
NAME = 1  # the 科目名称 label of a code row the format's code list lacks
INPUT = 2  # an input cell: the book's value
FIXED = 3  # a formula whose text is the same for every department (per-row identity, fixed tables)
SUM = 4  # a 合计/类/款 cell: Σ of the row's children in this column (text from the row's pattern)
EXPR = 5  # any other formula: rendered per department by the writer's FormulaText

ROW_CACHE = 200000  # compiled rows remembered (then forgotten at once)
NAME_CACHE = 50000

Slot = tuple  # (kind, a, b, key, text): see RowCompiler
R = "\x00"  # the sheet row in a compiled row's literal XML and formula text (never in a cell's text)


class Mismatch(Exception):
    """A compiled formula cell the derivations given do not hold: render generically."""


class Row(NamedTuple):
    """One data row compiled, without its sheet row number: ``slots`` in order; ``formulas``
    how many formula cells it has; ``sum_key`` the key of its first SUM cell (whose expression
    gives the row's pattern)."""

    slots: tuple[Slot, ...]
    formulas: int
    sum_key: Key | None


def _merge(slots: list[Slot]) -> tuple[Slot, ...]:
    """Adjacent literals joined (fewer pieces to append per department), each marked with
    whether it holds the sheet row."""
    out: list[Slot] = []
    for s in slots:
        if s[0] == LIT and out and out[-1][0] == LIT:
            out[-1] = (LIT, out[-1][1] + s[1], None, None, None)
        else:
            out.append(s)
    return tuple((LIT, s[1], R in s[1], None, None) if s[0] == LIT else s for s in out)


class RowCompiler:
    """Compiles and fills data rows for one writer (its style indexes); build once per process.

    A slot is ``(kind, a, b, key, text)``: LIT ``a`` the XML (sheet row as :data:`R`); the
    other kinds a cell ``<c r="{a}{row}" s="{b}"…`` holding ``key``'s value; FIXED ``text`` the
    formula text (sheet row as :data:`R`), SUM ``text`` the column letter for the row's pattern.
    """

    def __init__(self, styles: dict[str, int], row_template: Callable[[TableLayout, str], str]) -> None:
        self.styles = styles
        self.row_template = row_template  # (layout, column key) → a per-row identity's text, row R
        self._rows: dict[tuple[str, str], Row] = {}
        self._names: dict[tuple[str, str, str], str] = {}
        self._fixed: dict[str, Row] = {}

    # ── compile ──
    def keyed_row(self, tl: TableLayout, row_key: str, exprs: Mapping[Key, Expr], codes: Mapping[str, str]) -> Row:
        """A code or record table's row, as :func:`juesuan.rows._keyed` lays it out; ``codes``
        the format's code list for the table (whose names are the same in every book)."""
        t, st = tl.table, self.styles
        is_total = t.kind == "code" and row_key == t.total_label
        depth = {3: 0, 5: 1, 7: 2}.get(len(row_key), 0)
        slots: list[Slot] = [(LIT, f'<row r="{R}">', None, None, None)]
        formulas = 0
        sum_key = None
        c = 0
        for lc in t.block.label_columns:
            c += 1
            ref = f"{LETTERS[c]}{R}"
            if lc.source == "code":
                value, style = (t.total_label, "js_label_bold0") if is_total else (row_key, "js_label_center")
                slots.append((LIT, value_cell(ref, st[style], value, t.sheet), None, None, None))
            else:
                style = label_style(None, bold=is_total or depth == 0, indent=depth)
                listed = codes.get(row_key)  # code_name's first choice: the same name in every book
                if is_total or listed:
                    slots.append((LIT, value_cell(ref, st[style], None if is_total else listed, t.sheet), None,
                                  None, None))
                else:
                    slots.append((NAME, LETTERS[c], str(st[style]), None, None))
        for col in t.block.columns:
            c += 1
            key = (t.key, row_key, col.key)
            if key in exprs:
                formulas += 1
                s = str(st[f"js_out_{col.kind}" + ("_bold" if is_total else "")])
                if col.derive is not None:
                    text = esc(self.row_template(tl, col.key)[1:])
                    slots.append((FIXED, LETTERS[c], s, key, text))
                elif t.kind == "code" and _sum_of_column(exprs[key], t.key, col.key):
                    sum_key = sum_key or key
                    slots.append((SUM, LETTERS[c], s, key, LETTERS[c]))
                else:
                    slots.append((EXPR, LETTERS[c], s, key, None))
            elif t.kind == "code" and (len(row_key) < 7 or is_total):
                slots.append((LIT, value_cell(f"{LETTERS[c]}{R}", st[BLANK.style], None, t.sheet), None, None, None))
            else:
                slots.append((INPUT, LETTERS[c], str(st[f"js_in_{col.kind}"]), key, None))
        slots.append((LIT, "</row>", None, None, None))
        return Row(_merge(slots), formulas, sum_key)

    def fixed_rows(self, table: Table, edits: SheetEdits, constant: Callable[[Key], bool]) -> Row:
        """A fixed table's rows (laid out once, see ``FastWriter._fixed_edits``) as one compiled
        row; ``constant(key)``: the formula's text in ``edits`` is the same for every department."""
        compiled = self._fixed.get(table.key)
        if compiled is not None:
            return compiled
        st = self.styles
        slots: list[Slot] = []
        formulas = 0
        for r, cells in edits.rows():
            slots.append((LIT, f'<row r="{r}">', None, None, None))
            for e in cells:
                ref = f"{LETTERS[e.col]}{r}"
                if e.formula is not None:
                    formulas += 1
                    kind = FIXED if constant(e.key) else EXPR  # type: ignore[arg-type]
                    slots.append((kind, ref, str(st[e.style]), e.key, esc(e.formula[1:]) if kind == FIXED else None))
                elif e.key is None:
                    slots.append((LIT, value_cell(ref, st[e.style], e.value, edits.sheet), None, None, None))
                else:
                    slots.append((INPUT, ref, str(st[e.style]), e.key, None))
            slots.append((LIT, "</row>", None, None, None))
        compiled = self._fixed[table.key] = Row(_merge(slots), formulas, None)
        return compiled

    # ── fill (per department) ──
    def keyed_xml(self, book: Book, tl: TableLayout, exprs: Mapping[Key, Expr], values: Mapping[Key, Decimal],
                  formula: FormulaText) -> tuple[str, int]:
        """The data rows of a code or record table, and how many formulas they hold."""
        t = tl.table
        cache = self._rows
        if len(cache) > ROW_CACHE:
            cache.clear()
        if len(self._names) > NAME_CACHE:
            self._names.clear()
        n = 0
        r = tl.first_data_row
        ri = tl.row_index
        work = []
        for row_key in tl.row_keys:
            row = cache.get((t.key, row_key))
            if row is None:
                row = cache[(t.key, row_key)] = self.keyed_row(tl, row_key, exprs, book.format.codes_for(t))
            n += row.formulas
            work.append((row, str(r), row_key, None if row.sum_key is None else _sum_pattern(exprs[row.sum_key], ri)))
            r += 1
        return self._fill(work, book, t, exprs, values, formula), n

    def fixed_xml(self, book: Book, row: Row, table: Table, exprs: Mapping[Key, Expr],
                  values: Mapping[Key, Decimal], formula: FormulaText) -> str:
        return self._fill([(row, "", "", None)], book, table, exprs, values, formula)

    def _fill(self, work: list[tuple[Row, str, str, str | None]], book: Book, t: Table, exprs: Mapping[Key, Expr],
              values: Mapping[Key, Decimal], formula: FormulaText) -> str:
        """The XML of compiled rows, each with its sheet row, row key and SUM pattern."""
        # the kinds as literals and the Decimal test first: this loop writes every value of a batch
        inputs = book.values
        out: list[str] = []
        append = out.append
        for row, rs, row_key, pattern in work:
            for kind, a, b, key, text in row.slots:
                if kind == 2:  # INPUT
                    v = inputs.get(key)
                    if v is None:
                        append(f'<c r="{a}{rs}" s="{b}"/>')
                    elif v.__class__ is not Decimal and isinstance(v, str):
                        append(text_cell(f"{a}{rs}", int(b), v, t.sheet))
                    else:
                        append(f'<c r="{a}{rs}" s="{b}"><v>{number_text(v)}</v></c>')
                elif kind > 2:  # FIXED, SUM, EXPR
                    if key not in exprs:
                        raise Mismatch(key)
                    if kind == 3:
                        text = text.replace(R, rs)
                    elif kind == 4:
                        text = pattern.replace(R, text)  # type: ignore[union-attr]
                    else:
                        text = esc(formula(key, exprs[key])[1:])
                    v = values.get(key)
                    if v is None:
                        append(f'<c r="{a}{rs}" s="{b}"><f>{text}</f></c>')
                    elif v.__class__ is not Decimal and isinstance(v, str):
                        append(f'<c r="{a}{rs}" s="{b}" t="str"><f>{text}</f><v>{esc(v)}</v></c>')
                    else:
                        append(f'<c r="{a}{rs}" s="{b}"><f>{text}</f><v>{number_text(v)}</v></c>')
                elif kind == 0:  # LIT
                    append(a.replace(R, rs) if b else a)
                else:  # NAME
                    name = code_name(book, t, row_key)
                    k = (a, b, name)
                    xml = self._names.get(k)
                    if xml is None:
                        append(value_cell(f"{a}{rs}", int(b), name, t.sheet))  # a name no cell can hold: the error
                        self._names[k] = value_cell(f"{a}{R}", int(b), name, t.sheet)
                    else:
                        append(xml.replace(R, rs))
        return "".join(out)


def _sum_of_column(expr: Expr, table: str, col: str) -> bool:
    """``expr`` is a Σ of cells of ``table``'s column ``col`` (a 合计/类/款 cell)."""
    return type(expr) is Sum and all(type(x) is Ref and x.table == table and x.col == col  # type: ignore[attr-defined]
                                     for x in expr.terms)  # type: ignore[attr-defined]


def _sum_pattern(expr: Expr, row_index: Mapping[str, int]) -> str:
    """The row's SUM text with :data:`R` for the column letter, as
    :meth:`juesuan.batch.formulas.FormulaRenderer._sum` renders it (contiguous rows as a range,
    a row the department does not have left out, none at all as ``0``)."""
    parts: list[str] = []
    first = last = -1
    for x in expr.terms:  # type: ignore[attr-defined]
        r = row_index.get(x.row)
        if r is None:
            continue
        if r == last + 1 and last >= 0:
            last = r
            continue
        if first >= 0:
            parts.append(f"{R}{first}" if first == last else f"{R}{first}:{R}{last}")
        first = last = r
    if first >= 0:
        parts.append(f"{R}{first}" if first == last else f"{R}{first}:{R}{last}")
    return f"SUM({','.join(parts)})" if parts else "0"
