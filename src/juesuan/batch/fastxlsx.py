"""The fast writer: a department's filled workbook rendered as XML text from the model.

Why: the openpyxl path (load the template → ``apply_book`` → save → re-insert cached values)
costs a few hundred milliseconds per workbook, mostly building and serialising cell objects.
A batch of hundreds of departments needs tens of milliseconds.  The template is parsed once
per process (:mod:`juesuan.batch.template_parts`); per department only ``<sheetData>`` is
rendered: the frame above the data from the template, the data rows laid out as the openpyxl
writer and the ribbon lay them out (:func:`juesuan.sheets.tables.table_edits`), here from rows
compiled once per process and filled per department (:mod:`juesuan.batch.datarows`), with the
derivations' values cached beside their formulas::

    <c r="D8" s="12"><f>SUM(D9:D12)</f><v>2657.4</v></c>

``tests/test_batch_fastxlsx.py`` compares the workbook with the openpyxl path's cell by cell.
Strings are inline (``t="inlineStr"``) as openpyxl writes them; the workbook keeps
``fullCalcOnLoad="1"`` so Excel and WPS recalculate on opening.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from juesuan.batch.datarows import Mismatch, RowCompiler
from juesuan.batch.formulas import LETTERS, FormulaRenderer
from juesuan.batch.narrative_sheet import NarrativeParts
from juesuan.batch.notes_sheet import NotesParts
from juesuan.batch.prerender import prerendered_template
from juesuan.batch.template_parts import (
    SheetParts,
    TemplateParts,
    parse_template,
    template_parts,
)
from juesuan.batch.zipwrite import archive, deflate
from juesuan.cellxml import formula_cell, text_cell, value_cell  # the cells' XML (shared with juesuan.xlsx_patch)
from juesuan.errors import FormatError
from juesuan.expr import Address, Expr, Key, Ref, column_index, column_letter
from juesuan.formats import get_pack, load_format
from juesuan.derive import derivations
from juesuan.layout import UNIT_ROW, BookLayout, TableLayout, book_layout
from juesuan.model import Book
from juesuan.narrate.document import Narrative
from juesuan.sheets.edits import SheetEdits
from juesuan.rows import FormulaText
from juesuan.sheets.tables import table_edits
from juesuan.spec import Table

SENTINEL = 1048577  # a sheet row that cannot occur (Excel has 1,048,576)
LABEL_CACHE = 50000  # label cells' XML remembered across departments (then forgotten at once)
LEVEL = 1  # zlib level: 1 deflates the sheets 2.4× faster than 6 for a file ~15 % bigger (bench/batch.py)


def edits_xml(edits: SheetEdits, styles: dict[str, int], labels: dict | None = None) -> str:
    """Sheet edits as ``<row>`` elements: labels and inputs as values, derived cells as a formula
    with its cached value; ``styles`` maps the named styles to the template's style indexes;
    ``labels`` (a dict kept by the caller) remembers the XML of label cells across calls."""
    out: list[str] = []
    sheet = edits.sheet
    memo = labels if labels is not None else {}
    for r, cells in edits.rows():
        out.append(f'<row r="{r}">')
        for c in cells:
            if c.formula is not None:
                out.append(formula_cell(f"{LETTERS[c.col]}{r}", styles[c.style], c.formula[1:], c.value))
            elif c.key is None:  # a label or a blank: the same in many workbooks
                k = (r, c.col, c.style, c.value)
                xml = memo.get(k)
                if xml is None:
                    xml = memo[k] = value_cell(f"{LETTERS[c.col]}{r}", styles[c.style], c.value, sheet)
                out.append(xml)
            else:
                out.append(value_cell(f"{LETTERS[c.col]}{r}", styles[c.style], c.value, sheet))
        out.append("</row>")
    return "".join(out)


@dataclass
class Frame:
    """A sheet's rows above the data, rendered once; row 3 (部门：…) is filled per department."""

    before: str = ""
    unit_open: str | None = None
    unit_rest: str = ""
    after: str = ""
    width: int = 0  # widest column the frame uses


class FastWriter:
    """Renders workbooks of one format; build once per process (see :func:`writer`)."""

    def __init__(self, parts: TemplateParts, narrative: NarrativeParts | None = None, notes: NotesParts | None = None,
                 level: int = LEVEL) -> None:
        self.parts = parts
        self.narrative = narrative
        self.notes = notes
        self.level = level
        self.s = parts.style
        self.frames = {p.table.key: self._compile_frame(p) for p in parts.sheets}
        dynamic = {p.path for p in parts.sheets} | {"docProps/core.xml"}
        if narrative is not None:
            dynamic |= {narrative.sheet.path, narrative.drawing_path, "xl/workbook.xml"}
        if notes is not None:
            dynamic.add(notes.sheet.path)
        self.static = {n: deflate(n, c, level) for n, c in parts.static.items() if n not in dynamic}
        self._row_formulas: dict[tuple[str, str], str] = {}
        self._fixed_formulas: dict[Key, str] = {}  # formulas on fixed tables only, at offset 0
        self._fixed_only = {k for t in parts.format.tables if t.kind == "fixed"
                            for k, e in _fixed_exprs(t).items()
                            if all(parts.format.table(r[0]).kind == "fixed" for r in e.refs())}
        self._fixed_tables: dict[str, SheetEdits] = {}
        self._label_xml: dict[tuple[int, int, str, object], str] = {}
        self._columns = {(t.key, c.key): c for t in parts.format.tables if t.kind != "fixed" for c in t.columns()}
        self.rows = RowCompiler(self.s, self.row_template)
        self._dept: tuple[str | None, str] = (None, "")  # the last 部门 line's name and cell

    def _fixed_edits(self, table: Table) -> SheetEdits:
        """A fixed table's edits laid out once per process (refilled per department)."""
        edits = self._fixed_tables.get(table.key)
        if edits is None:
            book = Book(self.parts.format)
            layout = book_layout(book)
            edits = self._fixed_tables[table.key] = table_edits(book, layout.tables[table.key], derivations(book),
                                                                 layout.address)
        return edits

    def formula_text(self, layout: BookLayout) -> FormulaText:
        """Formula text as :meth:`juesuan.expr.Expr.formula` gives it, fast: references through
        :class:`~juesuan.batch.formulas.FormulaRenderer`, and a per-row identity (``col.derive``,
        whose references are the same row's cells) from :meth:`row_template` with the row number put in."""
        fx = FormulaRenderer(layout)
        columns, tables = self._columns, layout.tables
        constant = self._fixed_formulas if not any(tl.offset for tl in tables.values()) else {}
        fixed_only = self._fixed_only

        row_template = self.row_template

        def text(key: Key, expr: Expr) -> str:
            col = columns.get((key[0], key[2]))
            tl = tables[key[0]]
            if col is not None and col.derive is not None:
                return row_template(tl, key[2]).replace("\x00", str(tl.row_index[key[1]]))
            if key in fixed_only:  # the same text in every department
                f = constant.get(key)
                if f is None:
                    f = constant[key] = "=" + fx.excel(expr, tl.table.sheet)
                return f
            return "=" + fx.excel(expr, tl.table.sheet)

        return text

    def row_template(self, tl: TableLayout, col_key: str) -> str:
        """A per-row identity's formula text (``col.derive``, whose references are the same row's
        cells) with "\x00" for the row: rendered once per process with a row that cannot occur
        (:data:`SENTINEL`, one past Excel's last row), then the marker put in."""
        template = self._row_formulas.get((tl.table.key, col_key))
        if template is None:
            table = tl.table
            e = self._columns[(table.key, col_key)].derive(lambda k: Ref(table.key, "\x00", k))  # type: ignore[misc]
            addr = lambda ref: Address(table.sheet, SENTINEL, tl.value_col(0, ref[2]))  # noqa: E731
            template = self._row_formulas[(table.key, col_key)] = e.formula(addr, table.sheet).replace(
                str(SENTINEL), "\x00")
        return template

    # ── compile (once per process) ──
    def _compile_frame(self, p: SheetParts) -> Frame:
        """The rows above the data as text; the unit line (row 3) is left open for the department's name."""
        f = Frame()
        for row in p.frame:
            for col in row.cells:
                f.width = max(f.width, column_index(col))
            if row.number == UNIT_ROW and p.table.dept_line:
                f.unit_open = f'<row r="{row.number}"{row.attrs}>'
                f.unit_rest = "".join(x for c, x in row.cells.items() if c != "A")
                continue
            xml = f'<row r="{row.number}"{row.attrs}>' + "".join(row.cells.values()) + "</row>"
            if f.unit_open is None:
                f.before += xml
            else:
                f.after += xml
        if p.table.dept_line and f.unit_open is None:
            raise FormatError(f"template sheet {p.table.sheet}: no 部门 line in row {UNIT_ROW}")
        return f

    # ── render (per department) ──
    def sheet_xml(self, book: Book, table: Table, tl: TableLayout, exprs: dict[Key, Expr], values: dict[Key, Decimal],
                  layout: BookLayout, formula: FormulaText | None = None, formulas: list[int] | None = None) -> str:
        """The sheet's XML; ``formulas``: a list to which the number of formula cells written is
        appended, and then the data rows are rendered from compiled rows (:mod:`.datarows`),
        else generically (:func:`~juesuan.sheets.tables.table_edits`)."""
        p = self.parts.sheet(table.key)
        s = self.s
        frame = self.frames[table.key]
        out = [frame.before]
        if frame.unit_open is not None:
            name = book.text(get_pack(book.format.id).department)
            if self._dept[0] != name:  # the same cell on every sheet of the book
                self._dept = (name, text_cell(f"A{UNIT_ROW}", s["js_plain"], f"部门：{name}", table.sheet))
            out += (frame.unit_open, self._dept[1], frame.unit_rest, "</row>")
        out.append(frame.after)
        out.append(self._data_xml(book, table, tl, exprs, values, layout, formula, formulas))
        last_row = tl.first_data_row + len(tl.row_keys) - 1 if tl.row_keys else tl.first_data_row - 1
        merges = list(p.merges)
        if p.footnote is not None and tl.footnote_row is not None:
            r = tl.footnote_row
            last_row = r
            text = "注：" + book.footnotes.get(table.key, table.footnote or "")
            out.append(p.footnote.xml(r, first=text_cell(f"A{r}", s["js_note"], text), skip="A"))
            merges.append(f'<mergeCell ref="A{r}:{column_letter(tl.ncols)}{r}"/>')
        for k, spare in enumerate(p.spare):
            last_row = tl.first_data_row + len(tl.row_keys) + k
            out.append(spare.xml(last_row))
        width = max(frame.width, tl.ncols)
        merge_xml = f'<mergeCells count="{len(merges)}">' + "".join(merges) + "</mergeCells>" if merges else ""
        return "".join([p.head, f'<dimension ref="A1:{column_letter(width)}{max(last_row, 1)}"/>', p.after_dimension,
                        "<sheetData>", *out, "</sheetData>", p.before_merges, merge_xml, p.after_merges])

    def _data_xml(self, book: Book, table: Table, tl: TableLayout, exprs: dict[Key, Expr], values: dict[Key, Decimal],
                  layout: BookLayout, formula: FormulaText | None, formulas: list[int] | None) -> str:
        """The data rows (without the 注 row)."""
        if formulas is not None and formula is not None:
            if table.kind != "fixed":
                xml, n = self.rows.keyed_xml(book, tl, exprs, values, formula)
                formulas.append(n)
                return xml
            if not tl.offset:
                row = self.rows.fixed_rows(table, self._fixed_edits(table), self._fixed_only.__contains__)
                formulas.append(row.formulas)
                return self.rows.fixed_xml(book, row, table, exprs, values, formula)
        if table.kind == "fixed" and not tl.offset:
            edits = self._fixed_edits(table).refill(book.values, values, lambda k: None if k in self._fixed_only
                                                    else formula(k, exprs[k]) if formula else None)
        else:
            edits = table_edits(book, tl, exprs, layout.address, values, formula)
        if formulas is not None:
            formulas.append(sum(1 for c in edits.cells if c.formula is not None))
        if len(self._label_xml) > LABEL_CACHE:
            self._label_xml.clear()
        return edits_xml(edits, self.s, self._label_xml)

    # ── archive ──
    def render(self, book: Book, exprs: dict[Key, Expr], values: dict[Key, Decimal], layout: BookLayout | None = None,
               narrative: Narrative | None = None, now: dt.datetime | None = None) -> bytes:
        """The .xlsx bytes of ``book`` written fresh from the template, filled, with cached values.

        A writer built with the narrative sheet needs the department's ``narrative``.
        """
        layout = layout or book_layout(book)
        formula = self.formula_text(layout)
        dynamic: dict[str, bytes] = {}
        try:
            counts: list[int] | None = []
            for p in self.parts.sheets:
                t = p.table
                xml = self.sheet_xml(book, t, layout.tables[t.key], exprs, values, layout, formula, counts)
                dynamic[p.path] = xml.encode("utf-8")
            if sum(counts) != len(exprs):  # type: ignore[arg-type]
                raise Mismatch(None)
        except Mismatch:  # derivations other than the book's own: the rows as row_cells lays them out
            counts = None
            for p in self.parts.sheets:
                t = p.table
                xml = self.sheet_xml(book, t, layout.tables[t.key], exprs, values, layout, formula)
                dynamic[p.path] = xml.encode("utf-8")
        stamp = now or dt.datetime.now(dt.timezone.utc)
        dynamic["docProps/core.xml"] = _core(self.parts.static["docProps/core.xml"], stamp)
        if self.narrative is not None:
            if narrative is None:
                raise ValueError("this writer includes the narrative sheet: pass the department's narrative")
            dynamic.update(self.narrative.render(narrative))
        if self.notes is not None:
            dynamic.update(self.notes.render(book.notes))
        elif book.notes:
            raise ValueError("this writer has no notes sheet: use writer(…, notes=True) for a book with notes")
        members = [deflate(n, dynamic[n], self.level) if n in dynamic else self.static[n] for n in self.parts.order]
        return archive(members)


def _fixed_exprs(table: Table) -> dict[Key, Expr]:
    """The declared derivations of a fixed table's cells."""
    return {(table.key, r.key, k): e for r in table.fixed_rows() for k, e in r.cells.items() if isinstance(e, Expr)}


def _core(xml: bytes, now: dt.datetime) -> bytes:
    stamp = now.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, xml)


_WRITERS: dict[tuple[str, bool, bool], FastWriter] = {}


def writer(format_id: str, narrate: bool = True, notes: bool = False, prerendered: bytes | None = None) -> FastWriter:
    """The process's writer for a format and set of optional sheets; built on first use.

    ``notes``: the hidden 数据文件说明 sheet (books whose data file has notes, see
    :func:`writer_for`).  ``prerendered`` (the bytes of
    :func:`~juesuan.batch.prerender.prerendered_template` for the same options) lets a pool's
    workers skip running openpyxl: the parent makes it once.
    """
    key = (format_id, narrate, notes)
    w = _WRITERS.get(key)
    if w is None:
        if not narrate and not notes:
            w = FastWriter(template_parts(format_id))
        else:
            data = prerendered if prerendered is not None else prerendered_template(format_id, narrate, notes)
            parts = parse_template(load_format(format_id), data)
            parts.digest = template_parts(format_id).digest  # the shipped template identifies the output
            w = FastWriter(parts, NarrativeParts.parse(parts) if narrate else None,
                           NotesParts.parse(parts) if notes else None)
        _WRITERS[key] = w
    return w


def writer_for(book: Book, narrate: bool = True) -> FastWriter:
    """The writer that gives ``book`` the same sheets as the openpyxl path."""
    return writer(book.format.id, narrate, bool(book.notes))
