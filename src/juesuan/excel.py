"""The ribbon commands (决算公开 tab) in live Excel, through xlwings.

The add-in's one VBA callback runs ``juesuan.excel.dispatch(tag)`` (a fixed ASCII module, never
one named after the workbook).  Each command takes ``xlwings.Book.caller()``, reads every sheet
it needs in ONE call (``sheet.used_range`` → a grid), runs the same core as the command line
(:mod:`juesuan.locate`, :mod:`juesuan.derive`, check, narrate, export) and writes back one
contiguous block per table, because every call into Excel costs tens of milliseconds.
Problems are shown in a Chinese message box — never a Python traceback dialog.

Only xlwings' BSD core is used here (``Book.caller``, ranges, sheets, ``App.alert``); tests run
the same functions on xlwings' remote engine with payloads built from real workbooks.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import traceback
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from juesuan.celltext import Literal, xl_value
from juesuan.derive import derivations
from juesuan.errors import InputError
from juesuan.expr import column_letter
from juesuan.sheets.ranges import unions
from juesuan.formats import get_pack
from juesuan.formats.pack import FormatPack
from juesuan.layout import BookLayout, TableLayout, book_layout
from juesuan.locate import MAX_COLUMNS, FoundBook
from juesuan.model import Book
from juesuan.sheets.edits import SheetEdits
from juesuan.sheets.tables import table_edits
from juesuan.spec import Table
from juesuan.xlsx_write import department_line

TITLE = "决算公开助手"
LOG = Path(tempfile.gettempdir()) / "juesuan-excel.log"
log = logging.getLogger("juesuan.excel")


# ── reading ─────────────────────────────────────────────────────────────────────────────
MAX_ROWS = 65536  # rows read from a sheet: far beyond any table (a stray value at row 1048576 is not read)


def _grid(sheet: Any) -> list[list[Any]]:
    """A sheet's values from A1 to its last used cell (within the tables' reach), in one call.

    Excel gives values, never formula text, so text starting with "=" is a
    :class:`~juesuan.celltext.Literal` (typed with a quote, or written by juesuan)."""
    used = sheet.used_range
    last = used.last_cell
    values = sheet.range((1, 1), (min(last.row, MAX_ROWS), min(last.column, MAX_COLUMNS))).options(ndim=2).value
    return [[Literal(v) if isinstance(v, str) and v.startswith("=") else v for v in r] for r in values]


def read_grids(xlbook: Any, names: list[str] | None = None) -> dict[str, list[list[Any]]]:
    wanted = set(names) if names else None
    return {s.name: _grid(s) for s in xlbook.sheets if wanted is None or s.name in wanted}


def book_pack(xlbook: Any) -> FormatPack:
    """The format of the open workbook: its stamp (a defined name), else its sheet names and titles."""
    from juesuan.formats.detect import detect_in_grids

    names: dict[str, str] = {}
    try:
        for n in xlbook.names:
            names[str(n.name)] = str(n.refers_to)
    except (AttributeError, NotImplementedError, TypeError):
        pass
    sheets = [s.name for s in xlbook.sheets]
    return get_pack(detect_in_grids(sheets, names, None))


def read_model(xlbook: Any) -> tuple[Book, FoundBook]:
    """The book's inputs and where everything is, from one read of each table's sheet."""
    from juesuan.session import Session

    pack = book_pack(xlbook)
    s = Session.from_grids(pack, read_grids(xlbook, [t.sheet for t in pack.format.tables]))
    assert s.found is not None
    return s.book, s.found


# ── writing ─────────────────────────────────────────────────────────────────────────────
def _xl(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def apply_edits(sheet: Any, edits: SheetEdits) -> None:
    """Sheet edits into an xlwings sheet: one 2-D block written in one call from the first edit
    (the edits of a table's data rows are a full rectangle)."""
    if edits.cells:
        first = edits.cells[0]
        sheet.range((first.row, first.col)).value = edits_block(edits)


def edits_block(edits: SheetEdits) -> list[list[Any]]:
    """Sheet edits (one rectangle of rows starting at column A) as the 2-D block xlwings writes
    in one call: formulas as ``=…`` text, numbers as floats, text with the quote prefix where Excel
    would otherwise parse it (:func:`juesuan.celltext.xl_value`)."""
    return [[c.formula if c.formula is not None else xl_value(_xl(c.value)) for c in cells] for _, cells in edits.rows()]


def _protected(sheet: Any) -> Callable[[Callable[[], None]], None]:
    """Run writes with the sheet unprotected (Windows COM only; the remote engine has no protection)."""
    def run(write: Callable[[], None]) -> None:
        api = getattr(sheet, "api", None)
        com = sheet.book.app.engine.name != "remote" and api is not None and hasattr(api, "Unprotect")
        if com:
            api.Unprotect()
        try:
            write()
        finally:
            if com:
                api.Protect(DrawingObjects=False, Contents=True, Scenarios=True, AllowFormattingColumns=True,
                            AllowFormattingRows=True, AllowInsertingRows=True, AllowDeletingRows=True)
    return run


def write_book(xlbook: Any, book: Book, found: FoundBook) -> tuple[BookLayout, dict]:
    """Resize the code and record tables and write every table's data block (a few calls per sheet)."""
    exprs = derivations(book)
    layout = book_layout(book, offsets={k: f.layout.offset for k, f in found.tables.items()})
    for t in book.format.tables:
        sheet = xlbook.sheets[t.sheet]
        f = found.tables[t.key]
        tl = layout.tables[t.key]

        def write(sheet: Any = sheet, f: Any = f, tl: TableLayout = tl, t: Table = t) -> None:
            if t.kind != "fixed":
                _resize(sheet, f.first_data_row, f.last_data_row, tl)
            if t.dept_line:
                sheet.range((tl.header_row - 1, 1)).value = xl_value(department_line(book))
            apply_edits(sheet, table_edits(book, tl, exprs, layout.address))
            if t.kind == "code":
                _paint_rows(sheet, tl)

        _protected(sheet)(write)
    return layout, exprs


INPUT_BGR = 0xCCF2FF  # FFF2CC (styles.INPUT_FILL) as Excel's BGR colour number
XL_NONE = -4142


def row_runs(tl: TableLayout) -> tuple[list[str], list[str]]:
    """Value-cell ranges of a code table's 项 rows (inputs) and of its 合计/类/款 rows (derived),
    contiguous rows merged: rows inserted by 填充 take the format of the row above them, so the
    ribbon restores which rows look and act as inputs."""
    t = tl.table
    first = len(t.block.label_columns) + 1
    last = first + len(t.block.columns) - 1
    runs: dict[bool, list[list[int]]] = {True: [], False: []}
    for i, key in enumerate(tl.row_keys):
        r = tl.first_data_row + i
        is_input = len(key) == 7
        group = runs[is_input]
        if group and group[-1][1] == r - 1:  # the row above is of the same kind: extend its run
            group[-1][1] = r
        else:
            group.append([r, r])
    a, b = column_letter(first), column_letter(last)
    return ([f"{a}{x}:{b}{y}" for x, y in runs[True]], [f"{a}{x}:{b}{y}" for x, y in runs[False]])




def _paint_rows(sheet: Any, tl: TableLayout) -> None:
    """Excel (COM) only: 项 rows pale yellow and unlocked, 合计/类/款 rows plain and locked, in a
    few calls per table.  The remote engine has no cell locking; a failure here must not undo
    the fill, so it is logged, not raised."""
    if sheet.book.app.engine.name == "remote":
        return
    inputs, derived = row_runs(tl)
    try:
        for ranges, is_input in ((inputs, True), (derived, False)):
            for address in unions(ranges):
                rng = sheet.api.Range(address)
                if is_input:
                    rng.Interior.Color = INPUT_BGR
                else:
                    rng.Interior.ColorIndex = XL_NONE
                rng.Locked = not is_input
    except Exception:  # cosmetic: never fail 填充 over it
        log.exception("could not format the rows of %s", tl.table.sheet)


def _resize(sheet: Any, old_first: int, old_last: int, tl: TableLayout) -> None:
    old_n = old_last - old_first + 1
    new_n = len(tl.row_keys)
    if new_n > old_n:
        sheet.range(f"{old_last + 1}:{old_last + new_n - old_n}").insert(shift="down")
    elif new_n < old_n:
        sheet.range(f"{tl.first_data_row + new_n}:{old_last}").delete(shift="up")


# ── the commands ────────────────────────────────────────────────────────────────────────
def fill(xlbook: Any) -> str:
    """填充: every derived cell gets its live formula; 类/款 rows created in code order."""
    book, found = read_model(xlbook)
    _, exprs = write_book(xlbook, book, found)
    return f"填充完成：{len(exprs)} 个派生单元格已写入公式。"


def _formulas(sheet: Any, shape: tuple[int, int]) -> list[list[Any]] | None:
    """A sheet's formula texts in one call; None where the engine cannot read formulas (remote)."""
    try:
        rows = sheet.range((1, 1), shape).options(ndim=2).formula
    except (NotImplementedError, AttributeError):
        return None
    return [list(r) for r in rows]


def check(xlbook: Any) -> str:
    """校验: every rule on the cells as they stand; a 校验结果 sheet with links, cells marked."""
    from juesuan.check import acknowledge, check_grids
    from juesuan.findings import summarize

    fmt = book_pack(xlbook).format
    names = [s.name for s in xlbook.sheets]
    from juesuan.narrate.sheet import SHEET as NARRATIVE  # the narrative as it may be printed (N-SHEET-*)

    wanted = [t.sheet for t in fmt.tables] + [s for s in (acknowledge.SHEET, NARRATIVE) if s in names]
    values = read_grids(xlbook, wanted)
    formulas: dict[str, list[list[Any]]] | None = {}
    for t in fmt.tables:
        grid = values.get(t.sheet)
        got = _formulas(xlbook.sheets[t.sheet], (len(grid), max(len(r) for r in grid))) if grid else None
        if got is None:
            formulas = None
            break
        formulas[t.sheet] = got  # type: ignore[index]
    findings = check_grids(fmt, values, formulas)
    _write_report(xlbook, findings, names)
    s = summarize(findings)
    skipped = "" if formulas is not None else "\n（此环境无法读取公式，未做公式完整性检查）"
    return (f"校验完成：错误 {s['error']} 个，警告 {s['warning']} 个，提示 {s['info']} 个，已说明 {s['acknowledged']} 个。"
            f"详见「{acknowledge.SHEET}」工作表。{skipped}")


def report_rows(findings: list) -> list[list[Any]]:
    """The 校验结果 sheet as one block (same columns as ``juesuan check --write``); links are
    HYPERLINK formulas so the whole sheet is one write."""
    from juesuan.check.acknowledge import HEADERS, identity
    from juesuan.check.report_sheet import HEADER_ROW, NOTE
    from juesuan.findings import Severity, summarize

    s = summarize(findings)
    rows: list[list[Any]] = [["校验结果"], [f"错误 {s['error']} 个，警告 {s['warning']} 个，提示 {s['info']} 个，"
                                          f"已说明 {s['acknowledged']} 个"], [NOTE]]
    rows += [[None]] * (HEADER_ROW - 1 - len(rows))
    rows.append(list(HEADERS))
    for i, f in enumerate(findings, 1):
        where = [f"{c.sheet}!{c.cell}" if c.cell else c.sheet for c in f.cells]
        link: Any = "、".join(where)
        if f.cells and f.cells[0].cell:
            target = f"#'{f.cells[0].sheet}'!{f.cells[0].cell}"
            link = f'=HYPERLINK("{target}","{link[:200]}")'
        level = f.severity.zh + ("（已说明）" if f.acknowledged is not None else "")
        explanation = f.acknowledged or ""
        if f.severity is Severity.ERROR:
            explanation = ""
        rows.append([i, f.rule, level, xl_value(f.message), link, _xl(f.expected), _xl(f.actual), _xl(f.difference),
                     _xl(f.tolerance), xl_value(explanation) or None, identity(f)])
    width = max(len(r) for r in rows)
    return [r + [None] * (width - len(r)) for r in rows]


def _write_report(xlbook: Any, findings: list, names: list[str]) -> None:
    from juesuan.check.acknowledge import SHEET

    if SHEET in names:
        xlbook.sheets[SHEET].delete()
    sheet = xlbook.sheets.add(SHEET, after=xlbook.sheets[len(xlbook.sheets) - 1])
    sheet.range((1, 1)).value = report_rows(findings)
    sheet.range("D:D").column_width = 70


def narrate(xlbook: Any) -> str:
    """生成说明: the narrative sheet written from the numbers, one block; 图1/图2 as pie charts."""
    from juesuan.narrate import narrative
    from juesuan.narrate.document import text_hash
    from juesuan.narrate.sheet import HASH_PREFIX, SHEET, WIDTH, written_text

    book, found = read_model(xlbook)
    nar = narrative(book)
    names = [s.name for s in xlbook.sheets]
    kept = None
    if SHEET in names:
        old = xlbook.sheets[SHEET]
        grid = _grid(old)
        lines = [r[0] for r in grid if r and isinstance(r[0], str) and r[0] != ""]
        stored = grid[0][2] if grid and len(grid[0]) > 2 else None
        if stored != HASH_PREFIX + text_hash(lines):
            kept = _free_name(names, SHEET)
            old.name = kept
        else:
            old.delete()
    after = xlbook.sheets[kept] if kept else xlbook.sheets[len(xlbook.sheets) - 1]
    sheet = xlbook.sheets.add(SHEET, after=after)
    rows: list[list[Any]] = []
    charts: list[tuple[str, int]] = []
    texts: list[str] = []  # as Excel will show them (the quote prefix is not part of the text)
    for p in nar.paragraphs():
        texts.append(written_text(p))
        rows.append([xl_value(texts[-1]), None, None])
        if p.kind == "figure" and p.figure:
            charts.append((p.figure, len(rows) + 1))
            rows += [[None, None, None]] * CHART_ROWS
    texts = [t for t in texts if t]
    rows[0][2] = HASH_PREFIX + text_hash(texts)
    data, blocks = _chart_data(found, get_pack(book.format.id))
    for i, line in enumerate(data):
        while len(rows) <= i:
            rows.append([None, None, None])
        rows[i] = rows[i][:3] + [None] + line
    width = max(len(r) for r in rows)
    sheet.range((1, 1)).value = [r + [None] * (width - len(r)) for r in rows]
    sheet.range("A:A").column_width = WIDTH
    sheet.range((1, 1), (len(rows), 1)).wrap_text = True
    sheet.autofit("rows")
    for figure, row in charts:
        first = blocks[figure]
        chart = sheet.charts.add(width=420, height=210, anchor=sheet.range((row, 1)))
        chart.chart_type = "pie"
        chart.set_source_data(sheet.range((first[0], 5), (first[1], 6)))
    note = f"（原说明曾被手工修改，已保留为「{kept}」）" if kept else ""
    return f"已生成「{SHEET}」：{len(texts)} 段。{note}"


CHART_ROWS = 14  # blank rows reserved under a figure caption for its chart


def _chart_data(found: FoundBook, pack: FormatPack) -> tuple[list[list[Any]], dict[str, tuple[int, int]]]:
    """Chart sources as live formulas (label, amount) in columns E:F of the narrative sheet,
    and each figure's (first, last) row there; the pack's charts, one blank row apart.

    The remote engine (and Office.js) take one contiguous source range, so the labels and
    amounts of the pack's chart cells are referenced into a two-column block here, not copied.
    """
    from juesuan.sheets.charts import chart_sources

    out: list[list[Any]] = []
    blocks: dict[str, tuple[int, int]] = {}
    for chart, cells in chart_sources(pack, found):
        if out:
            out.append([None, None])
        first = len(out) + 1
        out += [[f"={label.ref('')}", f"={amount.ref('')}"] for label, amount in cells]
        blocks[chart.id] = (first, len(out))
    return out, blocks


def _free_name(names: list[str], base: str) -> str:
    n = 1
    while f"{base}(手改{n})" in names:
        n += 1
    return f"{base}(手改{n})"


def export(xlbook: Any) -> str:
    """导出: Word (and PDF when LibreOffice is installed) next to the workbook."""
    from juesuan.export import default_paths, export_book
    from juesuan.lo import find_soffice

    book, _ = read_model(xlbook)
    full = Path(xlbook.fullname)
    target = full if full.is_absolute() else Path.cwd() / full.name
    docx, pdf = default_paths(target)
    try:
        find_soffice()
        want_pdf: Path | None = pdf
    except InputError:
        want_pdf = None
    result = export_book(book, docx, want_pdf)
    done = f"已导出：{result.docx}" + (f"\n{result.pdf}" if result.pdf else "\n（未安装 LibreOffice，未生成 PDF）")
    return done


def doctor(xlbook: Any) -> str:
    """环境诊断: the same report as ``juesuan addin doctor``, verdict line included."""
    from juesuan.addin.doctor import format_report, run_checks

    return format_report(run_checks())


COMMANDS: dict[str, Callable[[Any], str]] = {"fill": fill, "check": check, "narrate": narrate, "export": export,
                                              "doctor": doctor}


def dispatch(tag: str, xlbook: Any = None) -> str:
    """Run the ribbon command ``tag`` on the calling workbook; report in a Chinese message box."""
    import xlwings as xw

    xlbook = xlbook if xlbook is not None else xw.Book.caller()
    command = COMMANDS.get(tag)
    try:
        if command is None:
            raise InputError(f"未知的按钮「{tag}」", f"unknown ribbon tag {tag!r}")
        message = command(xlbook)
    except InputError as exc:
        message = f"无法完成：{exc.message}"
    except Exception:  # a bug: keep the traceback in a log, show a plain message
        _log_failure(tag)
        message = f"出现意外错误，详情已记录在 {LOG}。\nAn unexpected error occurred; details in {LOG}."
    _alert(xlbook, message)
    return message


def _log_failure(tag: str) -> None:
    with LOG.open("a", encoding="utf-8") as fh:
        fh.write(f"{dt.datetime.now().isoformat()} {tag}\n{traceback.format_exc()}\n")


def _alert(xlbook: Any, message: str) -> None:
    try:
        xlbook.app.alert(message, title=TITLE)
    except Exception:  # the message box must never itself raise into Excel
        log.warning("could not show message: %s", message)
