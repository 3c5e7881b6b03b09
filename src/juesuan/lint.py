"""Lint every formula of a workbook before it is filled or shipped.

A formula that Excel would show as ``#NAME?`` or ``#REF!``, or that loops, must never reach a
department: fill refuses the workbook and names the cell.  Checks, per formula (parsed once per
shape, see :mod:`juesuan.xlformula`):

- it parses;
- every function is on the allow-list (what :mod:`juesuan.xleval` computes: SUM, SUMIF, IF,
  ROUND, MIN, MAX …) — so every formula that passes can also be given a stored value;
- no error literal (``=SUM(#REF!)`` is what Excel leaves after a referenced sheet is deleted);
- every reference resolves: its sheet exists, its address is inside the grid; names are defined;
- the dependency graph of formula cells has no cycle.

Example: ``=VLOOKUP(A1,B:C,2)`` in 单位信息!D2 → ``LintError('单位信息', 'D2', …不支持的函数 VLOOKUP…)``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from juesuan.errors import InputError, Location
from juesuan.expr import column_letter
from juesuan.xleval import FUNCTIONS
from juesuan.xlformula import Formula, FormulaSyntaxError, Ref, parse, regex_refs

ALLOWED = frozenset(FUNCTIONS)
CellKey = tuple[str, int, int]  # (sheet title, row, column)


def a1(key: CellKey) -> str:
    return f"{key[0]}!{column_letter(key[2])}{key[1]}"


@dataclass(frozen=True)
class LintError:
    sheet: str
    cell: str
    formula: str
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell} {self.formula}：{self.zh}（{self.en}）"

    def input_error(self, file: str | None = None) -> InputError:
        return InputError(f"公式 {self.formula} {self.zh}", f"formula {self.formula}: {self.en}",
                          Location(file=file, sheet=self.sheet, cell=self.cell), kind="formula")


@dataclass
class Lint:
    """Parsed formulas by cell, their dependencies on other formula cells, and the errors found."""

    formulas: dict[CellKey, Formula] = field(default_factory=dict)
    deps: dict[CellKey, list[CellKey]] = field(default_factory=dict)
    errors: list[LintError] = field(default_factory=list)

    def raise_first(self, file: str | None = None) -> None:
        if self.errors:
            first = self.errors[0]
            err = first.input_error(file)
            if len(self.errors) > 1:
                more = len(self.errors) - 1
                err.zh += f"（另有 {more} 处公式问题）"
                err.en += f" ({more} more formula problems)"
                err.args = (err.message,)
            raise err


def workbook_formulas(wb: Any) -> dict[CellKey, str]:
    """The text of every formula cell of an openpyxl workbook (array formulas included)."""
    out: dict[CellKey, str] = {}
    for ws in wb.worksheets:
        title = ws.title
        # ws._cells holds only the cells that exist (iter_rows would create the blank ones)
        for (r, c), cell in ws._cells.items():
            v = cell.value
            if cell.data_type != "f" or v is None:
                continue
            text = v if isinstance(v, str) else getattr(v, "text", None)
            if text:
                out[(title, r, c)] = text
    return out


def workbook_names(wb: Any) -> dict[str, Ref | None]:
    """Defined names (upper-cased) → the range they refer to (None when not a plain range)."""
    items: list[tuple[str, Any]] = list(wb.defined_names.items())
    for ws in wb.worksheets:
        items += list(ws.defined_names.items())
    return name_refs({name.upper(): str(dn.attr_text or "") for name, dn in items})


def name_refs(names: Mapping[str, str]) -> dict[str, Ref | None]:
    """Defined names → the range each refers to (None when not a plain range)."""
    out: dict[str, Ref | None] = {}
    for name, text in names.items():
        _, refs = regex_refs("=" + text)
        out[name] = refs[0] if len(refs) == 1 and refs[0].sheet else None
    return out


class SheetIndex:
    """Sheet names resolved case-insensitively, and where the formula cells are in each sheet."""

    def __init__(self, sheets: Iterable[str], cells: Iterable[CellKey]) -> None:
        self.by_fold = {s.casefold(): s for s in sheets}
        cols: dict[str, dict[int, list[int]]] = {}
        for sheet, r, c in cells:
            cols.setdefault(sheet, {}).setdefault(c, []).append(r)
        for by_col in cols.values():
            for rows in by_col.values():
                rows.sort()
        self.cols = cols

    def sheet(self, ref: Ref, host: str) -> str | None:
        return host if ref.sheet is None else self.by_fold.get(ref.sheet.casefold())

    def formula_cells_in(self, sheet: str, ref: Ref) -> list[CellKey]:
        out: list[CellKey] = []
        for c, rows in self.cols.get(sheet, {}).items():
            if ref.c1 <= c <= ref.c2:
                lo = bisect.bisect_left(rows, ref.r1)
                hi = bisect.bisect_right(rows, ref.r2)
                out.extend((sheet, r, c) for r in rows[lo:hi])
        return out


def lint_formulas(texts: Mapping[CellKey, str], sheets: Iterable[str],
                  names: Mapping[str, Ref | None] | None = None) -> Lint:
    """Parse and check ``texts`` (cell → formula), build the dependency graph, find cycles."""
    names = names or {}
    result = Lint()
    index = SheetIndex(sheets, texts)
    for key, text in texts.items():
        sheet, r, c = key
        cell = f"{column_letter(c)}{r}"

        def bad(zh: str, en: str) -> None:
            result.errors.append(LintError(sheet, cell, text, zh, en))

        try:
            f = parse(text)
        except FormulaSyntaxError as exc:
            bad("无法解析", f"cannot be parsed ({exc})")
            continue
        result.formulas[key] = f
        unknown = sorted(f.functions - ALLOWED)
        if unknown:
            shown = "数组常量" if unknown == ["ARRAY"] else "、".join(unknown)
            bad(f"用了不支持的函数 {shown}（可用：{'、'.join(sorted(ALLOWED))}）",
                f"uses unsupported function(s) {', '.join(unknown)}; allowed: {', '.join(sorted(ALLOWED))}")
        if f.errors:
            bad(f"含错误值 {f.errors[0]}（引用的单元格或工作表已被删除？）",
                f"contains the error {f.errors[0]} (a referenced cell or sheet was deleted?)")
        deps: list[CellKey] = []
        for ref in f.refs:
            target = index.sheet(ref, sheet)
            if target is None:
                bad(f"引用的工作表「{ref.sheet}」不存在（被删除或改名？）",
                    f"refers to sheet {ref.sheet!r}, which does not exist (deleted or renamed?)")
                continue
            if not ref.valid():
                bad("引用了无效的单元格地址", "refers to an invalid cell address")
                continue
            deps.extend(index.formula_cells_in(target, ref))
        for name in f.names:
            if name not in names:
                bad(f"引用了未定义的名称「{name}」", f"refers to the undefined name {name!r}")
                continue
            ref = names[name]
            target = index.sheet(ref, sheet) if ref is not None else None
            if ref is not None and target is not None:
                deps.extend(index.formula_cells_in(target, ref))
        result.deps[key] = deps
    cycle = find_cycle(result.deps)
    if cycle:
        sheet, r, c = cycle[0]
        path = " → ".join(a1(k) for k in cycle + [cycle[0]])
        result.errors.append(LintError(sheet, f"{column_letter(c)}{r}", texts[cycle[0]],
                                       f"循环引用：{path}", f"circular reference: {path}"))
    return result


def lint_workbook(wb: Any) -> Lint:
    """Lint every formula of an openpyxl workbook."""
    return lint_formulas(workbook_formulas(wb), wb.sheetnames, workbook_names(wb))


def find_cycle(deps: Mapping[CellKey, list[CellKey]]) -> list[CellKey] | None:
    """One cycle of the graph (its cells in order), or None.  Iterative DFS: graphs are deep."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour: dict[CellKey, int] = {}
    for start in deps:
        if colour.get(start, WHITE) != WHITE:
            continue
        stack: list[tuple[CellKey, int]] = [(start, 0)]
        path: list[CellKey] = [start]
        colour[start] = GREY
        while stack:
            node, i = stack[-1]
            children = deps.get(node, [])
            if i < len(children):
                stack[-1] = (node, i + 1)
                child = children[i]
                state = colour.get(child, WHITE)
                if state == GREY:
                    return path[path.index(child):]
                if state == WHITE and child in deps:
                    colour[child] = GREY
                    stack.append((child, 0))
                    path.append(child)
            else:
                colour[node] = BLACK
                stack.pop()
                path.pop()
    return None
