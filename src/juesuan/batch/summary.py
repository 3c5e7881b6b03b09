"""The batch summary: ``OUT/summary.json`` for programs, ``OUT/summary.xlsx`` for the 财政局.

One row per department (by input name): status (ok / errors / failed), error/warning/info
counts, the first findings (rule, message, cell) or the reason it failed, the workbook written,
and whether it was skipped as unchanged.  The workbook has a second sheet listing those first
findings one per row.  Both files are written atomically; so is ``OUT/summary_figures.xlsx``, every
department's key figures side by side (:mod:`juesuan.batch.figures`).

summary.json::

    {"summary": {"total": 22, "ok": 20, "errors": 0, "failed": 2, "skipped": 0},
     "seconds": 3.2, "jobs": 2, "figures_workbook": "summary_figures.xlsx",
     "departments": [{"name", "input", "status", "output", "department", "counts",
     "findings": [{"rule", "severity", "message", "cell"}], "reason", "input_error", "seconds",
     "maxrss_kb", "skipped", "key", "figures": {"收支总计": "3041.69", …}, "rules": {"X19": 1, …}}, …]}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from juesuan.batch.job import Outcome
from juesuan.batch.progress import STATUS_ZH
from juesuan.workbook_file import append_plain_row, write_atomic

SUMMARY = "summary"
HEADERS = [("文件", "file", 18), ("部门", "department", 30), ("状态", "status", 14), ("错误", "errors", 8),
           ("警告", "warnings", 8), ("提示", "infos", 8), ("跳过", "skipped", 8), ("首要问题或失败原因", "first finding / reason", 80),
           ("工作簿", "workbook", 40), ("导出", "export", 30)]
FINDING_HEADERS = [("文件", "file", 18), ("部门", "department", 30), ("规则", "rule", 8), ("级别", "severity", 10),
                   ("单元格", "cell", 36), ("说明", "message", 100)]


def counts(outcomes: list[Outcome]) -> dict[str, int]:
    out = {"total": len(outcomes), "ok": 0, "errors": 0, "failed": 0, "skipped": 0}
    for o in outcomes:
        out[o.status] += 1
        out["skipped"] += o.skipped
    if any(o.export for o in outcomes):  # --export: departments with Word and PDF, and those without
        out["exported"] = sum(o.export == "ok" for o in outcomes)
        out["export_failed"] = sum(o.export == "failed" for o in outcomes)
    return out


def export_text(o: Outcome) -> str:
    if o.export == "ok":
        return f"Word + PDF：{Path(o.pdf or '').name}"
    if o.export == "failed":
        return f"导出失败 failed: {o.export_reason}"
    return ""


def summary_data(outcomes: list[Outcome], seconds: float, jobs: int) -> dict[str, Any]:
    return {"summary": counts(outcomes), "seconds": round(seconds, 3), "jobs": jobs,
            "departments": [o.to_json() for o in sorted(outcomes, key=lambda o: o.name)]}


def write_summary(out_dir: Path, outcomes: list[Outcome], seconds: float, jobs: int) -> tuple[Path, Path]:
    from juesuan.batch.figures import write_figures

    data = summary_data(outcomes, seconds, jobs)
    data["figures_workbook"] = write_figures(out_dir, sorted(outcomes, key=lambda o: o.name)).name
    json_path = out_dir / f"{SUMMARY}.json"
    # readable UTF-8; a character UTF-8 cannot carry (an unpaired surrogate from a file name that is
    # not UTF-8) is written as its JSON escape \udXXX, which reads back as the same text
    text = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8", "backslashreplace").decode("utf-8") + "\n"
    write_atomic(json_path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    xlsx_path = out_dir / f"{SUMMARY}.xlsx"
    _write_xlsx(xlsx_path, sorted(outcomes, key=lambda o: o.name), data["summary"])
    return json_path, xlsx_path


def first_line(o: Outcome) -> str:
    if o.status == "failed":
        return o.reason or ""
    if not o.findings:
        return ""
    f = o.findings[0]
    return f"[{f['rule']}] {f['message']}" + (f"（{f['cell']}）" if f["cell"] else "")


def _write_xlsx(path: Path, outcomes: list[Outcome], totals: dict[str, int]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "汇总 summary"
    bold = Font(bold=True)
    ws.append([f"批量处理汇总 batch summary：共 {totals['total']} 个，通过 ok {totals['ok']}，有错误 errors "
               f"{totals['errors']}，失败 failed {totals['failed']}，未变化跳过 skipped {totals['skipped']}"])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([f"{zh} {en}" for zh, en, _ in HEADERS])
    fills = {"ok": "E2EFDA", "errors": "FCE4D6", "failed": "F8CBAD"}
    for o in outcomes:
        c = o.counts
        append_plain_row(ws, [o.name, o.department, STATUS_ZH[o.status], c.get("error", 0), c.get("warning", 0),
                     c.get("info", 0), "是 yes" if o.skipped else "", first_line(o), o.output or "", export_text(o)])
        ws.cell(ws.max_row, 3).fill = PatternFill("solid", start_color=fills[o.status], end_color=fills[o.status])
    _format(ws, HEADERS, bold, Alignment)
    fs = wb.create_sheet("问题 findings")
    fs.append([f"{zh} {en}" for zh, en, _ in FINDING_HEADERS])
    for o in outcomes:
        if o.status == "failed":
            append_plain_row(fs, [o.name, o.department, "—", "失败 failed", "", o.reason or ""])
        for f in o.findings:
            append_plain_row(fs, [o.name, o.department, f["rule"], f["severity"], f["cell"], f["message"]])
    _format(fs, FINDING_HEADERS, bold, Alignment, header_row=1)
    write_atomic(path, lambda tmp: wb.save(tmp))


def _format(ws: Any, headers: list[tuple[str, str, int]], bold: Any, alignment: Any, header_row: int = 2) -> None:
    from openpyxl.utils import get_column_letter

    for i, (_, _, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        ws.cell(header_row, i).font = bold
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = alignment(vertical="top", wrap_text=isinstance(cell.value, str) and len(cell.value) > 30)
