"""Bad workbooks given to ``juesuan fill``: a message naming sheet and cell (Chinese, English beside),
exit status 2, and the file byte-identical afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import openpyxl
import pytest
from test_fill_support import copy, shift_rows

from juesuan.book_io import new_book
from juesuan.cli import main
from juesuan.data_file import read_data
from juesuan.formats import load_format
from juesuan.locate import read_book
from juesuan.workbook_file import grids, load

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small.json"
FMT = load_format()
T1, T2, T3 = (FMT.table(k).sheet for k in ("表1", "表2", "表3"))


@pytest.fixture(scope="module")
def filled_small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("errors") / "small.xlsx"
    new_book(read_data(SMALL), path)
    return path


def address(path: Path, key: tuple[str, str, str]) -> tuple[str, int, int]:
    _, found = read_book(FMT, grids(load(path)))
    a = found.address(key)
    assert a is not None
    return a.sheet, a.row, a.col


def input_cell(path: Path) -> tuple[str, int, int]:
    return address(path, ("表2", "2010301", "财政拨款收入"))


def text_in_amount(wb, path):  # type: ignore[no-untyped-def]
    s, r, c = input_cell(path)
    wb[s].cell(r, c).value = "一百万"
    return [s, f"{openpyxl.utils.get_column_letter(c)}{r}", "一百万", "text"]


def deleted_sheet(wb, path):  # type: ignore[no-untyped-def]
    del wb[T3]
    return [T3, "缺少工作表", "missing"]


def renamed_sheet(wb, path):  # type: ignore[no-untyped-def]
    wb[T3].title = "支出表（改）"
    return [T3, "缺少工作表", "renamed"]


def missing_header(wb, path):  # type: ignore[no-untyped-def]
    wb[T2]["C4"] = "收入合计数"
    return [T2, "C4", "表头", "header"]


def row_inserted_in_fixed_table(wb, path):  # type: ignore[no-untyped-def]
    shift_rows(wb[T1], 9, 1)
    return [T1, "A9", "插入", "inserted"]


def code_row_without_code(wb, path):  # type: ignore[no-untyped-def]
    s, r, _ = input_cell(path)
    wb[s].cell(r, 1).value = None
    return [s, f"A{r}", "缺少科目编码", "no 科目编码"]


def ref_error_in_input(wb, path):  # type: ignore[no-untyped-def]
    s, r, c = input_cell(path)
    wb[s].cell(r, c).value = "#REF!"
    return [s, f"{openpyxl.utils.get_column_letter(c)}{r}", "#REF!", "formula error"]


def div0_error_in_input(wb, path):  # type: ignore[no-untyped-def]
    s, r, c = address(path, ("表1", "年初结转和结余", "金额"))
    wb[s].cell(r, c).value = "#DIV/0!"
    return [s, f"{openpyxl.utils.get_column_letter(c)}{r}", "#DIV/0!", "formula error"]


def formula_in_input(wb, path):  # type: ignore[no-untyped-def]
    s, r, c = input_cell(path)
    wb[s].cell(r, c).value = "=1/0"
    return [s, f"{openpyxl.utils.get_column_letter(c)}{r}", "公式", "formula"]


def bad_code(wb, path):  # type: ignore[no-untyped-def]
    s, r, _ = input_cell(path)
    wb[s].cell(r, 1).value = "20103X1"
    return [s, f"A{r}", "20103X1"]


CASES: list[Callable] = [text_in_amount, deleted_sheet, renamed_sheet, missing_header, row_inserted_in_fixed_table,
                         code_row_without_code, ref_error_in_input, div0_error_in_input, formula_in_input, bad_code]


@pytest.mark.parametrize("damage", CASES, ids=[f.__name__ for f in CASES])
def test_bad_workbook_is_refused_naming_sheet_and_cell(filled_small: Path, tmp_path: Path, capsys, damage) -> None:
    src = copy(filled_small, tmp_path / "bad.xlsx")
    wb = openpyxl.load_workbook(src)
    words = damage(wb, src)
    wb.save(src)
    before = src.read_bytes()
    for argv in (["fill", str(src)], ["fill", str(src), "-o", str(tmp_path / "out.xlsx")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("错误 error:") and "（" in err and str(src) in err
        assert all(w in err for w in words), (words, err)
        assert src.read_bytes() == before
        assert not (tmp_path / "out.xlsx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx"]


def test_not_a_workbook_is_refused(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    assert main(["fill", str(bad)]) == 2
    assert "不是有效的 .xlsx" in capsys.readouterr().err
    assert main(["fill", str(tmp_path / "missing.xlsx")]) == 2
    assert "找不到文件" in capsys.readouterr().err
