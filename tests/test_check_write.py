"""``juesuan check`` on files: exit statuses, JSON, the 校验结果 sheet, cell marks, 出错说明.

The workbook is the clean department with two contradictions typed in and recalculated:
表6 基本工资 65 (X13, an error: 表5 基本支出 ≠ 表6) and 表11 机构运行经费 41 (X19, a warning).
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from juesuan import cached
from juesuan.book_io import new_book
from juesuan.check import check_file
from juesuan.check.acknowledge import NOT_FOR_ERRORS, SHEET
from juesuan.check.read import load_grids
from juesuan.check.report_sheet import AUTHOR, cached_values
from juesuan.cli import main
from juesuan.fill import fill_workbook

from test_check_support import clean_book, clean_file

X13_CELL = ("一般公共预算财政拨款支出决算表", "D7")  # 表5 合计 基本支出: the first cell of X13
X19_CELL = ("机构运行经费支出、国有资产占用情况及政府采购支出信息表", "D6")


@pytest.fixture(scope="module")
def flawed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = clean_book()
    book.values[("表6", "30101", "决算数")] = Decimal(65)
    book.values[("表11", "机构运行经费支出", "数值")] = Decimal(41)
    path = tmp_path_factory.mktemp("check_write") / "flawed.xlsx"
    new_book(book, path)
    return path


@pytest.fixture()
def work(flawed: Path, tmp_path: Path) -> Path:
    path = tmp_path / "部门决算.xlsx"
    shutil.copy(flawed, path)
    return path


def report(path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["check", "--json", str(path)]) in (0, 1)
    return json.loads(capsys.readouterr().out)


def test_exit_status_and_text(work: Path, tmp_path_factory: pytest.TempPathFactory,
                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(work)]) == 1
    out = capsys.readouterr().out
    assert "[错误 X13]" in out and "[警告 X19]" in out and "错误 error 1" in out
    assert main(["check", str(clean_file(str(tmp_path_factory.mktemp("clean"))))]) == 0
    bad = tmp_path_factory.mktemp("bad") / "not.xlsx"
    bad.write_text("not a workbook")
    assert main(["check", str(bad)]) == 2


def test_json_report(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = report(work, capsys)
    assert data["file"] == str(work)
    echoes = [f for f in data["findings"] if f["rule"] == "N-TEXT"]  # the text repeats the tables' contradictions
    assert echoes and all(f["severity"] == "info" and "请先改正表格" in f["message"] for f in echoes)
    assert data["summary"] == {"error": 1, "warning": 1, "info": len(echoes), "acknowledged": 0}
    x13 = next(f for f in data["findings"] if f["rule"] == "X13")
    assert x13["severity"] == "error" and x13["expected"] == "135.00" and x13["actual"] == "130.00"
    assert x13["difference"] == "-5.00" and x13["tolerance"] is not None
    assert x13["cells"][0] == {"sheet": X13_CELL[0], "cell": X13_CELL[1], "table": "表5", "row": "合计",
                               "column": "基本支出"}
    assert set(x13) >= {"rule", "severity", "message", "cells", "expected", "actual", "difference", "tolerance",
                        "acknowledged"}


def test_write_adds_sheet_links_and_marks_without_touching_cells(work: Path) -> None:
    before_values, _ = load_grids(work)
    before = openpyxl.load_workbook(work)
    style = before[X13_CELL[0]][X13_CELL[1]].style
    assert main(["check", "--write", str(work)]) == 1
    after_values, _ = load_grids(work)
    for sheet, grid in before_values.items():
        assert after_values[sheet] == grid, sheet  # every value and cached formula value intact
    wb = openpyxl.load_workbook(work)
    ws = wb[SHEET]
    headers = [c.value for c in ws[4]]
    assert headers[:10] == ["序号", "规则", "级别", "说明", "单元格", "期望值", "实际值", "差额", "容差", "出错说明"]
    rows = {r[1].value: r for r in ws.iter_rows(min_row=5)}
    assert set(rows) == {"X13", "X19", "N-TEXT"}  # N-TEXT: the narrative echoes them (info)
    link = rows["X13"][4].hyperlink
    assert link.location == f"'{X13_CELL[0]}'!{X13_CELL[1]}"
    assert rows["X13"][2].value == "错误" and rows["X19"][2].value == "警告"
    marked = wb[X13_CELL[0]][X13_CELL[1]]
    assert marked.comment is not None and marked.comment.author == AUTHOR and "X13" in marked.comment.text
    assert marked.style == style and marked.value == before[X13_CELL[0]][X13_CELL[1]].value
    assert check_file(work)[0].rule == "X13"  # the file still checks the same


def _explain(path: Path, texts: dict[str, str]) -> None:
    """Type 出错说明 into the 校验结果 sheet, as an accountant would (keeping cached values)."""
    values, formulas = load_grids(path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    for row in ws.iter_rows(min_row=5):
        if row[1].value in texts:
            row[9].value = texts[row[1].value]
    cached.save_with_values(wb, path, cached_values(values, formulas))


def test_acknowledged_warning_no_longer_counts_errors_cannot_be(work: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--write", str(work)]) == 1
    capsys.readouterr()
    _explain(work, {"X19": "本地区机构运行经费口径不含工会经费", "X13": "以后再改"})
    data = report(work, capsys)
    echoes = sum(f["rule"] == "N-TEXT" for f in data["findings"])
    assert data["summary"] == {"error": 1, "warning": 0, "info": echoes, "acknowledged": 1}
    x19 = next(f for f in data["findings"] if f["rule"] == "X19")
    assert x19["acknowledged"] == "本地区机构运行经费口径不含工会经费"
    assert next(f for f in data["findings"] if f["rule"] == "X13")["acknowledged"] is None
    assert main(["check", "--write", str(work)]) == 1
    capsys.readouterr()
    wb = openpyxl.load_workbook(work)
    rows = {r[1].value: r for r in wb[SHEET].iter_rows(min_row=5)}
    assert rows["X19"][9].value == "本地区机构运行经费口径不含工会经费"
    assert rows["X19"][2].value == "警告（已说明）"
    assert rows["X13"][9].value == "以后再改" + NOT_FOR_ERRORS
    assert wb[X19_CELL[0]][X19_CELL[1]].comment is None  # acknowledged: no longer marked
    assert wb[X13_CELL[0]][X13_CELL[1]].comment is not None
    assert main(["check", "--write", str(work)]) == 1  # explanations survive another round
    capsys.readouterr()
    wb = openpyxl.load_workbook(work)
    rows = {r[1].value: r for r in wb[SHEET].iter_rows(min_row=5)}
    assert rows["X13"][9].value == "以后再改" + NOT_FOR_ERRORS


def test_fixed_findings_lose_their_marks(work: Path) -> None:
    assert main(["check", "--write", str(work)]) == 1
    wb = openpyxl.load_workbook(work)
    wb["一般公共预算财政拨款基本支出决算明细表"]["C7"].value = 60  # 30101 基本工资 back to 60
    wb.save(work)
    fill_workbook(work)  # recalculated
    assert main(["check", "--write", str(work)]) == 0
    wb = openpyxl.load_workbook(work)
    assert wb[X13_CELL[0]][X13_CELL[1]].comment is None
    assert [r[1].value for r in wb[SHEET].iter_rows(min_row=5)] == ["X19", "N-TEXT"]  # 十一 vs 六 echoes X19


def test_user_comments_are_kept(work: Path) -> None:
    wb = openpyxl.load_workbook(work)
    wb[X13_CELL[0]][X13_CELL[1]].comment = openpyxl.comments.Comment("我的批注", "会计")
    values, formulas = load_grids(work)
    cached.save_with_values(wb, work, cached_values(values, formulas))
    assert main(["check", "--write", str(work)]) == 1
    c = openpyxl.load_workbook(work)[X13_CELL[0]][X13_CELL[1]].comment
    assert c.author == "会计" and c.text == "我的批注"


def test_write_refuses_a_workbook_open_in_excel(work: Path) -> None:
    lock = work.with_name("~$" + work.name)
    lock.write_text("")
    try:
        before = work.read_bytes()
        assert main(["check", "--write", str(work)]) == 2
        assert work.read_bytes() == before
    finally:
        lock.unlink()
