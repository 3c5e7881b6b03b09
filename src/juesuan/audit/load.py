"""Loading a published disclosure as plain text: .txt, .docx, .pdf (poppler) or .html.

Each loader returns the document's text in reading order, one paragraph or table row per line
(table cells separated by a tab).  Anything that cannot give text raises
:class:`~juesuan.errors.InputError` naming the file: a missing or empty file, a binary file
with a text extension, a damaged .docx, a PDF without a text layer, a missing ``pdftotext``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from juesuan.celltext import shown
from juesuan.containers import check_zip, require_regular
from juesuan.errors import InputError, Location

SUFFIXES = (".txt", ".docx", ".pdf", ".html", ".htm")
MAX_BYTES = {".txt": 50 << 20, ".html": 50 << 20, ".htm": 50 << 20, ".docx": 200 << 20, ".pdf": 200 << 20}


@dataclass(frozen=True)
class Loaded:
    """A document's text and the kind of file it came from (``txt``, ``docx``, ``pdf``, ``html``)."""

    path: str
    text: str
    kind: str


def load(path: str | Path) -> Loaded:
    """Read ``path`` by its extension; raise InputError when it gives no usable text."""
    p = Path(path)
    where = Location(file=str(path))
    require_regular(p)  # missing, a folder, a FIFO (opening one would wait for ever), unreadable
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"不支持的文件类型「{suffix or '无扩展名'}」，请使用 .txt .docx .pdf .html",
                         f"unsupported file type {suffix!r}; use .txt .docx .pdf .html", where)
    size = p.stat().st_size
    if size == 0:
        raise InputError("文件为空", "the file is empty", where)
    if size > MAX_BYTES[suffix]:
        raise InputError(f"文件过大（{size / 2**20:,.0f} MB，上限 {MAX_BYTES[suffix] // 2**20} MB）",
                         f"the file is too large ({size / 2**20:,.0f} MB; the limit is {MAX_BYTES[suffix] // 2**20} MB)",
                         where)
    if suffix == ".txt":
        text, kind = _decode(p.read_bytes(), where), "txt"
    elif suffix == ".docx":
        text, kind = _docx(p, where), "docx"
    elif suffix == ".pdf":
        text, kind = _pdf(p, where), "pdf"
    else:
        text, kind = _html(_decode(p.read_bytes(), where, html=True)), "html"
    if not text.strip():
        zh, en = "文档中没有文字", "the document has no text"
        if kind == "pdf":
            zh, en = "PDF 没有文字层（可能是扫描件），请提供文字版", "the PDF has no text layer (scanned?)"
        raise InputError(zh, en, where)
    return Loaded(str(path), text, kind)


def _decode(data: bytes, where: Location, html: bool = False) -> str:
    """Bytes → text: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030; refuse binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        encodings = ["utf-8-sig", "gb18030"]
        if html:
            m = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", data[:4096])
            if m:
                encodings.insert(0, m.group(1).decode("ascii").lower())
        for enc in encodings:
            try:
                text = data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                continue
            if _looks_textual(text):
                return text
    raise InputError("文件不是文本（可能是二进制文件或编码无法识别）",
                     "not a text file (binary, or an unknown encoding)", where)


def _looks_textual(text: str) -> bool:
    """False when control characters make up more than 1% of the text."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls <= max(1, len(text) // 100)


def _docx(p: Path, where: Location) -> str:
    """Paragraphs and table rows of a .docx body, in document order."""
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError
        from lxml import etree
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise InputError("读取 .docx 需要 python-docx", "python-docx is needed to read .docx", where)
    check_zip(p, "Word 文件（.docx）", ".docx file", "word/document.xml", max_unpacked=MAX_DOCX_UNPACKED)
    try:
        return _docx_text(docx.Document(str(p)))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, AttributeError, TypeError,
            etree.LxmlError) as exc:  # a truncated or hostile part: python-docx parses lazily, so all of it
        raise InputError(f"无法读取 Word 文件：{shown(exc, 200)}", f"cannot read the Word file: {shown(exc, 200)}",
                         where) from None


MAX_DOCX_UNPACKED = 100 * 1024 * 1024  # a disclosure's text is a few MB; its images are not read


def _docx_text(document: Any) -> str:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    numbering = _Numbering(document)
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(numbering.label(child) + Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells, seen = [], set()
                for cell in row.cells:  # merged cells repeat: keep each once
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(cell.text.split()))
                lines.append("\t".join(cells))
    return "\n".join(lines)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CHINESE_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 21 → 二十一 (enough for section numbers)."""
    if n < 10:
        return CHINESE_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")


class _Numbering:
    """Word's automatic list numbering, rendered as the reader sees it ("一、", "（二）", "3.").

    A paragraph numbered by Word carries no number in its text; without this, a disclosure whose
    section titles are auto-numbered would lose its outline.
    """

    FORMATS = {"decimal": str, "chineseCounting": _chinese, "chineseCountingThousand": _chinese,
               "ideographTraditional": _chinese, "taiwaneseCounting": _chinese,
               "decimalEnclosedCircle": lambda n: chr(0x245F + n) if 0 < n <= 20 else str(n)}

    def __init__(self, document: object) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            root = document.part.numbering_part.element  # type: ignore[attr-defined]
        except (AttributeError, KeyError, NotImplementedError):
            return
        abstract = {a.get(f"{W}abstractNumId"): a for a in root.iter(f"{W}abstractNum")}
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            a = abstract.get(ref.get(f"{W}val")) if ref is not None else None
            if a is None:
                continue
            for lvl in a.iter(f"{W}lvl"):
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                self.levels[(num.get(f"{W}numId"), int(lvl.get(f"{W}ilvl", "0")))] = (
                    fmt.get(f"{W}val") if fmt is not None else "decimal",
                    text.get(f"{W}val") if text is not None else "",
                    int(start.get(f"{W}val")) if start is not None else 1)

    def label(self, p: object) -> str:
        """The number Word shows before paragraph ``p`` (empty when it is not numbered)."""
        num_pr = p.find(f"{W}pPr/{W}numPr")  # type: ignore[attr-defined]
        if num_pr is None:
            return ""
        num_id = num_pr.find(f"{W}numId")
        ilvl = num_pr.find(f"{W}ilvl")
        if num_id is None:
            return ""
        nid, level = num_id.get(f"{W}val"), int(ilvl.get(f"{W}val")) if ilvl is not None else 0
        if (nid, level) not in self.levels:
            return ""
        fmt, text, start = self.levels[(nid, level)]
        self.counters[(nid, level)] = self.counters.get((nid, level), start - 1) + 1
        for (other, deeper) in list(self.counters):
            if other == nid and deeper > level:
                del self.counters[(other, deeper)]
        def render(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            f = self.levels.get((nid, k), (fmt, "", 1))[0]
            value = self.counters.get((nid, k), self.levels.get((nid, k), ("", "", 1))[2])
            return self.FORMATS.get(f, str)(value)
        label = re.sub(r"%(\d)", render, text)
        return label.replace("(", "（").replace(")", "）")


def _pdf(p: Path, where: Location) -> str:
    """The PDF's text layer through poppler's ``pdftotext -layout``."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise InputError("读取 PDF 需要 poppler 的 pdftotext（Debian/Ubuntu: apt-get install poppler-utils）",
                         "reading a PDF needs poppler's pdftotext (apt-get install poppler-utils)", where)
    try:
        done = subprocess.run([exe, "-layout", "-enc", "UTF-8", str(p), "-"],
                              capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        raise InputError("pdftotext 超时", "pdftotext timed out", where) from None
    if done.returncode != 0:
        msg = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = msg[-1] if msg else f"exit status {done.returncode}"
        raise InputError(f"无法读取 PDF：{detail}", f"cannot read the PDF: {detail}", where)
    pages = done.stdout.decode("utf-8", "replace").split("\f")
    for n, rows in _pdf_tables(p):
        if n < len(pages):
            pages[n] = _tables_in_place(pages[n], rows)
    return "\n".join(pages)


def _pdf_tables(p: Path) -> list[tuple[int, list[list[str]]]]:
    """(page index, rows) of every ruled table pdfplumber finds; none when it cannot read the file."""
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - pdfplumber is a dependency
        return []
    out: list[tuple[int, list[list[str]]]] = []
    try:
        with pdfplumber.open(str(p)) as pdf:
            for n, page in enumerate(pdf.pages):
                for table in page.extract_tables():
                    rows = [[" ".join((c or "").split()) for c in row] for row in table]
                    if len(rows) >= 2:
                        out.append((n, rows))
    except Exception:  # a damaged or unusual PDF: its text layer is still read
        return []
    return out


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _tables_in_place(page: str, rows: list[list[str]]) -> str:
    """The page's text with the lines that print a table's rows replaced by the rows themselves,
    cells separated by a tab (pdftotext lays a table out with spaces; the cells are pdfplumber's)."""
    lines = page.split("\n")
    at = 0
    for row in rows:
        cells = [_squeeze(c) for c in row if c.strip()]
        if not cells:
            continue
        for k in range(at, len(lines)):
            flat = _squeeze(lines[k])
            pos, ok = 0, True
            for c in cells:
                pos = flat.find(c, pos)
                if pos < 0:
                    ok = False
                    break
                pos += len(c)
            if ok:
                lines[k] = "\t".join(row)
                at = k + 1
                break
    return "\n".join(lines)


class _HtmlText(HTMLParser):
    """Visible text of an HTML page: block elements end lines, table cells are tab-separated."""

    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
             "article", "header", "footer", "ul", "ol", "blockquote", "pre", "hr", "title"}
    SKIP = {"script", "style", "noscript", "template", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def _html(source: str) -> str:
    parser = _HtmlText()
    parser.feed(source)
    parser.close()
    lines = []
    for line in "".join(parser.parts).split("\n"):
        line = line.strip(" ")
        if line.startswith("\t"):  # a row's first cell
            line = line[1:]
        lines.append(line.rstrip())
    return "\n".join(lines)
