"""PDFs of a batch: the departments' Word documents converted by a pool of LibreOffice workers.

``juesuan batch --export`` writes each department's Word in the process that fills it and hands
the .docx to this pool.  The Python juesuan runs in usually cannot import LibreOffice's UNO bridge
(Debian's python3-uno serves only the system Python), so the pool drives ``soffice`` itself:

- one worker per core: a thread owning a private LibreOffice profile (the exporter's — always
  recalculate, Chinese font stand-ins, :func:`juesuan.export.pdf.make_document_profile`);
- a worker converts up to ``chunk`` waiting documents in one ``soffice --convert-to pdf`` call, so
  LibreOffice's start (about a second) is paid once per chunk, not per document;
- a per-document time limit: a call may take ``START + limit × documents`` seconds, past which its
  whole process group is killed;
- a call that dies or hangs (killed from outside, a crash) loses only its chunk: the worker is
  restarted with a fresh profile and each document left without a whole PDF is retried once,
  alone; one that fails again is reported failed with the reason;
- never a half-written PDF: LibreOffice writes into a hidden folder inside the output folder
  (``.juesuan-pdf-*``, same file system); a PDF is checked whole (begins ``%PDF-``, ends with
  ``%%EOF``) and only then renamed to its name with ``os.replace`` (atomic).

Example::

    pool = PdfPool(out_dir, workers=2, on_done=print)
    pool.submit(PdfJob("dept-1", docx, docx.with_suffix(".pdf")))
    pool.close()  # waits for every document; on_done(job) was called once per job
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from juesuan import lo

CHUNK = 4  # documents per soffice call
START = 60.0  # seconds allowed for LibreOffice to start, on top of the per-document limit
LIMIT = 60.0  # seconds per document


@dataclass
class PdfJob:
    name: str
    docx: Path
    pdf: Path
    tag: Any = None  # the caller's (the batch: the department's Outcome)
    error: str | None = None  # why no PDF was written (None: written)


def whole_pdf(path: Path) -> bool:
    """A complete PDF file: begins with ``%PDF-`` and its last KiB holds ``%%EOF``."""
    try:
        with open(path, "rb") as f:
            head = f.read(5)
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 1024))
            tail = f.read()
    except OSError:
        return False
    return head == b"%PDF-" and b"%%EOF" in tail


class PdfPool:
    """``workers`` LibreOffice workers converting submitted jobs; ``on_done(job)`` for each, from
    a worker thread (the caller serializes what it does there)."""

    def __init__(self, out_dir: Path, workers: int, on_done: Callable[[PdfJob], None], limit: float = LIMIT,
                 chunk: int = CHUNK, start: float = START) -> None:
        from juesuan.export.pdf import require_libreoffice

        self.soffice = require_libreoffice()
        self.on_done, self.limit, self.chunk, self.start = on_done, limit, max(1, chunk), start
        out_dir.mkdir(parents=True, exist_ok=True)
        self.stage = Path(tempfile.mkdtemp(prefix=".juesuan-pdf-", dir=out_dir))
        self.jobs: queue.Queue[PdfJob | None] = queue.Queue()
        self._procs: set[subprocess.Popen[bytes]] = set()
        self._profiles: set[Path] = set()
        self._lock = threading.Lock()
        self._aborted = False
        self.threads = [threading.Thread(target=self._work, args=(slot,), daemon=True) for slot in range(max(1, workers))]
        for t in self.threads:
            t.start()

    def submit(self, job: PdfJob) -> None:
        self.jobs.put(job)

    def close(self) -> None:
        """Wait for every submitted job, then remove the staging folder and the profiles."""
        for _ in self.threads:
            self.jobs.put(None)
        for t in self.threads:
            t.join()
        shutil.rmtree(self.stage, ignore_errors=True)
        for p in list(self._profiles):
            shutil.rmtree(p, ignore_errors=True)

    def abort(self) -> None:
        """Stop now (Ctrl-C): kill the running LibreOffice calls; jobs not done are reported failed."""
        self._aborted = True
        with self._lock:
            for proc in self._procs:
                _kill_group(proc)
        self.close()

    # ── a worker ─────────────────────────────────────────────────────────────────────────
    def _work(self, slot: int) -> None:
        profile = self._profile(slot, None)
        while True:
            job = self.jobs.get()
            if job is None:
                return
            chunk = [job]
            while len(chunk) < self.chunk:
                try:
                    more = self.jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None:  # closing: leave the stop sign for this worker's next turn
                    self.jobs.put(None)
                    break
                chunk.append(more)
            left, _ = self._convert(chunk, profile)
            for retry in left:  # the call died or hung: a fresh LibreOffice, each document once, alone
                profile = self._profile(slot, profile)
                again, reason_again = self._convert([retry], profile)
                if again:
                    retry.error = reason_again
            for j in chunk:
                self.on_done(j)

    def _profile(self, slot: int, old: Path | None) -> Path:
        from juesuan.export.pdf import make_document_profile

        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
            self._profiles.discard(old)
        root = make_document_profile(Path(tempfile.mkdtemp(prefix=f"juesuan-pdf{slot}-")))
        self._profiles.add(root)
        return root

    def _convert(self, jobs: list[PdfJob], profile: Path) -> tuple[list[PdfJob], str]:
        """One soffice call for ``jobs``; (the jobs left without a whole PDF, why)."""
        if self._aborted:
            return jobs, "已中断 interrupted"
        folder = Path(tempfile.mkdtemp(dir=self.stage))
        try:
            inputs = []
            for i, j in enumerate(jobs):  # ASCII names: LibreOffice names each output by its input's stem
                src = folder / f"d{i}.docx"
                try:
                    os.link(j.docx, src)
                except OSError:
                    shutil.copyfile(j.docx, src)
                inputs.append(str(src))
            out = folder / "out"
            cmd = [self.soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out), *inputs]
            seconds = self.start + self.limit * len(jobs)
            reason = ""
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                                    env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"})
            with self._lock:
                self._procs.add(proc)
            try:
                _, err = proc.communicate(timeout=seconds)
                if proc.returncode:
                    tail = err.decode("utf-8", "replace").strip()[-300:]
                    reason = f"LibreOffice 异常退出（退出码 {proc.returncode}）LibreOffice exited with {proc.returncode}: {tail}"
            except subprocess.TimeoutExpired:
                _kill_group(proc)
                proc.communicate()
                reason = f"LibreOffice 转换超时（{seconds:.0f} 秒）LibreOffice timed out after {seconds:.0f} s"
            finally:
                with self._lock:
                    self._procs.discard(proc)
            left = []
            for i, j in enumerate(jobs):
                made = out / f"d{i}.pdf"
                if whole_pdf(made):
                    os.replace(made, j.pdf)
                    j.error = None
                else:
                    left.append(j)
            return left, reason or "PDF 未生成或不完整 (no whole PDF was written)"
        except OSError as exc:
            return jobs, f"无法转换 cannot convert: {exc}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill ``proc`` and what it started (oosplash starts soffice.bin in its process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
