"""Showing an audit: terminal text, JSON, and a report workbook (the openpyxl adapter)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from juesuan.audit.engine import AuditResult
from juesuan.audit.rules import RULES, show
from juesuan.findings import format_text, report_json
from juesuan.workbook_file import append_plain_row, write_atomic


def as_text(result: AuditResult) -> str:
    """Findings as :func:`juesuan.findings.format_text` prints them, then what was skipped."""
    lines = [f"审阅 audit：{result.file}", format_text(result.findings)]
    if result.skipped:
        lines.append(f"跳过 skipped（{len(result.skipped)}，未检查的内容 not checked）：")
        for s in result.skipped:
            where = f"「{s.section}」" if s.section else ""
            quote = f"  「{s.quote.text[:40]}」" if s.quote else ""
            lines.append(f"  - {where}{s.zh}{quote}")
    return "\n".join(lines)


def as_json(result: AuditResult) -> dict[str, Any]:
    """:func:`juesuan.findings.report_json`, plus the skipped list and the sections read."""
    data = report_json(result.file, result.findings)
    data["skipped"] = [s.to_json() for s in result.skipped]
    data["sections"] = [{"title": t, "kind": k} for t, k in result.sections]
    return data


FINDING_HEADER = ("序号", "规则 rule", "级别 severity", "说明 message", "引文 quote", "章节 section",
                  "位置 position", "应为 expected", "实为 actual", "差额 difference", "容差 tolerance")
SKIP_HEADER = ("序号", "章节 section", "原因 reason", "reason (English)", "引文 quote", "位置 position")


def write_xlsx(result: AuditResult, path: str | Path) -> None:
    """A workbook: 审阅结果 (one row per finding; all its quotes, the first one's section and
    position), 跳过 (what was not checked, and why) and 规则 (the rule registry)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "审阅结果"
    ws.append(FINDING_HEADER)
    fills = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
    for n, f in enumerate(result.findings, 1):
        q = f.quotes[0] if f.quotes else None
        quotes = "\n".join(f"「{x.text}」" for x in f.quotes) if len(f.quotes) > 1 else (q.text if q else None)
        append_plain_row(ws, (n, f.rule, f.severity.zh, f.message, quotes, q.section if q else None,
                   q.position if q else None, _cell(f.expected), _cell(f.actual), _cell(f.difference),
                   _cell(f.tolerance)))
        ws.cell(ws.max_row, 3).fill = PatternFill("solid", fgColor=fills[f.severity.value])
    sk = wb.create_sheet("跳过")
    sk.append(SKIP_HEADER)
    for n, s in enumerate(result.skipped, 1):
        append_plain_row(sk, (n, s.section, s.zh, s.en, s.quote.text if s.quote else None,
                   s.quote.position if s.quote else None))
    rules = wb.create_sheet("规则")
    rules.append(("规则 rule", "默认级别 default severity", "说明 description"))
    for r in RULES.values():
        rules.append((r.id, r.severity.zh, r.en))
    for sheet, widths in ((ws, (6, 16, 8, 70, 60, 30, 10, 14, 14, 12, 12)), (sk, (6, 30, 50, 50, 60, 10)),
                          (rules, (16, 14, 80))):
        for col, w in enumerate(widths, 1):
            sheet.column_dimensions[sheet.cell(1, col).column_letter].width = w
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    write_atomic(path, lambda tmp: wb.save(tmp))


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (int, float, str)):
        return value
    return show(value)
