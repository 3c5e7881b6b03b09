"""Benchmark of fill: seconds per stage for the reference workbook, and peak memory.

    PYTHONPATH=src python bench/fill.py [--runs 10] [--data FILE.json] [--synth INDEX]

Two paths, each run ``--runs`` times (after one warm-up run, which pays the one-off import of
the ``formulas`` parser, shown apart):

- ``new``: the template workbook + a data file → a filled workbook (what ``juesuan new --data``
  and the batch's openpyxl path do);
- ``fill``: a filled workbook → filled again (what ``juesuan fill BOOK.xlsx`` does).

Stages: load (openpyxl parses the workbook), read (locate the tables, read the inputs), derive
(every derived cell's Expr and Decimal value), write (openpyxl: resize, rows, formulas), lint
(parse and check every formula), save (openpyxl's own save), store (values into the sheet XML).
For each: median and min of wall seconds, and median CPU seconds (the machine may be shared:
wall also counts waiting).  Then the peak memory of one run: Python allocations (tracemalloc)
and the process's peak resident size (``ru_maxrss``).  ``--synth INDEX`` benchmarks a synthetic
department instead (index 7 uses every code of the list).
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from juesuan.cached import store_values  # noqa: E402
from juesuan.data_file import book_from_data, read_data  # noqa: E402
from juesuan.derive import compute, derivations  # noqa: E402
from juesuan.expr import Address  # noqa: E402
from juesuan.fill import fill_workbook, overwritten  # noqa: E402
from juesuan.formats import load_format  # noqa: E402
from juesuan.layout import book_layout  # noqa: E402
from juesuan.lint import lint_workbook  # noqa: E402
from juesuan.locate import read_book  # noqa: E402
from juesuan.model import Book  # noqa: E402
from juesuan.templates import template_path  # noqa: E402
from juesuan.workbook_file import grids, load  # noqa: E402
from juesuan.xlsx_write import apply_book  # noqa: E402

STAGES = ["load", "read", "derive", "write", "lint", "save", "store"]
REFERENCE = ROOT / "src" / "juesuan" / "reference" / "nmg-2023-reference.json"
Timing = dict[str, tuple[float, float]]  # stage → (wall, cpu)


class Clock:
    def __init__(self) -> None:
        self.out: Timing = {}
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self, stage: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.out[stage] = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu


def run_new(book_of: Callable[[], Book], out: Path) -> Timing:
    """Template + data → filled workbook, stage by stage (as fill.write_filled does it)."""
    clock = Clock()
    wb = load(template_path("nmg-2023"))
    clock.lap("load")
    book = book_of()
    _, found = read_book(book.format, grids(wb))
    clock.lap("read")
    exprs = derivations(book)
    values = compute(book, exprs)
    clock.lap("derive")
    layout = apply_book(wb, book, found, exprs, write_inputs=True)
    clock.lap("write")
    lint = lint_workbook(wb)
    assert not lint.errors
    clock.lap("lint")
    buf = io.BytesIO()
    wb.save(buf)
    clock.lap("save")
    cells: dict[str, dict[str, object]] = {}
    for key, v in values.items():
        a = layout.address(key)
        if a is not None:
            cells.setdefault(a.sheet, {})[Address(a.sheet, a.row, a.col).a1()] = v
    data, stored = store_values(buf.getvalue(), cells)
    out.write_bytes(data)
    clock.lap("store")
    assert not stored.missing
    return clock.out


def run_fill(path: Path, out: Path) -> Timing:
    """Filled workbook → filled again (fill_workbook), with the stages it reports."""
    report = fill_workbook(path, out)
    s = report.seconds
    return {"load": (s["load"], float("nan")), "read": (s["read"], float("nan")), "derive": (s["derive"], float("nan")),
            "write": (s["write"], float("nan")), "lint": (s["lint"], float("nan")),
            "save": (s["save"], float("nan")), "store": (s["store"], float("nan"))}


def summarize(title: str, runs: list[Timing]) -> None:
    print(f"\n{title} ({len(runs)} runs; seconds)")
    print(f"  {'stage':<8}{'median':>9}{'min':>9}{'cpu med':>9}")
    totals = [sum(r[s][0] for s in STAGES) for r in runs]
    for s in STAGES:
        walls = [r[s][0] for r in runs]
        cpus = [r[s][1] for r in runs if r[s][1] == r[s][1]]
        cpu = f"{statistics.median(cpus):9.3f}" if cpus else f"{'':>9}"
        print(f"  {s:<8}{statistics.median(walls):9.3f}{min(walls):9.3f}{cpu}")
    print(f"  {'total':<8}{statistics.median(totals):9.3f}{min(totals):9.3f}")


def memory(fn: Callable[[], object]) -> tuple[float, float]:
    """(peak MiB of Python allocations during ``fn``, peak resident MiB of the process so far)."""
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20, rss_kib / 1024


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--data", type=Path, default=REFERENCE)
    p.add_argument("--synth", type=int, default=None, help="a synthetic department's index instead of --data")
    args = p.parse_args()
    if args.synth is not None:
        from juesuan.synth import synth_department

        data = synth_department(random.Random(f"bench:{args.synth}"), args.synth)
        book_of: Callable[[], Book] = lambda: book_from_data(data)  # noqa: E731
        name = f"synthetic department #{args.synth}"
    else:
        book_of = lambda: read_data(args.data)  # noqa: E731
        name = args.data.name
    book = book_of()
    print(f"fill benchmark: {name}: {len(book.codes.get('表3', []))} 项 codes, "
          f"{len(derivations(book))} derived cells; load format {load_format().id}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "new.xlsx"
        t = time.perf_counter()
        run_new(book_of, out)
        print(f"warm-up run (imports, formula parser start-up): {time.perf_counter() - t:.3f} s")
        summarize("new: template + data file → filled workbook", [run_new(book_of, out) for _ in range(args.runs)])
        again = Path(tmp) / "again.xlsx"
        summarize("fill: filled workbook → filled again (juesuan fill)", [run_fill(out, again) for _ in range(args.runs)])
        wb = load(out)
        b2, found = read_book(load_format(), grids(wb))
        exprs = derivations(b2)
        t = time.perf_counter()
        overwritten(b2, found, exprs, grids(wb), book_layout(b2, offsets={k: f.layout.offset for k, f in
                                                                          found.tables.items()}))
        print(f"\n(fill also compares each derived cell with its formula: {time.perf_counter() - t:.3f} s)")
        peak, rss = memory(lambda: run_new(book_of, out))
        print(f"\npeak memory of one `new` run: {peak:.1f} MiB Python allocations (tracemalloc); "
              f"process peak resident {rss:.1f} MiB (ru_maxrss)")
        size = out.stat().st_size
        print(f"filled workbook: {size / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
