"""The check rules of national-2023: the reference holds every rule; a typed figure breaks each.

The reference case (上海市普陀区生态环境局 2025) gives no error and no warning; its infos are
exactly the document's own 尾差 (its printed parts differ from printed totals by 0.01).  Each case
below types one figure of the reference differently (as a hand-typed workbook would) and must
raise its rule.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from juesuan import derive
from juesuan.check import check_book, check_file
from juesuan.cli import main
from juesuan.data_file import read_data
from juesuan.findings import Severity
from juesuan.formats import get_pack

REF = Path(__file__).resolve().parents[1] / "src" / "juesuan" / "reference" / "national-2023-reference.json"
G = "一般公共预算财政拨款"


@lru_cache(maxsize=None)
def book():  # type: ignore[no-untyped-def]
    return read_data(REF)


def typed(edits: dict[tuple[str, str, str], int | str]) -> set[str]:
    """Error and warning ids of the reference hand-typed with ``edits`` added to its figures."""
    b = book()
    stored = {**b.values, **derive.compute(b)}
    for key, delta in edits.items():
        stored[key] = Decimal(stored.get(key) or 0) + Decimal(delta)
    return {f.rule for f in check_book(b, None, stored, {}) if f.severity is not Severity.INFO}


CASES = {
    "W1-1": {("表1", "本年收入合计", "金额"): 1},
    "W1-5": {("表1", "支出总计", "金额"): 1},
    "W4-3": {("表4", "支出总计", "合计"): 1},
    "W4-5": {("表4", "年末财政拨款结转和结余", G): 1},
    "W5-1": {("表5", "2110101", "合计"): 1},
    "W6-1": {("表6", "30101", "决算数"): 1},
    "W7-1": {("表7", "金额", "决算数合计"): 1},
    "WB-1": {("年初预算", "合计", "年初预算数"): 1},
    "X1": {("表2", "合计", "本年收入合计"): 1},
    "X2": {("表2", "合计", "财政拨款收入"): 1},
    "X4": {("表3", "合计", "本年支出合计"): 1},
    "X5": {("表1", "支出208", "金额"): 1},
    "X7": {("表5", "合计", "合计"): 1},
    "X8": {("表4", "支出208", G): 1},
    "X13": {("表6", "人员经费合计", "决算数"): 1},
    "X15": {("表5", "合计", "基本支出"): 1},
    "X16": {("表5", "合计", "项目支出"): 1},
    "X17": {("表5", "2110101", "合计"): 1},
    "X19": {("其他事项", "机关运行经费支出", "值"): 1000},
    "X22": {("表6", "30231", "决算数"): 1},
}


def test_the_reference_workbook_has_no_error_and_no_warning(tmp_path):
    path = tmp_path / "B.xlsx"
    assert main(["new", "--data", str(REF), "-o", str(path)]) == 0
    findings = check_file(path)
    assert [f.rule for f in findings if f.severity is not Severity.INFO] == []
    assert {f.rule for f in findings} == {"W3-1", "W3-2", "W5-1", "W5-2", "W6-2", "WB-1"}  # the document's 尾差


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_a_typed_figure_breaks_its_rule(rule_id):
    assert typed({}) == set()
    assert rule_id in typed(CASES[rule_id])


def test_every_explicit_rule_of_the_pack_has_a_case():
    rules = get_pack("national-2023").rules
    explicit = {r.id for r in rules.list if r.run is not None and r.id[0] in "WX"}
    from juesuan.check.years import ACROSS_YEARS  # need last year's book: tested in test_carry.py

    assert explicit - set(CASES) - {r.id for r in ACROSS_YEARS} == set()


@pytest.mark.parametrize("seed", range(4))
def test_synthetic_departments_pass_check(seed):
    import random

    from juesuan.data_file import book_from_data
    from juesuan.formats.national_2023.synth import department

    b = book_from_data(department(random.Random(seed), seed))
    stored = {**b.values, **derive.compute(b)}
    assert [f.rule for f in check_book(b, None, stored, {}) if f.severity is Severity.ERROR] == []
