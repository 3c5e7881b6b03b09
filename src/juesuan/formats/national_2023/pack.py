"""The pack of ``national-2023`` (the nine tables central departments publish): what the engines
need to know beyond the tables of :mod:`juesuan.formats.national_2023`."""

from __future__ import annotations

from juesuan.formats.national_2023 import FORMAT_ID, INCOME_LINES, NAME, SPENDING_KINDS
from juesuan.formats.pack import ChartSpec, FormatPack, Reference

PACK = FormatPack(
    id=FORMAT_ID,
    name=NAME,
    package="juesuan.formats.national_2023",
    department=("单位信息", "部门名称", "值"),
    year=("单位信息", "年度", "值"),
    charts=(
        # 图1: 表1's eight income lines; 图2: 表3's 合计 row by kind of spending
        ChartSpec("income", "表1", tuple(("表1", key, "金额") for key, _ in INCOME_LINES), "row"),
        ChartSpec("spending", "表3", tuple(("表3", "合计", kind) for kind in SPENDING_KINDS), "header"),
    ),
    references=(Reference("national-2023-reference.json"),),
)
