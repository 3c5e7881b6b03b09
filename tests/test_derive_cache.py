"""What derive and the checker remember across books (issue 19) depends on everything it must.

derive keeps each code-table row's expressions by (row, its children) and each record table's by
its rows and its source rows, per format; the checker keeps each expression's number cells by the
expression itself.  Two books that differ only in what a key must tell apart (the children of one
款, the rows of 绩效指标, the format) each get their own, equal to a build from nothing; and
``compute`` gives the values, and the order, of evaluating each expression on its own.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from juesuan import derive
from juesuan.batch.job import found_of
from juesuan.check.context import Prepared
from juesuan.data_file import book_from_data
from juesuan.expr import Const, Ref, Sum
from juesuan.layout import book_layout
from juesuan.model import Book
from juesuan.synth import synth_department

REFERENCE = Path(__file__).resolve().parents[1] / "src" / "juesuan" / "reference"


def _data(name: str = "nmg-2023") -> dict[str, Any]:
    return json.loads((REFERENCE / f"{name}-reference.json").read_text(encoding="utf-8"), parse_float=Decimal)


def _built_afresh(book: Book) -> dict:  # type: ignore[type-arg]
    """The book's derivations with nothing remembered (the format's cache emptied first)."""
    book.format.__dict__.pop("_derive_built", None)
    book.__dict__.pop(derive.MEMO, None)
    return derive.derivations(book)


def _naive_compute(book: Book, exprs: dict) -> dict:  # type: ignore[type-arg]
    """Each derived cell by its own ``Expr.value``, depth first in declaration order (the oracle)."""
    done: dict = {}

    def get(key):  # type: ignore[no-untyped-def]
        if key in done:
            return done[key]
        if key not in exprs:
            v = book.values.get(key)
            return Decimal(0) if v is None else v if isinstance(v, str) else Decimal(v)
        done[key] = result = exprs[key].value(get)
        return result

    for key in exprs:
        get(key)
    return done


def test_a_kuan_with_other_children_gets_its_own_sum() -> None:
    a = book_from_data(_data())
    without = _data()
    del without["表5"]["2010399"]  # 款 20103 loses one 项; everything else is the same
    b = book_from_data(without)
    key = ("表5", "20103", "基本支出")
    ea, eb = derive.derivations(a), derive.derivations(b)
    assert ("表5", "2010399", "基本支出") in ea[key].ref_keys
    assert ("表5", "2010399", "基本支出") not in eb[key].ref_keys
    assert eb == _built_afresh(b) and list(eb) == list(_built_afresh(b))
    assert derive.derivations(a) == _built_afresh(a)


def test_a_record_table_with_other_source_rows_gets_its_own_sumif() -> None:
    a = book_from_data(_data())
    fewer = _data()
    fewer["绩效指标"] = fewer["绩效指标"][:-1]  # same 绩效自评 rows, one 绩效指标 row less
    b = book_from_data(fewer)
    key = ("绩效自评", "1", "指标得分")
    ea, eb = derive.derivations(a), derive.derivations(b)
    assert len(ea[key].ref_keys) == len(eb[key].ref_keys) + 2  # one match cell and one summed cell less
    assert eb == _built_afresh(b)


def test_two_formats_with_the_same_table_keys_keep_their_own_expressions() -> None:
    nmg, national = book_from_data(_data()), book_from_data(_data("national-2023"))
    derive.derivations(nmg)
    assert derive.derivations(national) == _built_afresh(national)
    assert derive.derivations(nmg) == _built_afresh(nmg)


@pytest.mark.parametrize("index, yuan", [(1, False), (17, False), (5, True)])
def test_compute_gives_the_values_and_order_of_each_expression_on_its_own(index: int, yuan: bool) -> None:
    import random

    book = book_from_data(json.loads(json.dumps(synth_department(random.Random(f"t:{index}"), index, yuan=yuan),
                                                default=str), parse_float=Decimal))
    exprs = derive.derivations(book)
    want = _naive_compute(book, exprs)
    got = derive.compute(book)
    assert list(got) == list(want)
    assert [str(v) for v in got.values()] == [str(v) for v in want.values()]  # same Decimals, exponents too


@pytest.mark.parametrize("first", ["A", "B"])
def test_a_cycle_of_sums_is_named_at_the_cell_it_started_from(first: str) -> None:
    """A faulty pack whose Σ cells refer to each other: the error names the first cell of the
    cycle in declaration order, as the call per cell did."""
    a, b = ("表5", "A", "合计"), ("表5", "B", "合计")
    exprs = {a: Sum([Ref(*b)]), b: Sum([Ref(*a)])}
    if first == "B":
        exprs = {b: exprs[b], a: exprs[a]}
    book = book_from_data(_data())
    with pytest.raises(RuntimeError, match=rf"cycle in derivations at \('表5', '{first}', '合计'\)"):
        derive._compute(book, exprs)


def test_sum_keys_only_for_a_plain_sum_of_cells() -> None:
    a, b = Ref("表5", "201", "合计"), Ref("表5", "204", "合计")
    assert Sum([a, b]).sum_keys == (a.key, b.key) and a.sum_keys == (a.key,)
    assert Sum([a, Const(Decimal(1))]).sum_keys is None
    assert Sum([a, Sum([b])]).ref_keys == (a.key, b.key) and Sum([a, Sum([b])]).sum_keys is None


def test_the_number_cells_of_a_cell_follow_its_own_expression() -> None:
    a = book_from_data(_data())
    without = _data()
    del without["表5"]["2010399"]
    b = book_from_data(without)
    key = ("表5", "20103", "基本支出")
    pa, pb = Prepared(a, None), Prepared(b, None)
    for prep in (pa, pb, Prepared(a, None)):
        for k in prep.numeric_derived:
            assert prep.parts[k] == [r for r in prep.exprs[k].refs() if prep.kind(r) != "text"]
    assert ("表5", "2010399", "基本支出") in pa.parts[key] and ("表5", "2010399", "基本支出") not in pb.parts[key]


@pytest.mark.parametrize("name", ["nmg-2023", "national-2023"])
def test_the_batch_finds_every_cell_where_the_general_reader_does(name: str) -> None:
    """found_of's dict look-ups (per block for 表1's side-by-side blocks) against Found.address."""
    from juesuan.locate import Found, FoundBook

    book = book_from_data(_data(name))
    layout = book_layout(book)
    fast = found_of(layout)
    general = FoundBook({k: Found(f.table, f.layout, f.first_data_row, f.last_data_row, f.footnote_row, dict(f.rows))
                         for k, f in fast.tables.items()})
    prep, general_prep = Prepared(book, fast), Prepared(book, general)
    keys = [*prep.input_keys, *prep.exprs, ("表5", "999", "基本支出"), ("表1", "收入总计", "无此列"), ("无此表", "1", "x")]
    keys += [(t, r, c) for t, f in fast.tables.items() if len(f.table.blocks) > 1
             for r in f.rows for b in f.table.blocks for c in (col.key for col in b.columns)]
    assert any(fast.has(k) for k in keys) and not all(fast.has(k) for k in keys)
    assert any(len(f.table.blocks) > 1 for f in fast.tables.values())
    assert fast.has_all(list(prep.exprs)) and general.has_all(list(prep.exprs))
    for k in keys:
        assert fast.has_all([*prep.input_keys, k]) == general.has_all([*prep.input_keys, k]) == general.has(k), k
        assert fast.address(k) == general.address(k), k
        assert fast.has(k) == general.has(k) == (general.address(k) is not None), k
        assert prep.placed(k) == (prep.address(k) is not None), k
        assert prep.ref(k) == general_prep.ref(k) == found_of(layout).ref(k), k  # (the second: remembered)
    copy.deepcopy(fast)  # still plain data


def test_compute_and_narrative_see_a_value_replaced_and_a_code_added_in_place() -> None:
    """The memos' shortcut (the very objects unchanged) must not hide a change made in place."""
    from juesuan.narrate import narrative

    book = book_from_data(_data())
    key = ("表5", "2010301", "基本支出")
    before, told = derive.compute(book), narrative(book)
    assert narrative(book) is told and derive.compute(book) == before
    book.values[key] = book.values[key] + 1  # the same key, another object
    after = derive.compute(book)
    assert after[("表5", "合计", "基本支出")] == before[("表5", "合计", "基本支出")] + 1
    assert narrative(book) is not told
    book.values[key] = Decimal(str(book.values[key]))  # an equal value, another object: nothing recomputed
    assert derive.compute(book) == after
    told = narrative(book)
    book.codes["表5"].append("2010302")  # a code typed into the same list
    assert ("表5", "2010302", "小计") in derive.derivations(book)  # its per-row identity
    assert narrative(book) is not told


def _findings(book: Book, stored: dict) -> list[tuple]:  # type: ignore[type-arg]
    from juesuan.check import check_book

    found = found_of(book_layout(book))
    return [(f.rule, f.severity.value, f.message, [(c.sheet, c.cell) for c in f.cells], str(f.expected),
             str(f.actual), str(f.difference), str(f.tolerance)) for f in check_book(book, found, stored, None)]


@pytest.mark.parametrize("index, yuan, fmt", [(2, False, "nmg-2023"), (3, True, "nmg-2023"), (6, True, "nmg-2023"),
                                              (4, False, "national-2023")])
def test_the_batch_check_of_computed_values_is_the_full_check(index: int, yuan: bool, fmt: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Cells holding derive's very numbers skip re-adding each Σ (relations.as_computed); the
    findings are those of the full pass (the same check with that shortcut turned off)."""
    import random

    from juesuan.check import relations
    from juesuan.check.context import Context

    data = synth_department(random.Random(f"c:{index}"), index, missing=index % 2 == 0, format_id=fmt, yuan=yuan)
    book = book_from_data(json.loads(json.dumps(data, default=str), parse_float=Decimal))
    stored = {**book.values, **derive.compute(book)}
    found = found_of(book_layout(book))
    key = next(k for k, e in derive.derivations(book).items() if isinstance(e, Sum) and len(e.ref_keys) > 1)
    part = next(k for k in derive.derivations(book)[key].ref_keys if isinstance(stored.get(k), Decimal))
    edited = {**stored, key: stored[key] + 1}  # a total that is not its parts' sum
    rescaled = {**stored, part: stored[part].quantize(Decimal("0.00001"))}  # same number, other digits
    assert relations.as_computed(Context(book, found, stored, None))
    assert relations.as_computed(Context(book, found, {k: Decimal(str(v)) if isinstance(v, Decimal) else v
                                                       for k, v in stored.items()}, None))  # equal digits
    assert not relations.as_computed(Context(book, found, edited, None))
    assert not relations.as_computed(Context(book, found, rescaled, None))
    fast = [_findings(book, s) for s in (stored, edited, rescaled)]
    monkeypatch.setattr(relations, "as_computed", lambda ctx: False)
    assert fast == [_findings(book, s) for s in (stored, edited, rescaled)]
    assert fast[0] and len(fast[1]) > len(fast[0])  # something is compared; the edited total is found
