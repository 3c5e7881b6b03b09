"""Run a batch: every data file of a directory through :func:`juesuan.batch.job.process`.

Work spreads over ``jobs`` processes (default: the cores) with bounded memory:

- a ``multiprocessing`` pool with at most ``WINDOW × jobs`` tasks in flight (the parent waits for
  results before submitting more, so a directory of 10,000 files never queues 10,000 tasks);
- workers return an :class:`~juesuan.batch.job.Outcome` (a few hundred bytes), never a workbook;
- ``maxtasksperchild`` replaces a worker after ``MAX_TASKS`` departments, capping slow growth.

The template is parsed and the narrative sheet prerendered once, in the parent, before the pool
starts: forked workers inherit the ready writer (with ``spawn`` the prerendered bytes go to each
worker's initializer).  ``jobs=1`` runs in the calling process, without a pool.

One bad file never stops the batch: :func:`~juesuan.batch.job.process` turns every failure into a
``failed`` outcome with its reason.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import signal
import threading
import time
from dataclasses import dataclass, field
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

WINDOW = 4  # tasks in flight per worker
STALL = 600.0  # seconds without any result before the pool is given up as broken
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
    """The data files ``in_dir/*.json`` in name order (the batch's own files excluded)."""
    if not in_dir.is_dir():
        raise InputError("找不到数据文件目录", "the input directory does not exist", Location(file=str(in_dir)))
    own = {(out_dir / f"{SUMMARY}.json").resolve(), (out_dir / STATE_FILE).resolve()}
    return sorted(p for p in in_dir.glob("*.json") if p.is_file() and p.resolve() not in own)


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
    setup = _prepare(narrate) if todo else 0.0
    gc.freeze()  # the format and the template stay for the whole run: keep them out of every collection
    t1 = time.perf_counter()
    processed: list[Outcome] = []
    lock = threading.Lock()  # PDF workers report from their threads

    def record(o: Outcome) -> None:
        with lock:
            processed.append(o)
            state.record(o)
            progress.update(o)

    pdfs = _pdf_pool(out_dir, jobs, record, pdf_limit) if export and todo else None

    def finished(o: Outcome) -> None:
        if pdfs is not None and o.export == "docx":  # Word written: the PDF pool reports it when done
            pdfs.submit(_pdf_job(o))
        else:
            record(o)

    workers = min(jobs, len(todo))
    try:
        if workers <= 1:
            for path, key in todo:
                finished(process(*_task(path, out_dir, key, narrate, balance, export)))
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


def _pool(todo: Iterable[tuple[Path, str]], out_dir: Path, narrate: bool, workers: int,
          finished: Callable[[Outcome], None], balance: bool = False, export: bool = False) -> None:
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    prerendered = None
    if ctx.get_start_method() != "fork":
        from juesuan.batch.prerender import prerendered_template

        prerendered = {notes: prerendered_template(DEFAULT_FORMAT, narrate, notes) for notes in (False, True)
                       if narrate or notes}
    results: queue.SimpleQueue[Outcome] = queue.SimpleQueue()
    pending: dict[str, tuple[Path, str]] = {}  # input name → (path, key) of the tasks in flight

    def collect() -> bool:
        """Hand one result on; False when none came for ``STALL`` seconds (a worker died)."""
        try:
            o = results.get(timeout=STALL)
        except queue.Empty:
            return False
        pending.pop(o.name, None)
        finished(o)
        return True

    with ctx.Pool(workers, initializer=_init_worker, initargs=(narrate, prerendered),
                  maxtasksperchild=MAX_TASKS) as pool:
        for path, key in todo:
            while len(pending) >= WINDOW * workers:
                if not collect():
                    return _lost(pending, finished)
            pending[path.stem] = (path, key)
            pool.apply_async(process, _task(path, out_dir, key, narrate, balance, export), callback=results.put,
                             error_callback=lambda exc, p=path, k=key: results.put(_crashed(p, k, exc)))
        while pending:
            if not collect():
                return _lost(pending, finished)


def _lost(pending: dict[str, tuple[Path, str]], finished: Callable[[Outcome], None]) -> None:
    """A worker killed from outside (out of memory, a signal) takes its task with it and the pool
    never answers: report the tasks still in flight as failed (retried on the next run) and stop."""
    for path, key in pending.values():
        finished(Outcome(path.stem, str(path), "failed", key=key,
                         reason=f"内部错误：工作进程意外退出或 {STALL:.0f} 秒无响应 (a worker died or hung)"))


def _crashed(path: Path, key: str, exc: BaseException) -> Outcome:
    """A task the pool itself lost (the worker could not run it or send its result back)."""
    return Outcome(path.stem, str(path), "failed", reason=f"内部错误 internal error: {type(exc).__name__}: {exc}",
                   key=key)
