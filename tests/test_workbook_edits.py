"""Workbooks as accountants leave them: numbers pasted as text, rows inserted above a table,
merged cells in a data row, project names with stray spaces — fill must still give the numbers
Excel will show."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import range_boundaries

from juesuan.cli import main
from juesuan.data_file import book_from_data
from juesuan.derive import compute

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small.json"
T1 = "收入支出决算总表"
T5 = "一般公共预算财政拨款支出决算表"


def insert_rows_like_excel(ws, idx: int, n: int = 1) -> None:  # type: ignore[no-untyped-def]
    """openpyxl's insert_rows leaves merged ranges behind; Excel moves them with the rows."""
    merges = [m.coord for m in ws.merged_cells.ranges]
    for m in merges:
        ws.unmerge_cells(m)
    ws.insert_rows(idx, n)
    for m in merges:
        c1, r1, c2, r2 = range_boundaries(m)
        if r1 >= idx:
            r1, r2 = r1 + n, r2 + n
        elif r2 >= idx:
            r2 += n
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def filled(tmp_path: Path) -> Path:
    path = tmp_path / "book.xlsx"
    assert main(["new", "--data", str(SMALL), "-o", str(path)]) == 0
    return path


def row_of(ws, label: str, col: int = 1) -> int:  # type: ignore[no-untyped-def]
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, col).value == label)


def test_a_number_pasted_as_text_is_written_back_as_a_number(tmp_path: Path):
    path = filled(tmp_path)
    wb = openpyxl.load_workbook(path)
    r = row_of(wb[T1], "年初结转和结余")
    wb[T1].cell(r, 3).value = "1,000.02"
    wb.save(path)
    assert main(["fill", str(path)]) == 0
    cell = openpyxl.load_workbook(path)[T1].cell(r, 3)
    assert cell.value == 1000.02 and not isinstance(cell.value, str)


def test_rows_inserted_above_a_table_keep_its_title(tmp_path: Path):
    path = filled(tmp_path)
    wb = openpyxl.load_workbook(path)
    insert_rows_like_excel(wb[T5], 1, 2)
    wb.save(path)
    assert main(["fill", str(path)]) == 0
    ws = openpyxl.load_workbook(path)[T5]
    assert ws["A3"].value == T5  # the title moved down two rows and is intact
    assert ws["A5"].value == "部门：示例局"  # the 部门 line sits right above the headers
    assert sum(1 for r in range(1, 8) if str(ws.cell(r, 1).value or "").startswith("部门：")) == 1


def test_merged_cells_in_a_data_row_do_not_stop_fill(tmp_path: Path):
    path = filled(tmp_path)
    wb = openpyxl.load_workbook(path)
    r = row_of(wb[T5], "合计")
    wb[T5].merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    wb.save(path)
    assert main(["fill", str(path)]) == 0
    ws = openpyxl.load_workbook(path)[T5]
    assert ws.cell(r, 1).value == "合计" and str(ws.cell(r, 3).value).startswith("=SUM(")


def test_a_project_name_with_a_trailing_space_matches_no_indicator_as_in_excel():
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    values = compute(book_from_data(data))
    assert values[("绩效自评", "1", "指标得分")] == Decimal(88)
    data["绩效自评"][0]["项目名称"] = "甲项目 "  # SUMIF compares the whole text: no match
    values = compute(book_from_data(data))
    assert values[("绩效自评", "1", "指标得分")] == 0
    data["绩效自评"][0]["项目名称"] = "甲项目"
    data["绩效指标"][0]["项目名称"] = "甲项目"
    assert compute(book_from_data(data))[("绩效自评", "1", "指标得分")] == Decimal(88)


def test_a_listed_code_typed_on_the_sheet_gets_its_name_from_the_list(tmp_path: Path):
    path = filled(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[T5]
    note = next(r for r in range(8, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith("注"))
    ws.insert_rows(note)
    ws.cell(note, 1).value, ws.cell(note, 2).value, ws.cell(note, 5).value = "2010350", "事业运行（自填）", 3
    ws.cell(note + 1, 1).value = None  # openpyxl does not move the 注 merge: write it where it went
    wb.save(path)
    assert main(["fill", str(path)]) == 0
    ws = openpyxl.load_workbook(path)[T5]
    names = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(8, ws.max_row + 1)}
    assert names["2010350"] == "事业运行"  # a listed code takes the list's name


def test_codes_outside_the_list_round_trip_with_their_names(tmp_path: Path):
    data = ROOT / "tests" / "data" / "custom_codes.json"
    book = tmp_path / "c.xlsx"
    back = tmp_path / "c.json"
    assert main(["new", "--data", str(data), "-o", str(book)]) == 0
    ws = openpyxl.load_workbook(book)[T5]
    names = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(8, ws.max_row + 1)}
    assert names["2019801"] == "自定义项" and names["20198"] == "自定义款"
    assert main(["fill", str(book)]) == 0
    ws = openpyxl.load_workbook(book)[T5]
    assert {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(8, ws.max_row + 1)}["2019801"] == "自定义项"
    assert main(["dump", str(book), "-o", str(back)]) == 0
    assert json.loads(back.read_text(encoding="utf-8"))["科目名称"] == {"20198": "自定义款", "2019801": "自定义项"}


def test_new_never_overwrites_without_force_nor_writes_over_its_input(tmp_path: Path, capsys):
    data = tmp_path / "d.json"
    data.write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["new", "--data", str(data), "-o", str(data)]) == 2
    assert json.loads(data.read_text(encoding="utf-8")) == json.loads(SMALL.read_text(encoding="utf-8"))
    book = filled(tmp_path)
    before = book.read_bytes()
    assert main(["new", "-o", str(book)]) == 2
    assert book.read_bytes() == before and "--force" in capsys.readouterr().err
    assert main(["new", "--force", "-o", str(book)]) == 0
    assert main(["dump", str(book), "-o", str(book)]) == 2


def test_writes_keep_the_file_mode_and_refuse_macro_workbooks_and_folders(tmp_path: Path, capsys):
    import os

    book = filled(tmp_path)
    os.chmod(book, 0o664)
    assert main(["fill", str(book)]) == 0
    assert os.stat(book).st_mode & 0o777 == 0o664
    macro = tmp_path / "m.xlsm"
    macro.write_bytes(book.read_bytes())
    assert main(["fill", str(macro)]) == 2 and ".xlsm" in capsys.readouterr().err
    folder = tmp_path / "out"
    folder.mkdir()
    assert main(["fill", str(book), "-o", str(folder)]) == 2
    assert "文件夹" in capsys.readouterr().err


def test_a_users_own_formulas_follow_the_rows_fill_inserts(tmp_path: Path):
    path = filled(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[T5]
    note = next(r for r in range(8, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith("注"))
    ws.cell(note + 2, 1).value = "单位负责人："
    ws.cell(note + 2, 2).value = f"=A{note + 2}"  # the user's own formula on the table's sheet
    wb.create_sheet("我的汇总")["A1"] = f"='{T5}'!A{note + 2}"  # and on another sheet
    wb.save(path)
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    data["表5"]["2050101"] = {"基本支出": 1}  # a new 类 → three more rows in 表5
    data["表3"]["2050101"] = {"基本支出": 1}
    src = tmp_path / "more.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    wb = openpyxl.load_workbook(path)
    ws = wb[T5]
    ws.insert_rows(note)  # the accountant adds the new 项 row above the 注 row
    ws.cell(note, 1).value, ws.cell(note, 4).value = "2050101", 1
    ws.cell(note + 3, 2).value = f"=A{note + 3}"  # (Excel would have moved these two references)
    wb["我的汇总"]["A1"] = f"='{T5}'!A{note + 3}"
    wb.save(path)
    assert main(["fill", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    ws = wb[T5]
    r = next(r for r in range(8, ws.max_row + 1) if ws.cell(r, 1).value == "单位负责人：")
    assert ws.cell(r, 2).value == f"=A{r}"
    assert wb["我的汇总"]["A1"].value == f"='{T5}'!A{r}"
