"""One description of sheet content, three writers: the same sheet edits applied by the openpyxl
writer, the fast batch writer and the ribbon (xlwings) give the same cells.

The edits are a fixed table (表1: labels, inputs, cross-table formulas) and a code table (表5:
类/款/项 rows, SUM formulas) of the reference, passed through JSON first: what a writer in
another language (a WPS add-in) would receive.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from xlwings_remote import apply_actions, open_remote

from juesuan import excel
from juesuan.batch.fastxlsx import edits_xml
from juesuan.batch.template_parts import parse_template
from juesuan.derive import compute, derivations
from juesuan.formats import get_pack
from juesuan.layout import book_layout
from juesuan.sheets.edits import CellEdit, SheetEdits
from juesuan.sheets.tables import table_edits
from juesuan.styles import register
from juesuan.xlsx_write import apply_edits

TABLES = ("表1", "表5")


@pytest.fixture(scope="module")
def edits(reference_book) -> list[SheetEdits]:  # type: ignore[no-untyped-def]
    layout = book_layout(reference_book)
    exprs, values = derivations(reference_book), compute(reference_book)
    made = [table_edits(reference_book, layout.tables[t], exprs, layout.address, values) for t in TABLES]
    return [SheetEdits.from_json(json.loads(json.dumps(e.to_json(), ensure_ascii=False))) for e in made]


def test_edits_survive_json_unchanged_but_for_the_number_type(reference_book) -> None:  # type: ignore[no-untyped-def]
    layout = book_layout(reference_book)
    e = table_edits(reference_book, layout.tables["表5"], derivations(reference_book), layout.address)
    back = SheetEdits.from_json(json.loads(json.dumps(e.to_json())))
    assert [c._replace(value=None) for c in back.cells] == [c._replace(value=None) for c in e.cells]
    assert [Decimal(str(c.value)) if isinstance(c.value, (int, float, Decimal)) else c.value for c in back.cells] == \
        [Decimal(str(c.value)) if isinstance(c.value, (int, float, Decimal)) else c.value for c in e.cells]


def _cells(path: Path, edits: list[SheetEdits]) -> dict[tuple[str, int, int], object]:
    wb = openpyxl.load_workbook(path)
    out = {}
    for e in edits:
        ws = wb[e.sheet]
        for c in e.cells:
            v = ws.cell(c.row, c.col).value
            out[(e.sheet, c.row, c.col)] = round(v, 6) if isinstance(v, float) else v
    return out


def _styles(path: Path, edits: list[SheetEdits]) -> dict[tuple[str, int, int], str]:
    wb = openpyxl.load_workbook(path)
    return {(e.sheet, c.row, c.col): wb[e.sheet].cell(c.row, c.col).style for e in edits for c in e.cells}


@pytest.fixture(scope="module")
def base(edits, filled_reference: Path, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """The reference workbook with every cell the edits write emptied (its frame and 注 rows kept)."""
    wb = openpyxl.load_workbook(filled_reference)
    for e in edits:
        for c in e.cells:
            wb[e.sheet].cell(c.row, c.col).value = None
    path = tmp_path_factory.mktemp("edits") / "base.xlsx"
    wb.save(path)
    return path


def _openpyxl(base: Path, edits: list[SheetEdits], out: Path) -> Path:
    wb = openpyxl.load_workbook(base)
    register(wb)
    for e in edits:
        apply_edits(wb[e.sheet], e)
    wb.save(out)
    return out


def _fast(base: Path, edits: list[SheetEdits], out: Path) -> Path:
    parts = parse_template(get_pack("nmg-2023").format, base.read_bytes())  # the base's own style indexes
    styles = parts.style
    sheets = {p.table.sheet: p.path for p in parts.sheets}
    src = zipfile.ZipFile(base)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            for e in edits:
                if info.filename == sheets[e.sheet]:
                    xml = data.decode("utf-8")
                    first = e.cells[0].row
                    head, body = xml.split("<sheetData>", 1)
                    body, tail = body.split("</sheetData>", 1)
                    kept = [m.group(0) for m in re.finditer(r'<row r="(\d+)".*?</row>|<row r="(\d+)"[^>]*/>', body)
                            if int(m.group(1) or m.group(2)) < first]  # the frame above the data
                    data = (head + "<sheetData>" + "".join(kept) + edits_xml(e, styles) + "</sheetData>"
                            + tail).encode("utf-8")
            dst.writestr(info, data)
    out.write_bytes(buf.getvalue())
    return out


def _ribbon(base: Path, edits: list[SheetEdits], out: Path) -> Path:
    book = open_remote(base)
    for e in edits:
        excel.apply_edits(book.sheets[e.sheet], e)
    apply_actions(base, book.json()["actions"], out)
    return out


def test_the_three_writers_give_the_same_cells_from_one_set_of_edits(base, edits, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert set(_cells(base, edits).values()) == {None}
    a = _cells(_openpyxl(base, edits, tmp_path / "openpyxl.xlsx"), edits)
    b = _cells(_fast(base, edits, tmp_path / "fast.xlsx"), edits)
    c = _cells(_ribbon(base, edits, tmp_path / "ribbon.xlsx"), edits)
    assert a == b == c
    formulas = [v for v in a.values() if isinstance(v, str) and v.startswith("=")]
    assert len(formulas) > 50 and any("SUM(" in f for f in formulas)
    assert any(isinstance(v, float) for v in a.values()) and any(isinstance(v, str) and "行政运行" in v for v in a.values())


def test_the_openpyxl_and_fast_writers_give_the_same_named_styles(base, edits, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a = _styles(_openpyxl(base, edits, tmp_path / "openpyxl.xlsx"), edits)
    b = _styles(_fast(base, edits, tmp_path / "fast.xlsx"), edits)
    assert a == b
    assert {e.style for x in edits for e in x.cells} <= set(a.values())


def test_a_different_cell_is_seen(base, edits, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The comparison can fail: one edit changed for one writer shows."""
    changed = [SheetEdits(e.sheet, list(e.cells)) for e in edits]
    c0 = changed[1].cells[-1]
    changed[1].cells[-1] = CellEdit(c0.row, c0.col, "改", None, "js_in_text", "text")
    assert _cells(_openpyxl(base, edits, tmp_path / "a.xlsx"), edits) != \
        _cells(_fast(base, changed, tmp_path / "b.xlsx"), edits)
