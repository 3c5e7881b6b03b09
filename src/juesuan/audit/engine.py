"""The audit from a file to findings: load, normalise, outline, extract, check.

The outline comes from the headings; a section whose title names nothing known takes the kind its
text points to, text before the first heading is read by content, and a text with no known heading
at all (a one-paragraph 三公 statement, a PDF page, a web fragment) is read entirely by content
(:func:`~juesuan.audit.sections.content_outline`).  Only a text stating no figure is unusable
(InputError, exit 2).  Tables are read into figures beside the text (:mod:`.tables`) and checked
on their own, against each other and against the text.  Sections of a kind the audit does not
check and standard sections that are missing are reported as skipped, each with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from juesuan.audit import crosscheck, perfcheck
from juesuan.audit.changes import doc_year, link_across
from juesuan.audit.extract import extract
from juesuan.audit.load import Loaded, load
from juesuan.audit.model import Doc, SectionFacts, Skip
from juesuan.audit.perf import table_spans
from juesuan.audit.relations import check_section
from juesuan.audit.outline import expected_kinds
from juesuan.audit.sections import (KIND_NAMES, UNCHECKED, classify_unrecognised, content_outline, outline,
                                    paragraphs)
from juesuan.audit.tables import check_codes, check_table, check_tables, check_text, read_tables
from juesuan.audit.text import FIGURE_RX, MONEY_PLACES, MONEY_UNITS, Mapped, money_places, normalise
from juesuan.errors import InputError, Location
from juesuan.findings import Finding


@dataclass
class AuditResult:
    """What the audit found, what it skipped, and which sections it read."""

    file: str
    findings: list[Finding]
    skipped: list[Skip] = field(default_factory=list)
    sections: list[tuple[str, str | None]] = field(default_factory=list)  # (title, kind)


def audit(path: str | Path, format_id: str | None = None) -> AuditResult:
    """Audit the disclosure at ``path`` (.txt .docx .pdf .html); ``format_id`` names its format
    (else the format whose sections best match the text's)."""
    return audit_loaded(load(path), format_id)


def audit_loaded(loaded: Loaded, format_id: str | None = None) -> AuditResult:
    mapped = normalise(loaded.text)
    token = MONEY_PLACES.set(money_places(mapped.text))
    try:
        return _audit(loaded, mapped, format_id)
    finally:
        MONEY_PLACES.reset(token)


def forget() -> int:
    """Empty every per-process memo of the audit (the ``functools.lru_cache`` of its pure text
    functions: reason spans, label figures, years, table spans, parsed numbers, names…); the
    number emptied.  The audit gives the same result with or without them: a test audits texts
    with warm memos and again after this."""
    import sys

    emptied = 0
    for name, module in list(sys.modules.items()):
        if not name.startswith("juesuan.audit.") or module is None:
            continue
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", None) == name:
                value.cache_clear()
                emptied += 1
    return emptied


def _prints_yuan(text: str) -> bool:
    """Whether a text prints its amounts in 元 rather than 万元 (messages then say they convert)."""
    if text.count("元") == text.count("万元") + text.count("亿元"):
        return False  # every 元 is part of 万元 or 亿元: no amount in 元 (a quick answer, the same)
    units = [m.group(0) for m in FIGURE_RX.finditer(text) if m.group("unit") in MONEY_UNITS]  # figures() unparsed
    yuan = sum(1 for t in units if t.endswith("元") and not t.endswith(("万元", "亿元")))
    return yuan > len(units) - yuan


def _audit(loaded: Loaded, mapped: Mapped, format_id: str | None = None) -> AuditResult:
    paras = paragraphs(mapped, table_spans(mapped.text), pdf=loaded.kind == "pdf")
    out = outline(paras)
    classify_unrecognised(out)
    if not any(s.kind is not None for s in out.sections):
        out = content_outline(paras)
    elif out.loose:  # statements before the first heading are read by what they are about
        out.sections = sorted(out.sections + content_outline(out.loose).sections, key=lambda s: s.heading.start)
    doc = Doc(loaded, mapped, out, doc_year(mapped.text))
    if not FIGURE_RX.search(mapped.text) and not any(re.search(r"\d", p.text) for p in paras if p.table):
        raise InputError("文档中没有任何金额或百分比（万元、元、%），没有可复核的数字",
                         "the document states no figure (万元, 元, %) to check", Location(file=loaded.path))
    skipped: list[Skip] = [Skip(None, zh, en) for zh, en in out.notes]
    checked: list[SectionFacts] = []
    for s in out.sections:
        if s.kind is None:
            skipped.append(Skip(s.title, "未识别的章节标题，本节未检查", "unrecognised section title; not checked",
                                doc.quote(s, s.heading, 0, len(s.heading.text))))
        elif s.kind in UNCHECKED:
            skipped.append(Skip(s.title, f"本节未检查：{UNCHECKED[s.kind]}", "section kind not checked",
                                doc.quote(s, s.heading, 0, len(s.heading.text))))
        else:
            checked.append(extract(s, doc))
    found = {s.kind for s in out.sections}
    for kind in expected_kinds(found, format_id) if out.part_title else ():
        if kind not in found:
            skipped.append(Skip(KIND_NAMES[kind], "未找到此章节，相关检查未做", "section not found; its checks not done"))

    link_across(checked)
    crosscheck.resolve_bases(checked, doc)
    hint = crosscheck.hint_for(checked)
    findings: list[Finding] = []
    for facts in checked:
        findings += check_section(facts, doc, hint)
    findings += crosscheck.check(checked, doc)
    tables = read_tables(paras, doc.year)
    for table in tables:
        findings += check_table(table, doc) + check_codes(table, doc)
    findings += check_tables(tables, doc)
    findings += check_text(tables, checked, doc)
    for facts in checked:
        if facts.kind == "performance":
            findings += perfcheck.check(facts, checked, doc)
    for facts in checked:
        skipped += facts.skipped
    noted = [f for f in findings
             if re.search(r"\d\.\d{2}", f.message) and f.rule not in ("A-PRECISION", "A-COUNT-SUM")]
    if noted and _prints_yuan(mapped.text):  # (the text's units are read only when a message needs the note)
        for f in noted:
            f.message += "（文中金额以元为单位，以上金额已折算为万元）"
    findings.sort(key=lambda f: min((q.position or 0) for q in f.quotes) if f.quotes else 0)
    return AuditResult(loaded.path, findings, skipped, [(s.title, s.kind) for s in out.sections])
