"""Benchmark of ``juesuan batch``: workbooks per second, seconds per stage, memory, LibreOffice.

    PYTHONPATH=src python bench/batch.py [--n 200] [--seed 1] [--no-lo] [--openpyxl 5]

For ``--n`` synthetic departments (``juesuan.synth``) it runs the batch at ``--jobs 1`` and
``--jobs 2`` (fresh output directories, so nothing is skipped) and prints

- workbooks per second end to end (fill + check + narrate + write), over the processing wall
  time (the one-off set-up — template parsed, narrative sheet prerendered — shown apart);
- seconds per stage (read, derive, narrate, write, save, check): mean wall and mean CPU time
  per workbook (CPU time is what a core spends; wall time also counts waiting when the machine
  is shared);
- the peak resident memory of a worker (``ru_maxrss``);
- the time LibreOffice headless takes to recalculate the same workbooks (one ``soffice`` call
  converting all of them to xlsx with a profile that always recalculates, :mod:`juesuan.lo`),
  and the ratio to our ``--jobs 1`` time;
- for reference, the openpyxl path (``juesuan new``: template → apply_book → save → cached
  values) on a few departments, and the zlib level trade-off of the fast writer.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from juesuan.batch.job import STAGES, Outcome  # noqa: E402
from juesuan.batch.progress import Progress  # noqa: E402
from juesuan.batch.runner import BatchResult, run_batch  # noqa: E402
from juesuan.synth import write_synth  # noqa: E402


def run(src: Path, out: Path, jobs: int) -> BatchResult:
    quiet = Progress(0, out / "batch.log", stream=io.StringIO(), tty=False)
    return run_batch(src, out, jobs=jobs, force=True, progress=quiet)


def stage_table(outcomes: list[Outcome]) -> str:
    rows = []
    for stage in STAGES:
        wall = [o.seconds.get(stage, 0.0) for o in outcomes]
        cpu = [o.cpu_seconds.get(stage, 0.0) for o in outcomes]
        rows.append(f"  {stage:8s} wall {statistics.mean(wall) * 1000:7.1f} ms   "
                    f"cpu {statistics.mean(cpu) * 1000:7.1f} ms")
    wall = [sum(o.seconds.values()) for o in outcomes]
    cpu = [sum(o.cpu_seconds.values()) for o in outcomes]
    rows.append(f"  {'total':8s} wall {statistics.mean(wall) * 1000:7.1f} ms   "
                f"cpu {statistics.mean(cpu) * 1000:7.1f} ms"
                f"   (→ {1 / statistics.mean(cpu):.1f} workbooks/s per core of CPU)")
    return "\n".join(rows)


def report(result: BatchResult) -> tuple[float, float]:
    """Print the figures of one run; (wall, CPU) seconds per workbook."""
    done = [o for o in result.processed if o.status != "failed"]
    rate = len(result.processed) / result.work_seconds
    print(f"--jobs {result.jobs}: {len(result.processed)} workbooks in {result.work_seconds:.2f} s "
          f"= {rate:.1f} workbooks/s end to end ({rate / result.jobs:.1f} per worker); "
          f"set-up {result.setup_seconds:.2f} s; whole run {result.seconds:.2f} s; "
          f"failed {result.count('failed')}")
    print(stage_table(done))
    print(f"  peak memory of a worker (ru_maxrss): {max(o.maxrss_kb for o in done) / 1024:.0f} MiB")
    return result.work_seconds / len(result.processed), statistics.mean(sum(o.cpu_seconds.values()) for o in done)


def openpyxl_path(src: Path, out: Path, n: int) -> float:
    from juesuan.book_io import new_book
    from juesuan.data_file import read_data

    files = sorted(src.glob("*.json"))[:n]
    t = time.perf_counter()
    for f in files:
        new_book(read_data(f), out / f"{f.stem}.xlsx")
    per = (time.perf_counter() - t) / len(files)
    print(f"openpyxl path (juesuan new: fill only, no check/narrate), {len(files)} departments: "
          f"{per * 1000:.0f} ms per workbook = {1 / per:.1f} workbooks/s")
    return per


def zlib_levels(src: Path) -> None:
    from juesuan.data_file import read_data
    from juesuan.derive import compute, derivations
    from juesuan.layout import book_layout
    from juesuan.narrate import narrative

    books = [read_data(f) for f in sorted(src.glob("*.json"))[:20]]
    prepared = []
    for b in books:
        e = derivations(b)
        prepared.append((b, e, compute(b, e), book_layout(b), narrative(b)))
    for level in (1, 3, 6):
        writers = {n: _writer(level, n) for n in (False, True)}
        for b, e, v, lay, text in prepared:  # warm up: per-process caches (row formulas, paragraphs)
            writers[bool(b.notes)].render(b, e, v, lay, narrative=text)
        t = time.process_time()
        size = 0
        for _ in range(3):
            for b, e, v, lay, text in prepared:
                size += len(writers[bool(b.notes)].render(b, e, v, lay, narrative=text))
        per = (time.process_time() - t) / len(prepared) / 3
        size //= 3
        print(f"  zlib level {level}: write {per * 1000:.1f} ms CPU per workbook, "
              f"{size / len(prepared) / 1024:.0f} KiB")


def _writer(level: int, notes: bool):  # type: ignore[no-untyped-def]
    from juesuan.batch.fastxlsx import FastWriter
    from juesuan.batch.narrative_sheet import NarrativeParts
    from juesuan.batch.notes_sheet import NotesParts
    from juesuan.batch.prerender import prerendered_template
    from juesuan.batch.template_parts import parse_template
    from juesuan.formats import load_format

    parts = parse_template(load_format(), prerendered_template("nmg-2023", True, notes))
    return FastWriter(parts, NarrativeParts.parse(parts), NotesParts.parse(parts) if notes else None, level=level)


def narrative_paths(src: Path, n: int = 5) -> None:
    """The narrative sheet: the fast renderer against the openpyxl writer (load, write, save)."""
    import openpyxl

    from juesuan.batch.fastxlsx import writer_for
    from juesuan.data_file import read_data
    from juesuan.narrate import narrative, write_narrative_sheet
    from juesuan.templates import template_path

    books = [read_data(f) for f in sorted(src.glob("*.json"))[:n]]
    texts = [narrative(b) for b in books]
    fast = slow = 0.0
    for b, text in zip(books, texts):
        parts = writer_for(b).narrative
        assert parts is not None
        t = time.process_time()
        parts.render(text)
        fast += time.process_time() - t
        wb = openpyxl.load_workbook(template_path(b.format.id))
        t = time.process_time()
        write_narrative_sheet(wb, text, b)
        wb.save(io.BytesIO())
        slow += time.process_time() - t
    print(f"narrative sheet with its two charts: fast path {fast / n * 1000:.1f} ms per workbook (CPU), "
          f"openpyxl writer + save {slow / n * 1000:.0f} ms (CPU; the save also writes the 21 table sheets)")


def libreoffice(out: Path, work: Path, ours_wall: float, ours_cpu: float) -> None:
    """One soffice call recalculating every workbook; wall and CPU time (its process is our child)."""
    import resource

    from juesuan import lo

    files = sorted(p for p in out.glob("*.xlsx") if not p.name.startswith("summary"))
    lo.find_soffice()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    lo.convert(files, work, "xlsx", timeout=3600)
    seconds = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    n = len(files)
    print(f"LibreOffice headless recalculating the same {n} workbooks (one soffice call): wall {seconds:.1f} s "
          f"= {seconds / n * 1000:.0f} ms per workbook; CPU {cpu:.1f} s = {cpu / n * 1000:.0f} ms per workbook")
    print(f"ratio to our whole pipeline at --jobs 1 (fill + check + narrate + write): wall "
          f"{seconds / n / ours_wall:.1f}×, CPU {cpu / n / ours_cpu:.1f}×")
    agree(files[:20], work)


def agree(files: list[Path], lo_dir: Path) -> None:
    """Our cached values against LibreOffice's recalculation of the same files (every cell)."""
    from python_calamine import CalamineWorkbook

    cells = differ = 0
    for f in files:
        ours, theirs = CalamineWorkbook.from_path(str(f)), CalamineWorkbook.from_path(str(lo_dir / f.name))
        for sheet in ours.sheet_names:
            a = ours.get_sheet_by_name(sheet).to_python()
            b = theirs.get_sheet_by_name(sheet).to_python()
            for ra, rb in zip(a, b):
                for x, y in zip(ra, rb):
                    if isinstance(x, float):
                        cells += 1
                        differ += not (isinstance(y, float) and abs(x - y) <= 1e-9 * max(1.0, abs(x)))
    print(f"LibreOffice's recalculated values vs our cached values, {len(files)} workbooks: {cells} numeric cells, "
          f"{differ} differ")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-lo", action="store_true", help="skip the LibreOffice comparison")
    p.add_argument("--openpyxl", type=int, default=5, help="departments through the openpyxl path (0: skip)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="juesuan-bench-") as tmp:
        root = Path(tmp)
        src = root / "in"
        write_synth(args.n, src, seed=args.seed)
        print(f"{args.n} synthetic departments (seed {args.seed}); {os.cpu_count()} cores; "
              f"load average {os.getloadavg()[0]:.2f}")
        r1 = run(src, root / "out1", 1)
        wall1, cpu1 = report(r1)
        r2 = run(src, root / "out2", 2)
        report(r2)
        if args.openpyxl:
            (root / "openpyxl").mkdir()
            openpyxl_path(src, root / "openpyxl", args.openpyxl)
        narrative_paths(src)
        print("fast writer, zlib level (20 departments, render only):")
        zlib_levels(src)
        if not args.no_lo:
            libreoffice(root / "out1", root / "lo", wall1, cpu1)
        print(f"load average at the end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
