"""上下年衔接: ``new --prior`` carries last year's figures and texts; ``check --prior`` holds them."""

from __future__ import annotations

import json
import random
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from juesuan.book_io import new_book, read_workbook
from juesuan.carry import carry_pairs, last_values
from juesuan.check import check_file
from juesuan.cli import main
from juesuan.data_file import book_from_data, dumps
from juesuan.model import Book
from juesuan.roles import roles_for
from juesuan.synth import synth_department
from juesuan.workbook_file import grids, load

FLAT = "本年不存在非财政拨款结余。"


def prior_data() -> dict[str, Any]:
    """A synthetic 2022 in 元 precision, with a 政府性基金 (表8 per-code balances) and no
    使用非财政拨款结余 either year."""
    data = synth_department(random.Random("prior:9"), 9)
    assert "表8" in data and data["表1"]["使用非财政拨款结余"]["金额"] == 0 == data["上年决算"]["使用非财政拨款结余"]
    data["单位信息"]["年度"] = "2022"
    data["变动原因"]["使用非财政拨款结余.上年"] = {"原因": FLAT}  # unchanged (0 → 0): carried
    data["变动原因"]["收支总计.上年"] = {"原因": "2022年的原因。"}  # a change: that year's own
    return data


@pytest.fixture(scope="module")
def years(tmp_path_factory: pytest.TempPathFactory, reference_path: Path) -> tuple[Path, Path, Book]:
    """(last year's workbook, this year's made by ``new --prior``, last year's book)."""
    d = tmp_path_factory.mktemp("years")
    last = d / "2022.xlsx"
    new_book(book_from_data(prior_data()), last)
    this_year = json.loads(reference_path.read_text(encoding="utf-8"))
    for table in ("部门概况", "变动原因"):
        this_year.pop(table)  # to be carried from last year
    data = d / "2023.json"
    data.write_text(json.dumps(this_year, ensure_ascii=False), encoding="utf-8")
    out = d / "2023.xlsx"
    assert main(["new", "--data", str(data), "--prior", str(last), "-o", str(out)]) == 0
    return last, out, read_workbook(last)


def test_carried_cells_equal_last_years(years: tuple[Path, Path, Book]) -> None:
    last_path, out, last_book = years
    last = last_values(last_book)
    got = read_workbook(out)
    roles = roles_for(got.format)
    pairs = list(carry_pairs(roles, last_book)) + list(roles.prior)
    assert any(this[0] == "表8" for this, _ in pairs)  # per-code balances are among them
    assert any(Decimal(last[old] or 0) != round(Decimal(last[old] or 0), 2) for _, old in pairs)  # 元 precision
    for this, old in pairs:
        assert Decimal(got.values.get(this) or 0) == Decimal(last[old] or 0), (this, old)
    assert got.text(roles.year) == "2023"
    for key in got.input_keys(got.format.table("部门概况")):
        assert got.values.get(key) == last_book.values.get(key)
    reasons = {c: got.text(("变动原因", c, "原因")) for c in ("使用非财政拨款结余.上年", "收支总计.上年")}
    assert reasons == {"使用非财政拨款结余.上年": FLAT, "收支总计.上年": ""}


def test_the_period_rules_hold_on_the_carried_workbook(years: tuple[Path, Path, Book]) -> None:
    _, out, last_book = years
    assert [f for f in check_file(out, prior=last_book) if f.rule in ("X25", "X26-1")] == []


def typed(src: Path, dst: Path, key: tuple[str, str, str], delta: Decimal) -> str:
    """Copy ``src`` to ``dst`` with one input cell changed by hand; returns its address."""
    from juesuan.locate import read_book

    shutil.copy(src, dst)
    wb = load(dst)
    book, found = read_book(read_workbook(src).format, grids(wb))
    a = found.address(key)
    ws = wb[a.sheet]
    ws.cell(a.row, a.col).value = float(Decimal(str(ws.cell(a.row, a.col).value or 0)) + delta)
    wb.save(dst)
    return ws.cell(a.row, a.col).coordinate


@pytest.mark.parametrize("key,rule", [(("表1", "年初结转和结余", "金额"), "X26-1"),
                                      (("上年决算", "收支总计", "值"), "X25")])
def test_the_period_rule_catches_a_figure_typed_by_hand(years: tuple[Path, Path, Book], tmp_path: Path,
                                                        key: tuple[str, str, str], rule: str) -> None:
    _, out, last_book = years
    changed = tmp_path / "typed.xlsx"
    cell = typed(out, changed, key, Decimal("0.5"))
    found = [f for f in check_file(changed, prior=last_book) if f.rule == rule]
    assert len(found) == 1 and found[0].cells[0].cell == cell
    assert found[0].difference == Decimal("0.5")
    assert [f for f in check_file(changed) if f.rule == rule] == []  # without last year: not known


def test_check_prior_on_the_command_line(years: tuple[Path, Path, Book], tmp_path: Path,
                                         capsys: pytest.CaptureFixture) -> None:
    last, out, _ = years
    changed = tmp_path / "typed.xlsx"
    typed(out, changed, ("表4", "年初一般公共预算财政拨款", "金额"), Decimal("1"))
    main(["check", str(changed), "--prior", str(last), "--json"])
    rules = [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert "X26-1" in rules


def test_data_of_a_year_that_does_not_follow_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    last = tmp_path / "2022.json"
    last.write_text(dumps(prior_data()), encoding="utf-8")
    later = synth_department(random.Random("prior:6"), 6)
    later["单位信息"]["年度"] = "2025"
    data = tmp_path / "2025.json"
    data.write_text(dumps(later), encoding="utf-8")
    out = tmp_path / "out.xlsx"
    assert main(["new", "--data", str(data), "--prior", str(last), "-o", str(out)]) == 2
    assert "不是相邻两年" in capsys.readouterr().err and not out.exists()


def test_national_format_carries_and_checks_across_years(tmp_path: Path) -> None:
    """The other format (national-2023): ``new --prior`` keeps last year's format, and X26-1 holds
    on what it carried and catches a figure typed by hand."""
    from juesuan.formats import get_pack

    data = get_pack("national-2023").synth.department(random.Random("prior:national"), 3, False)
    data["单位信息"]["年度"] = "2022"
    last = tmp_path / "2022.json"
    last.write_text(dumps(data), encoding="utf-8")
    out = tmp_path / "2023.xlsx"
    assert main(["new", "--prior", str(last), "-o", str(out)]) == 0
    got = read_workbook(out)
    last_book = book_from_data(data)
    assert got.format.id == "national-2023" and got.text(roles_for(got.format).year) == "2023"
    assert [f for f in check_file(out, prior=last_book) if f.rule in ("X25", "X26-1")] == []
    changed = tmp_path / "typed.xlsx"
    typed(out, changed, ("表1", "年初结转和结余", "金额"), Decimal("0.5"))
    assert "X26-1" in {f.rule for f in check_file(changed, prior=last_book)}


def test_across_the_two_formats_the_cells_both_have_are_carried(tmp_path: Path) -> None:
    """Last year in national-2023, this year in nmg-2023: the year-end balances both formats
    declare (表1 年末结转和结余, 表4 per fund) start this year; the rest is left to the accountant."""
    from juesuan.formats import get_pack

    data = get_pack("national-2023").synth.department(random.Random("prior:across"), 5, False)
    data["单位信息"]["年度"] = "2022"
    data["表1"]["年末结转和结余"] = {"金额": Decimal("12.3456")}  # synthetic national years end at zero
    data["表4"].setdefault("年末财政拨款结转和结余", {})["一般公共预算财政拨款"] = Decimal("10.5")
    last = tmp_path / "2022.json"
    last.write_text(dumps(data), encoding="utf-8")
    out = tmp_path / "2023.xlsx"
    assert main(["new", "--format", "nmg-2023", "--prior", str(last), "-o", str(out)]) == 0
    got, values = read_workbook(out), last_values(book_from_data(data))
    assert got.format.id == "nmg-2023"
    for this, old in [(("表1", "年初结转和结余", "金额"), ("表1", "年末结转和结余", "金额")),
                      (("表4", "年初一般公共预算财政拨款", "金额"), ("表4", "年末财政拨款结转和结余", "一般公共预算财政拨款"))]:
        assert Decimal(got.values.get(this) or 0) == Decimal(values[old] or 0)
    assert got.values[("表1", "年初结转和结余", "金额")] == Decimal("12.3456")
