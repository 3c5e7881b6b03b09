"""One department of a batch: data file → filled, checked, narrated workbook, timed by stage.

Runs in a worker process and returns an :class:`Outcome`: a few hundred bytes (status, counts,
the first findings, seconds per stage, peak memory), never the workbook, so the pool's pipes
stay small.  The check runs on the in-memory model — the cells the fast writer just wrote
(inputs and cached values) — instead of re-reading the file::

    read    data_file.read_data          JSON → validated Book (InputError → failed)
    derive  derivations, compute, layout every derived cell's Expr, value and address
    narrate narrative(book)              the text of 决算情况说明
    write   FastWriter.render            the .xlsx bytes (sheets rendered, zip deflated)
    save    write_atomic                 temp file + os.replace
    check   check_book                   findings on the stored values
"""

from __future__ import annotations

import resource
import time
import traceback
from dataclasses import asdict, dataclass, field
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from juesuan.errors import InputError
from juesuan.export import SUFFIX
from juesuan.formats import get_pack
from juesuan.expr import Address, Key, column_letter
from juesuan.findings import CellRef, Finding, summarize
from juesuan.layout import BookLayout
from juesuan.locate import Found, FoundBook

STAGES = ("read", "derive", "narrate", "write", "save", "check")
REF_CACHE = 200_000  # CellRefs remembered per table (then forgotten at once)
FIRST_FINDINGS = 5  # findings listed per department in the summary


@dataclass
class Outcome:
    """What the summary needs to know about one department (picklable, small)."""

    name: str  # the data file's stem; the workbook is <name>.xlsx
    input: str
    status: str  # ok | errors | failed
    output: str | None = None
    department: str = ""  # 部门名称
    counts: dict[str, int] = field(default_factory=dict)  # error / warning / info / acknowledged
    findings: list[dict[str, Any]] = field(default_factory=list)  # the first few: rule, severity, message, cell
    reason: str | None = None  # why it failed (the InputError message)
    input_error: bool = False  # failed because of the input itself (same content → same failure)
    detail: str | None = None  # traceback of an unexpected failure (for batch.log)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per stage
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # this process's CPU time per stage
    maxrss_kb: int = 0  # the worker's peak resident memory so far
    skipped: bool = False  # unchanged since the last run: not redone
    balance: str = ""  # 舍位平衡: balanced | unneeded | infeasible ('' when not asked for)
    key: str = ""  # hash of input content + juesuan version + template (see state.py)
    figures: dict[str, str] = field(default_factory=dict)  # key figures (batch/figures.py), exact decimals
    rules: dict[str, int] = field(default_factory=dict)  # error/warning findings by rule id
    export: str = ""  # --export: docx (Word written, PDF to come) | ok | failed ('' when not asked for)
    docx: str | None = None
    pdf: str | None = None
    export_reason: str | None = None  # why the Word or the PDF is missing

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("detail")
        return d


class FastFound(Found):
    """A :class:`~juesuan.locate.Found` whose ``address`` is dict look-ups (the checker asks tens
    of thousands of times): the sheet column of each column key, per block for a fixed table with
    side-by-side blocks (as ``Found.address`` finds them)."""

    cols: dict[str, int]  # column key → sheet column (one block, or a table that is not fixed)
    row_cols: dict[str, dict[str, int]] | None  # fixed, side-by-side blocks: row key → its block's
    refs: dict[tuple[str, str, int], CellRef]  # (row key, column key, sheet row) → its CellRef

    def index_columns(self) -> "FastFound":
        t, layout = self.table, self.layout
        # the columns depend on the table alone (and a fixed table's rows are the format's): built once
        # per table, kept on it as spec's own indexes are
        known = t.__dict__.get("_fast_columns")
        if known is None:
            if len(t.blocks) == 1 or t.kind != "fixed":
                known = {c.key: layout.value_col(0, c.key) for c in t.blocks[0].columns}, None
            else:
                by_block = [{c.key: layout.value_col(i, c.key) for c in b.columns} for i, b in enumerate(t.blocks)]
                known = {}, {row: by_block[layout.block_index(row)] for row in self.rows}
            t.__dict__["_fast_columns"] = known
        self.cols, self.row_cols = known
        refs = t.__dict__.get("_fast_refs")
        if refs is None or len(refs) > REF_CACHE:
            refs = t.__dict__["_fast_refs"] = {}
        self.refs = refs
        return self

    def address(self, row_key: str, col_key: str) -> Address | None:
        r = self.rows.get(row_key)
        if r is None:
            return None
        c = (self.cols if self.row_cols is None else self.row_cols[row_key]).get(col_key)
        return None if c is None else Address(self.table.sheet, r, c)

    def ref(self, row_key: str, col_key: str) -> CellRef | None:
        """Where a finding points for the cell (None when it is not on the sheet), as
        ``Prepared.ref`` builds it from :meth:`address`; one CellRef per table, row key, column
        key and sheet row, shared by every book of the process (the column is the table's)."""
        r = self.rows.get(row_key)
        if r is None:
            return None
        known = self.refs.get((row_key, col_key, r))
        if known is not None:
            return known
        c = (self.cols if self.row_cols is None else self.row_cols[row_key]).get(col_key)
        if c is None:
            return None
        t = self.table
        ref = self.refs[(row_key, col_key, r)] = CellRef(t.sheet, f"{column_letter(c)}{r}", t.key, row_key, col_key)
        return ref

    def has(self, row_key: str, col_key: str) -> bool:
        if row_key not in self.rows:
            return False
        return col_key in (self.cols if self.row_cols is None else self.row_cols[row_key])


class FastFoundBook(FoundBook):
    """A FoundBook of :class:`FastFound` tables: ``has`` in one call."""

    tables: dict[str, FastFound]  # type: ignore[assignment]

    def has(self, key: Key) -> bool:
        f = self.tables.get(key[0])
        if f is None or key[1] not in f.rows:
            return False
        return key[2] in (f.cols if f.row_cols is None else f.row_cols[key[1]])

    def ref(self, key: Key) -> CellRef | None:
        f = self.tables.get(key[0])
        return None if f is None else f.ref(key[1], key[2])

    def has_all(self, keys: list[Key]) -> bool:
        # a one-block table has a cell exactly when it has its row and its column: for a run of
        # keys of one table, their rows ⊆ its rows and their columns ⊆ its columns (set operations)
        for table, run in groupby(keys, key=itemgetter(0)):
            f = self.tables.get(table)
            if f is None:
                return False
            if f.row_cols is not None:
                if not all(map(self.has, run)):
                    return False
                continue
            cells = list(run)
            if not (f.rows.keys() >= set(map(itemgetter(1), cells)) and f.cols.keys() >= set(map(itemgetter(2), cells))):
                return False
        return True


def found_of(layout: BookLayout) -> FoundBook:
    """Where everything is on a freshly written workbook: the layout as a FoundBook."""
    tables = {}
    for key, tl in layout.tables.items():
        last = tl.first_data_row + len(tl.row_keys) - 1
        tables[key] = FastFound(tl.table, tl, tl.first_data_row, last, tl.footnote_row,
                                dict(tl.row_index)).index_columns()
    return FastFoundBook(tables)


def printed_names(book: Any, layout: Any) -> None:
    """Record the 科目名称 the writer printed, as a reader of the workbook would find them (S-3)."""
    from juesuan.model import code_name

    for t in book.format.tables:
        if t.kind == "code":
            for code in layout.tables[t.key].row_keys:
                if code != t.total_label:
                    book.names.setdefault((t.key, code), code_name(book, t, code))


def finding_row(f: Finding) -> dict[str, Any]:
    cell = next((f"{c.sheet}!{c.cell}" if c.cell else c.sheet for c in f.cells), "")
    return {"rule": f.rule, "severity": f.severity.value, "message": f.message, "cell": cell}


def process(path: Path, out_dir: Path, key: str, narrate: bool = True, balance: bool = False,
            export: bool = False) -> Outcome:
    """Fill, check and narrate one data file into ``out_dir/<stem>.xlsx``; never raises.

    ``export``: also its Word (``<stem>_决算公开.docx``; the PDF is the batch's PDF pool's)."""
    outcome = Outcome(path.stem, str(path), "failed", key=key)
    clock, cpu = time.perf_counter(), time.process_time()

    def lap(stage: str) -> None:
        nonlocal clock, cpu
        now, now_cpu = time.perf_counter(), time.process_time()
        outcome.seconds[stage] = now - clock
        outcome.cpu_seconds[stage] = now_cpu - cpu
        clock, cpu = now, now_cpu

    try:
        _run(path, out_dir, outcome, narrate, lap, balance, export)
    except InputError as exc:
        outcome.status, outcome.reason = "failed", exc.at(file=str(path)).message
        # the same content gives the same failure, except when saving (a workbook open in Excel)
        outcome.input_error = _stage_in_progress(outcome, narrate) != "save"
    except Exception as exc:  # a bug must not stop the batch: report it with its traceback
        outcome.status = "failed"
        outcome.reason = f"内部错误 internal error: {type(exc).__name__}: {exc}"
        outcome.detail = traceback.format_exc()
    outcome.maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return outcome


def _stage_in_progress(outcome: Outcome, narrate: bool) -> str:
    return next((s for s in STAGES if s not in outcome.seconds and (narrate or s != "narrate")), "")


def _run(path: Path, out_dir: Path, outcome: Outcome, narrate: bool, lap: Any, balance: bool = False,
         export: bool = False) -> None:
    from juesuan.batch.fastxlsx import writer_for
    from juesuan.batch.figures import key_figures, rule_counts
    from juesuan.check import check_book
    from juesuan.data_file import read_data
    from juesuan.derive import compute, derivations
    from juesuan.layout import book_layout
    from juesuan.workbook_file import write_atomic

    book = read_data(path)
    lap("read")
    outcome.department = book.text(get_pack(book.format.id).department)
    from juesuan.balance import balance_book, requested

    if balance or requested(book):  # 舍位平衡: the workbook, narrative and check see printed figures
        balanced = balance_book(book)
        book, outcome.balance = balanced.book, balanced.status
        if balanced.status == "infeasible":
            outcome.reason = balanced.message()
    exprs = derivations(book)
    values = compute(book)  # remembered on the book: narrate and check reuse it (see derive.py)
    layout = book_layout(book)
    printed_names(book, layout)  # before narrating: the check then finds the narrative unchanged (narrate.build)
    lap("derive")
    text = None
    if narrate:
        from juesuan.narrate import narrative

        text = narrative(book)
        lap("narrate")
    data = writer_for(book, narrate).render(book, exprs, values, layout, narrative=text)
    lap("write")
    target = out_dir / f"{path.stem}.xlsx"
    write_atomic(target, lambda tmp: Path(tmp).write_bytes(data))
    outcome.output = str(target)
    lap("save")
    stored = {**book.values, **values}
    findings = check_book(book, found_of(layout), stored, None)
    lap("check")
    counts = summarize(findings)
    outcome.counts = counts
    outcome.figures = key_figures(book, stored)
    outcome.rules = rule_counts(findings)
    outcome.findings = [finding_row(f) for f in findings[:FIRST_FINDINGS]]
    outcome.status = "errors" if counts["error"] else "ok"
    if export:
        _export_word(book, out_dir / f"{path.stem}{SUFFIX}.docx", outcome)
        lap("export")


def _export_word(book: Any, docx: Path, outcome: Outcome) -> None:
    """The department's Word; a failure here fails the export, not the department's workbook."""
    from juesuan.export import export_book

    try:
        export_book(book, docx)
    except InputError as exc:
        outcome.export, outcome.export_reason = "failed", exc.at(file=str(docx)).message
        return
    except Exception as exc:
        outcome.export, outcome.export_reason = "failed", f"内部错误 internal error: {type(exc).__name__}: {exc}"
        outcome.detail = traceback.format_exc()
        return
    outcome.export, outcome.docx = "docx", str(docx)
