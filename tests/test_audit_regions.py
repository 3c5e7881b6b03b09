"""Disclosures of other regions and years: the audit runs, checks what it recognises and says
what it skipped (section and reason) instead of guessing.

Fixtures (tests/data/audit/, written for these tests in each format's wording):

- ``im_2019_style.txt`` — Inner Mongolia 2019: "关于2019年度决算情况说明（一）…（七）",
  "其他重要事项的情况说明" with 机关运行经费, 增长/下降 wording; one deliberate error
  (其他收入 20.30 of 1,200.50 printed as 1.96% instead of 1.69%);
- ``hunan_2022_style.txt`` — Hunan 2022: the narrative is 第三部分, a 一般性支出情况说明 section,
  a 财政拨款支出决算结构 paragraph ("主要用于以下方面：…占…%"); one deliberate error (卫生健康支出
  30.00 of 860.10 printed as 3.94%);
- ``county_no_parts.txt`` — a county centre: no 第X部分 headings, an unknown "专项资金使用情况",
  a change given only as a percentage ("较上年增长3%").
"""

from __future__ import annotations

import pytest

from test_audit_helpers import DATA  # noqa: I001  (puts src on sys.path first)

from juesuan.audit.engine import audit


def _errors(result):
    return [f for f in result.findings if f.severity.value == "error"]


def _skipped(result):
    return [(s.section, s.zh) for s in result.skipped]


def test_inner_mongolia_2019_wording() -> None:
    result = audit(DATA / "im_2019_style.txt")
    kinds = {k for _, k in result.sections}
    assert {"overall", "income", "expend", "fiscal_overall", "gpb_expend", "gpb_basic", "sangong",
            "running", "procurement", "assets", "performance"} <= kinds
    errors = _errors(result)
    assert [(f.rule, f.quotes[0].text) for f in errors] == [("A-SHARE", "其他收入20.30万元，占1.96%。")]
    assert "1.69%" in errors[0].message
    assert not [f for f in result.findings if f.severity.value == "warning"]
    skipped = _skipped(result)
    assert ("四、其他需要说明的事项", "未识别的章节标题，本节未检查") in skipped
    # "完成预算的80.00%" without the budget it completes: skipped, not guessed
    assert any("三公" in (s or "") and "完成率找不到" in r for s, r in skipped)
    assert ("政府性基金预算财政拨款支出决算情况说明", "未找到此章节，相关检查未做") in skipped


def test_hunan_2022_wording() -> None:
    result = audit(DATA / "hunan_2022_style.txt")
    errors = _errors(result)
    assert [(f.rule, f.quotes[0].text) for f in errors] == [("A-SHARE", "卫生健康支出30.00万元，占3.94%；")]
    assert "3.49%" in errors[0].message
    skipped = _skipped(result)
    assert any(s == "七、一般性支出情况说明" and r.startswith("本节未检查") for s, r in skipped)
    # 机关运行经费 "比年初预算减少5.00万元，降低4.76%" and the nested 主要包括 lists hold
    assert not [f for f in result.findings if f.rule in ("A-CHANGE", "A-SUM-PARTS", "A-LIST-PARTIAL")]


def test_county_without_parts() -> None:
    result = audit(DATA / "county_no_parts.txt")
    assert [(f.rule, f.severity.value, f.quotes[0].text[:18]) for f in result.findings] == [
        ("A-PRECISION", "info", "本年支出合计490.00万元，较上年")]  # "3%" among two-decimal shares
    skipped = _skipped(result)
    assert skipped[0] == (None, "未找到「第X部分」标题，在全文中识别章节")
    assert ("五、专项资金使用情况", "未识别的章节标题，本节未检查") in skipped
    # "较上年增长3%" without the amount: the prior year cannot be recovered, so it is skipped
    assert ("三、支出决算情况", "只给出增减率、没有增减额，无法推算上年数，未检查") in skipped


@pytest.mark.parametrize("name", ["im_2019_style.txt", "hunan_2022_style.txt", "county_no_parts.txt"])
def test_every_skip_has_a_reason_in_both_languages(name: str) -> None:
    for s in audit(DATA / name).skipped:
        assert s.zh and s.en
