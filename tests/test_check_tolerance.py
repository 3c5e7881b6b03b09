"""Tolerance modes, stored-value normalisation and the registry's fail-fast guarantees."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from juesuan.check import registry
from juesuan.check.acknowledge import identity, read
from juesuan.check.tolerance import Mode, band, compare, sum_gap
from juesuan.check.values import Problem, normalize
from juesuan.errors import FormatError
from juesuan.findings import CellRef, Finding, Severity
from juesuan.formats import get_pack
from juesuan.xlformula import same_formula

from test_check_support import REFERENCE

# ── rounding intervals ───────────────────────────────────────────────────────────────────

RULES = get_pack("nmg-2023").rules


def test_seed_208_is_a_rounding_gap() -> None:
    """Seed 表5 类 208: printed parts add to 139.36, printed total 139.35 → 尾差 (info)."""
    gap = sum_gap(Mode.ROUNDED, D("139.35"), [D("12.63"), D("71.77"), D("24.01"), D("28.56"), D("2.39")])
    assert gap is not None and not gap.beyond
    assert gap.difference == D("-0.01") and gap.tolerance == D("0.03")


def test_beyond_the_band_is_an_error() -> None:
    gap = sum_gap(Mode.ROUNDED, D("100.03"), [D("50.00"), D("50.00")])
    assert gap is not None and gap.beyond and gap.tolerance == D("0.015")


def test_zero_parts_carry_no_rounding() -> None:
    assert band(0) == D("0.005")
    gap = sum_gap(Mode.ROUNDED, D("50.01"), [D("50.00"), D("0"), D("0")])
    assert gap is not None and not gap.beyond and gap.tolerance == D("0.01")


def test_yuan_precision_is_exact_then_printed() -> None:
    # 元 precision that agrees exactly: only the printed 尾差 remains
    gap = sum_gap(Mode.ROUNDED, D("139.3468"), [D("12.6254"), D("71.7654"), D("24.0127"), D("28.5572"),
                                                D("2.3861")])
    assert gap is not None and not gap.beyond and gap.basis == "printed"
    # 元 precision that disagrees by 0.0003 (invisible when printed): an error on the stored values
    gap = sum_gap(Mode.ROUNDED, D("139.3471"), [D("12.6254"), D("71.7654"), D("24.0127"), D("28.5572"),
                                                D("2.3861")])
    assert gap is not None and gap.beyond and gap.basis == "stored" and gap.tolerance == D("0.000001")


def test_at_least_and_exact_and_count() -> None:
    assert compare(Mode.AT_LEAST, D("1468.45"), D("1468.36")) is None
    short = compare(Mode.AT_LEAST, D("100.00"), D("100.01"), n_parts=2)
    assert short is not None and not short.beyond
    assert compare(Mode.AT_LEAST, D("100.00"), D("100.50"), n_parts=2).beyond  # type: ignore[union-attr]
    assert compare(Mode.EXACT, D("150.01"), D("150.00")).beyond  # type: ignore[union-attr]
    assert compare(Mode.COUNT, D("3"), D("2")).beyond  # type: ignore[union-attr]
    assert compare(Mode.RATE, D("93.33"), D("93.34")).beyond is False  # type: ignore[union-attr]


# ── stored values ────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("raw,value", [
    (3041.6899999999996, D("3041.69")), (12.6345, D("12.6345")), (100.0, D("100")),
    (2, D("2")), ("", None), (None, None), ("  ", None),
])
def test_normalize(raw: object, value: D | None) -> None:
    assert normalize(raw) == value


@pytest.mark.parametrize("raw,kind", [("#REF!", "error"), ("二十五", "text"), (True, "bool"), (2.5, "fraction"),
                                      ("1,234.50", "numtext"), (1e308, "absurd"), (float("nan"), "absurd")])
def test_normalize_problems(raw: object, kind: str) -> None:
    p = normalize(raw, whole=True)
    assert isinstance(p, Problem) and p.kind == kind and p.zh


# ── registry ─────────────────────────────────────────────────────────────────────────────


def test_unknown_rule_id_fails() -> None:
    with pytest.raises(FormatError):
        RULES.get("W99-9")


def test_duplicate_or_functionless_rules_fail() -> None:
    w15 = RULES["W1-5"]
    with pytest.raises(FormatError):
        registry.RuleSet([w15, w15], [])
    with pytest.raises(FormatError):
        registry.RuleSet([registry.rule("Z-1", Severity.ERROR, "t", "m", Mode.NONE, None)], [])


def test_a_derived_cell_pattern_must_name_a_rule_declared_as_derived() -> None:
    with pytest.raises(FormatError, match="unknown rule id"):
        registry.RuleSet([RULES["W1-5"]], [("表1", registry.ANY, registry.ANY, "W9-9")])
    with pytest.raises(FormatError, match="not declared with derived"):
        registry.RuleSet([RULES["W1-5"]], [("表1", registry.ANY, registry.ANY, "W1-5")])


def test_every_derived_cell_of_the_reference_has_a_rule() -> None:
    from juesuan.data_file import read_data
    from juesuan.derive import derivations

    book = read_data(REFERENCE)
    claimed = {RULES.rule_of(k) for k in derivations(book)}
    assert claimed <= set(RULES)
    with pytest.raises(FormatError):
        RULES.rule_of(("表99", "x", "y"))


def test_rule_table_is_complete_and_consistent() -> None:
    for r in RULES.list:
        assert r.id and r.title and r.template
        assert r.run is not None or r.emitted_by
    warnings = {r.id for r in RULES.list if r.severity is Severity.WARNING}
    assert {"X15", "X16", "X17", "X19", "X20", "X21", "X22", "X23", "W4-5", "W8-2", "W1-6"} <= warnings
    assert "X18" not in RULES  # tables.md: deliberately not enforced


# ── acknowledgements ─────────────────────────────────────────────────────────────────────


def test_identity_is_rule_and_sorted_cells() -> None:
    f = Finding("X19", Severity.WARNING, "m", [CellRef("B", "D6"), CellRef("A", "F36")])
    assert identity(f) == "X19|A!F36;B!D6"


def test_read_explanations_without_the_hidden_column() -> None:
    grid = [["校验结果"], [], [], ["序号", "规则", "级别", "说明", "单元格", "期望值", "实际值", "差额", "容差", "出错说明"],
            [1, "X19", "警告", "…", "B!D6、A!F36", None, None, None, None, "口径不同"],
            [2, "X13", "错误", "…", "A!D7", None, None, None, None, None]]
    assert read(grid) == {"X19|A!F36;B!D6": "口径不同"}


def test_formulas_compare_regardless_of_quotes_case_and_dollars() -> None:
    assert same_formula("= sum($D$8, '表5'!d11)", "=SUM(D8,表5!D11)", "x")
    assert same_formula("=支出决算表!C8", "='支出决算表'!C8", "x")
    assert same_formula("='it''s'!A1", "='IT''S'!a1", "x")
    assert not same_formula("=SUM(D8,表5!D11)", "=SUM(D8,表5!D12)", "x")
