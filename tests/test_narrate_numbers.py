"""The one number formatter and the rule-bound phrases (comparisons, completion, zero bases)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from juesuan.narrate import numbers
from juesuan.narrate.figures import Change, Completion
from juesuan.narrate.text import Phrases, clause
from test_narrate_fixtures import small


@pytest.mark.parametrize("value, text", [
    (D("3041.6876"), "3,041.69万元"), (D("0"), "0.00万元"), (D("0.005"), "0.01万元"), (D("-213.63"), "213.63万元"),
    (D("1.005"), "1.01万元"),  # half up in Decimal, where float rounding gives 1.00
])
def test_amounts_are_wan_yuan_with_two_decimals_and_separators(value, text):
    assert numbers.amount(value) == text


@pytest.mark.parametrize("value, text", [
    (D("93.32953"), "93.33%"), (D("3000"), "3,000.00%"), (D("82.745"), "82.75%"), (D("-6.5624"), "6.56%"),
])
def test_percentages_have_two_decimals_half_up(value, text):
    assert numbers.percent(value) == text


def test_scores_counts_and_ratios():
    assert numbers.score(D("99.90")) == "99.9"
    assert numbers.score(D("98.275")) == "98.28"
    assert numbers.score(D("99")) == "99"
    assert numbers.count(5645) == "5,645"
    assert numbers.count(None) == "0"
    assert numbers.ratio(D("66.2"), D("80")) == D("82.75")
    assert numbers.ratio(D("1"), D("0")) is None


def test_percentages_come_from_held_amounts_not_printed_ones():
    # 0.004 / 0.006 prints 0.00 / 0.01 (a printed ratio would be 0 %); the held ratio is 66.67 %
    assert numbers.percent(numbers.ratio(D("0.004"), D("0.006"))) == "66.67%"


def phrases() -> Phrases:
    return Phrases(small())


def test_comparison_wording_by_sign():
    p = phrases()
    assert p.compare(Change(D("3041.6876"), D("2211.1556")), "上年决算", "上年无此项", "收、支总计各") == \
        "与上年决算相比，收、支总计各增加830.53万元，增加37.56%"
    assert p.compare(Change(D("3041.6876"), D("3255.32")), "年初预算", "年初未安排预算") == \
        "与年初预算相比，减少213.63万元，减少6.56%"


def test_equal_figures_read_chiping_without_percentage():
    p = phrases()
    assert p.compare(Change(D("0"), D("0")), "上年决算", "上年无此项") == "与上年决算持平"
    assert p.compare(Change(D("15"), D("15.001")), "年初预算", "", "收、支总计各") == "收、支总计与年初预算持平"


def test_no_percentage_against_a_zero_base():
    p = phrases()
    text = p.compare(Change(D("2.85"), D("0")), "上年决算", "上年决算数为零")
    assert text == "与上年决算相比，增加2.85万元，上年决算数为零"
    assert "%" not in text
    assert p.done(Completion(D("133.47"), D("0")), "完成年初预算的", "年初未安排预算") == "年初未安排预算"
    assert p.done(Completion(D("0"), D("0")), "完成预算的", "预算为0") == "预算为0"
    assert p.done(Completion(D("66.2"), D("80")), "完成预算的", "预算为0") == "完成预算的82.75%"


def test_a_reason_is_not_asked_for_when_figures_are_equal():
    p = phrases()
    assert p.because(Change(D("0"), D("0")), "结余分配.上年") == ""
    assert p.placeholders == []
    assert p.because(Change(D("1"), D("0")), "结余分配.上年") == \
        "，变动原因：【请填写「变动原因」表：一（二）2. 结余分配与上年决算相比】"
    assert [x.key for x in p.placeholders] == ["结余分配.上年"]


def test_typed_text_loses_its_closing_mark_so_sentences_do_not_double_it():
    assert clause("无差异。") == "无差异"
    assert clause("  费用增加；\n") == "费用增加"


def test_an_unknown_comparison_key_in_a_template_fails_loudly():
    with pytest.raises(KeyError):
        phrases().reason("no-such-comparison")
