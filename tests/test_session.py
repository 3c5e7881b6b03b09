"""One way to open a book: read once, problems as values, derived values once.

The reader collects every cell-level problem of a workbook in one pass (before, the checker
re-read the whole book after each bad cell); the session hands one read to every engine.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import juesuan.locate as locate
from juesuan.check import check_file
from juesuan.errors import InputError
from juesuan.locate import UNNAMED, read_book
from juesuan.session import Session

from test_check_support import Sheets, clean_file


@pytest.fixture(scope="module")
def damaged(tmp_path_factory: pytest.TempPathFactory) -> Sheets:
    """A clean department with five cell-level problems, in reading order."""
    s = Sheets(clean_file(str(tmp_path_factory.mktemp("session"))))
    s.set(("表1", "使用非财政拨款结余", "金额"), "一百")  # text in an amount
    sheet = s.sheet("表3")
    s.put(sheet, s.code_row("表3", "2080505"), 1, None)  # a row with figures but no code
    s.set(("表5", "2010301", "基本支出"), dt.datetime(2023, 5, 1))  # a date in an amount
    s.set(("表11", "应急保障用车", "数值"), 2.5)  # a fraction of a vehicle
    s.set(("绩效自评", "1", "项目名称"), None)  # a required text left empty
    return s


def test_every_cell_problem_is_collected_in_one_pass(damaged: Sheets, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    passes = []
    real = locate._read_book
    monkeypatch.setattr(locate, "_read_book", lambda *a: passes.append(1) or real(*a))
    problems: list[InputError] = []
    book, _ = read_book(damaged.fmt, damaged.values, problems)
    assert len(passes) == 1
    assert [(p.kind, p.where.sheet) for p in problems] == [
        ("value", "收入支出决算总表"), ("code_row", "支出决算表"), ("value", "一般公共预算财政拨款支出决算表"),
        ("value", "机构运行经费支出、国有资产占用情况及政府采购支出信息表"), ("required", "绩效自评")]
    assert book.values[("表1", "使用非财政拨款结余", "金额")] is None and book.values[("绩效自评", "1", "项目名称")] == UNNAMED


def test_without_a_problems_list_the_first_problem_is_raised(damaged: Sheets) -> None:
    with pytest.raises(InputError) as err:
        read_book(damaged.fmt, damaged.values)
    assert err.value.kind == "value" and err.value.where.sheet == "收入支出决算总表"


def test_a_structural_problem_still_raises_with_a_problems_list(damaged: Sheets) -> None:
    s = damaged.copy()
    del s.values["支出决算表"]
    with pytest.raises(InputError, match="缺少工作表"):
        read_book(s.fmt, s.values, [])


def test_the_session_checks_what_check_file_checks(filled_reference: Path) -> None:
    session = Session.for_check(filled_reference)
    assert session.pack.id == "nmg-2023" and session.problems == []
    assert [f.message for f in session.check()] == [f.message for f in check_file(filled_reference)]


def test_a_workbook_session_reads_once_and_computes_once(filled_reference: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import juesuan.derive as derive

    runs = []
    real = derive._compute
    monkeypatch.setattr(derive, "_compute", lambda *a: runs.append(1) or real(*a))
    s = Session.workbook(filled_reference)
    assert s.wb is not None and s.found is not None and set(s.seconds) == {"load", "read"}
    assert s.values == s.values and s.exprs == s.exprs
    s.narrative()
    assert len(runs) == 1  # the narrative's metrics reuse the session's values
    assert str(s.values[("表1", "收入总计", "金额")]) == "3041.6876"  # 元 precision, printed 3,041.69
