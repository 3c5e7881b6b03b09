"""Safe with any input (issue 12), the readers: hostile containers and sheets (cases 5, 6, 8),
text a workbook cannot hold (9, 11, 15), amounts (12, 13, 14, 16).

Every refusal is exit status 2 with a message naming the file (and the sheet and cell, or the
data key); every finding is exit status 1; the input's bytes never change.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Callable

import openpyxl
import pytest

from juesuan.cli import main
from safe_support import book, run, small_book  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small.json"



def rewrite_part(src: Path, dst: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """A copy of the zip ``src`` with one part's bytes changed (what a hostile sender can do)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, change(data) if info.filename == part else data)
    return dst


def first_sheet_part(path: Path) -> str:
    return "xl/worksheets/sheet1.xml"


def amount_cell(path: Path, key: tuple[str, str, str] = ("表2", "2010301", "财政拨款收入")) -> tuple[str, str]:
    from juesuan.formats import load_format
    from juesuan.locate import read_book
    from juesuan.workbook_file import grids, load

    _, found = read_book(load_format(), grids(load(path)))
    a = found.address(key)
    assert a is not None
    return a.sheet, a.a1()


def set_cell(path: Path, sheet: str, a1: str, value: object) -> None:
    """A user's edit in Excel: one cell's value (a str stays a string cell)."""
    wb = openpyxl.load_workbook(path)
    wb[sheet][a1].value = value
    wb.save(path)


def data(**changes: object) -> dict:
    d = json.loads(SMALL.read_text(encoding="utf-8"))
    for path, value in changes.items():
        node = d
        keys = path.split("__")
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = value
    return d


def write_data(tmp_path: Path, d: object, name: str = "d.json") -> Path:
    """The data file as JSON text; unpaired surrogates as the \\udXXX escapes JSON allows."""
    p = tmp_path / name
    p.write_text(json.dumps(d, ensure_ascii=False).encode("utf-8", "backslashreplace").decode("utf-8"), encoding="utf-8")
    return p


# ── case 5: one value far away ─────────────────────────────────────────────────────────
FAR = textwrap.dedent("""
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))  # 1.5 GB: the old code needed 4 GB
    from juesuan.cli import main
    book, out = sys.argv[1], sys.argv[2]
    for argv in (["check", book], ["dump", book, "-o", out + "/d.json"], ["fill", book, "-o", out + "/f.xlsx"],
                 ["narrate", book, "-o", out + "/n.xlsx"], ["export", book, "--docx", out + "/e.docx"]):
        rc = main(argv)
        print("RESULT", argv[0], rc, flush=True)
""")


def test_one_value_at_xfd1048576_is_read_within_bounds(book: Path, tmp_path: Path, capsys) -> None:
    usual = run(capsys, "check", book)[0]  # the small department has findings of its own
    far = rewrite_part(book, tmp_path / "far.xlsx", first_sheet_part(book), lambda d: d.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
    before = far.read_bytes()
    done = subprocess.run([sys.executable, "-c", FAR, str(far), str(tmp_path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    results = dict(line.split()[1:] for line in done.stdout.splitlines() if line.startswith("RESULT "))
    assert results == {"check": str(usual), "dump": "0", "fill": "0", "narrate": "0", "export": "0"}, done.stderr[-2000:]
    assert far.read_bytes() == before


def test_sheet_extents_are_scanned_without_unpacking_into_memory(book: Path, tmp_path: Path) -> None:
    from juesuan.check.read import sheet_extents

    far = rewrite_part(book, tmp_path / "far.xlsx", first_sheet_part(book), lambda d: d.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
    assert sheet_extents(far)["xl/worksheets/sheet1.xml"] == (1048576, 16384)
    assert max(r for r, _ in sheet_extents(book).values()) < 100


# ── cases 6, 8: hostile containers and XML ─────────────────────────────────────────────
LOL = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
       + b"".join(b'<!ENTITY %s "%s">' % (bytes([c]), b"&%s;" % bytes([c - 1]) * 10) for c in range(ord("b"), ord("i")))
       + b"]>")


def bomb(xml: bytes) -> bytes:
    return LOL + re.sub(rb"^<\?xml[^>]*\?>", b"", xml).replace(b"<t>", b"<t>&h;", 1)


XML_DAMAGE = {
    "entity-bomb": bomb,
    "undefined-entity": lambda d: d.replace(b"<t>", b"<t>&foo;", 1),
    "truncated": lambda d: d[: len(d) // 2],
}


@pytest.mark.parametrize("damage", XML_DAMAGE, ids=list(XML_DAMAGE))
@pytest.mark.parametrize("command", ["check", "fill", "dump", "narrate", "export"])
def test_hostile_sheet_xml_is_a_clear_refusal(book: Path, tmp_path: Path, capsys, damage: str, command: str) -> None:
    bad = rewrite_part(book, tmp_path / "bad.xlsx", first_sheet_part(book), XML_DAMAGE[damage])
    before = bad.read_bytes()
    extra = {"dump": ["-o", tmp_path / "d.json"], "fill": ["-o", tmp_path / "f.xlsx"],
             "narrate": ["-o", tmp_path / "n.xlsx"], "export": ["--docx", tmp_path / "e.docx"]}.get(command, [])
    rc, _, err = run(capsys, command, bad, *extra)
    assert rc == 2 and "bad.xlsx" in err and "错误 error" in err
    assert bad.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name not in ("bad.xlsx", "B.xlsx")]


@pytest.fixture(scope="module")
def small_docx(small_book: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "small.docx"
    assert main(["export", str(small_book), "--docx", str(out)]) == 0
    return out


DOCX_DAMAGE = {
    **XML_DAMAGE,
    "entity-bomb": lambda d: LOL + re.sub(rb"^<\?xml[^>]*\?>", b"", d).replace(b"<w:t>", b"<w:t>&h;", 1),
    "undefined-entity": lambda d: d.replace(b"<w:t>", b"<w:t>&foo;", 1),
    "text-node-over-10MB": lambda d: d.replace(b"<w:t>", b"<w:t>" + b"a" * (11 << 20), 1),
}


@pytest.mark.parametrize("damage", DOCX_DAMAGE, ids=list(DOCX_DAMAGE))
def test_audit_of_a_hostile_docx_is_a_clear_refusal(small_docx: Path, tmp_path: Path, capsys, damage: str) -> None:
    bad = rewrite_part(small_docx, tmp_path / "bad.docx", "word/document.xml", DOCX_DAMAGE[damage])
    rc, _, err = run(capsys, "audit", bad)
    assert rc == 2 and "bad.docx" in err and "Word" in err


def test_a_docx_that_unpacks_too_far_is_refused_before_parsing(small_docx: Path, tmp_path: Path, capsys) -> None:
    bad = rewrite_part(small_docx, tmp_path / "bomb.docx", "word/document.xml",
                       lambda d: d.replace(b"<w:t>", b"<w:t>" + b"a" * (120 << 20), 1))
    assert bad.stat().st_size < 2 << 20
    rc, _, err = run(capsys, "audit", bad)
    assert rc == 2 and "解压后过大" in err


def test_1e308_in_an_amount_cell_is_reported_by_check_and_refused_by_fill(book: Path, capsys) -> None:
    sheet, a1 = amount_cell(book)
    set_cell(book, sheet, a1, 1e308)
    rc, out, _ = run(capsys, "check", book)
    assert rc == 1 and "S-5" in out and a1 in out
    rc, _, err = run(capsys, "fill", book)
    assert rc == 2 and a1 in err and "1e+308" in err


# ── cases 9, 11, 15: text a workbook cannot hold ───────────────────────────────────────
@pytest.mark.parametrize("text", ["a\x00b", "a\x0bb", "a\ufffeb", "a\ud800b", "\udfff", "x" * 32768],
                         ids=["NUL", "VT", "U+FFFE", "lone-high-surrogate", "lone-low-surrogate", "32768-chars"])
def test_text_a_cell_cannot_hold_is_refused_naming_the_key(tmp_path: Path, capsys, text: str) -> None:
    src = write_data(tmp_path, data(单位信息__部门名称=text))
    rc, _, err = run(capsys, "new", "--data", src, "-o", tmp_path / "o.xlsx")
    assert rc == 2 and "d.json" in err and "单位信息/部门名称" in err
    assert not (tmp_path / "o.xlsx").exists()


def test_text_of_exactly_32767_characters_is_kept_whole(tmp_path: Path, capsys) -> None:
    text = "长" * 32767
    src = write_data(tmp_path, data(部门概况={"部门职能": text}))
    assert run(capsys, "new", "--data", src, "-o", tmp_path / "o.xlsx")[0] == 0
    assert run(capsys, "dump", tmp_path / "o.xlsx", "-o", tmp_path / "back.json")[0] == 0
    assert json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))["部门概况"]["部门职能"] == text


def test_narrative_longer_than_a_cell_is_refused_not_cut(tmp_path: Path, capsys) -> None:
    """Each text fits a cell, but the paragraph built from two of them does not."""
    d = data(变动原因={"收支总计.年初预算": {"原因": "甲" * 20000}, "收支总计.上年": {"原因": "乙" * 20000}})
    src = write_data(tmp_path, d)
    book = tmp_path / "o.xlsx"
    assert run(capsys, "new", "--data", src, "-o", book)[0] == 0
    before = book.read_bytes()
    rc, _, err = run(capsys, "narrate", book)
    assert rc == 2 and "32,767" in err and "决算情况说明" in err
    assert book.read_bytes() == before
    (tmp_path / "in").mkdir()
    shutil.copy(src, tmp_path / "in" / "long.json")
    run(capsys, "batch", tmp_path / "in", "-o", tmp_path / "out", "--jobs", "1")  # the fast writer: the same rule
    dept = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["departments"][0]
    assert dept["status"] == "failed" and "32,767" in dept["reason"] and "决算情况说明" in dept["reason"]


def test_json_nested_10000_deep_is_refused(tmp_path: Path, capsys) -> None:
    src = tmp_path / "deep.json"
    src.write_text('{"format": "nmg-2023", "notes": ' + "[" * 10000 + "]" * 10000 + "}", encoding="utf-8")
    rc, _, err = run(capsys, "new", "--data", src, "-o", tmp_path / "o.xlsx")
    assert rc == 2 and "deep.json" in err and "嵌套过深" in err


def test_batch_of_text_over_the_cell_limit_fails_that_department_only(tmp_path: Path, capsys) -> None:
    src = tmp_path / "in"
    src.mkdir()
    write_data(src, data(部门概况={"部门职能": "x" * 1_048_666}), "long.json")
    write_data(src, data(), "fine.json")
    rc, _, _ = run(capsys, "batch", src, "-o", tmp_path / "out", "--jobs", "1")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    status = {d["name"]: (d["status"], d["reason"]) for d in summary["departments"]}
    assert status["fine"][0] in ("ok", "errors") and status["long"][0] == "failed"
    assert "32,767" in status["long"][1] and "部门概况/部门职能" in status["long"][1]
    assert not (tmp_path / "out" / "long.xlsx").exists()


def test_export_of_a_department_name_longer_than_words_title_limit(tmp_path: Path, capsys) -> None:
    src = write_data(tmp_path, data(单位信息__部门名称="很长的部门名称" * 50))
    book = tmp_path / "o.xlsx"
    assert run(capsys, "new", "--data", src, "-o", book)[0] == 0
    rc, _, err = run(capsys, "export", book, "--docx", tmp_path / "o.docx")
    assert rc == 0, err
    from docx import Document

    doc = Document(str(tmp_path / "o.docx"))
    assert len(doc.core_properties.title) <= 255
    assert any("很长的部门名称" * 50 in p.text for p in doc.paragraphs)  # the text itself is whole


# ── cases 12, 13, 14, 16: amounts ──────────────────────────────────────────────────────
@pytest.mark.parametrize("typed,value", [("1,234.5", "1234.5"), ("１２３", "123"), (" 12 ", "12"),
                                         ("１，２３４．５", "1234.5"), ("1,234,567", "1234567")])
def test_numbers_typed_as_text_are_read_as_people_mean_them(typed: str, value: str) -> None:
    from juesuan.money import parse_amount

    assert parse_amount(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["1,5", "12,34", "1,2345", "1 234", "1e5", "NaN", "Infinity", "1.2.3", ",5"])
def test_text_that_is_not_a_number_is_refused(typed: str) -> None:
    from juesuan.money import parse_amount

    with pytest.raises(ValueError):
        parse_amount(typed)


def test_comma_as_decimal_mark_in_a_workbook_cell_is_refused_naming_it(book: Path, capsys) -> None:
    sheet, a1 = amount_cell(book)
    set_cell(book, sheet, a1, "1,5")
    before = book.read_bytes()
    rc, _, err = run(capsys, "fill", book)
    assert rc == 2 and a1 in err and sheet in err and "1,5" in err
    assert book.read_bytes() == before


def test_comma_as_decimal_mark_in_a_data_file_is_refused(tmp_path: Path, capsys) -> None:
    src = write_data(tmp_path, data(表1={"年初结转和结余": {"金额": "1,5"}}))
    rc, _, err = run(capsys, "new", "--data", src, "-o", tmp_path / "o.xlsx")
    assert rc == 2 and "表1/年初结转和结余/金额" in err and "1,5" in err


def test_text_amount_is_converted_by_narrate_reported_by_check_refused_by_export(book: Path, tmp_path: Path,
                                                                              capsys) -> None:
    sheet, a1 = amount_cell(book)
    set_cell(book, sheet, a1, "1,234.5")
    rc, out, _ = run(capsys, "check", book)
    assert rc == 1 and "S-5" in out and a1 in out and "文本形式的数字" in out
    rc, _, err = run(capsys, "export", book, "--docx", tmp_path / "e.docx")
    assert rc == 2 and a1 in err and "文本形式的数字" in err and not (tmp_path / "e.docx").exists()
    assert run(capsys, "narrate", book)[0] == 0
    assert openpyxl.load_workbook(book)[sheet][a1].value == 1234.5  # a number now: Excel's SUM counts it
    rc, out, _ = run(capsys, "check", book)
    assert "文本形式的数字" not in out


@pytest.mark.parametrize("amount,ok", [("9999999999.99", True), ("10000000000", False), ("1e14", False),
                                       ("500000000000000", False)])
def test_amounts_at_the_limit(tmp_path: Path, capsys, amount: str, ok: bool) -> None:
    src = tmp_path / "d.json"
    text = json.dumps(data(), ensure_ascii=False).replace('"金额": 1.5', f'"金额": {amount}')
    assert amount in text
    src.write_text(text, encoding="utf-8")
    book = tmp_path / "o.xlsx"
    rc, _, err = run(capsys, "new", "--data", src, "-o", book)
    if not ok:
        assert rc == 2 and "表1/年初结转和结余/金额" in err and "10,000,000,000" in err
        return
    assert rc == 0
    rc, out, _ = run(capsys, "check", book)
    assert not re.search(r"\[错误 F-", out), out  # fill's own output passes its formula checks


def test_negative_amount_one_rule_for_workbook_and_data_file(book: Path, tmp_path: Path, capsys) -> None:
    sheet, a1 = amount_cell(book)
    set_cell(book, sheet, a1, -5)
    rc, out, _ = run(capsys, "check", book)
    assert rc == 1 and "S-4" in out and a1 in out
    for argv in (["dump", book, "-o", tmp_path / "d.json"], ["fill", book]):
        rc, _, err = run(capsys, *argv)
        assert rc == 2 and a1 in err and "负数" in err
    src = write_data(tmp_path, data(表2={"2010301": {"财政拨款收入": -5}}), "neg.json")
    rc, _, err = run(capsys, "new", "--data", src, "-o", tmp_path / "o.xlsx")
    assert rc == 2 and "负数" in err
