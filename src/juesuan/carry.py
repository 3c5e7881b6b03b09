"""上下年衔接: what this year's workbook takes from last year's.

Reporting software loads last year's approved data and does not let the accountant type it
again; :func:`carry_over` does the same for a :class:`~juesuan.model.Book`:

- the year advances: 年度 = last year's + 1 (a book that already names another year is refused);
- every year-start cell takes last year's year-end cell (``roles.carry``: 表1 年初结转和结余,
  表4 年初 per fund, 表8 年初 per 项 code — a code of last year's 表8 with a year-end balance
  becomes a row of this year's);
- every 上年决算 figure takes last year's cell it stands for (``roles.prior``), derived or typed;
- texts carry over where this year's are empty: 单位信息 (but 年度 and 报送日期) and 部门概况;
  a 变动原因 text carries over when last year's comparison did not change (持平, or nothing to
  explain), since it states a standing fact such as「本年不存在非财政拨款结余」; reasons for a
  change are that year's and are asked for again (S-8).

Year-start and 上年决算 figures replace what the book had (each replacement is reported);
texts never replace.  Only cells that exist in both formats are carried, so two formats carry
what their tables share.  名词解释 are standard texts (narrate/terms.txt), the same every year.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

from juesuan.errors import InputError, Location
from juesuan.expr import Key
from juesuan.model import Book
from juesuan.money import round2
from juesuan.roles import ANY_ROW, Roles, roles_for, year_of
from juesuan.spec import INPUT, Format

def last_values(prior: Book) -> dict[Key, Any]:
    """Last year's cells: its inputs and every derived value."""
    from juesuan.derive import compute

    return {**prior.values, **compute(prior)}


def is_input_cell(fmt: Format, key: Key) -> bool:
    """Whether ``key`` is an input cell of ``fmt`` (a code table's 项 rows count for any code)."""
    table_key, row, col = key
    try:
        table = fmt.table(table_key)
    except KeyError:
        return False
    if table.kind == "fixed":
        try:
            return table.row(row).cells.get(col) is INPUT
        except KeyError:
            return False
    try:
        return table.column(col).is_input
    except KeyError:
        return False


def carry_pairs(roles: Roles, prior: Book) -> Iterator[tuple[Key, Key]]:
    """(this year's cell, last year's cell) of every year-start cell, 表8-like rows expanded by code."""
    for this, last in roles.carry:
        if this[1] == ANY_ROW:
            for code in prior.codes.get(last[0], []):
                yield (this[0], code, this[2]), (last[0], code, last[2])
        else:
            yield this, last


def carry_over(prior: Book, book: Book) -> list[str]:
    """Fill ``book`` (this year) from ``prior`` (last year), in place; returns what was replaced."""
    roles = roles_for(book.format)
    last = last_values(prior)
    notes: list[str] = []
    _advance_year(prior, book, roles)
    for this, old in carry_pairs(roles, prior):
        value = last.get(old)
        if not is_input_cell(book.format, this) or value is None:
            continue
        table = book.format.table(this[0])
        if table.kind == "code":
            if not value:
                continue
            if this[1] not in book.codes.get(table.key, []):
                book.codes[table.key] = sorted([*book.codes.get(table.key, []), this[1]])
        _replace(book, this, Decimal(value), notes)
    for this, old in roles.prior:
        if is_input_cell(book.format, this) and old in last:
            _replace(book, this, Decimal(last[old] or 0), notes)
    for table_key in roles.carry_tables:
        for key in book.input_keys(book.format.table(table_key)) if _has_table(book.format, table_key) else []:
            if key == roles.year or key in roles.fresh:
                continue
            if _blank(book.values.get(key)) and not _blank(prior.values.get(key)) and is_input_cell(prior.format, key):
                book.values[key] = prior.values[key]
    _carry_reasons(prior, book, last, roles)
    return notes


def _has_table(fmt: Format, key: str) -> bool:
    try:
        fmt.table(key)
        return True
    except KeyError:
        return False


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _advance_year(prior: Book, book: Book, roles: Roles) -> None:
    last_year = year_of(prior.text(roles.year)) or prior.format.year
    this_year = year_of(book.text(roles.year))
    if this_year is not None and this_year != last_year + 1:
        raise InputError(f"上年工作簿为 {last_year} 年度，本年数据为 {this_year} 年度，不是相邻两年",
                         f"last year's book is {last_year} and this year's data {this_year}: not consecutive years",
                         Location(sheet=roles.year[0], key=roles.year[1]))
    book.values[roles.year] = str(last_year + 1)


def _replace(book: Book, key: Key, value: Decimal, notes: list[str]) -> None:
    had = book.values.get(key)
    if had is not None and not isinstance(had, str) and round2(Decimal(had)) != round2(value):
        notes.append(f"{key[0]}「{key[1]}」{key[2]}：{had} → {value}（取自上年 from last year）")
    book.values[key] = value


def _carry_reasons(prior: Book, book: Book, last: dict[Key, Any], roles: Roles) -> None:
    """A reason whose comparison did not change last year states a fact: carry it."""
    for comparison in book.format.comparisons if roles.reasons else ():
        key = (roles.reasons, comparison.key, "原因")
        text = prior.values.get(key)
        if _blank(text) or not _blank(book.values.get(key)) or comparison.key not in roles.comparisons:
            continue
        current, base = roles.comparisons[comparison.key]
        now = round2(Decimal(last.get(current) or 0))
        unchanged = now == 0 if base is None else now == round2(Decimal(last.get(base) or 0))
        if unchanged:
            book.values[key] = text
