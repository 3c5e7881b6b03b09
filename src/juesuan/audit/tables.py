"""The tables of a published document, read into the same figures as its text, and checked.

A table is a run of table rows (cells separated by "|" or a tab: HTML, .docx and PDF tables are
loaded that way) under a title.  Its cells become :class:`Cell` figures with the concept their row
or column names (:func:`~juesuan.audit.vocab.item_of`: 三公 items and totals) and the role their
column or row header gives (:func:`~juesuan.audit.vocab.role_of`: 决算/预算/上年/增减).  Both
layouts are read: items as rows ("公务接待费 | 14.9 | 5.21" under "项目 | 预算数 | 决算数") and items
as columns (the national 三公 table: header rows naming the items, one row of figures).

Checks (each finding quotes the rows it used):

- ``A-TABLE-SUM``: a total row against its parts (:data:`~juesuan.audit.vocab.SUMS`), column by
  column; a blank cell in a row that exists is 0.  When a total fails only because one part
  disagrees with its own sub-rows, only that part is reported (the total is right);
- ``A-TABLE-TEXT``: a figure the text states for an item and role (公务接待费 决算 5.21) against the
  table's cell for it; and a change the text states against the budget ("与预算相比减少 0.1 万元")
  against the table's budget and actual.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field
from decimal import Decimal

from juesuan.audit.model import Amount, Doc, SectionFacts
from juesuan.audit.rules import finding, show
from juesuan.audit.sections import Para
from juesuan.audit.text import Figure, parse_number
from juesuan.audit.tolerance import judge, sum_band
from juesuan.audit.vocab import ITEMS, NOT_SANGONG, SANGONG_ITEMS, SUMS, item_of, role_of
from juesuan.findings import Finding, Quote, Severity

NUMBER_CELL = re.compile(r"^-?\d+(?:\.\d+)?%?$")
BLANK_CELL = re.compile(r"^[-—－/\s]*$")
UNIT_RX = re.compile(r"单位[：:]\s*(?P<unit>万元|元|亿元)")
YEAR_RX = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass
class Cell:
    """A figure in a table: what it is of (concept), its role, the row it is in."""

    fig: Figure | None  # None: a blank cell
    concept: str | None
    role: str | None
    row: int
    col: int
    header: str = ""  # the column's (or, items as columns, the row's) header as printed


@dataclass
class Table:
    title: str
    unit: str
    year: int | None
    rows: list[Para]  # the table's rows as paragraphs (for quotes)
    cells: list[Cell] = field(default_factory=list)
    codes: dict[str, tuple[str, Figure | None, int]] = field(default_factory=dict)  # code → (name, figure, row)

    def find(self, concept: str, role: str | None, col: int | None = None) -> list[Cell]:
        return [c for c in self.cells if c.concept == concept and c.role == role and (col is None or c.col == col)]


def split_row(text: str) -> list[str]:
    cells = re.split(r" *[|\t] *", text.strip(" \n"))
    while cells and cells[-1] == "" and len(cells) > 1 and text.rstrip().endswith(("|", "\t")):
        cells.pop()
    return cells


@lru_cache(maxsize=8192)
def _is_number(cell: str) -> bool:
    """Whether a cell is a figure (pure; memoised: cells such as "100" or "——" recur)."""
    return bool(NUMBER_CELL.match(cell.replace(",", "").replace("，", "").strip()))


def _figure(cell: str, unit: str) -> Figure:
    clean = cell.replace(",", "").replace("，", "").strip()
    pct = clean.endswith("%")
    value, places = parse_number(clean.rstrip("%"))
    if pct:
        return Figure(value, places, "%", clean, 0, 0)
    if unit == "元":
        value, places = value.scaleb(-4), places + 4
    elif unit == "亿元":
        value, places = value.scaleb(4), places - 4
    return Figure(value, places, "万元", clean + ("万元" if unit == "万元" else unit), 0, 0)


def read_tables(paras: list[Para], doc_year: int | None) -> list[Table]:
    """Every run of table rows in ``paras``, read into cells."""
    tables: list[Table] = []
    run: list[Para] = []
    before: list[Para] = []
    for p in paras + [Para("", [], table=False)]:
        if p.table:
            run.append(p)
            continue
        if run:
            tables.append(_read(run, before[-3:], doc_year))
            run = []
        before.append(p)
    return [t for t in tables if t.cells or t.codes]


def _one_cell_rows(rows: list[Para]) -> tuple[list[list[str]], list[Para]] | None:
    """A table printed one cell per line ("项目 |", "预算数 |", "决算数 |", "合计 |", "30.8 |", …):
    the header is the run of words before the first row label, which sets the width; None when
    the cells do not fall into rows of that width (a label, then figures or blanks)."""
    cells = [p.text.strip().rstrip("|").strip() for p in rows]
    first = next((k for k, c in enumerate(cells) if _is_number(c)), None)
    if first is None or first < 3:
        return None
    width = first - 1
    if width < 2 or (len(cells) - width) % width:
        return None
    grid, paras = [cells[:width]], [rows[0]]
    for k in range(width, len(cells), width):
        chunk = cells[k:k + width]
        if _is_number(chunk[0]) or not all(_is_number(c) or BLANK_CELL.match(c) for c in chunk[1:]):
            return None
        grid.append(chunk)
        paras.append(rows[k])
    return grid, paras


def _read(rows: list[Para], before: list[Para], doc_year: int | None) -> Table:
    lead = " ".join(p.text for p in before)
    grid = [split_row(p.text) for p in rows]
    if len(rows) >= 6 and sum(len([c for c in r if c.strip()]) <= 1 for r in grid) >= 0.8 * len(grid):
        regrouped = _one_cell_rows(rows)
        if regrouped is not None:
            grid, rows = regrouped
    unit_m = UNIT_RX.search(lead) or next((UNIT_RX.search(" ".join(r)) for r in grid if UNIT_RX.search(" ".join(r))), None)
    unit = unit_m.group("unit") if unit_m else "万元"
    title = next((p.text for p in reversed(before) if "表" in p.text or "三公" in p.text), before[-1].text if before else "")
    title = UNIT_RX.sub("", re.sub(r"金额单位[：:]\s*\S+", "", title)).strip()
    years = [int(y) for y in YEAR_RX.findall(title)]
    table = Table(title.strip(), unit, years[-1] if years else doc_year, rows)
    _read_codes(table, grid)
    data = [i for i, r in enumerate(grid) if (any(_is_number(c) for c in r[1:]) or (r and _is_number(r[0])))
            and not _column_numbers(r)]
    if not data:
        return table
    headers = [r for i, r in enumerate(grid) if i < data[0]]
    horizontal = all(grid[i] and (_is_number(grid[i][0]) or item_of(grid[i][0]) is None
                                  and role_of(grid[i][0]) is not None) for i in data) and len(headers) >= 1
    layout = _layout(headers, grid, data) if horizontal else None
    if layout is not None:
        for i in data:
            for j, (concept, role) in enumerate(layout):
                _add(table, grid[i][j], concept, role, i, j, f"{ITEMS[concept][0]}{'预算数' if role == 'budget' else '决算数'}")
    elif horizontal:
        _horizontal(table, grid, headers, data)
    else:
        _vertical(table, grid, headers, data)
    if any(c.concept in NOT_SANGONG for c in table.cells):  # its 合计 adds 会议费、培训费
        for c in table.cells:
            if c.concept == "sangong_total" and not re.search("三公", rows[c.row].text if c.row < len(rows) else ""):
                c.concept = "sangong_meeting_total"
    sangong = {c.concept for c in table.cells if c.concept in SANGONG_ITEMS and c.concept != "sangong_total"}
    if len(sangong) < 2:  # "合计" is the 三公 total only in a 三公 table
        table.cells = [c for c in table.cells if c.concept != "sangong_total"
                       or re.search("三公", rows[c.row].text)]
    return table


CODE_RX = re.compile(r"\d{3}(?:\d{2}){0,2}")
COLUMN_NUMBER_RX = re.compile(r"\d{1,2}")


def _read_codes(table: Table, grid: list[list[str]]) -> None:
    """Rows of a table by classification code ("30217 | 公务接待费 | 1.20", side by side as the
    basic-expenditure table prints 人员经费 and 公用经费): code → (name, first figure after the
    name, row); a blank figure is None (nothing spent)."""
    for i, r in enumerate(grid):
        for j in range(len(r) - 2):
            if CODE_RX.fullmatch(r[j].strip()) and r[j + 1].strip() and not _is_number(r[j + 1]):
                cell = r[j + 2]
                if _is_number(cell):
                    table.codes.setdefault(r[j].strip(), (r[j + 1].strip(), _figure(cell, table.unit), i))
                elif BLANK_CELL.match(cell):
                    table.codes.setdefault(r[j].strip(), (r[j + 1].strip(), None, i))


def _column_numbers(row: list[str]) -> bool:
    """A 栏次 row: "栏次 | 1 | 2 | 3" or "1 | 2 | … | 12"."""
    cells = [c.strip() for c in row if c.strip()]
    if cells and cells[0] in ("栏次", "行次"):
        return True
    nums = [c for c in cells if COLUMN_NUMBER_RX.fullmatch(c)]
    return len(nums) >= 3 and len(nums) == len(cells) and [int(c) for c in nums] == list(range(int(nums[0]), int(nums[0]) + len(nums)))


def _layout(headers: list[list[str]], grid: list[list[str]], data: list[int]) -> tuple[tuple[str, str], ...] | None:
    """A known items-as-columns layout (:data:`~juesuan.audit.vocab.COLUMN_LAYOUTS`) whose words
    the header names and whose width the data rows have."""
    from juesuan.audit.vocab import COLUMN_LAYOUTS

    words = " ".join(c for r in headers for c in r)
    for needed, columns in COLUMN_LAYOUTS:
        if all(w in words for w in needed) and all(len(grid[i]) == len(columns) for i in data):
            return columns
    return None


def _column_headers(headers: list[list[str]], width: int) -> list[str]:
    """Each column's header text, its header rows' cells joined (a blank carries the cell on its
    left, as merged cells print)."""
    out = [""] * width
    for r in headers:
        last = ""
        for j in range(width):
            cell = r[j] if j < len(r) else ""
            if cell.strip():
                last = cell
            out[j] += " " + (cell if cell.strip() else (last if len(headers) > 1 else ""))
    return [h.strip() for h in out]


def _add(table: Table, cell: str, concept: str, role: str | None, i: int, j: int, header: str) -> None:
    """A cell of ``concept``: a figure, a blank (nothing spent), or — anything else — not a cell."""
    if _is_number(cell):
        table.cells.append(Cell(_figure(cell, table.unit), concept, role, i, j, header))
    elif BLANK_CELL.match(cell):
        table.cells.append(Cell(None, concept, role, i, j, header))


def _vertical(table: Table, grid: list[list[str]], headers: list[list[str]], data: list[int]) -> None:
    width = max(len(r) for r in grid)
    cols = _column_headers(headers, width)
    for i in data:
        r = grid[i]
        concept = item_of(r[0]) if r else None
        if concept is None:
            continue
        for j in range(1, width):
            cell = r[j] if j < len(r) else ""
            _add(table, cell, concept, role_of(cols[j]) if cols[j] else "actual", i, j, cols[j])


def _horizontal(table: Table, grid: list[list[str]], headers: list[list[str]], data: list[int]) -> None:
    width = max(len(r) for r in grid)
    cols = _column_headers(headers, width)
    for i in data:
        r = grid[i]
        row_role = role_of(r[0]) if r and not _is_number(r[0]) else None
        for j in range(width):
            cell = r[j] if j < len(r) else ""
            concept = item_of(re.sub(r"预算数|决算数|预算|决算", "", cols[j])) if cols[j] else None
            if concept is None:
                continue
            _add(table, cell, concept, row_role or role_of(cols[j]) or "actual", i, j, r[0])


# ---------------------------------------------------------------- checks

def _value(cells: list[Cell]) -> tuple[Decimal, Decimal, list[Cell]] | None:
    """The one cell of a concept in a column: (value, half-width) with a blank as 0."""
    if len(cells) != 1:
        return None
    c = cells[0]
    return (c.fig.value, c.fig.half, cells) if c.fig is not None else (Decimal(0), Decimal(0), cells)


def _groups(table: Table) -> list[tuple[str | None, int | None]]:
    """The groups of cells to add up: per (role, column) in a vertical table, per role in a
    horizontal one (its items are columns)."""
    return sorted({(c.role, c.col if _vertical_cells(table) else None) for c in table.cells
                   if c.role != "pct" and (c.fig is None or not c.fig.is_percent)},
                  key=lambda g: (str(g[0]), g[1] or 0))


def _vertical_cells(table: Table) -> bool:
    return len({c.row for c in table.cells}) > 1


def _quote(doc: Doc, row: Para) -> Quote:
    return doc.quote_span(None, row.pos[0], row.pos[-1] + 1) if row.pos else Quote(text=row.text)


def check_table(table: Table, doc: Doc) -> list[Finding]:
    out: list[Finding] = []
    for role, col in _groups(table):
        def get(concept: str) -> tuple[Decimal, Decimal, list[Cell]] | None:
            return _value([c for c in table.cells if c.concept == concept and c.role == role
                           and (col is None or c.col == col)])
        failed: set[str] = set()
        for total, parts in reversed(SUMS):  # deepest relation first
            t = get(total)
            if t is None or t[2][0].fig is None:
                continue
            got = [(p, get(p)) for p in parts]
            if any(v is None for _, v in got):
                alt = []
                for p, v in got:
                    if v is None:  # a part missing: its own parts stand for it
                        sub = [get(q) for q in dict(SUMS).get(p, ())]
                        if not sub or any(x is None for x in sub):
                            break
                        alt += [(p, x) for x in sub]
                    else:
                        alt.append((p, v))
                else:
                    got = alt
                if any(v is None for _, v in got):
                    continue
            if sum(1 for _, v in got if v[2][0].fig is not None) < 1:
                continue
            value = sum(v[0] for _, v in got)  # type: ignore[index]
            band = sum(v[1] for _, v in got)  # type: ignore[index]
            fig = t[2][0].fig
            v = judge(fig, value, band)
            if v.ok:
                continue
            if total == "sangong_total":  # "“三公”经费及会议费、培训费" tables: their 合计 adds those
                extra = [get(x) for x in NOT_SANGONG]
                extra_value = sum((x[0] for x in extra if x is not None), Decimal(0))
                extra_band = sum((x[1] for x in extra if x is not None), Decimal(0))
                if any(x is not None for x in extra) and \
                        judge(fig, value + extra_value, band + extra_band).status in ("ok", "info"):
                    continue
            if any(p in failed for p, _ in got):
                # does the total hold with the failed part replaced by its own parts?
                alt_value = Decimal(0)
                for p, x in got:
                    if p in failed:
                        alt_value += sum(get(q)[0] for q in dict(SUMS)[p])  # type: ignore[index]
                    else:
                        alt_value += x[0]  # type: ignore[index]
                if judge(fig, alt_value, band).status in ("ok", "info"):
                    continue
            failed.add(total)
            rows = [table.rows[t[2][0].row]] + [table.rows[x[2][0].row] for _, x in got]  # type: ignore[index]
            quotes = []
            for r in rows:
                q = _quote(doc, r)
                if q not in quotes:
                    quotes.append(q)
            col_name = t[2][0].header if col is not None and t[2][0].header else \
                {"actual": "决算数", "budget": "预算数", "prior": "上年数", "change": "增减"}.get(role or "", role or "")
            out.append(finding("A-TABLE-SUM", quotes=quotes, severity=None if v.status == "fail" else Severity.INFO,
                               expected=v.expected, actual=v.actual, difference=v.difference, tolerance=v.tolerance,
                               table=table.title[:40] or "表格", column=col_name,
                               total_label=f"「{ITEMS[total][0]}」", total=fig.value,
                               parts=" + ".join(f"{ITEMS[p][0]} {show(x[0])}" for p, x in got),  # type: ignore[index]
                               sum=value, diff=v.difference))
    return out


def check_codes(table: Table, doc: Doc) -> list[Finding]:
    """A code's row against its sub-codes' rows (302 商品和服务支出 = Σ 302xx; 201 = Σ 201xx;
    20101 = Σ 20101xx), when the table prints any sub-code of it."""
    out: list[Finding] = []
    for code, (name, fig, row) in sorted(table.codes.items()):
        children = [(c, v) for c, v in table.codes.items() if len(c) == len(code) + 2 and c.startswith(code)]
        if not children:
            continue
        value = fig.value if fig is not None else Decimal(0)
        total = sum((v[1].value for _, v in children if v[1] is not None), Decimal(0))
        band = sum((v[1].half for _, v in children if v[1] is not None), Decimal(0))
        printed = fig if fig is not None else Figure(Decimal(0), 2, "万元", "0", 0, 0)
        v = judge(printed, total, band)
        if v.status in ("ok", "info"):
            continue
        rows = [table.rows[row]] + [table.rows[v2[2]] for _, v2 in children if v2[1] is not None][:6]
        quotes: list[Quote] = []
        for r in rows:
            q = _quote(doc, r)
            if q not in quotes:
                quotes.append(q)
        out.append(finding("A-TABLE-SUM", quotes=quotes, expected=v.expected, actual=v.actual,
                           difference=v.difference, tolerance=v.tolerance, table=table.title[:40] or "表格",
                           column=f"{code} {name}", total_label=f"「{code} {name}」", total=value,
                           parts=f"{len(children)} 个下级科目（{'、'.join(c for c, _ in children[:4])}…）",
                           sum=total, diff=v.difference))
    return out


BASIC_VS_SANGONG = (("30217", "reception"), ("30231", "vehicle_run"), ("30212", "abroad"))


def check_tables(tables: list[Table], doc: Doc) -> list[Finding]:
    """Between tables: the basic-expenditure table's 公务接待费 (30217), 公务用车运行维护费 (30231)
    and 因公出国（境）费用 (30212) are part of the 三公 table's items (三公 adds project spending),
    so never more."""
    out: list[Finding] = []
    sangong = [t for t in tables if any(c.concept == "sangong_total" for c in t.cells)]
    for basic in tables:
        for code, concept in BASIC_VS_SANGONG:
            entry = basic.codes.get(code)
            if entry is None or entry[1] is None:
                continue
            for t in sangong:
                cells = [c for c in t.find(concept, "actual") if c.fig is not None]
                if len(cells) != 1 or (basic.year and t.year and basic.year != t.year):
                    continue
                part, whole = entry[1], cells[0].fig
                if part.value <= whole.value + part.half + whole.half:  # type: ignore[union-attr]
                    continue
                out.append(finding("A-TABLE-TEXT", quotes=[_quote(doc, basic.rows[entry[2]]), _quote(doc, t.rows[cells[0].row])],
                                   expected=f"≤ {show(whole.value)}", actual=part.value,  # type: ignore[union-attr]
                                   difference=part.value - whole.value,  # type: ignore[union-attr]
                                   label=ITEMS[concept][0], role="决算数",
                                   where_a=f"表「{basic.title[:30]}」（{code}，基本支出）", a=part.value,
                                   where_b=f"表「{t.title[:30]}」（含项目支出，不应更少）", b=whole.value,  # type: ignore[union-attr]
                                   diff=part.value - whole.value))  # type: ignore[union-attr]
    return out


def check_text(tables: list[Table], all_facts: list[SectionFacts], doc: Doc) -> list[Finding]:
    """Text figures and budget changes of 三公 items against the tables' cells."""
    out: list[Finding] = []
    for table in tables:
        for facts in all_facts:
            if facts.kind != "sangong":
                continue
            for a in facts.amounts:
                if a.role not in ("actual", "budget") or not a.fig.is_money:
                    continue
                concept = item_of(a.name)
                if concept not in SANGONG_ITEMS or (table.year and a.year and table.year != a.year):
                    continue
                cells = [c for c in table.find(concept, a.role) if c.fig is not None]
                if len({c.fig.value for c in cells}) != 1:
                    continue
                cell = cells[0]
                v = judge(a.fig, cell.fig.value, cell.fig.half)  # type: ignore[union-attr]
                if v.status in ("ok", "info"):
                    continue
                out.append(finding("A-TABLE-TEXT", quotes=[_text_quote(facts, doc, a), _quote(doc, table.rows[cell.row])],
                                   expected=v.expected, actual=v.actual, difference=v.difference, tolerance=v.tolerance,
                                   label=ITEMS[concept][0], role="决算数" if a.role == "actual" else "预算数",
                                   where_a="正文", a=a.value, where_b=f"表「{table.title[:30]}」", b=cell.fig.value,  # type: ignore[union-attr]
                                   diff=a.value - cell.fig.value))  # type: ignore[union-attr]
            for ch in facts.changes:
                s = ch.subject
                if ch.basis != "预算" or s is None or s.role != "actual" or ch.base is not None:
                    continue
                concept = item_of(s.name)
                if concept not in SANGONG_ITEMS:
                    continue
                budgets = [c for c in table.find(concept, "budget")]
                actuals = [c for c in table.find(concept, "actual") if c.fig is not None]
                if len(budgets) != 1 or len(actuals) != 1 or actuals[0].fig.value != s.value:  # type: ignore[union-attr]
                    continue
                b = budgets[0]
                budget = b.fig.value if b.fig is not None else Decimal(0)
                stated = ch.sign * ch.amount.value if ch.amount is not None else Decimal(0)
                if ch.amount is None and ch.word not in ("持平", "无变化", "无差异", "相同", "无增减变化", "无增减", "无增减变动"):
                    continue
                half = (b.fig.half if b.fig else Decimal(0)) + s.fig.half
                places = ch.amount.precision if ch.amount is not None else 2
                v = judge((stated, places), s.value - budget, half)
                if v.status in ("ok", "info"):
                    continue
                out.append(finding("A-TABLE-TEXT", quotes=[_change_quote(facts, doc, ch.para, ch.at), _quote(doc, table.rows[b.row])],
                                   expected=v.expected, actual=v.actual, difference=v.difference, tolerance=v.tolerance,
                                   label=ITEMS[concept][0], role="与预算相比的增减",
                                   where_a=f"正文（{ch.word}{' ' + show(ch.amount.value) if ch.amount else ''}）",
                                   a=stated, where_b=f"按表「{table.title[:30]}」（决算 {show(s.value)} − 预算 {show(budget)}）",
                                   b=s.value - budget, diff=stated - (s.value - budget)))
    return out


def _text_quote(facts: SectionFacts, doc: Doc, a: Amount) -> Quote:
    from juesuan.audit.relations import quote_at

    return quote_at(facts, doc, a.para, a.at)


def _change_quote(facts: SectionFacts, doc: Doc, para: int, at: int) -> Quote:
    from juesuan.audit.relations import quote_at

    return quote_at(facts, doc, para, at)
