"""national-2023 end to end: new → check → narrate → export --docx --pdf on the reference case,
in the reference document's order (第一部分 概况, 第二部分 the nine tables, 第三部分 情况说明,
第四部分 名词解释)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest

from juesuan.cli import main

REF = Path(__file__).resolve().parents[1] / "src" / "juesuan" / "reference" / "national-2023-reference.json"
PARTS = ["第一部分", "第二部分", "第三部分", "第四部分"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("national")
    book = out / "B.xlsx"
    assert main(["new", "--data", str(REF), "-o", str(book)]) == 0
    assert main(["check", "--write", str(book)]) == 0  # no error
    assert main(["narrate", str(book)]) == 0
    paths = {"book": book, "docx": out / "B.docx", "pdf": out / "B.pdf"}
    argv = ["export", str(book), "--docx", str(paths["docx"])]
    if shutil.which("soffice") or shutil.which("libreoffice"):
        argv += ["--pdf", str(paths["pdf"])]
    assert main(argv) == 0
    return paths


def test_the_workbook_gets_the_check_report_and_the_narrative_sheet(exported):
    names = openpyxl.load_workbook(exported["book"], read_only=True).sheetnames
    assert {"校验结果", "决算情况说明"} <= set(names)


def test_the_document_has_the_four_parts_in_the_documents_order_and_the_nine_tables(exported):
    text = [p.text for p in docx.Document(str(exported["docx"])).paragraphs]
    starts = [max(i for i, t in enumerate(text) if t.startswith(part)) for part in PARTS]  # the body's headings
    assert starts == sorted(starts)  # tables (第二部分) between 概况 and 情况说明
    doc = docx.Document(str(exported["docx"]))
    assert len(doc.tables) >= 9


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice not installed")
def test_the_pdf_prints_the_tables_and_the_narrative(exported):
    text = subprocess.run(["pdftotext", "-layout", str(exported["pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for needle in ["公开01表", "公开09表", "一般公共预算财政拨款“三公”经费支出决算表", "4,733.14",
                   "完成年初预算的102.27%", "机关运行经费支出185.41万元", "十一、机关运行经费："]:
        assert needle in flat, needle


def test_the_audit_reads_the_exported_text_as_national_with_no_error(exported):
    from juesuan.audit.engine import audit
    from juesuan.findings import Severity

    result = audit(exported["docx"])
    assert [f.rule for f in result.findings if f.severity is Severity.ERROR] == []


def test_batch_fills_checks_and_narrates_a_national_data_file(tmp_path):
    import json

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(REF, src / "ref.json")
    assert main(["batch", str(src), "-o", str(tmp_path / "out"), "--jobs", "1"]) == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    (dept,) = summary["departments"]
    assert (dept["status"], dept["department"], dept["counts"]["error"]) == ("ok", "上海市普陀区生态环境局", 0)
    wb = openpyxl.load_workbook(tmp_path / "out" / "ref.xlsx", read_only=True)
    assert "决算情况说明" in wb.sheetnames
