"""Hostile files and paths found by ``bench/redteam.py``: each is refused at once with a message
naming the file, in Chinese with the English beside it (exit status 2), and nothing is written."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

from safe_support import book, run, small_book  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small.json"


def copy_zip(src: Path, dst: Path, extra: list[tuple[str, bytes]]) -> Path:
    """A copy of the zip ``src`` with more members appended (names may repeat)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Duplicate name" is the point
            for name, data in extra:
                zout.writestr(name, data)
    return dst


@pytest.mark.parametrize("argv", [
    ["check", "{x}"], ["fill", "{x}", "-o", "{d}/o.xlsx"], ["dump", "{x}"], ["export", "{x}", "--docx", "{d}/o.docx"],
    ["new", "--data", "{x}", "-o", "{d}/o.xlsx"], ["new", "--prior", "{x}", "-o", "{d}/o.xlsx"], ["audit", "{x}"],
], ids=lambda a: a[0] + ("-prior" if "--prior" in a else ""))
def test_a_fifo_given_as_input_is_refused_at_once_not_waited_on(tmp_path: Path, argv: list[str]) -> None:
    fifo = tmp_path / "in.xlsx"
    os.mkfifo(fifo)
    args = [a.format(x=fifo, d=tmp_path) for a in argv]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    try:  # the old code opened the FIFO and waited for a writer for ever
        p = subprocess.run([sys.executable, "-m", "juesuan.cli", *args], capture_output=True, text=True, timeout=60,
                           env=env)
    except subprocess.TimeoutExpired:
        pytest.fail("the command waited on the FIFO")
    assert p.returncode == 2 and "不是普通文件" in p.stderr and "not a regular file" in p.stderr and str(fifo) in p.stderr
    assert sorted(x.name for x in tmp_path.iterdir()) == ["in.xlsx"]


def test_a_folder_or_a_link_to_nothing_given_as_input_is_named(tmp_path: Path, capsys) -> None:
    (tmp_path / "d.xlsx").mkdir()
    rc, _, err = run(capsys, "check", tmp_path / "d.xlsx")
    assert rc == 2 and "文件夹" in err and "folder" in err
    (tmp_path / "l.json").symlink_to(tmp_path / "gone.json")
    rc, _, err = run(capsys, "new", "--data", tmp_path / "l.json", "-o", tmp_path / "o.xlsx")
    assert rc == 2 and "找不到文件" in err and "l.json" in err
    assert not (tmp_path / "o.xlsx").exists()


def test_a_workbook_holding_a_part_twice_is_refused(book: Path, tmp_path: Path, capsys) -> None:
    """Python's zipfile reads the last copy, Excel and LibreOffice may read the first: the numbers
    juesuan checks would not be the ones the user sees."""
    bad = copy_zip(book, tmp_path / "twice.xlsx", [("xl/worksheets/sheet12.xml", b"<worksheet/>")])
    rc, _, err = run(capsys, "check", bad)
    assert rc == 2 and "出现了两次" in err and "twice" in err and "twice.xlsx" in err


@pytest.mark.parametrize("name", ["../../escaped.txt", "/tmp/escaped.txt", "xl/../../escaped.txt"])
def test_a_workbook_with_a_part_named_outside_the_package_is_refused(book: Path, tmp_path: Path, capsys,
                                                                     name: str) -> None:
    """fill copies unknown parts byte for byte: the name would travel on to whatever unpacks it next."""
    bad = copy_zip(book, tmp_path / "slip.xlsx", [(name, b"x")])
    before = bad.read_bytes()
    rc, _, err = run(capsys, "fill", bad)
    assert rc == 2 and "包外" in err and "outside the package" in err
    assert bad.read_bytes() == before


def compound_file(path: Path, streams: list[str]) -> Path:
    """The start of a compound (OLE) file whose directory names ``streams``."""
    head = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504
    path.write_bytes(head + b"".join(s.encode("utf-16-le") + b"\0" * 40 for s in streams) + b"\0" * 2048)
    return path


def test_a_password_protected_workbook_is_said_to_be_one(tmp_path: Path, capsys) -> None:
    bad = compound_file(tmp_path / "locked.xlsx", ["EncryptionInfo", "EncryptedPackage"])
    rc, _, err = run(capsys, "check", bad)
    assert rc == 2 and "密码" in err and "password-protected" in err and "locked.xlsx" in err


def test_an_old_xls_renamed_xlsx_is_said_to_be_one(tmp_path: Path, capsys) -> None:
    bad = compound_file(tmp_path / "old.xlsx", ["Workbook"])
    rc, _, err = run(capsys, "fill", bad)
    assert rc == 2 and ".xls" in err and "old binary Office file" in err


def test_cells_are_counted_exactly_across_stream_chunks(tmp_path: Path) -> None:
    """The guard counts ``<c`` elements as the XML streams out in 1 MB chunks: a 3 MB sheet of
    known cells (prefixed and not, some self-closing) is counted exactly."""
    from juesuan.workbook_file import _count_cells

    cells = ['<c r="A1"><v>1</v></c>', '<x:c r="B1" s="3"/>', "<c>", '<col min="1"/>', "<cfRule/>"]
    body = "".join(cells[i % 5] for i in range(150_000))
    path = tmp_path / "z.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + body + "</sheetData></worksheet>")
    with zipfile.ZipFile(path) as z:
        assert _count_cells(z, z.getinfo("xl/worksheets/sheet1.xml")) == 90_000


def test_a_workbook_past_the_cell_limit_is_refused_naming_its_largest_sheet(book: Path, tmp_path: Path, capsys,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """1,000,000 rows pasted below a table kept every command busy for minutes (openpyxl reads
    them all); the guard is tested at a limit set just below and at the workbook's own count."""
    import juesuan.workbook_file as wf

    with zipfile.ZipFile(book) as z:
        own = sum(wf._count_cells(z, i) for i in z.infolist() if i.filename.startswith("xl/worksheets/"))
    monkeypatch.setattr(wf, "MAX_WORKBOOK_CELLS", own)
    assert run(capsys, "check", book)[0] in (0, 1)
    monkeypatch.setattr(wf, "MAX_WORKBOOK_CELLS", own - 1)
    before = book.read_bytes()
    rc, _, err = run(capsys, "fill", book)
    assert rc == 2 and "单元格过多" in err and "too many cells" not in err and "more than" in err
    assert "工作表 sheet「" in err and book.read_bytes() == before
