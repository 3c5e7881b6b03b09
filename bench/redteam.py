"""Red-team harness: hostile inputs × every user-facing command, through the real CLI.

Builds hostile workbooks, data files, documents, paths and service requests systematically
(containers, XML, encodings, numbers, texts, sheets and rows, file-system oddities, outputs) and
runs each through every command that takes it — ``juesuan fill/check/narrate/export/dump/new/
consolidate/batch/audit`` and ``new --prior`` (carry) as child processes, and the local
service's request handlers (``service.app.run_upload`` / ``run_snapshot``) in a child process the
same way — each with a 60 s limit and a 3 GB address-space limit.

Every run is judged on the project's promise:

- exit status 0, 1 or 2, never a traceback (status 3, "Traceback", a signal);
- a refusal (status 2) is in Chinese with the English beside it and names where (file, sheet,
  cell or key);
- no input changed unless the command's job is to change it and it succeeded; nothing written
  when a command refuses (an output that existed is left as it was); nothing written outside the
  work folder (zip-slip);
- no text from the input becomes a live formula (``<f>`` holding the marker) in any written
  workbook, nor a field in a written .docx; with ``--lo`` LibreOffice (``soffice --convert-to
  csv``, every sheet) must show each hostile text verbatim;
- within 60 s and 3 GB.

Usage::

    PYTHONPATH=src python bench/redteam.py [--only SUBSTR] [--commands fill,check] [--jobs 2] [--lo]

Prints one line per run (case, command, outcome, the message's first characters) and a summary:
the matrix size and the failures by kind.  Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
SMALL_JSON = ROOT / "tests" / "data" / "small.json"
REF_JSON = ROOT / "src" / "juesuan" / "reference" / "nmg-2023-reference.json"
TIMEOUT = 60
SRC = ROOT / "src"  # the juesuan the children run (--src: another checkout's, e.g. the code before a fix)
MEMORY = 3 * 1024**3
MARK = "RTMK"
HOSTILE = [  # every one must reach a workbook as these characters
    "=cmd|' /C calc " + MARK + "'!A0",
    '=HYPERLINK("http://' + MARK + '.example/","点击")',
    "+" + MARK + "+1",
    "-" + MARK + "-1",
    "@SUM(" + MARK + ")",
    "\t=" + MARK + "()",
    "\r=" + MARK + "(1)",
    "=DDE(\"cmd\";\"/C calc\";\"" + MARK + "\")",
]
UNIT_SHEET = "单位信息"


# ── building blocks ──
def cli(*argv: Any) -> list[str]:
    return [sys.executable, "-m", "juesuan.cli", *map(str, argv)]  # run with PYTHONPATH=SRC


def rewrite_zip(src: Path, dst: Path, edits: dict[str, Callable[[bytes], bytes] | bytes | None] | None = None,
                extra: list[tuple[str, bytes]] | None = None) -> Path:
    """A copy of the zip ``src`` with some members changed (fn or bytes), dropped (None) or added."""
    edits = edits or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in edits:
                e = edits[info.filename]
                if e is None:
                    continue
                data = e(data) if callable(e) else e
            zout.writestr(info.filename, data)
        for name, data in extra or []:
            zout.writestr(name, data)
    return dst


def sheet_part(book: Path, title: str) -> str:
    """The zip member of the sheet called ``title``."""
    with zipfile.ZipFile(book) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet [^>]*name="' + re.escape(title) + r'"[^>]*r:id="([^"]+)"', wb)
    if rid is None:  # written by openpyxl with the attribute order differing
        rid = re.search(r'<sheet [^>]*r:id="([^"]+)"[^>]*name="' + re.escape(title) + '"', wb)
    target = re.search(r'<Relationship [^>]*Id="' + rid.group(1) + r'"[^>]*Target="([^"]+)"', rels) or \
        re.search(r'<Relationship [^>]*Target="([^"]+)"[^>]*Id="' + rid.group(1) + '"', rels)
    t = target.group(1).lstrip("/")
    return t if t.startswith("xl/") else "xl/" + t


def set_cell(xml: bytes, ref: str, new: str) -> bytes:
    """Sheet XML with the cell ``ref`` replaced by ``new`` (whole ``<c>`` element)."""
    text = xml.decode()
    pat = re.compile(r'<c r="' + ref + r'"(?:[^>]*/>|[^>]*>.*?</c>)', re.S)
    if not pat.search(text):
        row = re.match(r"[A-Z]+(\d+)", ref).group(1)
        rpat = re.compile(r'(<row r="' + row + r'"[^>]*>)')
        if rpat.search(text):
            return rpat.sub(lambda m: m.group(1) + new, text, count=1).encode()
        return text.replace("</sheetData>", f'<row r="{row}">{new}</row></sheetData>').encode()
    return pat.sub(lambda m: new, text, count=1).encode()


def inline(ref: str, text: str) -> str:
    from xml.sax.saxutils import escape

    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def input_cell(book: Path, table_sheet: str, row_label: str, col: int) -> str:
    """The address of the cell in column ``col`` of the row whose column A is ``row_label``."""
    import openpyxl

    ws = openpyxl.load_workbook(book)[table_sheet]
    for r in range(1, ws.max_row + 1):
        if str(ws.cell(r, 1).value or "").strip() == row_label:
            return f"{ws.cell(r, col).column_letter}{r}"
    raise KeyError(row_label)


def openpyxl_edit(src: Path, dst: Path, fn: Callable[[Any], None]) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(src)
    fn(wb)
    wb.save(dst)
    return dst


def ole(dst: Path, encrypted: bool) -> Path:
    """A compound file (OLE) header as an .xls or a password-protected .xlsx starts."""
    head = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00" + b"\0" * 480
    body = ("EncryptionInfo".encode("utf-16-le") + b"\0" * 50 + "EncryptedPackage".encode("utf-16-le")) if encrypted \
        else "Workbook".encode("utf-16-le")
    dst.write_bytes(head + body + b"\0" * (4096 - len(body)))
    return dst


XXE = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">' +
          "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)) + "]>")


def with_doctype(doctype: str, entity: str) -> Callable[[bytes], bytes]:
    """XML with a DOCTYPE before the root and the entity used in the first text node."""
    def fn(data: bytes) -> bytes:
        text = re.sub(r"^<\?xml[^>]*\?>", "", data.decode())
        text = re.sub(r"(<t[ >][^<]*?)(</t>)", lambda m: m.group(1) + entity + m.group(2), text, count=1) \
            if "<t" in text else text
        return (doctype + text).encode()
    return fn


# ── cases ──
@dataclass
class Case:
    name: str
    kind: str  # xlsx | json | doc | snapshot
    build: Callable[[Path, "Bases"], Path | bytes]  # → the input path (or snapshot bytes)
    texts: list[str] = field(default_factory=list)  # hostile texts that must land verbatim as text
    as_nobody: bool = False  # run the command as an unprivileged user (permission cases)


@dataclass
class Bases:
    small_json: Path
    ref_json: Path
    book: Path  # small.json filled by juesuan
    lo_book: Path  # the same saved by LibreOffice (shared strings, its own XML)
    docx: Path
    snapshot: dict[str, Any]


def prepare(base: Path) -> Bases:
    base.mkdir(parents=True, exist_ok=True)
    book = base / "good.xlsx"
    subprocess.run(cli("new", "--data", SMALL_JSON, "-o", book, "--force"), check=True, capture_output=True)
    lo_dir = base / "lo"
    lo_dir.mkdir(exist_ok=True)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{base}/lo-profile", "--convert-to", "xlsx",
                    "--outdir", str(lo_dir), str(book)], check=True, capture_output=True, timeout=180)
    docx = base / "good.docx"
    subprocess.run(cli("export", book, "--docx", docx), check=True, capture_output=True)
    from juesuan.service.snapshot import from_file

    return Bases(SMALL_JSON, REF_JSON, book, lo_dir / "good.xlsx", docx, from_file(book))


def registrar(C: list[Case], kind: str):  # type: ignore[no-untyped-def]
    """A decorator ``@case(name, texts, nobody)`` adding the input a function builds to ``C``."""
    def case(name: str, texts: list[str] | None = None, nobody: bool = False):  # type: ignore[no-untyped-def]
        def deco(fn: Callable[[Path, Bases], Path]) -> Callable[[Path, Bases], Path]:
            C.append(Case(name, kind, fn, texts or [], nobody))
            return fn
        return deco
    return case


def not_a_file(case, name: str, good: Callable[[Bases], Path], fifo: str | None = None,  # type: ignore[no-untyped-def]
               dangling: bool = False) -> None:
    """The inputs named ``name`` that are no readable regular file: a folder, a FIFO (named ``fifo``),
    the good input without read permission (run as nobody) and, with ``dangling``, a link to nothing."""
    @case(f"a folder named {name}")
    def _(d: Path, b: Bases) -> Path:
        (d / name).mkdir()
        return d / name

    @case(f"a FIFO named {fifo or name}")
    def _(d: Path, b: Bases) -> Path:
        os.mkfifo(d / (fifo or name))
        return d / (fifo or name)

    @case("no read permission", nobody=True)
    def _(d: Path, b: Bases) -> Path:
        p = Path(shutil.copy(good(b), d / name))
        p.chmod(0)
        return p

    if dangling:
        @case("dangling symlink")
        def _(d: Path, b: Bases) -> Path:
            (d / name).symlink_to(d / "gone.xlsx")
            return d / name


def xlsx_cases() -> list[Case]:
    C: list[Case] = []
    case = registrar(C, "xlsx")

    @case("good (control)")
    def _(d: Path, b: Bases) -> Path:
        return Path(shutil.copy(b.book, d / "b.xlsx"))

    @case("saved by LibreOffice (control)")
    def _(d: Path, b: Bases) -> Path:
        return Path(shutil.copy(b.lo_book, d / "b.xlsx"))

    @case("empty file")
    def _(d: Path, b: Bases) -> Path:
        (d / "b.xlsx").write_bytes(b"")
        return d / "b.xlsx"

    not_a_file(case, "b.xlsx", lambda b: b.book, dangling=True)

    @case("symlink to a good book")
    def _(d: Path, b: Bases) -> Path:
        shutil.copy(b.book, d / "real.xlsx")
        (d / "b.xlsx").symlink_to(d / "real.xlsx")
        return d / "b.xlsx"

    @case("truncated zip (first half)")
    def _(d: Path, b: Bases) -> Path:
        data = b.book.read_bytes()
        (d / "b.xlsx").write_bytes(data[: len(data) // 2])
        return d / "b.xlsx"

    @case("truncated zip (last 100 bytes cut)")
    def _(d: Path, b: Bases) -> Path:
        (d / "b.xlsx").write_bytes(b.book.read_bytes()[:-100])
        return d / "b.xlsx"

    @case("corrupt deflate stream in a sheet")
    def _(d: Path, b: Bases) -> Path:
        data = bytearray(b.book.read_bytes())
        with zipfile.ZipFile(b.book) as z:
            info = z.getinfo(sheet_part(b.book, UNIT_SHEET))
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        for i in range(start + 20, start + 60):
            data[i] ^= 0x5A
        (d / "b.xlsx").write_bytes(bytes(data))
        return d / "b.xlsx"

    @case("old .xls (OLE) renamed .xlsx")
    def _(d: Path, b: Bases) -> Path:
        return ole(d / "b.xlsx", encrypted=False)

    @case("password-protected (encrypted OLE) .xlsx")
    def _(d: Path, b: Bases) -> Path:
        return ole(d / "b.xlsx", encrypted=True)

    @case("CSV renamed .xlsx")
    def _(d: Path, b: Bases) -> Path:
        (d / "b.xlsx").write_text("项目,金额\n部门名称,示例局\n", encoding="utf-8")
        return d / "b.xlsx"

    @case(".docx renamed .xlsx")
    def _(d: Path, b: Bases) -> Path:
        return Path(shutil.copy(b.docx, d / "b.xlsx"))

    @case(".xls suffix on a good book")
    def _(d: Path, b: Bases) -> Path:
        return Path(shutil.copy(b.book, d / "b.xls"))

    @case("zip bomb: a 1 GB sheet")
    def _(d: Path, b: Bases) -> Path:
        part = sheet_part(b.book, "部门概况")
        dst = d / "b.xlsx"
        shutil.copy(b.book, dst)
        _replace_member_streamed(dst, part, 1024**3)
        return dst

    @case("zip bomb: 100 MB at 1000:1")
    def _(d: Path, b: Bases) -> Path:
        part = sheet_part(b.book, "部门概况")
        dst = d / "b.xlsx"
        shutil.copy(b.book, dst)
        _replace_member_streamed(dst, part, 100 * 1024**2)
        return dst

    @case("zip bomb: sizes understated in the headers")
    def _(d: Path, b: Bases) -> Path:
        dst = d / "b.xlsx"
        shutil.copy(b.book, dst)
        _replace_member_streamed(dst, sheet_part(b.book, "部门概况"), 400 * 1024**2, lie=True)
        return dst

    @case("20,000 zip members")
    def _(d: Path, b: Bases) -> Path:
        return rewrite_zip(b.book, d / "b.xlsx", extra=[(f"junk/{i}.bin", b"") for i in range(20_000)])

    @case("zip-slip member names")
    def _(d: Path, b: Bases) -> Path:
        return rewrite_zip(b.book, d / "b.xlsx", extra=[("../../rt-escaped.txt", b"x"),
                                                        ("/tmp/rt-escaped-abs.txt", b"x"),
                                                        ("..\\..\\rt-escaped-win.txt", b"x")])

    @case("duplicate zip member (two 单位信息 sheets)")
    def _(d: Path, b: Bases) -> Path:
        part = sheet_part(b.book, UNIT_SHEET)
        with zipfile.ZipFile(b.book) as z:
            other = set_cell(z.read(part), "B5", inline("B5", "另一个局"))
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return rewrite_zip(b.book, d / "b.xlsx", extra=[(part, other)])

    @case("deep XML nesting in a sheet")
    def _(d: Path, b: Bases) -> Path:
        part = sheet_part(b.book, UNIT_SHEET)
        deep = "<r>" * 100_000 + "</r>" * 100_000
        return rewrite_zip(b.book, d / "b.xlsx", {part: lambda x: set_cell(
            x, "B7", f'<c r="B7" t="inlineStr"><is>{deep}<t>x</t></is></c>')})

    @case("XXE external entity in a sheet")
    def _(d: Path, b: Bases) -> Path:
        return rewrite_zip(b.book, d / "b.xlsx", {sheet_part(b.book, UNIT_SHEET): with_doctype(XXE, "&xxe;")})

    @case("billion laughs in a sheet")
    def _(d: Path, b: Bases) -> Path:
        return rewrite_zip(b.book, d / "b.xlsx", {sheet_part(b.book, UNIT_SHEET): with_doctype(LAUGHS, "&j;")})

    @case("billion laughs in sharedStrings")
    def _(d: Path, b: Bases) -> Path:
        return rewrite_zip(b.lo_book, d / "b.xlsx", {"xl/sharedStrings.xml": with_doctype(LAUGHS, "&j;")})

    @case("XXE in sharedStrings")
    def _(d: Path, b: Bases) -> Path:
        return rewrite_zip(b.lo_book, d / "b.xlsx", {"xl/sharedStrings.xml": with_doctype(XXE, "&xxe;")})

    @case("XXE in workbook.xml")
    def _(d: Path, b: Bases) -> Path:
        return rewrite_zip(b.book, d / "b.xlsx", {"xl/workbook.xml": with_doctype(XXE, "")})

    @case("XXE in styles.xml")
    def _(d: Path, b: Bases) -> Path:
        return rewrite_zip(b.book, d / "b.xlsx", {"xl/styles.xml": with_doctype(XXE, "")})

    @case("billion laughs in [Content_Types].xml")
    def _(d: Path, b: Bases) -> Path:
        return rewrite_zip(b.book, d / "b.xlsx", {"[Content_Types].xml": with_doctype(LAUGHS, "")})

    @case("sheet part listed but missing")
    def _(d: Path, b: Bases) -> Path:
        return rewrite_zip(b.book, d / "b.xlsx", {sheet_part(b.book, "一般公共预算财政拨款支出决算表"): None})

    @case("sheet relationship points outside the package")
    def _(d: Path, b: Bases) -> Path:
        part = sheet_part(b.book, UNIT_SHEET).removeprefix("xl/")
        return rewrite_zip(b.book, d / "b.xlsx", {"xl/_rels/workbook.xml.rels": lambda x: x.replace(
            f'Target="/xl/{part}"'.encode(), b'Target="../../../../etc/passwd"').replace(
            f'Target="{part}"'.encode(), b'Target="../../../../etc/passwd"')})

    @case("sheet relationship is external (http)")
    def _(d: Path, b: Bases) -> Path:
        part = sheet_part(b.book, UNIT_SHEET).removeprefix("xl/")
        return rewrite_zip(b.book, d / "b.xlsx", {"xl/_rels/workbook.xml.rels": lambda x: x.replace(
            f'Target="/xl/{part}"'.encode(), b'Target="http://example.invalid/x.xml" TargetMode="External"').replace(
            f'Target="{part}"'.encode(), b'Target="http://example.invalid/x.xml" TargetMode="External"')})

    @case("table sheet deleted")
    def _(d: Path, b: Bases) -> Path:
        return openpyxl_edit(b.book, d / "b.xlsx", lambda wb: wb.remove(wb["一般公共预算财政拨款支出决算表"]))

    @case("table sheet renamed")
    def _(d: Path, b: Bases) -> Path:
        def fn(wb: Any) -> None:
            wb["一般公共预算财政拨款支出决算表"].title = "表五"
        return openpyxl_edit(b.book, d / "b.xlsx", fn)

    @case("input sheet 单位信息 deleted")
    def _(d: Path, b: Bases) -> Path:
        return openpyxl_edit(b.book, d / "b.xlsx", lambda wb: wb.remove(wb[UNIT_SHEET]))

    @case("table sheet hidden")
    def _(d: Path, b: Bases) -> Path:
        def fn(wb: Any) -> None:
            wb["一般公共预算财政拨款支出决算表"].sheet_state = "veryHidden"
        return openpyxl_edit(b.book, d / "b.xlsx", fn)

    @case("extra sheets with formula-like names", texts=[HOSTILE[2]])
    def _(d: Path, b: Bases) -> Path:
        def fn(wb: Any) -> None:
            ws = wb.create_sheet("@SUM(" + MARK + ")")
            ws["A1"] = HOSTILE[2]
            ws["A1"].data_type = "s"
            wb.create_sheet("决算情况说明(手改1)")
        return openpyxl_edit(b.book, d / "b.xlsx", fn)

    @case("all sheets renamed (format unknown)")
    def _(d: Path, b: Bases) -> Path:
        def fn(wb: Any) -> None:
            for i, ws in enumerate(wb.worksheets):
                ws.title = f"S{i}"
            wb.defined_names.pop("_juesuan_format", None)
        return openpyxl_edit(b.book, d / "b.xlsx", fn)

    @case("format stamp names an unknown format")
    def _(d: Path, b: Bases) -> Path:
        return rewrite_zip(b.book, d / "b.xlsx", {"xl/workbook.xml": lambda x: re.sub(
            rb'(name="_juesuan_format"[^>]*>)[^<]*<', rb'\1"../../etc/passwd"<', x)})

    @case("row inserted in a code table")
    def _(d: Path, b: Bases) -> Path:
        def fn(wb: Any) -> None:
            wb["一般公共预算财政拨款支出决算表"].insert_rows(9)
        return openpyxl_edit(b.book, d / "b.xlsx", fn)

    @case("row inserted in a fixed table with text in it")
    def _(d: Path, b: Bases) -> Path:
        def fn(wb: Any) -> None:
            ws = wb["收入支出决算总表"]
            ws.insert_rows(10)
            ws["A10"] = "插入的行"
            ws["B10"] = 5
        return openpyxl_edit(b.book, d / "b.xlsx", fn)

    @case("row deleted in a fixed table")
    def _(d: Path, b: Bases) -> Path:
        def fn(wb: Any) -> None:
            wb["收入支出决算总表"].delete_rows(8)
        return openpyxl_edit(b.book, d / "b.xlsx", fn)

    @case("header rows deleted")
    def _(d: Path, b: Bases) -> Path:
        def fn(wb: Any) -> None:
            wb["一般公共预算财政拨款支出决算表"].delete_rows(1, 6)
        return openpyxl_edit(b.book, d / "b.xlsx", fn)

    @case("merged cells over input cells")
    def _(d: Path, b: Bases) -> Path:
        def fn(wb: Any) -> None:
            ws = wb["一般公共预算财政拨款支出决算表"]
            r = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value) == "2010301")
            ws.merge_cells(start_row=r, start_column=3, end_row=r + 1, end_column=5)
            wb[UNIT_SHEET].merge_cells("A5:B6")
        return openpyxl_edit(b.book, d / "b.xlsx", fn)

    def amount(label: str, value_xml: Callable[[str], str]) -> Callable[[Path, Bases], Path]:
        def build(d: Path, b: Bases) -> Path:
            ref = input_cell(b.book, "一般公共预算财政拨款支出决算表", "2010301", 4)
            return rewrite_zip(b.book, d / "b.xlsx", {sheet_part(b.book, "一般公共预算财政拨款支出决算表"):
                                                      lambda x: set_cell(x, ref, value_xml(ref))})
        C.append(Case(f"amount cell: {label}", "xlsx", build))
        return build

    amount("text 'abc'", lambda r: inline(r, "abc"))
    amount("full-width digits '１２３．５'", lambda r: inline(r, "１２３．５"))
    amount("thousands '1,234.5'", lambda r: inline(r, "1,234.5"))
    amount("decimal comma '1,5'", lambda r: inline(r, "1,5"))
    amount("negative zero", lambda r: f'<c r="{r}"><v>-0</v></c>')
    amount("1e308", lambda r: f'<c r="{r}"><v>1E+308</v></c>')
    amount("1e400 (inf)", lambda r: f'<c r="{r}"><v>1E+400</v></c>')
    amount("NaN", lambda r: f'<c r="{r}"><v>NaN</v></c>')
    amount("-inf text", lambda r: f'<c r="{r}"><v>-inf</v></c>')
    amount("number 'abc' in a numeric cell", lambda r: f'<c r="{r}"><v>abc</v></c>')
    amount("empty <v/>", lambda r: f'<c r="{r}"><v></v></c>')
    amount("boolean 7", lambda r: f'<c r="{r}" t="b"><v>7</v></c>')
    amount("date 'garbage'", lambda r: f'<c r="{r}" t="d"><v>garbage</v></c>')
    amount("date 2023-01-01", lambda r: f'<c r="{r}" t="d"><v>2023-01-01T00:00:00</v></c>')
    amount("error #DIV/0!", lambda r: f'<c r="{r}" t="e"><v>#DIV/0!</v></c>')
    amount("formula =1/0 cached #DIV/0!", lambda r: f'<c r="{r}" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    amount("formula =WEBSERVICE(...)", lambda r: f'<c r="{r}"><f>WEBSERVICE("http://{MARK}.example/")</f><v>0</v></c>')
    amount("formula referring to another book", lambda r: f'<c r="{r}"><f>[1]Sheet1!A1</f><v>3</v></c>')
    amount("unparseable formula", lambda r: f'<c r="{r}"><f>SUM(((</f><v>3</v></c>')
    amount("shared string index out of range", lambda r: f'<c r="{r}" t="s"><v>99999</v></c>')
    amount("shared string index -1", lambda r: f'<c r="{r}" t="s"><v>-1</v></c>')
    amount("unknown cell type", lambda r: f'<c r="{r}" t="zz"><v>1</v></c>')
    amount("style index out of range", lambda r: f'<c r="{r}" s="9999"><v>1</v></c>')
    amount("cell reference A0", lambda r: '<c r="A0"><v>1</v></c>')
    amount("cell reference past XFD", lambda r: '<c r="XFE1"><v>1</v></c>')
    amount("cell reference 'garbage'", lambda r: '<c r="!!"><v>1</v></c>')

    def derived(label: str, value_xml: Callable[[str], str]) -> None:
        def build(d: Path, b: Bases) -> Path:
            return rewrite_zip(b.book, d / "b.xlsx", {sheet_part(b.book, "一般公共预算财政拨款支出决算表"):
                                                      lambda x: set_cell(x, "C7", value_xml("C7"))})
        C.append(Case(f"derived cell: {label}", "xlsx", build))

    derived("cached #REF!", lambda r: f'<c r="{r}" t="e"><f>SUM(#REF!)</f><v>#REF!</v></c>')
    derived("cached #DIV/0!", lambda r: f'<c r="{r}" t="e"><f>SUM(D7,E7)/0</f><v>#DIV/0!</v></c>')
    derived("constant instead of formula", lambda r: f'<c r="{r}"><v>999</v></c>')
    derived("text instead of formula", lambda r: inline(r, "=SUM(D7,E7)"))

    def text_cell(label: str, sheet: str, ref: str, text: str, texts: list[str] | None = None,
                  raw: str | None = None) -> None:
        def build(d: Path, b: Bases) -> Path:
            return rewrite_zip(b.book, d / "b.xlsx", {sheet_part(b.book, sheet):
                                                      lambda x: set_cell(x, ref, raw or inline(ref, text))})
        C.append(Case(f"text cell: {label}", "xlsx", build, texts or []))

    for i, h in enumerate(HOSTILE):
        text_cell(f"formula-like 部门名称 #{i}", UNIT_SHEET, "B5", h, [h])
    text_cell("formula-like 部门负责人 as a formula-typed string", UNIT_SHEET, "B7", "",
              raw=f'<c r="B7" t="str"><f>HYPERLINK("http://{MARK}.example/","x")</f><v>x</v></c>')
    text_cell("部门名称 is a live formula", UNIT_SHEET, "B5", "",
              raw=f'<c r="B5" t="str"><f>"=cmd|\' /C calc {MARK}\'!A0"</f><v>=cmd|\' /C calc {MARK}\'!A0</v></c>')
    text_cell("control character _x0007_ escape", UNIT_SHEET, "B5", "示例_x0007_局")
    text_cell("control character as raw XML &#7;", UNIT_SHEET, "B5", "", raw='<c r="B5" t="inlineStr"><is><t>a&#7;b</t></is></c>')
    text_cell("32,767-character name", UNIT_SHEET, "B5", "局" * 32767)
    text_cell("32,768-character name", UNIT_SHEET, "B5", "局" * 32768)
    text_cell("1,000,000-character 部门职能", "部门概况", "B5", "职" * 1_000_000)
    text_cell("year '二〇二三'", UNIT_SHEET, "B6", "二〇二三")
    text_cell("year '99999999999999999999'", UNIT_SHEET, "B6", "99999999999999999999")
    text_cell("year '-1'", UNIT_SHEET, "B6", "-1")
    text_cell("year 1e308 as a number", UNIT_SHEET, "B6", "", raw='<c r="B6"><v>1E+308</v></c>')
    text_cell("name with bidi and zero-width characters", UNIT_SHEET, "B5", "示例\u202e局\u200b\ufeff")

    def rows(label: str, sheet: str, n: int, cols: int = 1) -> None:
        def build(d: Path, b: Bases) -> Path:
            dst = d / "b.xlsx"
            part = sheet_part(b.book, sheet)
            with zipfile.ZipFile(b.book) as z:
                xml = z.read(part).decode()
            head, tail = xml.split("</sheetData>")
            start = int(re.findall(r'<row r="(\d+)"', head)[-1]) + 1

            def chunks():
                yield head.encode()
                for r0 in range(start, start + n, 10_000):
                    yield "".join(f'<row r="{r}">' + "".join(f'<c r="{chr(65 + c)}{r}"><v>{r}</v></c>'
                                                             for c in range(cols)) + "</row>"
                                  for r in range(r0, min(r0 + 10_000, start + n))).encode()
                yield ("</sheetData>" + tail).encode()
            rewrite_zip(b.book, dst, {part: None})
            with zipfile.ZipFile(dst, "a", zipfile.ZIP_DEFLATED) as z, z.open(part, "w", force_zip64=True) as f:
                for c in chunks():
                    f.write(c)
            return dst
        C.append(Case(f"{n:,} rows in {sheet}", "xlsx", build))

    rows("部门概况 (text sheet)", "部门概况", 1_000_000)
    rows("code table", "一般公共预算财政拨款支出决算表", 1_000_000, cols=5)
    return C


def _replace_member_streamed(dst: Path, part: str, size: int, lie: bool = False) -> None:
    """Replace ``part`` by a sheet that unpacks to ``size`` bytes (whitespace in sheetData);
    ``lie``: the zip's headers say it unpacks to 2 KB."""
    with zipfile.ZipFile(dst) as z:
        members = [(i.filename, z.read(i)) for i in z.infolist() if i.filename != part]
        xml = z.read(part).decode()
    head, tail = xml.split("<sheetData>")
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc = 0
    chunks = []
    block = b" " * (1 << 20)
    for piece in [(head + "<sheetData>").encode(), *[block] * (size >> 20), tail.encode()]:
        crc = zlib.crc32(piece, crc)
        chunks.append(comp.compress(piece))
    chunks.append(comp.flush())
    packed = b"".join(chunks)
    entries = [(n, zlib.compress(d, 9)[2:-4], zlib.crc32(d), len(d)) for n, d in members]
    entries.append((part, packed, crc, 2048 if lie else size))
    dst.write_bytes(raw_zip(entries))


def raw_zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of deflated members (name, deflated bytes, CRC, the size its headers declare),
    written by hand so the declared sizes can lie (32-bit fields: sizes over 4 GB are not made)."""
    import struct

    out, central = bytearray(), bytearray()
    for name, data, crc, size in entries:
        n = name.encode()
        off = len(out)
        size32 = min(size, 0xFFFFFFFF)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, crc, len(data), size32, len(n), 0)
        out += n + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21, crc, len(data), size32,
                               len(n), 0, 0, 0, 0, 0, off)
        central += n
    cd = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), cd, 0)
    return bytes(out)


def json_cases() -> list[Case]:
    C: list[Case] = []
    def raw(name: str, make: Callable[[], bytes], texts: list[str] | None = None) -> None:
        def build(d: Path, b: Bases) -> Path:
            (d / "dept.json").write_bytes(make())
            return d / "dept.json"
        C.append(Case(name, "json", build, texts or []))

    def edited(name: str, fn: Callable[[dict], Any], texts: list[str] | None = None, base: Path = SMALL_JSON) -> None:
        def make() -> bytes:
            data = json.loads(base.read_text(encoding="utf-8"))
            out = fn(data)
            return out if isinstance(out, bytes) else json.dumps(data, ensure_ascii=False).encode()
        raw(name, make, texts)

    text = SMALL_JSON.read_text(encoding="utf-8")
    raw("good (control)", lambda: text.encode())
    raw("reference case (control)", lambda: REF_JSON.read_bytes())
    raw("empty file", lambda: b"")
    raw("'null'", lambda: b"null")
    raw("top level is a list", lambda: b"[1, 2]")
    raw("GBK-encoded", lambda: text.encode("gbk"))
    raw("UTF-16 with BOM", lambda: text.encode("utf-16"))
    raw("UTF-8 with BOM", lambda: b"\xef\xbb\xbf" + text.encode())
    raw("invalid UTF-8 byte in a string", lambda: text.replace("示例局", "示例\udcff局").encode("utf-8", "surrogateescape"))
    raw("NaN amount", lambda: text.replace("100.5", "NaN").encode())
    raw("Infinity amount", lambda: text.replace("100.5", "Infinity").encode())
    raw("-Infinity amount", lambda: text.replace("100.5", "-Infinity").encode())
    raw("1e400 amount", lambda: text.replace("100.5", "1e400").encode())
    raw("1e-400 amount", lambda: text.replace("100.5", "1e-400").encode())
    raw("1E+999999999 amount", lambda: text.replace("100.5", "1E+999999999").encode())
    raw("5000-digit integer amount", lambda: text.replace("100.5", "9" * 5000).encode())
    raw("100000-digit decimal amount", lambda: text.replace("100.5", "0." + "0" * 100_000 + "1").encode())
    raw("5000-digit integer count", lambda: text.replace('"数值": 2}', '"数值": ' + "9" * 5000 + "}").encode())
    raw("negative zero -0 and -0.0", lambda: text.replace("100.5", "-0.0").replace(": 20}", ": -0}").encode())
    raw("nested 100,000 deep", lambda: b'{"notes": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    raw("nested 33 deep in notes", lambda: text.replace('"注"', '"notes": ' + "[" * 33 + "]" * 33 + ', "注"').encode())
    raw("duplicate key", lambda: text.replace('"format": "nmg-2023",', '"format": "nmg-2023", "format": "nmg-2023",').encode())
    raw("lone surrogate escape", lambda: text.replace("示例局", "示例\\ud800局").encode())
    raw("NUL escape in a name", lambda: text.replace("示例局", "示例\\u0000局").encode())
    raw("trailing garbage", lambda: text.encode() + b"}garbage")
    raw("truncated", lambda: text.encode()[:200])
    raw("100 MB of whitespace", lambda: b" " * (100 * 1024**2) + text.encode())
    edited("amount as text with full-width digits", lambda d: d["表5"]["2010301"].update(基本支出="９０"))
    edited("amount as text '1,234.5'", lambda d: d["表5"]["2010301"].update(基本支出="1,234.5"))
    edited("amount as text '1,5'", lambda d: d["表5"]["2010301"].update(基本支出="1,5"))
    edited("amount as text 'abc'", lambda d: d["表5"]["2010301"].update(基本支出="abc"))
    edited("amount as text '1e10000'", lambda d: d["表5"]["2010301"].update(基本支出="1e10000"))
    edited("amount as text '0E-1000000000'", lambda d: d["表5"]["2010301"].update(基本支出="0E-1000000000"))
    edited("amount as text ' NaN '", lambda d: d["表5"]["2010301"].update(基本支出=" NaN "))
    edited("amount true", lambda d: d["表5"]["2010301"].update(基本支出=True))
    edited("amount as an object", lambda d: d["表5"]["2010301"].update(基本支出={"a": 1}))
    edited("amount as a list", lambda d: d["表5"]["2010301"].update(基本支出=[1]))
    edited("amount at 1e10 (the limit)", lambda d: d["表5"]["2010301"].update(基本支出=1e10))
    edited("negative amount", lambda d: d["表5"]["2010301"].update(基本支出=-1))
    edited("count 2.5", lambda d: d["表11"]["应急保障用车"].update(数值=2.5))
    edited("count 1e300", lambda d: d["表11"]["应急保障用车"].update(数值=1e300))
    edited("unknown table", lambda d: d.update(表99={}))
    edited("unknown format", lambda d: d.update(format="xx-0000"))
    edited("format is a number", lambda d: d.update(format=123))
    edited("format is a list", lambda d: d.update(format=["nmg-2023"]))
    edited("format names a path", lambda d: d.update(format="../../../etc/passwd"))
    edited("derived cell given", lambda d: d["表5"].update({"201": {"基本支出": 1}}))
    edited("code '２０１０３０１' (full-width)", lambda d: d["表5"].update({"２０１０３０１": {"基本支出": 1}}))
    edited("code ' 2010301' (space)", lambda d: d["表5"].update({" 2010301": {"基本支出": 1}}))
    edited("code 'abc'", lambda d: d["表5"].update({"abc": {"基本支出": 1}}))
    edited("custom code with a formula-like name", lambda d: (d.update(科目名称={"2010399": HOSTILE[0]}),
                                                               d["表5"].update({"2010399": {"基本支出": 1}}),
                                                               d["表3"].update({"2010399": {"基本支出": 1}}),
                                                               d["表2"].update({"2010399": {"财政拨款收入": 1}})),
           texts=[HOSTILE[0]])
    edited("科目名称 is a list", lambda d: d.update(科目名称=["x"]))
    edited("注 for an unknown table", lambda d: d.update(注={"表99": "x"}))
    edited("notes is a string", lambda d: d.update(notes="x"))
    edited("绩效自评 is an object", lambda d: d.update(绩效自评={"a": 1}))
    edited("绩效自评 record is a string", lambda d: d.update(绩效自评=["x"]))
    edited("100,000 绩效指标 records", lambda d: d.update(绩效指标=d["绩效指标"] * 100_000))
    edited("5,000 code rows (every code twice in a table)", lambda d: d["表5"].update(
        {f"2{i:06d}": {"基本支出": 1} for i in range(5000)}))
    edited("year '二〇二三'", lambda d: d["单位信息"].update(年度="二〇二三"))
    edited("year '99999'", lambda d: d["单位信息"].update(年度="99999"))
    edited("year 2023 as a number", lambda d: d["单位信息"].update(年度=2023))
    edited("name is a number", lambda d: d["单位信息"].update(部门名称=123))
    edited("name 32,767 characters", lambda d: d["单位信息"].update(部门名称="局" * 32767))
    edited("name 32,768 characters", lambda d: d["单位信息"].update(部门名称="局" * 32768))
    edited("reason 32,000 characters (narrative over the limit)", lambda d: d.update(
        变动原因={"收支总计.年初预算": "因" * 32000, "收支总计.上年": "因" * 32000}))
    edited("control character in a reason", lambda d: d.update(变动原因={"收支总计.年初预算": "a\x07b"}))
    edited("key with a control character", lambda d: d["单位信息"].update({"部门\x01名称": "x"}))
    edited("key 100,000 characters", lambda d: d["单位信息"].update({"名" * 100_000: "x"}))
    edited("name with bidi override", lambda d: d["单位信息"].update(部门名称="示例\u202e局"))

    def formula_texts(d: dict) -> None:
        d["单位信息"].update(部门名称=HOSTILE[1], 部门负责人=HOSTILE[0], 财务负责人=HOSTILE[2], 编制人=HOSTILE[3],
                             报送日期=HOSTILE[4], 联系人=HOSTILE[5], 联系电话=HOSTILE[6])
        d["部门概况"] = {"部门职能": HOSTILE[7], "主要职责": HOSTILE[0], "机构设置": HOSTILE[1]}
        d["变动原因"] = {k: {**v, "原因": HOSTILE[i % len(HOSTILE)]} if isinstance(v, dict) else HOSTILE[i % len(HOSTILE)]
                         for i, (k, v) in enumerate(d.get("变动原因", {}).items())}
        d["年初预算"]["2010301"]["差异原因"] = HOSTILE[3]
        for r in d["绩效自评"]:
            r["项目名称"] = HOSTILE[4]
        for r in d["绩效指标"]:
            r["项目名称"] = HOSTILE[4]
            r["三级指标"] = HOSTILE[5]
        d["注"] = {"表9": HOSTILE[1]}
        d["notes"] = {"x": HOSTILE[0]}

    edited("formula-like text in every text field (small)", formula_texts, texts=HOSTILE)
    edited("formula-like text in every text field (reference)", formula_texts, texts=HOSTILE, base=REF_JSON)
    return C


def doc_cases() -> list[Case]:
    C: list[Case] = []
    case = registrar(C, "doc")

    @case("good .docx (control)")
    def _(d: Path, b: Bases) -> Path:
        return Path(shutil.copy(b.docx, d / "doc.docx"))

    @case("XXE in document.xml")
    def _(d: Path, b: Bases) -> Path:
        return rewrite_zip(b.docx, d / "doc.docx", {"word/document.xml": with_doctype(XXE, "&xxe;")})

    @case("billion laughs in document.xml")
    def _(d: Path, b: Bases) -> Path:
        return rewrite_zip(b.docx, d / "doc.docx", {"word/document.xml": with_doctype(LAUGHS, "&j;")})

    @case("billion laughs in styles.xml")
    def _(d: Path, b: Bases) -> Path:
        return rewrite_zip(b.docx, d / "doc.docx", {"word/styles.xml": with_doctype(LAUGHS, "")})

    @case("zip bomb: 1 GB document.xml")
    def _(d: Path, b: Bases) -> Path:
        dst = d / "doc.docx"
        rewrite_zip(b.docx, dst, {"word/document.xml": None})
        with zipfile.ZipFile(dst, "a", zipfile.ZIP_DEFLATED) as z, z.open("word/document.xml", "w",
                                                                          force_zip64=True) as f:
            f.write(b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            for _ in range(1024):
                f.write(b" " * (1 << 20))
            f.write(b"</w:body></w:document>")
        return dst

    @case("duplicate document.xml")
    def _(d: Path, b: Bases) -> Path:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return rewrite_zip(b.docx, d / "doc.docx", extra=[("word/document.xml", b"<x/>")])

    @case("zip-slip member names")
    def _(d: Path, b: Bases) -> Path:
        return rewrite_zip(b.docx, d / "doc.docx", extra=[("../../rt-escaped.txt", b"x")])

    @case(".xlsx renamed .docx")
    def _(d: Path, b: Bases) -> Path:
        return Path(shutil.copy(b.book, d / "doc.docx"))

    @case("truncated .docx")
    def _(d: Path, b: Bases) -> Path:
        data = b.docx.read_bytes()
        (d / "doc.docx").write_bytes(data[: len(data) // 2])
        return d / "doc.docx"

    @case("empty .docx")
    def _(d: Path, b: Bases) -> Path:
        (d / "doc.docx").write_bytes(b"")
        return d / "doc.docx"

    @case("encrypted OLE .docx")
    def _(d: Path, b: Bases) -> Path:
        return ole(d / "doc.docx", encrypted=True)

    not_a_file(case, "doc.docx", lambda b: b.docx, fifo="doc.txt")

    @case(".txt in GBK")
    def _(d: Path, b: Bases) -> Path:
        (d / "doc.txt").write_bytes("第二部分 2023年度部门决算情况说明\n收入决算总计100.00万元。\n".encode("gbk"))
        return d / "doc.txt"

    @case(".txt in UTF-16")
    def _(d: Path, b: Bases) -> Path:
        (d / "doc.txt").write_bytes("第二部分 2023年度部门决算情况说明\n收入决算总计100.00万元。\n".encode("utf-16"))
        return d / "doc.txt"

    @case(".txt of random bytes")
    def _(d: Path, b: Bases) -> Path:
        (d / "doc.txt").write_bytes(os.urandom(100_000))
        return d / "doc.txt"

    @case(".txt with formula-like lines and control characters", texts=HOSTILE)
    def _(d: Path, b: Bases) -> Path:
        seed = (ROOT / "src" / "juesuan" / "reference" / "seed_2023.txt").read_text(encoding="utf-8")
        lines = seed.splitlines()
        for i, h in enumerate(HOSTILE):
            lines.insert(10 + 7 * i, h + "增加1.00万元，变动原因：" + h + "\x07")
        (d / "doc.txt").write_text("\n".join(lines), encoding="utf-8")
        return d / "doc.txt"

    @case(".txt 50 MB on one line")
    def _(d: Path, b: Bases) -> Path:
        (d / "doc.txt").write_text("收入决算总计100.00万元，" * 2_500_000, encoding="utf-8")
        return d / "doc.txt"

    @case(".html with an entity bomb and script")
    def _(d: Path, b: Bases) -> Path:
        (d / "doc.html").write_text(LAUGHS + "<html><body><script>alert(1)</script><p>&j;收入决算总计100.00万元</p>"
                                    "</body></html>", encoding="utf-8")
        return d / "doc.html"

    @case(".pdf that is not a PDF")
    def _(d: Path, b: Bases) -> Path:
        (d / "doc.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(5000))
        return d / "doc.pdf"

    @case("unknown suffix .exe")
    def _(d: Path, b: Bases) -> Path:
        (d / "doc.exe").write_bytes(b"MZ" + os.urandom(100))
        return d / "doc.exe"
    return C


def snapshot_cases() -> list[Case]:
    C: list[Case] = []

    def edited(name: str, fn: Callable[[dict], Any], texts: list[str] | None = None) -> None:
        def build(d: Path, b: Bases) -> bytes:
            snap = json.loads(json.dumps(b.snapshot))
            out = fn(snap)
            return out if isinstance(out, bytes) else json.dumps(snap, ensure_ascii=False).encode()
        C.append(Case(name, "snapshot", build, texts or []))

    def sheet(snap: dict, name: str) -> dict:
        return next(s for s in snap["sheets"] if s["name"] == name)

    def put(snap: dict, name: str, r: int, c: int, value: Any, formula: Any = None) -> None:
        s = sheet(snap, name)
        s["values"][r - 1][c - 1] = value
        if s.get("formulas"):
            s["formulas"][r - 1][c - 1] = value if formula is None else formula

    edited("good (control)", lambda s: None)
    edited("formula-like 部门名称 (a constant)", lambda s: put(s, UNIT_SHEET, 5, 2, HOSTILE[1], HOSTILE[1]),
           texts=[HOSTILE[1]])
    edited("NaN and Infinity values", lambda s: json.dumps(s).replace('"示例局"', "NaN").replace("100.5", "Infinity")
           .encode())
    edited("1e400 value", lambda s: json.dumps(s).replace("100.5", "1e400").encode())
    edited("5000-digit integer value", lambda s: json.dumps(s).replace("100.5", "9" * 5000).encode())
    edited("nested 100,000 deep", lambda s: b'{"sheets": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    edited("not JSON", lambda s: b"\xff\xfe")
    edited("sheets is an object", lambda s: s.update(sheets={}))
    edited("a cell holds an object", lambda s: put(s, UNIT_SHEET, 5, 2, {"a": 1}))
    edited("a row is a string", lambda s: sheet(s, UNIT_SHEET)["values"].__setitem__(0, "abc"))
    edited("2,000,000 cells", lambda s: sheet(s, "部门概况").update(values=[[1] * 100] * 20_001))
    edited("control character in a value", lambda s: put(s, UNIT_SHEET, 5, 2, "a\x07b"))
    edited("formula in an input cell", lambda s: put(s, "一般公共预算财政拨款支出决算表", 10, 4, 0,
                                                    f'=WEBSERVICE("http://{MARK}.example/")'))
    edited("COM error number in an amount", lambda s: put(s, "一般公共预算财政拨款支出决算表", 10, 4, -2146826281))
    edited("table sheet missing", lambda s: s.update(sheets=[x for x in s["sheets"]
                                                             if x["name"] != "一般公共预算财政拨款支出决算表"]))
    edited("sheet name 40 characters", lambda s: s["sheets"][0].update(name="表" * 40))
    edited("version 99", lambda s: s.update(version=99))
    edited("workbook name with a path and control characters", lambda s: s.update(workbook="../../x\x07.xlsx"))
    return C


# ── commands ──
@dataclass
class Run:
    argv: list[str]
    outputs: list[Path]  # files it may write (absent before unless said)
    in_place: bool = False  # the input is the command's to change
    expects_write: bool = False


def xlsx_commands(x: Path, w: Path, b: Bases) -> dict[str, Run]:
    out = w / "out.xlsx"
    return {
        "fill": Run(cli("fill", x, "-o", out), [out]),
        "fill (in place)": Run(cli("fill", x), [], in_place=True),
        "check": Run(cli("check", x), []),
        "check --write": Run(cli("check", x, "--write"), [], in_place=True),
        "narrate": Run(cli("narrate", x, "-o", out), [out]),
        "export": Run(cli("export", x, "--docx", w / "out.docx"), [w / "out.docx"]),
        "dump": Run(cli("dump", x, "-o", w / "out.json"), [w / "out.json"]),
        "consolidate": Run(cli("consolidate", b.book, x, "-o", out, "--force"), [out]),
        "carry (new --prior)": Run(cli("new", "--prior", x, "-o", out), [out]),
        "service upload": Run(service_child("upload", x, w), []),
    }


def json_commands(x: Path, w: Path, b: Bases) -> dict[str, Run]:
    out = w / "out.xlsx"
    batch_in = w / "in"
    return {
        "new": Run(cli("new", "--data", x, "-o", out), [out]),
        "check": Run(cli("check", x), []),
        "batch": Run(["BATCH", str(x), str(batch_in)] + cli("batch", batch_in, "-o", w / "batch"), []),
        "consolidate": Run(cli("consolidate", b.small_json, x, "-o", out, "--force"), [out]),
        "carry (new --prior)": Run(cli("new", "--prior", x, "-o", out), [out]),
        "service upload": Run(service_child("upload", x, w), []),
    }


def doc_commands(x: Path, w: Path, b: Bases) -> dict[str, Run]:
    return {
        "audit": Run(cli("audit", x), []),
        "audit --write": Run(cli("audit", x, "--write", w / "report.xlsx"), [w / "report.xlsx"]),
    }


def snapshot_commands(x: Path, w: Path, b: Bases) -> dict[str, Run]:
    return {f"service snapshot {c}": Run(service_child(c, x, w), []) for c in ("fill", "check", "narrate", "export")}


def service_child(command: str, x: Path, w: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--service-child", command, str(x), str(w / "service")]


def output_cases(w: Path, b: Bases) -> list[tuple[str, Run, Path]]:
    """Command lines whose outputs are hostile: (name, run, the input they must leave alone)."""
    x = Path(shutil.copy(b.book, w / "b.xlsx"))
    j = Path(shutil.copy(b.small_json, w / "d.json"))
    ro = Path(shutil.copy(b.book, w / "ro.xlsx"))
    ro.chmod(0o444)
    (w / "dir.xlsx").mkdir()
    (w / "link.xlsx").symlink_to(x)
    (w / "batchfile").write_text("x")
    docx = Path(shutil.copy(b.docx, w / "d.docx"))
    runs = [
        ("fill -o a read-only file", Run(cli("fill", x, "-o", ro), [ro]), x),
        ("fill a read-only book in place", Run(cli("fill", ro), [], in_place=False), ro),
        ("fill -o the input by another path", Run(cli("fill", x, "-o", w / "." / ".." / w.name / "b.xlsx"), []), x),
        ("fill -o a symlink to the input", Run(cli("fill", x, "-o", w / "link.xlsx"), []), x),
        ("fill -o a folder", Run(cli("fill", x, "-o", w / "dir.xlsx"), []), x),
        ("fill -o into a missing folder", Run(cli("fill", x, "-o", w / "new" / "sub" / "o.xlsx"),
                                              [w / "new" / "sub" / "o.xlsx"], expects_write=True), x),
        ("fill -o out.xlsm", Run(cli("fill", x, "-o", w / "o.xlsm"), [w / "o.xlsm"]), x),
        ("fill -o a name that is not UTF-8", Run(cli("fill", x, "-o", os.fsdecode(bytes(w) + b"/o\xff.xlsx")),
                                                 [Path(os.fsdecode(bytes(w) + b"/o\xff.xlsx"))]), x),
        ("narrate -o the input", Run(cli("narrate", x, "-o", x), []), x),
        ("export --docx the input", Run(cli("export", x, "--docx", x), []), x),
        ("export --docx X --pdf X", Run(cli("export", x, "--docx", w / "s.docx", "--pdf", w / "s.docx"), []), x),
        ("dump -o the input", Run(cli("dump", x, "-o", x), []), x),
        ("new -o the data file", Run(cli("new", "--data", j, "-o", j, "--force"), []), j),
        ("new --prior X -o X --force", Run(cli("new", "--prior", x, "-o", x, "--force"), []), x),
        ("consolidate -o a unit", Run(cli("consolidate", x, j, "-o", x, "--force"), []), x),
        ("audit --write the document", Run(cli("audit", docx, "--write", docx), []), docx),
        ("batch -o a file", Run(cli("batch", w, "-o", w / "batchfile"), []), w / "batchfile"),
        ("batch -o the input folder", Run(cli("batch", w, "-o", w), [], expects_write=True), j),
        ("check --write a read-only book", Run(cli("check", ro, "--write"), []), ro),
        ("fill -o into a read-only folder (as nobody)", Run(cli("fill", x, "-o", w / "rodir" / "o.xlsx"), []), x),
    ]
    (w / "rodir").mkdir()
    (w / "rodir").chmod(0o555)
    return runs


# ── running and judging ──
def sha(path: Path) -> str | None:
    try:
        if path.is_file() and not stat.S_ISFIFO(path.stat().st_mode):
            return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    return None


def limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    os.setsid()


def as_nobody() -> None:
    limits()
    os.setgid(65534)
    os.setuid(65534)


@dataclass
class Outcome:
    case: str
    command: str
    verdict: str  # ok | refused | FAIL:<kind>
    rc: int | None
    seconds: float
    message: str
    rss_mb: float = 0.0


def execute(run: Run, cwd: Path, nobody: bool) -> tuple[int | None, str, str, float, float]:
    argv = run.argv
    if argv[0] == "BATCH":  # put the data file alone into a folder first
        src, folder = Path(argv[1]), Path(argv[2])
        folder.mkdir(parents=True, exist_ok=True)
        if src.is_dir() or stat.S_ISFIFO(os.lstat(src).st_mode) if src.exists() or src.is_symlink() else False:
            os.rename(src, folder / src.name)
        elif src.exists():
            shutil.copy(src, folder / src.name)
        argv = argv[3:]
    env = {**os.environ, "PYTHONPATH": str(SRC), "HOME": str(cwd / "home"), "TMPDIR": str(cwd / "tmp")}
    (cwd / "home").mkdir(exist_ok=True)
    (cwd / "tmp").mkdir(exist_ok=True)
    if nobody:
        for p in (cwd, cwd / "home", cwd / "tmp"):
            p.chmod(0o777)
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         preexec_fn=as_nobody if nobody else limits)
    bufs: dict[str, bytes] = {}

    def drain(name: str, stream: Any) -> None:
        bufs[name] = stream.read()
    import threading

    readers = [threading.Thread(target=drain, args=(k, s)) for k, s in (("out", p.stdout), ("err", p.stderr))]
    for r in readers:
        r.start()
    rc: int | None = None
    rss = 0.0
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            rc = os.waitstatus_to_exitcode(status)
            rss = usage.ru_maxrss / 1024
            p.returncode = rc
            break
        if time.perf_counter() - t0 > TIMEOUT:
            os.killpg(p.pid, 9)
            os.wait4(p.pid, 0)
            p.returncode = -9
            break
        time.sleep(0.05)
    for r in readers:
        r.join()
    out, err = bufs.get("out", b"").decode("utf-8", "replace"), bufs.get("err", b"").decode("utf-8", "replace")
    m = re.search(r"RTRSS (\d+)", err)
    if m:
        rss = max(rss, int(m.group(1)) / 1024)
    return rc, out, err, time.perf_counter() - t0, rss


CJK = re.compile(r"[\u4e00-\u9fff]")
LOCATED = re.compile(r"文件 file|工作表 sheet|单元格 cell|键 key|快照 snapshot|\"where\": \{\"")


def judge(case: Case | None, name: str, command: str, run: Run, x: Path | None, before: dict[Path, str | None],
          rc: int | None, out: str, err: str, secs: float, cwd: Path, preexisting: frozenset[str] = frozenset()
          ) -> Outcome:
    """The verdict on one run; ``preexisting``: live formulas the input already had (a user's own
    formula in their workbook is theirs to keep, e.g. through check --write)."""
    text = "\n".join(ln for ln in (err or out).splitlines() if not ln.startswith("RTRSS")).strip()
    msg = next((ln for ln in text.splitlines() if ln.startswith(("错误", "内部错误"))), text.splitlines()[-1]
               if text else "")
    fails: list[str] = []
    if rc is None:
        fails.append("hang")
    elif rc < 0 or rc == 3 or "Traceback" in err:
        fails.append("traceback" if "Traceback" in err else f"signal {-rc}" if rc < 0 else "status 3")
    elif "内存不足" in err or "MemoryError" in err:
        fails.append("memory")
    elif rc not in (0, 1, 2):
        fails.append(f"status {rc}")
    if rc == 2:
        if not CJK.search(msg):
            fails.append("english-only")
        if not LOCATED.search(msg):
            fails.append("unlocated")
    # inputs
    for path, h in before.items():
        if h == "absent":
            continue
        now = sha(path)
        changed = h != now
        mine = run.in_place and path == x
        if changed and not (mine and rc in (0, 1)):
            fails.append(f"input changed ({path.name})")
    # outputs
    for o in run.outputs:
        if rc == 2 and o.exists() and before.get(o, "absent") == "absent":
            fails.append(f"output written on refusal ({o.name})")
    written = [o for o in run.outputs if o.is_file()] + ([x] if run.in_place and rc in (0, 1) and x else []) + \
        list((cwd / "batch").glob("*.xlsx")) + list((cwd / "service").glob("**/*.xlsx")) + \
        list((cwd / "service").glob("**/*.docx"))
    for o in written:
        if o.suffix in (".xlsx", ".docx") and sha(o) and rc in (0, 1):
            fails += [f"{f} ({o.name})" for f in live_formulas(o) if f not in preexisting]
    for stray in (cwd.parent.parent / "rt-escaped.txt", Path("/tmp/rt-escaped-abs.txt"), cwd / "rt-escaped.txt"):
        if stray.exists():
            fails.append(f"zip-slip wrote {stray}")
            stray.unlink()
    if re.search(r"root:x:0:0", out + err) or any(o.is_file() and b"root:x:0:0" in _unzipped(o) for o in written):
        fails.append("XXE read /etc/passwd")
    if fails:
        verdict = "FAIL: " + ", ".join(dict.fromkeys(fails))
    else:
        verdict = "ok" if rc == 0 else "errors found" if rc == 1 else "refused"
    return Outcome(name, command, verdict, rc, secs, msg[:160])


def _unzipped(path: Path) -> bytes:
    try:
        with zipfile.ZipFile(path) as z:
            return b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml") and z.getinfo(n).file_size < 5e7)
    except Exception:  # noqa: BLE001 — damaged (zlib.error, BadZipFile, …): nothing to scan
        return b""


def live_formulas(path: Path) -> list[str]:
    """The marker inside a formula of a workbook, or inside a field of a .docx."""
    found = []
    try:
        with zipfile.ZipFile(path) as z:
            for n in z.namelist():
                if not n.endswith(".xml"):
                    continue
                xml = z.read(n).decode("utf-8", "replace")
                if n.startswith("xl/"):
                    for f in re.findall(r"<f[ >](.*?)</f>", xml, re.S):
                        if MARK in f:
                            found.append(f"live formula in {n}")
                    for f in re.findall(r"<definedName[^>]*>(.*?)</definedName>", xml, re.S):
                        if MARK in f:
                            found.append("live defined name")
                if n.startswith("word/"):
                    for f in re.findall(r"<w:instrText[^>]*>(.*?)</w:instrText>|<w:fldSimple[^>]*w:instr=\"([^\"]*)\"",
                                        xml, re.S):
                        if MARK in "".join(f) or "DDE" in "".join(f):
                            found.append(f"live field in {n}")
    except Exception:  # noqa: BLE001 — zlib.error, BadZipFile, …
        found.append("written file is not a valid zip")
    return found


def run_case(case: Case, b: Bases, base: Path, commands: list[str] | None, lo: list) -> list[Outcome]:
    outcomes = []
    table = {"xlsx": xlsx_commands, "json": json_commands, "doc": doc_commands, "snapshot": snapshot_commands}[case.kind]
    names = list(table(Path("x"), Path("w"), b))
    for command in names:
        if commands and not any(c in command for c in commands):
            continue
        w = Path(tempfile.mkdtemp(dir=base, prefix="run-"))
        w.chmod(0o777)
        try:
            built = case.build(w, b)
        except Exception as exc:  # noqa: BLE001 — a case the harness could not build
            outcomes.append(Outcome(case.name, command, f"NOT BUILT: {exc}", None, 0, ""))
            continue
        if isinstance(built, bytes):
            x = w / "snapshot.json"
            x.write_bytes(built)
        else:
            x = built
        run = table(x, w, b)[command]
        watched = [x, b.book, b.small_json] + ([Path(os.path.realpath(x))] if x.is_symlink() else [])
        before = {p: sha(p) for p in watched}
        preexisting = frozenset(live_formulas(x)) if before[x] and x.suffix == ".xlsx" else frozenset()
        before.update({o: "absent" for o in run.outputs if not o.exists()})
        try:
            rc, out, err, secs, rss = execute(run, w, case.as_nobody)
        except OSError as exc:  # e.g. the unprivileged user cannot run this Python
            outcomes.append(Outcome(case.name, command, f"NOT RUN: {exc}", None, 0, ""))
            _cleanup(w)
            continue
        o = judge(case, case.name, command, run, x, before, rc, out, err, secs, w, preexisting)
        o.rss_mb = rss
        outcomes.append(o)
        if case.texts and rc in (0, 1):
            for f in [*run.outputs, *([x] if run.in_place else []), *(w / "batch").glob("*.xlsx"),
                      *(w / "service").glob("**/*.xlsx")]:
                if f.suffix == ".xlsx" and f.is_file():
                    lo.append((o, f, case.texts))
        if not lo or all(item[0] is not o for item in lo):
            _cleanup(w)
    return outcomes


def _cleanup(w: Path) -> None:
    for p in [w, *w.rglob("*")]:
        try:
            if p.is_dir() and not p.is_symlink():
                p.chmod(0o755)
            elif p.is_file() and not p.is_symlink():
                p.chmod(0o644)
        except OSError:
            pass
    shutil.rmtree(w, ignore_errors=True)


def run_outputs(b: Bases, base: Path) -> list[Outcome]:
    w = Path(tempfile.mkdtemp(dir=base, prefix="out-"))
    w.chmod(0o777)
    outcomes = []
    for name, run, guarded in output_cases(w, b):
        before = {p: sha(p) for p in (guarded, w / "b.xlsx", w / "ro.xlsx", w / "d.json", w / "d.docx")}
        before.update({o: "absent" for o in run.outputs if not o.exists()})
        nobody = "nobody" in name
        try:
            rc, out, err, secs, rss = execute(run, w, nobody)
        except OSError as exc:
            outcomes.append(Outcome(name, run.argv[3], f"NOT RUN: {exc}", None, 0, ""))
            continue
        o = judge(None, name, run.argv[3], run, guarded, before, rc, out, err, secs, w)
        if run.expects_write and rc not in (0, 1):
            o.verdict = "FAIL: refused a writable output" if o.verdict == "refused" else o.verdict
        o.rss_mb = rss
        outcomes.append(o)
    _cleanup(w)
    return outcomes


def libreoffice_texts(items: list[tuple[Outcome, Path, list[str]]], base: Path) -> None:
    """Every hostile text must show verbatim in LibreOffice's CSV of some sheet of the workbook."""
    for o, path, texts in items:
        out = Path(tempfile.mkdtemp(dir=base, prefix="lo-"))
        filt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{base}/lo-profile", "--convert-to",
                        filt, "--outdir", str(out), str(path)], capture_output=True, timeout=300)
        cells: set[str] = set()
        joined = ""
        for f in out.glob("*.csv"):
            text = f.read_text(encoding="utf-8", errors="replace")
            joined += text
            for row in csv.reader(io.StringIO(text)):
                cells.update(row)
        if not joined:
            o.verdict = "FAIL: LibreOffice could not read the output" if o.verdict.startswith(("ok", "errors")) \
                else o.verdict
            continue
        missing = [t for t in texts if t not in cells and t.strip() not in cells
                   and not any(t in c for c in cells) and t in _written_texts(path)]
        if missing:
            tag = f"LibreOffice shows {len(missing)} hostile text(s) not verbatim: {missing[0]!r}"
            o.verdict = ("FAIL: " + tag) if not o.verdict.startswith("FAIL") else o.verdict + ", " + tag
        shutil.rmtree(out, ignore_errors=True)


def _written_texts(path: Path) -> str:
    """All text and formula content of a workbook (a hostile text the command refused to write is
    not expected in LibreOffice's view)."""
    from html import unescape

    return unescape(_unzipped(path).decode("utf-8", "replace"))


def service_child_main(command: str, x: str, folder: str) -> int:
    """Run one service request the way the service does, in this (child) process."""
    import traceback

    from juesuan.errors import InputError
    from juesuan.service.app import run_snapshot, run_upload

    work, results = Path(folder) / "work", Path(folder) / "results"
    work.mkdir(parents=True, exist_ok=True)
    try:
        if not stat.S_ISREG(os.stat(x).st_mode):
            raise OSError(f"not a regular file: {x}")
        data = Path(x).read_bytes()
    except OSError as exc:
        print(f"harness: cannot read {exc}", file=sys.stderr)
        return 0  # the service gets bytes, never a path: unreadable files are the CLI's cases
    try:
        if command == "upload":
            answer = run_upload(Path(x).name, data, work, results / "r1", True, False)
        else:
            answer = run_snapshot(command, data, work, results / "r1")
        print(json.dumps({k: answer[k] for k in ("ok", "message")}, ensure_ascii=False))
        return 0
    except InputError as exc:
        print(f"错误 error: {exc.message}", file=sys.stderr)
        return 2
    except MemoryError:
        print("内存不足 MemoryError", file=sys.stderr)
        return 2
    except Exception:  # noqa: BLE001 — what the service logs as a 500
        traceback.print_exc()
        return 3


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", help="run only cases whose name contains this")
    ap.add_argument("--kind", help="xlsx, json, doc, snapshot or outputs")
    ap.add_argument("--commands", help="comma-separated command names (substrings)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--lo", action="store_true", help="check hostile texts with LibreOffice")
    ap.add_argument("--work", default=None, help="work folder (default: a temporary one)")
    ap.add_argument("--src", help="the src folder of the juesuan to run (default: this checkout's)")
    ap.add_argument("--service-child", nargs=3, help=argparse.SUPPRESS)
    a = ap.parse_args()
    global SRC
    if a.src:
        SRC = Path(a.src).resolve()
    os.environ["PYTHONPATH"] = str(SRC)
    if a.service_child:  # PYTHONPATH says which juesuan
        rc = service_child_main(*a.service_child)
        print(f"RTRSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
        return rc
    base = Path(a.work or tempfile.mkdtemp(prefix="redteam-"))
    base.mkdir(parents=True, exist_ok=True)
    base.chmod(0o777)
    sys.path.insert(0, str(SRC))
    t0 = time.perf_counter()
    b = prepare(base / "bases")
    cases = xlsx_cases() + json_cases() + doc_cases() + snapshot_cases()
    if a.kind:
        cases = [c for c in cases if c.kind == a.kind]
    if a.only:
        cases = [c for c in cases if a.only in c.name]
    commands = a.commands.split(",") if a.commands else None
    lo: list = []
    results: list[Outcome] = []
    with ThreadPoolExecutor(a.jobs) as pool:
        futures = {pool.submit(run_case, c, b, base, commands, lo): c for c in cases}
        for f in as_completed(futures):
            try:
                done = f.result()
            except Exception as exc:  # noqa: BLE001 — the harness's own failure: say so, go on
                done = [Outcome(futures[f].name, "-", f"NOT RUN: harness {type(exc).__name__}: {exc}", None, 0, "")]
            for o in done:
                results.append(o)
                print(f"{o.case[:52]:52} | {o.command[:24]:24} | {o.verdict[:70]:70} | {o.seconds:5.1f}s | "
                      f"{o.message[:100]}", flush=True)
    if not a.only and a.kind in (None, "outputs"):
        for o in run_outputs(b, base):
            results.append(o)
            print(f"{o.case[:52]:52} | {o.command[:24]:24} | {o.verdict[:70]:70} | {o.seconds:5.1f}s | "
                  f"{o.message[:100]}", flush=True)
    if a.lo and lo:
        libreoffice_texts(lo, base)
        for o in {id(item[0]): item[0] for item in lo}.values():
            print(f"LibreOffice: {o.case[:44]:44} | {o.command[:24]:24} | {o.verdict[:90]}")
    fails = [o for o in results if o.verdict.startswith("FAIL")]
    not_run = [o for o in results if o.verdict.startswith("NOT")]
    kinds: dict[str, int] = {}
    for o in fails:
        for k in o.verdict.removeprefix("FAIL: ").split(", "):
            kinds[re.sub(r"\(.*", "", k).strip()] = kinds.get(re.sub(r"\(.*", "", k).strip(), 0) + 1
    n_cases = len({o.case for o in results})
    print(f"\n{n_cases} cases, {len(results)} runs (case × command), {len(fails)} failed, "
          f"{len(not_run)} not run, {time.perf_counter() - t0:.0f} s; slowest {max((o.seconds for o in results), default=0):.1f} s")
    for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {n:4}  {k}")
    if not a.work:
        shutil.rmtree(base, ignore_errors=True)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
