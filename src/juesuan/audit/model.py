"""The values the audit passes between its steps: the document, what was read, what was skipped.

Extraction (:mod:`juesuan.audit.extract`, :mod:`juesuan.audit.perf`) produces statements —
amounts with their role, changes, completion rates, shares, lists of parts — each remembering
the paragraph and the characters it came from; the checks turn them into findings whose quotes
are the sentences as printed (:meth:`Doc.quote`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import chain

from juesuan.audit.load import Loaded
from juesuan.audit.sections import Outline, Para, Section
from juesuan.audit.text import Figure, Mapped, collapse
from juesuan.findings import Quote

SENTENCE_STOP = "。！？"


@dataclass(frozen=True)
class Skip:
    """Something the audit read but did not check, and why (Chinese and English)."""

    section: str | None
    zh: str
    en: str
    quote: Quote | None = None

    def to_json(self) -> dict[str, object]:
        return {"section": self.section, "reason": self.zh, "reason_en": self.en,
                "quote": self.quote.to_json() if self.quote else None}


@dataclass
class Doc:
    """A loaded document, its normalised text and its outline."""

    loaded: Loaded
    mapped: Mapped
    outline: Outline
    year: int | None = None  # the year the document reports on

    def quote(self, section: Section | None, para: Para, start: int, end: int) -> Quote:
        """The printed text of ``para.text[start:end]``, with its offset in the loaded text."""
        start = max(0, min(start, len(para.pos) - 1))
        end = max(start + 1, min(end, len(para.pos)))
        raw_start, _ = self.mapped.source(para.pos[start], para.pos[start] + 1)
        _, raw_end = self.mapped.source(para.pos[end - 1], para.pos[end - 1] + 1)
        text = collapse(self.loaded.text[raw_start:raw_end])
        return Quote(text=text, section=section.title if section else None, position=raw_start)

    def quote_span(self, section: Section | None, start: int, end: int) -> Quote:
        """The printed text of ``mapped.text[start:end]`` (normalised offsets), e.g. a table row."""
        raw_start, raw_end = self.mapped.source(start, end)
        return Quote(text=collapse(self.loaded.text[raw_start:raw_end]),
                     section=section.title if section else None, position=raw_start)

    def sentence(self, section: Section | None, para: Para, at: int) -> Quote:
        """The sentence of ``para`` around character ``at``."""
        s, e = sentence_span(para.text, at)
        return self.quote(section, para, s, e)


@lru_cache(maxsize=1024)
def _stops(text: str, stops: str) -> tuple[int, ...]:
    """The positions of ``stops`` characters in ``text``, in order (a paragraph asks many times)."""
    out: list[int] = []
    find, add = text.find, out.append
    for ch in stops:  # (a few ``find`` calls: cheaper than a pattern's match objects)
        i = find(ch)
        while i >= 0:
            add(i)
            i = find(ch, i + 1)
    out.sort()
    return tuple(out)  # shared by the memo: never to be changed


def sentence_span(text: str, at: int) -> tuple[int, int]:
    """Start and end (after the 。) of the sentence containing position ``at``."""
    n = len(text)
    if at >= n:  # (at = max(0, min(at, n - 1)), 0 for an empty text)
        at = n - 1
    if at < 0:
        at = 0
    pos = _stops(text, SENTENCE_STOP)  # the last stop before ``at`` and the first at or after it
    k = bisect_left(pos, at)
    return (pos[k - 1] + 1 if k else 0), (pos[k] + 1 if k < len(pos) else n)


SEGMENT_STOP = SENTENCE_STOP + "；"


def segment_span(text: str, at: int) -> tuple[int, int]:
    """Like :func:`sentence_span`, but a ``；`` also ends a segment."""
    if not 0 <= at <= len(text):  # str.find/rfind's slice semantics: the plain way
        start = max((text.rfind(ch, 0, at) for ch in SEGMENT_STOP), default=-1) + 1
        ends = [i for i in (text.find(ch, at) for ch in SEGMENT_STOP) if i >= 0]
        return start, (min(ends) if ends else len(text))
    pos = _stops(text, SEGMENT_STOP)  # (as in sentence_span)
    k = bisect_left(pos, at)
    return (pos[k - 1] + 1 if k else 0), (pos[k] if k < len(pos) else len(text))


@dataclass(eq=False)
class Amount:
    """A money or count figure in a paragraph, with its role and what it is an amount of.

    role: ``actual`` (决算/执行数/a stated amount), ``budget`` (预算), ``change`` (增减额),
    ``prior`` (上年数), ``reason`` (inside a 变动原因 text), ``threshold`` (单价100万元以上, 突破2万亿元),
    ``average`` (平均每辆车 5.41 万元: per unit, part of no total).
    """

    fig: Figure
    role: str
    label: str
    name: str
    para: int
    at: int  # position of the figure in the paragraph text
    year: int | None = None  # the year its sentence or paragraph names, when it names one
    in_rate: bool = False  # printed inside a completion rate ("完成预算 x 万元的 p%"): its budget

    @property
    def value(self) -> Decimal:
        return self.fig.value


@dataclass(eq=False)
class Change:
    """"与上年决算相比，增加 830.53 万元，增加 37.56%": amount and/or percentage vs a basis."""

    basis: str  # "上年", "预算", "上年预算" (the prior year's budget) or "其他" (another year: not checked)
    sign: int  # +1, -1, 0
    word: str
    amount: Figure | None
    pct: Figure | None
    pct_word: str | None
    para: int
    start: int
    end: int
    subject: Amount | None = None
    base: Amount | None = None  # the 上年数 or 预算数 itself, when the text states it
    year: int | None = None  # the year of what changed
    at: int = 0  # where the direction word is
    alt: Amount | None = None  # another reading of the subject (the head of the list it ends)

    @property
    def pct_sign(self) -> int | None:
        return None if self.pct_word is None else sign_of(self.pct_word)


def sign_of(word: str) -> int:
    """+1 for 增加/增长/上升/超支, −1 for 减少/下降/降低/节约, 0 for 持平 and the like (and for a
    template's "增加（减少）", which says no direction)."""
    if word in ("增加", "增长", "上升", "超支", "提高", "增", "增收", "增支", "增幅"):
        return 1
    if word in ("减少", "下降", "降低", "节约", "减", "压减", "减收", "减支", "减幅", "降幅"):
        return -1
    return 0


@dataclass(eq=False)
class Rate:
    """"年初预算 A 万元，支出决算 B 万元，完成年初预算的 P%"."""

    pct: Figure
    para: int
    start: int
    end: int
    actual: Amount | None = None
    budget: Amount | None = None


@dataclass(eq=False)
class Share:
    """"X a 万元，占 p%" or "X 占 Y 的 p%" (no amount: the share implies one)."""

    pct: Figure
    base_text: str
    label: str
    para: int
    start: int
    end: int
    amount: Amount | None = None
    base: Amount | None = None
    base_where: str | None = None  # where the base was found, for messages
    in_list: "ListStmt | None" = None
    lead: "Share | None" = None  # the first share of "分别为 a、b 和 c，占…的 p%、q% 和 r%" (None: alone)
    rank: int = 0  # its place in that run
    run: int = 1  # how many shares the run has

    def base_band(self, halves: int = 1) -> tuple[Decimal, Decimal | None]:
        """The base its amount and percentage imply as printed (the percentage widened to
        ``halves`` half-units of its last digit): (lowest, highest; None when unbounded)."""
        a, p = self.amount.fig, self.pct  # type: ignore[union-attr]
        h = p.half * halves
        lo = (a.value - a.half) / (p.value + h) * 100
        return lo, (a.value + a.half) / (p.value - h) * 100 if p.value > h else None


@dataclass(eq=False)
class Item:
    """One part of a list: its amount, and its budget or changes when the text gives them."""

    amount: Amount
    budget: Amount | None = None
    sublist: "ListStmt | None" = None


@dataclass(eq=False)
class ListStmt:
    """A total and its listed parts ("其中：…", "包括：…", "主要包括：…")."""

    head: Amount
    word: str
    items: list[Item]
    complete: bool
    pair: bool  # "收入、支出决算总计…其中：（一）收入…（二）支出…": each side equals the head
    para: int
    at: int
    stream: tuple[int, int, int, int] | None = None  # (para, start, para, end) of inline items
    budget: Amount | None = None
    alt_items: list[Item] | None = None  # one item per ；-clause: the reading checked when the other fails


@dataclass(eq=False)
class CountSum:
    """"33 个一般公共预算项目，以及 0 个政府性基金项目，共 5 个项目": counts listed in a sentence
    and the "共 N 个" total stated after them (same unit)."""

    total: Amount
    parts: list[Amount]
    para: int
    start: int  # where the total's word (共/共计/合计…) starts
    text: str = ""  # the total as printed with what it counts: "共5个项目"
    labels: list[str] = field(default_factory=list)  # what each part counts


@dataclass(eq=False)
class Claim:
    """"接待费减少" inside a reason text: an item said to have moved in one direction.

    ``basis`` is what the reason explains: a change against the prior year (上年) or against the
    budget (预算); ``of`` is the stated change the reason follows, when there is one.
    """

    item: str
    sign: int
    word: str
    basis: str
    para: int
    start: int  # the item's start in the paragraph
    end: int  # after the direction word
    of: Change | None = None


_NONE: list = []  # type: ignore[type-arg]


@dataclass
class SectionFacts:
    """Everything read from one section."""

    section: Section
    amounts: list[Amount] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    lists: list[ListStmt] = field(default_factory=list)
    count_sums: list[CountSum] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    _by_para: dict[int, list[Amount]] = field(default_factory=dict, repr=False, compare=False)
    _indexed: int = field(default=0, repr=False, compare=False)
    _ordered: bool = field(default=True, repr=False, compare=False)  # amounts appended paragraph by paragraph
    _lists_dropped: int = field(default=0, repr=False, compare=False)  # lists when nested items were last dropped
    _block_titles: dict[int, str] = field(default_factory=dict, repr=False, compare=False)  # by paragraph

    def in_para(self, i: int) -> list[Amount]:
        """The amounts of paragraph ``i``, in the order of :attr:`amounts` (which only ever grows
        by appending: the index takes in the new ones).  Do not change the list returned."""
        if self._indexed != len(self.amounts):
            last = self.amounts[self._indexed - 1].para if self._indexed else -1
            for a in self.amounts[self._indexed:]:
                self._by_para.setdefault(a.para, []).append(a)
                if a.para < last:
                    self._ordered = False
                last = a.para
            self._indexed = len(self.amounts)
        return self._by_para.get(i, _NONE)

    def in_paras(self, first: int, last: int) -> Iterable[Amount]:
        """The amounts of paragraphs ``first`` … ``last``, in the order of :attr:`amounts`: the
        same as filtering :attr:`amounts` by paragraph, taken from the index when the amounts
        were appended in paragraph order (as extraction appends them).  Iterate it once, and do
        not add amounts meanwhile."""
        self.in_para(first)
        if not self._ordered:
            return [a for a in self.amounts if first <= a.para <= last]
        if first == last:
            return self._by_para.get(first, _NONE)
        return chain.from_iterable(self._by_para.get(k, _NONE) for k in range(first, last + 1))

    @property
    def kind(self) -> str | None:
        return self.section.kind

    def head(self) -> Amount | None:
        """The section's main figure: its first actual money amount."""
        for a in self.amounts:
            if a.role == "actual" and a.fig.is_money:
                return a
        return None


KEY_PREFIX = re.compile(r"^.*?\d{4}年度?")
KEY_NOISE = re.compile(r"[（）()“”\"'《》\s【】]|本年|决算|金额|总额|合计|财政拨款|数|的|为|共计|共有")


@lru_cache(maxsize=65536)
def key(label: str) -> str:
    """A name reduced for matching: no department prefix, years, filler words or punctuation.

    (Pure; memoised: the same names recur in every section and every department of a batch.)"""
    return KEY_NOISE.sub("", KEY_PREFIX.sub("", label, count=1))
