"""nmg-2023's exported document: the cover from 单位信息, 第五部分 the eleven tables, and one
项目支出绩效自评表 per project placed in 十四 before （三）, as the seed prints them."""

from __future__ import annotations

from juesuan.export.outline import ExportOutline
from juesuan.formats.nmg_2023.perf_tables import perf_tables

OUTLINE = ExportOutline(
    info="单位信息",
    cover=("部门名称", "部门负责人", "财务负责人", "编制人", "报送日期"),
    tables_title="第五部分 {year}年度部门决算表",
    extra_tables=perf_tables,
    extra_section="十四",
    extra_before="（三）",
    terms_part="第三部分",
)
