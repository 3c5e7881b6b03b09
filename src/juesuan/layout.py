"""Where every cell of a book sits on its sheet, computed from the format and the book's rows.

Every sheet has the same frame: row 1 title, row 2 the 公开NN表 label, row 3 the 部门 and
金额单位 line, header rows from row 4, then (optionally) the 栏次 row, the data rows, and a 注
row.  Blocks sit side by side, each with its label columns then its value columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from juesuan.expr import Address, Key
from juesuan.model import Book
from juesuan.spec import Column, LabelColumn, Table

TITLE_ROW, LABEL_ROW, UNIT_ROW, HEADER_ROW = 1, 2, 3, 4


@dataclass
class TableLayout:
    table: Table
    header_rows: int
    row_keys: list[str]
    first_data_row: int = 0
    row_index: dict[str, int] = field(default_factory=dict)
    block_starts: list[int] = field(default_factory=list)  # first column of each block
    spare_rows: int = 0  # blank input rows after the data (template only)
    offset: int = 0  # rows a user inserted above the headers

    def __post_init__(self) -> None:
        t = self.table
        col = 1
        for b in t.blocks:
            self.block_starts.append(col)
            col += len(b.label_columns) + len(b.columns)
        self.ncols = col - 1
        self.first_data_row = self.header_row + self.header_rows + (1 if t.lineno_row else 0)
        if t.kind == "fixed":
            self.row_index = {r.key: self.first_data_row + i for b in t.blocks
                              for i, r in enumerate(b.rows) if r is not None}
        else:
            self.row_index = {k: self.first_data_row + i for i, k in enumerate(self.row_keys)}

    @property
    def header_row(self) -> int:
        return HEADER_ROW + self.offset

    @property
    def lineno_row(self) -> int | None:
        return self.header_row + self.header_rows if self.table.lineno_row else None

    @property
    def last_data_row(self) -> int:
        return self.first_data_row + len(self.row_keys) + self.spare_rows - 1

    @property
    def footnote_row(self) -> int | None:
        return self.last_data_row + 1 if self.table.footnote is not None else None

    def block_index(self, row_key: str) -> int:
        if len(self.table.blocks) == 1:
            return 0
        return self.table.blocks.index(self.table.block_of_row(row_key))

    def value_col(self, block: int, col_key: str) -> int:
        b = self.table.blocks[block]
        start = self.block_starts[block] + len(b.label_columns)
        for i, c in enumerate(b.columns):
            if c.key == col_key:
                return start + i
        raise KeyError(col_key)

    def address(self, row_key: str, col_key: str) -> Address | None:
        r = self.row_index.get(row_key)
        if r is None:
            return None
        try:
            return Address(self.table.sheet, r, self.value_col(self.block_index(row_key), col_key))
        except KeyError:
            return None

    def columns(self) -> list[tuple[int, int, LabelColumn | Column]]:
        """(block index, sheet column, column) for every printed column, left to right."""
        out = []
        for bi, b in enumerate(self.table.blocks):
            c = self.block_starts[bi]
            for item in (*b.label_columns, *b.columns):
                out.append((bi, c, item))
                c += 1
        return out


def header_depth(table: Table) -> int:
    depth = max(len(c.path) for b in table.blocks for c in (*b.label_columns, *b.columns))
    return depth + (1 if any(b.caption for b in table.blocks) else 0)


def header_paths(table: Table) -> list[tuple[str, ...]]:
    """Each printed column's header path, with the block caption on top where there is one."""
    paths = []
    for b in table.blocks:
        for c in (*b.label_columns, *b.columns):
            paths.append(((b.caption,) if b.caption else ()) + tuple(c.path))
    return paths


@dataclass(frozen=True)
class HeaderSpan:
    """One printed header label: its level (0 = top header row), first and last column index
    (0-based over the printed columns), and how many header rows it covers."""

    level: int
    first: int
    last: int
    rowspan: int
    label: str


def header_spans(table: Table) -> list[HeaderSpan]:
    """The merged header cells of a table, top to bottom, left to right.

    Adjacent columns sharing a path prefix share its label (merged across); a label with nothing
    below it reaches down to the last header row (merged down).  The workbook, the Word export and
    the reader all use this one computation.
    """
    depth = header_depth(table)
    paths = header_paths(table)
    spans = []
    for level in range(depth):
        i = 0
        while i < len(paths):
            path = paths[i]
            if level >= len(path):
                i += 1
                continue
            j = i
            while j + 1 < len(paths) and paths[j + 1][: level + 1] == path[: level + 1]:
                j += 1
            rowspan = 1 if level < len(path) - 1 else depth - level
            spans.append(HeaderSpan(level, i, j, rowspan, path[level]))
            i = j + 1
    return spans


def table_rows(book: Book, table: Table) -> list[str]:
    """The printed data rows: fixed tables by position (filler rows as ``None``), others by key."""
    if table.kind == "fixed":
        return [None if r is None else r.key for r in table.blocks[0].rows]  # type: ignore[misc]
    return book.rows(table)


def table_layout(book: Book, table: Table, spare_rows: int = 0, offset: int = 0) -> TableLayout:
    return TableLayout(table, header_depth(table), table_rows(book, table), spare_rows=spare_rows, offset=offset)


@dataclass
class BookLayout:
    tables: dict[str, TableLayout]

    def address(self, key: Key) -> Address | None:
        tl = self.tables.get(key[0])
        return None if tl is None else tl.address(key[1], key[2])


def book_layout(book: Book, spare_rows: int = 0, offsets: dict[str, int] | None = None) -> BookLayout:
    offsets = offsets or {}
    return BookLayout({t.key: table_layout(book, t, spare_rows if t.kind != "fixed" else 0, offsets.get(t.key, 0))
                       for t in book.format.tables})

