"""nmg-2023's narrative: 第一部分 部门概况, 第二部分 (the fourteen sections of the seed), 第三部分
名词解释, 第四部分 联系方式.  Sentences are in ``templates/``, figures in :mod:`.metrics`."""

from __future__ import annotations

from pathlib import Path

from juesuan.formats.nmg_2023.metrics import metrics
from juesuan.narrate.outline import NarrativeOutline, PartSpec, SectionSpec

HERE = Path(__file__).parent

SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("一", "收入支出决算总体情况说明", "s01_overview.j2", "overview"),
    SectionSpec("二", "收入决算情况说明", "s02_income.j2", "income"),
    SectionSpec("三", "支出决算情况说明", "s03_spending.j2", "spending"),
    SectionSpec("四", "财政拨款收入支出决算总体情况说明", "s04_fiscal.j2", "fiscal"),
    SectionSpec("五", "一般公共预算支出决算情况说明", "s05_general.j2", "general"),
    SectionSpec("六", "一般公共预算财政拨款基本支出决算情况说明", "s06_basic.j2", "basic"),
    SectionSpec("七", "一般公共预算财政拨款项目支出决算情况说明", "s07_project.j2", "project"),
    SectionSpec("八", "财政拨款“三公”经费支出决算情况说明", "s08_sangong.j2", "sangong"),
    SectionSpec("九", "政府性基金预算财政拨款支出决算情况说明", "s09_fund.j2", "fund"),
    SectionSpec("十", "国有资本经营预算财政拨款支出决算情况说明", "s10_capital.j2", "capital"),
    SectionSpec("十一", "机构运行经费支出决算情况说明", "s11_operating.j2", "operating"),
    SectionSpec("十二", "政府采购支出决算情况说明", "s12_procurement.j2", "procurement"),
    SectionSpec("十三", "国有资产占用情况说明", "s13_assets.j2", "assets"),
    SectionSpec("十四", "预算绩效情况说明", "s14_performance.j2", "performance"),
)

OUTLINE = NarrativeOutline(
    templates=HERE / "templates",
    title="{year}年度{dept}部门决算公开",
    parts=(
        PartSpec("第一部分 部门概况", template="part1_overview.j2"),
        PartSpec("第二部分 {year}年度部门决算情况说明", sections=SECTIONS),
        PartSpec("第三部分 名词解释", terms=True),
        PartSpec("第四部分 决算公开联系方式及信息反馈渠道", template="part4_contact.j2"),
    ),
    metrics=metrics,
    overview="部门概况",
    reasons="变动原因",
    budget_reasons="年初预算",
    terms=HERE / "terms.txt",
    charts=(("income", "income"), ("spending", "spending")),
)
