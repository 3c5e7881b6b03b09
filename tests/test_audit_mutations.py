"""The seed with one figure altered at a time: each altered figure is caught by the right rule.

Each case replaces one printed figure of the seed (the old text must occur exactly once) and
requires a finding that the unaltered seed does not give, with the expected rule id and a
quote containing the altered text.  Together with the seed test this exercises every rule of
the registry: one document where it holds, one where it fails with exactly that id.  ``CONSISTENT``
alters a sentence the other way: the seed's contradiction made consistent (or out of the rule's
reach), so its rule reports nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_audit_helpers import seed_text, signature  # noqa: I001  (puts src on sys.path first)

from juesuan.audit.engine import AuditResult, audit
from juesuan.audit.rules import RULES

# (id, old text, new text, expected rule, expected severity, fragment of a quote of that finding)
CASES = [
    ("share", "占 99.88%", "占 99.80%", "A-SHARE", "error", "占 99.80%"),
    ("change-amount", "各增加 830.53 万元", "各增加 830.35 万元", "A-CHANGE", "error", "830.35"),
    ("change-direction", "各增加 830.53 万元，增加 37.56%", "各增加 830.53 万元，下降 37.56%",
     "A-CHANGE", "error", "下降 37.56%"),
    ("change-pct", "减少 22.89 万元，减少 99.91%", "减少 22.89 万元，减少 99.19%", "A-CHANGE", "error", "99.19%"),
    ("fiscal-change", "各减少214.34万元，减少6.58%", "各减少214.34万元，减少6.85%", "A-CHANGE", "error", "6.85%"),
    ("item-actual-rate", "支出决算 1,314.65 万元", "支出决算 1,341.65 万元", "A-RATE", "error", "1,341.65"),
    ("item-actual-sum", "支出决算 1,314.65 万元", "支出决算 1,341.65 万元", "A-SUM-PARTS", "error",
     "一般公共服务支出类决算数为 2,657.40"),
    ("item-budget", "年初预算 42.32 万元", "年初预算 24.32 万元", "A-RATE", "error", "24.32"),
    ("class-budget-change", "年初预算 42.32 万元", "年初预算 24.32 万元", "A-CHANGE-SUM", "error", "减少 36.55"),
    ("sangong-item-rate", "支出决算66.20万元，完成预算的82.75%", "支出决算66.20万元，完成预算的82.57%",
     "A-RATE", "error", "82.57%"),
    ("personnel-item", "其他工资福利支出 510.46 万元", "其他工资福利支出 515.46 万元", "A-SUM-PARTS", "error",
     "人员经费 978.10"),
    ("personnel-total", "（一）人员经费 978.10 万元", "（一）人员经费 987.10 万元", "A-SUM-PARTS", "error",
     "基本支出决算 1,468.36"),
    ("income-line", "本年其他收入 0.69 万元，占 0.02%", "本年其他收入 0.96 万元，占 0.02%", "A-SUM-PARTS", "error",
     "本年收入决算合计 3,041.67"),
    ("reception-share", "公务接待费支出66.20万元，占100.00%", "公务接待费支出66.20万元，占90.00%",
     "A-SHARE", "error", "占90.00%"),
    ("sangong-twice", "“三公”经费支出66.20万元。", "“三公”经费支出66.02万元。", "A-SAME-ITEM", "error", "66.02"),
    ("reception-twice", "3. 公务接待费支出66.20万元。", "3. 公务接待费支出66.02万元。", "A-SAME-ITEM", "error",
     "66.02"),
    ("income-twice", "本年收入决算合计 3,041.67 万元，其中", "本年收入决算合计 3,041.76 万元，其中",
     "A-SAME-ITEM", "error", "3,041.76"),
    ("reception-project", "公务接待费66.20万元、委托业务费", "公务接待费62.60万元、委托业务费",
     "A-SAME-ITEM", "warning", "62.60"),
    ("running-vs-public", "机构运行经费支出决算 490.26 万元", "机构运行经费支出决算 492.26 万元",
     "A-SAME-ITEM", "warning", "492.26"),
    ("procurement-part", "政府采购服务支出 332.37 万元", "政府采购服务支出 332.73 万元", "A-SUM-PARTS", "error",
     "467.93"),
    ("procurement-share", "占政府采购支出总额的 75.42%", "占政府采购支出总额的 75.24%", "A-SHARE", "error", "75.24%"),
    ("vehicles", "副部（省）级及以上领导用车 0 辆", "副部（省）级及以上领导用车 1 辆", "A-SUM-PARTS", "error",
     "共有车辆 2 辆"),
    ("scope", "本年基本支出 1,468.45 万元", "本年基本支出 1,368.45 万元", "A-SCOPE", "warning", "1,368.45"),
    ("perf-indicator", "接待批次\t正向\t大于等于\t288\t288\t批次\t10\t10", "接待批次\t正向\t大于等于\t288\t288\t批次\t10\t9",
     "A-PERF-TOTAL", "error", "总分"),
    ("perf-indicator-over", "设备维护数量\t正向\t大于等于\t100\t100\t台\t15\t15",
     "设备维护数量\t正向\t大于等于\t100\t100\t台\t15\t16", "A-PERF-SCORE", "error", "设备维护数量"),
    ("perf-total", "总分\t100\t99.9", "总分\t100\t99.8", "A-PERF-TOTAL", "error", "99.8"),
    ("perf-rate", "12.51\t12.51\t10.10\t10\t80.74\t8.07", "12.51\t12.51\t10.10\t10\t80.47\t8.07",
     "A-PERF-RATE", "error", "80.47"),
    ("perf-score", "12.51\t12.51\t10.10\t10\t80.74\t8.07", "12.51\t12.51\t10.10\t10\t80.74\t8.70",
     "A-PERF-SCORE", "error", "8.70"),
    ("perf-funds", "180.00\t180.00\t169.14\t10\t94\t9.4", "180.00\t180.00\t196.14\t10\t94\t9.4",
     "A-PERF-FUNDS", "error", "196.14"),
    ("perf-quote", "项目自评得分 98.3 分", "项目自评得分 98.5 分", "A-PERF-QUOTE", "error", "98.5"),
    ("count-sum", "以及 0 个政府性基金项目，共 5 个项目", "以及 2 个政府性基金项目，共 33 个项目",
     "A-COUNT-SUM", "error", "以及 2 个政府性基金项目，共 33 个项目"),
    ("reason-vs-budget", "与预算产生变动差异的原因：严格贯彻落实党政机关过紧日子的要求，接待费减少",
     "与预算产生变动差异的原因：严格贯彻落实党政机关过紧日子的要求，接待费增加",
     "A-REASON-DIRECTION", "warning", "接待费增加"),  # 决算 66.20 is below 预算 80.00
    ("reason-own-change", "2023年接待批次及人数增加，公务接待费增加", "2023年接待批次及人数增加，公务接待费减少",
     "A-REASON-DIRECTION", "warning", "公务接待费减少"),  # its own sentence: 增加5.42万元
]

# (id, old text, new text, rule): the altered sentence is consistent, so that rule reports nothing.
CONSISTENT = [
    ("count-sum-adds-up", "共 5 个项目的绩效自评结果", "共 33 个项目的绩效自评结果", "A-COUNT-SUM"),
    # the parts of a total start after 其中: 33 + 0 = 33, not 33 + 33 + 0
    ("count-sum-after-qizhong", "反映 33 个一般公共预算项目，以及 0 个政府性基金项目，共 5 个项目",
     "反映 33 个项目，其中 33 个一般公共预算项目，以及 0 个政府性基金项目，共 33 个项目", "A-COUNT-SUM"),
    ("reason-same-direction", "减少 5.35%，严格贯彻落实党政机关过紧日子的要求，接待费减少",
     "减少 5.35%，严格贯彻落实党政机关过紧日子的要求，接待费增加", "A-REASON-DIRECTION"),
    ("reason-other-item", "减少 5.35%，严格贯彻落实党政机关过紧日子的要求，接待费减少",
     "减少 5.35%，严格贯彻落实党政机关过紧日子的要求，办公费减少", "A-REASON-DIRECTION"),
    ("reason-negated", "减少 5.35%，严格贯彻落实党政机关过紧日子的要求，接待费减少",
     "减少 5.35%，严格贯彻落实党政机关过紧日子的要求，接待费未减少", "A-REASON-DIRECTION"),
]


@pytest.fixture(scope="module")
def baseline() -> set[tuple[str, str, str]]:
    from test_audit_helpers import SEED
    return set(signature(audit(SEED)))


def _run(tmp_path: Path, old: str, new: str) -> AuditResult:
    text = seed_text()
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    path = tmp_path / "altered.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return audit(path)


@pytest.mark.parametrize("case,old,new,rule,severity,quote", CASES, ids=[c[0] for c in CASES])
def test_altered_figure_is_caught(tmp_path: Path, baseline, case, old, new, rule, severity, quote) -> None:
    result = _run(tmp_path, old, new)
    new_findings = [f for f in result.findings if (f.rule, f.severity.value, f.message) not in baseline]
    hits = [f for f in new_findings if f.rule == rule and f.severity.value == severity
            and any(quote in q.text for q in f.quotes)]
    assert hits, "\n".join(f"{f.rule} {f.severity.value} {f.message} {[q.text for q in f.quotes]}"
                           for f in new_findings)


@pytest.mark.parametrize("case,old,new,rule", CONSISTENT, ids=[c[0] for c in CONSISTENT])
def test_consistent_variant_is_not_reported(tmp_path: Path, case, old, new, rule) -> None:
    result = _run(tmp_path, old, new)
    wrong = [f for f in result.findings if f.rule == rule]
    assert wrong == [], "\n".join(f"{f.rule} {f.message}" for f in wrong)


def test_every_rule_is_exercised() -> None:
    from test_audit_corpus import corpus_rules
    from test_audit_mechanisms import RULES_EXERCISED
    from test_audit_seed import EXPECTED
    used = {c[3] for c in CASES} | {e[0] for e in EXPECTED} | corpus_rules() | RULES_EXERCISED
    assert used >= set(RULES), set(RULES) - used
