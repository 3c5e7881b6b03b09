"""Benchmark of ``juesuan.frames.frame``: every table of N workbooks as one tidy DataFrame.

    PYTHONPATH=src python bench/frames.py [--n 200] [--dir DIR] [--seed 0]

Writes ``--n`` synthetic departments as filled workbooks into ``--dir`` (kept: a second run
reuses them), then reads them all with ``frame(paths)`` at ``jobs=1`` and ``jobs=2``, and one
table of them all, and prints the wall time, workbooks per second, the rows of the frame and the
CPU time of the main process (on a shared machine wall time also counts waiting for a core).  Each
workbook is read once, by python-calamine.  Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from juesuan.frames import frame  # noqa: E402
from juesuan.synth import write_synth_workbooks  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=200)
    p.add_argument("--dir", default="/tmp/juesuan-bench-frames")
    p.add_argument("--seed", default="0")
    args = p.parse_args()
    d = Path(args.dir)
    paths = sorted(d.glob("dept-*.xlsx"))[: args.n]
    if len(paths) < args.n:
        t = time.perf_counter()
        paths = write_synth_workbooks(args.n, d, seed=args.seed, jobs=2)
        print(f"wrote {len(paths)} synthetic workbooks in {time.perf_counter() - t:.1f} s (set-up, not measured)")
    frame(paths[:1])  # imports and the format, once
    for jobs in (1, 2):
        t, cpu = time.perf_counter(), time.process_time()
        df = frame(paths, jobs=jobs)
        wall = time.perf_counter() - t
        print(f"frames: {len(paths)} workbooks, jobs={jobs}: {wall:.2f} s ({len(paths) / wall:.0f} workbooks/s), "
              f"{len(df):,} rows, {df['department'].nunique()} departments, "
              f"{df['table'].nunique()} tables, main-process CPU {time.process_time() - cpu:.2f} s")
    t, cpu = time.perf_counter(), time.process_time()
    df = frame(paths, tables=["表10"])
    print(f"frames: {len(paths)} workbooks, only 表10 (its sheet and 单位信息 read): {time.perf_counter() - t:.2f} s, "
          f"{len(df):,} rows, CPU {time.process_time() - cpu:.2f} s")


if __name__ == "__main__":
    main()
