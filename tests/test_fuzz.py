"""Fuzzing the command line with hostile data files and workbook edits (issue 12).

Seeded and bounded (Hypothesis, ``derandomize=True``: the same cases every run, no database):

- data files: the small department with one to three leaves replaced by anything JSON can hold
  (text starting with "=", control characters, unpaired surrogates, 32,768 characters, huge,
  negative and non-finite numbers, "1,5", full-width digits, lists where objects belong …),
  keys removed or invented, or the JSON text itself cut or damaged, through ``juesuan new``;
- workbook edits: a filled workbook with one to three cells changed the way a user (or an
  attacker) can — text, numbers, formulas, errors, dates, a far cell, rows inserted or deleted —
  through ``check``, ``fill`` (in place and ``-o``), ``dump`` and ``narrate``;
- a batch over generated data files.

Every run must end in exit status 0, 1 with findings (check only), or 2 with a message naming
the file — never a traceback (status 3); the input's bytes are unchanged unless changing them is
the command's job; every workbook ``new`` or ``fill`` writes reopens and passes ``check``
without F-errors (fill's own formulas and values agree).
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils.exceptions import IllegalCharacterError
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from juesuan.cli import main

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small.json"
BASE = json.loads(SMALL.read_text(encoding="utf-8"))
SETTINGS = dict(derandomize=True, database=None, deadline=None, print_blob=True,
                phases=[Phase.explicit, Phase.generate],  # no shrinking: bounded time; the cases are small
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
F_ERROR = re.compile(r"\[错误 F-")


def cli(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main([str(a) for a in argv])
    return rc, out.getvalue(), err.getvalue()


def assert_refusal_or_success(rc: int, err: str, file: Path, allowed: tuple[int, ...] = (0, 2)) -> None:
    assert rc in allowed, f"exit status {rc}:\n{err[-3000:]}"
    assert "Traceback" not in err, err[-3000:]
    if rc == 2:
        assert "错误 error" in err and file.name in err, err[-1000:]


def assert_checks_without_f_errors(book: Path) -> None:
    rc, out, err = cli("check", book)
    assert rc in (0, 1), f"check of {book.name} (written by juesuan) gave {rc}:\n{err[-2000:]}"
    assert not F_ERROR.search(out), out[-3000:]


# ── values ──────────────────────────────────────────────────────────────────────────────
NASTY_TEXT = ["=HYPERLINK(\"http://x\",\"点击\")", "=1+2", "+1", "-1", "@SUM(A1)", "'quoted", "a\x00b", "a\x0bb",
              "a\ufffeb", "\ud800x", "x\udfff", "x" * 32767, "x" * 32768, "  ", "", "注：", "合计", "#REF!", "#DIV/0!",
              "1,5", "1,234.5", "１２３", " 12 ", "1e5", "NaN", "-0", "0x10", "2010301", "\u202e反向", "\t\n\r"]
texts = st.one_of(st.sampled_from(NASTY_TEXT),
                  st.text(st.sampled_from(list("=+-@',.，．0123456789１２３ \u3000部门合计注a\x01\ufffe\ud800")),
                          max_size=12))
numbers = st.one_of(st.integers(-10**17, 10**17), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([0, 1, -1, 9999999999.99, 10**10, 1e14, 1e308, 0.1, 1.23456789, 2**53 + 1]))
leaves = st.one_of(texts, numbers, st.none(), st.booleans())
values = st.one_of(leaves, st.lists(leaves, max_size=3), st.dictionaries(texts, leaves, max_size=3))


# ── data files ─────────────────────────────────────────────────────────────────────────
def leaf_paths(node: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in leaf_paths(v, (*path, k))] or [path]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in leaf_paths(v, (*path, i))] or [path]
    return [path]


PATHS = [p for p in leaf_paths(BASE) if p]
NEW_KEYS = [("表99",), ("表2", "9999999"), ("表2", "2010301", "合计"), ("表1", "收入合计", "金额"), ("单位信息", "无此行"),
            ("科目名称", "2010399"), ("注", "表2"), ("notes", "x"), ("format",), ("绩效自评", 5, "项目名称")]


def set_path(d: Any, path: tuple, value: Any) -> None:
    node = d
    for k in path[:-1]:
        if isinstance(node, list):
            if not isinstance(k, int) or k >= len(node):
                return
            node = node[k]
        elif isinstance(node, dict):
            node = node.setdefault(k, {}) if not isinstance(k, int) else node.setdefault(str(k), {})
        else:
            return
    last = path[-1]
    if isinstance(node, dict):
        node[str(last) if isinstance(last, int) else last] = value
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = value


def drop_path(d: Any, path: tuple) -> None:
    node = d
    for k in path[:-1]:
        node = node[k]
    del node[path[-1]]


edits = st.lists(st.one_of(
    st.tuples(st.just("set"), st.sampled_from(PATHS), values),
    st.tuples(st.just("add"), st.sampled_from(NEW_KEYS), values),
    st.tuples(st.just("drop"), st.sampled_from(PATHS), st.none()),
), min_size=1, max_size=3)
damage = st.one_of(st.none(), st.tuples(st.just("cut"), st.floats(0, 1)), st.tuples(st.just("byte"), st.floats(0, 1),
                                                                                   st.integers(0, 255)))


def json_bytes(d: Any) -> bytes:
    """JSON as an editor may save it: UTF-8, unpaired surrogates as \\udXXX escapes, NaN as NaN."""
    return json.dumps(d, ensure_ascii=False).encode("utf-8", "backslashreplace")


@settings(max_examples=200, **SETTINGS)
@given(edits=edits, damage=damage)
def test_fuzz_data_files_through_new(edits: list, damage: Any) -> None:
    d = json.loads(json.dumps(BASE))
    for op, path, value in edits:
        try:
            if op == "drop":
                drop_path(d, path)
            else:
                set_path(d, path, value)
        except (KeyError, IndexError, TypeError):
            pass
    data = json_bytes(d)
    if damage is not None:
        at = int(damage[1] * len(data))
        data = data[:at] if damage[0] == "cut" else data[:at] + bytes([damage[2]]) + data[at + 1:]
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "fuzz.json", Path(tmp) / "out.xlsx"
        src.write_bytes(data)
        rc, _, err = cli("new", "--data", src, "-o", out)
        assert_refusal_or_success(rc, err, src)
        assert src.read_bytes() == data
        assert out.exists() == (rc == 0)
        if rc == 0:
            assert_checks_without_f_errors(out)


# ── workbook edits ─────────────────────────────────────────────────────────────────────
@pytest.fixture(scope="module")
def base_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "base.xlsx"
    assert main(["new", "--data", str(SMALL), "-o", str(path)]) == 0
    return path


SHEETS = openpyxl.load_workbook(ROOT / "workbook_templates" / "nmg-2023.xlsx", read_only=True).sheetnames
cell_values = st.one_of(
    texts, numbers, st.none(), st.booleans(),
    st.sampled_from(["=1/0", "=SUM(A1:A3)", "=FOO(1)", "=Z99999", "=A1", "=NOW()", "=INDIRECT(\"A1\")", "={1,2}",
                     "=HYPERLINK(\"http://x\")", "=REPT(\"x\",40000)"]),
    st.dates(), st.datetimes(),
)
book_edits = st.lists(st.one_of(
    st.tuples(st.just("cell"), st.sampled_from(SHEETS), st.integers(1, 40), st.integers(1, 14), cell_values),
    st.tuples(st.just("insert"), st.sampled_from(SHEETS), st.integers(1, 40), st.integers(1, 2), st.none()),
    st.tuples(st.just("delete"), st.sampled_from(SHEETS), st.integers(1, 40), st.integers(1, 2), st.none()),
    st.tuples(st.just("far"), st.sampled_from(SHEETS), st.just(1048576), st.just(16384), texts),
), min_size=1, max_size=3)
COMMANDS = ["check", "dump", "fill", "fill -o", "narrate -o"]


def apply_edits(path: Path, edits: list) -> bool:
    """Apply the edits as a user would in Excel; False when openpyxl itself refuses one."""
    wb = openpyxl.load_workbook(path)
    for op, sheet, r, c, value in edits:
        ws = wb[sheet]
        try:
            if op in ("cell", "far"):
                if isinstance(value, str) and value.startswith("=") is False:
                    ws.cell(r, c).value = value
                    ws.cell(r, c).data_type = "s"
                else:
                    ws.cell(r, c).value = value
            elif op == "insert":
                ws.insert_rows(r, c)
            else:
                ws.delete_rows(r, c)
        except (ValueError, TypeError, IllegalCharacterError):  # Excel would not take it either
            return False
    try:
        wb.save(path)
    except (ValueError, TypeError, UnicodeEncodeError):
        return False
    return True


@settings(max_examples=40, **SETTINGS)
@given(edits=book_edits, command=st.sampled_from(COMMANDS))
def test_fuzz_workbook_edits_through_every_command(base_book: Path, edits: list, command: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "book.xlsx"
        shutil.copy(base_book, book)
        if not apply_edits(book, edits):
            return
        before = book.read_bytes()
        out = Path(tmp) / ("out.json" if command == "dump" else "out.xlsx")
        argv: list[str | Path] = [command.split()[0], book]
        if command in ("dump", "fill -o", "narrate -o"):
            argv += ["-o", out]
        rc, _, err = cli(*argv)
        assert_refusal_or_success(rc, err, book, allowed=(0, 1, 2) if command == "check" else (0, 2))
        changed = rc == 0 and command == "fill"  # fill in place: its job
        if not changed:
            assert book.read_bytes() == before, f"{command} changed its input"
        if rc == 2:
            assert not out.exists()
            assert book.read_bytes() == before
        written = book if changed else out if rc == 0 and command in ("fill -o", "narrate -o") else None
        if written is not None:
            if command.startswith("fill"):
                assert_checks_without_f_errors(written)
            else:  # narrate keeps the tables as the user left them: it only must reopen
                assert cli("check", written)[0] in (0, 1)


# ── batch ──────────────────────────────────────────────────────────────────────────────
BATCH_VALUES = [*NASTY_TEXT, 0, -1, 1e308, float("nan"), 10**10, 9999999999.99, None, True, [], {}]


def test_fuzz_a_batch_of_hostile_data_files() -> None:
    """30 data files, each the small department with one leaf replaced (seeded), through one batch
    on two workers: every department ends ok, errors or failed with a reason — never an internal
    error — and the workbooks written pass check without F-errors."""
    rng = random.Random(12)
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        src.mkdir()
        for i in range(30):
            d = json.loads(json.dumps(BASE))
            if i % 3:  # a third left whole: the batch must finish those too
                set_path(d, rng.choice(PATHS), rng.choice(BATCH_VALUES))
            (src / f"f{i:02}.json").write_bytes(json_bytes(d))
        before = {p.name: p.read_bytes() for p in src.iterdir()}
        rc, _, err = cli("batch", src, "-o", out, "--jobs", "2")
        assert rc in (0, 1, 2) and "Traceback" not in err, err[-3000:]
        assert {p.name: p.read_bytes() for p in src.iterdir()} == before
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assert summary["summary"]["total"] == 30
        for dept in summary["departments"]:
            assert "内部错误" not in (dept["reason"] or ""), dept["reason"]
        written = sorted(out.glob("f*.xlsx"))
        assert len(written) >= 10  # the untouched third at least
        for book in written[:3]:
            assert_checks_without_f_errors(book)
