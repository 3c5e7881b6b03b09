"""national-2023's narrative, following the reference document: 第一部分 概况 (主要职能, 部门决算单位
构成), 第三部分 情况说明 (一–十一; 第二部分 is the nine tables), 第四部分 名词解释.  Sentences are
in ``templates/``, figures in :mod:`.metrics`."""

from __future__ import annotations

from pathlib import Path

from juesuan.formats.national_2023.metrics import metrics
from juesuan.narrate.outline import NarrativeOutline, PartSpec, SectionSpec

HERE = Path(__file__).parent

SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("一", "收入支出决算总体情况说明", "s01_overview.j2", "overview"),
    SectionSpec("二", "收入决算情况说明", "s02_income.j2", "income"),
    SectionSpec("三", "支出决算情况说明", "s03_spending.j2", "spending"),
    SectionSpec("四", "财政拨款收入支出决算总体情况说明", "s04_fiscal.j2", "fiscal"),
    SectionSpec("五", "一般公共预算财政拨款支出决算情况说明", "s05_general.j2", "general"),
    SectionSpec("六", "一般公共预算财政拨款基本支出决算情况说明", "s06_basic.j2", "basic"),
    SectionSpec("七", "财政拨款“三公”经费支出决算情况说明", "s07_sangong.j2", "sangong"),
    SectionSpec("八", "政府性基金预算财政拨款收入支出决算情况说明", "s08_fund.j2", "fund"),
    SectionSpec("九", "国有资本经营预算财政拨款收入支出决算情况说明", "s09_capital.j2", "capital"),
    SectionSpec("十", "预算绩效管理情况", "s10_performance.j2", "performance"),
    SectionSpec("十一", "其他重要事项的情况说明", "s11_other.j2", "other"),
)

OUTLINE = NarrativeOutline(
    templates=HERE / "templates",
    title="{dept}{year}年度部门决算",
    parts=(
        PartSpec("第一部分 {dept}概况", template="part1_overview.j2"),
        PartSpec("第三部分 {dept}{year}年度部门决算情况说明", sections=SECTIONS),
        PartSpec("第四部分 名词解释", terms=True),
    ),
    metrics=metrics,
    overview="部门概况",
    reasons="变动原因",
    budget_reasons="年初预算",
    terms=HERE / "terms.txt",
    charts=(("income", "income"), ("spending", "spending")),
)
