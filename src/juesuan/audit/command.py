"""``juesuan audit DOC [--json] [--write REPORT.xlsx]``: check a published disclosure from its text.

Exit status: 0 no error found, 1 errors found, 2 unusable document (InputError, handled by the CLI).
"""

from __future__ import annotations

import argparse
import json
import sys

from juesuan.audit.engine import audit
from juesuan.audit.report import as_json, as_text, write_xlsx
from juesuan.findings import exit_status


def run(args: argparse.Namespace) -> int:
    result = audit(args.doc, getattr(args, "format", None))
    if getattr(args, "write", None):
        write_xlsx(result, args.write)
    if getattr(args, "json", False):
        json.dump(as_json(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(as_text(result))
    return exit_status(result.findings)
