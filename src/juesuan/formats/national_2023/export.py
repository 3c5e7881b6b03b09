"""national-2023's exported document: the cover from 单位信息, 第一部分 概况, 第二部分 the nine tables,
第三部分 情况说明, 第四部分 名词解释 — the reference document's order."""

from __future__ import annotations

from juesuan.export.outline import ExportOutline

OUTLINE = ExportOutline(
    info="单位信息",
    cover=("部门名称",),  # the document's cover names the department only
    tables_title="第二部分 {year}年度部门决算表",
    tables_after="第一部分",
    terms_part="第四部分",
)
