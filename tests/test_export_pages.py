"""The exported PDF as a reader pages through it: a 目录 with page numbers that point at the
headings, and no table row alone on a page (the reference's 公开04表 总计 row used to be)."""

from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path

import pytest

from juesuan.data_file import book_from_data, read_data
from juesuan.export import export_book
from juesuan.export.toc import page_texts
from juesuan.synth import synth_department

# a table row in pdftotext's layout text: it shows a subject code, an amount or a 合计/总计 label
ROW = re.compile(r"(?<![\d.,])\d{3,7}(?![\d.,])|\d\.\d\d\b|合\s*计|总\s*计")
TOC_LINE = re.compile(r"^(?P<title>\S.*?)\s*\.{3,}\s*(?P<page>\d+)$")


def pages_of(book, tmp_path: Path, name: str) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """The PDF's pages in reading order and in layout order (one line per printed line)."""
    pdf = tmp_path / f"{name}.pdf"
    export_book(book, tmp_path / f"{name}.docx", pdf)
    layout = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                            check=True).stdout.split("\f")
    return page_texts(pdf), layout


def table_rows(layout_page: str) -> int:
    """Printed table rows on a page: layout lines with a subject code, an amount or 合计/总计 (not the 注 line,
    not a line wrapped inside a cell, not the page number)."""
    return sum(1 for ln in layout_page.splitlines()
               if ROW.search(ln) and not ln.strip().startswith(("注", "-")))


def test_rows_are_counted_per_printed_line_not_per_amount() -> None:
    page = ("科目编码  科目名称  决算数   科目编码  科目名称\n    31303   补充全国社会保障基金   39999  其他支出\n"
            "          对机关事业单位职业年金的补\n    31304\n          助\n      合计      1,569.77\n"
            "注：本表反映部门本年度一般公共预算财政拨款项目支出明细情况。\n\n        - 40 -\n")
    assert table_rows(page) == 3
    assert table_rows("科目编码  科目名称\n      合计      1,569.77\n注：本表反映 2023 年\n  - 41 -\n") == 1


def check_pages(pages_and_layout: tuple[list[str], list[str]]) -> None:
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


def test_reference_pdf_has_a_paged_contents_and_no_lonely_row(reference_path: Path, tmp_path: Path) -> None:
    check_pages(pages_of(read_data(reference_path), tmp_path, "reference"))


@pytest.mark.parametrize("index", [3])
def test_a_synthetic_department_pdf_too(index: int, tmp_path: Path) -> None:
    book = book_from_data(synth_department(random.Random(f"pages:{index}"), index))
    check_pages(pages_of(book, tmp_path, f"dept{index}"))


def test_the_unit_list_of_part_one_is_a_table(reference_path: Path, tmp_path: Path) -> None:
    """决算单位构成 typed with tabs (序号 单位名称 单位性质) becomes a Word table, not tabbed text."""
    import docx

    path = tmp_path / "ref.docx"
    export_book(read_data(reference_path), path)
    document = docx.Document(str(path))
    tables = [t for t in document.tables if t.rows[0].cells[0].text.strip() == "序号"]
    assert tables and [c.text for c in tables[0].rows[0].cells] == ["序号", "单位名称", "单位性质"]
    assert not any("\t" in p.text and "单位性质" in p.text for p in document.paragraphs)
