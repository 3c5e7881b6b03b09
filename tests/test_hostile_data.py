"""Hostile JSON found by ``bench/redteam.py``: numbers no parser or Decimal context can take, and
JSON in the places besides data files (the service's requests, 经费差额 files) — each a message
naming the file and key, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from juesuan.errors import InputError
from safe_support import run

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small.json"


def data_with_amount(tmp_path: Path, literal: str) -> Path:
    """small.json with the amount 100.5 (表2/2010301/财政拨款收入) written as ``literal``."""
    path = tmp_path / "d.json"
    path.write_text(SMALL.read_text(encoding="utf-8").replace("100.5", literal, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("literal", ["1E+999999999", "-1E+999999999", "9" * 4300, "9" * 5000],
                         ids=["1e999999999", "minus", "4300-digits", "5000-digits"])
@pytest.mark.parametrize("command", ["new", "consolidate"])
def test_an_amount_too_large_for_any_context_is_refused_naming_its_key(tmp_path: Path, capsys, literal: str,
                                                                        command: str) -> None:
    """abs() of 1E+999999999 raised decimal.Overflow; int() of a 5000-digit literal ValueError."""
    data = data_with_amount(tmp_path, literal)
    argv = ["new", "--data", data] if command == "new" else ["consolidate", SMALL, data]
    rc, _, err = run(capsys, *argv, "-o", tmp_path / "o.xlsx")
    assert rc == 2 and "表2/2010301/财政拨款收入" in err and "不可用" in err and "not usable" in err
    assert not (tmp_path / "o.xlsx").exists()


def test_an_amount_of_1e_minus_400_is_an_ordinary_zero(tmp_path: Path, capsys) -> None:
    rc, _, _ = run(capsys, "new", "--data", data_with_amount(tmp_path, "1e-400"), "-o", tmp_path / "o.xlsx")
    assert rc == 0


@pytest.mark.parametrize("body,words", [
    (b'{"sheets": [{"name": "x", "values": [[' + b"9" * 5000 + b']]}]}', "超出范围"),
    (b'{"sheets": [{"name": "x", "values": [[1e400]]}]}', "超出范围"),
    (b'{"sheets": [{"name": "x", "values": [[Infinity]]}]}', "Infinity"),
    (b'{"sheets": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "嵌套过深"),
], ids=["5000-digit-int", "1e400", "Infinity", "deep"])
def test_a_snapshot_request_with_unusable_numbers_is_a_clear_refusal(tmp_path: Path, body: bytes,
                                                                      words: str) -> None:
    import re

    from juesuan.service.app import run_snapshot

    with pytest.raises(InputError) as info:  # was ValueError / RecursionError: a 500
        run_snapshot("check", body, tmp_path, tmp_path / "r")
    assert re.search(words, info.value.message)


@pytest.mark.parametrize("text,words", [
    ("[" * 100_000 + "]" * 100_000, "嵌套过深"),
    ('{"表2": {"2010301": {"上级补助收入": ' + "9" * 5000 + "}}}", "不可用"),
    ('{"表2": {}, "表2": {}}', "两次"),
], ids=["deep", "5000-digits", "key-twice"])
def test_an_elimination_file_of_hostile_json_is_refused_naming_it(tmp_path: Path, capsys, text: str,
                                                                  words: str) -> None:
    elim = tmp_path / "经费差额.json"
    elim.write_text(text, encoding="utf-8")
    rc, _, err = run(capsys, "consolidate", SMALL, _copy(SMALL, tmp_path), "--eliminate", elim, "--force",
                     "-o", tmp_path / "o.json")
    assert rc == 2 and words in err and "经费差额.json" in err
    assert not (tmp_path / "o.json").exists()


def _copy(src: Path, folder: Path) -> Path:
    dst = folder / "unit2.json"
    dst.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    return dst


@pytest.mark.parametrize("command", ["check", "fill", "narrate", "dump"])
def test_a_data_file_where_a_workbook_is_needed_says_so(tmp_path: Path, capsys, command: str) -> None:
    data = tmp_path / "d.json"
    data.write_text(json.dumps({"format": "nmg-2023"}), encoding="utf-8")
    rc, _, err = run(capsys, command, data)
    assert rc == 2 and "juesuan new --data" in err and "data file" in err


@pytest.fixture()
def limit_3(monkeypatch: pytest.MonkeyPatch) -> int:
    """The record limit made 3, so the guard is tested at its edge without 10,000-row files."""
    import juesuan.data_file
    import juesuan.locate

    monkeypatch.setattr(juesuan.data_file, "MAX_RECORDS", 3)
    monkeypatch.setattr(juesuan.locate, "MAX_RECORDS", 3)
    return 3


def records_data(tmp_path: Path, n: int) -> Path:
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    data["绩效指标"] = [dict(data["绩效指标"][0], 三级指标=f"指标{i}") for i in range(n)]
    path = tmp_path / f"r{n}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_record_tables_are_limited_in_data_files_and_sheets(tmp_path: Path, capsys, limit_3: int) -> None:
    """100,000 绩效指标 records took minutes to write (no department has 10,000): refused at the
    limit, naming the key (data file) or the sheet and first row past it (workbook)."""
    rc, _, err = run(capsys, "new", "--data", records_data(tmp_path, limit_3 + 1), "-o", tmp_path / "o.xlsx")
    assert rc == 2 and "绩效指标" in err and "上限 3 条" in err and "limit of 3" in err
    assert not (tmp_path / "o.xlsx").exists()
    with pytest.MonkeyPatch.context() as m:  # the workbook written under the real limit, then read under 3
        import juesuan.data_file
        import juesuan.locate

        m.setattr(juesuan.data_file, "MAX_RECORDS", 10_000)
        m.setattr(juesuan.locate, "MAX_RECORDS", 10_000)
        assert run(capsys, "new", "--data", records_data(tmp_path, limit_3 + 1), "-o", tmp_path / "w.xlsx")[0] == 0
    rc, _, err = run(capsys, "check", tmp_path / "w.xlsx")
    assert rc == 2 and "工作表 sheet「绩效指标」" in err and "上限 3 条" in err
    assert run(capsys, "new", "--data", records_data(tmp_path, limit_3), "-o", tmp_path / "ok.xlsx")[0] == 0
    assert run(capsys, "check", tmp_path / "ok.xlsx")[0] in (0, 1)
