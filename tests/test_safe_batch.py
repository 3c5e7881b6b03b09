"""Safe with any input (issue 12), the batch: a dead worker is seen at once (case 7); any one bad
input, any text, never stops the batch, and its state is saved as it goes (case 10)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

from juesuan.batch.progress import Progress
from juesuan.synth import write_synth


def _killed_on_dept_2(path, out_dir, key, *args):  # type: ignore[no-untyped-def]
    import os
    import signal

    from juesuan.batch import job

    if path.stem == "dept-0002":
        os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would
    return job.process(path, out_dir, key, *args)


def test_a_worker_killed_by_sigkill_fails_its_department_at_once(tmp_path: Path, monkeypatch) -> None:
    from juesuan.batch import runner

    src, out = tmp_path / "in", tmp_path / "out"
    write_synth(4, src, seed=3)
    monkeypatch.setattr(runner, "process", _killed_on_dept_2)  # forked workers inherit it
    assert runner.STALL >= 600  # not shortened: the death itself must be noticed
    t0 = time.monotonic()
    result = runner.run_batch(src, out, jobs=2, progress=Progress(4, stream=io.StringIO(), tty=False))
    assert time.monotonic() - t0 < 60
    d = {o.name: o for o in result.outcomes}
    assert all(d[n].status in ("ok", "errors") for n in ("dept-0001", "dept-0003", "dept-0004"))
    assert d["dept-0002"].status == "failed" and "信号 9" in (d["dept-0002"].reason or "")
    assert not d["dept-0002"].input_error  # retried on the next run
    assert not [p for p in out.iterdir() if p.name.startswith(".juesuan-")]  # no temporary file left


def test_any_text_in_any_input_never_stops_the_batch(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_synth(2, src, seed=5)
    good = json.loads((src / "dept-0001.json").read_text(encoding="utf-8"))
    bad = dict(good, 单位信息={**good["单位信息"], "部门名称": "\ud800x"})
    (src / "surrogate.json").write_text(json.dumps(bad), encoding="utf-8")  # \ud800 as a JSON escape
    odd_name = os.fsdecode(os.fsencode(str(src)) + b"/odd-\xff-name.json")  # not UTF-8: a surrogate in Python
    Path(odd_name).write_text(json.dumps(good), encoding="utf-8")
    (src / "nested.json").write_text("[" * 10000 + "]" * 10000, encoding="utf-8")
    (src / "binary.json").write_bytes(os.urandom(2000))
    run = lambda: subprocess.run([sys.executable, "-m", "juesuan.cli", "batch", str(src), "-o", str(out),  # noqa: E731
                                  "--jobs", "2"], capture_output=True, timeout=300)
    done = run()
    assert done.returncode == 2, done.stderr.decode("utf-8", "replace")[-2000:]  # some failed, none crashed
    assert b"Traceback" not in done.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    status = {d["name"]: d["status"] for d in summary["departments"]}
    assert status["surrogate"] == "failed" and status["nested"] == "failed" and status["binary"] == "failed"
    assert status["odd-\udcff-name"] in ("ok", "errors") and status["dept-0001"] in ("ok", "errors")
    reasons = {d["name"]: d["reason"] for d in summary["departments"]}
    assert "单位信息/部门名称" in reasons["surrogate"] and "嵌套过深" in reasons["nested"]
    openpyxl.load_workbook(out / "summary.xlsx")
    again = run()  # the state was saved: nothing is redone
    assert again.returncode == 2
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["summary"]["skipped"] == 6


KILLED_MIDWAY = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from juesuan.batch import job, runner
    def process(path, out_dir, key, *args):
        if path.stem == "dept-0005":
            os.kill(os.getpid(), signal.SIGKILL)  # kill -9 of the whole batch, 4 of 6 done
        return job.process(path, out_dir, key, *args)
    runner.process = process
    runner.run_batch(sys.argv[1], sys.argv[2], jobs=1)
""")


def test_a_batch_killed_midway_keeps_what_it_finished(tmp_path: Path) -> None:
    from juesuan.batch.runner import run_batch

    src, out = tmp_path / "in", tmp_path / "out"
    write_synth(6, src, seed=9)
    killed = subprocess.run([sys.executable, "-c", KILLED_MIDWAY, str(src), str(out)], capture_output=True,
                            timeout=300)
    assert killed.returncode == -9
    result = run_batch(src, out, jobs=1, progress=Progress(6, stream=io.StringIO(), tty=False))
    assert result.skipped == 4 and len(result.processed) == 2
    assert all(o.status in ("ok", "errors") for o in result.outcomes)


def test_state_journal_ignores_a_line_torn_by_a_kill(tmp_path: Path) -> None:
    from juesuan.batch.job import Outcome
    from juesuan.batch.state import State

    state = State.load(tmp_path)
    state.record(Outcome("a\udcff", "in/a.json", "failed", reason="x", input_error=True, key="k1"))
    state._journal.close()  # type: ignore[union-attr]
    with open(state.journal_path, "a", encoding="ascii") as f:
        f.write('{"name": "b", "key": "k2", "outc')
    again = State.load(tmp_path)
    assert again.reusable("a\udcff", "k1") is not None and "b" not in again.entries
    again.save()
    assert not again.journal_path.exists()
    assert State.load(tmp_path).reusable("a\udcff", "k1") is not None
