"""The same disclosure as .docx, .html and .pdf gives the same findings as the .txt.

The .docx is built with python-docx from the seed text (tab-separated lines become real Word
tables), the .html likewise (with a script and a style that must not be read), and the .pdf is
made by LibreOffice from the .txt in a temporary directory with a private profile; only that
test is skipped when ``soffice`` is not installed.  Positions differ between formats (they are
offsets in each format's text), so findings are compared by rule, severity and message, and
their quotes by text with whitespace removed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from test_audit_helpers import SEED, seed_text, signature, write_docx, write_html  # noqa: I001

from juesuan.audit.engine import AuditResult, audit
from juesuan.audit import load as load_module
from juesuan.errors import InputError


@pytest.fixture(scope="module")
def from_txt() -> AuditResult:
    return audit(SEED)


def _quotes(result: AuditResult) -> list[list[str]]:
    return [[re.sub(r"\s+", "", q.text) for q in f.quotes] for f in result.findings]


def _same(a: AuditResult, b: AuditResult) -> None:
    assert signature(b) == signature(a)
    assert _quotes(b) == _quotes(a)
    assert [(s.section, s.zh) for s in b.skipped] == [(s.section, s.zh) for s in a.skipped]


def test_docx_gives_the_same_findings(tmp_path: Path, from_txt: AuditResult) -> None:
    path = write_docx(seed_text(), tmp_path / "seed.docx")
    _same(from_txt, audit(path))


def test_html_gives_the_same_findings(tmp_path: Path, from_txt: AuditResult) -> None:
    path = write_html(seed_text(), tmp_path / "seed.html")
    result = audit(path)
    _same(from_txt, result)
    assert all("999.99" not in f.message for f in result.findings)  # the <script> is not text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_gives_the_same_findings(tmp_path: Path, from_txt: AuditResult) -> None:
    source = tmp_path / "seed.txt"
    source.write_text(seed_text(), encoding="utf-8")
    profile = Path("/tmp") / f"juesuan-audit-lo-{uuid.uuid4().hex}"
    try:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{profile}",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                       check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = tmp_path / "seed.pdf"
    assert pdf.exists()
    _same(from_txt, audit(pdf))


def test_pdf_without_pdftotext_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    monkeypatch.setattr(load_module.shutil, "which", lambda name: None)
    with pytest.raises(InputError) as exc:
        audit(pdf)
    assert "pdftotext" in exc.value.message and str(pdf) in exc.value.message
    assert "poppler" in exc.value.en


def test_gb18030_text_is_read(tmp_path: Path, from_txt: AuditResult) -> None:
    path = tmp_path / "seed-gbk.txt"
    path.write_bytes(seed_text().encode("gb18030"))
    assert signature(audit(path)) == signature(from_txt)


def test_fullwidth_digits_and_halfwidth_punctuation_are_normalised(tmp_path: Path, from_txt: AuditResult) -> None:
    text = seed_text()
    full = str.maketrans("0123456789%", "０１２３４５６７８９％")
    # the 二 section written with full-width digits and half-width punctuation
    start, end = text.index("二、收入决算情况说明"), text.index("三、支出决算情况说明")
    part = text[start:end].translate(full).replace("，", ",").replace("；", ";")
    path = tmp_path / "mixed.txt"
    path.write_text(text[:start] + part + text[end:], encoding="utf-8")
    assert signature(audit(path)) == signature(from_txt)
