"""``juesuan check BOOK.xlsx [--json] [--write]``: report every contradiction, pointing at cells.

Prints the findings (``findings.format_text``) or, with ``--json``, the report
(``findings.report_json``).  ``--write`` also adds or replaces the 校验结果 sheet and marks the
offending cells (:mod:`juesuan.check.report_sheet`).  Exit status: 0 no error, 1 errors found,
2 the file cannot be read (raised as InputError, mapped by the CLI).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from juesuan.check import acknowledge
from juesuan.errors import InputError
from juesuan.findings import exit_status, format_text, report_json
from juesuan.session import Session
from juesuan.workbook_file import refuse_if_open


def run(args: argparse.Namespace) -> int:
    path = Path(args.book)
    if getattr(args, "write", False):
        refuse_if_open(path)
    try:
        session = Session.for_check(path, getattr(args, "format", None))
        prior = None
        if getattr(args, "prior", None):
            from juesuan.book_io import read_any

            prior = read_any(args.prior)
        findings = session.check(prior)
    except InputError as exc:
        raise exc.at(file=str(path)) from None
    values, formulas = session.grids or {}, session.formulas or {}
    if getattr(args, "write", False):
        from juesuan.check.report_sheet import write  # openpyxl: only when writing the sheet

        write(path, findings, values, formulas, acknowledge.read(values.get(acknowledge.SHEET)))
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(report_json(str(path), findings), ensure_ascii=False, indent=2) + "\n")
        if getattr(args, "write", False):
            print(f"已写入「{acknowledge.SHEET}」工作表 wrote the report sheet into {path}", file=sys.stderr)
    else:
        print(format_text(findings))
        if getattr(args, "write", False):
            print(f"已写入「{acknowledge.SHEET}」工作表 wrote the report sheet into {path}")
    return exit_status(findings)
