"""Fill: every derived cell gets its live Excel formula AND its value, stored in the file.

The accountant types only input cells.  Fill reads them (:mod:`juesuan.locate`), computes every
derived cell from the format's declarations (:mod:`juesuan.derive`: one tree gives the formula
and the ``Decimal``), rewrites the tables (:func:`juesuan.xlsx_write.apply_book`), lints every
formula the workbook now holds (:mod:`juesuan.lint`), and saves with the values stored after the
formulas (:mod:`juesuan.cached`) so that Excel/WPS recalculate live while pandas, calamine and
the server read the right numbers.  Formulas the workbook holds besides ours get a value too,
from :mod:`juesuan.xleval`; one that cannot be computed is reported.

A derived cell the user overwrote (a typed number, pasted subtotals, another formula) gets its
formula back and is reported with the value it replaced.  Filling a filled workbook changes no
cell.  The write is atomic; a workbook Excel holds open is refused; any problem with the input is
an :class:`~juesuan.errors.InputError` raised before anything is written.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from juesuan.derive import compute, derivations
from juesuan.errors import InputError
from juesuan.expr import Address, Expr, Key
from juesuan.layout import BookLayout, TableLayout, book_layout
from juesuan.lint import CellKey, a1, lint_workbook, workbook_names
from juesuan.locate import Found, FoundBook, Grid, cell
from juesuan.model import Book
from juesuan.workbook_file import refuse_if_open, write_atomic
from juesuan.xleval import Evaluator, Unsupported, XlError, scalar_of
from juesuan.xlformula import Ref, same_formula

if TYPE_CHECKING:  # openpyxl (and numpy) only on the path that loads the workbook
    from openpyxl.workbook import Workbook


@dataclass(frozen=True)
class Replaced:
    """A derived cell that held something else: what it held, and the formula put back."""

    where: str  # sheet!A1 where the formula now is
    old: Any  # the number, text or formula text it held
    formula: str  # the formula written ("" when the whole row was removed)
    value: Decimal | None  # the formula's value

    def line(self) -> str:
        old = self.old if not isinstance(self.old, float) else format(Decimal(repr(self.old)), "f")
        if not self.formula:
            return (f"  {self.where}：原值 {old} 所在的小计行已删除（其下没有项级科目）"
                    f"（subtotal row removed: no 项 row below it; it held {old}）")
        kind = "公式 formula" if isinstance(self.old, str) and self.old.startswith("=") else "常数 constant"
        value = show(self.value) if self.value is not None else ""
        return (f"  {self.where}：原为{kind} {old}，已恢复公式 {self.formula}，值 {value}"
                f"（was {old}; formula restored, value {value}）")


def show(value: Decimal) -> str:
    """Two decimals with separators, or every decimal the value carries (元 precision)."""
    exp = value.as_tuple().exponent
    places = max(2, -exp) if isinstance(exp, int) else 2
    return f"{value:,.{places}f}"


@dataclass
class FillReport:
    """What fill did; ``text()`` is the Chinese report the CLI prints."""

    output: Path | None = None
    derived: int = 0  # derived cells written with formula and value
    other: int = 0  # other formulas of the workbook given a value
    replaced: list[Replaced] = field(default_factory=list)
    uncomputed: list[tuple[str, str]] = field(default_factory=list)  # (sheet!A1, why)
    balance: str = ""  # what 舍位平衡 did (juesuan.balance.Balanced.message), when asked
    seconds: dict[str, float] = field(default_factory=dict)  # stage → seconds (bench/fill.py)
    path: str = ""  # "patch" (the file's changed parts rewritten) or "openpyxl" (loaded and saved whole)
    fallback: str = ""  # why the patch path was not taken

    def lines(self) -> list[str]:
        out = [f"已填充 filled：{self.derived} 个派生单元格写入公式和值 (derived cells with formula and value)"
               + (f"，另有 {self.other} 个其他公式已计算值 ({self.other} other formulas computed)" if self.other else "")]
        if self.replaced:
            out.append(f"已恢复 {len(self.replaced)} 个被改写的派生单元格 "
                       f"(restored {len(self.replaced)} overwritten derived cells):")
            out += [r.line() for r in self.replaced]
        if self.uncomputed:
            out.append(f"{len(self.uncomputed)} 个公式无法计算，未存值 "
                       f"({len(self.uncomputed)} formulas could not be computed; no value stored):")
            out += [f"  {where}：{why}" for where, why in self.uncomputed]
        if self.balance:
            out.append(self.balance)
        if self.output is not None:
            out.append(f"已写出 wrote {self.output}")
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


# ── the steps ────────────────────────────────────────────────────────────────────────────
def fill_workbook(path: str | Path, output: str | Path | None = None, format_id: str | None = None,
                  balance: bool | None = None, patch: bool = True) -> FillReport:
    """Fill the workbook at ``path`` in place (atomically) or into ``output``; never both.

    Its format is recognised (:func:`juesuan.formats.detect_pack`) unless ``format_id`` names it.
    ``balance`` True prints balanced figures (舍位平衡, :mod:`juesuan.balance`), False puts the
    exact amounts back; None balances again a workbook that was balanced.  ``patch`` (the
    default) rewrites only the parts of the file that change (:func:`fill_patched`) and takes
    the openpyxl path when that cannot be done safely."""
    src = Path(path)
    dst = Path(output) if output else src
    refuse_if_open(dst)
    why = "not asked"
    if patch:
        from juesuan.fill_patch import fill_patched

        try:
            pkg, report = fill_patched(src, format_id, balance)
        except Exception as exc:  # noqa: BLE001 — any doubt: the openpyxl path decides (and words any error)
            why = f"{type(exc).__name__}: {exc}"
        else:
            pkg.write(dst)
            report.output = dst
            return report
    from juesuan.session import Session

    s = Session.workbook(src, format_id)
    assert s.found is not None and s.grids is not None
    book, note = balanced(s.book, balance)
    try:
        report, values = fill_book(s.wb, book, s.found, s.grids, write_inputs=bool(note))
    except InputError as exc:
        raise exc.at(file=str(src)) from None
    report.balance = note
    report.seconds.update(s.seconds)
    report.path, report.fallback = "openpyxl", why
    _save(s.wb, dst, values, report)
    return report


def write_filled(wb: Workbook, book: Book, found: FoundBook, output: str | Path, formulas: bool = True) -> FillReport:
    """Write ``book`` into ``wb`` (the template as found) and save it filled at ``output``.

    ``formulas=False`` (``new --no-fill``) leaves every derived cell empty: inputs only.
    """
    from juesuan.xlsx_write import apply_book

    book, note = balanced(book, None)
    if not formulas:
        exprs = derivations(book)
        layout = apply_book(wb, book, found, exprs)
        for key in exprs:
            a = layout.address(key)
            if a is not None:
                wb[a.sheet].cell(a.row, a.col).value = None
        write_atomic(output, lambda tmp: wb.save(tmp))
        return FillReport(output=Path(output), balance=note)
    report, values = fill_book(wb, book, found, None, write_inputs=True)
    report.balance = note
    _save(wb, Path(output), values, report)
    return report


def balanced(book: Book, balance: bool | None) -> tuple[Book, str]:
    """``book`` with printed (balanced) or exact inputs as asked (None: as the book asks), and
    the message to report ('' when balancing was neither asked for nor undone)."""
    from juesuan import balance as bal

    if balance is None and not bal.requested(book):
        return book, ""
    if balance is False:
        return bal.exact_book(book), ("舍位平衡已撤销：输入单元格恢复为精确数（controlled rounding undone: "
                                      "exact amounts restored）" if bal.is_balanced(book) else "")
    result = bal.balance_book(book)
    return result.book, result.message()


def fill_book(wb: Workbook, book: Book, found: FoundBook, grid: Mapping[str, Grid] | None,
              write_inputs: bool = False) -> tuple[FillReport, dict[str, dict[str, Any]]]:
    """Rewrite ``wb`` for ``book`` in memory; return the report and every formula cell's value.

    ``grid`` (the sheets as read, formulas as text) lets fill find overwritten derived cells;
    raises :class:`InputError` when a formula of the result fails the lint.
    """
    from juesuan.xlsx_write import apply_book

    report = FillReport()
    t0 = time.perf_counter()
    exprs = derivations(book)
    values = compute(book, exprs)
    t1 = time.perf_counter()
    offsets = {k: f.layout.offset for k, f in found.tables.items()}
    old = overwritten(book, found, exprs, grid, book_layout(book, offsets=offsets)) if grid is not None else []
    layout = apply_book(wb, book, found, exprs, write_inputs=write_inputs)
    t2 = time.perf_counter()
    lint = lint_workbook(wb)
    lint.raise_first()
    t3 = time.perf_counter()
    cell_values: dict[str, dict[str, Any]] = {}
    ours: dict[CellKey, Any] = {}
    for key in exprs:
        a = layout.address(key)
        if a is not None:
            ours[(a.sheet, a.row, a.col)] = values[key]
    report.derived = len(ours)
    report.replaced = [_replaced(h, exprs, values, layout) for h in old]
    others = {k: f for k, f in lint.formulas.items() if k not in ours}
    computed, report.uncomputed = evaluate_others(workbook_cells(wb), wb.sheetnames, workbook_names(wb), ours,
                                                  others)
    report.other = len(computed)
    for (sheet, r, c), v in [*ours.items(), *computed.items()]:
        cell_values.setdefault(sheet, {})[Address(sheet, r, c).a1()] = v
    report.seconds.update(derive=t1 - t0, write=t2 - t1, lint=t3 - t2, others=time.perf_counter() - t3)
    return report, cell_values


def _save(wb: Workbook, dst: Path, values: dict[str, dict[str, Any]], report: FillReport) -> None:
    from juesuan.cached import save_with_values

    stored = save_with_values(wb, dst, values)
    report.seconds.update(save=stored.seconds_save, store=stored.seconds_store)
    reported = {w for w, _ in report.uncomputed}
    report.uncomputed += [(m, "未计算出值 (no value computed)") for m in stored.missing if m not in reported]
    report.output = dst


# ── derived cells the user overwrote ─────────────────────────────────────────────────────
@dataclass(frozen=True)
class Held:
    """What a derived cell held before fill: ``key`` None for a subtotal row fill removes."""

    key: Key | None
    where: CellKey  # where it was
    held: Any
    removed_row: str = ""


def overwritten(book: Book, found: FoundBook, exprs: dict[Key, Expr], grid: Mapping[str, Grid],
                new: BookLayout) -> list[Held]:
    """Derived cells holding a constant or a formula other than ours, and subtotal rows to remove.

    A formula is compared with ours at the cells' current places, and only where neither its
    table nor a table it refers to is being rearranged (a new 项 row changes every subtotal
    formula of its table: that is fill's job, not the user's edit).  A 类/款 row with amounts but
    no 项 row below it is removed by fill (its amounts would otherwise vanish unseen).
    """
    moved = {t for t, f in found.tables.items() if _rearranged(book, f, new.tables[t])}
    out: list[Held] = []
    for key, expr in exprs.items():
        a = found.address(key)
        if a is None:
            continue
        held = cell(grid[a.sheet], a.row, a.col)
        held = getattr(held, "text", held)  # an array formula
        if held is None or (isinstance(held, str) and held.strip() == ""):
            continue
        if isinstance(held, str) and held.startswith("="):
            if key[0] in moved or any(ref[0] in moved for ref in expr.refs()):
                continue
            if same_formula(held, expr.formula(found.address, a.sheet), a.sheet):
                continue
        out.append(Held(key, (a.sheet, a.row, a.col), held))
    for f in found.tables.values():
        if f.table.kind != "code":
            continue
        keep = set(book.rows(f.table))
        for row_key, r in f.rows.items():
            if row_key in keep or len(row_key) == 7:
                continue
            for col in f.table.columns():
                c = f.layout.value_col(0, col.key)
                held = cell(grid[f.table.sheet], r, c)
                if col.kind != "text" and held not in (None, ""):
                    out.append(Held(None, (f.table.sheet, r, c), held, row_key))
    return out


def _rearranged(book: Book, f: Found, new: TableLayout) -> bool:
    if f.table.kind == "fixed":
        return False
    rows = book.rows(f.table)
    if len(f.rows) != len(rows) or any(f.rows.get(k) != new.row_index.get(k) for k in rows):
        return True
    return f.last_data_row != new.last_data_row


def _replaced(h: Held, exprs: dict[Key, Expr], values: dict[Key, Any], layout: BookLayout) -> Replaced:
    if h.key is None:
        return Replaced(f"{a1(h.where)}（{h.removed_row}）", h.held, "", None)
    a = layout.address(h.key)
    assert a is not None
    return Replaced(a1((a.sheet, a.row, a.col)), h.held, exprs[h.key].formula(layout.address, a.sheet),
                    values.get(h.key))


# ── formulas that are not ours ───────────────────────────────────────────────────────────
Lookup = Callable[[CellKey], Any]  # a non-formula cell's stored value (None, XlError or a scalar)


def workbook_cells(wb: Workbook) -> Lookup:
    """Stored values of an openpyxl workbook's cells."""
    def stored(key: CellKey) -> Any:
        c = wb[key[0]]._cells.get((key[1], key[2]))  # never create cells while reading
        if c is None:
            return None
        if c.data_type == "e":
            return XlError(str(c.value))
        return scalar_of(c.value)

    return stored


def evaluate_others(cells: Lookup, sheetnames: Iterable[str], names: Mapping[str, Ref | None],
                    ours: Mapping[CellKey, Any],
                    others: Mapping[CellKey, Any]) -> tuple[dict[CellKey, Any], list[tuple[str, str]]]:
    """Values of the workbook's other formulas (they may refer to ours); the ones we cannot compute.

    ``cells`` gives the stored value of a cell that holds no formula."""
    by_fold = {s.casefold(): s for s in sheetnames}
    done: dict[CellKey, Any] = {}
    failed: dict[CellKey, str] = {}

    def resolve(host: str, sheet: str | None) -> str:
        return host if sheet is None else by_fold[sheet.casefold()]

    def stored(key: CellKey) -> Any:
        if key in ours:
            return ours[key]
        if key in others:
            return evaluate(key)
        return cells(key)

    def evaluate(key: CellKey) -> Any:
        if key in done:
            return done[key]
        if key in failed:
            raise Unsupported(f"依赖无法计算的单元格 {a1(key)} (depends on {a1(key)})")
        host = key[0]
        ev = Evaluator(lambda sheet, r, c: stored((resolve(host, sheet), r, c)), names.get)
        try:
            v = ev.value(others[key].tree())
        except Unsupported as exc:
            failed[key] = str(exc)
            raise
        except Exception as exc:  # a tree we cannot build
            failed[key] = f"{type(exc).__name__}: {exc}"
            raise Unsupported(failed[key]) from None
        done[key] = Decimal(0) if v is None else v
        return done[key]

    problems: list[tuple[str, str]] = []
    for key in others:
        try:
            evaluate(key)
        except Unsupported as exc:
            failed.setdefault(key, str(exc))
            problems.append((a1(key), f"无法计算 cannot compute: {failed[key]}"))
    return done, problems
