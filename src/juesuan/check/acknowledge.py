"""出错说明: an accountant explains a warning (or info) once; later runs report it as acknowledged.

A finding is the same finding on the next run when its rule id and its cells are the same:
identity ``"X19|机构运行经费支出、国有资产占用情况及政府采购支出信息表!D6;一般公共预算财政拨款基本支出决算明细表!F36"``.
The 校验结果 sheet keeps that identity in a hidden column (识别码), so re-sorting or deleting
rows does not lose an explanation.  Errors cannot be acknowledged: a contradiction must be
fixed, not explained (the sheet says so, and keeps whatever was typed next to an error).

Example: the 校验结果 sheet has X19 with 出错说明 "本地区机构运行经费不含310" → the next run's X19
finding carries ``acknowledged="本地区机构运行经费不含310"`` and counts as acknowledged, not as
a warning.
"""

from __future__ import annotations

from typing import Any, Iterable

from juesuan.findings import Finding, Severity
from juesuan.locate import Grid

SHEET = "校验结果"
NOT_FOR_ERRORS = "（错误不能以说明确认，须更正）"
HEADERS = ["序号", "规则", "级别", "说明", "单元格", "期望值", "实际值", "差额", "容差", "出错说明", "识别码"]


def identity(f: Finding) -> str:
    """``rule|sorted cell addresses`` — stable across runs while the finding is the same."""
    cells = sorted(f"{c.sheet}!{c.cell}" if c.cell else c.sheet for c in f.cells)
    return f"{f.rule}|{';'.join(cells)}"


def read(grid: Grid | None) -> dict[str, str]:
    """The explanations typed into a 校验结果 sheet: identity → text (blank ones left out)."""
    if not grid:
        return {}
    header = None
    for i, row in enumerate(grid[:20]):
        texts = [str(v).strip() if v is not None else "" for v in row]
        if "规则" in texts and "出错说明" in texts:
            header = (i, {t: j for j, t in enumerate(texts) if t})
            break
    if header is None:
        return {}
    start, cols = header
    out: dict[str, str] = {}
    for row in grid[start + 1:]:
        text = _at(row, cols.get("出错说明")).replace(NOT_FOR_ERRORS, "").strip()
        if not text:
            continue
        ident = _at(row, cols.get("识别码"))
        if not ident:
            rule = _at(row, cols.get("规则"))
            cells = sorted(c for c in _at(row, cols.get("单元格")).split("、") if c)
            ident = f"{rule}|{';'.join(cells)}" if rule else ""
        if ident:
            out[ident] = text
    return out


def _at(row: Any, j: int | None) -> str:
    if j is None or j >= len(row) or row[j] is None:
        return ""
    return str(row[j]).strip()


def apply(findings: Iterable[Finding], explanations: dict[str, str]) -> None:
    """Mark warnings and infos that have an explanation as acknowledged (errors never)."""
    for f in findings:
        text = explanations.get(identity(f))
        if text and f.severity is not Severity.ERROR:
            f.acknowledged = text
