"""The audit on the forms real disclosures come in: a 三公 paragraph alone, a traditional-character
mirror, a PDF with ruled tables, a document in the national 9-table layout.

The texts are corpus entries (real published disclosures, tests/data/audit_corpus/) or, for the
9-table layout, the national reference case exported by juesuan itself; each test states the
findings expected from figures recomputed by hand.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.audit.engine import AuditResult, audit
from juesuan.audit.load import load
from juesuan.audit.perf import table_spans
from juesuan.audit.sections import paragraphs
from juesuan.audit.tables import read_tables
from juesuan.audit.text import normalise
from juesuan.findings import Severity

CORPUS = Path(__file__).resolve().parent / "data" / "audit_corpus"
REF = Path(__file__).resolve().parents[1] / "src" / "juesuan" / "reference" / "national-2023-reference.json"
HAS_LO = bool(shutil.which("soffice") or shutil.which("libreoffice"))


def corpus(name: str) -> Path:
    (path,) = CORPUS.glob(f"{name}*.txt")
    return path


def errors(result: AuditResult) -> list[tuple[str, str]]:
    """(rule, message and quotes) of each error."""
    return [(f.rule, f.message + " " + " ".join(q.text for q in f.quotes))
            for f in result.findings if f.severity is Severity.ERROR]


def tables_of(path: Path):
    mapped = normalise(load(path).text)
    return read_tables(paragraphs(mapped, table_spans(mapped.text)), None)


# ---------------------------------------------------------------- a 三公 paragraph alone

def test_a_sangong_paragraph_alone_is_audited_and_its_wrong_rates_found() -> None:
    """焦石镇 2020: 41 = 0 + 21 + 20; 较上年减少 19 → 19 / 60 = 31.67%, printed 43.78%; 较年初预算数
    减少 4 → 4 / 45 = 8.89%, printed 2.2% (whole 万元 figures allow 30.3…33.1% and 7.7…10.2% only)."""
    found = errors(audit(corpus("33_")))
    assert {r for r, _ in found} == {"A-CHANGE"}
    assert any("43.78%" in text and "31.67" in text for _, text in found)
    assert any("2.2%" in text and "8.89" in text for _, text in found)


def test_shares_of_a_sangong_paragraph_take_the_total_named_before_not_a_sibling() -> None:
    """桃江 2019: 决算 22.62 万元。其中公务接待费 20.10 万元，占 88.86%；运行维护费 2.52 万元，占
    11.14%: both shares hold against 22.62; the same text with 88.68% is caught against 22.62."""
    path = corpus("02_")
    result = audit(path)
    assert errors(result) == []
    assert not any(s.quote and "88.86%" in s.quote.text for s in result.skipped)


def test_a_wrong_share_of_a_sangong_paragraph_is_reported_against_the_named_total(tmp_path: Path) -> None:
    text = corpus("02_").read_text(encoding="utf-8").replace("占88.86%", "占88.68%")
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    found = errors(audit(path))
    assert [r for r, _ in found] == ["A-SHARE"]
    assert "22.62" in found[0][1] and "88.86" in found[0][1]


def test_a_text_without_any_figure_is_refused_with_a_message_saying_so(tmp_path: Path) -> None:
    from juesuan.errors import InputError

    path = tmp_path / "t.txt"
    path.write_text("“三公”经费包括因公出国（境）费、公务用车购置及运行维护费和公务接待费。\n", encoding="utf-8")
    with pytest.raises(InputError, match="没有任何金额"):
        audit(path)


# ---------------------------------------------------------------- traditional characters

def test_a_traditional_character_page_is_converted_and_its_table_checked_against_its_text() -> None:
    """杜集区政府办 2021 (traditional mirror with inserted pinyin): the table gives 公务接待费 预算 14.9,
    决算 5.21, so '與2021年度預算相比,減少0.1萬元,下降0.006%' is wrong twice: 5.21 − 14.9 = −9.69,
    and 0.1 / 5.31 = 1.88% ≠ 0.006%."""
    path = corpus("29_")
    found = errors(audit(path))
    rules = [r for r, _ in found]
    assert "A-CHANGE" in rules and "A-TABLE-TEXT" in rules
    table_text = next(t for r, t in found if r == "A-TABLE-TEXT")
    assert "-9.69" in table_text and "14.9" in table_text
    # quotes are the text as printed: traditional characters and the mirror's pinyin
    assert any("預(yù)算" in t or "萬元" in t for _, t in found)
    (table,) = tables_of(path)
    cells = {(c.concept, c.role): c.fig.value for c in table.cells if c.fig}
    assert cells[("reception", "budget")] == Decimal("14.9") and cells[("sangong_total", "actual")] == Decimal("7.69")


def test_a_clean_traditional_page_has_no_error() -> None:
    """乌鲁木齐 2023: 收入总计 = 支出总计 = 434.72; 434.16 + 0.55 = 434.71 is a 尾差."""
    result = audit(corpus("06_"))
    assert errors(result) == []
    assert any(f.rule == "A-SUM-PARTS" and f.severity is Severity.INFO for f in result.findings)


# ---------------------------------------------------------------- a PDF with tables

def _pdf_from_corpus(tmp_path: Path, name: str, replace: tuple[str, str] | None = None) -> Path:
    """A PDF laid out as published: the corpus text's paragraphs, its "|" rows as a ruled table
    (python-docx → LibreOffice)."""
    import docx

    from juesuan.export.pdf import docx_to_pdf

    text = corpus(name).read_text(encoding="utf-8")
    if replace:
        text = text.replace(*replace)
    document = docx.Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            table.style = "Table Grid"
            for i, r in enumerate(rows):
                for j, cell in enumerate(r):
                    table.cell(i, j).text = cell
            rows.clear()

    for line in text.splitlines():
        if "|" in line:
            rows.append([c.strip() for c in line.split("|")])
        else:
            flush()
            document.add_paragraph(line)
    flush()
    source = tmp_path / "d.docx"
    document.save(str(source))
    return docx_to_pdf(source, tmp_path / "d.pdf")


@pytest.mark.skipif(not HAS_LO, reason="LibreOffice not installed")
def test_a_pdf_with_a_ruled_table_has_its_table_read_and_checked(tmp_path: Path) -> None:
    """杜集区机关事务管理中心 2021 as a PDF: the table is read by pdfplumber; the text's '增加1.14万元，
    增长1.14%' against a budget of 1 is 114%; with the table's 合计 决算 altered to 176.37 the table
    no longer adds up (0 + 2.14 + 165.23 = 167.37) and disagrees with the text's 167.37."""
    pdf = _pdf_from_corpus(tmp_path, "30_")
    (table,) = tables_of(pdf)
    assert ("sangong_total", "actual") in {(c.concept, c.role) for c in table.cells}
    found = errors(audit(pdf))
    assert [r for r, _ in found] == ["A-CHANGE"] and "1.14%" in found[0][1]

    (tmp_path / "b").mkdir()
    altered = _pdf_from_corpus(tmp_path / "b", "30_", ("合 计 | 246 | 167.37", "合 计 | 246 | 176.37"))
    rules = {r for r, _ in errors(audit(altered))}
    assert {"A-TABLE-SUM", "A-TABLE-TEXT", "A-CHANGE"} <= rules


# ---------------------------------------------------------------- the national 9-table layout

@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from juesuan.cli import main

    out = tmp_path_factory.mktemp("national9")
    book = out / "B.xlsx"
    assert main(["new", "--data", str(REF), "-o", str(book)]) == 0
    assert main(["narrate", str(book)]) == 0
    assert main(["export", str(book), "--docx", str(out / "B.docx")]) == 0
    return out / "B.docx"


def _edit_sangong_table(src: Path, dst: Path, column: int, value: str) -> None:
    import docx

    document = docx.Document(str(src))
    table = next(t for t in document.tables if any("公务接待费" in c.text for c in t.rows[0].cells)
                 and len(t.rows[-1].cells) == 12)
    table.rows[-1].cells[column].text = value
    document.save(str(dst))


def test_a_nine_table_document_reads_its_sangong_table_by_columns_with_no_error(national: Path) -> None:
    """The national 公开07表 prints the 三公 items as columns under merged headers: 合计 预算 21.00
    决算 16.95, 公务用车 20.50 / 16.95, 公务接待 0.50 / 0.00 — read, added up, and equal to the text."""
    assert errors(audit(national)) == []
    cells = {(c.concept, c.role): c.fig.value for t in tables_of(national) for c in t.cells if c.fig}
    assert cells[("sangong_total", "budget")] == Decimal("21.00")
    assert cells[("sangong_total", "actual")] == Decimal("16.95")
    assert cells[("reception", "budget")] == Decimal("0.50")


def test_a_nine_table_document_with_a_wrong_sangong_total_is_caught_in_table_and_text(national: Path,
                                                                                     tmp_path: Path) -> None:
    """合计 决算 16.95 → 19.65 in 公开07表: 0.00 + 16.95 + 0.00 = 16.95 ≠ 19.65 (A-TABLE-SUM), and the
    text's 三公 决算 16.95 ≠ 19.65 (A-TABLE-TEXT)."""
    altered = tmp_path / "B.docx"
    _edit_sangong_table(national, altered, 1, "19.65")
    found = errors(audit(altered))
    rules = {r for r, _ in found}
    assert {"A-TABLE-SUM", "A-TABLE-TEXT"} <= rules
    assert all("19.65" in text for r, text in found if r.startswith("A-TABLE"))


def test_a_nine_table_document_with_a_wrong_basic_expenditure_row_is_caught_twice(national: Path,
                                                                                  tmp_path: Path) -> None:
    """公开06表 30231 公务用车运行维护费 16.95 → 19.65: 302 商品和服务支出 401.93 no longer adds up
    (Σ 302xx = 404.63), and the basic table's 19.65 exceeds the 三公 table's 公务用车运行维护费 16.95,
    which also counts project spending."""
    import docx

    document = docx.Document(str(national))
    for table in document.tables:
        for row in table.rows:
            cells = row.cells
            for j, cell in enumerate(cells[:-2]):
                if cell.text.strip() == "30231" and cells[j + 2].text.strip() == "16.95":
                    cells[j + 2].text = "19.65"
    altered = tmp_path / "B.docx"
    document.save(str(altered))
    found = errors(audit(altered))
    assert any(r == "A-TABLE-SUM" and "302" in t and "401.93" in t for r, t in found)
    assert any(r == "A-TABLE-TEXT" and "30231" in t and "19.65" in t for r, t in found)
