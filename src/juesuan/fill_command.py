"""``juesuan fill BOOK.xlsx [-o OUT.xlsx]``: fill in place (atomically) or into OUT, print the report."""

from __future__ import annotations

import argparse

from juesuan.fill import fill_workbook


def run(args: argparse.Namespace) -> int:
    report = fill_workbook(args.book, args.output, getattr(args, "format", None), getattr(args, "balance", None))
    print(report.text())
    return 0
