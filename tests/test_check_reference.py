"""The filled reference workbook: no error, and every tampering with it is caught.

Mutation test (in memory, on the cells as read from the filled file once):

- every input cell a declared relation depends on, changed by 0.01 (a count by 1) without
  re-filling, is reported by at least one error naming a cell of that table;
- every derived cell overwritten with another number (formula gone) is reported (F-1 at least),
  and every derived cell whose cached value goes stale (formula kept) is an error naming it.

Input cells no relation depends on (a 上年决算 figure, 机构运行经费, 中小企业 amounts …) cannot
contradict anything by a cent; they are listed in :data:`FREE` with the reason, and the test
fails when an input is neither bound nor listed, so a new input forces a decision.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from juesuan.check import cell_keys, check_book, check_file, prepare
from juesuan.check.read import load_grids, read_lenient, stored_and_formulas
from juesuan.check.values import normalize
from juesuan.expr import Key
from juesuan.findings import Finding, Severity
from juesuan.formats import load_format

from test_check_support import ids

# (table, row or "*", column or "*") → why no relation binds it
FREE: dict[tuple[str, str, str], str] = {
    ("表11", "机构运行经费支出", "数值"): "compared with 表6 公用经费合计 only by X19, a warning (definitions differ)",
    ("表11", "授予中小企业合同金额", "数值"): "bound by inequalities and W11-4 (band: a cent is 尾差 between typed figures)",
    ("表11", "授予小微企业合同金额", "数值"): "bound by an inequality only (W11-2)",
    ("表11", "货物授予中小企业合同金额", "数值"): "W11-4 between typed figures: a cent is 尾差",
    ("表11", "工程授予中小企业合同金额", "数值"): "W11-4 between typed figures: a cent is 尾差",
    ("表11", "服务授予中小企业合同金额", "数值"): "W11-4 between typed figures: a cent is 尾差",
    ("表11", "单价100万元以上设备", "数值"): "a count nothing adds up",
    ("上年决算", "*", "*"): "last year's figures: X25/X26 compare typed figures (a cent is 尾差), X26 is a warning",
    ("预算总数", "*", "*"): "budget totals: only compared in the narrative",
    ("三公统计", "*", "*"): "statistics; the 接待费 split (X20-1) compares typed figures (a cent is 尾差)",
    ("绩效管理", "*", "*"): "绩效 management figures: narrative only",
    ("绩效指标", "*", "分值"): "the points of an indicator: nothing adds them up",
    ("绩效自评", "*", "自评得分"): "the score as filed: compared with 总分 by N-SCORE, a warning",
    ("绩效自评", "*", "资金分值"): "资金得分 = 分值 × 执行率: where 执行率 is 0 the 分值 changes nothing (else bound)",
}


def free(key: Key) -> bool:
    return any(t == key[0] and r in ("*", key[1]) and c in ("*", key[2]) for t, r, c in FREE)


@pytest.fixture(scope="module")
def read(filled_reference: Path) -> dict[str, Any]:
    values, formulas = load_grids(filled_reference)
    book, found, _ = read_lenient(load_format(), values)
    stored, texts = stored_and_formulas(book, found, values, formulas, cell_keys(book))
    prep = prepare(book, found)
    numbers = {k: (normalize(v, whole=prep.kind(k) == "count") if prep.kind(k) != "text" else v)
               for k, v in stored.items()}
    return {"prep": prep, "stored": numbers, "formulas": texts, "path": filled_reference}


def test_reference_data_file_is_present(reference_path: Path) -> None:
    assert reference_path.exists()


# the reference's narrative contradictions (recorded in its data file's notes) that check must
# report before the text is printed: rule → a phrase of the one finding it raises
NARRATIVE_WARNINGS = {
    "N-REASON": "接待费减少",  # shiyi-reason-reception: 十一 vs 八
    "N-UNEVALUATED": "政府性基金预算项目支出 2.85",  # perf-fund-coverage
    "N-PERF-SUM": "部门评价资金 416.24",  # perf-416
    "N-NAME": "社会力量购买服务费",  # the project named two ways
}


def test_filled_reference_has_no_error_and_only_its_recorded_narrative_warnings(read: dict[str, Any]) -> None:
    findings = check_file(read["path"])
    assert ids(findings, Severity.ERROR) == set(), [f.message for f in findings if f.severity is Severity.ERROR]
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    assert sorted(f.rule for f in warnings) == sorted(NARRATIVE_WARNINGS), [f.message for f in warnings]
    for f in warnings:
        assert NARRATIVE_WARNINGS[f.rule] in f.message, f.message
    infos = [f for f in findings if f.severity is Severity.INFO]
    assert all("尾差" in f.message for f in infos)  # only rounding gaps of 元-precision figures


def test_in_memory_check_equals_file_check(read: dict[str, Any]) -> None:
    in_memory = check_book(read["prep"], None, read["stored"], read["formulas"])
    assert [(f.rule, f.message) for f in in_memory] == [(f.rule, f.message) for f in check_file(read["path"])]


def _errors_in(findings: list[Finding], table: str) -> bool:
    return any(f.severity is Severity.ERROR and any(c.table == table for c in f.cells) for f in findings)


def _bound(prep: Any, stored: dict[Key, Any], key: Key, new: D) -> bool:
    """Whether some derivation's value changes when ``key`` becomes ``new``."""
    def get(values: dict[Key, Any]) -> Any:
        def g(k: Key) -> Any:
            v = values.get(k)
            if prep.kind(k) == "text":
                return "" if v is None else str(v)
            return D(0) if v is None else v
        return g
    changed = dict(stored)
    changed[key] = new
    for d in prep.exprs:
        if prep.kind(d) != "text" and key in set(prep.exprs[d].refs()):
            if prep.exprs[d].value(get(stored)) != prep.exprs[d].value(get(changed)):
                return True
    return False


def test_every_input_change_is_an_error_in_its_table(read: dict[str, Any]) -> None:
    prep, stored, formulas = read["prep"], read["stored"], read["formulas"]
    missed, unlisted = [], []
    for key in prep.numeric_inputs:
        if prep.address(key) is None:
            continue
        old = stored.get(key) or D(0)
        new = old + (1 if prep.kind(key) == "count" else D("0.01"))
        if not _bound(prep, stored, key, new):
            if not free(key):
                unlisted.append(key)
            continue
        changed = dict(stored)
        changed[key] = new
        if not _errors_in(check_book(prep, None, changed, formulas), key[0]):
            missed.append(key)
    assert not unlisted, f"inputs no relation binds, not listed in FREE: {unlisted}"
    assert not missed, f"input changes not reported as an error in their table: {missed}"


def test_every_derived_cell_overwritten_is_reported(read: dict[str, Any]) -> None:
    prep, stored, formulas = read["prep"], read["stored"], read["formulas"]
    missed = []
    for key in prep.numeric_derived:
        a = prep.address(key)
        if a is None:
            continue
        changed = dict(stored)
        changed[key] = (stored.get(key) or D(0)) + D("1.23")
        typed = dict(formulas)
        typed.pop(key, None)
        findings = check_book(prep, None, changed, typed)
        here = [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)
                and any(c.sheet == a.sheet and c.cell == a.a1() for c in f.cells)]
        if not here:
            missed.append(key)
    assert not missed, f"overwritten derived cells not reported: {missed}"


def test_every_stale_cached_value_is_an_error(read: dict[str, Any]) -> None:
    prep, stored, formulas = read["prep"], read["stored"], read["formulas"]
    missed = []
    for key in prep.numeric_derived[::3]:  # every third: the same code path as the overwrite test
        a = prep.address(key)
        if a is None or key not in formulas:
            continue
        changed = dict(stored)
        changed[key] = (stored.get(key) or D(0)) + D("0.01")
        findings = check_book(prep, None, changed, formulas)
        if not any(f.rule == "F-2" and f.cells[0].cell == a.a1() and f.cells[0].sheet == a.sheet for f in findings):
            missed.append(key)
    assert not missed, f"stale cached values not reported: {missed}"


def test_recalculated_by_libreoffice_checks_the_same(filled_reference: Path, lo: Any, tmp_path: Path) -> None:
    """An independent engine recalculates every formula: the cached values it stores satisfy every
    rule (no F-2 from engine rounding, rates included), and the workbook it saves still reads."""
    converted = lo.convert([filled_reference], tmp_path, "xlsx")[0]
    findings = check_file(converted)
    assert ids(findings) == set(NARRATIVE_WARNINGS), [f.message for f in findings if f.severity is not Severity.INFO]


def test_printed_figures_typed_by_hand_agree_within_rounding(read: dict[str, Any]) -> None:
    """The published two-decimal tables typed into a blank template: every gap is a 尾差.

    Seed 表5 款 20805 prints 108.40 while its printed 项 12.63 + 71.77 + 24.01 add to 108.41:
    info, not an error.
    """
    prep, stored = read["prep"], read["stored"]
    printed = {k: (v.quantize(D("0.01")) if isinstance(v, D) else v) for k, v in stored.items()}
    findings = check_book(prep, None, printed, {})
    assert ids(findings) == set(NARRATIVE_WARNINGS), [f.message for f in findings if f.severity is not Severity.INFO]
    tails = [f for f in findings if f.rule == "W5-2" and f.cells[0].row == "20805"]
    assert tails and tails[0].severity is Severity.INFO and "108.40" in tails[0].message
