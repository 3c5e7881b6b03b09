"""Mechanisms found on the real published texts 44–74 of the corpus (tests/data/audit_corpus/),
each on a short text with its relation just holding and just failing (each test fails on the audit
before the fix it names)."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.audit.engine import audit
from juesuan.findings import Severity


def run(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    return [(f.rule, f.message) for f in audit(path).findings if f.severity is Severity.ERROR]


def rules(tmp_path: Path, text: str) -> list[str]:
    return [r for r, _ in run(tmp_path, text)]


def test_a_part_with_its_own_sub_part_is_no_complete_list(tmp_path) -> None:
    """"总额 100，其中中小企业 80，…，其中小微企业 30": 小微 is inside 中小, so the total has one
    listed part (not 80 + 30 = 110, nor 80 = 100); two parts at one level still add up."""
    nested = ("2023年度政府采购支出总额100.00万元，其中授予中小企业合同金额80.00万元，占政府采购支出总额的80.00%，"
              "其中授予小微企业合同金额30.00万元，占政府采购支出总额的30.00%。\n")
    assert rules(tmp_path, nested) == []
    siblings = "2023年度政府采购支出总额100.00万元，其中：货物支出60.00万元，服务支出30.00万元。\n"
    assert rules(tmp_path, siblings) == ["A-SUM-PARTS"]


@pytest.mark.parametrize("last,errors", [("0.59", 0), ("0.61", 1)])
def test_yi_yuan_figures_are_exact_to_their_printed_hundredth_of_a_yi(tmp_path, last, errors) -> None:
    """1.32 亿元 printed to 0.01 亿 is 1.315…1.325 亿 (±50 万元, not ±0.5 万元): 0.72 + 0.02 + 0.59
    = 1.33 is inside four such roundings (±0.02 亿); 1.35 is not."""
    text = f"2025年全市政府采购规模为1.32亿元。其中：货物0.72亿元，工程0.02亿元，服务{last}亿元。\n"
    assert rules(tmp_path, text) == ["A-SUM-PARTS"] * errors


@pytest.mark.parametrize("pct,errors", [("73.2", 0), ("73.3", 1)])
def test_a_budget_printed_inside_the_rate_is_its_denominator_not_the_amount(tmp_path, pct, errors) -> None:
    """"决算为 62.07 万元，完成全年预算 84.82 万元的 73.2%，比上年决算数增加 38.97 万元，增长 168.7%":
    62.07 / 84.82 = 73.18%; the change is the final's (38.97 / 23.10 = 168.70%), not the budget's."""
    text = (f"2023年度“三公”经费财政拨款支出决算为62.07万元，完成全年预算84.82万元的{pct}%，"
            "比上年决算数增加38.97万元，增长168.7%。\n")
    assert rules(tmp_path, text) == ["A-RATE"] * errors


@pytest.mark.parametrize("pct,errors", [("47%", 0), ("31.97%", 1)])
def test_a_change_against_last_year_is_the_finals_after_its_budget(tmp_path, pct, errors) -> None:
    """"预算为 1 万元，支出决算为 0.53 万元，完成预算的 53%；较上年减少 0.47 万元，下降 47%":
    0.47 / (0.53 + 0.47) = 47%, the final's change (the budget's would be 0.47 / 1.47 = 31.97%)."""
    text = f"2023年公务接待费预算为1万元，支出决算为0.53万元，完成预算的53%；较上年减少0.47万元，下降{pct}。\n"
    assert rules(tmp_path, text) == ["A-CHANGE"] * errors


@pytest.mark.parametrize("car,errors", [("0", 0), ("1", 1)])
def test_a_list_ends_with_the_semicolon_clauses_that_add_up_to_its_total(tmp_path, car, errors) -> None:
    """"安排公务用车费 1054 万元，其中运行维护费 1054 万元，购置 0 万元；安排因公出国费 20 万元":
    the clause after the parts that add up is the total's sibling, not a third part."""
    text = ("2017年全市“三公”经费的预算总额为2310万元，其中，安排公务接待费1236万元；安排公务用车费1054万元，"
            f"其中公务用车运行维护费1054万元，公务用车购置{car}万元；安排因公出国（境）费20万元。\n")
    assert rules(tmp_path, text) == ["A-SUM-PARTS"] * errors


@pytest.mark.parametrize("third,errors", [("22.59", 0), ("22.69", 1)])
def test_a_semicolon_qizhong_details_the_item_before_within_the_enclosing_list(tmp_path, third, errors) -> None:
    """"其中：A 12.02；B 27.46；其中：B1 0，B2 27.46；C 22.59": the second 其中 breaks B down over
    its own clauses and the enclosing list goes on to C (12.02 + 27.46 + 22.59 = 62.07)."""
    text = ("2023年度“三公”经费支出决算为62.07万元，其中：因公出国（境）费支出决算为12.02万元；"
            "公务用车购置及运行维护费支出决算为27.46万元；其中：公务用车购置支出决算为0万元；"
            f"公务用车运行维护费支出决算为27.46万元；公务接待费支出决算为{third}万元。\n")
    assert rules(tmp_path, text) == ["A-SUM-PARTS"] * errors


@pytest.mark.parametrize("pct,errors", [("16.97", 0), ("14.6", 1)])
def test_a_rate_then_its_amount_zengshou_is_one_change(tmp_path, pct, errors) -> None:
    """"完成 30161 万元，同比增长 p%，增收 4376 万元": 4376 / 25785 = 16.97%; 增收/减收 are direction
    words, and a rate followed by its amount is one change."""
    text = f"2022年地方一般公共预算收入完成30161万元，同比增长{pct}%，增收4376万元。\n"
    assert rules(tmp_path, text) == ["A-CHANGE"] * errors


@pytest.mark.parametrize("word,errors", [("减", 0), ("增", 1)])
def test_opposite_directions_of_one_change_are_an_error_without_its_amount(tmp_path, word, errors) -> None:
    """"商品和服务支出较上年减 0.04 万元，增 0.01%": the text never states the item's amount, yet
    an amount that fell cannot have risen."""
    text = f"（一）基本支出预算收支增减情况\n1.商品和服务支出较上年减0.04万元，{word}0.01%。\n"
    assert rules(tmp_path, text) == ["A-CHANGE"] * errors


@pytest.mark.parametrize("pct,errors", [("2.17%", 0), ("0.02%", 1)])
def test_a_sangong_budget_total_against_last_years_budget(tmp_path, pct, errors) -> None:
    """"“三公”经费预算总额为 2.7 万元 … 预算数比 2017 年预算数减少 0.06 万元，减幅 p": the
    2018 budget against the 2017 budget; 0.06 / 2.76 = 2.17%."""
    text = ("2018年财政拨款“三公”经费预算总额为2.7万元，其中，因公出国（境）费支出0万元，公务用车购置及运行费支出1.5万元，"
            f"公务接待费支出1.2万元。\n2018年“三公”经费预算数比2017年预算数减少0.06万元，减幅{pct}。\n")
    assert rules(tmp_path, text) == ["A-CHANGE"] * errors


@pytest.mark.parametrize("last,errors", [("43.94", 0), ("43.96", 1)])
def test_respective_shares_pair_with_respective_amounts_and_add_up_to_100(tmp_path, last, errors) -> None:
    """"货物、工程、服务分别为 0.72、0.02 和 0.58 亿元，占规模的 54.55%、1.52% 和 p%": each share is
    of its own amount (not all of the last one), each inside its rounding; the amounts add up to
    the 1.32 亿元, so the shares add up to 100% ± 0.015 (100.01 does, 100.03 does not)."""
    text = ("2025年一季度全市政府采购规模为1.32亿元。其中，货物、工程、服务政府采购规模分别为0.72亿元、0.02亿元和0.58亿元，"
            f"占全市政府采购规模比例为54.55%、1.52%和{last}%。\n")
    assert rules(tmp_path, text) == ["A-SHARE-SUM"] * errors


@pytest.mark.parametrize("base,errors", [("同类产品采购规模", 0), ("政府采购规模", 1)])
def test_a_base_of_each_items_own_is_no_common_base(tmp_path, base, errors) -> None:
    """"节能产品 612.1 亿元，占同类产品采购规模的 86.9%；环保产品 899.8 亿元，占同类…的 85.2%":
    each product's own category; the same shares of one named base cannot both hold."""
    text = (f"2021年全国强制采购、优先采购节能节水产品612.1亿元，占{base}的86.9%；"
            f"优先采购环保产品899.8亿元，占{base}的85.2%。\n")
    assert rules(tmp_path, text) == ["A-SHARE-BASES"] * errors


@pytest.mark.parametrize("own,errors", [("调整预算", 0), ("地方收入", 1)])
def test_a_share_of_the_items_own_budget_is_a_completion_rate(tmp_path, own, errors) -> None:
    """"税务部门完成 13866 万元，占调整预算 100.93%；财政部门完成 14717 万元，占调整预算 110.14%":
    each department's own adjusted budget, not one base (over 100% each)."""
    text = (f"2022年税务部门完成13866万元，占{own}100.93%；财政部门完成14717万元，占{own}110.14%。\n")
    assert rules(tmp_path, text) == ["A-SHARE-BASES"] * errors


@pytest.mark.parametrize("pct,errors", [("21.8", 0), ("23.8", 1)])
def test_a_mark_passed_is_no_figure_and_wan_yi_is_a_unit(tmp_path, pct, errors) -> None:
    """"规模为 21070.5 亿元，首次突破 2 万亿元，比上年增加 3765.2 亿元，增长 p%": 2 万亿元 is a
    mark (not 2 万元, not the figure); the change is 21070.5's: 3765.2 / 17305.3 = 21.76%."""
    text = f"2015年全国政府采购规模为21070.5亿元，首次突破2万亿元，比上年增加3765.2亿元，增长{pct}%。\n"
    assert rules(tmp_path, text) == ["A-CHANGE"] * errors


@pytest.mark.parametrize("wage,errors", [("3720.57", 0), ("3730.57", 1)])
def test_one_total_given_two_ways_is_two_lists(tmp_path, wage, errors) -> None:
    """"支出 100，其中：按功能分类科目，A、B；按经济分类科目，C、D": each way adds up on its own
    (not A + B + C + D = twice the total)."""
    text = ("2017年度一般公共预算财政拨款支出4603.07万元。其中：按功能分类科目，一般公共服务支出4134.05万元，"
            "社会保障和就业支出469.02万元；按经济分类科目，工资福利支出" + wage + "万元，商品和服务支出307.92万元，"
            "对个人和家庭的补助支出574.58万元。\n")
    assert rules(tmp_path, text) == ["A-SUM-PARTS"] * errors


@pytest.mark.parametrize("pct,errors", [("100%", 0), ("34.88%", 1)])
def test_an_unnamed_share_of_a_sangong_item_is_of_the_sangong_total(tmp_path, pct, errors) -> None:
    """"（一）…“三公”经费支出决算为 6.28 万元。（二）…决算中，因公出国（境）费 0 万元；公务接待费
    6.28 万元，占 p": the share's base is the 三公 total stated before, not the 0 before it."""
    text = ("（一）“三公”经费支出决算总体情况说明\n2019年度一般公共预算财政拨款“三公”经费支出预算为18万元，"
            "支出决算为6.28万元，完成预算的34.89%。\n（二）“三公”经费支出决算具体情况说明\n"
            f"2019年度一般公共预算财政拨款“三公”经费支出决算中，因公出国（境）费支出决算0万元；公务接待费支出决算6.28万元，占{pct}。\n")
    assert rules(tmp_path, text) == ["A-SHARE"] * errors


@pytest.mark.parametrize("culture,errors", [("850088.3", 0), ("950088.3", 1)])
def test_parts_adding_up_to_the_base_the_head_is_a_share_of_detail_that_base(tmp_path, culture, errors) -> None:
    """"项目支出预算 48100 元，占支出总预算的 4.43%。其中：（四类科目）": 48100 ÷ 4.43% ≈ 1085800 ±
    rounding, which the four classes make (1085203.63): they detail 支出总预算, not 项目支出."""
    text = ("项目支出预算48100元，占支出总预算的4.43%，同比无增减变化。其中：\n"
            f"（一）文化旅游体育与传媒支出类科目{culture}元。\n（二）社会保障和就业支出类科目116433.12元。\n"
            "（三）卫生健康支出类科目43897.73元。\n（四）住房保障支出类科目74784.48元。\n")
    assert rules(tmp_path, text) == ["A-SUM-PARTS"] * errors


@pytest.mark.parametrize("last,errors", [("6.90", 0), ("6.95", 1)])
def test_shares_adjusted_to_add_up_to_100_are_a_warning_not_an_error(tmp_path, last, errors) -> None:
    """78.33%、10.73%、4.04%、6.90% of one base (exactly 4.0451% and 6.8913%): each within one unit of
    its last digit and together 100.00% — printed shares adjusted to 100%, a warning; 6.95% is not."""
    text = ("2025年文化旅游体育与传媒支出850088.3元，占支出总预算78.33%；社会保障和就业支出116433.12元，占支出总预算10.73%；"
            f"卫生健康支出43897.73元，占支出总预算4.04%；住房保障支出74784.48元，占支出总预算{last}%。\n")
    assert rules(tmp_path, text) == ["A-SHARE-BASES"] * errors


@pytest.mark.parametrize("label,errors", [("平均每辆车的运行维护费用为", 0), ("公务接待费为", 1)])
def test_a_per_unit_figure_is_part_of_no_total(tmp_path, label, errors) -> None:
    """"决算数为 2488.79 万元，其中公务用车购置及运行费 1229.65 万元，平均每辆车 5.41 万元": one part
    and a per-unit average (1114.65 / 206), not two parts adding up to 1235.06."""
    text = f"2010年“三公经费”决算数为2488.79万元，其中公务用车购置及运行费达1229.65万元，{label}5.41万元。\n"
    assert rules(tmp_path, text) == ["A-SUM-PARTS"] * errors


@pytest.mark.parametrize("total,errors", [("583.83", 0), ("583.93", 1)])
def test_a_breakdown_of_an_item_is_nested_not_a_parallel_list(tmp_path, total, errors) -> None:
    """"583.83，其中：出国 0；接待 201.25，其中：…批次；公务用车 382.58（其中：…）": the second
    其中 and the bracketed one break items down; the 三公 list still has its three items."""
    text = (f"2017年全县“三公”经费决算汇总数为{total}万元。其中：因公出国（境）费为0万元；公务接待费201.25万元，"
            "其中：国内公务接待4032批次，33409人次；公务用车购置及运行维护费为382.58万元（其中：公务用车购置费18.85万元、"
            "公务用车运行维护费363.73万元）。\n")
    found = rules(tmp_path, text)
    assert found.count("A-SUM-PARTS") == errors


@pytest.mark.parametrize("prior,errors", [("12.35", 0), ("12.5", 1)])
def test_an_items_two_years_are_its_change_not_two_parts(tmp_path, prior, errors) -> None:
    """"其中：1、公务接待费2016年预算8万元，2015年预算p万元；对比减少4.35万元": 2016's 8 + 25 = 33
    (the 2015 figures are no parts) and the change is 8's against its 2015 figure."""
    text = ("2016年三公经费预算拨入33万元，2015年三公经费预算拨入57.55万元，与上年对比减少24.55万元。"
            f"其中：1、公务接待费2016年预算8万元，2015年预算{prior}万元；对比减少4.35万元。"
            "2、公务车辆运行2016年预算25万元，2015年预算45.2万元；对比减少20.20万元。\n")
    assert rules(tmp_path, text) == ["A-CHANGE"] * errors


@pytest.mark.parametrize("reception,errors", [("8.48", 0), ("9.48", 1)])
def test_clauses_that_all_add_up_are_all_parts_even_when_the_last_is_zero(tmp_path, reception, errors) -> None:
    """"决算 18.57，其中：A 2.43；B 16.14；公务接待费 0.00": the first two clauses already add up, yet the
    third is a part too (adding 0.00) — the list is not cut there, so the budgets 2.75、19.13、8.48 are
    all parts of 预算 30.35 (a tail difference); with 9.48 they are not."""
    text = ("八、财政拨款“三公”经费支出决算情况说明\n（一）财政拨款“三公”经费支出总体情况说明。\n"
            "某局2023年度财政拨款“三公”经费预算30.35万元，支出决算18.57万元，完成预算的61.18%。其中：因公出国（境）费"
            "预算2.75万元，支出决算2.43万元，完成预算的88.50%；公务用车购置及运行维护费预算19.13万元，支出决算16.14万元，"
            f"完成预算的84.37%；公务接待费预算{reception}万元，支出决算0.00万元，完成预算的0.00%。\n")
    assert rules(tmp_path, text) == ["A-SUM-PARTS"] * errors
