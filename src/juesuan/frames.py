"""Tables of many workbooks as one tidy pandas DataFrame, for analysts at the finance bureau.

::

    from juesuan.frames import frame
    df = frame(Path("out").glob("*.xlsx"), tables=["表1", "表10"])
    df.columns  → department, file, table, row, column, value
    df[df.table == "表10"].pivot_table(index="department", columns="column", values="value", aggfunc="sum")

One row per cell that holds something: every input cell and every derived cell (totals,
subtotals, 类/款 rows) as the workbook stores it — a formula's cached value, the figure a reader
of the file sees.  ``row`` and ``column`` are the model's keys (a 项 code such as ``2010301``, a
row label such as ``年初结转和结余``, a record number ``1``…; a column label such as ``基本支出``).
``value`` holds ``Decimal`` amounts (exact, 元 precision kept), ``int`` counts and ``str`` texts;
``df.value.astype(float)`` on a numeric selection gives floats.

Each workbook is read once, by python-calamine (no formula parsing); its format is recognised
from its sheets.  A file that cannot be read raises InputError naming it, unless
``errors="skip"``, which leaves it out and lists it in ``df.attrs["skipped"]``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Collection, Iterable, Iterator

from juesuan.errors import InputError, Location
from juesuan.expr import Key
from juesuan.locate import Found, is_error_text
from juesuan.model import Book
from juesuan.spec import INPUT, Table

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["department", "file", "table", "row", "column", "value"]


def read_cells(path: str | Path, tables: Iterable[str] | None = None) -> tuple[Book, list[tuple[Key, Any]]]:
    """One workbook's (book, [(key, value as stored)]) for ``tables`` (default: every table)."""
    from juesuan.check.read import _calamine_grids
    from juesuan.formats import get_pack
    from juesuan.formats.detect import TITLE_ROWS, best_match
    from juesuan.locate import read_book
    from juesuan.workbook_file import check_readable

    path = Path(path)
    check_readable(path)
    wanted = set(tables) if tables is not None else None
    picked: dict[str, Any] = {}

    def needed(fmt: Any) -> set[str]:
        """The tables to read: those asked for, and the one holding the department's name."""
        return {t.key for t in fmt.tables} if wanted is None else wanted | {get_pack(fmt.id).department[0]}

    def choose(names: list[str]) -> Collection[str]:
        """Only the sheets of the tables asked for, when the sheet names tell the format."""
        fmt = get_pack(best_match(names)).format
        sheets = {fmt.table(k).sheet for k in needed(fmt) if _has_table(fmt, k)}
        if not sheets <= set(names):
            return names  # renamed sheets: read them all and look at their titles
        picked["fmt"] = fmt
        return sheets

    try:
        grids = _calamine_grids(path, choose)
    except Exception as exc:  # noqa: BLE001 — calamine raises several kinds on damaged files
        raise InputError("工作簿已损坏或格式不受支持，无法读取", f"cannot read the workbook: {exc}",
                         Location(file=str(path))) from None
    try:
        titles = lambda: [v for g in grids.values() for row in g[:TITLE_ROWS] for v in row if isinstance(v, str)]  # noqa: E731
        fmt = picked.get("fmt") or get_pack(best_match(grids, titles)).format
        book, found = read_book(fmt, grids, only={k for k in needed(fmt) if _has_table(fmt, k)})
    except InputError as exc:
        raise exc.at(file=str(path)) from None
    out: list[tuple[Key, Any]] = []
    for table in fmt.tables:
        if wanted is None or table.key in wanted:
            out += _table_cells(book, table, found.tables[table.key], grids[table.sheet])
    return book, out


def _has_table(fmt: Any, key: str) -> bool:
    return any(t.key == key for t in fmt.tables)


def _table_cells(book: Book, table: Table, f: Found, grid: list) -> Iterator[tuple[Key, Any]]:
    """Every value cell of one table as stored: declared cells of fixed rows, every column of
    every row found (项, 类, 款, 合计, records) in code and record tables.  Input cells come from
    the book (already read and converted), derived cells from the grid (their cached values)."""
    values = book.values
    if table.kind == "fixed":
        where: dict[tuple[int, str], int] = {}
        plan = [(row.key, f.rows.get(row.key),
                 [(ck, where.get((bi, ck)) or where.setdefault((bi, ck), f.layout.value_col(bi, ck)), kind, is_input)
                  for ck, kind, is_input in cols])
                for row, bi, cols in _fixed_plan(table)]
    else:
        cols = [(c.key, f.layout.value_col(0, c.key), c.kind, c.is_input) for c in table.columns()]
        derived = [(k, c, kind, False) for k, c, kind, _ in cols]
        items = set(book.codes.get(table.key, [])) if table.kind == "code" else None  # 项 rows hold inputs
        plan = [(row_key, r, cols if items is None or row_key in items else derived) for row_key, r in f.rows.items()]
    for row_key, r, cols in plan:
        if r is None or r > len(grid):
            continue
        line = grid[r - 1]
        for col_key, c, kind, is_input in cols:
            key = (table.key, row_key, col_key)
            if is_input:
                v = values.get(key)
                if v is not None and v != "":
                    yield key, v
                continue
            raw = line[c - 1] if c <= len(line) else None
            if raw is not None and raw != "":
                yield key, _value(raw, kind)


def _fixed_plan(table: Table) -> list[tuple[Any, int, list[tuple[str, str, bool]]]]:
    """(row, its block index, [(column key, kind, is input)]) of a fixed table, built once per table."""
    plan = table.__dict__.get("_frames_plan")
    if plan is None:
        plan = []
        for bi, block in enumerate(table.blocks):
            for row in block.rows:
                if row is not None:
                    plan.append((row, bi, [(ck, table.cell_kind(row, block.column(ck)), spec is INPUT)
                                           for ck, spec in row.cells.items()]))
        object.__setattr__(table, "_frames_plan", plan)
    return plan


def _value(raw: Any, kind: str) -> Any:
    """A stored cell as the model holds it: Decimal amounts, int counts, str texts (as shown)."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, float):
        if kind == "text":
            return str(int(raw)) if raw.is_integer() else repr(raw)
        if kind == "count" and raw.is_integer():
            return int(raw)
        return Decimal(repr(raw))
    if isinstance(raw, int):
        return raw if kind == "count" else str(raw) if kind == "text" else Decimal(raw)
    if isinstance(raw, str) and kind != "text" and not is_error_text(raw):
        from juesuan.money import parse_amount

        try:
            number = parse_amount(raw)
        except ValueError:
            return raw
        return raw if number is None else (int(number) if kind == "count" else number)
    return raw if isinstance(raw, str) else str(raw)


def frame(paths: Iterable[str | Path], tables: Iterable[str] | None = None, errors: str = "raise",
          jobs: int = 1) -> "pd.DataFrame":
    """Every cell of ``tables`` (default: all) of every workbook in ``paths``, one row per cell.

    ``jobs`` > 1 reads the workbooks in that many processes (rows keep the order of ``paths``).
    """
    import pandas as pd

    paths = [Path(p) for p in paths]
    wanted = list(tables) if tables is not None else None
    work = [(p, wanted, errors) for p in paths]
    if jobs > 1 and len(paths) > jobs:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parts = list(pool.map(_one, work, chunksize=max(1, len(work) // (4 * jobs))))
    else:
        parts = [_one(w) for w in work]
    columns: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    skipped: list[str] = []
    for path, part in zip(paths, parts):
        if isinstance(part, str):
            skipped.append(part)
            continue
        dept, keys, values = part
        columns["department"] += [dept] * len(keys)
        columns["file"] += [path.name] * len(keys)
        columns["table"] += [k[0] for k in keys]
        columns["row"] += [k[1] for k in keys]
        columns["column"] += [k[2] for k in keys]
        columns["value"] += values
    df = pd.DataFrame(columns, columns=COLUMNS)
    for c in ("department", "file", "table", "column"):
        df[c] = df[c].astype("category")
    df.attrs["skipped"] = skipped
    return df


def _one(job: tuple[Path, list[str] | None, str]) -> tuple[str, list[Key], list[Any]] | str:
    """One workbook's (department, keys, values), or the message why it was skipped."""
    path, tables, errors = job
    try:
        book, cells = read_cells(path, tables)
    except InputError as exc:
        if errors != "skip":
            raise
        return exc.message
    return book.text(_department_key(book)), [k for k, _ in cells], [v for _, v in cells]


def _department_key(book: Book) -> Key:
    from juesuan.formats import get_pack

    return get_pack(book.format.id).department


__all__ = ["frame", "read_cells", "COLUMNS"]
