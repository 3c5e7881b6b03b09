"""The wording rules of formats/nmg_2023/templates/WORDING.md, one department each."""

from __future__ import annotations

from decimal import Decimal as D

from juesuan.data_file import read_data
from juesuan.narrate import narrative

from test_check_support import CLEAN


def text(book, key: str) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(p.text for p in narrative(book).section(key).paragraphs)


def test_unchanged_reads_chiping_without_the_typed_reason() -> None:
    book = read_data(CLEAN)
    book.values[("上年决算", "机构运行经费", "值")] = D(40)  # = this year's 40
    assert text(book, "十一").endswith("与上年决算持平。")
    assert "（示例）" not in text(book, "十一")


def test_no_vehicles_is_one_sentence_and_the_department_is_named_once() -> None:
    book = read_data(CLEAN)
    for row in ("应急保障用车",):
        book.values[("表11", row, "数值")] = D(0)
    thirteen = text(book, "十三")
    assert "无车辆；" in thirteen and "0辆" not in thirteen and "本部门" not in thirteen
    assert thirteen.count("示例局") == 1


def test_full_coverage_only_at_one_hundred_percent() -> None:
    book = read_data(CLEAN)
    assert "全面开展绩效自评" in text(book, "十四")  # 50 of 50
    book.values[("绩效管理", "一般公共预算自评资金", "值")] = D(40)
    assert "全面" not in text(book, "十四")


def test_zero_budget_and_zero_base_are_words_not_brackets() -> None:
    book = read_data(CLEAN)
    eight = text(book, "八")
    assert "因公出国（境）费支出决算0.00万元，年初未安排预算" in eight
    assert "预算为0" not in eight and "（上年无此项）" not in eight
    assert "增加20.00万元，上年决算数为零" in eight  # 公务用车购置 from 0


def test_the_score_as_submitted_is_the_score_the_text_states() -> None:
    """自评得分 filed in the 绩效 system (98.3 for a computed 98.28) is printed as filed; blank → computed."""
    book = read_data(CLEAN)
    assert "项目自评得分98分" in text(book, "十四")  # 资金得分 10 + 指标得分 88
    book.values[("绩效自评", "1", "自评得分")] = D("98.0")
    assert "项目自评得分98分" in text(book, "十四")
    book.values[("绩效自评", "1", "自评得分")] = D("97.5")
    assert "项目自评得分97.5分" in text(book, "十四")


def test_a_workbook_made_before_the_submitted_score_column_still_reads(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """自评得分 is an optional trailing column: a workbook without it checks and narrates as before."""
    import openpyxl

    from juesuan.book_io import new_book, read_workbook
    from juesuan.check import check_file

    path = tmp_path / "old.xlsx"
    new_book(read_data(CLEAN), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["绩效自评"]
    col = next(c.column for row in ws.iter_rows(max_row=8) for c in row if c.value == "自评得分（绩效系统填报）")
    ws.delete_cols(col)
    wb.save(path)
    assert "项目自评得分98分" in text(read_workbook(path), "十四")
    assert not [f for f in check_file(path) if f.severity.value == "error"]
