"""Where the shipped template workbooks are: ``juesuan.workbook_templates`` package data (the
repository's top-level ``workbook_templates/`` folder, linked into the package)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from juesuan.errors import InputError


def template_path(format_id: str) -> Path:
    candidate = Path(str(resources.files("juesuan.workbook_templates").joinpath(f"{format_id}.xlsx")))
    if not candidate.exists():
        raise InputError(f"找不到格式 {format_id} 的模板工作簿", f"template workbook for {format_id} not found")
    return candidate
