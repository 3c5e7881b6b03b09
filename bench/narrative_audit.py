"""Synthetic departments through check and audit: what audit flags in the exported text, check
already reported on the workbook (issue 可发布).

    PYTHONPATH=src python bench/narrative_audit.py [--n 200] [--seed bench] [--docx-every 20] [--pdf 0]

For each of ``--n`` synthetic departments: ``check`` of the department (its N-REASON / N-TEXT
findings carry the audit's messages) and ``audit`` of the text the export writes
(:func:`juesuan.export.plain.document_text`); every ``--docx-every``-th department is also
exported to .docx and that file audited (the public tables' A-TABLE-* aside: check's W/X rules
hold them).  ``--pdf K`` exports the first K departments to PDF and checks their pages (目录
page numbers, no table row alone on a page).  Prints the counts and every miss; exit status 1 when
audit flags an error or warning that check did not report.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from juesuan.audit.engine import audit, audit_loaded  # noqa: E402
from juesuan.audit.load import Loaded  # noqa: E402
from juesuan.check import check_book  # noqa: E402
from juesuan.data_file import book_from_data  # noqa: E402
from juesuan.export import export_book  # noqa: E402
from juesuan.export.plain import document_text  # noqa: E402
from juesuan.findings import Severity  # noqa: E402
from juesuan.synth import synth_department  # noqa: E402


def flagged(findings, tables: bool = True):  # type: ignore[no-untyped-def]
    return {(f.rule, f.message) for f in findings
            if f.severity is not Severity.INFO and (tables or not f.rule.startswith("A-TABLE-"))}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", default="bench")
    ap.add_argument("--docx-every", type=int, default=20)
    ap.add_argument("--pdf", type=int, default=0)
    args = ap.parse_args()
    misses, rules, check_rules = [], Counter(), Counter()
    docx_checked = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(1, args.n + 1):
            book = book_from_data(synth_department(random.Random(f"{args.seed}:{i}"), i))
            findings = check_book(book)
            check_rules.update(f.rule for f in findings if f.severity is not Severity.INFO)
            reported = [f.message for f in findings if f.rule in ("N-TEXT", "N-REASON")]
            audited = flagged(audit_loaded(Loaded("text", document_text(book), "txt")).findings)
            if args.docx_every and i % args.docx_every == 0:
                docx = Path(tmp) / f"d{i}.docx"
                export_book(book, docx)
                audited |= flagged(audit(docx).findings, tables=False)
                docx_checked += 1
            for rule, message in audited:
                rules[rule] += 1
                if not any(message in m and f"审阅规则 {rule}" in m for m in reported):
                    misses.append((i, rule, message))
        if args.pdf:
            from test_export_pages import check_pages, pages_of

            for i in range(1, args.pdf + 1):
                book = book_from_data(synth_department(random.Random(f"{args.seed}:{i}"), i))
                check_pages(pages_of(book, Path(tmp), f"p{i}"))
            print(f"PDF: {args.pdf} departments with a paged 目录 and no table row alone on a page")
    elapsed = time.perf_counter() - started
    print(f"{args.n} synthetic departments ({docx_checked} also as .docx) in {elapsed:.1f} s")
    print(f"audit errors/warnings on the exported text: {sum(rules.values())} {dict(rules)}")
    print(f"check errors/warnings on the departments: {sum(check_rules.values())} {dict(check_rules)}")
    print(f"flagged by audit and not reported by check: {len(misses)}")
    for miss in misses[:20]:
        print("  ", miss)
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
