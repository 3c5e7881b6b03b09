"""``juesuan batch --export``: Word and PDF per department through the pool of LibreOffice workers.

The promise that matters: a long-lived LibreOffice worker killed mid-batch costs nothing — the batch
finishes, every PDF is whole (pdftotext reads it), the summary says every department was exported.
A LibreOffice that hangs (stopped) is killed at the time limit and the document converted by a
fresh one.  And the fallback without the UNO bridge (one soffice call per chunk), with stand-in
``soffice`` programs: a hung call is killed at the time limit and reported failed; a half-written
PDF never takes the document's name.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from juesuan.batch.pdfpool import PdfJob, PdfPool, uno_python, whole_pdf
from juesuan.export import page
from juesuan.export.package import WordDocument
from juesuan.export.wordxml import paragraph
from juesuan.synth import write_synth
from pages_support import check_pages, pdf_pages

N = 4


def office_pids(marker: str) -> list[int]:
    """LibreOffice processes (soffice.bin) whose command line mentions ``marker``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if "soffice.bin" in cmd and marker in cmd:
            pids.append(int(entry.name))
    return pids


def small_docx(path: Path, text: str) -> Path:
    """A small real Word document: one paragraph saying ``text``."""
    doc = WordDocument()
    doc.body.append(paragraph(None, text))
    doc.body.append(page.Section().xml(last=True))
    doc.save(path)
    return path


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def uno_bridge() -> None:
    if uno_python() is None:
        pytest.fail("a Python with LibreOffice's UNO bridge is needed for this test (make system-packages: python3-uno)")


def test_a_libreoffice_worker_killed_mid_batch_costs_no_pdf_and_the_summary_is_right(
        tmp_path: Path, lo: ModuleType, uno_bridge: None) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_synth(N, src, seed=5)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    batch = subprocess.Popen([sys.executable, "-m", "juesuan.cli", "batch", str(src), "-o", str(out), "--export",
                              "--jobs", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 300
    while killed is None and batch.poll() is None and time.monotonic() < deadline:
        pids = office_pids(str(out / ".juesuan-pdf-"))
        if pids and 0 < len(list(out.glob("*.pdf"))) < N:  # a worker that has converted, killed while more are due
            try:
                os.kill(pids[0], signal.SIGKILL)
                killed = pids[0]
            except ProcessLookupError:
                continue
        time.sleep(0.05)
    stdout, stderr = batch.communicate(timeout=600)
    assert killed is not None, "no LibreOffice worker was seen to kill"
    assert batch.returncode == 0, stdout + stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["summary"]["exported"] == N and summary["summary"]["export_failed"] == 0
    for d in summary["departments"]:
        assert d["export"] == "ok" and d["status"] == "ok"
        pdf = Path(d["pdf"])
        assert pdf.name == f"{d['name']}_决算公开.pdf" and Path(d["docx"]).exists()
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert d["department"] in text  # the whole document: its first page names the department
        assert "收入支出决算总表" in text
    assert not list(out.glob(".juesuan-pdf-*"))  # the staging folder is gone
    assert f"Word + PDF {N}" in stdout and "已导出 Word/PDF" in stderr  # progress and the totals shown
    assert "UNO" not in stderr  # the long-lived workers, not the fallback


def test_a_batch_pdf_has_a_paged_contents_from_its_one_conversion(tmp_path: Path, lo: ModuleType,
                                                                 uno_bridge: None) -> None:
    """The batch converts each document once (no first layout to read the pages from): the 目录's
    PAGEREF fields to the headings' bookmarks are numbered by LibreOffice as it lays the pages out."""
    import io

    from juesuan.batch.progress import Progress
    from juesuan.batch.runner import run_batch

    write_synth(1, tmp_path / "in", seed=11)
    quiet = Progress(0, tmp_path / "batch.log", stream=io.StringIO(), tty=False)
    (outcome,) = run_batch(tmp_path / "in", tmp_path / "out", jobs=1, force=True, export=True,
                           progress=quiet).outcomes
    with zipfile.ZipFile(outcome.docx) as z:
        docx_xml = z.read("word/document.xml").decode("utf-8")
    assert docx_xml.count("PAGEREF _JsToc") == docx_xml.count('w:name="_JsToc') >= 20  # a field per heading
    check_pages(pdf_pages(Path(outcome.pdf)))


def test_a_hung_long_lived_libreoffice_is_replaced_at_the_time_limit_and_the_document_converted(
        tmp_path: Path, lo: ModuleType, uno_bridge: None) -> None:
    out = tmp_path / "out"
    out.mkdir()
    docs = [small_docx(out / f"{name}.docx", f"文档 {name}") for name in ("a", "b")]
    done: list[PdfJob] = []
    pool = PdfPool(out, 1, done.append, limit=5, uno=True)
    pool.submit(PdfJob("a", docs[0], out / "a.pdf"))
    while not done:
        time.sleep(0.05)
    (hung,) = office_pids(str(pool.stage))
    os.kill(hung, signal.SIGSTOP)  # LibreOffice stops answering, as a hung one does
    t = time.monotonic()
    pool.submit(PdfJob("b", docs[1], out / "b.pdf"))
    pool.close()
    assert time.monotonic() - t >= 5  # waited for the limit, then a fresh LibreOffice converted it
    assert [j.error for j in done] == [None, None]
    assert not Path(f"/proc/{hung}").exists() or "Z" in Path(f"/proc/{hung}/stat").read_text().split()[2]
    for name in ("a", "b"):
        assert f"文档 {name}" in pdf_text(out / f"{name}.pdf")
    assert not list(out.glob(".juesuan-pdf-*"))


def test_a_relative_output_folder_converts_like_an_absolute_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lo: ModuleType, uno_bridge: None) -> None:
    monkeypatch.chdir(tmp_path)  # `juesuan batch in -o out --export`: LibreOffice needs its profile as a file URI
    out = Path("out")
    out.mkdir()
    small_docx(out / "a.docx", "相对路径")
    done: list[PdfJob] = []
    pool = PdfPool(out, 1, done.append, limit=60, uno=True)
    pool.submit(PdfJob("a", out / "a.docx", out / "a.pdf"))
    pool.close()
    assert [j.error for j in done] == [None]
    assert "相对路径" in pdf_text(tmp_path / "out" / "a.pdf")


def test_the_long_lived_libreoffice_runs_on_jemalloc_and_a_document_still_converts(
        tmp_path: Path, lo: ModuleType, uno_bridge: None) -> None:
    from juesuan.batch.pdfpool import ALLOCATORS

    assert any(Path(a).exists() for a in ALLOCATORS), "libjemalloc2 is needed (make system-packages)"
    small_docx(tmp_path / "a.docx", "分配器")
    done: list[PdfJob] = []
    pool = PdfPool(tmp_path, 1, done.append, limit=60, uno=True)
    pool.submit(PdfJob("a", tmp_path / "a.docx", tmp_path / "a.pdf"))
    while not done:
        time.sleep(0.05)
    (office,) = office_pids(str(pool.stage))
    maps = Path(f"/proc/{office}/maps").read_text()
    pool.close()
    assert "libjemalloc" in maps
    assert [j.error for j in done] == [None]
    assert "分配器" in pdf_text(tmp_path / "a.pdf")


def fake_soffice(tmp_path: Path, body: str) -> str:
    """A stand-in ``soffice``: a shell script doing ``body`` (``$OUT``: the --outdir)."""
    script = tmp_path / "soffice"
    script.write_text('#!/bin/sh\nwhile [ "$1" != "--outdir" ]; do shift; done; OUT="$2"; mkdir -p "$OUT"\n'
                      + body + "\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def run_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, limit: float,
             uno: bool | None = False) -> tuple[PdfJob, Path]:
    monkeypatch.setenv("JUESUAN_SOFFICE", fake_soffice(tmp_path, body))
    out = tmp_path / "out"
    out.mkdir()
    docx = out / "a.docx"
    docx.write_bytes(b"PK not really a document")
    done: list[PdfJob] = []
    pool = PdfPool(out, 1, done.append, limit=limit, start=0.5, uno=uno)  # False: the soffice-per-chunk fallback
    pool.submit(PdfJob("a", docx, out / "a.pdf"))
    pool.close()
    assert len(done) == 1
    return done[0], out


def test_a_hung_libreoffice_is_killed_at_the_time_limit_and_the_document_reported_failed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pidfile = tmp_path / "pids"
    t = time.monotonic()
    job, out = run_pool(tmp_path, monkeypatch, f'sleep 300 & echo $! >> {pidfile}; wait', limit=0.5)
    assert time.monotonic() - t < 30  # two tries of 1 s each, not 300 s
    assert job.error is not None and "超时" in job.error and "timed out" in job.error
    assert not (out / "a.pdf").exists() and not list(out.glob(".juesuan-pdf-*"))
    pids = [int(p) for p in pidfile.read_text().split()]
    assert len(pids) == 2  # tried, then retried once in a fresh LibreOffice
    for pid in pids:  # the hung program's children were killed with it
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


def test_a_half_written_pdf_never_takes_the_documents_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    job, out = run_pool(tmp_path, monkeypatch, 'printf "%%PDF-1.7\\n1 0 obj" > "$OUT/d0.pdf"; exit 0', limit=5)
    assert job.error is not None and "PDF" in job.error
    assert not (out / "a.pdf").exists()


def test_without_the_uno_bridge_the_pool_says_so_and_converts_with_soffice_per_chunk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("JUESUAN_UNO_PYTHON", "")  # no Python with the bridge
    uno_python.cache_clear()
    try:
        job, out = run_pool(tmp_path, monkeypatch, 'printf "%%PDF-1.7\\n%%%%EOF\\n" > "$OUT/d0.pdf"', limit=5, uno=None)
    finally:
        uno_python.cache_clear()
    assert job.error is None and whole_pdf(out / "a.pdf")
    assert "python3-uno" in capsys.readouterr().err


def test_a_whole_pdf_ends_with_eof_just_inside_the_last_kib(tmp_path: Path) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + b"x" * 5000 + b"%%EOF" + b"\n" * 1019)  # %%EOF starts 1024 bytes from the end
    assert whole_pdf(pdf)
    pdf.write_bytes(b"%PDF-1.7\n" + b"x" * 5000 + b"%%EOF" + b"\n" * 1020)  # one byte further: cut off
    assert not whole_pdf(pdf)
    pdf.write_bytes(b"%PDX-1.7\n%%EOF")
    assert not whole_pdf(pdf)


def test_a_failure_while_the_template_is_prepared_leaves_no_libreoffice_behind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lo: ModuleType, uno_bridge: None) -> None:
    import io

    from juesuan.batch import runner
    from juesuan.batch.progress import Progress

    write_synth(1, tmp_path / "in", seed=5)

    def broken(narrate: bool) -> float:
        time.sleep(1)  # the PDF workers are starting their LibreOffice meanwhile
        raise RuntimeError("broken template")

    monkeypatch.setattr(runner, "_prepare", broken)
    quiet = Progress(0, tmp_path / "batch.log", stream=io.StringIO(), tty=False)
    with pytest.raises(RuntimeError, match="broken template"):
        runner.run_batch(tmp_path / "in", tmp_path / "out", jobs=1, force=True, export=True, progress=quiet)
    time.sleep(0.5)
    assert not office_pids(str(tmp_path / "out"))
    assert not list((tmp_path / "out").glob(".juesuan-pdf-*"))
