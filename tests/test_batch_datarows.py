"""Compiled data rows (:mod:`juesuan.batch.datarows`) give the XML the generic rows give.

One writer renders departments one after another, so a row compiled for one department (per
table and row key, without its sheet row) serves the next: the same 科目 at another sheet row,
with other children (another ``SUM``), another name, text or no value; a department whose
derivations are not the book's own falls back to the generic rows.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from juesuan.batch.fastxlsx import writer_for
from juesuan.cellxml import number_text
from juesuan.data_file import book_from_data
from juesuan.derive import compute, derivations
from juesuan.formats import get_pack
from juesuan.layout import book_layout
from juesuan.model import Book
from juesuan.synth import synth_department


def sheets(book: Book, compiled: bool, exprs: dict | None = None) -> dict[str, str]:
    """Every table sheet's XML, from compiled rows or generically."""
    exprs = derivations(book) if exprs is None else exprs
    values, layout = compute(book), book_layout(book)
    w = writer_for(book)
    formula = w.formula_text(layout)
    return {p.table.key: w.sheet_xml(book, p.table, layout.tables[p.table.key], exprs, values, layout, formula,
                                     [] if compiled else None) for p in w.parts.sheets}


def synth(i: int) -> Book:
    return book_from_data(synth_department(random.Random(f"7:{i}"), i, missing=i % 3 == 0))


def test_compiled_rows_equal_the_generic_rows_department_after_department() -> None:
    books = [synth(i) for i in range(1, 9)]
    books.append(book_from_data({"format": "nmg-2023"}))
    for book in books + books[::-1]:  # the second pass meets only rows compiled before
        assert sheets(book, True) == sheets(book, False)


def test_a_row_compiled_elsewhere_takes_this_departments_children_name_and_values() -> None:
    a = synth(11)
    codes = a.codes["表3"]
    b = synth(11)  # the same department but one 项 fewer: every later row moves up, a 款 sums less
    b.codes["表3"] = codes[:1] + codes[2:]
    b.names[("科目名称", codes[0])] = "改过的名称 & <其他>"
    for key in [k for k in b.values if k[0] == "表3" and k[1] == codes[1]]:
        del b.values[key]
    sheets(a, True)  # compile a's rows
    xb = sheets(b, True)
    assert xb == sheets(b, False)
    assert xb["表3"] != sheets(a, True)["表3"]


def test_a_code_the_format_lacks_takes_each_departments_own_name() -> None:
    xml = []
    for name in ("甲单位自设科目", "乙单位自设科目 & <另一个>"):
        book = synth(13)
        book.codes["表3"] = sorted(book.codes["表3"] + ["2010188"])
        book.names[("科目名称", "2010188")] = name
        made = sheets(book, True)
        assert made == sheets(book, False)
        xml.append(made["表3"])
    assert "甲单位自设科目" in xml[0] and "乙单位自设科目 &amp; &lt;另一个&gt;" in xml[1]


def test_derivations_other_than_the_books_fall_back_to_the_generic_rows() -> None:
    book = synth(12)
    exprs = derivations(book)
    fewer = dict(exprs)
    fewer.pop(next(k for k in exprs if k[0] == "表3"))
    values, layout = compute(book), book_layout(book)
    w = writer_for(book)
    formula = w.formula_text(layout)
    counts: list[int] = []
    with pytest.raises(Exception):
        for p in w.parts.sheets:
            w.sheet_xml(book, p.table, layout.tables[p.table.key], fewer, values, layout, formula, counts)
    from juesuan.narrate import narrative

    data = w.render(book, fewer, values, layout, narrative=narrative(book))  # falls back, no error
    assert data[:2] == b"PK"


@pytest.mark.parametrize("text", ["0", "-0", "0.00", "-0.00", "0.0001", "0.00001", "-0.0001", "0.000100", "1E+2",
                                  "100.00", "123456789012345", "1234567890123456", "999999999999999.9",
                                  "12345678901234.5", "-1234567890123.45", "0E-8", "-0E-2", "5E-5", "0.10",
                                  "2657.40", "1E+15", "10.00001"])
def test_number_text_is_the_shortest_text_of_the_double(text: str) -> None:
    value = Decimal(text)
    f = float(value)
    want = str(int(f)) if f == int(f) and abs(f) < 1e15 else repr(f)
    assert number_text(value) == want


def test_number_text_of_random_decimals_is_the_shortest_text_of_the_double() -> None:
    rng = random.Random(5)
    for _ in range(20000):
        value = Decimal(rng.choice([-1, 1]) * rng.randint(0, 10 ** rng.randint(1, 17))).scaleb(-rng.randint(0, 9))
        f = float(value)
        assert number_text(value) == (str(int(f)) if f == int(f) and abs(f) < 1e15 else repr(f)), value


def test_each_department_has_its_own_name_on_every_sheet() -> None:
    a, b = synth(21), synth(22)
    name_a, name_b = (x.text(get_pack(x.format.id).department) for x in (a, b))
    assert name_a != name_b
    sheets(a, True)  # the writer has just written a's 部门 line
    for key, xml in sheets(b, True).items():
        if f"部门：{name_a}" in xml or "部门：" in xml and f"部门：{name_b}" not in xml:
            raise AssertionError(f"{key}: not {name_b}'s 部门 line")
