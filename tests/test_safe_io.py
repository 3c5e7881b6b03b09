"""Safe with any input (issue 12): one test per numbered case, grouped by mechanism.

- user text is written as text by every writer, whatever it starts with (case 1);
- one output guard: no command writes over its input or writes two outputs to one file, a
  read-only file is left alone (cases 2, 3); one lock per workbook (case 4);

Commands run in-process through ``cli.main`` (same exit status and messages as the console
script).  Each test checks the input's bytes afterwards where the command must not change them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from safe_support import book, run, small_book  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small.json"
LINK = '=HYPERLINK("http://example.invalid/x","点击")'



def sheet_formulas(path: Path) -> list[str]:
    """The text of every <f> element of every worksheet of an .xlsx."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                out += re.findall(r"<f[^>]*>([^<]*)</f>", z.read(name).decode("utf-8"))
    return out


# ── case 1: text from a user is text, in every writer ───────────────────────────────────
def injected_data() -> dict:
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    data["单位信息"]["部门名称"] = LINK
    data.setdefault("部门概况", {})["部门职能"] = "=1+2"
    data.setdefault("变动原因", {})["收支总计.上年"] = {"原因": "+SUM(1,2)"}
    for code in list(data.get("年初预算", {}))[:1]:
        data["年初预算"][code]["差异原因"] = "@HYPERLINK(\"http://x\")"
    records = data.get("绩效自评") or [{}]
    records[0]["项目名称"] = "=2*3"
    data["绩效自评"] = records
    return data


def test_data_file_text_starting_with_equals_is_written_as_text_by_new(tmp_path: Path, capsys) -> None:
    data_path = tmp_path / "inj.json"
    data_path.write_text(json.dumps(injected_data(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "inj.xlsx"
    assert run(capsys, "new", "--data", data_path, "-o", out)[0] == 0
    formulas = sheet_formulas(out)
    assert formulas, "the derived cells keep their formulas"
    assert not [f for f in formulas if "HYPERLINK" in f or f in ("1+2", "2*3") or "SUM(1,2)" in f]
    wb = openpyxl.load_workbook(out)
    b5 = wb["单位信息"]["B5"]
    assert (b5.value, b5.data_type) == (LINK, "s")
    # the workbook reads back: check sees no formula in an input cell, dump gives the text back
    rc, text, _ = run(capsys, "check", out)
    assert rc in (0, 1) and "F-5" not in text
    assert run(capsys, "dump", out, "-o", tmp_path / "back.json")[0] == 0
    back = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
    assert back["单位信息"]["部门名称"] == LINK
    assert back["绩效自评"][0]["项目名称"] == "=2*3"
    # fill and narrate keep it text (they rewrite the sheets)
    assert run(capsys, "fill", out)[0] == 0
    assert run(capsys, "narrate", out)[0] == 0
    assert not [f for f in sheet_formulas(out) if "HYPERLINK" in f]


def test_batch_fast_writer_and_summary_write_user_text_as_text(tmp_path: Path, capsys) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "inj.json").write_text(json.dumps(injected_data(), ensure_ascii=False), encoding="utf-8")
    rc, _, _ = run(capsys, "batch", src, "-o", tmp_path / "out", "--jobs", "1")
    assert rc in (0, 1)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["departments"][0]["status"] != "failed", summary
    assert not [f for f in sheet_formulas(tmp_path / "out" / "inj.xlsx") if "HYPERLINK" in f]
    ws = openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx").worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row if c.value == LINK]
    assert cells and all(c.data_type == "s" for c in cells)
    for report in (tmp_path / "out").glob("summary*.xlsx"):  # summary.xlsx, summary_figures.xlsx (pandas)
        assert not [f for f in sheet_formulas(report) if "HYPERLINK" in f], report.name


def test_ribbon_writes_text_with_the_quote_prefix_and_formulas_as_formulas() -> None:
    from juesuan.celltext import xl_value
    from juesuan.data_file import book_from_data
    from juesuan.derive import derivations
    from juesuan.excel import edits_block
    from juesuan.layout import book_layout
    from juesuan.sheets.tables import table_edits

    book = book_from_data(injected_data())
    layout = book_layout(book)
    exprs = derivations(book)

    def block(key: str) -> list[list[object]]:
        return edits_block(table_edits(book, layout.tables[key], exprs, layout.address))

    assert ["'" + LINK] in [row[-1:] for row in block("单位信息")]
    texts = [v for t in book.format.tables for row in block(t.key) for v in row if isinstance(v, str)]
    assert "'=2*3" in texts and any(v.startswith("=SUM(") for v in texts)
    assert xl_value("部门") == "部门" and xl_value("-x") == "'-x" and xl_value(3) == 3


def test_report_rows_of_check_and_audit_keep_quoted_text_as_text(tmp_path: Path) -> None:
    from juesuan.workbook_file import append_plain_row

    wb = openpyxl.Workbook()
    append_plain_row(wb.active, ["=1+1", "bad\x01char", "x" * 40000, 3])
    a, b, c, d = wb.active[1]
    assert (a.value, a.data_type) == ("=1+1", "s")
    assert b.value == "bad\ufffdchar" and len(c.value) <= 32767 and "已截断" in c.value and d.value == 3


# ── cases 2, 3: one output guard ───────────────────────────────────────────────────────
@pytest.mark.parametrize("argv", [
    ["export", "{B}", "--docx", "{B}"],
    ["export", "{B}", "--docx", "{dir}/./B.xlsx"],
    ["export", "{B}", "--docx", "{dir}/X.docx", "--pdf", "{dir}/X.docx"],
    ["export", "{B}", "--docx", "{dir}/X.pdf", "--pdf", "{dir}/X.pdf"],
    ["dump", "{B}", "-o", "{B}"],
    ["fill", "{B}", "-o", "{B}"],
    ["narrate", "{B}", "-o", "{dir}/../{dirname}/B.xlsx"],
    ["audit", "{B}", "--write", "{B}"],
], ids=["export-docx-over-input", "export-same-file-other-spelling", "docx-and-pdf-one-path", "pdf-twice",
        "dump-over-input", "fill-o-input", "narrate-o-input", "audit-write-over-input"])
def test_no_command_writes_over_its_input_or_two_outputs_to_one_file(book: Path, capsys, argv: list[str]) -> None:
    before = book.read_bytes()
    names = set(os.listdir(book.parent))
    args = [a.format(B=book, dir=book.parent, dirname=book.parent.name) for a in argv]
    rc, out, err = run(capsys, *args)
    assert rc == 2 and "错误 error" in err and ("输入" in err or "同一个文件" in err)
    assert book.read_bytes() == before
    assert set(os.listdir(book.parent)) == names  # nothing written, no lock left behind


@pytest.mark.parametrize("argv", [["fill", "{B}"], ["narrate", "{B}"], ["check", "--write", "{B}"],
                                  ["new", "--force", "-o", "{B}"], ["fill", "{src}", "-o", "{B}"]])
def test_read_only_workbook_is_refused_and_left_as_it_was(book: Path, small_book: Path, capsys,
                                                         argv: list[str]) -> None:
    os.chmod(book, 0o444)
    try:
        before = book.read_bytes()
        rc, _, err = run(capsys, *[a.format(B=book, src=small_book) for a in argv])
        assert rc == 2 and "只读" in err and "read-only" in err
        assert book.read_bytes() == before and book.stat().st_mode & 0o777 == 0o444
    finally:
        os.chmod(book, 0o644)


def test_writable_workbook_is_still_written_in_place(book: Path, capsys) -> None:
    assert run(capsys, "narrate", book)[0] == 0
    assert "决算情况说明" in openpyxl.load_workbook(book, read_only=True).sheetnames
    assert not (book.parent / f"~${book.name}").exists()


# ── case 4: one lock per workbook ──────────────────────────────────────────────────────
HOLDER = textwrap.dedent("""
    import sys, time
    from juesuan.workbook_file import hold
    with hold(sys.argv[1]):
        print("held", flush=True)
        time.sleep(60)
""")


@pytest.fixture()
def held(book: Path):  # type: ignore[no-untyped-def]
    """Another juesuan process holding ``book`` (killed with SIGKILL at the end, as a crash would)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(book)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    yield proc
    proc.kill()
    proc.wait()


@pytest.mark.parametrize("argv", [["fill", "{B}"], ["narrate", "{B}"], ["check", "--write", "{B}"],
                                  ["new", "--force", "-o", "{B}"]])
def test_a_workbook_another_command_is_writing_is_refused(book: Path, held, capsys, argv: list[str]) -> None:
    before = book.read_bytes()
    rc, _, err = run(capsys, *[a.format(B=book) for a in argv])
    assert rc == 2 and "另一个 juesuan 命令" in err and "another juesuan command" in err
    assert book.read_bytes() == before


def test_a_lock_left_by_a_killed_command_is_taken_over(book: Path, held, capsys) -> None:
    held.send_signal(signal.SIGKILL)
    held.wait()
    assert (book.parent / f"~${book.name}").exists()  # the owner file stays; its OS lock went with the process
    assert run(capsys, "fill", book)[0] == 0
    assert not (book.parent / f"~${book.name}").exists()


def test_excel_owner_file_still_refuses(book: Path, capsys) -> None:
    (book.parent / f"~${book.name}").write_bytes(b"\x05Alice" + b" " * 50)
    rc, _, err = run(capsys, "fill", book)
    assert rc == 2 and "Excel" in err


# ── the README's exit-status promise, for every command that reads a file ──────────────
COMMANDS = {
    "new": ["new", "--data", "{bad}", "-o", "{dir}/out.xlsx"],
    "dump": ["dump", "{bad}", "-o", "{dir}/out.json"],
    "fill": ["fill", "{bad}", "-o", "{dir}/out.xlsx"],
    "check": ["check", "{bad}"],
    "check --write": ["check", "--write", "{bad}"],
    "narrate": ["narrate", "{bad}", "-o", "{dir}/out.xlsx"],
    "export": ["export", "{bad}", "--docx", "{dir}/out.docx"],
    "consolidate": ["consolidate", "{bad}", "{good}", "-o", "{dir}/out.xlsx"],
    "audit": ["audit", "{bad}", "--write", "{dir}/out.xlsx"],
}
BAD = {
    "missing": None,
    "empty": b"",
    "garbage": bytes(range(256)) * 8,
    "truncated-zip": b"PK\x03\x04" + b"\x00" * 100,
    "folder": "dir",
}


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("command", COMMANDS)
def test_exit_status_promise_for_every_command(tmp_path: Path, small_book: Path, capsys, command: str,
                                               bad: str) -> None:
    """An unusable input: exit status 2, a message naming the file, nothing written, input untouched."""
    suffix = {"new": ".json", "audit": ".docx"}.get(command, ".xlsx")
    path = tmp_path / f"bad{suffix}"
    if BAD[bad] == "dir":
        path.mkdir()
    elif BAD[bad] is not None:
        path.write_bytes(BAD[bad])  # type: ignore[arg-type]
    good = tmp_path / "good.xlsx"
    shutil.copy(small_book, good)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    argv = [a.format(bad=path, good=good, dir=tmp_path) for a in COMMANDS[command]]
    rc, _, err = run(capsys, *argv)
    assert rc == 2, err[-2000:]
    assert "错误 error" in err and path.name in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


def test_batch_exit_status_for_a_missing_folder_and_a_failed_department(tmp_path: Path, capsys) -> None:
    rc, _, err = run(capsys, "batch", tmp_path / "nowhere", "-o", tmp_path / "out")
    assert rc == 2 and "nowhere" in err
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.json").write_bytes(b"\xff\xfe garbage")
    rc, _, _ = run(capsys, "batch", tmp_path / "in", "-o", tmp_path / "out", "--jobs", "1")
    assert rc == 2  # a department failed; the summary says which and why
    assert json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["summary"]["failed"] == 1
