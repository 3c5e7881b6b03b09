"""The check rules of ``national-2023``, in the order reports list them.

Ids follow tables.md §3 as nmg-2023 uses them (W… within a table, X… between tables), renumbered
for the nine tables where the table differs: 表7 is the 三公 table (W7-…), 表6 has no 项目支出
companion (X14 has no counterpart), 机关运行经费 is typed on 其他事项 (X19 a soft ≤).
"""

from __future__ import annotations

from juesuan.check.common import BALANCE_RULES, FORMULA_RULES, NARRATIVE_SHEET_RULES, input_rules
from juesuan.check.years import ACROSS_YEARS
from juesuan.check.registry import ANY, ERROR, EQ, GE, WARNING, RuleSet, derived, one_of, rule
from juesuan.check.tolerance import Mode
from juesuan.formats.national_2023 import checks as c
from juesuan.formats.nmg_2023.rules import SUMMARY_TABLE_RULES

RULE_LIST = [
    derived("W1-1", "表1 本年收入合计 = 八项收入之和", "tables.md W1-1"),
    derived("W1-2", "表1 本年支出合计 = 各类支出之和", "tables.md W1-2"),
    derived("W1-3", "表1 收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余", "tables.md W1-3"),
    derived("W1-4", "表1 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余", "tables.md W1-4"),
    rule("W1-5", ERROR, "表1 收入总计 = 支出总计", "表1 收、支总计不等：" + EQ, Mode.ROUNDED, c.w1_5, "tables.md W1-5"),
    derived("W2-1", "表2 本年收入合计 = 各项收入之和", "tables.md W2-1"),
    derived("W2-2", "表2 合计 = Σ类、类 = Σ款、款 = Σ项", "tables.md W2-2"),
    derived("W3-1", "表3 本年支出合计 = 各项支出之和", "tables.md W3-1"),
    derived("W3-2", "表3 合计 = Σ类、类 = Σ款、款 = Σ项", "tables.md W3-2"),
    derived("W4-1", "表4 本年收入合计 = 三项财政拨款收入之和", "tables.md W4-1"),
    derived("W4-2", "表4 支出合计栏 = 三项财政拨款之和", "tables.md W4-2"),
    derived("W4-3", "表4 收支总计", "tables.md W4-3", run=c.w4_3),
    derived("W4-4", "表4 年初财政拨款结转和结余 = 三项之和", "tables.md W4-4"),
    rule("W4-5", WARNING, "表4 各项财政拨款 年初 + 本年收入 = 本年支出 + 年末",
         "表4「{fund}」年初结转和结余与本年收入之和不等于本年支出与年末结转和结余之和：" + EQ, Mode.ROUNDED, c.w4_5,
         "tables.md W4-5"),
    derived("W4-6", "表4 本年支出合计 = 各类支出之和", "added: 表4 本年支出合计"),
    derived("W5-1", "表5 合计 = 基本支出 + 项目支出", "tables.md W5-1"),
    derived("W5-2", "表5 合计 = Σ类、类 = Σ款、款 = Σ项", "tables.md W5-2"),
    derived("W6-1", "表6 人员经费合计 = 301 + 303，类 = Σ款", "tables.md W6-1"),
    derived("W6-2", "表6 公用经费合计 = 302 + 310，类 = Σ款", "tables.md W6-2"),
    derived("W7-1", "表7 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费", "tables.md W10-1"),
    derived("W7-2", "表7 公务用车购置及运行维护费 = 购置费 + 运行维护费", "tables.md W10-2"),
    derived("W8-1", "表8 本年支出小计 = 基本支出 + 项目支出", "tables.md W8-1"),
    derived("W8-3", "表8 合计 = Σ类、类 = Σ款、款 = Σ项", "tables.md W8-3"),
    derived("W9-1", "表9 合计 = 基本支出 + 项目支出，层级汇总", "tables.md W9-1"),
    derived("WB-1", "年初预算 合计 = Σ类、类 = Σ款、款 = Σ项", "added: 年初预算 sheet hierarchy"),
    rule("X1", ERROR, "表1 本年收入合计 = 表2 合计", "表1 与表2 本年收入合计不一致：" + EQ, Mode.ROUNDED, c.x1,
         "tables.md X1"),
    rule("X2", ERROR, "表1 财政拨款收入 = 表2 合计 财政拨款收入", "表1 三项财政拨款收入与表2 财政拨款收入不一致：" + EQ,
         Mode.ROUNDED, c.x2, "tables.md X2"),
    derived("X3", "表1 四…八项收入 = 表2 合计对应栏", "tables.md X3"),
    rule("X4", ERROR, "表1 本年支出合计 = 表3 合计", "表1 与表3 本年支出合计不一致：" + EQ, Mode.ROUNDED, c.x4,
         "tables.md X4"),
    derived("X5", "表1 各类支出 = 表3 同类本年支出合计", "tables.md X5"),
    derived("X6", "表1 财政拨款收入 = 表4 收入", "tables.md X6"),
    rule("X7", WARNING, "表4 一般公共预算财政拨款 年初 + 收入 = 表5 支出 + 年末",
         "表4 一般公共预算财政拨款收入与表5 支出、年末结转和结余不衔接：" + EQ, Mode.ROUNDED, c.x7, "tables.md X7"),
    derived("X8", "表4 各类一般公共预算财政拨款支出 = 表5 同类合计", "tables.md X8"),
    derived("X9", "表4 政府性基金预算财政拨款支出 = 表8", "tables.md X9"),
    derived("X10", "表4 政府性基金预算财政拨款收入 = 表8 本年收入", "tables.md X10"),
    derived("X11", "表4 政府性基金年初、年末结转和结余 = 表8", "tables.md X11"),
    derived("X12", "表4 国有资本经营预算财政拨款支出 = 表9", "tables.md X12"),
    rule("X13", ERROR, "表5 基本支出 = 表6 人员经费 + 公用经费", "表5 基本支出与表6 不一致：" + EQ, Mode.ROUNDED,
         c.x13, "tables.md X13"),
    rule("X15", WARNING, "表3 基本支出 ≥ 财政拨款基本支出", "表3 基本支出小于各财政拨款基本支出之和：" + GE,
         Mode.AT_LEAST, c.x15, "tables.md X15"),
    rule("X16", WARNING, "表3 项目支出 ≥ 财政拨款项目支出", "表3 项目支出小于各财政拨款项目支出之和：" + GE,
         Mode.AT_LEAST, c.x16, "tables.md X16"),
    rule("X17", WARNING, "表3 每项支出 ≥ 财政拨款支出", "表3 本年支出合计小于表5、表8、表9 同科目支出之和：" + GE,
         Mode.AT_LEAST, c.x17, "tables.md X17"),
    rule("X19", WARNING, "机关运行经费 ≤ 表6 公用经费合计", "机关运行经费大于表6 公用经费合计（请核实口径）：" + GE,
         Mode.AT_LEAST, c.x19, "tables.md X19 (機关运行经费 is the 行政单位 part of 公用经费)"),
    rule("X22", WARNING, "表7 公务用车运行维护费 ≈ 表6 30231", "表7 公务用车运行维护费决算数与表6 不一致"
         "（三公含项目支出，请核实）：" + EQ, Mode.ROUNDED, c.x22, "tables.md X22"),
    *ACROSS_YEARS,  # X25, X26-1: with last year's book (check --prior)
    *input_rules(2023),
    *NARRATIVE_SHEET_RULES,
    *BALANCE_RULES,
    *FORMULA_RULES,
]

DERIVED_RULES = [
    *SUMMARY_TABLE_RULES,
    ("表5", ANY, one_of("合计"), "W5-1"),
    ("表5", ANY, ANY, "W5-2"),
    ("表6", one_of("301", "303", "人员经费合计"), ANY, "W6-1"),
    ("表6", ANY, ANY, "W6-2"),
    ("表7", ANY, one_of("预算数合计", "决算数合计"), "W7-1"),
    ("表7", ANY, ANY, "W7-2"),
    ("表8", ANY, one_of("本年支出小计"), "W8-1"),
    ("表8", ANY, ANY, "W8-3"),
    ("表9", ANY, ANY, "W9-1"),
    ("年初预算", ANY, ANY, "WB-1"),
]

RULES = RuleSet(RULE_LIST, DERIVED_RULES)
