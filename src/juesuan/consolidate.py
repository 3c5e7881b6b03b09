"""汇总: a department's inputs from its units' (本级 and 所属单位), table by table.

What each kind of table gets, from the format declaration alone:

- ``fixed`` tables: every amount and count input cell is the sum of the units' cells (a cell no
  unit filled stays empty); texts are the first unit's in the *head* tables (单位信息, 部门概况:
  the first unit is the department's 本级) and elsewhere the units' distinct texts joined by「；」;
- ``code`` tables: the union of the units' 项 codes, each amount summed over the units that use
  it (texts such as 年初预算's 差异原因 joined as above);
- ``record`` tables (绩效自评, 绩效指标): the units' records one after another.

部门概况「决算单位构成」lists the units.  Every unit must have the same format and the same 年度.

Internal flows (上级补助收入 ↔ 对附属单位补助支出, 附属单位上缴收入 ↔ 上缴上级支出) are
eliminated as 部门决算 does: the department's summary is the 叠加汇总 of its units less the
经费差额 the 主管部门 states for flows between units inside the summary (see
docs/consolidate.md for the source and its uncertainty).  :class:`Elimination` holds those
amounts by (table, 项 code, column); ``all_internal`` eliminates every such flow when the two
sides agree.  Each pair must balance (what one unit paid another unit received), so 表1 still
balances after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from juesuan.errors import InputError, Location
from juesuan.expr import Key
from juesuan.model import Book
from juesuan.roles import Roles, roles_for, year_of
from juesuan.spec import INPUT, Table

JOIN = "；"


@dataclass
class Unit:
    """One unit to consolidate: its inputs and where they came from (for messages)."""

    book: Book
    source: str

    @property
    def name(self) -> str:
        from juesuan.roles import find_roles

        roles = find_roles(self.book.format.id)
        return (roles and self.book.text(roles.name).strip()) or Path(self.source).stem


@dataclass
class Elimination:
    """经费差额: amounts to take out of the sum, by (table, 项 code, column) of a code table."""

    cells: dict[Key, Decimal] = field(default_factory=dict)
    source: str = ""

    def total(self, table: str, column: str) -> Decimal:
        return sum((v for (t, _, c), v in self.cells.items() if (t, c) == (table, column)), Decimal(0))


def consolidate(units: list[Unit], name: str | None = None) -> Book:
    """The department's inputs: the units summed (no elimination yet; see :func:`eliminate`)."""
    if not units:
        raise InputError("没有要汇总的单位", "no units to consolidate")
    fmt = units[0].book.format
    roles = comparable(units)
    out = Book(fmt)
    for table in fmt.tables:
        if table.kind == "record":
            _records(out, table, units)
        elif table.kind == "code":
            _code_rows(out, table, units)
        else:
            _fixed(out, table, units, head=table.key in roles.head_tables)
    for unit in units:
        for (t, code), text in unit.book.names.items():
            out.names.setdefault((t, code), text)
    out.footnotes = _footnotes(out, units)
    if name:
        out.values[roles.name] = name
    out.values[roles.units] = units_text(units)
    out.notes = {"汇总": [f"{u.name}（{Path(u.source).name}）" for u in units]}
    return out


def comparable(units: list[Unit]) -> Roles:
    """Refuse units of different formats or years (InputError naming both); their roles."""
    _same_format(units)
    roles = roles_for(units[0].book.format)
    _same_year(units, roles)
    return roles


def units_text(units: list[Unit]) -> str:
    """部门概况「决算单位构成」of a consolidated department."""
    names = "、".join(u.name for u in units)
    return f"纳入本部门决算汇总范围的单位共{len(units)}个，包括：{names}。"


def _same_format(units: list[Unit]) -> None:
    first = units[0]
    for u in units[1:]:
        if u.book.format.id != first.book.format.id:
            raise InputError(f"单位格式不同：「{first.name}」为 {first.book.format.id}，「{u.name}」为 {u.book.format.id}，不能汇总",
                             f"units of different formats ({first.book.format.id}, {u.book.format.id}) cannot be "
                             "consolidated", Location(file=u.source))


def _same_year(units: list[Unit], roles: Roles) -> None:
    years = [(u, year_of(u.book.text(roles.year))) for u in units]
    known = [(u, y) for u, y in years if y is not None]
    for u, y in known[1:]:
        if y != known[0][1]:
            u0, y0 = known[0]
            raise InputError(f"单位年度不同：「{u0.name}」为 {y0} 年度，「{u.name}」为 {y} 年度，不能汇总",
                             f"units of different years ({y0}, {y}) cannot be consolidated",
                             Location(file=u.source, sheet=roles.year[0], key=roles.year[1]))


def _join(texts: Iterable[Any]) -> str | None:
    seen: list[str] = []
    for t in texts:
        s = "" if t is None else str(t).strip()
        if s and s not in seen:
            seen.append(s)
    return JOIN.join(seen) if seen else None


def _combine(values: list[Any], kind: str, head: bool) -> Any:
    present = [v for v in values if v is not None and v != ""]
    if not present:
        return None
    if kind == "text":
        return (str(present[0]) if head else _join(present))
    if kind == "count":
        return sum(int(v) for v in present)
    return sum((Decimal(v) for v in present), Decimal(0))


def _fixed(out: Book, table: Table, units: list[Unit], head: bool) -> None:
    for row in table.fixed_rows():
        for col_key, spec in row.cells.items():
            if spec is not INPUT:
                continue
            key = (table.key, row.key, col_key)
            kind = table.cell_kind(row, table.block_of_row(row.key).column(col_key))
            head_text = head and kind == "text"
            value = _combine([u.book.values.get(key) for u in (units[:1] if head_text else units)], kind, head)
            if value is not None:
                out.values[key] = value


def _code_rows(out: Book, table: Table, units: list[Unit]) -> None:
    codes = sorted({c for u in units for c in u.book.codes.get(table.key, [])})
    if any(table.key in u.book.codes for u in units):
        out.codes[table.key] = codes
    for code in codes:
        for col in table.columns():
            if not col.is_input:
                continue
            key = (table.key, code, col.key)
            value = _combine([u.book.values.get(key) for u in units], col.kind, head=False)
            if value is not None:
                out.values[key] = value


def _records(out: Book, table: Table, units: list[Unit]) -> None:
    n = 0
    for u in units:
        for i in range(u.book.records.get(table.key, 0)):
            n += 1
            for col in table.columns():
                if col.is_input:
                    v = u.book.values.get((table.key, str(i + 1), col.key))
                    if v is not None:
                        out.values[(table.key, str(n), col.key)] = v
    if n:
        out.records[table.key] = n


def _has_data(book: Book, table: Table) -> bool:
    return any(book.values.get(k) not in (None, "", 0) for k in book.input_keys(table))


def _footnotes(out: Book, units: list[Unit]) -> dict[str, str]:
    """A 注 all units share stays; an empty table keeps the first unit's (本单位 → 本部门)."""
    notes: dict[str, str] = {}
    for table in out.format.tables:
        texts = [u.book.footnotes.get(table.key) for u in units]
        if all(t is not None for t in texts) and len(set(texts)) == 1:
            notes[table.key] = texts[0]  # type: ignore[assignment]
        elif not _has_data(out, table):
            first = next((t for t in texts if t), None)
            if first:
                notes[table.key] = first.replace("本单位", "本部门")
    return notes


# ── 经费差额: internal flows ─────────────────────────────────────────────────────────────
def internal_totals(book: Book) -> list[tuple[tuple[str, str], Decimal, tuple[str, str], Decimal]]:
    """Each internal pair with the book's totals: (income (table, column), Σ, expenditure, Σ)."""
    out = []
    for income, spend in roles_for(book.format).internal:
        out.append((income, _column_total(book, *income), spend, _column_total(book, *spend)))
    return out


def _column_total(book: Book, table: str, column: str) -> Decimal:
    return sum((book.amount((table, c, column)) for c in book.codes.get(table, [])), Decimal(0))


def all_internal(book: Book) -> Elimination:
    """Every internal flow of the summed book, for units that trade only with each other."""
    elim = Elimination(source="--eliminate all")
    for (t_in, c_in), s_in, (t_out, c_out), s_out in internal_totals(book):
        if s_in != s_out:
            raise InputError(
                f"单位间往来不平，不能全部抵消：{t_in}「{c_in}」合计 {s_in}，{t_out}「{c_out}」合计 {s_out}。"
                "请用 --eliminate 经费差额.json 给出单位之间的金额",
                f"internal flows do not match ({c_in} {s_in} vs {c_out} {s_out}); give the amounts between units "
                "in a file with --eliminate")
        for table, column in ((t_in, c_in), (t_out, c_out)):
            for code in book.codes.get(table, []):
                v = book.amount((table, code, column))
                if v:
                    elim.cells[(table, code, column)] = v
    return elim


def read_elimination(path: str | Path, book: Book) -> Elimination:
    """经费差额 file: ``{"表2": {"2050101": {"上级补助收入": 10}}, "表3": {…: {"对附属单位补助支出": 10}}}``;
    any InputError names the file."""
    try:
        return _read_elimination(path, book)
    except InputError as exc:
        raise exc.at(file=str(path)) from None


def _read_elimination(path: str | Path, book: Book) -> Elimination:
    from juesuan.data_file import check_code, convert, parse_json

    try:
        data = parse_json(Path(path).read_text(encoding="utf-8-sig"), what=("经费差额文件", "the elimination file"))
    except FileNotFoundError:
        raise InputError("找不到经费差额文件", "elimination file not found", Location(file=str(path))) from None
    except (ValueError, OSError) as exc:
        raise InputError("经费差额文件不是有效的 JSON", f"the elimination file is not valid JSON: {exc}",
                         Location(file=str(path))) from None
    allowed = {p for pair in roles_for(book.format).internal for p in pair}
    elim = Elimination(source=str(path))
    codes = {**book.format.function_codes, **{c: n for (t, c), n in book.names.items() if t == "科目名称"}}
    if not isinstance(data, dict):
        raise InputError("经费差额文件的顶层须为对象", "the top level must be an object", Location(file=str(path)))
    for table, rows in data.items():
        if not isinstance(rows, dict):
            raise InputError("须为对象", "must be an object", Location(file=str(path), key=table))
        for code, cells in rows.items():
            check_code(code, codes, f"{table}/{code}")
            if not isinstance(cells, dict):
                raise InputError("须为对象", "must be an object", Location(file=str(path), key=f"{table}/{code}"))
            for column, value in cells.items():
                where = f"{table}/{code}/{column}"
                if (table, column) not in allowed:
                    raise InputError(f"「{where}」不是单位间往来的栏（只能抵消{_allowed_text(allowed)}）",
                                     f"{where} is not an internal-flow column", Location(file=str(path), key=where))
                amount = convert(value, "amount", where)
                if amount:
                    elim.cells[(table, code, column)] = Decimal(amount)  # type: ignore[arg-type]
    return elim


def _allowed_text(allowed: set[tuple[str, str]]) -> str:
    return "、".join(f"{t}「{c}」" for t, c in sorted(allowed))


def eliminate(book: Book, elim: Elimination) -> list[str]:
    """Take ``elim`` out of ``book`` (in place); returns one line per pair for the report."""
    where = Location(file=elim.source)
    for (table, code, column), v in elim.cells.items():
        have = book.amount((table, code, column))
        if v > have:
            raise InputError(f"抵消额 {v} 大于各单位 {table} {code}「{column}」之和 {have}",
                             f"elimination {v} exceeds the units' {table} {code} {column} ({have})",
                             Location(file=elim.source, key=f"{table}/{code}/{column}"))
    lines = []
    for (t_in, c_in), (t_out, c_out) in roles_for(book.format).internal:
        a, b = elim.total(t_in, c_in), elim.total(t_out, c_out)
        if a != b:
            raise InputError(f"抵消不平：{t_in}「{c_in}」抵消 {a}，{t_out}「{c_out}」抵消 {b}，两者应相等",
                             f"eliminations of {c_in} ({a}) and {c_out} ({b}) must be equal", where)
        if a or b:
            lines.append(f"已抵消单位间往来 eliminated：{c_in} {a} ↔ {c_out} {b}")
    for key, v in elim.cells.items():
        book.values[key] = book.amount(key) - v
    return lines
