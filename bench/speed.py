"""Speed, side by side (issue 19): the interactive commands, the batch, the batch with PDFs.

    PYTHONPATH=src python bench/speed.py [--runs 3] [--n 200] [--export-n 50] [--no-lo] [--openpyxl 5]

Prints, in one run:

- ``juesuan fill|check|narrate|export --docx`` on the reference workbook from the command line
  (a fresh ``python -m juesuan.cli`` each time, as a user or the ribbon runs it): median wall
  seconds and the command's CPU seconds (the machine may be shared: wall counts waiting, CPU
  does not), against the goal of 0.5 s;
- ``juesuan batch`` on ``--n`` synthetic departments (``juesuan synth``) at ``--jobs 1``:
  workbooks per second per core, wall and CPU (goal: 50);
- ``juesuan batch --export`` on ``--export-n`` departments at ``--jobs`` = cores: PDFs per second
  per core (goal: 1), wall, and the CPU of every process (ours and LibreOffice's);
- the ratio to LibreOffice recalculating the same workbooks and to the openpyxl path
  (``bench/batch.py``'s measurements, imported, not repeated here).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import batch as batch_bench  # noqa: E402  (bench/batch.py)

from juesuan.batch.progress import Progress  # noqa: E402
from juesuan.batch.runner import run_batch  # noqa: E402
from juesuan.synth import write_synth  # noqa: E402

GOAL = 0.5  # seconds per interactive command
REFERENCE = ROOT / "src" / "juesuan" / "reference" / "nmg-2023-reference.json"


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one command (CPU: it and the processes it waited for)."""
    cpu = children_cpu()
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t, children_cpu() - cpu


def interactive(work: Path, runs: int) -> None:
    """The commands a user (or the ribbon) runs on one workbook, each a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONPYCACHEPREFIX": str(work / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed (pip compiles the bytecode): without it every
    # run would compile juesuan's modules from source again (0.1–0.3 s), whatever the commands do
    cli = [sys.executable, "-m", "juesuan.cli"]
    book = work / "reference.xlsx"
    subprocess.run([*cli, "new", "--data", str(REFERENCE), "-o", str(book)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    commands = {
        "--help": [*cli, "--help"],
        "fill": [*cli, "fill", str(book), "-o", str(work / "filled.xlsx")],
        "check": [*cli, "check", str(book)],
        "narrate": [*cli, "narrate", str(book), "-o", str(work / "narrated.xlsx")],
        "narrate (again)": [*cli, "narrate", str(work / "narrated.xlsx"), "-o", str(work / "narrated2.xlsx")],
        "export --docx": [*cli, "export", str(book), "--docx", str(work / "out.docx")],
    }
    # fill and narrate load and save the whole workbook with openpyxl when they cannot patch it
    # (juesuan.xlsx_patch): that path's figures, for the ratio
    py = [sys.executable, "-c"]
    commands["fill, openpyxl path"] = [*py, "from juesuan.fill import fill_workbook; fill_workbook("
                                       f"{str(book)!r}, {str(work / 'filled-openpyxl.xlsx')!r}, patch=False)"]
    commands["narrate, openpyxl path"] = [*py, "from pathlib import Path; from juesuan.narrate_command import "
                                          f"narrate_file; narrate_file(Path({str(book)!r}), "
                                          f"Path({str(work / 'narrated-openpyxl.xlsx')!r}), patch=False)"]
    print(f"interactive commands on the reference workbook (median of {runs}; goal < {GOAL} s):")
    for name, cmd in commands.items():
        timed(cmd, env)  # warm the file cache and __pycache__
        results = [timed(cmd, env) for _ in range(runs)]
        wall = statistics.median(r[0] for r in results)
        cpu = statistics.median(r[1] for r in results)
        mark = "ok" if wall < GOAL else "over"
        print(f"  juesuan {name:22s} wall {wall:5.2f} s   cpu {cpu:5.2f} s   ({mark} on wall, "
              f"{'ok' if cpu < GOAL else 'over'} on CPU)")


def export_batch(src: Path, out: Path, jobs: int) -> None:
    """``batch --export``: PDFs per second per core, wall and CPU (ours and LibreOffice's).

    The CPU is every process's: this one, the batch's workers and the LibreOffice workers with
    their converters (children, counted once they have exited).  On a shared machine the wall
    figure counts waiting for other work; PDFs per CPU-second is what one idle core would do."""
    from juesuan.batch.pdfpool import uno_python

    mode = "long-lived LibreOffice workers (UNO)" if uno_python() else "soffice per chunk (no UNO bridge)"
    quiet = Progress(0, out / "batch.log", stream=io.StringIO(), tty=False)
    load = os.getloadavg()[0]
    cpu0, own0 = children_cpu(), time.process_time()
    t = time.perf_counter()
    result = run_batch(src, out, jobs=jobs, force=True, progress=quiet, export=True)
    wall = time.perf_counter() - t
    cpu = (children_cpu() - cpu0) + (time.process_time() - own0)
    pdfs = sum(o.export == "ok" for o in result.outcomes)
    failed = sum(o.export == "failed" for o in result.outcomes)
    print(f"batch --export, {len(result.outcomes)} departments at --jobs {jobs}, {mode}; load average "
          f"{load:.2f} → {os.getloadavg()[0]:.2f}:")
    print(f"  {pdfs} PDFs ({failed} failed) in {wall:.1f} s wall = {pdfs / wall / jobs:.2f} PDFs/s per core on wall "
          f"(goal ≥ 1)")
    print(f"  CPU {cpu:.1f} s, all processes = {cpu / max(pdfs, 1):.2f} s per PDF = {pdfs / cpu if cpu else 0:.2f} "
          f"PDFs per CPU-second (what an unshared core does)")
    words = sum(o.cpu_seconds.get("export", 0.0) for o in result.outcomes if o.export)
    books = sum(v for o in result.outcomes for k, v in o.cpu_seconds.items() if k != "export")
    if words:
        n = max(len(result.outcomes), 1)
        print(f"  per department: Word {words / n * 1000:.0f} ms CPU, workbook {books / n * 1000:.0f} ms, "
              f"LibreOffice and process starts {(cpu - words - books) / n * 1000:.0f} ms")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=3, help="runs of each interactive command")
    p.add_argument("--n", type=int, default=200, help="synthetic departments for the batch")
    p.add_argument("--export-n", type=int, default=50, help="departments for batch --export (0: skip)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-lo", action="store_true", help="skip LibreOffice recalculating the workbooks")
    p.add_argument("--openpyxl", type=int, default=5, help="departments through the openpyxl path (0: skip)")
    args = p.parse_args()
    cores = os.cpu_count() or 1
    print(f"{cores} cores; load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="juesuan-speed-") as tmp:
        root = Path(tmp)
        (root / "ref").mkdir()
        interactive(root / "ref", args.runs)
        src = root / "in"
        write_synth(args.n, src, seed=args.seed)
        print(f"batch of {args.n} synthetic departments (seed {args.seed}), --jobs 1:")
        wall1, cpu1 = batch_bench.report(batch_bench.run(src, root / "out1", 1))
        print(f"  → {1 / wall1:.1f} workbooks/s per core on wall, {1 / cpu1:.1f} on CPU (goal ≥ 50)")
        if args.export_n:
            few = root / "in-export"
            if args.export_n > args.n:  # more departments than the batch's: made with the same seed
                write_synth(args.export_n, few, seed=args.seed)
            else:
                few.mkdir()
                for f in sorted(src.glob("*.json"))[:args.export_n]:
                    shutil.copy(f, few / f.name)
            export_batch(few, root / "out-export", cores)
        if args.openpyxl:
            (root / "openpyxl").mkdir()
            per = batch_bench.openpyxl_path(src, root / "openpyxl", args.openpyxl)
            print(f"  ratio openpyxl path (fill only) / our batch (fill + check + narrate + write): "
                  f"{per / wall1:.0f}× on wall")
        if not args.no_lo:
            batch_bench.libreoffice(root / "out1", root / "lo", wall1, cpu1)
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
