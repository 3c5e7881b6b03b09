"""The ribbon commands on xlwings' remote engine, fed from real workbooks.

Each command runs on a payload built from a workbook file (what Excel would send); the actions
it records are replayed onto the file and the result is compared with what the command line
writes: the same formulas and values, the same findings, the same narrative text.  The number of
actions per sheet is printed and bounded (read once, write once).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from xlwings_remote import actions_per_sheet, apply_actions, open_remote

from juesuan import excel
from juesuan.sheets.ranges import MAX_UNION
from juesuan.addin import RIBBON_TAGS
from juesuan.cli import main
from juesuan.data_file import read_data
from juesuan.derive import compute
from juesuan.locate import read_book
from juesuan.narrate.sheet import SHEET
from juesuan.workbook_file import grids, load

MAX_ACTIONS_PER_SHEET = 8  # read once, write once: a block, a resize, formats, charts


def run(path: Path, tag: str, out: Path) -> tuple[str, list[str], dict]:
    book = open_remote(path)
    names = [s.name for s in book.sheets]
    message = excel.dispatch(tag, book)
    actions = book.json()["actions"]
    counts = actions_per_sheet(actions, names + [SHEET])
    print(tag, dict(counts))
    assert all(n <= MAX_ACTIONS_PER_SHEET for n in counts.values()), counts
    alerts = apply_actions(path, actions, out)
    assert alerts == [message]
    return message, alerts, counts


def cells(path: Path, sheets: list[str]) -> dict[tuple[str, str], object]:
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets if ws.title in sheets
            for row in ws.iter_rows() for c in row if c.value is not None}


@pytest.fixture()
def typed(tmp_path: Path, reference_path: Path) -> Path:
    """The reference inputs as an accountant types them: no formulas, no 类/款 rows in 表5."""
    path = tmp_path / "typed.xlsx"
    assert main(["new", "--no-fill", "--data", str(reference_path), "-o", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["一般公共预算财政拨款支出决算表"]
    for r in range(ws.max_row, 7, -1):
        code = ws.cell(r, 1).value
        if isinstance(code, str) and code.isdigit() and len(code) < 7:
            ws.delete_rows(r)
    wb.save(path)
    return path


def test_every_ribbon_tag_has_a_command():
    assert set(RIBBON_TAGS) == set(excel.COMMANDS)


def test_fill_matches_the_command_line(tmp_path: Path, typed: Path, reference_path: Path):
    cli = tmp_path / "cli.xlsx"
    assert main(["fill", str(typed), "-o", str(cli)]) == 0
    ribbon = tmp_path / "ribbon.xlsx"
    message, _, _ = run(typed, "fill", ribbon)
    assert message.startswith("填充完成")
    sheets = [t.sheet for t in read_data(reference_path).format.tables]
    want, got = cells(cli, sheets), cells(ribbon, sheets)
    assert got == want
    book, _ = read_book(read_data(reference_path).format, grids(load(ribbon)))
    assert compute(book) == compute(read_data(reference_path))


def test_narrate_writes_the_same_text_as_the_command_line(tmp_path: Path, filled_reference: Path):
    cli = tmp_path / "cli.xlsx"
    assert main(["narrate", str(filled_reference), "-o", str(cli)]) == 0
    ribbon = tmp_path / "ribbon.xlsx"
    message, _, counts = run(filled_reference, "narrate", ribbon)
    assert message.startswith("已生成")

    def text(path: Path) -> list[str]:
        ws = openpyxl.load_workbook(path)[SHEET]
        return [v for (v,) in ws.iter_rows(min_col=1, max_col=1, values_only=True) if isinstance(v, str) and v]

    assert text(ribbon) == text(cli)
    assert len(openpyxl.load_workbook(ribbon)[SHEET]._charts) == 2


def test_narrate_keeps_a_hand_edited_sheet(tmp_path: Path, filled_reference: Path):
    once = tmp_path / "once.xlsx"
    run(filled_reference, "narrate", once)
    wb = openpyxl.load_workbook(once)
    wb[SHEET]["A3"] = "手工改过的一段话"
    wb.save(once)
    twice = tmp_path / "twice.xlsx"
    message, _, _ = run(once, "narrate", twice)
    assert "手改1" in message
    assert f"{SHEET}(手改1)" in openpyxl.load_workbook(twice).sheetnames


def test_check_audits_a_narrative_sheet_typed_over_by_hand(tmp_path: Path, filled_reference: Path, lo):
    """校验 reads the 决算情况说明 sheet too: a share typed over as 427.00 % is an error at its row (99.88 due)."""
    import re

    from juesuan.check.acknowledge import SHEET as REPORT

    once = tmp_path / "once.xlsx"
    run(filled_reference, "narrate", once)
    wb = openpyxl.load_workbook(once)
    (cell,) = [c for (c,) in wb[SHEET].iter_rows(min_col=1, max_col=1)
               if re.search(r"财政拨款收入[\d,.]+万元，占99\.88%", c.value or "")]
    cell.value = cell.value.replace("占99.88%", "占427.00%")
    edited = tmp_path / "edited" / "typed.xlsx"
    edited.parent.mkdir()
    wb.save(edited)
    (shown,) = lo.convert([edited], tmp_path, "xlsx")  # the values Excel would show
    applied = tmp_path / "applied.xlsx"
    message, _, _ = run(shown, "check", applied)
    assert "错误 1 个" in message, message
    rows = [r for r in openpyxl.load_workbook(applied)[REPORT].iter_rows(min_row=5, values_only=True) if r[0]]
    assert [(r[1], r[2]) for r in rows if r[1].startswith("N-SHEET")] == [("N-SHEET-FIGURE", "错误")]
    assert any(f"{SHEET}!{cell.coordinate}" in str(r[-1]) for r in rows if r[1] == "N-SHEET-FIGURE")


def test_export_writes_word_next_to_the_workbook(tmp_path: Path, filled_reference: Path, monkeypatch):
    book = tmp_path / "部门.xlsx"
    shutil.copy(filled_reference, book)
    monkeypatch.chdir(tmp_path)
    message, _, _ = run(book, "export", tmp_path / "applied.xlsx")
    assert (tmp_path / "部门_决算公开.docx").exists(), message
    assert (tmp_path / "部门_决算公开.pdf").exists(), message


def test_a_problem_is_a_chinese_message_not_a_traceback(tmp_path: Path, filled_reference: Path):
    broken = tmp_path / "broken.xlsx"
    wb = openpyxl.load_workbook(filled_reference)
    ws = wb["一般公共预算财政拨款支出决算表"]
    r = next(r for r in range(8, ws.max_row + 1) if ws.cell(r, 1).value == "2010301")
    ws.cell(r, 4).value = "九十"
    wb.save(broken)
    message, _, _ = run(broken, "fill", tmp_path / "out.xlsx")
    assert message.startswith("无法完成") and f"D{r}" in message and "Traceback" not in message


def test_check_reports_the_same_findings_as_the_command_line(tmp_path: Path, filled_reference: Path, capsys, lo):
    import json

    from juesuan.check.acknowledge import SHEET as REPORT

    edited = tmp_path / "edited" / "broken.xlsx"
    edited.parent.mkdir()
    wb = openpyxl.load_workbook(filled_reference)
    ws = wb["一般公共预算财政拨款支出决算表"]
    code_rows = [r for r in range(8, ws.max_row + 1) if ws.cell(r, 1).value == "2010301"]
    ws.cell(code_rows[0], 4).value = 1000  # an input changed; Excel recalculates, 表6 no longer agrees
    wb.save(edited)
    (broken,) = lo.convert([edited], tmp_path, "xlsx")  # the values Excel would show
    capsys.readouterr()
    assert main(["check", "--json", str(broken)]) == 1
    cli = json.loads(capsys.readouterr().out)
    applied = tmp_path / "applied.xlsx"
    message, _, _ = run(broken, "check", applied)
    assert message.startswith("校验完成")
    report = openpyxl.load_workbook(applied)[REPORT]
    rows = [r for r in report.iter_rows(min_row=5, values_only=True) if r[0] is not None]
    ribbon = sorted((r[1], r[-1]) for r in rows)
    formula_rules = {"F-1", "F-2", "F-3", "F-4", "F-5"}
    want = sorted((f["rule"], f"{f['rule']}|" + ";".join(sorted(
        f"{c['sheet']}!{c['cell']}" if c["cell"] else c["sheet"] for c in f["cells"])))
        for f in cli["findings"] if not f["rule"].startswith("F-") or f["rule"] not in formula_rules)
    assert ribbon == want
    assert any(r[2] == "错误" for r in rows)


def test_rows_inserted_by_fill_are_repainted_as_inputs_or_derived(reference_path: Path):
    from juesuan.layout import book_layout

    book = read_data(reference_path)
    tl = book_layout(book).tables["表5"]
    inputs, derived = excel.row_runs(tl)
    rows = {tl.first_data_row + i: key for i, key in enumerate(tl.row_keys)}

    def covered(ranges: list[str]) -> set[int]:
        out = set()
        for rng in ranges:
            a, b = rng.split(":")
            out |= set(range(int("".join(ch for ch in a if ch.isdigit())), int("".join(ch for ch in b if ch.isdigit())) + 1))
        return out

    assert covered(inputs) == {r for r, k in rows.items() if len(k) == 7}
    assert covered(derived) == {r for r, k in rows.items() if len(k) != 7}
    assert all(rng.startswith("C") and ":E" in rng for rng in inputs + derived)
    joined = excel.unions(inputs + derived)
    assert all(len(u) <= MAX_UNION for u in joined)
    assert sorted(",".join(joined).split(",")) == sorted(inputs + derived)


def test_doctor_shows_the_same_report_as_the_command_line(tmp_path: Path, filled_reference: Path, capsys):
    main(["addin", "doctor"])
    printed = capsys.readouterr().out.strip()
    message, _, _ = run(filled_reference, "doctor", tmp_path / "out.xlsx")
    assert message == printed
