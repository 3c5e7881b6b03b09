"""Run a batch: every data file of a directory through :func:`juesuan.batch.job.process`.

Work spreads over ``jobs`` processes (default: the cores) with bounded memory:

- ``jobs`` worker processes with one task each in flight (a directory of 10,000 files never
  queues 10,000 tasks); a worker that dies is seen at once through its process sentinel, its one
  department reported failed, and a new worker started (see :func:`_pool`);
- workers return an :class:`~juesuan.batch.job.Outcome` (a few hundred bytes), never a workbook;
- a worker is replaced after ``MAX_TASKS`` departments, capping slow growth.

The template is parsed and the narrative sheet prerendered once, in the parent, before the pool
starts: forked workers inherit the ready writer (with ``spawn`` the prerendered bytes go to each
worker's initializer).  ``jobs=1`` runs in the calling process, without a pool.

One bad file never stops the batch: :func:`~juesuan.batch.job.process` turns every failure into a
``failed`` outcome with its reason, and a worker killed on one file loses only that file.  Each
outcome is recorded in the state as it arrives (:mod:`juesuan.batch.state`), so a batch killed
itself loses no finished department.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.process
import os
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from juesuan.batch.job import Outcome, process
from juesuan.batch.progress import Progress
from juesuan.batch.state import STATE_FILE, State, input_key
from juesuan.batch.summary import SUMMARY, write_summary
from juesuan.errors import InputError, Location
from juesuan.formats import DEFAULT_FORMAT

if TYPE_CHECKING:
    from juesuan.batch.pdfpool import PdfJob, PdfPool

STALL = 600.0  # seconds one department may take before its worker is killed and it is reported failed
MAX_TASKS = 100  # departments per worker process before it is replaced
LOG_FILE = "batch.log"


@dataclass
class BatchResult:
    outcomes: list[Outcome]
    seconds: float  # wall time of the whole batch
    setup_seconds: float = 0.0  # template parsed and narrative prerendered, in the parent
    work_seconds: float = 0.0  # wall time of the departments processed (setup and summary excluded)
    jobs: int = 1
    summary_json: Path | None = None
    summary_xlsx: Path | None = None
    processed: list[Outcome] = field(default_factory=list)  # those not skipped

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def skipped(self) -> int:
        return sum(1 for o in self.outcomes if o.skipped)


def find_inputs(in_dir: Path, out_dir: Path) -> list[Path]:
    """The data files ``in_dir/*.json`` in name order (the batch's own files and ``~$`` owner
    files excluded)."""
    if not in_dir.is_dir():
        raise InputError("找不到数据文件目录", "the input directory does not exist", Location(file=str(in_dir)))
    own = {(out_dir / f"{SUMMARY}.json").resolve(), (out_dir / STATE_FILE).resolve()}
    return sorted(p for p in in_dir.glob("*.json")
                  if p.is_file() and p.resolve() not in own and not p.name.startswith("~$"))


def run_batch(in_dir: str | Path, out_dir: str | Path, jobs: int | None = None, force: bool = False,
              narrate: bool = True, progress: Progress | None = None, balance: bool = False,
              export: bool = False, pdf_limit: float | None = None) -> BatchResult:
    """Fill, check and narrate every data file of ``in_dir`` into ``out_dir``; write the summary.

    ``balance``: print balanced figures (舍位平衡) for every department, as a data file whose
    notes say ``"舍位平衡": true`` asks for itself.  ``export``: each department's Word and PDF too
    (``<name>_决算公开.docx/.pdf``), the PDFs by a pool of ``jobs`` LibreOffice workers
    (:mod:`juesuan.batch.pdfpool`) with ``pdf_limit`` seconds per document; a department is
    reported when its PDF is done."""
    t0 = time.perf_counter()
    in_dir, out_dir = Path(in_dir), Path(out_dir)
    inputs = find_inputs(in_dir, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = max(1, jobs or os.cpu_count() or 1)
    progress = progress or Progress(len(inputs), out_dir / LOG_FILE)
    state = State.load(out_dir)
    outcomes: list[Outcome] = []
    todo: list[tuple[Path, str]] = []
    for path in inputs:
        outcome, key = _precheck(path, narrate, balance, export)
        reused = None if force or outcome is not None else state.reusable(path.stem, key)
        if outcome is None and reused is None:
            todo.append((path, key))
            continue
        done = outcome or reused
        assert done is not None
        done.skipped = outcome is None
        outcomes.append(done)
        progress.update(done)
        if outcome is not None:
            state.record(outcome)
    processed: list[Outcome] = []
    lock = threading.Lock()  # PDF workers report from their threads

    def record(o: Outcome) -> None:
        with lock:
            processed.append(o)
            state.record(o)
            progress.update(o)

    # the PDF workers first: their LibreOffice instances start while the template is prepared
    pdfs = _pdf_pool(out_dir, jobs, record, pdf_limit) if export and todo else None
    try:
        setup = _prepare(narrate) if todo else 0.0
    except BaseException:  # a broken template, Ctrl-C: the LibreOffice instances starting must not outlive this
        if pdfs is not None:
            pdfs.abort()
        raise
    gc.freeze()  # the format and the template stay for the whole run: keep them out of every collection
    t1 = time.perf_counter()

    def finished(o: Outcome) -> None:
        if pdfs is not None and o.export == "docx":  # Word written: the PDF pool reports it when done
            pdfs.submit(_pdf_job(o))
        else:
            record(o)

    workers = min(jobs, len(todo))
    try:
        if workers <= 1:  # in this process: its collector's settings are put back afterwards
            threshold = gc.get_threshold()
            try:
                for i, (path, key) in enumerate(todo):
                    finished(_run_one(_task(path, out_dir, key, narrate, balance, export), first=i == 0))
            finally:
                gc.set_threshold(*threshold)
        else:
            _pool(todo, out_dir, narrate, workers, finished, balance, export)
        if pdfs is not None:
            pdfs.close()
    except BaseException:
        if pdfs is not None:
            pdfs.abort()
        raise
    finally:  # interrupted (Ctrl-C) or not, what is done stays done for the next run
        state.keep_only({p.stem for p in inputs})
        state.save()
    work = time.perf_counter() - t1
    outcomes += processed
    seconds = time.perf_counter() - t0
    json_path, xlsx_path = write_summary(out_dir, outcomes, seconds, jobs)
    progress.close()
    return BatchResult(outcomes, time.perf_counter() - t0, setup, work, jobs, json_path, xlsx_path, processed)


# Garbage collection in a batch: a department leaves behind little but the caches it filled (compiled
# rows, audit memos, formulas), and the collector would otherwise walk them again and again.  After a
# process's first department everything alive is frozen (gc.freeze: never traversed again), and young
# collections wait for 10,000 new objects instead of 700: the collector's share of a workbook drops
# from about 5 ms to 2.5 ms.  Garbage in cycles is still collected.
GC_THRESHOLD = (10_000, 20, 100)


def _run_one(task: tuple, first: bool) -> Outcome:
    """:func:`process` one task; after a process's first, freeze what it keeps and collect less often."""
    outcome = process(*task)
    if first:
        gc.collect()
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLD)
    return outcome


def _precheck(path: Path, narrate: bool, balance: bool = False, export: bool = False) -> tuple[Outcome | None, str]:
    """(an outcome decided without processing, or None; the input's key)."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        return Outcome(path.stem, str(path), "failed", reason=f"无法读取文件 cannot read the file: {exc}"), ""
    key = input_key(content, narrate, balance, export)
    if path.stem == SUMMARY:
        reason = (f"文件名「{path.name}」与汇总文件 {SUMMARY}.xlsx 冲突，请改名 "
                  f"(the name collides with the batch summary; rename the file)")
        return Outcome(path.stem, str(path), "failed", reason=reason, input_error=True, key=key), key
    return None, key


def _task(path: Path, out_dir: Path, key: str, narrate: bool, balance: bool, export: bool) -> tuple:
    """The arguments of :func:`process` (``export`` only when asked for)."""
    return (path, out_dir, key, narrate, balance) + ((True,) if export else ())


def _pdf_pool(out_dir: Path, workers: int, record: Callable[[Outcome], None], limit: float | None) -> "PdfPool":
    """The LibreOffice workers of ``--export``: each finished PDF completes its department's outcome."""
    from juesuan.batch.pdfpool import LIMIT, PdfJob, PdfPool

    def done(job: PdfJob) -> None:
        o: Outcome = job.tag
        if job.error:
            o.export, o.export_reason = "failed", job.error
        else:
            o.export, o.pdf = "ok", str(job.pdf)
        record(o)

    return PdfPool(out_dir, workers, done, limit=LIMIT if limit is None else limit)


def _pdf_job(o: Outcome) -> "PdfJob":
    from juesuan.batch.pdfpool import PdfJob

    assert o.docx is not None
    docx = Path(o.docx)
    return PdfJob(o.name, docx, docx.with_suffix(".pdf"), tag=o)


def _prepare(narrate: bool) -> float:
    """Parse the template and prerender the optional sheets here, once, before any worker starts.

    Both writers: for books without notes and with (synthetic and real data files often have
    notes, which add the hidden 数据文件说明 sheet)."""
    from juesuan.batch.fastxlsx import writer

    t = time.perf_counter()
    for notes in (False, True):
        writer(DEFAULT_FORMAT, narrate, notes)
    return time.perf_counter() - t


def _init_worker(narrate: bool, prerendered: dict[bool, bytes] | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    from juesuan.batch.fastxlsx import writer

    for notes in (False, True):  # inherited under fork: no work
        writer(DEFAULT_FORMAT, narrate, notes, prerendered=(prerendered or {}).get(notes))
    gc.freeze()


@dataclass
class _Worker:
    """One worker process, its end of a pipe, and the task it is running (None when idle)."""

    proc: multiprocessing.process.BaseProcess
    conn: Connection
    task: tuple[Path, str] | None = None
    started: float = 0.0
    done: int = 0


def _serve(conn: Connection, narrate: bool, prerendered: dict[bool, bytes] | None) -> None:
    """A worker: take the arguments of :func:`process` from the pipe, send the Outcome back, until
    told to stop."""
    _init_worker(narrate, prerendered)
    first = True
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(_run_one(task, first))
        first = False


def _pool(todo: Iterable[tuple[Path, str]], out_dir: Path, narrate: bool, workers: int,
          finished: Callable[[Outcome], None], balance: bool = False, export: bool = False) -> None:
    """Run ``todo`` on ``workers`` processes, one task each at a time.

    The parent waits on every worker's pipe and on its process sentinel at once, so a worker that
    dies (the OOM killer, a signal, a crash in a library) is seen the moment it exits: its one
    department is reported failed (and retried by the next run), a new worker takes its place
    and the others go on.  A task running longer than ``STALL`` seconds is killed the same way.
    """
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    prerendered = None
    if ctx.get_start_method() != "fork":
        from juesuan.batch.prerender import prerendered_template

        prerendered = {notes: prerendered_template(DEFAULT_FORMAT, narrate, notes) for notes in (False, True)
                       if narrate or notes}
    tasks = deque(todo)
    live: list[_Worker] = []

    def start() -> _Worker:
        mine, theirs = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(theirs, narrate, prerendered), daemon=True)
        proc.start()
        theirs.close()
        return _Worker(proc, mine)

    def give(w: _Worker) -> bool:
        """Send ``w`` the next task; False (and ``w`` stopped) when there is none."""
        if not tasks:
            _stop(w)
            return False
        task = tasks.popleft()
        w.task, w.started = task, time.monotonic()
        try:
            w.conn.send(_task(task[0], out_dir, task[1], narrate, balance, export))
        except OSError:  # it died before it could take the task: seen as dead below
            pass
        live.append(w)
        return True

    try:
        for _ in range(min(workers, len(tasks))):
            give(start())
        while live:
            deadline = min(w.started for w in live) + STALL
            ready = set(wait([w.conn for w in live] + [w.proc.sentinel for w in live],
                             timeout=max(0.0, deadline - time.monotonic())))
            for w in list(live):
                outcome = _result(w) if w.conn in ready else None
                if outcome is not None:
                    live.remove(w)
                    w.task, w.done = None, w.done + 1
                    finished(outcome)
                    if w.done >= MAX_TASKS:  # replaced now and then: caps slow growth of a process
                        _stop(w)
                        w = start()
                    give(w)
                elif w.conn in ready or w.proc.sentinel in ready or time.monotonic() - w.started > STALL:
                    live.remove(w)
                    finished(_lost(w))
                    if tasks:
                        give(start())
    finally:  # interrupted (Ctrl-C) or failing: no worker outlives the batch
        for w in live:
            _stop(w, at_once=True)


def _result(w: _Worker) -> Outcome | None:
    try:
        return w.conn.recv()
    except (EOFError, OSError):  # the pipe closed: the worker is gone
        return None


def _stop(w: _Worker, at_once: bool = False) -> None:
    if not at_once:
        try:
            w.conn.send(None)
        except OSError:
            pass
        w.proc.join(timeout=5)
    if w.proc.is_alive():
        w.proc.kill()
        w.proc.join()
    w.conn.close()


def _lost(w: _Worker) -> Outcome:
    """The department of a worker that died (or hung past ``STALL``): failed, and retried next run."""
    if w.proc.is_alive():  # hung
        w.proc.kill()
    w.proc.join()
    w.conn.close()
    code = w.proc.exitcode
    how = (f"被信号 {-code} 终止（可能内存不足）killed by signal {-code} (out of memory?)" if code and code < 0
           else f"以状态 {code} 退出 exited with status {code}" if code is not None
           else f"{STALL:.0f} 秒无响应 hung for {STALL:.0f} s")
    assert w.task is not None
    path, key = w.task
    return Outcome(path.stem, str(path), "failed", key=key,
                   reason=f"内部错误：工作进程意外退出，{how}（下次运行会重试）(a worker died; retried next run)")
