"""What a format's exported document holds beyond the narrative and the public tables, declared
by its pack (``formats/<id>/export.py``).

- the cover: rows of a key–value input sheet printed under the title (部门名称, 负责人, …);
- the tables part's title (``{year}`` filled in);
- extra tables a format prints (nmg-2023: one 项目支出绩效自评表 per project), made by a function
  of the book and its values, and where they go: before the first sub-heading starting with a
  given text inside a given section (else at that section's end);
- the part whose paragraphs are 名词解释 (printed with the term in bold);
- where the tables part goes: after the part whose title starts with ``tables_after`` (the
  national layout: 第二部分 决算表 between 第一部分 概况 and 第三部分 情况说明), else at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from juesuan.expr import Key
from juesuan.model import Book, Value

ExtraTables = Callable[[Book, dict[Key, Value | Decimal]], list[Any]]  # → [export.content.PerfTable-like]


@dataclass(frozen=True)
class ExportOutline:
    info: str  # the key–value sheet the cover lines come from
    cover: tuple[str, ...]  # its rows, in printed order (the department's name row first)
    tables_title: str = "第五部分 {year}年度部门决算表"
    extra_tables: ExtraTables | None = None
    extra_section: str | None = None  # key of the section the extra tables belong to
    extra_before: str | None = None  # …placed before its sub-heading starting with this text
    terms_part: str | None = None  # title prefix of the 名词解释 part
    tables_after: str | None = None  # title prefix of the part the tables part follows (None: at the end)
