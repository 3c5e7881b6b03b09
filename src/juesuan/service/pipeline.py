"""The buttons: on an uploaded file, the same calls as ``juesuan fill`` / ``check --write`` /
``narrate`` / ``export`` (and ``new --data`` for a data file); on a snapshot, the same engines
on the in-memory workbook the snapshot makes (nothing is written but the export's files).

Each step works on a private copy and says what it did in Chinese (English beside it); an input
problem is an :class:`~juesuan.errors.InputError`, reported to the caller, never a traceback.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from juesuan.errors import InputError

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook

    from juesuan.spec import Format

Grids = Mapping[str, Any]


@dataclass
class Outcome:
    """What one step did: a one-line message, further lines, findings (check) and files made."""

    command: str
    message: str
    lines: list[str] = field(default_factory=list)
    findings: dict[str, Any] | None = None
    files: dict[str, Path] = field(default_factory=dict)


# ── on a workbook file (the browser page's upload): exactly the command line's calls ──
def fill(path: Path) -> Outcome:
    from juesuan.fill import fill_workbook

    return _filled(fill_workbook(path))


def check(path: Path, label: str) -> Outcome:
    """校验 with the report sheet written (``check --write``); ``label`` names the book in findings."""
    from juesuan.check import acknowledge, check_grids
    from juesuan.check.read import load_grids
    from juesuan.check.report_sheet import write
    from juesuan.formats import detect_pack

    values, formulas = load_grids(path)
    found = check_grids(detect_pack(path).format, values, formulas)
    write(path, found, values, formulas, acknowledge.read(values.get(acknowledge.SHEET)))
    return _checked(found, label)


def narrate(path: Path) -> Outcome:
    from juesuan.formats import detect_pack
    from juesuan.narrate.save import save_workbook
    from juesuan.workbook_file import load

    wb = load(path)
    fmt = detect_pack(path).format
    outcome, book, found = _narrate(wb, fmt)
    save_workbook(wb, book, found, path)
    return outcome


# ── on the in-memory workbook of a snapshot (the WPS add-in): the same engines, no file ──
def fill_book(wb: Workbook, fmt: Format) -> Outcome:
    """填充 on ``wb`` in memory, as ``fill_workbook`` does between loading and saving."""
    from juesuan import fill as engine
    from juesuan.locate import read_book
    from juesuan.workbook_file import grids

    grid = grids(wb)
    book, found = read_book(fmt, grid)
    report, _values = engine.fill_book(wb, book, found, grid, write_inputs=False)
    return _filled(report)


def check_book(wb: Workbook, fmt: Format, values: Grids, formulas: Grids, label: str) -> Outcome:
    """校验 on the snapshot's grids; the 校验结果 sheet and the marks written into ``wb`` as
    ``check --write`` writes them into the file."""
    from juesuan.check import acknowledge, check_grids
    from juesuan.check.report_sheet import build_sheet, mark, unmark

    found = check_grids(fmt, values, formulas)
    unmark(wb)
    build_sheet(wb, found, acknowledge.read(values.get(acknowledge.SHEET)))
    mark(wb, found)
    return _checked(found, label)


def narrate_book(wb: Workbook, fmt: Format) -> Outcome:
    return _narrate(wb, fmt)[0]


def book_of(wb: Workbook, fmt: Format) -> Any:
    """The inputs of ``wb`` (for export)."""
    from juesuan.locate import read_book
    from juesuan.workbook_file import grids

    return read_book(fmt, grids(wb))[0]


# ── what each step says ──
def _filled(report: Any) -> Outcome:
    lines = [ln for ln in report.lines() if not ln.startswith("已写出")]
    return Outcome("fill", f"填充完成：{report.derived} 个派生单元格已写入公式和值 "
                           f"(filled: {report.derived} derived cells)", lines[1:])


def _checked(found: list[Any], label: str) -> Outcome:
    from juesuan.findings import report_json, summarize

    s = summarize(found)
    return Outcome("check", f"校验完成：错误 {s['error']} 个，警告 {s['warning']} 个，提示 {s['info']} 个，"
                            f"已说明 {s['acknowledged']} 个 (errors {s['error']}, warnings {s['warning']}, "
                            f"notes {s['info']}, acknowledged {s['acknowledged']})",
                   findings=report_json(label, found))


def _narrate(wb: Workbook, fmt: Format) -> tuple[Outcome, Any, Any]:
    from juesuan.locate import read_book
    from juesuan.narrate import narrative
    from juesuan.narrate.sheet import SHEET, write_narrative_sheet
    from juesuan.workbook_file import grids

    book, found = read_book(fmt, grids(wb))
    text = narrative(book)
    result = write_narrative_sheet(wb, text, book, found)
    lines = []
    if result.kept_copy:
        lines.append(f"「{SHEET}」在上次生成后被手工修改过，原表已保留为「{result.kept_copy}」"
                     f"(the hand-edited sheet is kept as {result.kept_copy})")
    lines += [f"待填写 to fill：「{p.cell[0]}」{p.label}" for p in text.placeholders]
    return (Outcome("narrate", f"已生成「{SHEET}」：{result.paragraphs} 段，图1、图2 "
                               f"(narrative written: {result.paragraphs} paragraphs)", lines), book, found)


def export(source: Path | Any, out_dir: Path, stem: str, pdf: bool) -> Outcome:
    """导出 of a workbook file or a :class:`~juesuan.model.Book` into ``out_dir`` as
    ``<stem>_决算公开.docx`` (and .pdf when LibreOffice is there)."""
    from juesuan.export import SUFFIX, export_book, export_file

    docx = out_dir / f"{stem}{SUFFIX}.docx"
    want_pdf = out_dir / f"{stem}{SUFFIX}.pdf" if pdf and has_libreoffice() else None
    result = export_file(source, docx, want_pdf) if isinstance(source, Path) else export_book(source, docx, want_pdf)
    files = {"docx": result.docx}
    if result.pdf:
        files["pdf"] = Path(result.pdf)
    lines = [] if result.pdf or not pdf else ["未安装 LibreOffice，未生成 PDF (LibreOffice is missing: no PDF)"]
    if result.missing:
        lines.append(f"文档中有 {len(result.missing)} 处【请填写…】，发布前请补全 "
                     f"({len(result.missing)} placeholders to fill before publishing)")
    return Outcome("export", f"已导出 Word{'、PDF' if result.pdf else ''} (exported)", lines, files=files)


def new_from_data(data: Path, out: Path) -> Outcome:
    """A data file (JSON) laid out in the template and filled, as ``juesuan new --data``."""
    from juesuan.book_io import new_book
    from juesuan.data_file import read_data

    new_book(read_data(data), out)
    return Outcome("new", "已由数据文件新建并填充工作簿 (workbook made from the data file and filled)")


def has_libreoffice() -> bool:
    from juesuan.lo import find_soffice

    try:
        find_soffice()
        return True
    except InputError:
        return False


def doctor(folder: Path) -> Outcome:
    """环境诊断 of the service: Python, juesuan, the format, its folder, LibreOffice."""
    from juesuan.addin.doctor import Check, format_report

    checks = [Check("Python 版本 (Python version)", sys.version_info[:2] >= (3, 11),
                    f"{platform.python_version()} ({sys.executable})")]
    try:
        from importlib.metadata import version

        checks.append(Check("juesuan", True, version("juesuan")))
    except Exception as exc:  # noqa: BLE001 — a doctor always answers
        checks.append(Check("juesuan", True, f"未安装为包 (not installed as a package): {exc}", essential=False))
    try:
        from juesuan.formats import packs

        known = "、".join(f"{p.format.id}（{len(p.format.tables)} 张表）" for p in packs())
        checks.append(Check("格式 (formats)", True, known))
    except Exception as exc:  # noqa: BLE001
        checks.append(Check("格式 (format)", False, f"{type(exc).__name__}: {exc}"))
    writable = folder.is_dir() and _writable(folder)
    checks.append(Check("服务目录 (service folder)", writable, str(folder) + ("" if writable else "：不可写 (not writable)")))
    lo = has_libreoffice()
    checks.append(Check("LibreOffice（导出 PDF）", lo, "已安装 (installed)" if lo else
                        "未安装：导出只生成 Word (missing: export writes Word only)", essential=False))
    report = format_report(checks)
    return Outcome("doctor", report.splitlines()[-1], report.splitlines())


def _writable(folder: Path) -> bool:
    probe = folder / ".probe"
    try:
        probe.write_text("ok")
        probe.unlink()
        return True
    except OSError:
        return False
