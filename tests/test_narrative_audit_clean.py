"""The audit raises no error on the narrative juesuan itself writes from consistent numbers.

Synthetic departments (``juesuan.synth``) are consistent by construction, so any audit error on
their generated document is a false alarm of the audit (or a narrative that misstates its
figures) — and ``check`` would report it on every clean workbook as N-TEXT.  Found when a new
list-ending mechanism cut "…；公务接待费预算 8.48 万元，支出决算 0.00 万元" from the 三公 lists.
"""

from __future__ import annotations

import random

import pytest

from juesuan.audit.engine import audit_loaded
from juesuan.audit.load import Loaded
from juesuan.data_file import book_from_data
from juesuan.export.plain import document_text
from juesuan.findings import Severity
from juesuan.narrate import narrative
from juesuan.synth import synth_department

DEPARTMENTS = 25  # per kind; the failure that prompted this test showed in the 7th 元 department


@pytest.mark.parametrize("format_id,yuan", [("nmg-2023", False), ("nmg-2023", True), ("national-2023", False)])
def test_generated_narratives_of_consistent_departments_draw_no_audit_error(format_id: str, yuan: bool) -> None:
    errors = []
    for i in range(1, DEPARTMENTS + 1):
        data = synth_department(random.Random(f"audit:{format_id}:{yuan}:{i}"), i, format_id=format_id, yuan=yuan)
        book = book_from_data(data)
        found = audit_loaded(Loaded("决算情况说明", document_text(book, narrative(book)), "txt"), format_id).findings
        errors += [(i, f.rule, f.message) for f in found if f.severity is Severity.ERROR]
    assert not errors
