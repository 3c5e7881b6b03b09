"""Cells that play a named role across departments and years, per format: one small mapping.

Consolidation (汇总), the carry-over from last year (上下年衔接), the period rules and the
finance bureau's key figures need to name a few specific cells: the year, the department's
name, the 决算单位构成 text, the internal flows between units, which year-start cell continues
which year-end cell, which 上年决算 figure is which of last year's cells.  Everything else they
derive from the format declaration (table kinds, input columns, cell kinds).  These names live
in each format pack's ``roles`` part (``formats/<id>/roles.py``: ``ROLES = Roles(...)``).

Example: ``roles_for(fmt).carry`` pairs ``("表1", "年初结转和结余", "金额")`` (this year) with
``("表1", "年末结转和结余", "金额")`` (last year); a ``"*"`` row means every 项 row of a code
table (表8's 年初结转和结余 of code 2120801 continues last year's 年末 of the same code).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from juesuan.errors import InputError
from juesuan.expr import Key
from juesuan.spec import Format

ANY_ROW = "*"  # a code table's every 项 row


@dataclass(frozen=True)
class Roles:
    year: Key  # 年度 (text such as "2023")
    name: Key  # 部门名称
    units: Key  # 决算单位构成: the units a consolidated department lists
    head_tables: tuple[str, ...]  # texts taken from the first (本级) unit when consolidating
    # internal flows between units (经费差额): (income cell column, expenditure cell column), each (table, column)
    internal: tuple[tuple[tuple[str, str], tuple[str, str]], ...]
    # this year's year-start cell ← last year's year-end cell
    carry: tuple[tuple[Key, Key], ...]
    # 上年决算 figure (this year's input) ← last year's cell (input or derived)
    prior: tuple[tuple[Key, Key], ...]
    carry_tables: tuple[str, ...]  # tables whose texts carry over where empty (单位信息, 部门概况)
    fresh: tuple[Key, ...] = ()  # cells of those tables that are each year's own (报送日期)
    reasons: str = ""  # the sheet of change reasons (row = comparison key; "" when the format has none)
    # comparison key → (this year's cell, the cell it is compared with; None: a text needed when nonzero)
    comparisons: dict[str, tuple[Key, Key | None]] = field(default_factory=dict)
    key_figures: dict[str, Key] = field(default_factory=dict)  # the finance bureau's side-by-side figures




def find_roles(format_id: str) -> Roles | None:
    """The ``ROLES`` of a format pack's ``roles`` part, or None when the pack declares none."""
    from juesuan.errors import FormatError
    from juesuan.formats import FORMATS, get_pack

    if format_id not in FORMATS:
        return None
    try:
        return get_pack(format_id)._attr("roles", "ROLES")
    except FormatError:
        return None


def roles_for(fmt: Format) -> Roles:
    """The roles of a format's cells; a format without them cannot be consolidated or carried."""
    roles = find_roles(fmt.id)
    if roles is None:
        raise InputError(f"格式「{fmt.id}」没有声明汇总与上下年衔接所需的单元格",
                         f"format {fmt.id} declares no roles for consolidation and carry-over")
    return roles


def year_of(text: str) -> int | None:
    """「2023」「2023年」「2023年度」→ 2023; anything else → None."""
    digits = "".join(ch for ch in str(text or "").strip() if ch.isdigit())
    return int(digits) if len(digits) == 4 else None
