"""The fast writer: a department's filled workbook rendered as XML text from the model.

Why: the openpyxl path (load the template → ``apply_book`` → save → re-insert cached values)
costs a few hundred milliseconds per workbook, mostly building and serialising cell objects.
A batch of hundreds of departments needs tens of milliseconds.  The template is parsed once
per process (:mod:`juesuan.batch.template_parts`); per department only ``<sheetData>`` is
rendered, straight from the book, its layout, the derivations and their values::

    <c r="D8" s="12"><f>SUM(D9:D12)</f><v>2657.4</v></c>

The cells are the ones :func:`juesuan.xlsx_write.apply_book` writes into the template (same
values, formulas, named styles, merges); ``tests/test_batch_fastxlsx.py`` compares the two
paths cell by cell.  Fixed tables are compiled once per process into constant XML with slots
for inputs and formulas; a formula that refers only to fixed tables is rendered once too.
Strings are inline (``t="inlineStr"``) as openpyxl writes them; the workbook keeps
``fullCalcOnLoad="1"`` so Excel and WPS recalculate on opening.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Union

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
from juesuan.cached import number_text
from juesuan.errors import FormatError, InputError, Location
from juesuan.expr import Address, Expr, Key, Ref, column_letter
from juesuan.formats import get_pack, load_format
from juesuan.layout import UNIT_ROW, BookLayout, TableLayout, book_layout
from juesuan.model import Book, code_name
from juesuan.narrate.document import Narrative
from juesuan.spec import INPUT, Column, Row, Table

SENTINEL = 1048577  # a sheet row that cannot occur (Excel has 1,048,576)
LEVEL = 1  # zlib level: 1 deflates the sheets 2.4× faster than 6 for a file ~15 % bigger (bench/batch.py)
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# ── cells ───────────────────────────────────────────────────────────────────────────────
def esc(text: str) -> str:
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def text_cell(ref: str, s: int, text: str, sheet: str | None = None) -> str:
    if ILLEGAL.search(text):
        raise InputError("文本中含有 Excel 不能保存的控制字符", "the text holds control characters Excel cannot store",
                         Location(sheet=sheet, cell=ref if sheet else None))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" s="{s}" t="inlineStr"><is><t{space}>{esc(text)}</t></is></c>'


def value_cell(ref: str, s: int, value: object, sheet: str | None = None) -> str:
    """An input or label cell; ``None`` is an empty styled cell; ``sheet`` names it in an error."""
    if value is None:
        return f'<c r="{ref}" s="{s}"/>'
    if isinstance(value, str):
        return text_cell(ref, s, value, sheet)
    return f'<c r="{ref}" s="{s}"><v>{number_text(value)}</v></c>'  # type: ignore[arg-type]


def formula_cell(ref: str, s: int, formula: str, value: object) -> str:
    """A derived cell: its formula (without ``=``) and the cached value readers show."""
    if value is None:
        return f'<c r="{ref}" s="{s}"><f>{esc(formula)}</f></c>'
    if isinstance(value, str):
        return f'<c r="{ref}" s="{s}" t="str"><f>{esc(formula)}</f><v>{esc(value)}</v></c>'
    return f'<c r="{ref}" s="{s}"><f>{esc(formula)}</f><v>{number_text(value)}</v></c>'  # type: ignore[arg-type]


# ── styles, mirroring xlsx_write ────────────────────────────────────────────────────────
def label_style(row: Row | None, bold: bool = False, indent: int = 0) -> str:
    b = "_bold" if bold or (row is not None and row.bold) else ""
    ind = row.indent if row is not None else indent
    return f"js_label{b}{min(ind, 2)}"


@dataclass(frozen=True)
class Slot:
    """A cell of a compiled fixed row whose content varies: an input, or a formula."""

    ref: str
    style: int
    key: Key
    formula: str | None  # constant formula text, or None when it depends on the department
    derived: bool


Piece = Union[str, Slot]


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
        fmt = parts.format
        empty = book_layout(Book(fmt))
        self.fixed: dict[str, list[tuple[int, list[Piece]]]] = {
            t.key: self._compile_fixed(t, empty.tables[t.key], empty) for t in fmt.tables if t.kind == "fixed"}
        self.frames = {p.table.key: self._compile_frame(p) for p in parts.sheets}
        dynamic = {p.path for p in parts.sheets} | {"docProps/core.xml"}
        if narrative is not None:
            dynamic |= {narrative.sheet.path, narrative.drawing_path, "xl/workbook.xml"}
        if notes is not None:
            dynamic.add(notes.sheet.path)
        self.static = {n: deflate(n, c, level) for n, c in parts.static.items() if n not in dynamic}
        self._row_formulas: dict[tuple[str, str], str] = {}

    def row_formula(self, table: Table, col: Column, tl: TableLayout, r: int) -> str:
        """The formula of a per-row identity (``col.derive``) in sheet row ``r``.

        Its references are the same row's cells (:func:`juesuan.derive._same_row`), so the text
        depends on the row number only: rendered once per process with a row that cannot occur
        (:data:`SENTINEL`, one past Excel's last row), then the number is put in.
        """
        key = (table.key, col.key)
        text = self._row_formulas.get(key)
        if text is None:
            assert col.derive is not None
            expr = col.derive(lambda k: Ref(table.key, "\x00", k))
            addr = lambda ref: Address(table.sheet, SENTINEL, tl.value_col(0, ref[2]))  # noqa: E731
            text = self._row_formulas[key] = expr.excel(addr, table.sheet)
        return text.replace(str(SENTINEL), str(r))

    # ── compile (once per process) ──
    def _compile_fixed(self, t: Table, tl: TableLayout, empty: BookLayout) -> list[tuple[int, list[Piece]]]:
        s = self.s
        fixed_only = lambda e: all(self.parts.format.table(k[0]).kind == "fixed" for k in e.refs())  # noqa: E731
        rows = []
        for i in range(len(tl.row_keys)):
            r = tl.first_data_row + i
            pieces: list[Piece] = []
            for bi, b in enumerate(t.blocks):
                row = b.rows[i]
                c = tl.block_starts[bi]
                for lc in b.label_columns:
                    ref = f"{LETTERS[c]}{r}"
                    if row is None:
                        pieces.append(value_cell(ref, s["js_blank"], None))
                    else:
                        v = {"label": row.label, "lineno": row.lineno, "code": row.code, "unit": row.unit}[lc.source]
                        st = label_style(row) if lc.source == "label" else "js_label_center"
                        pieces.append(value_cell(ref, s[st], v))
                    c += 1
                for col in b.columns:
                    ref = f"{LETTERS[c]}{r}"
                    spec = row.cells.get(col.key) if row is not None else None
                    kind = t.cell_kind(row, col)
                    if spec is None:
                        pieces.append(value_cell(ref, s["js_blank"], None))
                    elif spec is INPUT:
                        key = (t.key, row.key, col.key)  # type: ignore[union-attr]
                        pieces.append(Slot(ref, s[f"js_in_{kind}"], key, None, False))
                    else:
                        assert isinstance(spec, Expr) and row is not None
                        f = spec.excel(empty.address, t.sheet) if fixed_only(spec) else None
                        st = f"js_out_{kind}" + ("_bold" if row.bold else "")
                        pieces.append(Slot(ref, s[st], (t.key, row.key, col.key), f, True))
                    c += 1
            rows.append((r, _merge_strings(pieces)))
        return rows

    def _compile_frame(self, p: SheetParts) -> Frame:
        """The rows above the data as text; the unit line (row 3) is left open for the department's name."""
        f = Frame()
        for row in p.frame:
            for col in row.cells:
                f.width = max(f.width, _col_index(col))
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
                  fx: FormulaRenderer) -> str:
        p = self.parts.sheet(table.key)
        s = self.s
        frame = self.frames[table.key]
        out = [frame.before]
        if frame.unit_open is not None:
            name = book.text(get_pack(book.format.id).department)
            dept = text_cell(f"A{UNIT_ROW}", s["js_plain"], f"部门：{name}", table.sheet)
            out += (frame.unit_open, dept, frame.unit_rest, "</row>")
        out.append(frame.after)
        if table.kind == "fixed":
            self._fixed_rows(out, book, table, exprs, values, fx)
        else:
            self._keyed_rows(out, book, table, tl, exprs, values, fx)
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

    def _fixed_rows(self, out: list[str], book: Book, table: Table, exprs: dict[Key, Expr],
                    values: dict[Key, Decimal], fx: FormulaRenderer) -> None:
        get = book.values.get
        for r, pieces in self.fixed[table.key]:
            out.append(f'<row r="{r}">')
            for piece in pieces:
                if isinstance(piece, str):
                    out.append(piece)
                elif piece.derived:
                    f = piece.formula if piece.formula is not None else fx.excel(exprs[piece.key], table.sheet)
                    out.append(formula_cell(piece.ref, piece.style, f, values.get(piece.key)))
                else:
                    out.append(value_cell(piece.ref, piece.style, get(piece.key), table.sheet))
            out.append("</row>")

    def _keyed_rows(self, out: list[str], book: Book, table: Table, tl: TableLayout, exprs: dict[Key, Expr],
                    values: dict[Key, Decimal], fx: FormulaRenderer) -> None:
        s = self.s
        b = table.blocks[0]
        get = book.values.get
        vget = values.get
        sheet = table.sheet
        is_code = table.kind == "code"
        blank = s["js_blank"]
        n_labels = len(b.label_columns)
        plan = [(LETTERS[n_labels + i + 1], col, s[f"js_out_{col.kind}"], s[f"js_out_{col.kind}_bold"],
                 s[f"js_in_{col.kind}"]) for i, col in enumerate(b.columns)]
        for i, row_key in enumerate(tl.row_keys):
            r = tl.first_data_row + i
            out.append(f'<row r="{r}">')
            is_total = is_code and row_key == table.total_label
            depth = {3: 0, 5: 1, 7: 2}.get(len(row_key), 0)
            c = 1
            for lc in b.label_columns:
                ref = f"{LETTERS[c]}{r}"
                if lc.source == "code":
                    out.append(value_cell(ref, s["js_label_bold0" if is_total else "js_label_center"],
                                          table.total_label if is_total else row_key))
                else:
                    out.append(value_cell(ref, s[label_style(None, bold=is_total or depth == 0, indent=depth)],
                                          None if is_total else code_name(book, table, row_key), sheet))
                c += 1
            subtotal = is_code and (len(row_key) < 7 or is_total)
            for letter, col, s_out, s_bold, s_in in plan:
                key = (table.key, row_key, col.key)
                e = exprs.get(key)
                if e is not None:
                    v = vget(key)
                    f = self.row_formula(table, col, tl, r) if col.derive is not None else fx.excel(e, sheet)
                    st = s_bold if is_total else s_out
                    if v is None or isinstance(v, str):
                        out.append(formula_cell(f"{letter}{r}", st, f, v))
                    else:
                        out.append(f'<c r="{letter}{r}" s="{st}"><f>{esc(f)}</f><v>{number_text(v)}</v></c>')
                elif subtotal:
                    out.append(f'<c r="{letter}{r}" s="{blank}"/>')
                else:
                    out.append(value_cell(f"{letter}{r}", s_in, get(key), sheet))
            out.append("</row>")

    # ── archive ──
    def render(self, book: Book, exprs: dict[Key, Expr], values: dict[Key, Decimal], layout: BookLayout | None = None,
               narrative: Narrative | None = None, now: dt.datetime | None = None) -> bytes:
        """The .xlsx bytes of ``book`` written fresh from the template, filled, with cached values.

        A writer built with the narrative sheet needs the department's ``narrative``.
        """
        layout = layout or book_layout(book)
        fx = FormulaRenderer(layout)
        dynamic: dict[str, bytes] = {}
        for p in self.parts.sheets:
            t = p.table
            xml = self.sheet_xml(book, t, layout.tables[t.key], exprs, values, fx)
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


def _merge_strings(pieces: list[Piece]) -> list[Piece]:
    """Adjacent constant cells joined into one string (fewer appends per department)."""
    out: list[Piece] = []
    for p in pieces:
        if isinstance(p, str) and out and isinstance(out[-1], str):
            out[-1] += p
        else:
            out.append(p)
    return out


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


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
