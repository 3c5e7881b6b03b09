"""Benchmark of 舍位平衡 (``juesuan.balance``): one department, and the batch with balancing.

    PYTHONPATH=src python bench/balance.py [--n 200] [--seed 1] [--no-batch]

For ``--n`` synthetic departments in whole 元 (``juesuan synth --yuan``) it prints

- per department, CPU milliseconds of :func:`juesuan.balance.balance_book` (median, mean, p95,
  max) on a layout not seen before in the process and on one seen before (the relations of the
  derivations kept per layout, :func:`juesuan.balance.gather.base_of`), split into gathering the
  relations and solving the integer program, with the size of the program (amount cells,
  relations) and the cells moved off ordinary rounding.  The book's derivations are made before
  the clock starts: fill, check and narrate share them, balanced or not;
- the batch (fill + check + narrate + write) at ``--jobs 1`` without and with ``--balance``:
  workbooks per second over wall time, and per core (1 / mean CPU seconds per workbook).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from juesuan.balance import balance_book  # noqa: E402
from juesuan.balance import gather as gathering  # noqa: E402
from juesuan.balance.gather import gather_parts  # noqa: E402
from juesuan.balance.solve import solve  # noqa: E402
from juesuan.batch.progress import Progress  # noqa: E402
from juesuan.batch.runner import run_batch  # noqa: E402
from juesuan.data_file import read_data  # noqa: E402
from juesuan.synth import write_synth  # noqa: E402


def ms(values: list[float]) -> str:
    v = sorted(values)
    p95 = v[min(len(v) - 1, int(0.95 * len(v)))]
    return (f"median {1000 * statistics.median(v):6.1f}  mean {1000 * statistics.mean(v):6.1f}  "
            f"p95 {1000 * p95:6.1f}  max {1000 * v[-1]:6.1f} ms")


def one_department(paths: list[Path]) -> None:
    from juesuan.derive import derivations

    balance_book(read_data(paths[0]))  # imports (SciPy) and caches outside the measurement
    total, seen, gathered, solved, cells, relations, moved = [], [], [], [], [], [], []
    statuses: dict[str, int] = {}
    for p in paths:
        book = read_data(p)
        derivations(book)
        gathering._BASES.clear()  # a layout not seen before
        t = time.process_time()
        result = balance_book(book)
        total.append(time.process_time() - t)
        statuses[result.status] = statuses.get(result.status, 0) + 1
        book = read_data(p)
        derivations(book)
        t = time.process_time()
        balance_book(book)  # the same layout again
        seen.append(time.process_time() - t)
        book = read_data(p)
        derivations(book)
        gathering._BASES.clear()
        t = time.process_time()
        exact, base, rels, _ = gather_parts(book)
        t1 = time.process_time()
        solve(exact, rels, explain=False, base=base, same=True)
        solved.append(time.process_time() - t1)
        gathered.append(t1 - t)
        cells.append(len(exact))
        relations.append(len(rels) + len(base.relations))
        moved.append(len(result.moved))
    print(f"balance_book, {len(paths)} departments ({statuses}):")
    print(f"  total        {ms(total)}")
    print(f"  layout seen  {ms(seen)}")
    print(f"  gather       {ms(gathered)}")
    print(f"  solve        {ms(solved)}")
    print(f"  amount cells median {statistics.median(cells):.0f} (max {max(cells)}), relations median "
          f"{statistics.median(relations):.0f} (max {max(relations)}), moved median {statistics.median(moved):.0f} "
          f"(max {max(moved)}), moved in all {sum(moved)}")


def batch(src: Path, work: Path) -> None:
    for balance in (False, True):
        out = work / f"out-{balance}"
        quiet = Progress(0, out / "batch.log", stream=io.StringIO(), tty=False)
        t = time.perf_counter()
        result = run_batch(src, out, jobs=1, force=True, progress=quiet, balance=balance)
        wall = time.perf_counter() - t
        n = len(result.outcomes)
        cpu = statistics.mean(sum(o.cpu_seconds.values()) for o in result.outcomes)
        counts = {k: sum(o.counts.get(k, 0) for o in result.outcomes) for k in ("error", "warning", "info")}
        label = "with --balance" if balance else "plain         "
        print(f"batch --jobs 1 {label}: {n / wall:5.1f} workbooks/s wall, {1 / cpu:5.1f} per core "
              f"({1000 * cpu:.1f} ms CPU each); findings {counts}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--no-batch", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        paths = write_synth(args.n, src, args.seed, yuan=True)
        one_department(paths)
        if not args.no_batch:
            batch(src, Path(tmp))


if __name__ == "__main__":
    main()
