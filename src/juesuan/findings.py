"""Findings are values: what a check found, where, and by how much.

``check`` (workbook) and ``audit`` (published text) both return lists of :class:`Finding`;
front ends turn them into text, JSON (:func:`report_json`) or a 校验结果 sheet.

JSON shape (stable, documented in the README)::

    {"file": ..., "summary": {"error": n, "warning": n, "info": n, "acknowledged": n},
     "findings": [{"rule", "severity", "message", "cells": [{"sheet", "cell", "table", "row",
                   "column"}], "quotes": [{"text", "section", "position"}],
                   "expected", "actual", "difference", "tolerance", "acknowledged"}]}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any, Iterable


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def zh(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True)
class CellRef:
    """A cell a finding points at: sheet and A1 address, and its keys in the format."""

    sheet: str
    cell: str | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "cell": self.cell, "table": self.table,
                "row": self.row, "column": self.column}


@dataclass(frozen=True)
class Quote:
    """A sentence of a published text a finding points at (audit), with its character offset."""

    text: str
    section: str | None = None
    position: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "section": self.section, "position": self.position}


@dataclass
class Finding:
    rule: str
    severity: Severity
    message: str
    cells: list[CellRef] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    expected: Any = None
    actual: Any = None
    difference: Any = None
    tolerance: Any = None
    acknowledged: str | None = None  # the accountant's explanation (出错说明), when acknowledged

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "cells": [c.to_json() for c in self.cells],
            "quotes": [q.to_json() for q in self.quotes],
            "expected": _jsonable(self.expected),
            "actual": _jsonable(self.actual),
            "difference": _jsonable(self.difference),
            "tolerance": _jsonable(self.tolerance),
            "acknowledged": self.acknowledged,
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


def summarize(findings: Iterable[Finding]) -> dict[str, int]:
    """Counts by severity; acknowledged findings count apart and not as errors or warnings."""
    counts = {"error": 0, "warning": 0, "info": 0, "acknowledged": 0}
    for f in findings:
        if f.acknowledged is not None:
            counts["acknowledged"] += 1
        else:
            counts[f.severity.value] += 1
    return counts


def report_json(file: str, findings: list[Finding]) -> dict[str, Any]:
    return {"file": file, "summary": summarize(findings),
            "findings": [f.to_json() for f in findings]}


def exit_status(findings: Iterable[Finding]) -> int:
    """0 when no unacknowledged error, 1 otherwise (2 is for unusable input, raised elsewhere)."""
    return 1 if summarize(findings)["error"] else 0


def format_text(findings: list[Finding]) -> str:
    """A readable list, one finding per block, for the terminal."""
    lines = []
    for f in findings:
        cells = [f"{c.sheet}!{c.cell}" if c.cell else c.sheet for c in f.cells]
        where = "、".join(cells[:3]) + (f" 等 {len(cells)} 个单元格" if len(cells) > 3 else "")
        if not where and f.quotes:
            where = "；".join(f"「{q.text[:40]}」" for q in f.quotes)
        status = f"（已说明：{f.acknowledged}）" if f.acknowledged is not None else ""
        lines.append(f"[{f.severity.zh} {f.rule}] {f.message}{status}" + (f"  → {where}" if where else ""))
    s = summarize(findings)
    lines.append(f"合计 total：错误 error {s['error']}，警告 warning {s['warning']}，提示 info {s['info']}，"
                 f"已说明 acknowledged {s['acknowledged']}")
    return "\n".join(lines)
