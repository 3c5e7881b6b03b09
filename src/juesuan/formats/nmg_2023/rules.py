"""The check rules of ``nmg-2023``: every rule, declared once, in the order reports list them.

Ids follow tables.md §3 (W… within a table, X… between tables, X25/X26 across years), plus
S-… (input sanity, shared by every format: :mod:`juesuan.check.common`, and S-8 here), N-… (the narrative before it is printed:
:mod:`juesuan.formats.nmg_2023.checks.narrative`) and F-…
(formula integrity, shared).  Ids added here beyond tables.md extend the nearest family: W4-6
(表4 本年支出合计 = Σ 类 rows), W11-4 (中小企业 by type adds up), WB-1 (年初预算 hierarchy), WP-1…WP-5
(绩效自评 identities), X20-1 (三公统计 接待费 split), X25-1…3 (上年决算 sheet consistent with
itself).  tables.md X18 is deliberately not enforced; X24 (narrative figures) belongs to the
narrative check.

Severities follow §3's advice: X15–X23, W1-6, W4-5, W8-2 and X26 ("unless adjusted") are
warnings.  Every message template uses named fields; equality rules share the fields
``cell``/``relation``/``expected``/``actual``/``difference``.

Importing this module fails (FormatError) when a rule id is unknown or duplicated, a derived cell
pattern names an unregistered id, or a comparison of the format has no 变动原因 mapping.
"""

from __future__ import annotations

from juesuan.check.common import BALANCE_RULES, FORMULA_RULES, NARRATIVE_SHEET_RULES, input_rules
from juesuan.check.years import ACROSS_YEARS
from juesuan.check.registry import (ANY, EQ, ERROR, GE, WARNING, DerivedRule, Rule, RuleSet, derived, ends, one_of,
                                    rule, starts)
from juesuan.check.tolerance import Mode
from juesuan.errors import FormatError
from juesuan.formats.nmg_2023 import COMPARISONS, FUNDS, INCOME_LINES
from juesuan.formats.nmg_2023.checks import between, narrative, period, reasons, within

RULE_LIST: list[Rule] = [
    # ── 表内 within tables ──────────────────────────────────────────────────────────────
    derived("W1-1", "表1 本年收入合计 = 八项收入之和", "tables.md W1-1"),
    derived("W1-2", "表1 本年支出合计 = 各类支出之和", "tables.md W1-2"),
    derived("W1-3", "表1 收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余", "tables.md W1-3"),
    derived("W1-4", "表1 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余", "tables.md W1-4"),
    rule("W1-5", ERROR, "表1 收入总计 = 支出总计", "表1 收、支总计不等：" + EQ, Mode.ROUNDED, within.w1_5,
         "tables.md W1-5"),
    rule("W1-6", WARNING, "行政单位无使用非财政拨款结余、结余分配",
         "表1「{item}」为 {actual}，单位性质为「{nature}」：该项一般只有事业单位才有，请核实", Mode.NONE,
         within.w1_6, "tables.md W1-6"),
    derived("W2-1", "表2 本年收入合计 = 各项收入之和", "tables.md W2-1"),
    derived("W2-2", "表2 合计 = Σ类、类 = Σ款、款 = Σ项", "tables.md W2-2"),
    derived("W3-1", "表3 本年支出合计 = 各项支出之和", "tables.md W3-1"),
    derived("W3-2", "表3 合计 = Σ类、类 = Σ款、款 = Σ项", "tables.md W3-2"),
    derived("W4-1", "表4 本年收入合计 = 三项财政拨款收入之和", "tables.md W4-1"),
    derived("W4-2", "表4 支出合计栏 = 三项财政拨款之和", "tables.md W4-2"),
    derived("W4-3", "表4 收支总计", "tables.md W4-3", run=within.w4_3),
    derived("W4-4", "表4 年初财政拨款结转和结余 = 三项之和", "tables.md W4-4"),
    rule("W4-5", WARNING, "表4 分资金 年初 + 收入 = 支出 + 年末",
         "表4「{fund}」：年初结转和结余 + 本年收入为 {expected}，本年支出 + 年末结转和结余为 {actual}，"
         "相差 {difference}（结转资金调整或缴回时可能不等，请核实）", Mode.ROUNDED, within.w4_5, "tables.md W4-5"),
    derived("W4-6", "表4 本年支出合计 = 各类支出之和", "added: 表4 totals per fund column"),
    derived("W5-1", "表5 小计 = 基本支出 + 项目支出", "tables.md W5-1"),
    derived("W5-2", "表5 合计 = Σ类、类 = Σ款、款 = Σ项", "tables.md W5-2"),
    derived("W6-1", "表6 人员经费 = Σ301 + Σ303", "tables.md W6-1"),
    derived("W6-2", "表6 公用经费 = Σ302 + Σ307 + Σ310 + Σ399", "tables.md W6-2"),
    derived("W7-1", "表7 合计 = Σ类、类 = Σ款", "tables.md W7-1"),
    derived("W8-1", "表8 本年支出小计 = 基本支出 + 项目支出", "tables.md W8-1"),
    rule("W8-2", WARNING, "表8 年初 + 收入 = 支出 + 年末",
         "{row}：年初结转和结余 + 本年收入为 {expected}，本年支出 + 年末结转和结余为 {actual}，相差 {difference}",
         Mode.ROUNDED, within.w8_2, "tables.md W8-2"),
    derived("W8-3", "表8 合计 = Σ类、类 = Σ款、款 = Σ项", "tables.md W8-3"),
    derived("W9-1", "表9 合计 = 基本支出 + 项目支出，层级汇总", "tables.md W9-1"),
    derived("W10-1", "表10 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费", "tables.md W10-1"),
    derived("W10-2", "表10 公务用车购置及运行维护费 = 购置费 + 运行维护费", "tables.md W10-2"),
    derived("W11-1", "表11 政府采购支出总额 = 货物 + 工程 + 服务", "tables.md W11-1"),
    rule("W11-2", ERROR, "表11 授予小微 ≤ 授予中小企业 ≤ 采购总额", "表11「{small}」{expected} 大于「{big}」{actual}",
         Mode.AT_LEAST, within.w11_2, "tables.md W11-2"),
    derived("W11-3", "表11 车辆数合计 = 各类车辆之和", "tables.md W11-3", mode=Mode.COUNT),
    rule("W11-4", ERROR, "表11 授予中小企业合同金额 = 货物 + 工程 + 服务中小企业合同金额",
         "表11 授予中小企业合同金额分类之和不符：" + EQ, Mode.ROUNDED, within.w11_4,
         "added: the seed's per-type shares (19.85% + 2% + 53.57% of 467.93) add up to 352.90"),
    derived("WB-1", "年初预算 合计 = Σ类、类 = Σ款、款 = Σ项", "added: 年初预算 sheet hierarchy"),
    derived("WP-1", "绩效自评 年度资金总额 = 财政拨款 + 上年结转资金 + 其他资金", "added: 绩效自评"),
    derived("WP-2", "绩效自评 执行率 = 全年执行数 ÷ 全年预算数 × 100", "added: 绩效自评", mode=Mode.RATE),
    derived("WP-3", "绩效自评 资金得分 = 分值 × 执行率", "added: 绩效自评", mode=Mode.RATE),
    derived("WP-4", "绩效自评 指标得分 = 绩效指标得分之和", "added: 绩效自评"),
    derived("WP-5", "绩效自评 总分 = 资金得分 + 指标得分", "added: 绩效自评"),
    # ── 表间 between tables ─────────────────────────────────────────────────────────────
    rule("X1", ERROR, "表1 本年收入合计 = 表2 合计", "表1 与表2 本年收入合计不一致：" + EQ, Mode.ROUNDED, between.x1,
         "tables.md X1"),
    rule("X2", ERROR, "表1 财政拨款收入 = 表2 合计 财政拨款收入", "表1 三项财政拨款收入与表2 财政拨款收入不一致：" + EQ,
         Mode.ROUNDED, between.x2, "tables.md X2"),
    derived("X3", "表1 四…八项收入 = 表2 合计对应栏", "tables.md X3"),
    rule("X4", ERROR, "表1 本年支出合计 = 表3 合计", "表1 与表3 本年支出合计不一致：" + EQ, Mode.ROUNDED, between.x4,
         "tables.md X4"),
    derived("X5", "表1 各类支出 = 表3 同类本年支出合计", "tables.md X5"),
    derived("X6", "表1 财政拨款收入 = 表4 收入", "tables.md X6"),
    rule("X7", ERROR, "表4 一般公共预算财政拨款支出 = 表5 合计", "表4 与表5 一般公共预算财政拨款支出不一致：" + EQ,
         Mode.ROUNDED, between.x7, "tables.md X7"),
    derived("X8", "表4 各类一般公共预算财政拨款支出 = 表5 同类小计", "tables.md X8"),
    derived("X9", "表4 政府性基金预算财政拨款支出 = 表8", "tables.md X9", run=between.x9),
    derived("X10", "表4 政府性基金预算财政拨款收入 = 表8 本年收入", "tables.md X10"),
    derived("X11", "表4 政府性基金年初、年末结转和结余 = 表8", "tables.md X11"),
    derived("X12", "表4 国有资本经营预算财政拨款支出 = 表9", "tables.md X12", run=between.x12),
    rule("X13", ERROR, "表5 基本支出 = 表6 人员经费 + 公用经费", "表5 基本支出与表6 不一致：" + EQ, Mode.ROUNDED,
         between.x13, "tables.md X13"),
    rule("X14", ERROR, "表5 项目支出 = 表7 合计", "表5 项目支出与表7 合计不一致：" + EQ, Mode.ROUNDED, between.x14,
         "tables.md X14"),
    rule("X15", WARNING, "表3 基本支出 ≥ 财政拨款基本支出", "表3 基本支出小于各财政拨款基本支出之和：" + GE,
         Mode.AT_LEAST, between.x15, "tables.md X15"),
    rule("X16", WARNING, "表3 项目支出 ≥ 财政拨款项目支出", "表3 项目支出小于各财政拨款项目支出之和：" + GE,
         Mode.AT_LEAST, between.x16, "tables.md X16"),
    rule("X17", WARNING, "表3 每项支出 ≥ 财政拨款支出", "表3 本年支出合计小于表5、表8、表9 同科目支出之和：" + GE,
         Mode.AT_LEAST, between.x17, "tables.md X17"),
    rule("X19", WARNING, "表11 机构运行经费 = 表6 公用经费合计",
         "表11 机构运行经费与表6 公用经费合计不一致（各地口径可能不同，请核实）：" + EQ, Mode.ROUNDED, between.x19,
         "tables.md X19"),
    rule("X20", WARNING, "表10 公务接待费 ≈ 表6、表7 30217", "表10 公务接待费决算数与表6、表7 公务接待费不一致"
         "（三公含政府性基金及结转资金，请核实）：" + EQ, Mode.ROUNDED, between.x20, "tables.md X20"),
    rule("X20-1", ERROR, "三公统计 国内 + 国（境）外接待费 = 表10 公务接待费",
         "三公统计中国内与国（境）外公务接待费之和与表10 公务接待费决算数不一致：" + EQ, Mode.ROUNDED, between.x20_1,
         "added: 公务接待费 is split into 国内 and 国（境）外"),
    rule("X21", WARNING, "表10 因公出国（境）费 ≈ 表6、表7 30212", "表10 因公出国（境）费决算数与表6、表7 不一致"
         "（三公含政府性基金及结转资金，请核实）：" + EQ, Mode.ROUNDED, between.x21, "tables.md X21"),
    rule("X22", WARNING, "表10 公务用车运行维护费 ≈ 表6、表7 30231", "表10 公务用车运行维护费决算数与表6、表7 不一致"
         "（三公含政府性基金及结转资金，请核实）：" + EQ, Mode.ROUNDED, between.x22, "tables.md X22"),
    rule("X23", WARNING, "表10 公务用车购置费 ≈ 表6、表7 31013/30913", "表10 公务用车购置费决算数与表6、表7 不一致"
         "（三公含政府性基金及结转资金，请核实）：" + EQ, Mode.ROUNDED, between.x23, "tables.md X23"),
    # ── 跨期 across years ───────────────────────────────────────────────────────────────
    rule("X25-1", ERROR, "上年决算 收支总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
         "上年决算数自相矛盾：" + EQ, Mode.ROUNDED, period.x25_1, "tables.md X25 (partial)"),
    rule("X25-2", ERROR, "上年决算 收支总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
         "上年决算数自相矛盾：" + EQ, Mode.ROUNDED, period.x25_2, "tables.md X25 (partial)"),
    rule("X25-3", ERROR, "上年决算 三公经费合计 = 四项之和", "上年决算数自相矛盾：" + EQ, Mode.ROUNDED, period.x25_3,
         "tables.md X25 (partial)"),
    *ACROSS_YEARS,  # X25, X26-1: with last year's book (check --prior)
    rule("X26", WARNING, "年初结转和结余 = 上年年末结转和结余",
         "本年年初结转和结余与上年年末结转和结余不一致（年初数经调整时可不同，请核实）：" + EQ, Mode.ROUNDED, period.x26,
         "tables.md X26"),
    # ── 输入 input sanity ───────────────────────────────────────────────────────────────
    *input_rules(2023),
    rule("S-8", WARNING, "缺少变动原因", "「{comparison}」：本年 {current}，比较数 {base}，缺少变动（差异）原因",
         Mode.NONE, reasons.reasons, compares=True),
    # ── 说明 the narrative, before it is printed ───────────────────────────────────────
    rule("N-SHARE", ERROR, "说明中的比重超过 100%", "{section}、「{label}」{part} 占{base_label} {base} 的 {share}："
         "比重不能超过 100%，请核对两数的口径", Mode.NONE, narrative.shares),
    rule("N-COVER", WARNING, "“全面”与自评覆盖率不符", "十四称「…{quote}…」，但一般公共预算项目支出 {base} 中纳入绩效自评的"
         "资金为 {funds}（{share}），并非全面开展", Mode.NONE, narrative.coverage_words),
    rule("N-BUDGET", WARNING, "一个总额只对应一个年初预算", "{narrow}的年初预算 {narrow_budget} {relation}{broad}的年初预算 "
         "{broad_budget}{note}", Mode.NONE, narrative.budgets),
    rule("N-SANGONG", WARNING, "“三公”经费超预算", "表10「{item}」决算数 {actual} 超过预算数 {budget}（完成预算的 {rate}），"
         "请在差异原因中说明超支原因", Mode.NONE, narrative.sangong_over),
    rule("N-UNEVALUATED", WARNING, "有项目支出未开展绩效自评", "{fund}项目支出 {base}，纳入绩效自评的资金为 {funds}（{share}），"
         "尚有 {rest} 未开展绩效自评", Mode.NONE, narrative.unevaluated),
    rule("N-PERF-SUM", WARNING, "部门评价资金与所列项目不符", "部门评价资金 {amount} 不是所列项目 {projects} 的资金之和（{sums}）",
         Mode.NONE, narrative.perf_sums),
    rule("N-NAME", WARNING, "同一项目两个名称", "{place}中的项目「{name}」与{other}名称不一致：{effect}", Mode.NONE,
         narrative.project_names),
    rule("N-REASON-FLAT", WARNING, "持平却填写了变动原因", "「{comparison}」：本年 {current} 与比较数 {base} 相同（持平），"
         "却填写了原因「{reason}」；说明只写“持平”，请删除该原因或核对数字", Mode.NONE, narrative.flat_reasons),
    rule("N-SCORE", WARNING, "自评得分与计算不符", "绩效自评「{project}」填报的自评得分 {submitted} 与按资金执行和指标得分"
         "计算的总分 {computed} 不符（超出舍入），说明中按填报数 {submitted} 表述，请核对", Mode.NONE,
         narrative.submitted_scores),
    rule("N-REASON", WARNING, "变动原因与变动方向相反", "决算情况说明{section}：{text}（审阅规则 {audit_rule}）", Mode.NONE,
         narrative.audited, "juesuan audit A-REASON-DIRECTION on the generated text"),
    rule("N-TEXT", WARNING, "说明文字审阅发现的问题", "决算情况说明{section}：{text}（审阅规则 {audit_rule}）", Mode.NONE,
         narrative.audited, "juesuan audit (every other rule) on the generated text"),
    *NARRATIVE_SHEET_RULES,
    # ── 公式 formula integrity ──────────────────────────────────────────────────────────
    *BALANCE_RULES,
    *FORMULA_RULES,
]


INCOME_FISCAL = [k for k, _ in INCOME_LINES[:3]]
INCOME_OTHER = [k for k, _ in INCOME_LINES[3:]]

# Which rule each derived cell embodies: (table, row matcher, column matcher, rule id); the first match wins.
# The 表1–表4 entries (收入支出总表, 收入表, 支出表, 财政拨款收支总表) serve the national format too.
SUMMARY_TABLE_RULES: list[DerivedRule] = [
    ("表1", one_of(*INCOME_FISCAL), ANY, "X6"),
    ("表1", one_of(*INCOME_OTHER), ANY, "X3"),
    ("表1", one_of("本年收入合计"), ANY, "W1-1"),
    ("表1", one_of("收入总计"), ANY, "W1-3"),
    ("表1", one_of("本年支出合计"), ANY, "W1-2"),
    ("表1", one_of("支出总计"), ANY, "W1-4"),
    ("表1", starts("支出"), ANY, "X5"),
    ("表2", ANY, one_of("本年收入合计"), "W2-1"),
    ("表2", ANY, ANY, "W2-2"),
    ("表3", ANY, one_of("本年支出合计"), "W3-1"),
    ("表3", ANY, ANY, "W3-2"),
    ("表4", one_of(FUNDS[1]), ANY, "X10"),
    ("表4", one_of("本年收入合计"), ANY, "W4-1"),
    ("表4", one_of("年初财政拨款结转和结余"), ANY, "W4-4"),
    ("表4", one_of(f"年初{FUNDS[1]}"), ANY, "X11"),
    ("表4", one_of("收入总计"), ANY, "W4-3"),
    ("表4", ANY, one_of("合计"), "W4-2"),
    ("表4", one_of("本年支出合计"), ANY, "W4-6"),
    ("表4", one_of("年末财政拨款结转和结余"), one_of(FUNDS[1]), "X11"),
    ("表4", one_of("支出总计"), ANY, "W4-3"),
    ("表4", starts("支出"), one_of(FUNDS[0]), "X8"),
    ("表4", starts("支出"), one_of(FUNDS[1]), "X9"),
    ("表4", starts("支出"), one_of(FUNDS[2]), "X12"),
]

DERIVED_RULES: list[DerivedRule] = [
    *SUMMARY_TABLE_RULES,
    ("表5", ANY, one_of("小计"), "W5-1"),
    ("表5", ANY, ANY, "W5-2"),
    ("表6", one_of("301", "303", "人员经费合计"), ANY, "W6-1"),
    ("表6", ANY, ANY, "W6-2"),
    ("表7", ANY, ANY, "W7-1"),
    ("表8", ANY, one_of("本年支出小计"), "W8-1"),
    ("表8", ANY, ANY, "W8-3"),
    ("表9", ANY, ANY, "W9-1"),
    ("表10", ANY, one_of("预算数合计", "决算数合计"), "W10-1"),
    ("表10", ANY, ANY, "W10-2"),
    ("表11", one_of("政府采购支出总额"), ANY, "W11-1"),
    ("表11", one_of("车辆数合计"), ANY, "W11-3"),
    ("年初预算", ANY, ANY, "WB-1"),
    ("绩效自评", ANY, starts("年度资金总额"), "WP-1"),
    ("绩效自评", ANY, ends("执行率"), "WP-2"),
    ("绩效自评", ANY, one_of("资金得分"), "WP-3"),
    ("绩效自评", ANY, one_of("指标得分"), "WP-4"),
    ("绩效自评", ANY, one_of("总分"), "WP-5"),
]


def _validate() -> None:
    missing = [c.key for c in COMPARISONS if c.key not in reasons.REASONS]
    if missing:
        raise FormatError(f"nmg-2023: comparisons without a 变动原因 mapping in checks.reasons.REASONS: {missing}")


_validate()
RULES = RuleSet(RULE_LIST, DERIVED_RULES)
