"""The pack of ``nmg-2023`` (内蒙古自治区 2023 年度部门决算公开): what the engines need to know
beyond the tables of :mod:`juesuan.formats.nmg_2023`."""

from __future__ import annotations

from juesuan.formats.nmg_2023 import FORMAT_ID, INCOME_LINES, SPENDING_KINDS
from juesuan.formats.pack import ChartSpec, FormatPack, Reference

PACK = FormatPack(
    id=FORMAT_ID,
    name="内蒙古自治区 2023 年度部门决算公开（11 张表）",
    package="juesuan.formats.nmg_2023",
    department=("单位信息", "部门名称", "值"),
    year=("单位信息", "年度", "值"),
    charts=(
        # 图1: 表1's eight income lines (labels from its 项目 column)
        ChartSpec("income", "表1", tuple(("表1", key, "金额") for key, _ in INCOME_LINES), "row"),
        # 图2: 表3's 合计 row, 基本支出 … 对附属单位补助支出 (labels from the column headers)
        ChartSpec("spending", "表3", tuple(("表3", "合计", kind) for kind in SPENDING_KINDS), "header"),
    ),
    references=(Reference("nmg-2023-reference.json", source_text="seed_2023.txt"),),
)
