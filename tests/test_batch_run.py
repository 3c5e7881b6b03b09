"""``juesuan batch``: 20 synthetic departments, a corrupt file and a schema-invalid one.

Twenty workbooks that pass ``juesuan check``, two failures with their reasons, a summary (JSON and
workbook) that says so; a re-run skips all 22 unchanged inputs (the two that failed because of
their content are reported again from the state, not redone); a changed input is redone alone;
``--force`` redoes everything; a failure that is not the input's fault (the workbook open in
Excel) is retried on the next run.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from juesuan.batch.job import Outcome
from juesuan.batch.progress import Progress
from juesuan.batch.state import STATE_FILE
from juesuan.cli import main
from juesuan.synth import write_synth

N = 20


def summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def by_name(out: Path) -> dict[str, dict]:
    return {d["name"]: d for d in summary(out)["departments"]}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("batch")
    src, out = root / "in", root / "out"
    write_synth(N, src, seed=3)
    (src / "corrupt.json").write_text("{这不是 JSON", encoding="utf-8")
    (src / "invalid.json").write_text(json.dumps({"format": "nmg-2023", "表1": {"年初结转和结余": {"金额": -5}}}),
                                      encoding="utf-8")
    status = main(["batch", str(src), "-o", str(out), "--jobs", "2"])
    assert status == 2  # some inputs could not be used
    return src, out


def test_every_good_input_becomes_a_workbook_and_the_bad_ones_fail_with_reasons(batch: tuple[Path, Path]) -> None:
    _, out = batch
    made = sorted(p.name for p in out.glob("*.xlsx") if not p.name.startswith("summary"))
    assert made == [f"dept-{i:04d}.xlsx" for i in range(1, N + 1)]
    s = summary(out)
    assert s["summary"] == {"total": N + 2, "ok": N, "errors": 0, "failed": 2, "skipped": 0}
    d = by_name(out)
    assert "不是有效的 JSON" in d["corrupt"]["reason"] and "corrupt.json" in d["corrupt"]["reason"]
    assert "负数" in d["invalid"]["reason"] and "表1/年初结转和结余/金额" in d["invalid"]["reason"]
    assert d["corrupt"]["output"] is None and d["invalid"]["input_error"]
    ok = d["dept-0001"]
    assert ok["status"] == "ok" and ok["output"].endswith("dept-0001.xlsx") and ok["department"]
    assert set(ok["counts"]) >= {"error", "warning", "info"} and ok["seconds"]["write"] > 0
    assert not list(out.glob(".juesuan-*")), "a temporary file was left behind"


def test_summary_workbook_lists_every_department(batch: tuple[Path, Path]) -> None:
    _, out = batch
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    rows = list(wb.worksheets[0].iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["corrupt"] + [f"dept-{i:04d}" for i in range(1, N + 1)] + ["invalid"]
    failed = {r[0]: r for r in rows if r[2] == "失败 failed"}
    assert set(failed) == {"corrupt", "invalid"}
    assert "JSON" in failed["corrupt"][7] and "负数" in failed["invalid"][7]
    assert "失败 failed 2" in wb.worksheets[0]["A1"].value


def test_outputs_pass_juesuan_check(batch: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, out = batch
    d = by_name(out)
    for i in range(1, N + 1):
        path = out / f"dept-{i:04d}.xlsx"
        assert main(["check", str(path)]) == 0, path
        # the batch's in-memory check counted what `juesuan check` finds in the file
        text = capsys.readouterr().out
        c = d[path.stem]["counts"]
        assert f"错误 error {c['error']}，警告 warning {c['warning']}，提示 info {c['info']}" in text, path


def test_outputs_hold_values_readers_see(batch: tuple[Path, Path]) -> None:
    _, out = batch
    wb = CalamineWorkbook.from_path(str(out / "dept-0002.xlsx"))
    rows = wb.get_sheet_by_name("收入支出决算总表").to_python()
    total_in, total_out = rows[35][2], rows[35][5]  # 总计 row, 金额 columns
    assert isinstance(total_in, float) and total_in > 0 and abs(total_in - total_out) < 0.005
    assert "决算情况说明" in wb.sheet_names


def test_progress_goes_to_the_log(batch: tuple[Path, Path]) -> None:
    _, out = batch
    log = (out / "batch.log").read_text(encoding="utf-8")
    assert f"[{N + 2}/{N + 2}]" in log and "corrupt 失败 failed" in log and "dept-0001 通过 ok" in log


def test_rerun_skips_unchanged_then_redoes_changed_and_forced(batch: tuple[Path, Path]) -> None:
    src, out = batch
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("dept-*.xlsx")}
    assert main(["batch", str(src), "-o", str(out), "--jobs", "2"]) == 2
    s = summary(out)
    assert s["summary"] == {"total": N + 2, "ok": N, "errors": 0, "failed": 2, "skipped": N + 2}
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("dept-*.xlsx")} == before
    assert "负数" in by_name(out)["invalid"]["reason"]  # reported again from the state

    changed = src / "dept-0005.json"
    data = json.loads(changed.read_text(encoding="utf-8"))
    data["单位信息"]["部门名称"] = "改名后的部门"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["batch", str(src), "-o", str(out), "--jobs", "1"]) == 2
    d = by_name(out)
    assert [n for n, x in d.items() if not x["skipped"]] == ["dept-0005"]
    assert d["dept-0005"]["department"] == "改名后的部门"

    lock = out / "~$dept-0007.xlsx"  # Excel holds dept-0007.xlsx open
    lock.write_text("", encoding="utf-8")
    assert main(["batch", str(src), "-o", str(out), "--jobs", "2", "--force"]) == 2
    d = by_name(out)
    assert not any(x["skipped"] for x in d.values())
    assert d["dept-0007"]["status"] == "failed" and "Excel" in d["dept-0007"]["reason"]
    assert not d["dept-0007"]["input_error"]
    lock.unlink()
    assert main(["batch", str(src), "-o", str(out), "--jobs", "1"]) == 2
    d = by_name(out)
    assert d["dept-0007"]["status"] == "ok" and not d["dept-0007"]["skipped"]  # retried
    assert sum(not x["skipped"] for x in d.values()) == 1


def test_a_damaged_state_file_means_redo(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_synth(1, src, seed=5)
    assert main(["batch", str(src), "-o", str(out), "--jobs", "1"]) == 0
    (out / STATE_FILE).write_text("{oops", encoding="utf-8")
    assert main(["batch", str(src), "-o", str(out), "--jobs", "1"]) == 0
    assert summary(out)["summary"]["skipped"] == 0


def test_a_missing_directory_is_an_input_error(tmp_path: Path) -> None:
    assert main(["batch", str(tmp_path / "nope"), "-o", str(tmp_path / "out")]) == 2


def test_progress_bar_on_a_terminal() -> None:
    stream = io.StringIO()
    p = Progress(2, stream=stream, tty=True)
    p.update(Outcome("a", "a.json", "ok", counts={"error": 0, "warning": 1, "info": 0}))
    p.update(Outcome("b", "b.json", "failed", reason="坏了"))
    p.close()
    text = stream.getvalue()
    assert "\r" in text and "2/2" in text and "个/s" in text and "b 失败 failed: 坏了" in text


def test_synth_command_writes_data_files(tmp_path: Path) -> None:
    assert main(["synth", "--n", "3", "-o", str(tmp_path), "--seed", "2"]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.json")) == ["dept-0001.json", "dept-0002.json", "dept-0003.json"]


def _dies_on_dept_2(path, out_dir, key, narrate=True, balance=False):  # type: ignore[no-untyped-def]
    import os

    from juesuan.batch import job

    if path.stem == "dept-0002":
        os._exit(1)  # a worker killed from outside (out of memory): its task is lost
    return job._original_process(path, out_dir, key, narrate, balance)


def test_a_worker_that_dies_is_reported_not_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from juesuan.batch import job, runner

    src, out = tmp_path / "in", tmp_path / "out"
    write_synth(3, src, seed=7)
    _dies_on_dept_2.__module__, _dies_on_dept_2.__qualname__ = "juesuan.batch.job", "process"
    monkeypatch.setattr(job, "_original_process", job.process, raising=False)
    monkeypatch.setattr(job, "process", _dies_on_dept_2)
    monkeypatch.setattr(runner, "process", _dies_on_dept_2)
    monkeypatch.setattr(runner, "STALL", 3.0)
    result = runner.run_batch(src, out, jobs=2, progress=Progress(3, stream=io.StringIO(), tty=False))
    d = {o.name: o for o in result.outcomes}
    assert d["dept-0001"].status == "ok" and d["dept-0003"].status == "ok"
    assert d["dept-0002"].status == "failed" and "意外退出" in (d["dept-0002"].reason or "")
    assert not d["dept-0002"].input_error  # retried next time


def test_an_in_process_batch_gives_the_callers_collector_settings_back(tmp_path: Path) -> None:
    import gc

    from juesuan.batch.runner import GC_THRESHOLD, run_batch

    write_synth(2, tmp_path / "in", seed=3)
    before = gc.get_threshold()
    gc.set_threshold(777, 11, 12)
    try:
        quiet = Progress(0, tmp_path / "batch.log", stream=io.StringIO(), tty=False)
        result = run_batch(tmp_path / "in", tmp_path / "out", jobs=1, progress=quiet)
        assert [o.status for o in result.processed] == ["ok", "ok"]
        assert gc.get_threshold() == (777, 11, 12) != GC_THRESHOLD  # the batch's own setting did not leak
    finally:
        gc.set_threshold(*before)
