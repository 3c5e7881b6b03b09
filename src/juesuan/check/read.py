"""Reading a workbook for checking: leniently, values and formulas both, without crashing on data.

:func:`juesuan.locate.read_book` stops at the first unusable cell (text in an amount cell, a
formula error, a code row without a code).  The checker must report those and go on, so
:func:`read_lenient` reads once collecting the problems as values: an unusable value cell is
read as empty (the stored value still holds the text, so S-5 reports it), an unusable code row
is read as absent and reported (S-2), a record row missing its name gets a placeholder (S-2).  Structural
problems (a missing sheet, a changed header, rows inserted into a fixed table) stay InputErrors:
the file cannot be checked (exit status 2).

A file is read once by :mod:`juesuan.xlsx_read` (values as shown, formula text and cached
errors in one pass over the sheet XML, about 0.03 s for the reference case).  What that reader
refuses is read the old way, twice: as values (python-calamine: the numbers as shown, i.e. the
cached values of formula cells) and as formulas (openpyxl read-only), about 0.1 s each plus
openpyxl's import.  The old way is also the oracle the fast reader is tested against.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, Callable, Collection, Mapping

from juesuan.celltext import Literal
from juesuan.errors import InputError, Location
from juesuan.expr import Key
from juesuan.findings import CellRef, Finding
from juesuan.locate import MAX_COLUMNS, FoundBook, Grid, cell, read_book
from juesuan.model import Book
from juesuan.spec import Format
from juesuan.workbook_file import check_readable

Grids = Mapping[str, Grid]
MAX_PROBLEMS = 2000  # more unreadable cells than this: not a workbook to check
MAX_DENSE_CELLS = 5_000_000  # a sheet python-calamine may hold as one block (about 150 MB at most)
A1 = re.compile(r"^([A-Z]+)(\d+)$")


def load_grids(path: str | Path) -> tuple[dict[str, Grid], dict[str, Grid]]:
    """(values, formulas): every sheet as rows, once as shown and once with formula text.

    Only the first ``MAX_COLUMNS`` columns are read, and python-calamine (which holds a sheet as
    one dense block from its first to its last cell) only when every sheet is small enough: one
    value at XFD1048576 would otherwise ask it for 17 billion cells and abort the process.
    Text that starts with "=" in a string cell is a :class:`~juesuan.celltext.Literal`.
    """
    path = Path(path)
    check_readable(path)
    from juesuan import xlsx_read

    try:
        fast = xlsx_read.read(path, MAX_COLUMNS)
    except xlsx_read.Refused:  # something it does not reproduce exactly (dates, odd XML…): the old way
        return load_grids_slowly(path)
    values = _literal_text(fast[0], None)
    formulas = _literal_text(fast[1], values)
    for (sheet, r, c), v in fast[2].items():  # calamine shows a cached error (#REF!) as blank
        f = cell(formulas.get(sheet, []), r, c)
        if isinstance(f, str) and f.startswith("=") and not isinstance(f, Literal) \
                and cell(values.get(sheet, []), r, c) in (None, ""):
            _set(values[sheet], r, c, v)
    return values, formulas


def load_grids_slowly(path: Path) -> tuple[dict[str, Grid], dict[str, Grid]]:
    """:func:`load_grids` through python-calamine and openpyxl: the fallback and the test oracle."""
    try:
        values = _calamine_grids(path)
    except Exception:  # noqa: BLE001 — any reader failure (or TooLarge) falls back to openpyxl
        values = None
    if values is None:
        return _literal_text(_openpyxl_grids(path, data_only=True), None), _openpyxl_grids(path, data_only=False)
    values = _literal_text(values, None)
    formulas = _literal_text(_openpyxl_grids(path, data_only=False), values)
    blank = _blank_formula_cells(values, formulas)
    if blank:  # calamine shows a cached error (#REF!) as blank: ask openpyxl what is stored there
        cached = _openpyxl_grids(path, data_only=True)
        for sheet, r, c in blank:
            v = cell(cached.get(sheet, []), r, c)
            if v is not None:
                _set(values[sheet], r, c, v)  # type: ignore[arg-type]
    return values, formulas


def _literal_text(grids: dict[str, Grid], shown: dict[str, Grid] | None) -> dict[str, Grid]:
    """Mark text starting with "=" that is not a formula as Literal: in a values grid every such
    text (a formula shows its value there); in a formulas grid, text the values grid shows as it is."""
    for name, grid in grids.items():
        other = shown.get(name) if shown is not None else None
        for r, row in enumerate(grid):
            if not any(isinstance(v, str) and v.startswith("=") for v in row):
                continue
            new = list(row)
            for c, v in enumerate(row):
                if isinstance(v, str) and v.startswith("=") and (
                        shown is None or isinstance(lit := cell(other or [], r + 1, c + 1), Literal) and lit == v):
                    new[c] = Literal(v)
            grid[r] = new  # type: ignore[index]
    return grids


def sheet_extents(path: Path) -> dict[str, tuple[int, int]]:
    """Each worksheet part's last row and column that hold a cell, scanned from its XML text."""
    out: dict[str, tuple[int, int]] = {}
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            rows = cols = 0
            tail = b""
            with z.open(info) as f:
                while chunk := f.read(1 << 20):
                    text = tail + chunk
                    for m in _REF.finditer(text):
                        if m.group(1):
                            cols = max(cols, _col(m.group(1)))
                        rows = max(rows, int(m.group(2)))
                    tail = text[-40:]
            out[info.filename] = (rows, cols)
    return out


_REF = re.compile(rb'<(?:c|row)\b[^>]*?\sr="([A-Z]{0,3})([0-9]{1,7})"')


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _blank_formula_cells(values: dict[str, Grid], formulas: dict[str, Grid]) -> list[tuple[str, int, int]]:
    out = []
    for sheet, fgrid in formulas.items():
        vgrid = values.get(sheet)
        if vgrid is None:
            continue
        for r, row in enumerate(fgrid, 1):
            for c, f in enumerate(row, 1):
                if isinstance(f, str) and f.startswith("=") and not isinstance(f, Literal) \
                        and cell(vgrid, r, c) in (None, ""):
                    out.append((sheet, r, c))
    return out


def _calamine_grids(path: Path, choose: Callable[[list[str]], Collection[str]] | None = None) -> dict[str, Grid]:
    """Every sheet as rows of values (the first ``MAX_COLUMNS``), or the sheets ``choose(sheet
    names)`` picks.  Raises :class:`TooLarge` before python-calamine sees a sheet it would have to
    hold as a block of more than ``MAX_DENSE_CELLS`` cells (it aborts the process when memory
    runs out)."""
    from python_calamine import CalamineWorkbook

    if any(r * c > MAX_DENSE_CELLS for r, c in sheet_extents(path).values()):
        raise TooLarge(path)
    wb = CalamineWorkbook.from_path(str(path))
    out: dict[str, Grid] = {}
    chosen = None if choose is None else set(choose(list(wb.sheet_names)))
    for name in wb.sheet_names:
        if chosen is not None and name not in chosen:
            continue
        out[name] = [list(row[:MAX_COLUMNS]) for row in wb.get_sheet_by_name(name).to_python(skip_empty_area=False)]
    return out


class TooLarge(Exception):
    """A sheet's cells span too large a block for python-calamine (see :func:`_calamine_grids`)."""


def _openpyxl_grids(path: Path, data_only: bool) -> dict[str, Grid]:
    """Every sheet through openpyxl's streaming reader, the first ``MAX_COLUMNS`` columns; the
    sheets are parsed here, inside the error handling (a damaged sheet XML is an InputError)."""
    import openpyxl

    where = Location(file=str(path))
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises many kinds on damaged files
        raise InputError("工作簿已损坏或格式不受支持，无法打开", f"cannot open the workbook: {exc}", where) from None
    try:
        out: dict[str, Grid] = {}
        for ws in wb.worksheets:
            rows: list[Any] = []
            empty: tuple[Any, ...] = ()
            for row in ws.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                if row.count(None) == len(row):
                    rows.append(empty)  # one shared tuple for every blank row
                else:
                    rows.append(tuple(_formula_text(v) for v in row))
            while rows and rows[-1] is empty:
                rows.pop()
            out[ws.title] = rows
        return out
    except (InputError, NameError):  # ours, or a bug: not the file's fault
        raise
    except Exception as exc:  # noqa: BLE001 — a sheet's XML is parsed only now (lazily)
        raise InputError("工作簿中的工作表已损坏，无法读取", f"a worksheet cannot be read: {type(exc).__name__}: {exc}",
                         where) from None
    finally:
        wb.close()
def _formula_text(value: Any) -> Any:
    text = getattr(value, "text", None)  # ArrayFormula
    return text if isinstance(text, str) else value


def read_lenient(fmt: Format, grids: Grids) -> tuple[Book, FoundBook, list[Finding]]:
    """``read_book`` that reports unusable cells and rows instead of stopping at the first: one
    pass, the reader's problems as values (:func:`juesuan.locate.read_book` with ``problems``).

    An unreadable input cell is read as empty (S-5 reports it from the stored values); a code row
    the reader cannot use and an empty required column are S-2 findings here."""
    problems: list[InputError] = []
    book, found = read_book(fmt, grids, problems)
    return book, found, problem_findings(fmt, grids, problems)


def problem_findings(fmt: Format, grids: Grids, problems: list[InputError]) -> list[Finding]:
    """The reader's problems as findings (S-2 for a code row or a required text; an unreadable
    value is S-5's, reported from the stored values)."""
    from juesuan.check.common import S2

    if len(problems) > MAX_PROBLEMS:
        raise InputError("工作簿中无法读取的单元格过多", "too many unreadable cells", Location())
    findings: list[Finding] = []
    for exc in problems:
        where = _cell_of(exc)
        if where is None or exc.kind == "value":
            continue
        sheet, r, c = where
        table = fmt.table_by_sheet(sheet)
        ref = [CellRef(sheet, exc.where.cell, table.key)]
        if exc.kind == "code_row":
            findings.append(S2.at(ref, table=table.key, code=str(cell(grids[sheet], r, 1) or "").strip() or f"第{r}行",
                                  problem=_why(exc.zh)))
        else:  # required
            findings.append(S2.at(ref, table=table.key, code=f"第{r}行", problem=exc.zh + "（已按「（未命名）」校验）"))
    return findings


def _why(zh: str) -> str:
    return "：" + zh.replace("此行有数据但", "此行有数据，但").strip()


def _set(grid: list[list[Any]], r: int, c: int, value: Any) -> None:
    row = grid[r - 1]
    if len(row) < c:
        row.extend([None] * (c - len(row)))
    row[c - 1] = value


def _cell_of(exc: InputError) -> tuple[str, int, int] | None:
    w = exc.where
    if not w.sheet or not w.cell:
        return None
    m = A1.match(w.cell)
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return w.sheet, int(m.group(2)), col


def stored_and_formulas(book: Book, found: FoundBook, values: Grids, formulas: Grids | None,
                        keys: list[Key]) -> tuple[dict[Key, Any], dict[Key, str] | None]:
    """The stored value (as shown) and the formula text (if any) of each of ``keys``."""
    stored: dict[Key, Any] = {}
    texts: dict[Key, str] | None = {} if formulas is not None else None
    for key in keys:
        a = found.address(key)
        if a is None:
            continue
        grid = values.get(a.sheet)
        stored[key] = None if grid is None else cell(grid, a.row, a.col)
        if formulas is not None and texts is not None:
            fgrid = formulas.get(a.sheet)
            f = None if fgrid is None else cell(fgrid, a.row, a.col)
            if isinstance(f, str) and f.startswith("=") and not isinstance(f, Literal):
                texts[key] = f
    return stored, texts
