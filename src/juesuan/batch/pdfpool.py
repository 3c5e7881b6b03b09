"""PDFs of a batch: the departments' Word documents converted by a pool of LibreOffice workers.

``juesuan batch --export`` writes each department's Word in the process that fills it and hands
the .docx to this pool: one worker per core, a thread owning a private LibreOffice profile (the
exporter's — always recalculate, Chinese font stand-ins,
:func:`juesuan.export.pdf.make_document_profile`), kept in the output folder's hidden staging
folder ``.juesuan-pdf-*``.

Long-lived LibreOffice (when its UNO bridge can be used): each worker starts one LibreOffice
listening on a private pipe (``soffice --accept=pipe,name=…``) and one small converter process
(:mod:`juesuan.batch.uno_convert`) run by a Python that has the bridge — Debian's
``/usr/bin/python3`` with ``python3-uno`` (the Python juesuan runs in usually has none); the
converter loads each .docx and stores it as PDF, so LibreOffice starts once per worker instead of
once per few documents.  A conversion has ``limit`` seconds; one that does not answer in time, or
whose LibreOffice died (killed from outside, a crash), gets both processes killed, a fresh
LibreOffice (new profile) and the document retried once; failing again it is reported failed
with the reason.

Without the bridge (no python3-uno; said once on stderr) the pool falls back to
``soffice --convert-to pdf`` calls of up to ``chunk`` documents each, so LibreOffice's start is
paid once per chunk; a call may take ``START + limit × documents`` seconds, past which its whole
process group is killed, and a call that dies or hangs loses only its chunk: each document left
without a whole PDF is retried once, alone, in a fresh LibreOffice.

Never a half-written PDF, either way: LibreOffice writes into the staging folder (same file
system); a PDF is checked whole (begins ``%PDF-``, ends with ``%%EOF``) and only then renamed to
its name with ``os.replace`` (atomic).

Example::

    pool = PdfPool(out_dir, workers=2, on_done=print)
    pool.submit(PdfJob("dept-1", docx, docx.with_suffix(".pdf")))
    pool.close()  # waits for every document; on_done(job) was called once per job
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Callable

CHUNK = 4  # documents per soffice call (the fallback without UNO)
START = 60.0  # seconds allowed for LibreOffice to start, on top of the per-document limit
LIMIT = 60.0  # seconds per document
CONVERTER = Path(__file__).with_name("uno_convert.py")
# A Python that may have LibreOffice's UNO bridge: Debian's (python3-uno); LibreOffice's own is looked for too.
UNO_PYTHONS = ("/usr/bin/python3",)
# A faster memory allocator for LibreOffice, when installed (Debian: libjemalloc2): LibreOffice's
# document import and layout are allocation-bound (glibc's malloc is a sixth of its profile);
# preloaded, a conversion takes about 15 % less CPU.  JUESUAN_LO_MALLOC names another library, "" none.
ALLOCATORS = ("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
              "/usr/lib64/libjemalloc.so.2", "/usr/lib/libjemalloc.so.2")
FALLBACK_NOTE = ("提示 note: 找不到 LibreOffice 的 Python UNO 桥（Debian/Ubuntu：apt install python3-uno），PDF 改为"
                 "每 {chunk} 份文档启动一次 soffice 转换（较慢）(no Python with LibreOffice's UNO bridge: converting "
                 "with one soffice call per {chunk} documents, slower)")


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


@lru_cache(maxsize=None)
def uno_python(soffice: str | None = None) -> str | None:
    """A Python that can import LibreOffice's UNO bridge (``JUESUAN_UNO_PYTHON`` overrides; ""
    turns the bridge off), or None: this one, the system's, or the one LibreOffice ships beside
    ``soffice`` (Windows, LibreOffice's own Linux packages)."""
    override = os.environ.get("JUESUAN_UNO_PYTHON")
    bundled = []
    if soffice:
        program = Path(soffice).resolve().parent
        bundled = [str(program / "python.exe"), str(program / "python")]
    candidates = [override] if override is not None else [sys.executable, *UNO_PYTHONS, *bundled]
    for exe in candidates:
        if not exe or not Path(exe).exists():
            continue
        try:
            probe = subprocess.run([exe, "-I", "-c", "import uno, pyuno"], capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return exe
    return None


def office_environment() -> dict[str, str]:
    """The environment LibreOffice runs in: no display, and the faster allocator when there is one."""
    env = {**os.environ, "SAL_USE_VCLPLUGIN": "svp"}
    chosen = os.environ.get("JUESUAN_LO_MALLOC")
    found = [chosen] if chosen is not None else [a for a in ALLOCATORS if os.path.exists(a)][:1]
    if found and found[0] and sys.platform.startswith("linux"):
        env["LD_PRELOAD"] = " ".join(filter(None, [found[0], os.environ.get("LD_PRELOAD", "")]))
    return env


class Office:
    """One long-lived LibreOffice listening on a pipe, and the converter process driving it."""

    def __init__(self, soffice: str, python: str, profile: Path, pipe: str, start: float) -> None:
        env = office_environment()
        self.log = profile / "converter.log"
        self.office = subprocess.Popen(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--norestore",
             "--nologo", "--nodefault", "--nolockcheck", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            env=env)
        try:
            with open(self.log, "wb") as log:
                self.bridge = subprocess.Popen([python, "-I", str(CONVERTER), pipe, str(start)], stdin=subprocess.PIPE,
                                               stdout=subprocess.PIPE, stderr=log, start_new_session=True,
                                               text=True, encoding="utf-8")
        except BaseException:  # no converter: the LibreOffice just started must not outlive this
            _kill_group(self.office)
            self.office.wait(timeout=10)
            raise
        self.answers: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=self._read, args=(self.bridge.stdout,), daemon=True).start()
        ready = self._answer(start)
        if not ready.get("ready"):
            self.kill()
            raise OSError(ready.get("error") or "LibreOffice did not start")

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            try:
                self.answers.put(json.loads(line))
            except ValueError:
                continue
        self.answers.put(None)  # the converter is gone

    def _answer(self, seconds: float) -> dict[str, Any]:
        try:
            answer = self.answers.get(timeout=seconds)
        except queue.Empty:
            return {"error": f"LibreOffice 转换超时（{seconds:.0f} 秒）LibreOffice timed out after {seconds:.0f} s",
                    "timeout": True}
        if answer is None:
            return {"error": "LibreOffice 转换进程意外退出 (the LibreOffice converter died)" + self._log_tail()}
        return answer

    def _log_tail(self) -> str:
        try:
            tail = self.log.read_text(encoding="utf-8", errors="replace").strip()[-300:]
        except OSError:
            return ""
        return f": {tail}" if tail else ""

    def convert(self, docx: Path, pdf: Path, seconds: float) -> str | None:
        """Convert ``docx`` into ``pdf``; None, or why not (then this Office must be killed)."""
        try:
            assert self.bridge.stdin is not None
            self.bridge.stdin.write(json.dumps({"docx": str(docx), "pdf": str(pdf)}, ensure_ascii=False) + "\n")
            self.bridge.stdin.flush()
        except (OSError, ValueError):
            return "LibreOffice 转换进程意外退出 (the LibreOffice converter died)" + self._log_tail()
        answer = self._answer(seconds)
        if answer.get("ok"):
            return None
        if self.office.poll() is not None:
            return f"LibreOffice 异常退出（退出码 {self.office.returncode}）LibreOffice exited with {self.office.returncode}"
        return str(answer.get("error"))

    def alive(self) -> bool:
        return self.office.poll() is None and self.bridge.poll() is None

    def stop(self) -> None:
        """End the converter (end of its input: it asks LibreOffice to quit) and LibreOffice, waiting
        for both (so their CPU time is counted as this process's children's); killed if they linger."""
        try:
            assert self.bridge.stdin is not None
            self.bridge.stdin.close()
            self.bridge.wait(timeout=10)
            self.office.wait(timeout=10)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass
        self.kill()

    def kill(self) -> None:
        for proc in (self.bridge, self.office):
            _kill_group(proc)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass


class PdfPool:
    """``workers`` LibreOffice workers converting submitted jobs; ``on_done(job)`` for each, from
    a worker thread (the caller serializes what it does there).  ``uno``: True/False forces the
    long-lived LibreOffice or the soffice-per-chunk way; None uses the first when it can."""

    def __init__(self, out_dir: Path, workers: int, on_done: Callable[[PdfJob], None], limit: float = LIMIT,
                 chunk: int = CHUNK, start: float = START, uno: bool | None = None) -> None:
        from juesuan.export.pdf import require_libreoffice

        self.soffice = require_libreoffice()
        self.on_done, self.limit, self.chunk, self.start = on_done, limit, max(1, chunk), start
        self.python = uno_python(self.soffice) if uno is not False else None
        if uno and self.python is None:
            raise OSError("no Python with LibreOffice's UNO bridge (python3-uno)")
        if self.python is None and uno is None:
            print(FALLBACK_NOTE.format(chunk=self.chunk), file=sys.stderr)
        out_dir.mkdir(parents=True, exist_ok=True)
        # absolute: LibreOffice's profile is given as a file URI (a relative -o must work too)
        self.stage = Path(tempfile.mkdtemp(prefix=".juesuan-pdf-", dir=out_dir)).resolve()
        self.jobs: queue.Queue[PdfJob | None] = queue.Queue()
        self._procs: set[subprocess.Popen[bytes]] = set()
        self._offices: set[Office] = set()
        self._profiles: set[Path] = set()
        self._lock = threading.Lock()
        self._aborted = False
        self._started = 0
        work = self._work_uno if self.python else self._work
        self.threads = [threading.Thread(target=work, args=(slot,), daemon=True) for slot in range(max(1, workers))]
        for t in self.threads:
            t.start()

    @property
    def long_lived(self) -> bool:
        """Whether the workers are long-lived LibreOffice instances (else one soffice call per chunk)."""
        return self.python is not None

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
            offices = list(self._offices)
        for office in offices:
            office.kill()
        self.close()

    # ── a long-lived worker ──────────────────────────────────────────────────────────────
    def _work_uno(self, slot: int) -> None:
        office: Office | None = None
        try:
            try:  # started at once: LibreOffice boots while the first documents are being written
                office = self._office(slot)
            except Exception:  # noqa: BLE001 — tried again, and reported, with the first document
                office = None
            while True:
                job = self.jobs.get()
                if job is None:
                    return
                reason = None
                for _ in range(2):  # a LibreOffice that died or hung: a fresh one, the document once more
                    if self._aborted:
                        reason = "已中断 interrupted"
                        break
                    if office is not None and not office.alive():
                        self._drop(office)
                        office = None
                    if office is None:
                        try:
                            office = self._office(slot)
                        except Exception as exc:  # noqa: BLE001 — the job fails, the worker lives on
                            reason = f"LibreOffice 无法启动 cannot start LibreOffice: {type(exc).__name__}: {exc}"
                            continue
                    if self._aborted:  # Ctrl-C while this LibreOffice was starting
                        reason = "已中断 interrupted"
                        break
                    reason = self._convert_one(office, job)
                    if reason is None:
                        break
                    self._drop(office)
                    office = None
                job.error = reason
                self.on_done(job)
        finally:
            if office is not None:
                office.stop()  # it ends by killing whatever lingers
                with self._lock:
                    self._offices.discard(office)

    def _office(self, slot: int) -> Office:
        from juesuan.export.pdf import make_document_profile

        with self._lock:
            self._started += 1
            n = self._started
        root = make_document_profile(self.stage / f"profile-{slot}-{n}")  # removed with the stage
        office = Office(self.soffice, self.python or "", root, f"juesuan-{os.getpid()}-{slot}-{n}", self.start)
        with self._lock:
            self._offices.add(office)
        return office

    def _drop(self, office: Office) -> None:
        office.kill()
        with self._lock:
            self._offices.discard(office)

    def _convert_one(self, office: Office, job: PdfJob) -> str | None:
        """One document through ``office``; None when its whole PDF took its name, else why not.

        Each try has a folder of its own: a LibreOffice killed while writing leaves lock files
        (``.~lock.d.pdf#``) that make the next one refuse to write there."""
        folder = Path(tempfile.mkdtemp(dir=self.stage, prefix="c"))
        try:
            src, made = folder / "d.docx", folder / "d.pdf"  # ASCII names (the job's may be anything)
            try:
                os.link(job.docx, src)
            except OSError:
                shutil.copyfile(job.docx, src)
            reason = office.convert(src, made, self.limit)
            if reason is None and whole_pdf(made):
                os.replace(made, job.pdf)
                return None
            return reason or "PDF 未生成或不完整 (no whole PDF was written)"
        except OSError as exc:
            return f"无法转换 cannot convert: {exc}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    # ── a worker calling soffice per chunk (no UNO bridge) ───────────────────────────────
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
                                    env=office_environment())
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


def _kill_group(proc: subprocess.Popen[Any]) -> None:
    """Kill ``proc`` and what it started (oosplash starts soffice.bin in its process group;
    Windows has no process groups: the process itself)."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass
