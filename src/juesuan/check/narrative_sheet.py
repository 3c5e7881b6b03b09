"""The narrative sheet as the workbook holds it (决算情况说明): what the accountant may print as it is.

The N-* rules check the narrative the numbers give now.  The sheet in the workbook may say
something else — written by 生成说明 before the numbers changed, or edited by hand — and it is
print-ready, so it is what may get published.  Two rules read it (column A, one paragraph a row,
and the digest :mod:`juesuan.narrate.sheet` stored when it wrote the sheet):

- N-SHEET-STALE: juesuan wrote the sheet (its text still hashes to the stored digest) but the
  numbers now give another text: the first row that differs, with both texts;
- N-SHEET-FIGURE: the sheet was edited by hand, and a row that reads as a generated row reads
  (the same words, figures aside) prints other figures than the numbers give — typed over, or
  left from before the numbers changed: the figures shown and the figures due, at the row;
- N-SHEET-TEXT: the sheet was edited by hand: its text is audited by ``juesuan audit``'s engine,
  and each error or warning the generated narrative does not also draw is reported at the row it
  quotes, with the audit's severity (a row N-SHEET-FIGURE already reports is not reported again) (a hand-typed "占 427.00%" is found; a contradiction of the tables already reported
  through the generated text is not reported twice).

Example: the reference workbook narrated, then row 63's "占99.88%" typed over as "占427.00%":
N-SHEET-FIGURE, an error at 决算情况说明!A63 (427.00 where the numbers give 99.88); reworded as
"所占比重为427.00%", N-SHEET-TEXT (the audit: 3,038.13 of 3,041.67 is 99.88 %).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Iterator

from juesuan.findings import CellRef, Finding, Severity

if TYPE_CHECKING:
    from juesuan.check.context import Context
    from juesuan.check.registry import Rule
    from juesuan.narrate.sheet import SheetText

CLIP = 60  # characters of a row shown in a message
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")  # a figure as the narrative prints it (3,041.67; 99.88; 2023)


def _sheet(ctx: "Context") -> "SheetText | None":
    """The narrative sheet of the workbook checked (None: none, or no text), read once per check."""
    if "_narrative_sheet" not in ctx.__dict__:
        from juesuan.narrate.sheet import SHEET, SheetText

        sheets = getattr(ctx.prep, "sheets", None)
        sheet = SheetText.of(sheets.get(SHEET)) if sheets and sheets.get(SHEET) else None
        ctx.__dict__["_narrative_sheet"] = sheet if sheet is not None and sheet.rows else None
    return ctx.__dict__["_narrative_sheet"]  # type: ignore[no-any-return]


def expected_lines(ctx: "Context") -> list[str]:
    """Column A as 生成说明 would write it from the numbers now (once per check)."""
    if "_expected_lines" not in ctx.__dict__:
        from juesuan.narrate import narrative
        from juesuan.narrate.sheet import written_text

        ctx.__dict__["_expected_lines"] = [written_text(p) for p in narrative(ctx.book).paragraphs()]
    return ctx.__dict__["_expected_lines"]  # type: ignore[no-any-return]


def _clip(text: str) -> str:
    text = text.strip()
    return text if len(text) <= CLIP else text[:CLIP] + "…"


def stale(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """N-SHEET-STALE: a sheet juesuan wrote that the numbers no longer give."""
    from juesuan.narrate.sheet import SHEET

    sheet = _sheet(ctx)
    if sheet is None or sheet.by_hand:
        return
    lines, expected = sheet.lines, expected_lines(ctx)
    if lines == expected:
        return
    k = next((i for i, (a, b) in enumerate(zip(lines, expected)) if a != b), min(len(lines), len(expected)))
    row = sheet.rows[k][0] if k < len(sheet.rows) else sheet.rows[-1][0] + 1
    yield rule.at([CellRef(SHEET, f"A{row}")], row=row,
                  shown=_clip(lines[k]) if k < len(lines) else "（无）",
                  expected=_clip(expected[k]) if k < len(expected) else "（无）")


def figure_gaps(ctx: "Context", sheet: "SheetText") -> dict[int, list[tuple[str, str]]]:
    """Row → (figure shown, figure due) for each row of a hand-edited sheet that has the words of a
    generated row (the n-th row of those words matched with the n-th generated one) but not all
    its figures; kept on ``ctx`` for N-SHEET-TEXT."""
    cached = ctx.__dict__.get("_figure_gaps")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    twins: dict[str, list[str]] = {}
    for line in expected_lines(ctx):
        twins.setdefault(NUMBER.sub("#", line), []).append(line)
    seen: Counter[str] = Counter()
    out: dict[int, list[tuple[str, str]]] = {}
    for row, text in sheet.rows:
        words = NUMBER.sub("#", text)
        n, seen[words] = seen[words], seen[words] + 1
        same = twins.get(words)
        if not same or text in same:
            continue
        due = same[min(n, len(same) - 1)]
        gaps = [(a, b) for a, b in zip(NUMBER.findall(text), NUMBER.findall(due)) if a != b]
        if gaps:
            out[row] = gaps
    ctx.__dict__["_figure_gaps"] = out
    return out


def hand_figures(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """N-SHEET-FIGURE: rows of a hand-edited sheet printing other figures than the numbers give."""
    from juesuan.narrate.sheet import SHEET

    sheet = _sheet(ctx)
    if sheet is None or not sheet.by_hand:
        return
    text = dict(sheet.rows)
    for row, gaps in figure_gaps(ctx, sheet).items():
        yield rule.at([CellRef(SHEET, f"A{row}")], row=row, shown="、".join(a for a, _ in gaps),
                      due="、".join(b for _, b in gaps), quote=_clip(text[row]))


def hand_text(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """N-SHEET-TEXT: the audit's errors and warnings on a hand-edited sheet that the generated
    narrative does not draw, each at the row it quotes."""
    from juesuan.audit.engine import audit_loaded
    from juesuan.audit.load import Loaded
    from juesuan.errors import InputError
    from juesuan.narrate.sheet import SHEET

    sheet = _sheet(ctx)
    if sheet is None or not sheet.by_hand:
        return

    def audited(lines: list[str]) -> list[Finding]:
        try:
            return audit_loaded(Loaded(SHEET, "\n".join(lines), "txt"), ctx.fmt.id).findings
        except InputError:  # nothing the audit recognises: no text rule applies
            return []

    generated = {(f.rule, f.message) for f in audited(expected_lines(ctx))}
    figured = figure_gaps(ctx, sheet)
    for f in audited(sheet.lines):
        if f.severity is Severity.INFO or (f.rule, f.message) in generated:
            continue
        row = sheet.row_at(f.quotes[0].position if f.quotes else None)
        if row in figured:
            continue  # its figures are already reported against the numbers (N-SHEET-FIGURE)
        out = rule.at([CellRef(SHEET, f"A{row}")], severity=f.severity, row=row, text=f.message, audit_rule=f.rule)
        out.quotes = list(f.quotes)
        out.expected, out.actual, out.difference, out.tolerance = f.expected, f.actual, f.difference, f.tolerance
        yield out
