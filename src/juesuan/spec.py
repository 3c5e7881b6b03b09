"""What a format is made of: tables, their blocks, columns and rows, declared as data.

A *format* (e.g. ``nmg-2023``) is a list of :class:`Table`.  Three kinds of table:

- ``fixed``: rows declared here (表1, 表4, 表6, 表7, 表10, 表11 and the key–value input sheets);
  a table may hold several blocks side by side (表1's 收入 | 支出), each with its own columns.
- ``code``: rows are the 支出功能分类 codes a department uses (表2, 表3, 表5, 表8, 表9, 年初预算);
  项 rows are inputs, 类/款 rows and 合计 are derived sums, created in code order.
- ``record``: a list of records (绩效自评 projects, 绩效指标 lines), keyed by position.

Every cell is addressed by (table key, row key, column key).  A cell is an *input* or is
*derived* by an :class:`~juesuan.expr.Expr`; the template builder, the reader, the filler,
the checker and the narrator all work from these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

from juesuan.expr import Expr

Kind = Literal["amount", "number", "count", "text"]
INPUT = "input"
MAX_RECORDS = 10_000  # rows of one record table (绩效自评, 绩效指标): no department has more; past it a
# data file or sheet is a mistake or hostile, and writing it would take minutes


@dataclass(frozen=True)
class Column:
    """A value column: key, header path (top to bottom), kind, and an optional per-row identity.

    ``derive`` (code and record tables) builds the derived value of this column in one row from
    a function ``col(key) -> Expr`` giving the same row's other cells.
    """

    key: str
    path: tuple[str, ...]
    kind: Kind = "amount"
    width: float = 14.0
    lineno: str | None = None  # 栏次 number printed under the header
    derive: Callable[[Callable[[str], Expr]], Expr] | None = None
    required: bool = False  # record tables: must not be empty
    optional: bool = False  # a column added after workbooks were made: a workbook without it still reads
    sum_over: tuple[str, str, str] | None = None  # (table, match column, sum column): SUMIF of another
    # record table's rows whose match column equals this row's same-named column (绩效 指标得分)

    @property
    def is_input(self) -> bool:
        """Typed by the accountant (not derived by an identity or from another table)."""
        return self.derive is None and self.sum_over is None


@dataclass(frozen=True)
class LabelColumn:
    """A printed column that is not a value: 项目 / 行次 / 科目编码 / 科目名称 / 计量单位."""

    path: tuple[str, ...]
    source: Literal["label", "lineno", "code", "unit"]
    width: float = 10.0


@dataclass(frozen=True)
class Row:
    """A declared row of a fixed table.

    ``cells`` maps column key → ``INPUT`` or an :class:`Expr` (derived); a column missing from
    ``cells`` has no cell in this row (printed blank).  ``kind`` overrides the column kind for
    key–value sheets whose rows hold different kinds of values.
    """

    key: str
    label: str
    cells: dict[str, object] = field(default_factory=dict)
    lineno: str | None = None
    code: str | None = None
    unit: str | None = None
    indent: int = 0
    kind: Kind | None = None
    bold: bool = False


@dataclass(frozen=True)
class Block:
    """Columns printed side by side with their own rows; ``rows`` may hold ``None`` as filler."""

    label_columns: tuple[LabelColumn, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row | None, ...] = ()
    caption: str | None = None  # a header spanning the whole block (收入 / 支出 / 人员经费)

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


@dataclass(frozen=True)
class Table:
    key: str
    sheet: str
    title: str
    kind: Literal["fixed", "code", "record"]
    blocks: tuple[Block, ...]
    label: str | None = None  # 公开01表
    public: bool = True
    unit_line: str | None = "金额单位：万元"
    dept_line: bool = True
    lineno_row: bool = True  # a 栏次 row under the headers
    codes: Literal["function", "economic"] | None = None
    footnote: str | None = None  # default text of the 注 row (an input)
    landscape: bool = False
    total_label: str = "合计"  # code tables: label of the total row
    description: str = ""

    @property
    def block(self) -> Block:
        return self.blocks[0]

    def columns(self) -> list[Column]:
        return [c for b in self.blocks for c in b.columns]

    def column(self, key: str) -> Column:
        for c in self.columns():
            if c.key == key:
                return c
        raise KeyError(f"{self.key}: no column {key}")

    def fixed_rows(self) -> list[Row]:
        return [r for b in self.blocks for r in b.rows if r is not None]

    def _rows_by_key(self) -> dict[str, tuple[Row, Block]]:
        """Row key → (row, its block), the first of each key; built once (checks ask thousands of times)."""
        index = self.__dict__.get("_row_index")
        if index is None:
            index = {}
            for b in self.blocks:
                for r in b.rows:
                    if r is not None:
                        index.setdefault(r.key, (r, b))
            object.__setattr__(self, "_row_index", index)
        return index

    def row(self, key: str) -> Row:
        found = self._rows_by_key().get(key)
        if found is None:
            raise KeyError(f"{self.key}: no row {key}")
        return found[0]

    def block_of_row(self, key: str) -> Block:
        found = self._rows_by_key().get(key)
        if found is None:
            raise KeyError(key)
        return found[1]

    def cell_kind(self, row: Row | None, col: Column) -> Kind:
        return (row.kind if row is not None and row.kind else None) or col.kind


@dataclass(frozen=True)
class Comparison:
    """A comparison the narrative makes (与上年/与年初预算相比) that needs a 变动原因 text."""

    key: str
    label: str


@dataclass
class Format:
    """A region-and-year format: its tables in sheet order, code lists, comparisons."""

    id: str
    name: str
    year: int
    tables: list[Table]
    function_codes: dict[str, str]
    economic_codes: dict[str, str]
    comparisons: list[Comparison] = field(default_factory=list)
    notes: str = ""

    def table(self, key: str) -> Table:
        index = self.__dict__.get("_table_index")
        if index is None or index[0] != len(self.tables):  # built once (rebuilt if tables were added)
            index = (len(self.tables), {})
            for t in self.tables:
                index[1].setdefault(t.key, t)
            self.__dict__["_table_index"] = index
        found = index[1].get(key)
        if found is None:
            raise KeyError(f"format {self.id}: no table {key}")
        return found

    def table_by_sheet(self, sheet: str) -> Table:
        for t in self.tables:
            if t.sheet == sheet:
                return t
        raise KeyError(sheet)

    @property
    def public_tables(self) -> list[Table]:
        return [t for t in self.tables if t.public]

    def codes_for(self, table: Table) -> dict[str, str]:
        return self.function_codes if table.codes == "function" else self.economic_codes
