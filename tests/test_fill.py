"""Fill: every derived cell a live formula with its value stored; overwritten cells restored;
idempotent; safe writes; other formulas valued; the lint refuses what Excel would break on."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula
from test_fill_support import cell_contents, copy, formulas, is_number, shift_rows, stored_values

from juesuan.book_io import new_book
from juesuan.cli import main
from juesuan.data_file import read_data
from juesuan.derive import compute, derivations
from juesuan.fill import fill_workbook, same_formula
from juesuan.formats import load_format
from juesuan.lint import lint_workbook
from juesuan.locate import read_book
from juesuan.templates import template_path
from juesuan.workbook_file import grids, load

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small.json"


@pytest.fixture(scope="module")
def filled_small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("small") / "small.xlsx"
    new_book(read_data(SMALL), path)
    return path


def where(path: Path, key: tuple[str, str, str]) -> tuple[str, int, int]:
    """(sheet, row, column) of a cell key in a workbook as it stands."""
    _, found = read_book(load_format(), grids(load(path)))
    a = found.address(key)
    assert a is not None, key
    return a.sheet, a.row, a.col


def a1(cell: tuple[str, int, int]) -> str:
    return f"{cell[0]}!{openpyxl.utils.get_column_letter(cell[2])}{cell[1]}"


# ── the filled reference workbook ────────────────────────────────────────────────────────
def test_every_derived_cell_holds_a_formula_and_its_value(filled_reference: Path, reference_book) -> None:
    texts = formulas(filled_reference)
    values = stored_values(filled_reference)
    expected = compute(reference_book)
    _, found = read_book(load_format(), grids(load(filled_reference)))
    assert len(expected) > 500
    for key, value in expected.items():
        a = found.address(key)
        assert a is not None, key
        cell = (a.sheet, a.row, a.col)
        assert texts.get(cell, "").startswith("="), f"{key} at {a1(cell)} holds no formula"
        assert is_number(values.get(cell)), f"{key} at {a1(cell)} has no stored value"
        assert abs(Decimal(repr(values[cell])) - value) < Decimal("1e-9"), (key, values[cell], value)


def test_no_formula_cell_lacks_a_value(filled_reference: Path) -> None:
    texts = formulas(filled_reference)
    values = stored_values(filled_reference)
    missing = [a1(c) for c in texts if c not in values]
    assert texts and not missing, missing[:10]


def test_openpyxl_data_only_and_pandas_read_the_values(filled_reference: Path, reference_book) -> None:
    import pandas as pd

    wb = openpyxl.load_workbook(filled_reference, data_only=True)
    sheet, r, c = where(filled_reference, ("表1", "收入总计", "金额"))
    total = compute(reference_book)[("表1", "收入总计", "金额")]
    assert wb[sheet].cell(r, c).value == pytest.approx(float(total))
    frame = pd.read_excel(filled_reference, sheet_name=sheet, header=None, engine="openpyxl")
    assert frame.iat[r - 1, c - 1] == pytest.approx(float(total))


def test_excel_is_asked_to_recalculate_on_open(filled_reference: Path) -> None:
    import zipfile

    with zipfile.ZipFile(filled_reference) as z:
        xml = z.read("xl/workbook.xml").decode()
    assert 'fullCalcOnLoad="1"' in xml


def test_template_and_filled_workbook_pass_the_lint(filled_reference: Path) -> None:
    for path in (template_path("nmg-2023"), filled_reference):
        result = lint_workbook(openpyxl.load_workbook(path))
        assert result.errors == [], [str(e) for e in result.errors[:5]]
        assert len(result.formulas) > 200


def test_our_evaluator_recomputes_every_stored_value(filled_reference: Path) -> None:
    """Formula text → value by xleval agrees with derive's Expr → value (two independent paths)."""
    from juesuan.xleval import Evaluator, scalar_of

    wb = openpyxl.load_workbook(filled_reference)
    values = stored_values(filled_reference)
    lint = lint_workbook(wb)
    by_fold = {s.casefold(): s for s in wb.sheetnames}
    done: dict = {}

    def value(cell):  # type: ignore[no-untyped-def]
        if cell in lint.formulas:
            if cell not in done:
                host = cell[0]
                ev = Evaluator(lambda s, r, c: value((host if s is None else by_fold[s.casefold()], r, c)))
                done[cell] = ev.value(lint.formulas[cell].tree())
            return done[cell]
        got = wb[cell[0]]._cells.get((cell[1], cell[2]))
        return None if got is None else scalar_of(got.value)

    for cell in lint.formulas:
        v = value(cell)
        assert abs(float(v) - values[cell]) < 1e-9, (a1(cell), v, values[cell])


def test_formulas_excel_model_agrees_on_a_small_workbook(filled_small: Path) -> None:
    """In-process cross-check with the ``formulas`` package's own Excel engine (small book only)."""
    import formulas as fx

    model = fx.ExcelModel().loads(str(filled_small)).finish()
    solution = model.calculate()
    values = stored_values(filled_small)
    texts = formulas(filled_small)
    checked = 0
    for (sheet, r, c) in texts:
        ref = f"'[{filled_small.name}]{sheet.upper()}'!{openpyxl.utils.get_column_letter(c)}{r}"
        if ref not in solution:
            continue
        got = solution[ref].value[0, 0]
        assert abs(float(got) - values[(sheet, r, c)]) < 1e-6, (sheet, r, c, got, values[(sheet, r, c)])
        checked += 1
    assert checked > 0.9 * len(texts)


# ── idempotence and safe writing ─────────────────────────────────────────────────────────
def test_filling_a_filled_workbook_changes_no_cell(filled_reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "again.xlsx"
    report = fill_workbook(filled_reference, out)
    assert report.replaced == [] and report.uncomputed == []
    assert cell_contents(out) == cell_contents(filled_reference)
    assert stored_values(out) == stored_values(filled_reference)
    again = tmp_path / "third.xlsx"
    fill_workbook(out, again)
    assert cell_contents(again) == cell_contents(out)


def test_output_elsewhere_never_touches_the_input(filled_small: Path, tmp_path: Path) -> None:
    src = copy(filled_small, tmp_path / "in.xlsx")
    before, stat = src.read_bytes(), src.stat()
    assert main(["fill", str(src), "-o", str(tmp_path / "out.xlsx")]) == 0
    assert src.read_bytes() == before and src.stat().st_mtime_ns == stat.st_mtime_ns
    assert (tmp_path / "out.xlsx").exists()


def test_in_place_fill_replaces_the_file_atomically(filled_small: Path, tmp_path: Path) -> None:
    src = copy(filled_small, tmp_path / "book.xlsx")
    inode = src.stat().st_ino
    assert main(["fill", str(src)]) == 0
    assert src.stat().st_ino != inode  # a new file renamed over the old one, never rewritten in place
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]  # no temporary file left behind


def test_a_workbook_open_in_excel_is_refused(filled_small: Path, tmp_path: Path, capsys) -> None:
    src = copy(filled_small, tmp_path / "book.xlsx")
    (tmp_path / "~$book.xlsx").write_bytes(b"lock")
    before = src.read_bytes()
    assert main(["fill", str(src)]) == 2
    err = capsys.readouterr().err
    assert "Excel" in err and "~$" in err
    assert src.read_bytes() == before
    assert main(["fill", str(src), "-o", str(tmp_path / "copy.xlsx")]) == 0  # -o is allowed


# ── derived cells the user overwrote ─────────────────────────────────────────────────────
def test_overwritten_derived_cells_get_their_formula_back_and_are_reported(filled_small: Path, tmp_path: Path,
                                                                          capsys) -> None:
    src = copy(filled_small, tmp_path / "edited.xlsx")
    total = where(src, ("表2", "合计", "财政拨款收入"))
    grand = where(src, ("表1", "收入总计", "金额"))
    original = formulas(src)
    wb = openpyxl.load_workbook(src)
    wb[total[0]].cell(total[1], total[2]).value = 999
    wb[grand[0]].cell(grand[1], grand[2]).value = "=1+1"
    wb.save(src)
    out = tmp_path / "out.xlsx"
    assert main(["fill", str(src), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert a1(total) in printed and "999" in printed and a1(grand) in printed and "=1+1" in printed
    assert "已恢复" in printed
    assert formulas(out) == original
    report = fill_workbook(src, tmp_path / "api.xlsx")
    olds = {r.where: r.old for r in report.replaced}
    assert olds == {a1(total): 999, a1(grand): "=1+1"}
    assert stored_values(out)[total] == pytest.approx(120.5)


def test_pasted_subtotals_are_reported_with_the_value_they_replaced(filled_small: Path, tmp_path: Path) -> None:
    src = copy(filled_small, tmp_path / "pasted.xlsx")
    cells = [where(src, ("表5", "201", col)) for col in ("小计", "基本支出", "项目支出")]
    wb = openpyxl.load_workbook(src)
    for (sheet, r, c), v in zip(cells, (100.5, 90, 10.5)):
        wb[sheet].cell(r, c).value = v
    wb.save(src)
    report = fill_workbook(src, tmp_path / "out.xlsx")
    assert sorted(r.where for r in report.replaced) == sorted(a1(c) for c in cells)
    assert all(r.value == Decimal(str(r.old)) for r in report.replaced)  # same numbers: harmless paste
    assert all(formulas(tmp_path / "out.xlsx")[c].startswith("=SUM(") for c in cells)


def test_a_new_code_row_is_placed_without_false_reports(filled_small: Path, tmp_path: Path) -> None:
    src = copy(filled_small, tmp_path / "grown.xlsx")
    sheet, r, _ = where(src, ("表2", "2080505", "财政拨款收入"))
    wb = openpyxl.load_workbook(src)
    ws = wb[sheet]
    shift_rows(ws, r + 1, 1)
    ws.cell(r + 1, 1).value = "2010302"
    ws.cell(r + 1, 4).value = 7.25
    wb.save(src)
    out = tmp_path / "out.xlsx"
    report = fill_workbook(src, out)
    assert report.replaced == []
    total = where(out, ("表2", "合计", "财政拨款收入"))
    assert stored_values(out)[total] == pytest.approx(127.75)
    new_row = where(out, ("表2", "2010302", "本年收入合计"))
    assert formulas(out)[new_row].startswith("=SUM(")


def test_a_subtotal_row_left_without_items_is_removed_and_reported(filled_small: Path, tmp_path: Path) -> None:
    src = copy(filled_small, tmp_path / "orphan.xlsx")
    sheet, r, _ = where(src, ("表2", "2080505", "财政拨款收入"))
    kuan = where(src, ("表2", "20805", "财政拨款收入"))
    wb = openpyxl.load_workbook(src)
    ws = wb[sheet]
    for row in (r - 2, r - 1):  # the 类 208 and 款 20805 rows, as typed numbers
        for c in range(3, 10):
            ws.cell(row, c).value = 20 if c in (3, 4) else None
    shift_rows(ws, r, -1)
    wb.save(src)
    out = tmp_path / "out.xlsx"
    report = fill_workbook(src, out)
    removed = [x for x in report.replaced if not x.formula]
    assert {x.where.split("（")[1].rstrip("）") for x in removed} == {"208", "20805"}
    assert a1(kuan) in {x.where.split("（")[0] for x in removed}
    book, _ = read_book(load_format(), grids(load(out)))
    assert book.codes["表2"] == ["2010301"]
    assert "208" not in [row for row in book.rows(load_format().table("表2"))]


def test_the_template_typed_by_hand_fills_without_reports(tmp_path: Path) -> None:
    """The usual start: inputs typed into the template's blank rows, no 类/款 rows, then fill."""
    src = copy(template_path("nmg-2023"), tmp_path / "typed.xlsx")
    fmt = load_format()
    wb = openpyxl.load_workbook(src)
    ws = wb[fmt.table("表2").sheet]
    ws["A8"], ws["B8"], ws["D8"], ws["I8"] = "2010301", "行政运行", 100.5, 1.2345
    ws["A9"], ws["D9"] = 2080505, 20  # a code typed as a number
    wb.save(src)
    report = fill_workbook(src)
    assert report.replaced == [] and report.uncomputed == []
    book, _ = read_book(fmt, grids(load(src)))
    assert book.codes["表2"] == ["2010301", "2080505"]
    total = where(src, ("表2", "合计", "本年收入合计"))
    assert stored_values(src)[total] == pytest.approx(121.7345)
    assert fill_workbook(src).replaced == []


def test_same_formula_ignores_quoting_dollars_and_spaces() -> None:
    assert same_formula("=SUM(收入决算表!$C$7, D8)", "=SUM('收入决算表'!C7,D8)", "x")
    assert same_formula("='x'!A1+B2", "=A1+B2", "x")
    assert not same_formula("=SUM(C7,D8)", "=SUM(C7,D9)", "x")


# ── formulas that are not ours ───────────────────────────────────────────────────────────
def test_other_formulas_get_a_value_or_are_reported(filled_small: Path, tmp_path: Path, capsys) -> None:
    src = copy(filled_small, tmp_path / "extra.xlsx")
    total = where(src, ("表2", "合计", "本年收入合计"))
    wb = openpyxl.load_workbook(src)
    ws = wb["单位信息"]
    ws["D2"] = f"=ROUND('{total[0]}'!{openpyxl.utils.get_column_letter(total[2])}{total[1]}*2,2)"
    ws["D3"] = '=IF(D2>100,"大","小")'
    ws["D4"] = ArrayFormula("D4", "=SUM(B20:B21*2)")
    wb.save(src)
    out = tmp_path / "out.xlsx"
    assert main(["fill", str(src), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    values = stored_values(out)
    assert values[("单位信息", 2, 4)] == pytest.approx(243.47)  # ROUND(121.7345*2, 2)
    assert values[("单位信息", 3, 4)] == "大"
    assert ("单位信息", 4, 4) not in values and "单位信息!D4" in printed and "无法计算" in printed
    report = fill_workbook(src, tmp_path / "api.xlsx")
    assert report.other == 2 and [w for w, _ in report.uncomputed] == ["单位信息!D4"]


def test_a_checked_workbook_with_hyperlinks_and_chart_sources_fills(filled_small: Path, tmp_path: Path) -> None:
    """The ribbon writes a 校验结果 sheet of HYPERLINK formulas and chart sources referring to labels."""
    src = copy(filled_small, tmp_path / "checked.xlsx")
    wb = openpyxl.load_workbook(src)
    ws = wb.create_sheet("校验结果")
    ws["E5"] = '=HYPERLINK("#\'收入决算表\'!C7","收入决算表!C7")'
    ws["F5"] = "='收入支出决算总表'!A7"
    ws["G5"] = "='收入决算表'!C7"
    wb.save(src)
    out = tmp_path / "out.xlsx"
    report = fill_workbook(src, out)
    assert report.other == 3 and report.uncomputed == []
    values = stored_values(out)
    assert values[("校验结果", 5, 5)] == "收入决算表!C7"
    assert values[("校验结果", 5, 6)] == "一、一般公共预算财政拨款收入"
    assert values[("校验结果", 5, 7)] == pytest.approx(121.7345)


@pytest.mark.parametrize("formula, words", [
    ("=VLOOKUP(A1,A1:B2,2)", ["VLOOKUP", "不支持的函数"]),
    ("='不存在的表'!A1", ["不存在的表", "不存在"]),
    ("=SUM(#REF!)", ["#REF!"]),
    ("=A1048577", ["无效"]),
    ("=SUM(A1", ["无法解析"]),
    ("=未定义名称+1", ["未定义的名称"]),
])
def test_the_lint_refuses_a_bad_formula_and_names_the_cell(filled_small: Path, tmp_path: Path, capsys, formula,
                                                           words) -> None:
    src = copy(filled_small, tmp_path / "bad.xlsx")
    wb = openpyxl.load_workbook(src)
    wb["单位信息"]["D2"] = formula
    wb.save(src)
    before = src.read_bytes()
    assert main(["fill", str(src)]) == 2
    err = capsys.readouterr().err
    assert "单位信息" in err and "D2" in err and all(w in err for w in words), err
    assert src.read_bytes() == before


def test_the_lint_refuses_a_cycle(filled_small: Path, tmp_path: Path, capsys) -> None:
    src = copy(filled_small, tmp_path / "cycle.xlsx")
    wb = openpyxl.load_workbook(src)
    wb["单位信息"]["D2"] = "=D3+1"
    wb["单位信息"]["D3"] = "=SUM(D1:D2)"
    wb.save(src)
    before = src.read_bytes()
    assert main(["fill", str(src)]) == 2
    err = capsys.readouterr().err
    assert "循环引用" in err and "circular" in err and "单位信息!D2" in err and "单位信息!D3" in err
    assert src.read_bytes() == before


def test_new_with_data_fills_and_no_fill_leaves_derived_cells_empty(tmp_path: Path) -> None:
    assert main(["new", "--data", str(SMALL), "-o", str(tmp_path / "filled.xlsx")]) == 0
    assert main(["new", "--data", str(SMALL), "-o", str(tmp_path / "bare.xlsx"), "--no-fill"]) == 0
    assert len(formulas(tmp_path / "filled.xlsx")) == len(derivations(read_data(SMALL)))
    assert formulas(tmp_path / "bare.xlsx") == {}
    report = fill_workbook(tmp_path / "bare.xlsx")  # empty derived cells are filled, not reported
    assert report.replaced == [] and report.derived == len(derivations(read_data(SMALL)))
    assert cell_contents(tmp_path / "bare.xlsx") == cell_contents(tmp_path / "filled.xlsx")
    assert stored_values(tmp_path / "bare.xlsx") == stored_values(tmp_path / "filled.xlsx")


def test_report_text_is_chinese_with_english_beside(filled_small: Path, tmp_path: Path) -> None:
    report = fill_workbook(filled_small, tmp_path / "out.xlsx")
    text = report.text()
    assert "已填充" in text and "filled" in text and "已写出" in text and str(tmp_path / "out.xlsx") in text
    assert os.path.exists(tmp_path / "out.xlsx")
