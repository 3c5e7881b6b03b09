"""The narrative sheet: written by ``juesuan narrate``, print-ready, with two pie charts fed by
table cells; regenerating touches no other sheet and keeps a hand-edited narrative."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import PieChart

from juesuan.cli import main
from juesuan.narrate import narrative
from juesuan.narrate.sheet import HASH_CELL, SHEET, hand_edited, row_height, write_narrative_sheet
from test_narrate_fixtures import reference, small, workbook_file


@pytest.fixture()
def ref_book(tmp_path: Path) -> Path:
    return workbook_file(reference(), tmp_path / "ref.xlsx")


def cells(path: Path, skip: str = SHEET) -> dict[str, dict[str, object]]:
    """Every stored cell of every sheet but ``skip`` (formulas as text)."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
            for ws in wb.worksheets if ws.title != skip and not ws.title.startswith(SHEET)}


def column_a(path: Path, sheet: str = SHEET) -> list[str]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [v for (v,) in ws.iter_rows(min_col=1, max_col=1, values_only=True) if v]


def test_narrate_writes_the_sheet_one_paragraph_per_row(ref_book, capsys):
    assert main(["narrate", str(ref_book)]) == 0
    assert "已写出" in capsys.readouterr().out
    wb = openpyxl.load_workbook(ref_book)
    ws = wb[SHEET]
    text = narrative(reference())
    assert [t.strip("\u3000") for t in column_a(ref_book)] == text.lines()
    assert ws.column_dimensions["A"].width == pytest.approx(100)
    assert ws.column_dimensions["C"].hidden  # the hash
    for r in range(1, ws.max_row + 1):
        cell = ws.cell(r, 1)
        if cell.value:
            assert cell.alignment.wrap_text
            assert ws.row_dimensions[r].height >= row_height(cell.value, int(cell.font.sz))
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"  # A4
    assert int(ws.page_setup.scale) == 85
    assert ws.print_area.endswith(f"$A$1:$A${ws.max_row}")


def test_long_paragraphs_get_taller_rows():
    assert row_height("字" * 200, 12) > 3 * row_height("字" * 10, 12)
    assert row_height("1" * 40, 12) == row_height("字" * 20, 12)  # half-width digits count half


def test_two_native_pie_charts_reference_table_1_and_table_3(ref_book):
    main(["narrate", str(ref_book)])
    ws = openpyxl.load_workbook(ref_book)[SHEET]
    charts = ws._charts
    assert len(charts) == 2 and all(isinstance(c, PieChart) for c in charts)
    income, spending = charts
    val = income.series[0].val.numRef.f
    cat = income.series[0].cat.strRef.f if income.series[0].cat.strRef else income.series[0].cat.numRef.f
    assert val == "'收入支出决算总表'!$C$7:$C$14"  # 表1 金额 of income lines 一…八
    assert cat == "'收入支出决算总表'!$A$7:$A$14"
    t1 = openpyxl.load_workbook(ref_book)["收入支出决算总表"]
    assert [t1.cell(r, 1).value for r in (7, 14)] == ["一、一般公共预算财政拨款收入", "八、其他收入"]
    val = spending.series[0].val.numRef.f
    assert val.startswith("'支出决算表'!$D$") and val.split("!")[1].split(":")[1].startswith("$H$")
    t3 = openpyxl.load_workbook(ref_book)["支出决算表"]
    row = int(val.split("$")[-1])
    assert t3.cell(row, 2).value is None and t3.cell(row, 1).value == "合计"
    labels = spending.series[0].cat.strRef.f if spending.series[0].cat.strRef else spending.series[0].cat.numRef.f
    header = int(labels.split("$")[-1])
    assert [t3.cell(header, c).value for c in range(4, 9)] == ["基本支出", "项目支出", "上缴上级支出", "经营支出",
                                                             "对附属单位补助支出"]


def test_regenerating_changes_no_other_sheet(ref_book, tmp_path):
    before = cells(ref_book)
    main(["narrate", str(ref_book)])
    assert cells(ref_book) == before
    main(["narrate", str(ref_book)])  # and again, replacing its own sheet
    assert cells(ref_book) == before
    wb = openpyxl.load_workbook(ref_book)
    assert [n for n in wb.sheetnames if n.startswith(SHEET)] == [SHEET]


def test_narrated_workbook_keeps_stored_formula_values(ref_book):
    main(["narrate", str(ref_book)])
    ws = openpyxl.load_workbook(ref_book, data_only=True)["收入支出决算总表"]
    assert ws["C7"].value == pytest.approx(3038.1276)


def test_output_option_leaves_the_source_untouched(ref_book, tmp_path):
    original = ref_book.read_bytes()
    out = tmp_path / "out.xlsx"
    assert main(["narrate", str(ref_book), "-o", str(out)]) == 0
    assert ref_book.read_bytes() == original
    assert SHEET in openpyxl.load_workbook(out).sheetnames


def test_print_option_prints_the_text(ref_book, capsys):
    main(["narrate", str(ref_book), "--print"])
    out = capsys.readouterr()
    assert out.out.startswith("2023年度阿拉善高新技术产业开发区（乌斯太镇）党政综合办公室部门决算公开\n")
    assert "完成预算的82.75%" in out.out
    assert "已写出" in out.err  # status apart from the text


def test_a_hand_edited_narrative_is_kept_as_a_copy(ref_book, capsys):
    main(["narrate", str(ref_book)])
    wb = openpyxl.load_workbook(ref_book)
    assert not hand_edited(wb[SHEET])
    wb[SHEET]["A5"] = "手工改写的一段。"
    wb.save(ref_book)
    capsys.readouterr()
    main(["narrate", str(ref_book)])
    out = capsys.readouterr().out
    assert "决算情况说明(手改1)" in out and "手工修改" in out
    wb = openpyxl.load_workbook(ref_book)
    assert wb.sheetnames.index(SHEET) == wb.sheetnames.index(f"{SHEET}(手改1)") + 1
    assert wb[f"{SHEET}(手改1)"]["A5"].value == "手工改写的一段。"
    assert "手工改写的一段。" not in column_a(ref_book)
    main(["narrate", str(ref_book)])  # the fresh sheet is not edited: no second copy
    assert f"{SHEET}(手改2)" not in openpyxl.load_workbook(ref_book).sheetnames


def test_a_sheet_of_that_name_made_by_hand_is_kept(ref_book):
    wb = openpyxl.load_workbook(ref_book)
    wb.create_sheet(SHEET)["A1"] = "自己写的说明"
    wb.save(ref_book)
    main(["narrate", str(ref_book)])
    wb = openpyxl.load_workbook(ref_book)
    assert wb[f"{SHEET}(手改1)"]["A1"].value == "自己写的说明"
    assert wb[SHEET][HASH_CELL].value.startswith("juesuan-narrative-sha256:")


def test_placeholders_are_listed_by_the_command(tmp_path, capsys):
    path = workbook_file(small(), tmp_path / "small.xlsx")
    assert main(["narrate", str(path)]) == 0
    err = capsys.readouterr().err
    assert "【请填写…】" in err and "「变动原因」" in err
    assert any("【请填写「变动原因」表：" in t for t in column_a(path))


def test_api_writes_without_the_command(tmp_path):
    book = small()
    path = workbook_file(book, tmp_path / "api.xlsx")
    wb = openpyxl.load_workbook(path)
    result = write_narrative_sheet(wb, narrative(book), book)
    assert result.sheet == SHEET and result.kept_copy is None and result.paragraphs == len(narrative(book).lines())
    assert len(wb[SHEET]._charts) == 2


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="needs LibreOffice, poppler")
def test_libreoffice_prints_every_paragraph_in_full(ref_book, tmp_path):
    """Row heights and print scale: the PDF holds every paragraph's whole text (nothing clipped)."""
    main(["narrate", str(ref_book)])
    wb = openpyxl.load_workbook(ref_book)
    for name in wb.sheetnames:  # print the narrative alone (its charts' tables stay for the refs)
        if name not in (SHEET, "收入支出决算总表", "支出决算表"):
            wb[name].sheet_state = "hidden"
    wb.active = wb.sheetnames.index(SHEET)
    only = tmp_path / "print.xlsx"
    wb.save(only)
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(only)], check=True, capture_output=True, timeout=240)
    pdf = subprocess.run(["pdftotext", str(tmp_path / "print.pdf"), "-"], check=True, capture_output=True,
                         text=True).stdout
    flat = "".join(pdf.split())
    missing = [t for t in column_a(ref_book) if "".join(t.split()) not in flat]
    assert not missing, missing[:3]
