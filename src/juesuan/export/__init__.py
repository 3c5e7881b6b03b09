"""导出: the publishable disclosure as Word (.docx) and PDF.

API for every front end (CLI ``juesuan export``, the 导出 ribbon button)::

    export_book(book, docx_path, pdf_path=None) -> ExportResult
    export_file(book_path, docx=None, pdf=None) -> ExportResult   # docx default: next to the workbook
    default_paths(book_path) -> (docx, pdf)

Modules, one job each: :mod:`.content` (values, narrative, charts — computed from the book),
:mod:`.grid` / :mod:`.public_tables` / the pack's extra tables (tables as plain grids; :mod:`.outline`),
:mod:`.tables` (a grid as a Word table), :mod:`.word_styles` and :mod:`.fonts` (how text looks),
:mod:`.page` (A4 sections), :mod:`.charts` (pie PNGs), :mod:`.docx_writer` (the document),
:mod:`.wordxml` (paragraphs and runs as WordprocessingML text), :mod:`.package` (the .docx file,
its constant parts prepared once), :mod:`.pdf` (LibreOffice).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from juesuan.errors import InputError, Location
from juesuan.model import Book

SUFFIX = "_决算公开"


@dataclass
class ExportResult:
    docx: Path
    pdf: Path | None
    tables: int  # public tables written
    projects: int  # 绩效自评 tables written
    missing: list[str] = field(default_factory=list)  # 【请填写…】 placeholders the document shows


def export_book(book: Book, docx_path: str | Path, pdf_path: str | Path | None = None) -> ExportResult:
    """Write the disclosure of ``book`` as .docx (and .pdf when asked); atomic for each file.

    LibreOffice is looked for before anything is written, so a missing LibreOffice leaves no
    half-done export behind.
    """
    from juesuan.export.content import content_of
    from juesuan.export.docx_writer import build_document, toc_entries
    from juesuan.export.word_styles import TABLE_TITLE
    from juesuan.export.toc import find_pages, page_texts
    from juesuan.export.pdf import docx_to_pdf, require_libreoffice
    from juesuan.workbook_file import write_atomic

    if pdf_path is not None:
        require_libreoffice()
    content = content_of(book)
    document = build_document(content)
    docx = Path(docx_path)
    with _writable(docx):
        write_atomic(docx, lambda tmp: document.save(str(tmp)))
    pdf = None
    if pdf_path is not None:
        with _writable(Path(pdf_path)):
            pdf = docx_to_pdf(docx, pdf_path)  # its 目录 numbered by LibreOffice (PAGEREF fields)
            entries = toc_entries(content)
            titles = {e.text: e.heading for e in entries if e.target == TABLE_TITLE.style_id}
            pages = find_pages([e.text for e in entries], page_texts(pdf), titles)
            if pages:  # the Word document shows the same numbers before Word updates its fields
                content.toc_pages = pages
                document = build_document(content)
                with _writable(docx):
                    write_atomic(docx, lambda tmp: document.save(str(tmp)))
    return ExportResult(docx, pdf, len(content.tables), len(content.perf), content.missing)


@contextmanager
def _writable(path: Path) -> Iterator[None]:
    """A file another program holds open (Word, a PDF viewer on Windows) is a clear InputError."""
    try:
        yield
    except PermissionError:
        raise InputError("无法写入文件：它可能正在 Word、WPS 或 PDF 阅读器中打开，请关闭后重试",
                         "cannot write the file: it may be open in Word, WPS or a PDF viewer; close it and retry",
                         Location(file=str(path))) from None


def default_paths(book_path: str | Path) -> tuple[Path, Path]:
    """``部门.xlsx`` → ``部门_决算公开.docx`` and ``.pdf`` in the same folder (the ribbon's choice)."""
    p = Path(book_path)
    stem = p.with_name(p.stem + SUFFIX)
    return stem.with_suffix(".docx"), stem.with_suffix(".pdf")


def export_file(book_path: str | Path, docx: str | Path | None = None, pdf: str | Path | None = None,
                format_id: str | None = None) -> ExportResult:
    """Read a workbook's inputs (values are recomputed, never taken from its cache) and export."""
    from juesuan.book_io import read_workbook

    book = read_workbook(book_path, format_id, text_numbers=False)
    return export_book(book, docx if docx is not None else default_paths(book_path)[0], pdf)


__all__ = ["ExportResult", "default_paths", "export_book", "export_file"]
