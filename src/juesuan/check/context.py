"""What every rule sees: the book's structure, the numbers AS STORED in the cells, the formulas,
and where each cell is.

The checker must catch what a reader of the workbook would see, so numbers come from the stored
values (a hand-typed total, or a formula's cached value), never from recomputing the inputs.
Three sources, in order of preference:

- ``stored_values`` (a workbook's cells, read as values) — every rule compares these;
- a formula cell without a cached value (a file saved by a program that does not calculate)
  gets its formula's value computed from the other stored values (reported once, F-4);
- a workbook whose derived cells are all empty, without formulas (``juesuan new --no-fill``) is
  "not filled": its derived values are computed from the inputs (reported once, F-7) rather than
  every total being reported as contradicting its parts;
- with no ``stored_values`` at all (a data file), the inputs and ``derive.compute`` — then only
  the relations that are not derivations can fail.

Example: 表5 row 2010301 stored as 基本支出 100, 项目支出 50, 小计 151 (typed):
``ctx.value(("表5", "2010301", "小计"))`` is 151, and the derivation pass compares it with 150.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from itertools import compress, groupby, repeat
from operator import eq, is_, is_not, itemgetter, ne, not_
from typing import Any, Iterable, Mapping

from juesuan import derive
from juesuan.balance import is_balanced
from juesuan.check.values import Problem, is_blank, normalize
from juesuan.expr import Address, Expr, Key, Sum
from juesuan.findings import CellRef
from juesuan.layout import book_layout
from juesuan.locate import FoundBook
from juesuan.model import Book, code_name, format_cache
from juesuan.spec import Kind, Table

ZERO = Decimal(0)
MISSING = object()
PLAIN = {Decimal, type(None)}  # stored values taken as they are (a blank, a number not a count)
NOT_KNOWN = (None, None, False)  # no entry (an expression is never None)
PARTS_LIMIT = 50_000  # expressions whose number cells are remembered (per format) before starting afresh
SINGLE_COLUMNS = {"金额", "决算数", "数值", "值"}  # the one value column of a table: not named


class Prepared:
    """What does not depend on the cell values, computed once per book and sheet layout.

    Derivations, cell kinds, addresses, the formula each derived cell should hold.  A front end
    checking the same workbook again (the ribbon after an edit, the mutation test) reuses it.
    """

    def __init__(self, book: Book, found: FoundBook | None) -> None:
        self.book = book
        self.fmt = book.format
        self.found = found
        self.sheets: Mapping[str, Any] | None = None  # every sheet's grid, when read from a workbook
        self._where = found.address if found is not None else None  # else the book's layout, when asked
        if found is not None:
            self.placed = found.has  # type: ignore[method-assign]
            fast_ref = getattr(found, "ref", None)  # the batch's FoundBook builds CellRefs itself
            if fast_ref is not None:
                self.ref = fast_ref  # type: ignore[method-assign]
        self.exprs: dict[Key, Expr] = derive.derivations(book)
        self._kinds: dict[Key, Kind] = format_cache(self.fmt, "_check_kinds")  # a cell's kind is the format's
        self._addresses: dict[Key, Address | None] = {}
        self._formulas: dict[Key, str] = {}
        self._refs: dict[Key, CellRef | None] = {}
        self._by_table: dict[str, list[Key]] | None = None
        self.input_keys: list[Key] = [k for t in self.fmt.tables for k in book.input_keys(t)]
        self.numeric_inputs: list[Key] = []
        self.numeric_derived: list[Key] = []
        self.counts: set[Key] = set()  # the number cells that hold counts (whole numbers)
        kinds, kind = self._kinds, self.kind
        for keys, numeric in ((self.input_keys, self.numeric_inputs), (self.exprs, self.numeric_derived)):
            cell_kinds = list(map(kinds.get, keys))  # (in C; the kinds not yet known, one by one)
            if None in cell_kinds:
                cell_kinds = [kd or kind(k) for k, kd in zip(keys, cell_kinds)]
            numeric += compress(keys, map(ne, cell_kinds, repeat("text")))
            self.counts.update(compress(keys, map(eq, cell_kinds, repeat("count"))))

    @cached_property
    def parts(self) -> dict[Key, list[Key]]:
        """The number cells each derived cell refers to (shared lists: do not change them)."""
        return dict(zip(self.numeric_derived, map(itemgetter(1), self._parts)))

    @cached_property
    def plain_sums(self) -> list[bool]:
        """For each of ``numeric_derived``: whether it is a Σ of number cells alone (a :class:`Sum`
        of :class:`Ref`s none of which is a text cell), its value the sum of its :attr:`parts`."""
        return list(map(itemgetter(2), self._parts))

    @cached_property
    def _parts(self) -> list[tuple[Expr, list[Key], bool]]:
        """(expression, its number cells, whether it is a plain Σ of them) of each of ``numeric_derived``."""
        kinds, kind, exprs = self._kinds, self.kind, self.exprs
        known = format_cache(self.fmt, "_check_parts")  # id(expression) → (expression, number cells, plain Σ)
        if len(known) > PARTS_LIMIT:
            known.clear()
        es = list(map(exprs.__getitem__, self.numeric_derived))
        found = list(map(known.get, map(id, es), repeat(NOT_KNOWN)))  # in C; then the new ones (the entry
        for i in compress(range(len(es)), map(is_not, map(itemgetter(0), found), es)):  # keeps its expression:
            e = es[i]  # its id stays its own)
            cells = [r for r in e.ref_keys if (kinds.get(r) or kind(r)) != "text"]
            plain = e.__class__ is Sum and e.sum_keys is not None and len(cells) == len(e.sum_keys)
            found[i] = known[id(e)] = (e, cells, plain)
        return found

    def numeric_keys_of(self, table_key: str) -> list[Key]:
        """The number cells (inputs and derived) of one table."""
        if self._by_table is None:
            self._by_table = {}
            for keys in (self.numeric_inputs, self.numeric_derived):  # each in runs of one table
                for table, run in groupby(keys, key=itemgetter(0)):
                    self._by_table.setdefault(table, []).extend(run)
        return self._by_table.get(table_key, [])

    def kind(self, key: Key) -> Kind:
        kind = self._kinds.get(key)
        if kind is None:
            kind = self._kinds[key] = _kind(self.fmt.table(key[0]), key)
        return kind

    def ref(self, key: Key) -> CellRef | None:
        """Where a finding points for the cell (None when it is not on the sheet); remembered."""
        r = self._refs.get(key, MISSING)  # (most are asked once: no KeyError raised for them)
        if r is MISSING:
            a = self.address(key)
            r = self._refs[key] = None if a is None else CellRef(a.sheet, a.a1(), key[0], key[1], key[2])
        return r  # type: ignore[return-value]

    def placed(self, key: Key) -> bool:
        """Whether the cell is on its sheet (``address(key) is not None``, without building it;
        with a FoundBook this method is replaced by its ``has``)."""
        return self.address(key) is not None

    def placed_all(self, keys: list[Key]) -> bool:
        """Whether every one of the cells is on its sheet."""
        if self.found is not None:
            return self.found.has_all(keys)
        return all(map(self.placed, keys))

    def address(self, key: Key) -> Address | None:
        a = self._addresses.get(key, MISSING)
        if a is MISSING:
            if self._where is None:
                self._where = book_layout(self.book).address
            a = self._addresses[key] = self._where(key)
        return a  # type: ignore[return-value]

    @cached_property
    def _rules(self) -> Any:
        from juesuan.formats import get_pack

        return get_pack(self.fmt.id).rules

    def rule_id(self, key: Key) -> str:
        """The rule a derived cell embodies (the pack's derived-cell patterns, ``RuleSet.rule_of``,
        which remembers its answers)."""
        return self._rules.rule_of(key)

    def expected_formula(self, key: Key) -> str:
        """The formula the format declares for a derived cell, where the cells now are."""
        f = self._formulas.get(key)
        if f is None:
            f = self._formulas[key] = self.exprs[key].formula(self.address, self.fmt.table(key[0]).sheet)
        return f


class Context:
    """The stored numbers and formulas of one check, and helpers to name and point at cells."""

    def __init__(self, book: Book | Prepared, found: FoundBook | None, stored_values: Mapping[Key, Any] | None,
                 formulas: Mapping[Key, str] | None, prior: Book | None = None) -> None:
        self.prep = book if isinstance(book, Prepared) else Prepared(book, found)
        self.book = self.prep.book
        self.fmt = self.prep.fmt
        self.found = self.prep.found
        self.exprs = self.prep.exprs
        self.input_keys = self.prep.input_keys
        self.formulas = formulas
        self.raw = stored_values
        self.values: dict[Key, Decimal | None] = {}
        self.problems: dict[Key, Problem] = {}
        self.computed: set[Key] = set()  # formula cells without a cached value: computed here
        self.unplaced: set[Key] = set()  # derived cells of rows missing from the sheet: computed here
        self.formula_states: dict[Key, str] = {}
        self._labels: dict[Key, str] = {}  # label() of each cell named so far
        self.unfilled = False  # no derived cell holds a formula or a value: never filled
        self.prior = prior  # last year's book, when known (the rules across years)
        self.recorder: Any = None  # called with (rule, left, right) for each comparison (juesuan.balance)
        self.balanced = is_balanced(self.book)  # 舍位平衡: printed figures must tie exactly (no 尾差)
        self._load()

    # ── loading ────────────────────────────────────────────────────────────────────────
    def _load(self) -> None:
        book, prep = self.book, self.prep
        if self.raw is None:
            for key in prep.numeric_inputs:
                v = book.values.get(key)
                self.values[key] = None if v is None or isinstance(v, str) else Decimal(v)
            self.values.update(derive.compute(book))  # the book's own derivations: remembered on it
            return
        values, stored, typed, counts = self.values, self.raw, book.values, prep.counts
        keys = prep.numeric_inputs
        raws = list(map(stored.get, keys, repeat(MISSING)))
        for i in compress(range(len(keys)), map(is_, raws, repeat(MISSING))):
            raws[i] = typed.get(keys[i])
        self._store_all(keys, raws)
        missing: list[Key] = []
        formulas = self.formulas
        self.unfilled = formulas is not None and bool(prep.numeric_derived) and all(
            k not in formulas and is_blank(stored.get(k)) for k in prep.numeric_derived)
        placed = prep.placed
        keys = prep.numeric_derived
        if formulas is None and prep.placed_all(keys):  # every derived cell on the sheet: nothing to compute
            self._store_all(keys, list(map(stored.get, keys)))
            return
        for key in prep.numeric_derived:
            raw = stored.get(key)
            if not placed(key) or (formulas is not None and is_blank(raw) and key in formulas) or self.unfilled:
                missing.append(key)  # no cached value, or a 类/款 row missing from the sheet: computed
            elif raw is None or (raw.__class__ is Decimal and key not in counts):
                values[key] = raw
            else:
                self._store(key, raw)
        if missing:
            self._compute_missing(missing)

    def _store_all(self, keys: list[Key], raws: list[Any]) -> None:
        """:meth:`_store` of each key, in order; blanks and plain Decimals at once (in C)."""
        self.values.update(zip(keys, raws))
        counts = self.prep.counts
        odd = set(compress(range(len(keys)), map(not_, map(PLAIN.__contains__, map(type, raws)))))
        if counts:
            odd.update(compress(range(len(keys)), map(counts.__contains__, keys)))
        for i in sorted(odd):
            if raws[i] is not None:
                self._store(keys[i], raws[i])

    def _store(self, key: Key, raw: Any) -> None:
        whole = key in self.prep.counts
        if raw is None or (raw.__class__ is Decimal and not whole):
            self.values[key] = raw
            return
        v = normalize(raw, whole=whole)
        if isinstance(v, Problem):
            self.problems[key] = v
            v = None
        self.values[key] = v

    def _compute_missing(self, keys: list[Key]) -> None:
        pending = set(keys)

        def get(key: Key) -> Any:
            if key in pending:
                pending.discard(key)
                self.values[key] = self.exprs[key].value(get)
                placed = self.prep.placed(key) and not self.unfilled
                (self.computed if placed else self.unplaced).add(key)
            return self.getter(key)

        for key in keys:
            get(key)

    # ── structure ──────────────────────────────────────────────────────────────────────
    def kind(self, key: Key) -> Kind:
        return self.prep.kind(key)

    def table(self, key: str) -> Table:
        return self.fmt.table(key)

    # ── values ─────────────────────────────────────────────────────────────────────────
    def value(self, key: Key) -> Decimal:
        """The stored number of a cell (zero when blank, unreadable or absent)."""
        v = self.values.get(key)
        return ZERO if v is None else v

    def present(self, key: Key) -> bool:
        """Whether the cell holds a number (typed or cached; a blank cell does not)."""
        return self.values.get(key) is not None

    def text(self, key: Key) -> str:
        if self.raw is not None:
            raw = self.raw.get(key)
            if isinstance(raw, str):
                return raw
            if raw is not None and not isinstance(raw, (int, float, Decimal)):
                return str(raw)
        return self.book.text(key)

    def getter(self, key: Key) -> Any:
        """For Expr.value: numbers as Decimal (blank = 0), text cells as text (SUMIF criteria)."""
        if key in self.values:
            v = self.values[key]
            return ZERO if v is None else v
        if self.prep.kind(key) == "text":
            return self.text(key)
        return ZERO

    def formula(self, key: Key) -> str | None:
        if self.formulas is None:
            return None
        return self.formulas.get(key)

    # ── where ──────────────────────────────────────────────────────────────────────────
    def address(self, key: Key) -> Address | None:
        return self.prep.address(key)

    def ref(self, key: Key) -> CellRef | None:
        return self.prep.ref(key)

    def refs(self, keys: Iterable[Key]) -> list[CellRef]:
        ref = self.prep.ref
        return list(filter(None, map(ref, dict.fromkeys(keys))))  # each key once, in order; None left out

    def row_label(self, table_key: str, row: str) -> str:
        """A row as an accountant names it: 表5「2010301 行政运行」, 绩效自评「第1行」."""
        table = self.fmt.table(table_key)
        if table.kind == "code" and row != table.total_label:
            row = f"{row} {code_name(self.book, table, row)}".strip()
        elif table.kind == "record":
            row = f"第{row}行"
        elif table.codes == "economic":
            try:
                spec = table.row(row)
            except KeyError:
                spec = None
            if spec is not None and spec.code:
                row = f"{spec.code} {spec.label}"
        elif row.startswith("支出") and row[2:].isdigit():
            row = f"{row[2:]} {self.fmt.function_codes.get(row[2:], '')}".strip()
        return f"{table.key}「{row}」"

    def label(self, key: Key) -> str:
        """A cell as an accountant names it: 表5「2010301 行政运行」基本支出, 表1「收入总计」."""
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = self._label(key)
        return label

    def _label(self, key: Key) -> str:
        table = self.fmt.table(key[0])
        if table.kind == "fixed" and len(table.fixed_rows()) == 1:  # 表10: one row of columns
            return f"{table.key}「{key[2]}」"
        col = "" if key[2] in SINGLE_COLUMNS else key[2]
        return self.row_label(key[0], key[1]) + col


def _kind(table: Table, key: Key) -> Kind:
    if table.kind != "fixed":  # a code or record table: the column's kind (the first of that key)
        kinds = table.__dict__.get("_column_kinds")
        if kinds is None:
            kinds = table.__dict__["_column_kinds"] = {}
            for b in table.blocks:
                for c in b.columns:
                    kinds.setdefault(c.key, c.kind)
        return kinds.get(key[2], "amount")  # type: ignore[no-any-return]
    col = None
    for b in table.blocks:
        for c in b.columns:
            if c.key == key[2]:
                col = c
                break
        if col:
            break
    if col is None:
        return "amount"
    if table.kind == "fixed":
        try:
            row = table.row(key[1])
        except KeyError:
            return col.kind
        block = table.block_of_row(key[1])
        try:
            col = block.column(key[2])
        except KeyError:
            pass
        return table.cell_kind(row, col)
    return col.kind

