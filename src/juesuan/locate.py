"""Reading a workbook: find each table by its headers, its rows by their keys, and its inputs.

Works on plain grids (a sheet as rows of cell values), so the same code reads a file through
openpyxl and a live book through xlwings.  Rows are located by 科目编码 or 项目 label and
columns by header, never by fixed addresses: a customised title or rows inserted above the
headers still read; a missing sheet or header, a row inserted inside a fixed table, a code row
without a code, text in an amount cell or a formula error is an :class:`InputError` naming the
sheet and cell.

Read with a ``problems`` list, the cell-level problems (an unreadable input cell, a code row the
reader cannot use, an empty required column) are collected there as values in one pass, and
reading goes on as if the cell were empty, the row absent, the required text "（未命名）"
(:data:`UNNAMED`); only problems of the sheet's structure (a missing sheet or header, a row
inserted inside a fixed table) still raise.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Collection, Mapping, Sequence

from juesuan.celltext import Literal, problem, shown
from juesuan.errors import InputError, Location
from juesuan.expr import Address, Key, column_letter
from juesuan.layout import HEADER_ROW, TableLayout, header_spans, table_layout
from juesuan.model import Book, Value
from juesuan.money import parse_amount, refusal
from juesuan.spec import INPUT, MAX_RECORDS, Format, Kind, Table

Grid = Sequence[Sequence[Any]]
UNNAMED = "（未命名）"  # a required text left empty, read leniently
ERRORS = {"#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
SPACES = re.compile(r"\s+")
MAX_COLUMNS = 100  # columns any reader takes from a sheet: no table is wider (the widest has 28)


def is_error_text(text: str) -> bool:
    """Whether a cell's text is an Excel error value (#REF!, #DIV/0!, #N/A, …)."""
    s = text.strip()
    return s in ERRORS or (s.startswith("#") and s.endswith(("!", "?")))


@dataclass
class Found:
    """Where a table's parts are on its sheet as it stands (1-based rows)."""

    table: Table
    layout: TableLayout  # header offset, and the rows as found
    first_data_row: int
    last_data_row: int  # inclusive; first − 1 when there are none
    footnote_row: int | None
    rows: dict[str, int] = field(default_factory=dict)  # row key → sheet row (codes incl. 类/款/合计)

    def address(self, row_key: str, col_key: str) -> Address | None:
        r = self.rows.get(row_key)
        if r is None:
            return None
        try:
            col = self.layout.value_col(self.layout.block_index(row_key) if self.table.kind == "fixed" else 0, col_key)
        except KeyError:
            return None
        return Address(self.table.sheet, r, col)

    def has(self, row_key: str, col_key: str) -> bool:
        """Whether the cell is on the sheet (``address`` is not None)."""
        return self.address(row_key, col_key) is not None


TextNumbers = dict[tuple[str, int, int], "Decimal | int"]


@dataclass
class FoundBook:
    tables: dict[str, Found]
    # amount cells holding a number typed or pasted as text ("1,234.5"): (sheet, row, col) → the
    # number.  Excel's SUM skips them, so a command that shows figures converts them (as fill and
    # narrate do) or refuses naming the cell (export)
    text_numbers: TextNumbers = field(default_factory=dict)

    def address(self, key: Key) -> Address | None:
        f = self.tables.get(key[0])
        return None if f is None else f.address(key[1], key[2])

    def has(self, key: Key) -> bool:
        """Whether the cell is on its sheet (``address(key) is not None``)."""
        f = self.tables.get(key[0])
        return f is not None and f.has(key[1], key[2])

    def has_all(self, keys: list[Key]) -> bool:
        """Whether every one of the cells is on its sheet."""
        return all(map(self.has, keys))


def norm(value: Any) -> str:
    return "" if value is None else SPACES.sub("", str(value))


def cell(grid: Grid, r: int, c: int) -> Any:
    """1-based access that tolerates ragged grids."""
    if r - 1 < len(grid):
        row = grid[r - 1]
        if c - 1 < len(row):
            return row[c - 1]
    return None


def _where(table: Table, r: int, c: int) -> Location:
    return Location(sheet=table.sheet, cell=f"{column_letter(c)}{r}")


class Problems(list):  # type: ignore[type-arg]
    """Cell-level problems met while reading (InputErrors of kind value, code_row, required)."""

    def keep(self, exc: InputError) -> None:
        if exc.kind not in ("value", "code_row", "required"):
            raise exc
        self.append(exc)


def read_book(fmt: Format, sheets: Mapping[str, Grid], problems: list[InputError] | None = None,
              only: Collection[str] | None = None) -> tuple[Book, FoundBook]:
    """The inputs of every table (or of the tables ``only`` names), and where everything was found;
    with ``problems``, cell-level problems are collected there instead of raised (see the module
    docstring)."""
    lenient = Problems() if problems is not None else None
    try:
        return _read_book(fmt, sheets, lenient, only)
    finally:
        if problems is not None and lenient is not None:
            problems.extend(lenient)


def _value(table: Table, kind: Kind, value: Any, r: int, c: int, problems: Problems | None,
           texts: TextNumbers) -> Value:
    """:func:`read_value`, remembering an amount typed as text (see FoundBook.text_numbers)."""
    try:
        out = read_value(table, kind, value, r, c)
    except InputError as exc:
        if problems is None:
            raise
        problems.keep(exc)
        return None
    if isinstance(value, str) and isinstance(out, (Decimal, int)):
        texts[(table.sheet, r, c)] = out
    return out


def _read_book(fmt: Format, sheets: Mapping[str, Grid], problems: Problems | None,
               only: Collection[str] | None) -> tuple[Book, FoundBook]:
    book = Book(fmt)
    found: dict[str, Found] = {}
    texts: TextNumbers = {}
    for table in fmt.tables:
        if only is not None and table.key not in only:
            continue
        grid = sheets.get(table.sheet)
        if grid is None:
            raise InputError(f"缺少工作表「{table.sheet}」（被删除或改名？现有：{'、'.join(sheets)}）",
                             f"sheet {table.sheet!r} is missing (deleted or renamed?)", Location(sheet=table.sheet))
        offset = _find_header(table, grid)
        if table.kind == "fixed":
            found[table.key] = _read_fixed(book, table, grid, offset, problems, texts)
        elif table.kind == "code":
            found[table.key] = _read_code(book, table, grid, offset, problems, texts)
        else:
            found[table.key] = _read_records(book, table, grid, offset, problems, texts)
    if NOTES_SHEET in sheets:
        book.notes = read_notes(sheets[NOTES_SHEET])
    return book, FoundBook(found, texts)


NOTES_SHEET = "数据文件说明"  # hidden sheet keeping a data file's free-form notes on round trip


def read_notes(grid: Grid) -> dict:
    """The notes JSON kept in column A of the hidden notes sheet (split into ≤30,000-char cells)."""
    text = "".join(str(r[0]) for r in grid[1:] if r and r[0] is not None)
    if not text:
        return {}
    try:
        notes = json.loads(text)
    except ValueError:
        raise InputError("隐藏工作表中的数据文件说明已损坏", "the hidden notes sheet is damaged",
                         Location(sheet=NOTES_SHEET, cell="A2")) from None
    return notes if isinstance(notes, dict) else {}


def _expected_headers(table: Table) -> list[tuple[int, int, str]]:
    """(level, 1-based column, label) of the top-left cell of every header label; the labels of
    optional columns (added later, at the right) are not required."""
    optional = {c.path[-1] for c in table.columns() if getattr(c, "optional", False)}
    return [(span.level, span.first + 1, span.label) for span in header_spans(table) if span.label not in optional]


def _find_header(table: Table, grid: Grid) -> int:
    """Rows inserted above the header (0 when it is where the template has it)."""
    expected = _expected_headers(table)
    top = [(c, label) for level, c, label in expected if level == 0]
    best: tuple[int, int] = (-1, 0)
    for r in range(1, min(len(grid), 40) + 1):
        hits = sum(1 for c, label in top if norm(cell(grid, r, c)) == norm(label))
        if hits > best[1]:
            best = (r, hits)
        if hits == len(top):
            offset = r - HEADER_ROW
            for level, c, label in expected:
                if norm(cell(grid, r + level, c)) != norm(label):
                    raise InputError(f"表头缺失或被修改：应为「{label}」，实为「{cell(grid, r + level, c) or ''}」",
                                     f"missing or changed header: expected {label!r}", _where(table, r + level, c))
            return offset
    r = best[0] if best[0] > 0 else HEADER_ROW
    for c, label in top:
        if norm(cell(grid, r, c)) != norm(label):
            raise InputError(f"找不到表头「{label}」（表头缺失或被修改？）", f"header {label!r} not found",
                             _where(table, r, c))
    raise InputError("找不到表头", "header not found", Location(sheet=table.sheet))


def read_value(table: Table, kind: Kind, value: Any, r: int, c: int) -> Value:
    """A cell's input value, or an InputError naming the cell."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if isinstance(value, float) and kind == "amount":  # the common case, kept fast (a batch reads 10⁵ cells)
        try:
            number = parse_amount(value)
            if number is not None and number >= 0:
                return number
        except ValueError:
            pass  # reported below, naming the cell
    where = _where(table, r, c)
    if isinstance(value, str):
        s = value.strip()
        if is_error_text(s):
            raise InputError(f"输入单元格是公式错误 {shown(s)}", f"the input cell holds a formula error {shown(s)}", where,
                             kind="value")
        if value.startswith("=") and not isinstance(value, Literal):  # a formula starts with "=" itself: "\t=…" is text
            raise InputError(f"输入单元格应填数值或文字，不应是公式「{shown(s)}」", f"an input cell holds a formula {shown(s)!r}",
                             where, kind="value")
    if kind == "text":
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, (dt.datetime, dt.date)):
            return f"{value.year}年{value.month}月{value.day}日"
        text = str(value)
        why = problem(text)
        if why is not None:
            raise InputError(why[0], why[1], where, kind="value")
        return text
    if isinstance(value, bool) or isinstance(value, (dt.datetime, dt.date)):
        raise InputError(f"此处应为数字，却是「{shown(value)}」", f"a number is expected, got {shown(value)!r}", where,
                         kind="value")
    try:
        number = parse_amount(value)
    except ValueError:
        if isinstance(value, str):
            raise InputError(f"金额单元格中有文字「{shown(value)}」", f"text {shown(value)!r} in an amount cell", where,
                             kind="value") from None
        raise InputError(*refusal(value), where, kind="value") from None
    if number is None:
        return None
    if number < 0:  # one rule with data files: check reports it (S-4), nothing else takes it
        raise InputError(f"金额或数量不能为负数：{shown(value)}", f"must not be negative: {shown(value)}", where,
                         kind="value")
    if kind == "count":
        if number != number.to_integral_value():
            raise InputError(f"此处应为整数，却是 {shown(value)}", f"a whole number is expected, got {shown(value)}",
                             where, kind="value")
        return int(number)
    return number


def _footnote_at(grid: Grid, r: int) -> str | None:
    text = cell(grid, r, 1)
    if isinstance(text, str) and text.strip().startswith("注"):
        return text
    return None


def _read_fixed(book: Book, table: Table, grid: Grid, offset: int, problems: Problems | None = None,
               texts: TextNumbers | None = None) -> Found:
    texts = {} if texts is None else texts
    tl = table_layout(book, table, offset=offset)
    nrows = len(table.blocks[0].rows)
    for i in range(nrows):
        r = tl.first_data_row + i
        for bi, block in enumerate(table.blocks):
            row = block.rows[i]
            label_col = _label_col(tl, bi)
            found_label = cell(grid, r, label_col) if label_col else None
            if label_col and norm(found_label) != norm(row.label if row else None):
                expect = row.label if row else "（空行）"
                raise InputError(f"此行应为「{expect}」，实为「{found_label or ''}」（表内插入或删除了行？）",
                                 f"expected row {expect!r}, found {found_label!r} (rows inserted or deleted?)",
                                 _where(table, r, label_col))
            if row is None:
                continue
            for ck, spec in row.cells.items():
                if spec is INPUT:
                    c = tl.value_col(bi, ck)
                    v = _value(table, table.cell_kind(row, block.column(ck)), cell(grid, r, c), r, c, problems, texts)
                    book.values[(table.key, row.key, ck)] = v
    last = tl.first_data_row + nrows - 1
    foot = last + 1 if _footnote_at(grid, last + 1) else None
    if foot:
        _keep_footnote(book, table, cell(grid, foot, 1))
    return Found(table, tl, tl.first_data_row, last, foot, dict(tl.row_index))


def _label_col(tl: TableLayout, bi: int) -> int | None:
    b = tl.table.blocks[bi]
    for i, lc in enumerate(b.label_columns):
        if lc.source == "label":
            return tl.block_starts[bi] + i
    return None


def strip_note(text: str) -> str:
    """The 注 text without its ``注：`` lead, as data files hold it."""
    t = text.strip()
    for lead in ("注：", "注:", "注"):
        if t.startswith(lead):
            return t[len(lead):].strip()
    return t


def _keep_footnote(book: Book, table: Table, text: str) -> None:
    text = strip_note(text)
    if text != (table.footnote or ""):
        book.footnotes[table.key] = text


def _data_end(grid: Grid, first: int) -> tuple[int, int | None]:
    """Last data row (inclusive) and the 注 row, scanning down from ``first``."""
    last_nonblank = first - 1
    for r in range(first, len(grid) + 1):
        if _footnote_at(grid, r):
            return r - 1, r
        if any(v is not None and str(v).strip() != "" for v in grid[r - 1]):
            last_nonblank = r
    return max(last_nonblank, first - 1), None


def _code_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _read_code(book: Book, table: Table, grid: Grid, offset: int, problems: Problems | None = None,
               texts: TextNumbers | None = None) -> Found:
    texts = {} if texts is None else texts
    tl = table_layout(book, table, offset=offset)
    first = tl.first_data_row
    last, foot = _data_end(grid, first)
    code_col, name_col = 1, 2
    ncols = len(table.block.label_columns) + len(table.block.columns)
    rows: dict[str, int] = {}
    items: list[str] = []
    dropped = False
    for r in range(first, last + 1):
        values = grid[r - 1][:ncols]
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        code = _code_text(cell(grid, r, code_col))
        name = cell(grid, r, name_col)
        if code == table.total_label or norm(name) == table.total_label:
            rows[table.total_label] = r
            continue
        bad = _bad_code(table, code, rows, r, code_col)
        if bad is not None:
            if problems is None:
                raise bad
            problems.keep(bad)
            dropped = True  # the row is read as absent
            continue
        rows[code] = r
        if name is not None:
            book.names[(table.key, code)] = str(name).strip()
        if len(code) != 7:
            continue
        items.append(code)
        for i, col in enumerate(table.block.columns):
            if col.is_input:
                c = len(table.block.label_columns) + i + 1
                book.values[(table.key, code, col.key)] = _value(table, col.kind, cell(grid, r, c), r, c, problems, texts)
    book.codes[table.key] = sorted(items)
    if dropped:  # the data end where the last row read is (rows read as absent are blank)
        last = max(rows.values(), default=first - 1)
    if foot:
        _keep_footnote(book, table, cell(grid, foot, 1))
    return Found(table, tl, first, last, foot, rows)


def _bad_code(table: Table, code: str, rows: dict[str, int], r: int, code_col: int) -> InputError | None:
    """Why a code row cannot be used (no code, not 3/5/7 digits, a duplicate), or None."""
    if code == "":
        return InputError("此行有数据但缺少科目编码", "a row with data but no 科目编码 (code)", _where(table, r, code_col),
                          kind="code_row")
    if not (code.isascii() and code.isdigit() and len(code) in (3, 5, 7)):
        return InputError(f"科目编码「{code}」应为3位（类）、5位（款）或7位（项）数字",
                          f"code {code!r} must have 3, 5 or 7 digits", _where(table, r, code_col), kind="code_row")
    if code in rows:
        return InputError(f"科目编码「{code}」重复（又见第 {rows[code]} 行）", f"duplicate code {code!r}",
                          _where(table, r, code_col), kind="code_row")
    return None


def _read_records(book: Book, table: Table, grid: Grid, offset: int, problems: Problems | None = None,
               texts: TextNumbers | None = None) -> Found:
    texts = {} if texts is None else texts
    tl = table_layout(book, table, offset=offset)
    first = tl.first_data_row
    last, foot = _data_end(grid, first)
    cols = table.block.columns
    n = 0
    rows: dict[str, int] = {}
    for r in range(first, last + 1):
        values = [cell(grid, r, c) for c in range(1, len(cols) + 1)]
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        n += 1
        if n > MAX_RECORDS:
            from juesuan.data_file import too_many_records

            raise too_many_records(table, _where(table, r, 1))
        rows[str(n)] = r
        for i, col in enumerate(cols):
            if col.is_input:
                book.values[(table.key, str(n), col.key)] = _value(table, col.kind, values[i], r, i + 1, problems, texts)
        for col in cols:
            if col.required and not book.values.get((table.key, str(n), col.key)):
                c = [x.key for x in cols].index(col.key) + 1
                missing = InputError(f"缺少必填栏「{col.key}」", f"required column {col.key!r} is empty",
                                     _where(table, r, c), kind="required")
                if problems is None:
                    raise missing
                problems.keep(missing)
                book.values[(table.key, str(n), col.key)] = UNNAMED
    book.records[table.key] = n
    return Found(table, tl, first, last, foot, rows)
