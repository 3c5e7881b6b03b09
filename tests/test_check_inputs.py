"""Checking never raises on data problems: junk in cells becomes findings that point at them.

Only a file that cannot be read at all (not an .xlsx, a sheet or header missing) is an
InputError (exit status 2).
"""

from __future__ import annotations

import datetime as dt

import pytest

from juesuan.errors import InputError
from juesuan.findings import Severity

from test_check_support import Sheets, clean_file, ids


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Sheets:
    return Sheets(clean_file(str(tmp_path_factory.mktemp("check_inputs"))))


@pytest.mark.parametrize("value,problem", [
    ("一百", "文字"), (dt.datetime(2023, 5, 1), "日期"), (True, "逻辑值"), ("#N/A", "公式错误"),
])
def test_junk_in_a_code_table_amount(base: Sheets, value: object, problem: str) -> None:
    s = base.copy()
    s.set(("表5", "2010301", "基本支出"), value)
    findings = s.check()
    junk = [f for f in findings if f.rule == "S-5"]
    assert len(junk) == 1 and problem in junk[0].message
    assert junk[0].cells[0].table == "表5" and junk[0].cells[0].row == "2010301"
    assert "F-2" in ids(findings)  # the cached subtotals no longer match the (now zero) cell


def test_fraction_of_a_vehicle(base: Sheets) -> None:
    s = base.copy()
    s.set(("表11", "应急保障用车", "数值"), 2.5)
    findings = s.check()
    assert any(f.rule == "S-5" and "整数" in f.message for f in findings)


def test_code_rows_the_reader_cannot_use(base: Sheets) -> None:
    s = base.copy()
    sheet = s.sheet("表3")
    s.put(sheet, s.code_row("表3", "2080505"), 1, None)  # a row with figures but no code
    s.put(sheet, s.code_row("表3", "2210201"), 1, "2010301")  # a duplicate code
    findings = s.check()
    bad = [f for f in findings if f.rule == "S-2"]
    assert any("缺少科目编码" in f.message for f in bad)
    assert any("重复" in f.message for f in bad)
    assert all(f.cells for f in bad)


def test_record_without_its_name(base: Sheets) -> None:
    s = base.copy()
    s.set(("绩效自评", "1", "项目名称"), None)
    findings = s.check()
    assert any(f.rule == "S-2" and "项目名称" in f.message for f in findings)


def test_missing_subtotal_row_is_reported_once_not_cascaded(base: Sheets) -> None:
    s = base.copy()
    sheet = s.sheet("表5")
    row = s.code_row("表5", "20103")
    s.values[sheet][row - 1] = [None] * len(s.values[sheet][row - 1])
    s.formulas[sheet][row - 1] = [None] * len(s.formulas[sheet][row - 1])
    findings = s.check()
    assert any(f.rule == "S-2" and "20103" in f.message for f in findings)
    assert "W5-2" not in ids(findings, Severity.ERROR)  # the missing row is computed, not taken as zero


def test_a_missing_sheet_cannot_be_checked(base: Sheets) -> None:
    s = base.copy()
    del s.values[s.sheet("表7")]
    with pytest.raises(InputError):
        s.check()


def test_without_formulas_no_formula_rule_runs(base: Sheets) -> None:
    """A front end that cannot read formulas (xlwings remote) passes formulas=None."""
    from juesuan.check import check_grids

    s = base.copy()
    s.set(("表5", "2010301", "小计"), 100)  # a constant where a formula was: unknowable here
    assert check_grids(s.fmt, s.values, None) == []
