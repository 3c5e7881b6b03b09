"""The format loads only when it is consistent: bad declarations fail when the format loads."""

from __future__ import annotations

import dataclasses

import pytest

from juesuan.errors import FormatError
from juesuan.expr import Ref, Sum
from juesuan.formats import load_format
from juesuan.formats.nmg_2023 import build
from juesuan.formats.validate import validate_format
from juesuan.spec import Row


def with_row(table_key: str, row_key: str, cells: dict) -> object:
    fmt = build()
    i = next(i for i, t in enumerate(fmt.tables) if t.key == table_key)
    t = fmt.tables[i]
    blocks = list(t.blocks)
    b = blocks[0]
    rows = [Row(r.key, r.label, cells) if r is not None and r.key == row_key else r for r in b.rows]
    blocks[0] = dataclasses.replace(b, rows=tuple(rows))
    fmt.tables[i] = dataclasses.replace(t, blocks=tuple(blocks))
    return fmt


def test_the_shipped_format_is_consistent():
    validate_format(load_format("nmg-2023"))


def test_a_cycle_among_derivations_fails_at_load():
    fmt = with_row("表1", "使用非财政拨款结余", {"金额": Ref("表1", "收入总计", "金额")})
    with pytest.raises(FormatError, match="cycle"):
        validate_format(fmt)  # type: ignore[arg-type]


def test_a_reference_to_a_cell_the_row_lacks_fails_at_load():
    fmt = with_row("表1", "使用非财政拨款结余", {"金额": Sum([Ref("表4", "一般公共预算财政拨款", "合计")])})
    with pytest.raises(FormatError, match="does not have"):
        validate_format(fmt)  # type: ignore[arg-type]


def test_an_unknown_row_fails_at_load():
    fmt = with_row("表1", "使用非财政拨款结余", {"金额": Ref("表1", "没有这一行", "金额")})
    with pytest.raises(FormatError, match="unknown row"):
        validate_format(fmt)  # type: ignore[arg-type]
