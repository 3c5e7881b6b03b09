"""The rules every format shares: input sanity (S-1 … S-7), a balanced workbook's record (B-1,
B-2, :mod:`~juesuan.check.balanced`) and formula integrity (F-0 … F-7).

A pack lists them in its :class:`~juesuan.check.registry.RuleSet` where its reports should show
them (nmg-2023: its own W/X rules, then S-1 … S-7, its S-8, then F-0 … F-7).  Their functions read
only the format's declarations (code tables, notes, derivations), never a concrete table.
"""

from __future__ import annotations

from juesuan.check import balanced, integrity, narrative_sheet, sanity
from juesuan.check.registry import ERROR, INFO, WARNING, Rule, rule
from juesuan.check.tolerance import Mode

# S-2 is emitted while reading (code rows the reader cannot use): the reader needs it by itself.
S2 = rule("S-2", ERROR, "科目层级不完整或错位", "{table}科目「{code}」{problem}", Mode.NONE, sanity.hierarchy,
          emitted_by="reading (code rows the reader cannot use)")


def input_rules(code_year: int) -> list[Rule]:
    """S-1 … S-7; ``code_year`` is the year of the 政府收支分类科目 the format's code lists follow."""
    return [
        rule("S-1", WARNING, "科目编码不在科目表中",
             f"{{table}}科目编码「{{code}}」{{name}}不在 {code_year} 年政府收支分类科目中，请核对",
             Mode.NONE, sanity.unknown_codes),
        S2,
        rule("S-3", WARNING, "科目名称与编码不符", "{table}科目「{code}」名称为「{name}」，科目表中为「{expected_name}」",
             Mode.NONE, sanity.names),
        rule("S-4", ERROR, "金额为负数", "{cell}为负数 {actual}：金额和数量不能为负", Mode.NONE, sanity.negatives),
        rule("S-5", ERROR, "金额单元格不是数字", "{cell}：{problem}，无法按数字校验（按 0 计）", Mode.NONE,
             sanity.unreadable),
        rule("S-6", WARNING, "空表未说明", "{table}为空表，但表注未说明（如“本单位无…收支，故本表为空表”）：{note}",
             Mode.NONE, sanity.empty_unsaid),
        rule("S-7", WARNING, "有数据的表注称空表", "{table}有数据，但表注称其为空表：{note}", Mode.NONE,
             sanity.empty_claimed),
    ]


BALANCE_RULES: list[Rule] = [  # 舍位平衡 (juesuan.balance)
    rule("B-1", WARNING, "舍位平衡后单元格被修改", "{cell}在舍位平衡后被修改：平衡时为 {printed}，现为 {actual}"
         "（精确数 {exact} 不再适用；请运行 juesuan fill 重新平衡）", Mode.NONE, balanced.edited,
         "added: juesuan.balance"),
    rule("B-2", ERROR, "舍位平衡公开数偏离精确数", "{cell}的公开数 {printed} 与精确数 {exact} 相差一分或以上"
         "（公开数须为精确数的舍入）", Mode.NONE, balanced.off_by_more, "added: juesuan.balance"),
]

FORMULA_RULES: list[Rule] = [
    rule("F-0", INFO, "手工录入的工作簿", "派生单元格中没有公式（共 {count} 个，手工录入的工作簿），已按单元格中的数值校验；"
         "可运行 juesuan fill 写入公式", Mode.NONE, integrity.no_formulas),
    rule("F-1", WARNING, "派生单元格被改为常数", "{cell}应为公式 {formula}，实为{shown}", Mode.NONE,
         integrity.constants),
    rule("F-2", ERROR, "公式结果未更新", "{cell}的值未按公式更新：单元格中为 {actual}，按公式（{relation}）应为 {expected}，"
         "相差 {difference}（对应 {rule_id}；请在 Excel 中重新计算或运行 juesuan fill）", Mode.EXACT, None,
         emitted_by="relations"),
    rule("F-3", WARNING, "公式与规定不同", "{cell}的公式为 {found}，规定的公式为 {formula}", Mode.NONE,
         integrity.other_formulas),
    rule("F-4", INFO, "公式单元格无缓存值", "共 {count} 个公式单元格没有缓存值（文件由不计算公式的程序保存），已按公式计算：{sample}",
         Mode.NONE, integrity.uncached),
    rule("F-5", INFO, "输入单元格含公式", "{cell}是输入单元格，却含公式 {found}；已按其值校验，建议改为数值", Mode.NONE,
         integrity.input_formulas),
    rule("F-6", ERROR, "公式错误", "{cell}显示公式错误 {shown}", Mode.NONE, integrity.formula_errors),
    rule("F-7", WARNING, "工作簿未填充", "全部 {count} 个派生单元格（合计、小计等）为空且没有公式，工作簿尚未填充；"
         "已按输入数计算其余校验，请运行 juesuan fill", Mode.NONE, integrity.unfilled),
]

NARRATIVE_SHEET_RULES: list[Rule] = [  # the 决算情况说明 sheet the workbook holds (juesuan.check.narrative_sheet)
    rule("N-SHEET-STALE", WARNING, "说明页与当前数字不符", "「决算情况说明」第 {row} 行是按此前的数字生成的，与按当前数字生成的"
         "说明不同（现为「{shown}」，应为「{expected}」）；请点击「生成说明」（juesuan narrate）重新生成", Mode.NONE,
         narrative_sheet.stale),
    rule("N-SHEET-FIGURE", ERROR, "手改说明的数字与表格不符", "「决算情况说明」第 {row} 行（已手工修改）写 {shown}，"
         "按当前数字应为 {due}：「{quote}」", Mode.NONE, narrative_sheet.hand_figures),
    rule("N-SHEET-TEXT", ERROR, "手改说明审阅发现的问题", "「决算情况说明」第 {row} 行（已手工修改）：{text}（审阅规则 {audit_rule}）",
         Mode.NONE, narrative_sheet.hand_text, "juesuan audit on the sheet's own text, when edited by hand"),
]
