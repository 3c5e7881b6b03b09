"""check audits the narrative before it is printed, with the audit's own engine.

- the text check audits is the text the exported .docx holds (the audit of both is the same,
  the public tables of 第五部分 aside: check's own W/X rules hold them);
- on synthetic departments, every error or warning ``juesuan audit`` raises on the document is
  a finding of ``juesuan check`` on the department (N-REASON / N-TEXT, same message);
- a contradiction of the tables that the text merely repeats is reported once: the text's
  finding becomes info; a reason's own words (N-REASON) stay a warning.
"""

from __future__ import annotations

import random
from decimal import Decimal as D
from pathlib import Path

import pytest

from juesuan.audit.engine import audit, audit_loaded
from juesuan.audit.load import Loaded
from juesuan.check import check_book
from juesuan.check.echo import ECHO
from juesuan.data_file import book_from_data, read_data
from juesuan.export import export_book
from juesuan.export.plain import document_text
from juesuan.findings import Finding, Severity
from juesuan.model import Book
from juesuan.synth import synth_department

from test_check_support import clean_book

SEED = "narrative"


def synthetic(i: int) -> Book:
    return book_from_data(synth_department(random.Random(f"{SEED}:{i}"), i))


TABLE_RULES = ("A-TABLE-",)  # the audit's reading of the 第五部分 public tables: not part of the text check


def flagged(findings: list[Finding]) -> set[tuple[str, str]]:
    """(rule, message) of the errors and warnings of an audit."""
    return {(f.rule, f.message) for f in findings if f.severity is not Severity.INFO}


def flagged_text(findings: list[Finding]) -> set[tuple[str, str]]:
    """As :func:`flagged`, without the findings on the public tables of 第五部分: their sums are
    the W/X rules of check, and text against table compares figures both computed from the same
    cells (what remains are the audit's misreadings of a table's layout)."""
    return {(r, m) for r, m in flagged(findings) if not r.startswith(TABLE_RULES)}


def audit_text(book: Book) -> list[Finding]:
    return audit_loaded(Loaded("text", document_text(book), "txt")).findings


def test_the_audited_text_is_the_exported_document(reference_path: Path, tmp_path: Path) -> None:
    """Narrative and 绩效自评 tables in the .docx's order: the audit of the .docx finds exactly
    what the audit of :func:`document_text` finds (departments with and without 自评表)."""
    books = [read_data(reference_path)] + [synthetic(i) for i in (2, 6, 7)]
    for n, book in enumerate(books):
        docx = tmp_path / f"d{n}.docx"
        export_book(book, docx)
        assert flagged_text(audit(docx).findings) == flagged(audit_text(book)), n


@pytest.mark.parametrize("start", [1, 21])
def test_check_reports_everything_audit_flags_in_the_document(start: int) -> None:
    """40 synthetic departments: no audit error or warning that check does not report."""
    for i in range(start, start + 20):
        book = synthetic(i)
        reported = {f.message for f in check_book(book) if f.rule in ("N-TEXT", "N-REASON")}
        for rule, message in flagged(audit_text(book)):
            assert any(message in m and f"审阅规则 {rule}" in m for m in reported), (i, rule, message)


def test_a_text_echoing_a_table_contradiction_is_info_once() -> None:
    """表6 基本工资 65 (X13 error): the text repeats it (N-TEXT, info with a note); a reason that
    contradicts 八 stays an N-REASON warning."""
    book = clean_book()
    book.values[("表6", "30101", "决算数")] = D(65)
    book.values[("变动原因", "机构运行经费.上年", "原因")] = "公务接待费增加。"
    findings = check_book(book)
    assert "X13" in {f.rule for f in findings if f.severity is Severity.ERROR}
    echoes = [f for f in findings if f.rule == "N-TEXT"]
    assert echoes and all(f.severity is Severity.INFO and f.message.endswith(ECHO) for f in echoes)
    reasons = [f for f in findings if f.rule == "N-REASON"]
    assert len(reasons) == 1 and reasons[0].severity is Severity.WARNING
    assert reasons[0].quotes and "公务接待费增加" in reasons[0].quotes[0].text


def test_a_prepared_book_rewrites_its_narrative_when_an_input_changes() -> None:
    from juesuan.check import prepare

    book = clean_book()
    prep = prepare(book)
    assert "N-UNEVALUATED" not in {f.rule for f in check_book(prep)}
    book.values[("绩效管理", "政府性基金自评资金", "值")] = D(0)
    assert "N-UNEVALUATED" in {f.rule for f in check_book(prep)}
