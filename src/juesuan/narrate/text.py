"""The standard phrases of the narrative, and the placeholders for what the accountant must fill.

Templates hold the sentences; the few phrases that follow rules live here so every section says
them the same way:

- a comparison: "与上年决算相比，增加830.53万元，增加37.56%"; "与上年决算持平" when equal as
  printed (and then no reason); "增加2.85万元，上年决算数为零" against a zero base — never a
  percentage of zero;
- a completion rate: "完成年初预算的93.33%", or the zero-budget wording ("年初未安排预算");
- a reason (变动原因) or other typed text: the text as entered, or a visible placeholder
  ``【请填写「变动原因」表：四、财政拨款收支总计与上年决算相比】`` that names the sheet and row to
  fill.  A reason is not asked for when the figures are equal (持平).

:class:`Phrases` records every placeholder it prints, so the same list feeds the command's
warning and :func:`juesuan.narrate.missing_reasons` for the checker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

from juesuan.expr import Key
from juesuan.model import Book
from juesuan.narrate.outline import NarrativeOutline
from juesuan.narrate.figures import Change, Completion, Item
from juesuan.narrate.numbers import amount, percent

END_PUNCTUATION = "。；;，,.、 \n\t"


@dataclass(frozen=True)
class Placeholder:
    """A text the book lacks: ``key`` is the 变动原因 comparison key (kind ``reason``) or
    ``sheet/row/column`` of another input; ``cell`` is the input cell to fill."""

    key: str
    label: str
    cell: Key
    kind: Literal["reason", "input"]

    @property
    def text(self) -> str:
        return f"【请填写「{self.cell[0]}」表：{self.label}】"


def clause(text: str) -> str:
    """Typed text ready to sit inside a sentence: trimmed, without its closing punctuation."""
    return text.strip().rstrip(END_PUNCTUATION).strip()


def paragraphs_of(text: str) -> list[str]:
    """A typed multi-line text (部门概况) as paragraphs, one per non-empty line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def listing(items: Iterable[Item], sep: str = "、") -> str:
    """"基本工资73.92万元、津贴补贴163.68万元" — the "主要包括" lists, in the given (table) order."""
    return sep.join(f"{i.name}{amount(i.amount)}" for i in items)


class Phrases:
    """Phrase builders bound to one book; collects the placeholders they print."""

    def __init__(self, book: Book, outline: NarrativeOutline | None = None) -> None:
        if outline is None:
            from juesuan.formats import get_pack

            outline = get_pack(book.format.id).narrative
        self.book = book
        self.reasons = outline.reasons  # the 变动原因 sheet
        self.budget_reasons = outline.budget_reasons  # the code table with a 差异原因 column
        self.placeholders: list[Placeholder] = []
        self.labels = {c.key: c.label for c in book.format.comparisons}

    # ── typed texts ────────────────────────────────────────────────────────────────────
    def _missing(self, p: Placeholder) -> str:
        if p not in self.placeholders:
            self.placeholders.append(p)
        return p.text

    def reason(self, key: str) -> str:
        """The 变动原因 of comparison ``key`` (a key of the format's COMPARISONS), or a placeholder."""
        if key not in self.labels:
            raise KeyError(f"unknown comparison {key!r}")  # a template typo fails loudly
        cell = (self.reasons, key, "原因")
        text = clause(self.book.text(cell))
        return text or self._missing(Placeholder(key, self.labels[key], cell, "reason"))

    def has_reason(self, key: str) -> bool:
        return bool(clause(self.book.text((self.reasons, key, "原因"))))

    def need(self, cell: Key, label: str, kind: Literal["reason", "input"] = "input") -> str:
        """A typed text of any input sheet, or a placeholder naming it."""
        text = clause(self.book.text(cell))
        key = f"{cell[0]}/{cell[1]}/{cell[2]}"
        return text or self._missing(Placeholder(key, label, cell, kind))

    def text(self, cell: Key) -> str:
        """An optional typed text (no placeholder when empty)."""
        return clause(self.book.text(cell))

    # ── comparisons ────────────────────────────────────────────────────────────────────
    def compare(self, c: Change, against: str, zero_base: str, subject: str = "", rate: bool = True) -> str:
        """"与{against}相比，{subject}增加x万元，增加y%"; "{subject}与{against}持平" when equal;
        against a zero base no percentage: "与上年决算相比，增加2.85万元，上年决算数为零"."""
        if c.flat:
            return f"{subject.rstrip('各')}与{against}持平"
        word = "增加" if c.up else "减少"
        out = f"与{against}相比，{subject}{word}{amount(c.diff)}"
        if rate:
            out += (f"，{zero_base}" if zero_base else "") if c.rate is None else f"，{word}{percent(c.rate)}"
        return out

    def because(self, c: Change, key: str, lead: str = "变动原因") -> str:
        """"，变动原因：…" — the typed reason, or a placeholder when it is missing; nothing when
        the figures are equal (持平 needs no reason; a typed one is check's N-REASON-FLAT)."""
        if c.flat:
            return ""
        return f"，{lead}：{self.reason(key)}"

    def budget_reason(self, code: str, name: str, c: Completion) -> str:
        """五: "决算数与年初预算数的差异原因：…。" from the 年初预算 sheet's 差异原因 column."""
        if self.budget_reasons is None:
            raise KeyError("this format has no 差异原因 column")  # a template of another format: fails loudly
        cell = (self.budget_reasons, code, "差异原因")
        if c.change.flat:  # 决算 equals 年初预算: no 差异原因
            return ""
        return f"决算数与年初预算数的差异原因：{self.need(cell, f'{code} {name} 的差异原因', 'reason')}。"

    @staticmethod
    def done(c: Completion, lead: str, zero_budget: str) -> str:
        """"完成年初预算的93.33%", or the zero-budget wording."""
        return zero_budget if c.rate is None else f"{lead}{percent(c.rate)}"
