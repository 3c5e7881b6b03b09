"""One mistake counted once: a text that repeats the tables' contradiction is info.

The narrative is written from the tables, so when the tables contradict each other (X13, X19 …)
the audit of the generated text finds the same contradiction again in words.  Those N-TEXT
findings become info with a note; N-REASON stays (a reason's words are typed, not computed).
"""

from __future__ import annotations

from juesuan.findings import Finding, Severity
ECHO = "（表格本身已有错误或警告，说明文字随之矛盾：请先改正表格，再复核说明）"
OWN_RULES = ("N-", "S-8")  # the narrative's own findings, and the missing reasons it shows as 【请填写…】


def demote_echoes(findings: list[Finding]) -> None:
    """When the tables already contradict each other, the text built from them repeats the
    contradiction: its N-TEXT findings become info (with a note), so one mistake is counted once.
    N-REASON is kept: a reason's words are typed, not computed from the tables."""
    if not any(f.severity is not Severity.INFO and not f.rule.startswith(OWN_RULES) for f in findings):
        return
    for f in findings:
        if f.rule == "N-TEXT" and f.severity is not Severity.INFO:
            f.severity = Severity.INFO
            f.message += ECHO

