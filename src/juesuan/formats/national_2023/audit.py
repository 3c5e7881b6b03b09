"""The sections of national-2023's 第三部分 情况说明 as the audit names them (audit.sections.KINDS):
一 overall … 九 soe, 十 预算绩效管理, 十一 (一) 机关运行经费 (二) 政府采购 (三) 国有资产."""

from __future__ import annotations

from juesuan.audit.outline import AuditOutline

OUTLINE = AuditOutline(expected=(
    "overall", "income", "expend", "fiscal_overall", "gpb_expend", "gpb_basic", "sangong", "govfund", "soe",
    "performance", "running", "procurement", "assets"))
