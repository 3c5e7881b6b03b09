"""Stored values: every formula's value after its <f>, the right type attribute, everything else
unchanged, and a workbook that asks Excel to recalculate on open."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import python_calamine

from juesuan.cached import full_calc_on_load, save_with_values, sheet_paths, store_values
from juesuan.cellxml import number_text
from juesuan.xleval import XlError


def small_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数 & 'x'"
    ws["A1"], ws["A2"] = 1.5, 2
    ws["B1"] = "=A1+A2"
    ws["B2"] = '="a"&"<b>"'
    ws["B3"] = "=A1>A2"
    ws["B4"] = "=1/0"
    ws["B5"] = "=A1*0"
    ws["C1"] = "text"
    other = wb.create_sheet("Other")
    other["A1"] = "=SUM('数 & ''x'''!A1:A2)"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


VALUES = {"数 & 'x'": {"B1": Decimal("3.5"), "B2": "a<b>", "B3": False, "B4": XlError("#DIV/0!"), "B5": Decimal(0)},
          "Other": {"A1": Decimal("3.5")}}


def test_values_are_stored_with_their_types(tmp_path: Path) -> None:
    data, stored = store_values(small_workbook(), VALUES)
    assert stored.written == 6 and stored.missing == []
    path = tmp_path / "v.xlsx"
    path.write_bytes(data)
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb["数 & 'x'"]
    assert [ws[c].value for c in ("B1", "B2", "B3", "B4", "B5")] == [3.5, "a<b>", False, "#DIV/0!", 0]
    assert wb["Other"]["A1"].value == 3.5
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("数 & 'x'").to_python()
    assert rows[0][1] == 3.5 and rows[1][1] == "a<b>" and rows[2][1] is False
    formulas = openpyxl.load_workbook(path)
    assert formulas["数 & 'x'"]["B1"].value == "=A1+A2"  # the formula stays live


def test_everything_but_the_values_is_byte_identical() -> None:
    before = small_workbook()
    after, _ = store_values(before, VALUES)
    with zipfile.ZipFile(io.BytesIO(before)) as a, zipfile.ZipFile(io.BytesIO(after)) as b:
        assert a.namelist() == b.namelist()
        sheets = set(sheet_paths(a).values())
        for name in a.namelist():
            x, y = a.read(name), b.read(name)
            if name in sheets:
                strip = lambda s: re.sub(rb'<v>[^<]*</v>|<v\s*/>|<v></v>| t="(str|b|e)"', b"", s)  # noqa: E731
                assert strip(x) == strip(y), name
            elif name == "xl/workbook.xml":
                assert b'fullCalcOnLoad="1"' in y
            else:
                assert x == y, name


def test_formula_cells_without_a_value_are_reported() -> None:
    _, stored = store_values(small_workbook(), {"数 & 'x'": {"B1": Decimal(1)}})
    assert sorted(stored.missing) == ["Other!A1", "数 & 'x'!B2", "数 & 'x'!B3", "数 & 'x'!B4", "数 & 'x'!B5"]


def test_full_calc_on_load_is_added_or_kept() -> None:
    assert full_calc_on_load('<workbook><sheets/><calcPr calcId="1"/></workbook>') == \
        '<workbook><sheets/><calcPr calcId="1" fullCalcOnLoad="1"/></workbook>'
    assert full_calc_on_load('<workbook><sheets/><calcPr calcId="1" fullCalcOnLoad="0"/></workbook>') == \
        '<workbook><sheets/><calcPr calcId="1" fullCalcOnLoad="1"/></workbook>'
    assert 'fullCalcOnLoad="1"' in full_calc_on_load("<workbook><sheets></sheets></workbook>")


def test_numbers_read_back_as_the_same_double() -> None:
    for d in (Decimal("3041.6912"), Decimal("0.1") + Decimal("0.2"), Decimal(10) ** 20, Decimal("1e-7"), Decimal(-5)):
        assert float(number_text(d)) == float(d)
    assert number_text(Decimal("2.000")) == "2"


def test_save_with_values_writes_atomically(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(small_workbook()))
    stored = save_with_values(wb, tmp_path / "out.xlsx", VALUES)
    assert stored.written == 6 and [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
