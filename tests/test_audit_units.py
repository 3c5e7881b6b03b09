"""Units of the audit: normalisation, figures, tolerance, the rule registry, the outline."""

from __future__ import annotations

from decimal import Decimal

import pytest

from test_audit_helpers import SEED  # noqa: F401,I001  (puts src on sys.path first)

from juesuan.audit.rules import RULES, finding, show
from juesuan.audit.sections import outline, paragraphs
from juesuan.audit.text import figures, normalise
from juesuan.audit.tolerance import judge, ratio_band, sum_band
from juesuan.errors import FormatError
from juesuan.findings import Quote


def test_normalise_widths_separators_and_spaces() -> None:
    m = normalise("收入 ３，０４１．６９ 万元,占 99.88 ％;4300 余件(类)")
    assert m.text == "收入3041.69万元，占99.88%；4300余件（类）"
    # every character remembers where it came from
    assert m.text[m.text.index("3041")] == "3" and m.origin[m.text.index("3041")] == 3


def test_spaces_between_figures_stay() -> None:
    assert normalise("年度资金总额\t80.00 80.00 66.20").text == "年度资金总额\t80.00 80.00 66.20"


def test_figures_units() -> None:
    f = figures("增加830.53万元，增加37.56%，接待5645人次，奖金5000元，共有车辆2辆")
    assert [(x.value, x.places, x.unit) for x in f] == [
        (Decimal("830.53"), 2, "万元"), (Decimal("37.56"), 2, "%"), (Decimal("5645"), 0, "人次"),
        (Decimal("0.5000"), 4, "万元"), (Decimal("2"), 0, "辆")]
    assert f[0].half == Decimal("0.005") and f[2].half == 0  # counts are exact


def test_judge_ok_info_fail_lenient() -> None:
    total, band = sum_band(figures("1.00万元 2.00万元 3.01万元"))
    assert judge(figures("6.01万元")[0], total, band).status == "ok"
    v = judge(figures("6.02万元")[0], total, band)
    assert v.status == "info" and v.tolerance == Decimal("0.02") and v.difference == Decimal("0.01")
    assert judge(figures("6.05万元")[0], total, band).status == "fail"
    exact, width = ratio_band((Decimal("150.97"), Decimal("0.005")), (Decimal("166.85"), Decimal("0.005")))
    assert judge(figures("90%")[0], exact, width).status == "ok"
    assert judge(figures("90.00%")[0], exact, width).status == "lenient"
    assert judge(figures("90.48%")[0], exact, width).status == "ok"


def test_ratio_band_covers_the_inputs_rounding() -> None:
    # 0.60 on a prior of 0.02 printed as 3,000.00%: consistent
    exact, width = ratio_band((Decimal("0.60"), Decimal("0.005")), (Decimal("0.02"), Decimal("0.005")))
    assert exact == Decimal("3000") and width > Decimal("900")
    assert ratio_band((Decimal("1"), Decimal("0.005")), (Decimal("0.00"), Decimal("0.005"))) is None


def test_every_rule_template_formats() -> None:
    for rule in RULES.values():
        fields = {name: "x" for name in rule.fields}
        f = finding(rule.id, quotes=[Quote("句。", "一、", 0), Quote("句。", "一、", 0)], **fields)
        assert f.rule == rule.id and f.severity == rule.severity and len(f.quotes) == 1
        assert rule.en and rule.id.startswith("A-")


def test_unknown_rule_and_missing_field_fail_fast() -> None:
    with pytest.raises(FormatError):
        finding("A-NOPE", quotes=[])
    with pytest.raises(FormatError):
        finding("A-SHARE", quotes=[], label="x")


def test_show_keeps_printed_decimals() -> None:
    assert show(Decimal("3041.69")) == "3,041.69"
    assert show(Decimal("66.20")) == "66.20"
    assert show(Decimal("2")) == "2"
    assert show(Decimal("90.4825")) == "90.48"
    assert show(figures("90.00%")[0]) == "90.00"


def test_outline_joins_wrapped_lines_and_finds_sections() -> None:
    text = ("第二部分 2023年度部门决算情况说明\n一、收入决算情况说明\n本年收入合计100.00万元，\n其中：\n"
            "财政拨款收入90.00万元，占90.00%；\n其他收入10.00万元，占\n10.00%。\n"
            "二、其他事项\n说明。\n第三部分 名词解释\n")
    out = outline(paragraphs(normalise(text)))
    assert [(s.title, s.kind) for s in out.sections] == [("一、收入决算情况说明", "income"), ("二、其他事项", None)]
    assert [p.text for p in out.sections[0].paras][-1] == "其他收入10.00万元，占10.00%。"


def test_stated_prior_year_figure_is_checked(tmp_path) -> None:
    from juesuan.audit.engine import audit

    doc = tmp_path / "prior.txt"
    doc.write_text("第二部分 情况说明\n一、收入支出决算总体情况说明\n"
                   "本年收入总计100.00万元，上年决算数为90.00万元，与上年决算相比，增加12.00万元，增加13.33%。\n"
                   "二、机构运行经费支出决算情况说明\n"
                   "本年机构运行经费50.00万元，上年决算数为40.00万元，与上年决算相比，增加10.00万元，增加25.00%。\n",
                   encoding="utf-8")
    result = audit(doc)
    details = [f.message for f in result.findings if f.rule == "A-CHANGE"]
    assert len(details) == 2  # 上年数 88.00 ≠ 90.00, and 12.00/88.00 = 13.64% ≠ 13.33%
    assert "上年数应为 88.00，文中为 90.00" in details[0] and "13.64%" in details[1]
