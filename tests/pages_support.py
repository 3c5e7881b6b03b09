"""Reading an exported PDF as a reader pages through it (tests/test_export_pages.py, test_batch_export.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from juesuan.export.toc import page_texts


def pdf_pages(pdf: Path) -> tuple[list[str], list[str]]:
    """The PDF's pages in reading order and in layout order (one line per printed line)."""
    layout = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                            check=True).stdout.split("\f")
    return page_texts(pdf), layout


# a table row in pdftotext's layout text: it shows a subject code, an amount or a 合计/总计 label
ROW = re.compile(r"(?<![\d.,])\d{3,7}(?![\d.,])|\d\.\d\d\b|合\s*计|总\s*计")
TOC_LINE = re.compile(r"^(?P<title>\S.*?)\s*\.{3,}\s*(?P<page>\d+)$")


def table_rows(layout_page: str) -> int:
    """Printed table rows on a page: layout lines with a subject code, an amount or 合计/总计 (not the 注 line,
    not a line wrapped inside a cell, not the page number)."""
    return sum(1 for ln in layout_page.splitlines()
               if ROW.search(ln) and not ln.strip().startswith(("注", "-")))


def check_pages(pages_and_layout: tuple[list[str], list[str]]) -> None:
    """A 目录 of at least 20 entries whose page numbers point at their headings, in order; no table row
    alone on a page."""
    pages, layout = pages_and_layout
    toc = next(i for i, p in enumerate(pages) if p.strip().startswith("目录"))
    entries = []
    for i in range(toc, len(pages)):
        lines = [ln.strip() for ln in pages[i].splitlines() if ln.strip()]
        found = [TOC_LINE.match(ln) for ln in lines]
        if i > toc and not any(found):
            break
        entries += [(m.group("title"), int(m.group("page"))) for m in found if m]
    assert len(entries) >= 20, entries
    numbers = [n for _, n in entries]
    assert numbers == sorted(numbers)  # in document order
    for title, n in entries:
        text = re.sub(r"\s+", "", pages[n - 1])
        assert re.sub(r"\s+", "", title.split("、", 1)[-1]) in text, (title, n)  # the heading is on that page
    tables = next(n for t, n in entries if t.startswith("第五部分"))
    for i in range(tables, len(pages)):
        if table_rows(layout[i]) == 1:  # one row: only a whole (empty) table may be that short
            assert "公开" in pages[i], (i + 1, layout[i])
