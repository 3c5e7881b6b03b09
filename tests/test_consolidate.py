"""汇总: three synthetic units → one department whose inputs are the units' sums, cell by cell."""

from __future__ import annotations

import copy
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from juesuan.book_io import new_book, read_workbook
from juesuan.check import check_file
from juesuan.cli import main
from juesuan.consolidate import Elimination, Unit, consolidate, eliminate, read_elimination
from juesuan.data_file import book_from_data, dumps
from juesuan.errors import InputError
from juesuan.findings import Severity
from juesuan.model import Book
from juesuan.synth import synth_department


def unit_data(i: int) -> dict[str, Any]:
    return synth_department(random.Random(f"consolidate:{i}"), i)


@pytest.fixture(scope="module")
def units(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three units as filled workbooks (a department's 本级 and two 所属单位)."""
    d = tmp_path_factory.mktemp("units")
    paths = []
    for i in (2, 3, 5):
        path = d / f"unit{i}.xlsx"
        new_book(book_from_data(unit_data(i)), path)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def dept(units: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dept") / "dept.xlsx"
    assert main(["consolidate", *map(str, units), "-o", str(out), "--name", "合成部门"]) == 0
    return out


def test_every_input_of_the_department_is_the_sum_of_the_units(units: list[Path], dept: Path) -> None:
    books = [read_workbook(p) for p in units]
    got = read_workbook(dept)
    fmt = got.format
    compared = 0
    for table in fmt.tables:
        if table.kind == "record":
            expected_rows = [[b.values.get(k) for k in b.input_keys_of_row(table, r)]
                             for b in books for r in b.rows(table)]
            got_rows = [[got.values.get(k) for k in got.input_keys_of_row(table, r)] for r in got.rows(table)]
            assert got_rows == expected_rows, table.key
            compared += len(expected_rows)
            continue
        keys = {k for b in books for k in b.input_keys(table)}
        if table.kind == "code":
            assert got.codes.get(table.key, []) == sorted({c for b in books for c in b.codes.get(table.key, [])})
        for key in sorted(keys):
            values = [b.values.get(key) for b in books if b.values.get(key) is not None]
            if not values or isinstance(values[0], str):
                continue
            expected = sum(Decimal(v) for v in values)
            assert Decimal(got.values.get(key) or 0) == expected, key
            compared += 1
    assert compared > 300  # the three units together fill hundreds of number cells


def test_the_department_passes_check(dept: Path) -> None:
    errors = [f for f in check_file(dept) if f.severity is Severity.ERROR]
    assert errors == []


def test_the_department_lists_its_units_and_takes_the_given_name(units: list[Path], dept: Path) -> None:
    got = read_workbook(dept)
    names = [read_workbook(p).text(("单位信息", "部门名称", "值")) for p in units]
    listed = got.text(("部门概况", "决算单位构成", "值"))
    assert "共3个" in listed and all(n in listed for n in names)
    assert got.text(("单位信息", "部门名称", "值")) == "合成部门"


def test_a_unit_of_another_year_is_refused_and_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    a, b = unit_data(2), unit_data(3)
    b["单位信息"]["年度"] = "2022"
    paths = []
    for name, data in (("a.json", a), ("b.json", b)):
        (tmp_path / name).write_text(dumps(data), encoding="utf-8")
        paths.append(str(tmp_path / name))
    out = tmp_path / "dept.xlsx"
    assert main(["consolidate", *paths, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "年度不同" in err and "2023" in err and "2022" in err and "different years" in err
    assert not out.exists()


def test_units_of_different_formats_are_refused_before_any_check(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from juesuan.formats import get_pack

    national = get_pack("national-2023").synth.department(random.Random("consolidate:national"), 1, False)
    paths = []
    for name, data in (("nmg.json", unit_data(2)), ("national.json", national)):
        (tmp_path / name).write_text(dumps(data), encoding="utf-8")
        paths.append(str(tmp_path / name))
    assert main(["consolidate", *paths, "-o", str(tmp_path / "dept.xlsx")]) == 2
    captured = capsys.readouterr()
    assert "格式不同" in captured.err and "national-2023" in captured.err and "different formats" in captured.err
    assert "校验" not in captured.out  # refused before the units were checked


def test_a_unit_that_fails_check_is_named_and_stops_it_unless_forced(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture) -> None:
    good, bad = unit_data(2), unit_data(3)
    first = sorted(bad["表6"])[0]
    bad["表6"][first]["决算数"] = Decimal(bad["表6"][first]["决算数"]) + 1  # X13: 表5 基本 ≠ 表6
    paths = []
    for name, data in (("good.json", good), ("bad.json", bad)):
        (tmp_path / name).write_text(dumps(data), encoding="utf-8")
        paths.append(str(tmp_path / name))
    out = tmp_path / "dept.json"
    assert main(["consolidate", *paths, "-o", str(out)]) == 2
    captured = capsys.readouterr()
    assert bad["单位信息"]["部门名称"] in captured.out and "X13" in captured.out
    assert "--force" in captured.err and not out.exists()
    assert main(["consolidate", *paths, "-o", str(out), "--force"]) == 0
    assert out.exists()


def with_internal_flow(data: dict[str, Any], table: str, column: str, amount: Decimal, balance: str) -> None:
    """Add an internal flow to one side of a unit, balanced by ``balance`` (表2 or 表3 column)."""
    code = sorted(data["表3"])[0]
    t = data[table].setdefault(code, {})
    t[column] = Decimal(t.get(column, 0)) + amount
    other = "表3" if table == "表2" else "表2"
    o = data[other].setdefault(code, {})
    o[balance] = Decimal(o.get(balance, 0)) + amount


def internal_pair() -> list[Book]:
    parent, child = copy.deepcopy(unit_data(2)), copy.deepcopy(unit_data(3))
    for data in (parent, child):  # no flows but ours: move the synthetic ones to 其他收入 / 基本支出
        for table, columns, into in (("表2", ("上级补助收入", "附属单位上缴收入"), "其他收入"),
                                     ("表3", ("对附属单位补助支出", "上缴上级支出"), "基本支出")):
            for row in data[table].values():
                moved = sum((Decimal(row.pop(c, 0)) for c in columns), Decimal(0))
                if moved:
                    row[into] = Decimal(row.get(into, 0)) + moved
    with_internal_flow(parent, "表3", "对附属单位补助支出", Decimal("12.3456"), "其他收入")
    with_internal_flow(child, "表2", "上级补助收入", Decimal("12.3456"), "基本支出")
    return [book_from_data(parent), book_from_data(child)]


def test_eliminating_internal_flows_takes_both_sides_out_and_keeps_table1_balanced() -> None:
    from juesuan.consolidate import all_internal
    from juesuan.derive import compute

    books = internal_pair()
    summed = consolidate([Unit(b, f"u{i}.json") for i, b in enumerate(books)])
    before = compute(summed)
    lines = eliminate(summed, all_internal(summed))
    after = compute(summed)
    assert lines and "12.3456" in lines[0]
    assert after[("表2", "合计", "上级补助收入")] == 0 and after[("表3", "合计", "对附属单位补助支出")] == 0
    for side in ("收入总计", "支出总计"):
        assert before[("表1", side, "金额")] - after[("表1", side, "金额")] == Decimal("12.3456")
    assert after[("表1", "收入总计", "金额")] == after[("表1", "支出总计", "金额")]


def test_an_unbalanced_elimination_is_refused() -> None:
    books = internal_pair()
    summed = consolidate([Unit(b, f"u{i}.json") for i, b in enumerate(books)])
    code = summed.codes["表2"][0]
    one_sided = Elimination({("表2", code, "上级补助收入"): Decimal("1")}, "经费差额.json")
    with pytest.raises(InputError) as exc:
        eliminate(summed, one_sided)
    assert "抵消不平" in exc.value.message


@pytest.mark.parametrize("format_id", ["nmg-2023", "national-2023"])
def test_every_cell_the_roles_name_is_a_cell_of_the_format(format_id: str) -> None:
    from juesuan.carry import is_input_cell
    from juesuan.formats import load_format
    from juesuan.roles import ANY_ROW, roles_for

    fmt = load_format(format_id)
    roles = roles_for(fmt)

    def exists(key: tuple[str, str, str]) -> bool:
        table = fmt.table(key[0])
        if table.kind == "fixed":
            return key[2] in table.row(key[1]).cells
        table.column(key[2])  # raises when the column is unknown
        return key[1] in (ANY_ROW, table.total_label)

    inputs = [roles.year, roles.name, roles.units, *roles.fresh, *(this for this, _ in roles.carry),
              *(this for this, _ in roles.prior)]
    assert all(is_input_cell(fmt, k) for k in inputs), [k for k in inputs if not is_input_cell(fmt, k)]
    named = [*(old for _, old in roles.carry), *(old for _, old in roles.prior), *roles.key_figures.values()]
    assert all(exists(k) for k in named), [k for k in named if not exists(k)]
    for (t_in, c_in), (t_out, c_out) in roles.internal:
        assert fmt.table(t_in).column(c_in).is_input and fmt.table(t_out).column(c_out).is_input


def test_an_elimination_file_takes_its_amounts_out_on_the_command_line(tmp_path: Path) -> None:
    import json

    from juesuan.data_file import data_from_book, read_data

    parent, child = internal_pair()
    paths = []
    for name, book in (("parent.json", parent), ("child.json", child)):
        (tmp_path / name).write_text(dumps(data_from_book(book)), encoding="utf-8")
        paths.append(str(tmp_path / name))
    paid, got = sorted(parent.codes["表3"])[0], sorted(child.codes["表3"])[0]  # where with_internal_flow put them
    elim = tmp_path / "经费差额.json"
    elim.write_text(json.dumps({"表2": {got: {"上级补助收入": 2}}, "表3": {paid: {"对附属单位补助支出": 2}}}),
                    encoding="utf-8")
    out = tmp_path / "dept.json"
    assert main(["consolidate", *paths, "-o", str(out), "--eliminate", str(elim)]) == 0
    dept = read_data(out)
    assert dept.amount(("表2", got, "上级补助收入")) == Decimal("10.3456")
    assert dept.amount(("表3", paid, "对附属单位补助支出")) == Decimal("10.3456")
    elim.write_text(json.dumps({"表2": {got: {"事业收入": 2}}}), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_elimination(elim, dept)
    assert "不是单位间往来的栏" in exc.value.message
