"""The mechanisms issue 16 asked for, each on a short text with one relation just holding and
just failing: share bases, basis carry-over, years, completion rates, nested and bracketed lists,
number forms, 收入总计 = 支出总计, 三公 without 会议费/培训费, changes against an earlier figure."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.audit.engine import audit
from juesuan.findings import Severity


# The rules these tests make fire (test_audit_mutations counts them as exercised).
RULES_EXERCISED = {"A-SHARE", "A-CHANGE", "A-SUM-PARTS", "A-BALANCE", "A-SANGONG-SCOPE"}


def run(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    return [(f.rule, f.message) for f in audit(path).findings if f.severity is Severity.ERROR]


@pytest.mark.parametrize("pct,errors", [("62.50", 0), ("63.50", 1)])
def test_a_share_without_named_base_takes_the_total_before_its_siblings(tmp_path, pct, errors) -> None:
    """因公出国 0 万元 is the first sibling; the base is the 三公 total 8.00: 5.00 / 8.00 = 62.50%."""
    text = ("2022年度“三公”经费支出决算为8.00万元。“三公”经费支出中，因公出国（境）费0.00万元，占0.00%；"
            f"公务用车购置及运行维护费5.00万元，占{pct}%；公务接待费3.00万元，占37.50%。\n")
    found = run(tmp_path, text)
    assert [r for r, _ in found] == ["A-SHARE"] * errors


@pytest.mark.parametrize("pct,errors", [("37.50", 0), ("37.60", 1)])
def test_the_basis_of_a_head_sentence_carries_into_its_list(tmp_path, pct, errors) -> None:
    """"比上年减少3.00万元。其中：公务接待费减少3.00万元，下降x%": the items' changes are against
    last year too (3.00 / 8.00 = 37.50%), not amounts."""
    text = ("2022年度“三公”经费支出5.00万元，比上年减少3.00万元。其中：公务接待费5.00万元，"
            f"减少3.00万元，下降{pct}%。\n")
    assert [r for r, _ in run(tmp_path, text)] == ["A-CHANGE"] * errors


def test_bi_qunian_is_a_basis_and_a_year_two_back_is_not(tmp_path) -> None:
    """"比去年增加1.00万元，增长20%" (2.00 − 1.00 … 1.00 / 5.00 = 20%) holds; "比2019年" in a
    2021 text is not 上年, so its wrong-looking rate is not checked."""
    ok = "2021年度公务接待费支出6.00万元，比去年增加1.00万元，增长20.00%。\n"
    assert run(tmp_path, ok) == []
    wrong = "2021年度公务接待费支出6.00万元，比去年增加1.00万元，增长25.00%。\n"
    assert [r for r, _ in run(tmp_path, wrong)] == ["A-CHANGE"]
    other_year = "2021年度公务接待费支出6.00万元，比2019年增加1.00万元，增长25.00%。\n"
    assert run(tmp_path, other_year) == []


def test_a_completion_rate_never_borrows_its_parents_budget(tmp_path) -> None:
    """The item's 82.68% has no budget of its own: 16.95 / 21.00 (the parent's) is not checked."""
    text = ("“三公”经费财政拨款支出年初预算为21.00万元，支出决算为16.95万元，完成预算的80.71%，其中：因公出国"
            "（境）费决算为0.00万元；公务用车购置及运行维护费支出决算为16.95万元，完成预算的82.68%。\n")
    assert run(tmp_path, text) == []


@pytest.mark.parametrize("total,errors", [("33.00", 0), ("61.00", 1)])
def test_a_bracketed_breakdown_is_not_counted_as_more_items(tmp_path, total, errors) -> None:
    """29 + 4 = 33; the bracket (0 + 28 = 28) breaks down 公务用车 and is checked on its own."""
    text = (f"2021年度“三公”经费{total}万元，其中：因公出国（境）费0.00万元，公务用车购置及运行维护费28.00万元"
            "（公务用车购置费0.00万元、公务用车运行维护费28.00万元），公务接待费5.00万元。\n")
    assert [r for r, _ in run(tmp_path, text)] == ["A-SUM-PARTS"] * errors


def test_two_figures_under_one_unit_and_wan_without_yuan_are_money(tmp_path) -> None:
    """"收、支总计各是4125.49,4143.91万元": two totals that must balance; "1000.86万" is money."""
    found = run(tmp_path, "2022年度收、支总计各是4125.49,4143.91万元。\n")
    assert [r for r, _ in found] == ["A-BALANCE"] and "4,143.91" in found[0][1]
    assert run(tmp_path, "2022年度收、支总计各是4125.49,4125.49万元。\n") == []
    found = run(tmp_path, "2022年度本年收入合计1000.86万，其中：财政拨款收入900.86万，其他收入90万。\n")
    assert [r for r, _ in found] == ["A-SUM-PARTS"]


def test_whole_numbers_are_no_half_unit_licence(tmp_path) -> None:
    """8 and 9 of 17: 47.06% and 52.94%; "占47%、占53%" holds, "占53%、占47%" does not (as ±0.5
    amounts it would)."""
    ok = "“三公”经费支出17万元，其中：公务接待费8万元，占47%；公务用车运行维护费9万元，占53%。\n"
    assert run(tmp_path, ok) == []
    swapped = "“三公”经费支出17万元，其中：公务接待费8万元，占53%；公务用车运行维护费9万元，占47%。\n"
    assert [r for r, _ in run(tmp_path, swapped)] == ["A-SHARE", "A-SHARE"]


@pytest.mark.parametrize("total,rule", [("8.00", None), ("12.50", "A-SANGONG-SCOPE")])
def test_sangong_excludes_meeting_and_training_costs(tmp_path, total, rule) -> None:
    text = (f"2022年度“三公”经费支出合计{total}万元，其中：因公出国（境）费0.00万元，公务用车购置及运行维护费"
            "5.00万元，公务接待费3.00万元，会议费2.50万元，培训费2.00万元。\n")
    assert [r for r, _ in run(tmp_path, text)] == ([rule] if rule else [])


@pytest.mark.parametrize("change,errors", [("0.59", 0), ("0.69", 1)])
def test_a_change_against_a_prior_figure_stated_earlier(tmp_path, change, errors) -> None:
    """2021 决算 公务接待 12.39, 2022 预算 11.80: "较上年减少0.59万元" holds, 0.69 does not."""
    text = ("一、2022年“三公”经费预算安排情况\n2022年度“三公”经费预算总计21.80万元，其中：因公出国（境）经费0.00万元，"
            "公务接待11.80万元，公务用车运行费用10.00万元。\n二、2021年“三公”经费决算情况\n2021年度“三公”经费合计支出"
            "20.12万元，其中：因公出国（境）经费0.00万元，公务接待12.39万元，公务用车运行费用7.73万元。\n"
            f"2022年度“三公”经费预算较2021年度增加1.68万元，其中公务接待较上年同期减少{change}万元。\n")
    assert [r for r, _ in run(tmp_path, text)] == ["A-CHANGE"] * errors


def test_a_change_naming_an_item_is_of_that_item_not_the_blocks_total(tmp_path) -> None:
    """"公务用车运行维护费支出…比去年增加1.05万元，增长35.8%" is of 运行维护费 3.98 (prior 2.93),
    not of the 三公 total 5.48 stated first."""
    text = ("“三公”经费支出决算总额为5.48万元，其中：因公出国（境）费0.00万元；公务用车运行维护费3.98万元；"
            "公务接待费1.50万元。公务用车运行维护费支出决算比去年增加1.05万元，增长35.8%。\n")
    assert run(tmp_path, text) == []


@pytest.mark.parametrize("run_cost,errors", [("21", 0), ("12", 1)])
def test_a_bracket_of_bare_figures_is_read_in_the_unit_before_it(tmp_path, run_cost, errors) -> None:
    """"21.00万元（购置费0、运行维护费21）": the bracket's figures are 万元 and add up to 21.00."""
    text = ("2022年度“三公”经费支出决算为24.00万元，其中：因公出国（境）费0.00万元，公务用车购置及运行维护费21.00万元"
            f"（购置费0、运行维护费{run_cost}），公务接待费3.00万元。\n")
    assert [r for r, _ in run(tmp_path, text)] == ["A-SUM-PARTS"] * errors


@pytest.mark.parametrize("goods,expected", [("25.00", []), ("26.00", ["A-SUM-PARTS"])])
def test_nested_lists_keep_the_outer_list_whole(tmp_path, goods, expected) -> None:
    """"其中：基本支出60，其中人员经费50、公用经费10；项目支出40，其中：工资15、商品x": the outer
    list is 60 + 40 = 100 (its items' own lists neither end it nor count in it); only 项目支出's
    own list can fail (15 + 26 = 41 ≠ 40)."""
    text = ("本年支出合计100.00万元，其中：基本支出60.00万元，其中人员经费50.00万元，公用经费10.00万元；"
            f"项目支出40.00万元，其中：工资福利支出15.00万元，商品和服务支出{goods}万元。\n")
    found = run(tmp_path, text)
    assert [r for r, _ in found] == expected
    assert all("项目支出" in m for _, m in found)


def test_a_template_direction_is_read_as_a_change_of_no_known_direction(tmp_path) -> None:
    """"比上年增加（减少）1.00万元，增长（下降）25.00%": the figures are a change (not an item of
    the list that follows), whose direction the template left open: nothing to check."""
    text = "2022年度公务接待费支出6.00万元，比上年增加（减少）1.00万元，增长（下降）25.00%。其中：国内接待6.00万元。\n"
    assert run(tmp_path, text) == []


@pytest.mark.parametrize("prior_text,severity", [("比上年增加5.00万元，增长100%", "error"),
                                                 ("比上年增加5.00万元", None)])
def test_a_rate_stated_on_a_zero_base_is_an_error(tmp_path, prior_text, severity) -> None:
    """5.00 now, 5.00 more than last year: last year was 0, and "增长100%" is no rate of anything."""
    path = tmp_path / "t.txt"
    path.write_text(f"2022年度公务接待费支出5.00万元，{prior_text}。\n", encoding="utf-8")
    found = [f.severity.value for f in audit(path).findings if f.rule == "A-ZERO-BASE"]
    assert found == ([severity] if severity else [])


@pytest.mark.parametrize("total,expected", [("10.50", []), ("11.50", ["A-TABLE-SUM"])])
def test_a_table_of_sangong_with_meeting_and_training_costs_adds_them_in_its_total(tmp_path, total,
                                                                                  expected) -> None:
    """"“三公”经费及会议费、培训费支出决算表": its 合计 is 0 + 5 + 3 + 1.5 + 1 = 10.50, not the 三公
    total, so the text's 三公 8.00 is not compared with it."""
    text = ("一般公共预算财政拨款“三公”经费及会议费、培训费支出决算表\n单位：万元\n项目 | 决算数\n"
            f"合计 | {total}\n因公出国（境）费 | 0.00\n公务用车购置及运行维护费 | 5.00\n公务接待费 | 3.00\n"
            "会议费 | 1.50\n培训费 | 1.00\n2020年度“三公”经费支出8.00万元。\n")
    assert [r for r, _ in run(tmp_path, text)] == expected
