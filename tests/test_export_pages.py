"""The exported PDF as a reader pages through it: a 目录 with page numbers that point at the
headings, and no table row alone on a page (the reference's 公开04表 总计 row used to be)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from juesuan.data_file import book_from_data, read_data
from juesuan.export import export_book
from juesuan.export.toc import page_texts
from juesuan.synth import synth_department

AMOUNT = re.compile(r"\d\.\d\d\b")
TOC_LINE = re.compile(r"^(?P<title>\S.*?)\s*\.{3,}\s*(?P<page>\d+)$")


def pages_of(book, tmp_path: Path, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    pdf = tmp_path / f"{name}.pdf"
    export_book(book, tmp_path / f"{name}.docx", pdf)
    return page_texts(pdf)


def check_pages(pages: list[str]) -> None:
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
        rows = [ln for ln in pages[i].splitlines() if AMOUNT.search(ln) and not ln.strip().startswith("注")]
        if len(rows) == 1:  # one row of figures: only a whole (empty) table may be that short
            assert "公开" in pages[i], (i + 1, pages[i])


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
