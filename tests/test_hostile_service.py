"""The local service's request handlers on hostile requests (found by ``bench/redteam.py``): a
refusal is an InputError naming the workbook (and sheet and cell), never a 500 with a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from juesuan.errors import InputError
from juesuan.service.app import run_snapshot, run_upload
from juesuan.service.snapshot import from_file
from safe_support import small_book  # noqa: F401  (fixture)


@pytest.mark.parametrize("text", ["示例\x07局", "a\ufffeb", "局" * 32768])
def test_snapshot_text_a_cell_cannot_hold_is_refused_naming_the_cell(small_book: Path, tmp_path: Path,
                                                                      text: str) -> None:
    snap = from_file(small_book)
    sheet = next(s for s in snap["sheets"] if s["name"] == "单位信息")
    sheet["values"][4][1] = sheet["formulas"][4][1] = text
    with pytest.raises(InputError) as info:  # was openpyxl's IllegalCharacterError: a 500
        run_snapshot("fill", json.dumps(snap).encode(), tmp_path, tmp_path / "r")
    where = info.value.where
    assert (where.sheet, where.cell) == ("单位信息", "B5")
    assert info.value.zh and info.value.en


@pytest.mark.parametrize("name,body", [("空.xlsx", b""), ("旧.xls", b"x"), ("图.png", b"x")])
def test_upload_refusals_name_the_uploaded_file(tmp_path: Path, name: str, body: bytes) -> None:
    with pytest.raises(InputError) as info:
        run_upload(name, body, tmp_path, tmp_path / "r", False, False)
    assert info.value.where.file == name
    assert name in info.value.message


@pytest.mark.parametrize("text", ["\t=HYPERLINK(\"http://x\",\"点击\")", "\r=1+1", " =1+1", "\n@SUM(1)"])
def test_text_starting_with_space_then_equals_is_text_through_every_reader(tmp_path: Path, text: str) -> None:
    """A data file's 联系人 of "\\t=…" is text, written as text; the openpyxl reader (the service's
    pipeline, narrate's fallback) stripped it and took it for a formula in an input cell."""
    from juesuan.session import Session

    data = json.loads((Path(__file__).parent / "data" / "small.json").read_text(encoding="utf-8"))
    data["单位信息"]["联系人"] = text
    body = json.dumps(data, ensure_ascii=False).encode()
    answer = run_upload("部门.json", body, tmp_path, tmp_path / "r", False, False)
    assert answer["ok"]
    book = next((tmp_path / "r").glob("*.xlsx"))
    assert Session.workbook(book).book.values[("单位信息", "联系人", "值")] == text
