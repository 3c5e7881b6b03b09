"""The fast writer gives the workbook the openpyxl path gives, cell for cell.

The openpyxl path: ``book_io.new_book`` (template → ``apply_book`` → save → cached values) and
then ``narrate.write_narrative_sheet``.  For several departments (synthetic ones of different
shapes, the reference case with its notes, the small example, an empty data file) we compare
sheet names, merged ranges, dimensions, every cell's value or formula and named style (openpyxl,
formula mode), every cached value (python-calamine), and on the narrative sheet the row heights,
the charts' anchors and the print area.
"""

from __future__ import annotations

import io
import random
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from juesuan.batch.fastxlsx import writer, writer_for
from juesuan.cached import number_text as number
from juesuan.batch.formulas import FormulaRenderer
from juesuan.batch.zipwrite import archive, deflate
from juesuan.book_io import new_book
from juesuan.data_file import book_from_data, read_data
from juesuan.derive import compute, derivations
from juesuan.errors import InputError
from juesuan.layout import book_layout
from juesuan.model import Book
from juesuan.narrate import narrative, write_narrative_sheet
from juesuan.synth import synth_department

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small.json"
REFERENCE = ROOT / "src" / "juesuan" / "reference" / "nmg-2023-reference.json"
SYNTH = [1, 3, 4]  # records and none, 326 项 entries, an empty 表7


def synth_book(i: int) -> Book:
    return book_from_data(synth_department(random.Random(f"0:{i}"), i))


def cases() -> list[tuple[str, object]]:
    return [*[(f"synth-{i}", i) for i in SYNTH], ("reference", REFERENCE), ("small", SMALL), ("empty", None)]


def load_case(spec: object) -> Book:
    if spec is None:
        return book_from_data({"format": "nmg-2023"})
    if isinstance(spec, int):
        return synth_book(spec)
    return read_data(spec)  # type: ignore[arg-type]


def fast_bytes(book: Book) -> bytes:
    exprs = derivations(book)
    return writer_for(book).render(book, exprs, compute(book, exprs), book_layout(book), narrative=narrative(book))


def style_key(c):  # type: ignore[no-untyped-def]
    return (c.style, c.number_format, c.protection.locked, c.font.name, c.font.sz, c.font.b, c.alignment.horizontal,
            c.alignment.vertical, c.alignment.wrap_text, c.alignment.indent)


@pytest.mark.parametrize("name,spec", cases(), ids=[c[0] for c in cases()])
def test_fast_workbook_equals_the_openpyxl_path(tmp_path: Path, name: str, spec: object) -> None:
    book = load_case(spec)
    fast = tmp_path / "fast.xlsx"
    fast.write_bytes(fast_bytes(book))
    slow = tmp_path / "slow.xlsx"
    new_book(book, slow)  # filled, cached values stored
    wb = openpyxl.load_workbook(slow)
    write_narrative_sheet(wb, narrative(book), book)
    slow_n = tmp_path / "slow_narrated.xlsx"
    wb.save(slow_n)

    a, b = openpyxl.load_workbook(fast), openpyxl.load_workbook(slow_n)
    assert a.sheetnames == b.sheetnames
    for wb_sheet in b.worksheets:
        x, y = a[wb_sheet.title], wb_sheet
        assert sorted(map(str, x.merged_cells.ranges)) == sorted(map(str, y.merged_cells.ranges)), y.title
        assert x.dimensions == y.dimensions, y.title
        assert x.sheet_state == y.sheet_state
        assert x.print_area == y.print_area
        for r in range(1, y.max_row + 1):
            for c in range(1, y.max_column + 1):
                cx, cy = x.cell(r, c), y.cell(r, c)
                assert cx.value == cy.value, f"{y.title}!{cy.coordinate}"
                assert style_key(cx) == style_key(cy), f"{y.title}!{cy.coordinate}"
        assert [ch.anchor._from.row for ch in x._charts] == [ch.anchor._from.row for ch in y._charts]
        if y.title == "决算情况说明":
            heights = {r: d.height for r, d in y.row_dimensions.items()}
            assert {r: d.height for r, d in x.row_dimensions.items()} == heights

    # cached values: what pandas, calamine and a viewer read
    ca, cb = CalamineWorkbook.from_path(str(fast)), CalamineWorkbook.from_path(str(slow))
    for sheet in cb.sheet_names:
        assert ca.get_sheet_by_name(sheet).to_python() == cb.get_sheet_by_name(sheet).to_python(), sheet


def test_cached_values_are_the_computed_values(tmp_path: Path) -> None:
    book = synth_book(2)
    exprs = derivations(book)
    values = compute(book, exprs)
    layout = book_layout(book)
    data = writer_for(book).render(book, exprs, values, layout, narrative=narrative(book))
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    assert exprs
    for key, value in values.items():
        a = layout.address(key)
        if a is not None:
            assert Decimal(repr(wb[a.sheet].cell(a.row, a.col).value)) == Decimal(repr(float(value))), key


def test_formula_renderer_matches_expr_excel() -> None:
    book = synth_book(13)  # most of the code list, 6 绩效 projects: long columns, ranges, lists, rates
    layout = book_layout(book)
    fx = FormulaRenderer(layout)
    text = writer_for(book).formula_text(layout)  # per-row identities from a template, the rest by fx
    for key, expr in derivations(book).items():
        table = book.format.table(key[0])
        want = expr.excel(layout.address, table.sheet)
        assert fx.excel(expr, table.sheet) == want, key
        assert text(key, expr) == "=" + want, key


def test_numbers_read_back_exactly() -> None:
    for v in [Decimal("0"), Decimal("2657.4"), Decimal("1.2345"), Decimal("0.01"), Decimal("123456789.12"), 7,
              Decimal("1E+20"), Decimal("-0.5")]:
        assert float(number(v)) == float(v)
    assert number(Decimal("60")) == "60" and number(Decimal("0.10")) == "0.1"


def test_control_characters_are_an_input_error() -> None:
    book = book_from_data({"format": "nmg-2023", "单位信息": {"部门名称": "示例\x01局"}})
    with pytest.raises(InputError, match="控制字符"):
        fast_bytes(book)


def test_zip_is_valid_and_reproducible() -> None:
    members = [deflate("a.xml", b"<a/>" * 100), deflate("b/c.xml", "注：中文".encode())]
    data = archive(members)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        assert z.read("b/c.xml").decode() == "注：中文"
    assert archive(members) == data


def test_a_writer_is_built_once_per_process() -> None:
    assert writer("nmg-2023") is writer("nmg-2023")
    assert writer("nmg-2023", notes=True) is not writer("nmg-2023")


def test_derivations_and_values_are_remembered_until_the_book_changes() -> None:
    """derive.py remembers both on the book so fill, narrate and check share them (see job.py)."""
    book = synth_book(2)
    exprs, values = derivations(book), compute(book)
    assert derivations(book) == exprs and derivations(book) is not exprs  # each caller its own dict
    assert compute(book) == values and compute(book) is not values
    key = next(k for k, v in book.values.items() if k[0] == "表5" and isinstance(v, Decimal))
    book.values[key] += 1  # an input changes: values are recomputed
    assert compute(book)[("表5", "合计", key[2])] == values[("表5", "合计", key[2])] + 1
    book.values[key] -= 1
    assert compute(book) == values
    code = book.codes["表5"].pop()  # the structure changes: derivations are rebuilt
    assert ("表5", code, "小计") not in derivations(book)
    book.codes["表5"].append(code)
    assert derivations(book) == exprs
