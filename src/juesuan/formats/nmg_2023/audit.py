"""The sections of nmg-2023's 第二部分 as the audit names them (audit.sections.KINDS)."""

from __future__ import annotations

from juesuan.audit.outline import AuditOutline

OUTLINE = AuditOutline(expected=(
    "overall", "income", "expend", "fiscal_overall", "gpb_expend", "gpb_basic", "gpb_project", "sangong", "govfund",
    "soe", "running", "procurement", "assets", "performance"))
