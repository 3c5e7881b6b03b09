"""CPU per workbook of the batch's read, derive and check stages, the check split by part.

    PYTHONPATH=src python bench/check_parts.py [--n 60]

Runs what ``batch.job._run`` runs (without writing) on ``--n`` synthetic departments (the first
three warm up) and prints milliseconds of CPU (``time.process_time``) per workbook: read
(data_file.read_data), derive (derivations + compute + layout + printed names), and the check as
``check_book`` does it — context (Context: the stored values loaded), relations (the derived-cell
pass), rules (every other non-narrative rule, and echo + sort), narrative (the rules ``N-*``, the
audit of the generated narrative).  Compare two versions by running it with each on the same
machine at the same time (CPU time still grows with the load: quote the load average).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter
from pathlib import Path


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=60)
    args = p.parse_args()

    from juesuan.batch import job
    from juesuan.check import echo, relations, rules_of, sort_findings
    from juesuan.check.context import Context
    from juesuan.data_file import read_data
    from juesuan.derive import compute, derivations
    from juesuan.layout import book_layout
    from juesuan.synth import write_synth

    files = write_synth(args.n, Path(tempfile.mkdtemp()), seed=1)
    total: Counter[str] = Counter()
    for i, f in enumerate(files):
        t: dict[str, float] = {}
        c = time.process_time()

        def lap(name: str) -> None:
            nonlocal c
            now = time.process_time()
            t[name] = t.get(name, 0.0) + now - c
            c = now

        book = read_data(f)
        lap("read")
        derivations(book)
        values = compute(book)
        layout = book_layout(book)
        job.printed_names(book, layout)
        lap("derive")
        rules = rules_of(book.format)
        ctx = Context(book, job.found_of(layout), {**book.values, **values}, None)
        lap("check: context")
        findings = list(relations.run(ctx, rules))
        lap("check: relations")
        for rule in rules.list:
            if rule.run is not None:
                findings.extend(rule.run(ctx, rule))
                lap("check: narrative" if rule.id.startswith("N-") else "check: rules")
        echo.demote_echoes(findings)
        sort_findings(ctx, findings, rules)
        lap("check: rules")
        if i >= 3:
            total.update(t)
    n = max(len(files) - 3, 1)
    print(f"{n} workbooks, load average {os.getloadavg()[0]:.1f}: ms CPU per workbook")
    for name in ("read", "derive", "check: context", "check: relations", "check: rules", "check: narrative"):
        print(f"  {name:18s} {total[name] / n * 1000:6.2f}")
    mine = sum(total[k] for k in ("check: context", "check: relations", "check: rules"))
    print(f"  {'check w/o narrative':18s} {mine / n * 1000:6.2f}")


if __name__ == "__main__":
    main()
