"""Synthetic departments: valid data files, realistic variety, and the format's identities exact."""

from __future__ import annotations

import argparse
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from juesuan.data_file import book_from_data, dumps, read_data
from juesuan.derive import compute
from juesuan.formats import load_format
from juesuan.formats.nmg_2023 import COMPARISONS, FUNDS, PRIOR_YEAR, VEHICLES
from juesuan.formats.nmg_2023.checks.reasons import REASONS
from juesuan.money import round2
from juesuan.narrate import placeholders
from juesuan.formats.nmg_2023.synth import REASONS_DOWN, REASONS_UP
from juesuan.synth import run_synth, split, synth_department, write_synth
from juesuan.template import schema_path

FMT = load_format()
SCHEMA = jsonschema.Draft202012Validator(json.loads(schema_path("nmg-2023").read_text(encoding="utf-8")))
INDEXES = list(range(1, 41))
ZERO = Decimal(0)


def dept(i: int, missing: bool = False) -> dict[str, Any]:
    return synth_department(random.Random(f"test:{i}"), i, missing=missing)


@pytest.fixture(scope="module")
def departments() -> list[dict[str, Any]]:
    return [dept(i) for i in INDEXES]


def as_read(data: dict[str, Any]) -> dict[str, Any]:
    """The dict as ``read_data`` would see it after writing (JSON, floats as Decimal)."""
    return json.loads(dumps(data), parse_float=Decimal)


def test_every_department_is_a_valid_data_file(departments) -> None:
    for d in departments + [dept(5, missing=True)]:
        SCHEMA.validate(json.loads(dumps(d)))
        book = book_from_data(as_read(d))
        assert book.codes["表3"] and book.text(("单位信息", "部门名称", "值"))


def test_codes_are_known_items_with_their_parents(departments) -> None:
    fc = FMT.function_codes
    for d in departments:
        for table in ("表2", "表3", "表5", "表8", "表9", "年初预算"):
            for code in d.get(table, {}):
                assert len(code) == 7 and code in fc and code[:3] in fc and code[:5] in fc, code
    items = [c for c in fc if len(c) == 7]
    assert max(len(d["表3"]) for d in departments) >= len(items) - 30  # some use (nearly) the whole list


def test_amounts_are_whole_yuan_and_never_negative(departments) -> None:
    places = set()

    def walk(v: Any) -> None:
        if isinstance(v, Decimal):
            assert v >= 0 and v == v.quantize(Decimal("0.0001")), v
            places.add(-v.as_tuple().exponent if v.as_tuple().exponent < 0 else 0)  # type: ignore[operator]
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    for d in departments:
        walk(d)
    assert 4 in places and 2 in places  # 元 precision, and departments kept to 2 decimals


def identities(d: dict[str, Any]) -> list[str]:
    """The relations synth promises, checked exactly on the computed book; returns what fails."""
    book = book_from_data(as_read(d))
    v = compute(book)

    def get(key: tuple[str, str, str]) -> Decimal:
        x = v.get(key, book.values.get(key))
        return ZERO if x is None or isinstance(x, str) else Decimal(x)

    def t1(row: str) -> Decimal:
        return get(("表1", row, "金额"))

    def t4(row: str, col: str = "金额") -> Decimal:
        return get(("表4", row, col))

    def t11(row: str) -> Decimal:
        return get(("表11", row, "数值"))

    def econ(code: str) -> Decimal:
        return get(("表6", code, "决算数")) + get(("表7", code, "决算数"))

    def sg(item: str) -> Decimal:
        return get(("表10", "金额", f"决算数{item}"))

    def prior(row: str) -> Decimal:
        return get(("上年决算", row, "值"))

    checks = {
        "W1-5 收入总计 = 支出总计": t1("收入总计") == t1("支出总计"),
        "W4-3 表4 收 = 支": t4("收入总计") == t4("支出总计", "合计"),
        "X1 表1 本年收入 = 表2 合计": t1("本年收入合计") == get(("表2", "合计", "本年收入合计")),
        "X2 财政拨款收入": t4("本年收入合计") == get(("表2", "合计", "财政拨款收入")),
        "X4 表1 本年支出 = 表3 合计": t1("本年支出合计") == get(("表3", "合计", "本年支出合计")),
        "X13 表5 基本 = 表6": get(("表5", "合计", "基本支出")) == get(("表6", "人员经费合计", "决算数"))
        + get(("表6", "公用经费合计", "决算数")),
        "X14 表5 项目 = 表7": get(("表5", "合计", "项目支出")) == get(("表7", "合计", "决算数")),
        "X15 表3 基本 ≥": get(("表3", "合计", "基本支出")) >= get(("表5", "合计", "基本支出"))
        + get(("表8", "合计", "基本支出")) + get(("表9", "合计", "基本支出")),
        "X19 机构运行经费 = 公用经费": t11("机构运行经费支出") == get(("表6", "公用经费合计", "决算数")),
        "X20 公务接待": sg("公务接待费") == econ("30217"),
        "X21 出国": sg("因公出国（境）费") == econ("30212"),
        "X22 运行维护": sg("公务用车运行维护费") == econ("30231"),
        "X23 购置": sg("公务用车购置费") == econ("31013") + econ("30913"),
        "X20-1 接待 国内+国外": get(("三公统计", "国内公务接待费", "值")) + get(("三公统计", "国（境）外公务接待费", "值"))
        == sg("公务接待费"),
        "W11-2 小微 ≤ 中小 ≤ 总额": t11("授予小微企业合同金额") <= t11("授予中小企业合同金额") <= t11("政府采购支出总额"),
        "W11-4 中小 = Σ类型": t11("授予中小企业合同金额") == sum(t11(f"{t}授予中小企业合同金额") for t in ("货物", "工程", "服务")),
        "保有量 = 车辆数": get(("三公统计", "公务用车保有量", "值")) == t11("车辆数合计"),
        "X26 年初 = 上年年末": t1("年初结转和结余") == prior("年末结转和结余"),
        "X25-1": prior("收支总计") == prior("本年收入合计") + prior("使用非财政拨款结余") + prior("年初结转和结余"),
        "X25-2": prior("收支总计") == prior("本年支出合计") + prior("结余分配") + prior("年末结转和结余"),
        "X25-3": prior("三公经费合计") == sum(prior(k) for k in ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费",
                                                             "公务接待费")),
    }
    for fund in FUNDS:  # W4-5 per fund
        checks[f"W4-5 {fund}"] = t4(f"年初{fund}") + t4(fund) == t4("本年支出合计", fund) + t4("年末财政拨款结转和结余", fund)
    for code in book.codes.get("表3", []):  # X17 per 项
        checks[f"X17 {code}"] = get(("表3", code, "本年支出合计")) >= get(("表5", code, "小计")) \
            + get(("表8", code, "本年支出小计")) + get(("表9", code, "合计"))
    for code in book.codes.get("表8", []):  # W8-2 per 项
        k = lambda col: get(("表8", code, col))  # noqa: E731
        checks[f"W8-2 {code}"] = k("年初结转和结余") + k("本年收入") == k("本年支出小计") + k("年末结转和结余")
    return [name for name, ok in checks.items() if not ok]


def test_the_identities_hold_exactly(departments) -> None:
    for i, d in zip(INDEXES, departments):
        assert identities(d) == [], (i, d["单位信息"]["部门名称"])


def test_the_checker_finds_no_error(departments) -> None:
    from juesuan.check import check_book
    from juesuan.findings import Severity

    for i, d in zip(INDEXES, departments):
        errors = [f for f in check_book(book_from_data(as_read(d))) if f.severity is Severity.ERROR]
        assert errors == [], (i, [f"{f.rule}: {f.message}" for f in errors[:3]])
    gappy = check_book(book_from_data(as_read(dept(5, missing=True))))
    assert not [f for f in gappy if f.severity is Severity.ERROR]
    assert any(f.rule == "S-8" for f in gappy)  # missing 变动原因 are what `missing` is for


def test_variety(departments) -> None:
    sizes = [len(d["表3"]) for d in departments]
    assert min(sizes) <= 8 and max(sizes) >= 200
    assert len({c[:3] for d in departments for c in d["表3"]}) >= 20
    assert {("表8" in d) for d in departments} == {True, False}
    assert {("表9" in d) for d in departments} == {True, False}
    assert any("表7" not in d for d in departments)
    assert any(d["单位信息"]["单位性质"].endswith("事业单位") for d in departments)
    assert any(any("事业收入" in r for r in d["表2"].values()) for d in departments)
    assert any(any("其他收入" in r for r in d["表2"].values()) for d in departments)
    assert any(any(r.get("年初预算数") == 0 for r in d["年初预算"].values()) for d in departments)  # zero budgets
    assert any(d["表10"]["金额"]["预算数公务接待费"] == 0 for d in departments)
    projects = [len(d.get("绩效自评", [])) for d in departments]
    assert min(projects) == 0 and max(projects) >= 4 and max(projects) <= 6


def test_empty_public_tables_say_so_in_their_note(departments) -> None:
    for d in departments:
        notes = d.get("注", {})
        for table in ("表7", "表8", "表9"):
            assert (table in d) != (table in notes), (table, d["单位信息"]["部门名称"])
        for text in notes.values():
            assert "空表" in text


def test_prior_year_and_reasons_are_complete_unless_asked(departments) -> None:
    for d in departments:
        assert set(d["上年决算"]) == set(PRIOR_YEAR)
        book = book_from_data(as_read(d))
        asked = {p.key for p in placeholders(book) if p.kind == "reason"}
        assert not asked, (d["单位信息"]["部门名称"], asked)  # every change has its reason
        for key, reason in d["变动原因"].items():  # and each agrees with the direction of its change
            current, base = REASONS[key]
            if base is None:
                continue
            now, then = (round2(book_value(book, k)) for k in (current, base))
            assert now != then, (key, "持平: no reason")
            assert reason["原因"] in (REASONS_UP if now > then else REASONS_DOWN), (key, now, then)
    gappy = dept(3, missing=True)
    assert set(gappy["上年决算"]) < set(PRIOR_YEAR) and set(gappy["变动原因"]) < {c.key for c in COMPARISONS}


def test_performance_records_match_their_indicators(departments) -> None:
    for d in departments:
        names = [p["项目名称"] for p in d.get("绩效自评", [])]
        assert len(set(names)) == len(names)
        for name in names:
            points = [x["分值"] for x in d["绩效指标"] if x["项目名称"] == name]
            assert sum(points) == 90 and all(x["得分"] <= x["分值"] for x in d["绩效指标"])
        assert d["绩效管理"]["一般公共预算二级项目数"] >= len(names)
        cars = sum(d["表11"][v]["数值"] for v in VEHICLES)
        assert d["三公统计"]["公务用车保有量"] == cars


def book_value(book, key):  # type: ignore[no-untyped-def]
    from juesuan.derive import compute

    v = {**book.values, **compute(book)}.get(key)
    return Decimal(v) if isinstance(v, (int, Decimal)) else Decimal(0)


def test_same_seed_same_department() -> None:
    assert dumps(dept(9)) == dumps(dept(9))
    assert dumps(dept(9)) != dumps(dept(10))


def test_split_adds_up_exactly() -> None:
    rng = random.Random(1)
    for total, n, unit in [(0, 3, 1), (1, 5, 1), (12345, 7, 1), (1_000_000, 3, 100), (500, 1, 100)]:
        parts = split(rng, total, n, unit, zeros=0.5)
        assert sum(parts) == total and len(parts) == n and all(p >= 0 and p % unit == 0 for p in parts)


def test_write_synth_and_run_synth(tmp_path: Path, capsys) -> None:
    paths = write_synth(3, tmp_path / "a", seed=4)
    assert [p.name for p in paths] == ["dept-0001.json", "dept-0002.json", "dept-0003.json"]
    books = [read_data(p) for p in paths]
    assert all(b.codes["表3"] for b in books)
    assert run_synth(argparse.Namespace(n=3, output=str(tmp_path / "b"), seed=4)) == 0
    assert "3" in capsys.readouterr().out
    assert [p.read_bytes() for p in paths] == [(tmp_path / "b" / p.name).read_bytes() for p in paths]
