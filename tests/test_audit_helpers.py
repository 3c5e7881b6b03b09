"""Shared helpers of the audit tests: the seed, and building .docx/.html copies of a text.

Importing this module puts ``src`` on ``sys.path`` so the audit tests run from a checkout
(``python -m pytest tests/test_audit*.py``) whether or not juesuan is pip-installed.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

SEED = Path(__file__).resolve().parents[1] / "src" / "juesuan" / "reference" / "seed_2023.txt"
DATA = Path(__file__).resolve().parent / "data" / "audit"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def blocks(text: str) -> list[tuple[str, list[list[str]] | str]]:
    """Lines as ("p", line) or ("table", rows) — consecutive tab-separated lines form a table."""
    lines = text.splitlines()
    out: list[tuple[str, list[list[str]] | str]] = []
    i = 0
    while i < len(lines):
        if "\t" in lines[i]:
            rows = []
            while i < len(lines) and "\t" in lines[i]:
                rows.append(lines[i].split("\t"))
                i += 1
            out.append(("table", rows))
            continue
        out.append(("p", lines[i]))
        i += 1
    return out


def write_docx(text: str, path: Path) -> Path:
    """A Word file of ``text``: one paragraph per line, tab-separated lines as real tables."""
    import docx

    document = docx.Document()
    for kind, value in blocks(text):
        if kind == "p":
            document.add_paragraph(value)  # type: ignore[arg-type]
        else:
            rows = value  # type: ignore[assignment]
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, cells in enumerate(rows):
                for c, cell in enumerate(cells):
                    table.cell(r, c).text = cell
    document.save(str(path))
    return path


def write_html(text: str, path: Path) -> Path:
    """An HTML page of ``text`` with a script and a style that must not be read as text."""
    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>部门决算公开</title>',
             '<script>var figures = "占 12.34%，增加 999.99 万元";</script>',
             "<style>p { margin: 0 }</style></head><body>"]
    for kind, value in blocks(text):
        if kind == "p":
            parts.append(f"<p>{html.escape(value)}</p>")  # type: ignore[arg-type]
        else:
            parts.append("<table>")
            for row in value:  # type: ignore[union-attr]
                parts.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>")
            parts.append("</table>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def signature(result) -> list[tuple[str, str, str]]:
    return [(f.rule, f.severity.value, f.message) for f in result.findings]


def test_blocks_group_tab_lines_into_tables() -> None:
    kinds = [k for k, _ in blocks("标题\na\tb\nc\td\n正文")]
    assert kinds == ["p", "table", "p"]


def test_seed_is_the_reference_text() -> None:
    assert "第二部分 2023 年度部门决算情况说明" in seed_text()
