"""校验: every table checked against every other, with findings that point at cells.

The API for every front end (CLI, ribbon, batch)::

    check_book(book, found, stored_values, formulas) -> list[Finding]   # model + grids, no openpyxl
    check_grids(fmt, values, formulas) -> list[Finding]                 # sheets as rows (xlwings, calamine)
    check_file(path) -> list[Finding]                                   # an .xlsx file

``stored_values`` are the cells as stored/shown ({(table, row, column): raw value}: a typed
number, a formula's cached value, text, an error string); ``formulas`` the formula text of the
cells that hold one (``None``: unknown, so no formula checks).  Rules run on the stored values,
never on a recomputation, so a hand-typed workbook and a filled one are judged alike.  Checking
never raises on data problems; only a file that cannot be read at all raises InputError.

The rules are the format pack's (``formats/<id>/rules.py``: a :class:`~juesuan.check.registry.RuleSet`);
the checker imports no format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from juesuan.check import acknowledge, echo, relations
from juesuan.check.context import Context, Prepared
from juesuan.check.read import Grids, load_grids, read_lenient, stored_and_formulas
from juesuan.check.registry import RuleSet
from juesuan.errors import FormatError, InputError, Location
from juesuan.expr import Key
from juesuan.findings import Finding, Severity
from juesuan.formats import detect_pack, get_pack
from juesuan.locate import FoundBook
from juesuan.model import Book
from juesuan.spec import Format

SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def check_book(book: Book | Prepared, found: FoundBook | None = None,
               stored_values: Mapping[Key, Any] | None = None, formulas: Mapping[Key, str] | None = None,
               explanations: Mapping[str, str] | None = None, prior: Book | None = None) -> list[Finding]:
    """Every rule of the book's format on the stored values; sorted: errors first, rule order.

    ``book`` may be a :class:`Prepared` (``prepare(book, found)``) to check the same workbook
    again quickly.  ``explanations`` (identity → 出错说明, see
    :mod:`~juesuan.check.acknowledge`) mark warnings and infos as acknowledged.  ``prior`` (last
    year's book) turns on the rules across the two years (X25, X26-1).
    """
    fmt = book.fmt if isinstance(book, Prepared) else book.format
    rules = rules_of(fmt)
    ctx = Context(book, found, stored_values, formulas, prior=prior)
    findings = list(relations.run(ctx, rules))
    for rule in rules.list:
        if rule.run is not None:
            findings.extend(rule.run(ctx, rule))
    echo.demote_echoes(findings)
    findings = sort_findings(ctx, findings, rules)
    if explanations:
        acknowledge.apply(findings, dict(explanations))
    return findings


def prepare(book: Book, found: FoundBook | None = None) -> Prepared:
    """The value-independent part of checking ``book`` (reuse it for repeated checks)."""
    return Prepared(book, found)


def rules_of(fmt: Format) -> RuleSet:
    """The check rules of ``fmt``'s pack; a format without rules is an InputError."""
    try:
        return get_pack(fmt.id).rules
    except FormatError:
        raise InputError(f"格式「{fmt.id}」没有校验规则", f"no check rules for format {fmt.id}", Location()) from None


def sort_findings(ctx: Context, findings: list[Finding], rules: RuleSet | None = None) -> list[Finding]:
    order = (rules or rules_of(ctx.fmt)).order
    sheets = {t.sheet: i for i, t in enumerate(ctx.fmt.tables)}

    def key(f: Finding) -> tuple:  # type: ignore[type-arg]
        first = f.cells[0] if f.cells else None
        where = (sheets.get(first.sheet, 99), _row_col(first.cell)) if first else (99, (0, 0))
        return (SEVERITY_RANK[f.severity], order.get(f.rule, 999), where)

    return sorted(findings, key=key)


def _row_col(a1: str | None) -> tuple[int, int]:
    if not a1:
        return (0, 0)
    letters = "".join(ch for ch in a1 if ch.isalpha())
    digits = "".join(ch for ch in a1 if ch.isdigit())
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return (int(digits or 0), col)


def check_grids(fmt: Format, values: Grids, formulas: Grids | None = None, prior: Book | None = None) -> list[Finding]:
    """Check sheets given as rows of values (and, when known, of formula text)."""
    book, found, read_findings = read_lenient(fmt, values)
    return check_read(book, found, read_findings, values, formulas, prior)


def check_read(book: Book, found: FoundBook, read_findings: list[Finding], values: Grids,
               formulas: Grids | None = None, prior: Book | None = None) -> list[Finding]:
    """Check a book already read (leniently) from ``values``: the reader's findings first."""
    prep = Prepared(book, found)
    prep.sheets = values  # the narrative sheet as printed (check.narrative_sheet)
    stored, texts = stored_and_formulas(book, found, values, formulas, [*prep.input_keys, *prep.exprs])
    explanations = acknowledge.read(values.get(acknowledge.SHEET))
    findings = check_book(prep, None, stored, texts, prior=prior)
    out = read_findings + findings
    acknowledge.apply(out, explanations)
    return out


def cell_keys(book: Book) -> list[Key]:
    """Every input and derived cell of a book (what ``stored_values`` may hold)."""
    from juesuan.derive import derivations

    keys = [k for t in book.format.tables for k in book.input_keys(t)]
    return keys + list(derivations(book))


def check_file(path: str | Path, format_id: str | None = None, prior: Book | None = None) -> list[Finding]:
    """Check an .xlsx file (its format recognised, or ``format_id``); InputError (exit status 2)
    only when it cannot be read at all.  ``prior``: last year's book (the rules across years)."""
    try:
        values, formulas = load_grids(path)
        return check_grids(detect_pack(path, format_id).format, values, formulas, prior=prior)
    except InputError as exc:
        raise exc.at(file=str(path)) from None


__all__ = ["check_book", "check_file", "check_grids", "check_read", "cell_keys", "prepare", "Prepared", "Finding", "rules_of"]
