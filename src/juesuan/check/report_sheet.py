"""``juesuan check --write``: a 校验结果 sheet in the workbook, and a comment on each offending cell.

One row per finding, errors and warnings first: 序号, 规则, 级别, 说明, 单元格 (a link to the first
cell; the first three are named, the others follow in folded 其他单元格 columns), 期望值, 实际值,
差额, 容差, 出错说明 (typed by the accountant; see :mod:`~juesuan.check.acknowledge`), and a hidden
识别码 that lets the next run match the explanation to its finding.  The 尾差 of one table and rule
(rounding gaps, info) take one line, with their rows folded under it (details on demand).  The
sheet prints landscape on A4, one page wide, the header repeated on every page.  The offending cell (the first of each finding that is neither info
nor acknowledged) gets a comment authored ``juesuan校验``; every run first removes all comments
of that author, so marks of fixed findings disappear.  Cell values and styles are never touched.

openpyxl drops the cached values of formula cells when it saves; they are put back exactly as
they were read (:func:`juesuan.cached.save_with_values`), so readers that do not recalculate
still see the same numbers.  The save is atomic and refuses a workbook open in Excel.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from juesuan import cached
from juesuan.celltext import put
from juesuan.check.acknowledge import HEADERS, NOT_FOR_ERRORS, SHEET, identity
from juesuan.findings import Finding, Severity, summarize
from juesuan.locate import Grid, is_error_text
from juesuan.workbook_file import load, refuse_if_open
from juesuan.xleval import XlError

AUTHOR = "juesuan校验"
HEADER_ROW = 4
EXTRA_CELLS = 30  # further cells of one finding, each in its own linked column
FILLS = {Severity.ERROR: "F8CBAD", Severity.WARNING: "FFE699", Severity.INFO: "DDEBF7"}
NOTE = ("说明：警告和提示可在「出错说明」栏填写理由，再次校验时视为已说明，不再计入；"
        "错误表示数字相互矛盾，必须更正，不能以出错说明代替。点击「单元格」可跳转。")
WIDTHS = [6, 8, 7, 70, 28, 14, 14, 12, 10, 36, 10]
SHOWN_CELLS = 3  # cells named in the 单元格 column; the others in folded columns
TAIL = "属尾差"  # the mark check puts on a finding inside the rounding tolerance (check.registry)


def write(path: str | Path, findings: list[Finding], values: Mapping[str, Grid], formulas: Mapping[str, Grid],
          explanations: Mapping[str, str] | None = None) -> None:
    """Add or replace the 校验结果 sheet and the cell marks of the workbook at ``path``.

    ``values``/``formulas`` are the sheets as read for checking: they give back the cached value
    of every formula cell after openpyxl has saved.
    """
    path = Path(path)
    refuse_if_open(path)
    wb = load(path)
    unmark(wb)
    build_sheet(wb, findings, explanations or {})
    mark(wb, findings)
    cached.save_with_values(wb, path, cached_values(values, formulas))


def unmark(wb: Workbook) -> None:
    """Remove every comment this checker left on an earlier run."""
    for ws in wb.worksheets:
        for c in list(ws._cells.values()):  # noqa: SLF001 — openpyxl has no public cell iterator with comments
            if c.comment is not None and c.comment.author == AUTHOR:
                c.comment = None


def build_sheet(wb: Workbook, findings: list[Finding], explanations: Mapping[str, str]) -> Worksheet:
    index = None
    if SHEET in wb.sheetnames:
        index = wb.sheetnames.index(SHEET)
        wb.remove(wb[SHEET])
    ws = wb.create_sheet(SHEET, index)
    s = summarize(findings)
    ws.cell(1, 1, "校验结果").font = Font(bold=True, size=14)
    ws.cell(2, 1, f"错误 {s['error']} 个，警告 {s['warning']} 个，提示 {s['info']} 个，已说明 {s['acknowledged']} 个")
    ws.cell(3, 1, NOTE).alignment = Alignment(wrap_text=False)
    headers = HEADERS + (["其他单元格"] if any(len(f.cells) > 1 for f in findings) else [])
    for j, h in enumerate(headers, 1):
        c = ws.cell(HEADER_ROW, j, h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
    for j, w in enumerate(WIDTHS, 1):
        ws.column_dimensions[_letter(j)].width = w
    ws.column_dimensions[_letter(HEADERS.index("识别码") + 1)].hidden = True
    r = HEADER_ROW
    n = 0
    for group in _grouped(findings):
        if len(group) > 1:  # one line for the 尾差 of a table, its rows folded below it
            r, n = r + 1, n + 1
            _summary_row(ws, r, n, group)
        for f in group:
            r += 1
            if len(group) == 1:
                n += 1
            _write_row(ws, r, n if len(group) == 1 else None, f, explanations.get(identity(f), f.acknowledged or ""))
            if len(group) > 1:
                ws.row_dimensions[r].outlineLevel = 1
                ws.row_dimensions[r].hidden = True
    ws.sheet_properties.outlinePr.summaryBelow = False
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    if findings:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{_letter(len(HEADERS))}{r}"
    extra = max((len(f.cells) - 1 for f in findings), default=0)
    if extra > 0:  # further cells of a finding: folded columns
        ws.column_dimensions.group(_letter(len(HEADERS) + 1), _letter(len(HEADERS) + min(extra, EXTRA_CELLS)),
                                   hidden=True, outline_level=1)
    _page_setup(ws, r)
    return ws


def _grouped(findings: list[Finding]) -> list[list[Finding]]:
    """Findings in order, the 尾差 (info inside the rounding tolerance) of one rule and table
    gathered into one group (placed where the first of them was)."""
    groups: list[list[Finding]] = []
    tails: dict[tuple[str, str | None], list[Finding]] = {}
    for f in findings:
        if f.severity is Severity.INFO and TAIL in f.message and f.acknowledged is None:
            key = (f.rule, f.cells[0].table if f.cells else None)
            if key not in tails:
                tails[key] = []
                groups.append(tails[key])
            tails[key].append(f)
        else:
            groups.append([f])
    return groups


def _summary_row(ws: Worksheet, r: int, n: int, group: list[Finding]) -> None:
    col = {h: j for j, h in enumerate(HEADERS, 1)}
    first = group[0]
    table = first.cells[0].sheet if first.cells else ""
    ws.cell(r, col["序号"], n)
    ws.cell(r, col["规则"], first.rule)
    c = ws.cell(r, col["级别"], Severity.INFO.zh)
    c.fill = PatternFill("solid", start_color=FILLS[Severity.INFO], end_color=FILLS[Severity.INFO])
    text = f"{table}：{len(group)} 处尾差（{first.rule}），差额均在四舍五入容差以内，可不处理；点击左侧“+”展开明细"
    ws.cell(r, col["说明"], text).alignment = Alignment(wrap_text=True, vertical="top")
    link = ws.cell(r, col["单元格"], f"{table}!{first.cells[0].cell}" if first.cells and first.cells[0].cell else table)
    if first.cells:
        _link(link, first.cells[0].sheet, first.cells[0].cell)


def _page_setup(ws: Worksheet, last_row: int) -> None:
    """Landscape A4, one page wide, the header row on every page, the report columns only."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{_letter(HEADERS.index('出错说明') + 1)}{max(last_row, HEADER_ROW)}"
    ws.page_margins.left = ws.page_margins.right = 0.4


def _write_row(ws: Worksheet, r: int, n: int | None, f: Finding, explanation: str) -> None:
    col = {h: j for j, h in enumerate(HEADERS, 1)}
    level = f.severity.zh + ("（已说明）" if f.acknowledged is not None else "")
    ws.cell(r, col["序号"], n)
    ws.cell(r, col["规则"], f.rule)
    c = ws.cell(r, col["级别"], level)
    c.fill = PatternFill("solid", start_color=FILLS[f.severity], end_color=FILLS[f.severity])
    put(ws.cell(r, col["说明"]), f.message)
    ws.cell(r, col["说明"]).alignment = Alignment(wrap_text=True, vertical="top")
    where = [f"{c.sheet}!{c.cell}" if c.cell else c.sheet for c in f.cells]
    shown = "、".join(where[:SHOWN_CELLS]) + (f" 等 {len(where)} 个单元格" if len(where) > SHOWN_CELLS else "")
    link = ws.cell(r, col["单元格"], shown)
    link.alignment = Alignment(wrap_text=True, vertical="top")
    if f.cells:
        _link(link, f.cells[0].sheet, f.cells[0].cell)
    for name, value in (("期望值", f.expected), ("实际值", f.actual), ("差额", f.difference), ("容差", f.tolerance)):
        ws.cell(r, col[name], _number(value))
    note = ws.cell(r, col["出错说明"])
    put(note, explanation or None)
    if f.severity is Severity.ERROR:
        note.fill = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
        if explanation:
            put(note, explanation + NOT_FOR_ERRORS)
    ws.cell(r, col["识别码"], identity(f))
    for k, ref in enumerate(f.cells[1:EXTRA_CELLS + 1]):
        extra = ws.cell(r, len(HEADERS) + 1 + k, f"{ref.sheet}!{ref.cell}" if ref.cell else ref.sheet)
        _link(extra, ref.sheet, ref.cell)


def _link(c: Any, sheet: str, a1: str | None) -> None:
    location = f"'{sheet}'!{a1 or 'A1'}"
    c.hyperlink = Hyperlink(ref=c.coordinate, location=location, display=str(c.value))
    c.font = Font(color="0563C1", underline="single")


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j)


def mark(wb: Workbook, findings: list[Finding]) -> None:
    """A comment on the first cell of each error and unacknowledged warning."""
    notes: dict[tuple[str, str], list[str]] = {}
    for f in findings:
        if f.severity is Severity.INFO or f.acknowledged is not None or not f.cells or not f.cells[0].cell:
            continue
        first = f.cells[0]
        notes.setdefault((first.sheet, first.cell), []).append(f"[{f.severity.zh} {f.rule}] {f.message}")
    for (sheet, a1), lines in notes.items():
        if sheet not in wb.sheetnames:
            continue
        c = _anchor(wb[sheet], wb[sheet][a1])
        if c.comment is not None:  # the user's own comment: leave it, the report sheet links here
            continue
        text = "\n".join(lines)
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 360, min(60 + 40 * len(lines), 400)
        c.comment = comment


def _anchor(ws: Any, cell: Any) -> Any:
    """The cell that can carry a comment: a cell inside a merged range (merged by the user, or left
    over a row the user inserted) gives way to the range's top-left cell."""
    from openpyxl.cell.cell import MergedCell

    if isinstance(cell, MergedCell):
        for rng in ws.merged_cells.ranges:
            if cell.coordinate in rng:
                return ws.cell(rng.min_row, rng.min_col)
    return cell


def cached_values(values: Mapping[str, Grid], formulas: Mapping[str, Grid]) -> dict[str, dict[str, Any]]:
    """Sheet → {A1: value} for every formula cell, as it was read (to store back after saving)."""
    out: dict[str, dict[str, Any]] = {}
    for sheet, fgrid in formulas.items():
        vgrid = values.get(sheet) or []
        for r, row in enumerate(fgrid, 1):
            for c, f in enumerate(row, 1):
                if not (isinstance(f, str) and f.startswith("=")):
                    continue
                v = vgrid[r - 1][c - 1] if r - 1 < len(vgrid) and c - 1 < len(vgrid[r - 1]) else None
                if v is None or v == "":
                    continue
                if isinstance(v, str) and is_error_text(v):
                    v = XlError(v)
                elif isinstance(v, (dt.datetime, dt.date)):
                    v = to_excel(v)
                out.setdefault(sheet, {})[f"{_letter(c)}{r}"] = v
    return out
