"""Where the shipped template workbooks are: the ``juesuan.workbook_templates`` package data
(the repository's top-level ``workbook_templates/`` folder, mapped into the package by
pyproject), or that folder itself when running from a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from juesuan.errors import InputError


def template_path(format_id: str) -> Path:
    name = f"{format_id}.xlsx"
    try:
        candidate = Path(str(resources.files("juesuan.workbook_templates").joinpath(name)))
        if candidate.exists():
            return candidate
    except ModuleNotFoundError:
        pass
    source = Path(__file__).resolve().parents[2] / "workbook_templates" / name
    if source.exists():
        return source
    raise InputError(f"找不到格式 {format_id} 的模板工作簿", f"template workbook for {format_id} not found")
