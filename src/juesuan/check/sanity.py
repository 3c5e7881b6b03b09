"""Input sanity: what a reviewer spots before adding anything up.

- S-1 a 科目编码 not in the format's code list; S-2 a code under the wrong parent, a 类/款 row
  missing or without 项 rows, a code row the reader could not use; S-3 a 科目名称 that is not
  its code's name;
- S-4 a negative amount; S-5 text, a date or a formula error where a number belongs;
- S-6 an empty public table whose 注 does not say so (本表为空表 / 本单位无…收支), S-7 a table
  with figures whose 注 says it is empty;
- (S-8, a comparison the narrative makes with no 变动原因, names the format's cells: it is a
  rule of the format pack.)

Example: 表5 printing ``2010301 行政运行`` under ``20406 司法`` is S-2; printing
``2010301 行政运营`` is S-3; 表9 empty with the default 注 "本表反映…" is S-6.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress, repeat
from operator import is_not, itemgetter, lt
from typing import TYPE_CHECKING, Iterator

from juesuan.check.relations import formula_state
from juesuan.expr import Key
from juesuan.findings import CellRef, Finding
from juesuan.spec import Table

if TYPE_CHECKING:
    from juesuan.check.context import Context
    from juesuan.check.registry import Rule

EMPTY_SAID = re.compile(r"空表|(本|该)(单位|部门)(本年度?|当年)?(无|没有|未发生)|无[^，。；]{0,30}(收支|收入|支出|经费|资金|数据|业务|事项|结余)|未发生")
EMPTY_CLAIMED = re.compile(r"空表|(本|该)(单位|部门)(本年度?|当年)?(无|没有|未发生)")
BRACKETS = str.maketrans({"（": "(", "）": ")", "“": '"', "”": '"', "‘": "'", "’": "'", "、": ",", "，": ","})


def printed_codes(ctx: "Context", table: Table) -> list[tuple[int, str]]:
    """(sheet row, code) of the code rows as printed (from the book when there is no sheet)."""
    memo = ctx.__dict__.setdefault("_printed_codes", {})  # S-1, S-2 and S-3 each ask
    codes = memo.get(table.key)
    if codes is None:
        if ctx.found is not None:
            rows = ctx.found.tables[table.key].rows
            codes = sorted((r, c) for c, r in rows.items() if c != table.total_label)
        else:
            codes = list(enumerate(r for r in ctx.book.rows(table) if r != table.total_label))
        memo[table.key] = codes
    return list(codes)


def code_tables(ctx: "Context") -> list[Table]:
    return [t for t in ctx.fmt.tables if t.kind == "code"]


def unknown_codes(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """S-1: every printed code must be in the format's code list."""
    for table in code_tables(ctx):
        known = ctx.fmt.codes_for(table)
        for _, code in printed_codes(ctx, table):
            if code not in known:
                name = ctx.book.names.get((table.key, code), "")
                yield rule.finding(ctx, [_code_cell(ctx, table, code)], table=table.key, code=code,
                                   name=f"（{name}）" if name else "")


def _code_cell(ctx: "Context", table: Table, code: str) -> Key:
    return (table.key, code, _first_column(table))


def _first_column(table: Table) -> str:
    return next(c.key for b in table.blocks for c in b.columns)


def hierarchy(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """S-2: each 款 under its 类, each 项 under its 款; no 类/款 without 项; a 合计 row."""
    for table in code_tables(ctx):
        printed = printed_codes(ctx, table)
        codes = {c for _, c in printed}
        in_book = set(ctx.book.rows(table))
        if printed and ctx.found is not None and table.total_label not in ctx.found.tables[table.key].rows:
            yield rule.finding(ctx, [], where=[CellRef(table.sheet, None, table.key)], table=table.key,
                               code=table.total_label, problem="缺少「合计」行")
        last = {3: "", 5: ""}
        first = _first_column(table)
        for _, code in printed:
            n = len(code)
            cell = (table.key, code, first)  # _code_cell
            if n in (5, 7):
                parent = code[: n - 2]
                if parent not in codes:
                    yield rule.finding(ctx, [cell], table=table.key, code=code,
                                       problem=f"缺少上级科目「{parent}」行")
                elif last[n - 2] != parent:
                    yield rule.finding(ctx, [cell], table=table.key, code=code,
                                       problem=f"排在「{last[n - 2] or '（无）'}」之下，但其上级应为「{parent}」")
            if n in (3, 5):
                last[n] = code
                if n == 3:
                    last[5] = ""
                if code not in in_book:
                    yield rule.finding(ctx, [cell], table=table.key, code=code,
                                       problem="其下没有项级科目，金额不会计入合计")


def names(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """S-3: a printed 科目名称 must be the code's name (brackets and spaces aside)."""
    for table in code_tables(ctx):
        known = ctx.fmt.codes_for(table)
        for _, code in printed_codes(ctx, table):
            want = known.get(code)
            if want is None or ctx.found is None:
                continue
            got = ctx.book.names.get((table.key, code), "")
            if got != want and _norm_name(got) != _norm_name(want):
                yield rule.finding(ctx, [_code_cell(ctx, table, code)], table=table.key, code=code,
                                   name=got or "（空）", expected_name=want)


@lru_cache(maxsize=8192)
def _norm_name(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(BRACKETS)


def negatives(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """S-4: amounts and counts are never negative (a formula cell inherits its inputs' sign)."""
    values = ctx.values  # the numbers below zero, in cell order (in C: no call of ours per cell)
    numbers = list(compress(values.items(), map(is_not, values.values(), repeat(None))))
    for key, value in compress(numbers, map(lt, map(itemgetter(1), numbers), repeat(0))):
        if key in ctx.computed or key in ctx.unplaced:
            continue
        if key in ctx.exprs and formula_state(ctx, key) == "declared":
            continue
        yield rule.finding(ctx, [key], cell=ctx.label(key), actual=value)


def unreadable(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """S-5: a value that is not a number where a number belongs (a formula error is F-6)."""
    for key, problem in ctx.problems.items():
        if key in ctx.exprs and problem.kind == "error":
            continue
        yield rule.finding(ctx, [key], cell=ctx.label(key), problem=problem.zh)


def _footnote(ctx: "Context", table: Table) -> str:
    if ctx.found is not None and ctx.found.tables[table.key].footnote_row is None:
        return ""
    return ctx.book.footnotes.get(table.key, table.footnote or "")


def _is_empty(ctx: "Context", table: Table) -> bool:
    if table.kind == "code" and not ctx.book.codes.get(table.key):
        return True
    return all(v is None or v == 0 for v in map(ctx.values.get, ctx.prep.numeric_keys_of(table.key)))  # ctx.value


def _where_note(ctx: "Context", table: Table) -> list[CellRef]:
    if ctx.found is not None:
        row = ctx.found.tables[table.key].footnote_row
        if row is not None:
            return [CellRef(table.sheet, f"A{row}", table.key, "注")]
    return [CellRef(table.sheet, None, table.key)]


def empty_unsaid(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """S-6: an empty public table must say so in its 注 (本表为空表 / 本单位无…收支)."""
    for table in ctx.fmt.public_tables:
        if _is_empty(ctx, table) and not EMPTY_SAID.search(_footnote(ctx, table)):
            yield rule.finding(ctx, [], where=_where_note(ctx, table), table=f"{table.key}（{table.title}）",
                               note=_footnote(ctx, table) or "（无注）")


def empty_claimed(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """S-7: a table with figures whose 注 still says it is empty."""
    for table in ctx.fmt.public_tables:
        note = _footnote(ctx, table)
        if not _is_empty(ctx, table) and EMPTY_CLAIMED.search(note):
            yield rule.finding(ctx, [], where=_where_note(ctx, table), table=f"{table.key}（{table.title}）",
                               note=note)
