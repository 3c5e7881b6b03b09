"""The audit on the seed (2023, 阿拉善高新区 党政综合办公室): every finding, and what holds.

``EXPECTED`` lists every finding the seed must give — its known contradictions, each verified by
hand from the text, and its rounding differences (尾差) — with a fragment of the message and of
the quoted sentence.  The audit must give exactly these: a new finding fails the test as surely
as a missing one.  ``HOLDS`` lists relations the seed states consistently; none may be reported.

Decisions worth a line (see juesuan.audit.tolerance / relations / perfcheck):

- 社会保障和就业支出类 "减少 36.55" against 139.35 − Σ 项年初预算 175.89 = −36.54: one cent, inside
  the ±0.035 of seven printed two-decimal figures → info (尾差), not an error.
- 社会力量购买服务 执行率 "90.00" (two decimals) for 150.97/166.85 = 90.48%: wrong at two decimals,
  right as a whole number → warning ("似为取整后的整数按两位小数显示"); the 财政拨款 row's "90" is
  right; the 得分 9 against 10 × 90.48% = 9.05 is a 尾差 (info).
- 公务接待费 table: 年度资金总额 全年执行数 80.00 ≠ 66.20 + 0 + 0 is the error; its 执行率 83 and
  得分 8.3 are then checked against 66.20 (83 is right; 8.3 vs 8.28 is a 尾差).
- 十一's reason "接待费减少" against 八's 公务接待费 "增加5.42万元" is a warning (a reason is a claim
  that may mean another scope); 八（一）'s identical words explain the difference from the budget
  (66.20 < 80.00), so they hold.

``CONTRADICTIONS`` maps every contradiction recorded with the reference case (the reference
file's ``notes.contradictions``) to the finding(s) reporting it; a recorded contradiction the
audit does not report fails the test.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from test_audit_helpers import SEED  # noqa: I001  (puts src on sys.path first)

from juesuan.audit.engine import AuditResult, audit
from juesuan.findings import exit_status, summarize

# (rule, severity, fragment of the message, fragment of a quote)
EXPECTED = [
    ("A-RATE", "error", "决算 66.20 / 预算 80.00 = 82.75%，文中完成率为 0%", "“三公”经费预算80.00万元，支出决算66.20万元，完成预算的0%"),
    ("A-ZERO-BASE", "warning", "突发公共卫生事件应急处理", "年初预算 0.00 万元，支出决算 133.47 万元，完成年初预算的 0%"),
    ("A-ZERO-BASE", "warning", "「因公出国（境）费」预算为 0.00", "因公出国（境）费预算0.00万元，支出决算0.00万元，完成预算的0%"),
    ("A-ZERO-BASE", "warning", "「公务用车购置及运行维护费」预算为 0.00", "公务用车购置及运行维护费预算0.00万元"),
    ("A-ZERO-BASE", "warning", "应纳入绩效自评的政府性基金预算项目支出总额", "共涉及资金 0 万元"),
    ("A-PERF-QUOTE", "error", "「维护费」自评得分：正文为 99，绩效自评表为 99.9", "维护费项目自评综述：根据年初设定的绩效目标，项目自评得分 99 分"),
    ("A-SAME-ITEM", "error", "文中为 1,572.62，「一般公共预算项目支出总额」（见「七、", "共涉及资金 1572.62 万元，占一般公共预算项目支出总额的 100%"),
    ("A-FUND-CARRY", "warning", "被说明为「一般公共预算结余」", "年末结转和结余 0.62 万元"),
    ("A-SUM-PARTS", "info", "「社会保障和就业支出类」 139.35 与所列分项合计 139.36", "社会保障和就业支出类决算数为 139.35 万元"),
    ("A-CHANGE-SUM", "info", "减少 36.55，按分项计算应为减少 36.54", "与年初预算相比减少 36.55 万元"),
    ("A-SUM-PARTS", "info", "「卫生健康支出类」 168.72 与所列分项合计 168.73", "卫生健康支出类决算数为 168.72 万元"),
    ("A-SUM-PARTS", "info", "「公用经费」 490.26 与所列分项合计 490.25", "（二）公用经费 490.26 万元"),
    ("A-SUM-PARTS", "info", "1,569.77 与所列分项合计 1,569.76", "项目支出决算1,569.77万元"),
    ("A-SUM-PARTS", "info", "3,038.13 与所列分项合计 3,038.12", "支出决算3,038.13万元"),
    ("A-CHANGE-SUM", "info", "增加 830.53，按分项计算应为增加 830.54", "收、支总计各增加 830.53 万元"),
    ("A-LIST-PARTIAL", "info", "「商品和服务支出」 1,216.31 的「主要包括」只列出 751.56", "商品和服务支出1,216.31万元"),
    ("A-PERF-FUNDS", "error", "「公务接待费」年度资金总额全年执行数 80.00 ≠ 财政拨款 + 上年结转 + 其他资金 = 66.20", "80.00 80.00 80.00 10 83 8.3"),
    ("A-PERF-SCORE", "info", "「公务接待费」资金得分：分值 10 × 执行率 66.20/80.00 = 8.28，表中得分为 8.3", "80.00 80.00 80.00 10 83 8.3"),
    ("A-PERF-RATE", "warning", "「社会力量购买服务」年度资金总额：执行数 150.97 / 全年预算数 166.85 = 90.48%，表中执行率为 90.00%", "166.85 166.85 150.97 10 90.00 9"),
    ("A-PERF-SCORE", "info", "「社会力量购买服务」资金得分：分值 10 × 执行率 150.97/166.85 = 9.05，表中得分为 9", "90.00 9"),
    ("A-IMPLIED-SUM", "warning", "合计 202.75，与 「政府采购授予中小企业合同金额」 352.90 不符", "货物采购授予中小企业合同金额占货物支出金额的 19.85%"),
    ("A-PRECISION", "info", "百分比「2%」", "工程支出金额的 2%"),
    ("A-COUNT-SUM", "error", "「共 5 个项目」与前面所列 一般公共预算项目 33 个、政府性基金项目 0 个 之和 33 个",
     "33 个一般公共预算项目，以及 0 个政府性基金项目，共 5 个项目的绩效自评结果"),
    ("A-REASON-DIRECTION", "warning", "减少的变动原因称「接待费减少」，但「八、财政拨款“三公”经费支出决算情况说明」中「公务接待费支出」与上年相比增加 5.42 万元",
     "减少 5.35%，严格贯彻落实党政机关过紧日子的要求，接待费减少"),
]

REFERENCE = SEED.parent / "nmg-2023-reference.json"

# contradiction id (reference notes.contradictions) → [(rule, fragment of a quote of the finding)]
CONTRADICTIONS = {
    "sangong-total-rate": [("A-RATE", "“三公”经费预算80.00万元，支出决算66.20万元，完成预算的0%")],
    "sangong-zero-budget-rate": [("A-ZERO-BASE", "因公出国（境）费预算0.00万元，支出决算0.00万元，完成预算的0%"),
                                 ("A-ZERO-BASE", "公务用车购置及运行维护费预算0.00万元，支出决算0.00万元，完成预算的0%")],
    "wu-zero-budget-rate": [("A-ZERO-BASE", "年初预算 0.00 万元，支出决算 133.47 万元，完成年初预算的 0%")],
    "carryover-nature": [("A-FUND-CARRY", "年末结转和结余 0.62 万元")],
    "shiyi-reason-reception": [("A-REASON-DIRECTION", "过紧日子的要求，接待费减少")],
    "perf-coverage-amount": [("A-SAME-ITEM", "共涉及资金 1572.62 万元，占一般公共预算项目支出总额的 100%")],
    "perf-fund-coverage": [("A-ZERO-BASE", "共涉及资金 0 万元，占应纳入绩效自评的政府性基金预算项目支出总额的 100%")],
    "perf-count-total": [("A-COUNT-SUM", "以及 0 个政府性基金项目，共 5 个项目")],
    "perf-reception-total-executed": [("A-PERF-FUNDS", "80.00 80.00 80.00 10 83 8.3")],
    "perf-rate-rounding": [("A-PERF-RATE", "166.85 166.85 150.97 10 90.00 9")],
    "perf-score-from-rounded-rate": [("A-PERF-SCORE", "80.00 80.00 80.00 10 83 8.3"),
                                     ("A-PERF-SCORE", "166.85 166.85 150.97 10 90.00 9")],
    "perf-maintenance-score-text": [("A-PERF-QUOTE", "维护费项目自评综述：根据年初设定的绩效目标，项目自评得分 99 分")],
    "procurement-type-shares": [("A-IMPLIED-SUM", "货物采购授予中小企业合同金额占货物支出金额的 19.85%"),
                                ("A-PRECISION", "工程支出金额的 2%")],
}

# (rule, fragment of the sentence the relation is stated in): consistent, so never reported.
HOLDS = [
    ("A-SUM-PARTS", "（一）收入决算总计 3,041.69 万元"),  # 3,041.67 + 0.00 + 0.02
    ("A-SUM-PARTS", "支出决算总计 3,041.69 万元"),  # 3,041.07 + 0 + 0.62
    ("A-SAME-ITEM", "收入决算总计 3,041.69 万元"),  # both sides equal the 收、支总计
    ("A-SHARE", "占 99.88%"), ("A-SHARE", "占 0.09%"), ("A-SHARE", "占 0.02%"),
    ("A-SHARE", "占 48.29%"), ("A-SHARE", "占 51.71%"),
    ("A-SUM-PARTS", "本年收入决算合计 3,041.67 万元，其中"),  # 8 lines
    ("A-SUM-PARTS", "本年支出决算合计 3,041.07 万元，其中"),  # 5 lines
    ("A-RATE", "93.33%"),
    ("A-CHANGE", "830.53"), ("A-CHANGE", "213.63"), ("A-CHANGE", "853.43"), ("A-CHANGE", "22.89"),
    ("A-CHANGE", "829.93"), ("A-CHANGE", "3,000.00%"), ("A-CHANGE", "214.34"), ("A-CHANGE", "852.94"),
    ("A-CHANGE", "5.42"), ("A-CHANGE", "27.73"),
    ("A-RATE", "96.42%"), ("A-RATE", "86.50%"), ("A-RATE", "76.84%"), ("A-RATE", "76.09%"),
    ("A-RATE", "100.00%"), ("A-RATE", "108.88%"), ("A-RATE", "169.59%"), ("A-RATE", "73.27%"),
    ("A-RATE", "360.61%"), ("A-RATE", "2.94%"), ("A-RATE", "88.53%"), ("A-RATE", "181.02%"),
    ("A-RATE", "0.77%"), ("A-RATE", "82.75%"),
    ("A-CHANGE-SUM", "305.48"),  # 2,657.40 − Σ 项年初预算 2,962.88
    ("A-SUM-PARTS", "一般公共服务支出类决算数为 2,657.40"),
    ("A-SUM-PARTS", "（一）人员经费 978.10 万元"),  # Σ 10 items = 978.10
    ("A-SUM-PARTS", "基本支出决算 1,468.36 万元"),  # 978.10 + 490.26
    ("A-SHARE", "占100.00%"), ("A-SUM-PARTS", "“三公”经费支出66.20万元"),
    ("A-SAME-ITEM", "机构运行经费支出决算 490.26"),  # = 公用经费 490.26
    ("A-SAME-ITEM", "项目支出决算1,569.77"),  # = 3,038.13 − 1,468.36
    ("A-SUM-PARTS", "政府采购支出总额 467.93 万元"),  # 123.15 + 12.41 + 332.37
    ("A-SHARE", "75.42%"), ("A-SHARE", "73.34%"),
    ("A-SUM-PARTS", "共有车辆 2 辆"),
    ("A-SCOPE", "本年基本支出"), ("A-SCOPE", "本年项目支出"),  # 1,468.45 ≥ 1,468.36; 1,572.62 ≥ 1,569.77 + 2.85
    ("A-REASON-DIRECTION", "经费支出决算与预算产生变动差异的原因"),  # 接待费减少: 66.20 < 预算 80.00
    ("A-COUNT-SUM", "二级项目 33 个"),  # no 共 N 个 after the counts: 共涉及资金 is money
]


@pytest.fixture(scope="module")
def seed() -> AuditResult:
    return audit(SEED)


def _matches(f, rule: str, severity: str, message: str, quote: str) -> bool:
    return (f.rule == rule and f.severity.value == severity and message in f.message
            and any(quote in q.text for q in f.quotes))


@pytest.mark.parametrize("rule,severity,message,quote", EXPECTED, ids=[e[0] + ":" + e[2][:12] for e in EXPECTED])
def test_seed_reports_each_contradiction_with_its_quote(seed: AuditResult, rule, severity, message, quote) -> None:
    hits = [f for f in seed.findings if _matches(f, rule, severity, message, quote)]
    assert len(hits) == 1, "\n".join(f"{f.rule} {f.severity.value} {f.message}" for f in seed.findings)


def _recorded() -> list[dict]:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))["notes"]["contradictions"]


def test_every_recorded_contradiction_is_mapped() -> None:
    assert sorted(c["id"] for c in _recorded()) == sorted(CONTRADICTIONS)


@pytest.mark.parametrize("cid", [c["id"] for c in _recorded()])
def test_seed_reports_each_recorded_contradiction(seed: AuditResult, cid: str) -> None:
    assert cid in CONTRADICTIONS, f"contradiction {cid} of the reference case has no finding mapped to it"
    for rule, quote in CONTRADICTIONS[cid]:
        hits = [f for f in seed.findings if f.rule == rule and any(quote in q.text for q in f.quotes)]
        assert hits, f"{cid}: no {rule} finding quoting {quote!r}"


def test_seed_reports_nothing_else(seed: AuditResult) -> None:
    unexplained = [f for f in seed.findings if not any(_matches(f, *e) for e in EXPECTED)]
    assert unexplained == []
    assert len(seed.findings) == len(EXPECTED)


@pytest.mark.parametrize("rule,quote", HOLDS)
def test_seed_consistent_relations_are_not_reported(seed: AuditResult, rule, quote) -> None:
    wrong = [f for f in seed.findings if f.rule == rule and any(quote in q.text for q in f.quotes)]
    assert wrong == []


def test_seed_reasons_that_agree_are_not_reported(seed: AuditResult) -> None:
    """八 gives "接待费减少" for 决算 66.20 < 预算 80.00 and "公务接待费增加" for its 增加5.42万元:
    the only reason reported is 十一's (its claim is the finding's first quote)."""
    claims = [f.quotes[0] for f in seed.findings if f.rule == "A-REASON-DIRECTION"]
    assert [q.section for q in claims] == ["十一、机构运行经费支出决算情况说明"]


def test_seed_summary_and_exit_status(seed: AuditResult) -> None:
    assert summarize(seed.findings) == {"error": 5, "warning": 8, "info": 11, "acknowledged": 0}
    assert exit_status(seed.findings) == 1
    assert Counter(f.severity.value for f in seed.findings if f.rule.startswith("A-PERF")) == \
        {"error": 2, "warning": 1, "info": 2}


def test_seed_reads_all_fourteen_sections_and_skips_nothing(seed: AuditResult) -> None:
    kinds = [k for _, k in seed.sections]
    assert len(kinds) == 14 and None not in kinds
    assert seed.skipped == []


def test_quotes_point_into_the_document(seed: AuditResult) -> None:
    raw = SEED.read_text(encoding="utf-8")
    for f in seed.findings:
        for q in f.quotes:
            assert q.section and q.position is not None
            first = q.text.split(" ")[0][:6]
            assert raw.find(first, q.position) == q.position, (f.rule, q)
