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


def _autonumbered_docx(path: Path) -> tuple[Path, int]:
    """The seed as .docx with 第二部分's section titles numbered by Word ("%1、", chineseCounting)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def el(tag: str, **attrs: str):
        e = OxmlElement(tag)
        for k, v in attrs.items():
            e.set(qn(f"w:{k}"), v)
        return e

    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = el("w:abstractNum", abstractNumId="90")
    level = el("w:lvl", ilvl="0")
    level.append(el("w:start", val="1"))
    level.append(el("w:numFmt", val="chineseCounting"))
    level.append(el("w:lvlText", val="%1、"))
    abstract.append(level)
    numbering.insert(0, abstract)
    num = el("w:num", numId="90")
    num.append(el("w:abstractNumId", val="90"))
    numbering.append(num)
    text = seed_text()
    body_start = text.index("第二部分 2023 年度部门决算情况说明\n\n一、收入支出决算总体情况说明")
    body_end = text.index("第三部分 名词解释\n\n一、")
    numbered, pos = 0, 0
    for line in text.splitlines():
        at = text.index(line, pos) if line else pos
        pos = at + len(line)
        m = re.match(r"[一二三四五六七八九十]+、(.+说明)$", line)
        if m and body_start < at < body_end:
            p = document.add_paragraph(m.group(1))
            num_pr = el("w:numPr")
            num_pr.append(el("w:ilvl", val="0"))
            num_pr.append(el("w:numId", val="90"))
            p._p.get_or_add_pPr().append(num_pr)
            numbered += 1
        else:
            document.add_paragraph(line)
    document.save(str(path))
    return path, numbered


def test_word_auto_numbering_is_rendered(tmp_path: Path, from_txt: AuditResult) -> None:
    path, numbered = _autonumbered_docx(tmp_path / "autonum.docx")
    assert numbered == 14
    result = audit(path)
    assert [t for t, _ in result.sections] == [t for t, _ in from_txt.sections]
    assert signature(result) == signature(from_txt)


def test_unnumbered_titles_are_recognised(tmp_path: Path, from_txt: AuditResult) -> None:
    """An HTML page with <h3> titles that lost their numbers still gives every finding."""
    text = re.sub(r"(?m)^[一二三四五六七八九十]+、(.+情况说明)$", r"\1", seed_text())
    result = audit(write_html(text, tmp_path / "bare.html"))
    assert [k for _, k in result.sections] == [k for _, k in from_txt.sections]
    assert [(f.rule, f.severity) for f in result.findings] == [(f.rule, f.severity) for f in from_txt.findings]
