"""The exported PDF as a reader pages through it: a 目录 with page numbers that point at the
headings, and no table row alone on a page (the reference's 公开04表 总计 row used to be)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from juesuan.data_file import book_from_data, read_data
from juesuan.export import export_book
from juesuan.synth import synth_department
from pages_support import check_pages, pdf_pages, table_rows


def pages_of(book, tmp_path: Path, name: str) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    pdf = tmp_path / f"{name}.pdf"
    export_book(book, tmp_path / f"{name}.docx", pdf)
    return pdf_pages(pdf)


def test_rows_are_counted_per_printed_line_not_per_amount() -> None:
    page = ("科目编码  科目名称  决算数   科目编码  科目名称\n    31303   补充全国社会保障基金   39999  其他支出\n"
            "          对机关事业单位职业年金的补\n    31304\n          助\n      合计      1,569.77\n"
            "注：本表反映部门本年度一般公共预算财政拨款项目支出明细情况。\n\n        - 40 -\n")
    assert table_rows(page) == 3
    assert table_rows("科目编码  科目名称\n      合计      1,569.77\n注：本表反映 2023 年\n  - 41 -\n") == 1


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
