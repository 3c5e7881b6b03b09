"""Finding the parts, sections and paragraphs of a disclosure's text.

Lines become paragraphs: a line continues the previous one unless that one ends a sentence
(。！？；：), either is a heading, a numbered item or a table row.  A heading is numbered (一、
（一） 1. （1）) and short, or, unnumbered, a short title naming a known subject and ending in
情况/说明 (Word auto-numbering and HTML headings lose their numbers in the text).  Wrapped lines of a PDF and
the blank lines a PDF-to-text conversion leaves inside a paragraph are therefore joined, while
list items ("其中：" followed by lines) stay apart.  In a PDF a line that fills the page width is
a wrapped line, whatever its last character.

The narrative is the part (第X部分) titled 情况说明 with the most 万元 in it; the table of
contents, which repeats the titles, has none.  Inside it a numbered heading (一、 （一） 1. （1）)
whose title names a known subject starts a section of that kind (see :data:`KINDS`); a heading at
a deeper level inside a recognised section is a sub-heading of it; a heading such as
"关于2019年度决算情况说明" or "其他重要事项的情况说明" only groups sections; any other heading
starts an unrecognised section, which the audit skips and reports.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache
import unicodedata
from dataclasses import dataclass, field

from juesuan.audit.text import Mapped
from juesuan.audit.vocab import content_kind

# (kind, Chinese name, title pattern): first match wins, so specific subjects come first.
KINDS: tuple[tuple[str, str, str], ...] = (
    ("performance", "预算绩效情况说明", r"绩效"),
    ("sangong", "财政拨款“三公”经费支出决算情况说明", r"三公"),
    ("running", "机构运行经费支出决算情况说明", r"(机构|机关)运行经费|运行经费"),
    ("procurement", "政府采购支出决算情况说明", r"政府采购"),
    ("assets", "国有资产占用情况说明", r"国有资产|资产占用"),
    ("general", "一般性支出情况说明", r"一般性支出"),
    ("govfund", "政府性基金预算财政拨款支出决算情况说明", r"政府性基金"),
    ("soe", "国有资本经营预算财政拨款支出决算情况说明", r"国有资本经营"),
    ("fiscal_overall", "财政拨款收入支出决算总体情况说明", r"财政拨款收入支出.*总体|财政拨款收支.*总体"),
    ("gpb_basic", "一般公共预算财政拨款基本支出决算情况说明", r"(一般公共预算|财政拨款).*基本支出|^基本支出"),
    ("gpb_project", "一般公共预算财政拨款项目支出决算情况说明", r"(一般公共预算|财政拨款).*项目支出"),
    ("gpb_expend", "一般公共预算财政拨款支出决算情况说明", r"一般公共预算.*支出"),
    ("project_all", "项目支出决算情况说明", r"^项目支出"),
    ("overall", "收入支出决算总体情况说明", r"收入支出.*总体|收支.*总体"),
    ("income", "收入决算情况说明", r"收入决算"),
    ("expend", "支出决算情况说明", r"支出决算"),
)
KIND_NAMES = {kind: zh for kind, zh, _ in KINDS}
# Statements read by content that name none of the kinds above: their own relations are checked.
KIND_NAMES["statements"] = "其他数字说明"
# Kinds recognised but not checked (their statements follow no relation this audit knows).
UNCHECKED = {"general": "一般性支出（会议费、培训费等）的说明没有可复核的勾稽关系"}
# The sections a format's text should have are the format pack's (audit.outline.AuditOutline).
CONTAINER = re.compile(r"关于.*决算.*说明|^部门决算情况说明$|决算情况说明$|其他重要事项|^情况说明$")

MARKERS: tuple[tuple[int, str], ...] = (
    (1, r"[一二三四五六七八九十]{1,3}[、.]"),
    (2, r"（[一二三四五六七八九十]{1,3}）"),
    (3, r"\d{1,2}(?:[、.](?!\d))"),
    (4, r"（\d{1,2}）"),
    (5, r"[①-⑳]"),
)
MARKER_RX = re.compile("|".join(f"(?P<m{level}>{rx})" for level, rx in MARKERS))
PART_RX = re.compile(r"^第[一二三四五六七八九十]+部分")
PAGE_NUMBER_RX = re.compile(r"^[-—－\s]*(第?\s*\d{1,3}\s*页?(\s*/\s*\d+)?|\d{1,3}\s*/\s*\d{1,3})[-—－\s]*$")
PAGE_NUMBER_FIRST = "-—－第"  # or a digit: what the stripped line of a page number opens with
SENTENCE_END = "。！？；："


@dataclass
class Para:
    """A paragraph (joined lines) with, for each character, its offset in the normalised text."""

    text: str
    pos: Sequence[int]  # a range for a paragraph of one line
    marker: str | None = None
    level: int | None = None
    heading: bool = False
    table: bool = False
    part: bool = False

    @property
    def start(self) -> int:
        return self.pos[0] if self.pos else 0

    @property
    def title(self) -> str:
        """The text after the numbering marker."""
        return self.text[len(self.marker):].strip() if self.marker else self.text


@dataclass
class Section:
    """A section of the narrative: its kind (None when unrecognised), heading and paragraphs."""

    kind: str | None
    heading: Para
    level: int
    paras: list[Para] = field(default_factory=list)
    container: bool = False
    name: str | None = None  # a section read by content has no heading of its own

    @property
    def title(self) -> str:
        return self.name or self.heading.text.rstrip("。")


@dataclass
class Outline:
    """The narrative's sections, and notes on what could not be found."""

    sections: list[Section]
    part_title: str | None
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)
    loose: list[Para] = field(default_factory=list)  # narrative text under no section heading


MARKER_FIRST = frozenset("一二三四五六七八九十（①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")  # or a digit: how a marker opens


def _marker(text: str) -> tuple[str | None, int | None]:
    if not text or not (text[0] in MARKER_FIRST or text[0].isdecimal()):
        return None, None  # (MARKER_RX cannot match)
    m = MARKER_RX.match(text)
    if not m:
        return None, None
    for level, _ in MARKERS:
        if m.group(f"m{level}"):
            return m.group(0), level
    return None, None  # pragma: no cover


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@lru_cache(maxsize=8192)
def _bare_title(text: str) -> bool:
    """A section title printed without numbering (Word auto-numbering, an HTML <h3>): short, no
    figures or clause punctuation, naming a known subject and ending in 情况/说明."""
    title = text.rstrip("。")
    return (len(title) <= 30 and not re.search(r"\d\s*(万元|元|%)|[，；：]", title)
            and bool(re.search(r"(情况|说明)$", title)) and _kind(title) is not None)


def _is_part(text: str) -> bool:
    """Whether ``text`` opens with 第X部分 (``PART_RX.match``; tried only on a text opening with 第)."""
    return text[:1] == "第" and PART_RX.match(text) is not None


BULLET_RX = re.compile(r"[-•·]\s+")
HEADING_NOT_RX = re.compile(r"\d\s*(万元|元|%)|[，；。]")


def _is_heading(text: str, marker: str | None, table: bool) -> bool:
    if table or _is_part(text):
        return _is_part(text) and not table
    if not marker:
        return _bare_title(text)
    title = text[len(marker):].strip().rstrip("。")
    return 0 < len(title) <= 40 and not HEADING_NOT_RX.search(title)


def _span_test(spans: Sequence[tuple[int, int]]) -> Callable[[int], bool]:
    """``lambda x: any(s <= x < e for s, e in spans)``; by bisection when the spans are in order
    and do not overlap (as the table spans found in a text)."""
    if all(s <= e for s, e in spans) and all(a[1] <= b[0] for a, b in zip(spans, spans[1:])):
        starts = [s for s, _ in spans]

        def inside(x: int) -> bool:
            k = bisect_right(starts, x) - 1
            return k >= 0 and x < spans[k][1]
        return inside
    return lambda x: any(s <= x < e for s, e in spans)


def paragraphs(doc: Mapped, table_spans: list[tuple[int, int]] = (), pdf: bool = False) -> list[Para]:
    """Join the lines of ``doc`` into paragraphs (see the module docstring)."""
    lines: list[tuple[str, Sequence[int], bool]] = []
    offset = 0
    in_spans = _span_test(table_spans)
    for raw in doc.text.split("\n"):
        start = offset
        offset += len(raw) + 1
        stripped = raw.strip()
        if not stripped:
            continue
        lead = 0 if stripped is raw else len(raw) - len(raw.lstrip())  # (strip gives back an unchanged str)
        text = stripped
        pos = range(start + lead, start + lead + len(stripped))  # (a list only when lines are joined)
        bullet = BULLET_RX.match(text) if text[0] in "-•·" else None
        if bullet:
            text, pos = text[bullet.end():], pos[bullet.end():]
        if (text[0] in PAGE_NUMBER_FIRST or text[0].isdecimal()) and PAGE_NUMBER_RX.match(text):
            continue
        if text.strip("| ") == "":
            continue
        in_table = bool(table_spans) and in_spans(start + lead)
        table = in_table or "\t" in raw and "\t" in raw.strip(" ") or "|" in text
        lines.append((text, pos, table))
    full = 0
    if pdf:
        widths = sorted(_display_width(t) for t, _, tab in lines if not tab)
        if widths:
            full = int(widths[int(len(widths) * 0.9)] * 0.92)

    out: list[Para] = []
    cur: Para | None = None
    cur_full = False
    for text, pos, table in lines:
        if table:  # (what the lines below give a table row: no marker, heading or part)
            marker, level, heading, part = None, None, False, False
        else:
            marker, level = _marker(text)
            heading = _is_heading(text, marker, table)
            part = _is_part(text)
            if heading and level is None and not part:
                level = 1  # an unnumbered section title ranks with the top numbered ones
        joinable = (cur is not None and not cur.heading and not cur.table and not table and not heading
                    and marker is None and not part
                    and (cur.text[-1] not in SENTENCE_END or cur_full))
        if joinable:
            cur.text += text
            if type(cur.pos) is not list:  # a one-line paragraph keeps a range: a list of its own once joined
                cur.pos = list(cur.pos)
            cur.pos += pos
        else:
            cur = Para(text, pos, marker, level, heading, table, part)
            out.append(cur)
        cur_full = bool(full) and _display_width(text) >= full
    return out


@lru_cache(maxsize=8192)
def _kind(title: str) -> str | None:
    for kind, _, rx in KINDS:
        if re.search(rx, title):
            return kind
    return None


def outline(paras: list[Para]) -> Outline:
    """The sections of the narrative part (see the module docstring)."""
    notes: list[tuple[str, str]] = []
    parts = [i for i, p in enumerate(paras) if p.part]
    body = paras
    part_title = None
    if parts:
        blocks = []
        for n, i in enumerate(parts):
            j = parts[n + 1] if n + 1 < len(parts) else len(paras)
            money = sum(p.text.count("万元") for p in paras[i + 1:j] if not p.table)
            narrative = bool(re.search(r"情况说明|决算说明", paras[i].text))
            blocks.append((narrative, money, i, j))
        narrative, money, i, j = max(blocks, key=lambda b: (b[0] and b[1] > 0, b[1]))
        body, part_title = paras[i + 1:j], paras[i].text
    else:
        notes.append(("未找到「第X部分」标题，在全文中识别章节",
                      "no 第X部分 headings: sections are looked for in the whole text"))

    sections: list[Section] = []
    stack: list[Section] = []
    loose: list[Para] = []
    for p in body:
        if p.heading and p.level is not None:
            while stack and stack[-1].level >= p.level:
                stack.pop()
            if stack and stack[-1].kind is not None and not stack[-1].container:
                stack[-1].paras.append(p)  # a sub-heading of a recognised section
                continue
            title = p.title.rstrip("。")
            container = bool(CONTAINER.search(title)) and _kind(title) in (None, "overall") \
                and not re.search(r"收入支出|收支", title)
            section = Section(None if container else _kind(title), p, p.level, container=container)
            stack.append(section)
            if not container:
                sections.append(section)
            continue
        if stack and not stack[-1].container:
            stack[-1].paras.append(p)
        else:  # before any heading, or directly under a grouping heading
            loose.append(p)
    return Outline(sections, part_title, notes, loose)


def content_outline(paras: list[Para]) -> Outline:
    """Sections read from what the paragraphs say, for a text whose headings name no known
    section (a one-paragraph 三公 statement, a page of a PDF, a web page's fragment): each
    paragraph whose words point to a kind (:func:`~juesuan.audit.vocab.content_kind`) starts a
    section of that kind unless the current section has it already; other paragraphs join the
    current section."""
    sections: list[Section] = []
    for p in paras:
        if p.part:
            continue
        kind = None if p.table else content_kind(p.text)
        if p.heading and kind is None:
            continue  # a heading that names nothing this audit knows
        if sections and (kind is None or kind == sections[-1].kind or sections[-1].kind is None):
            if sections[-1].kind is None and kind is not None:
                sections[-1].kind, sections[-1].name = kind, KIND_NAMES[kind]
            sections[-1].paras.append(p)
            continue
        head = Para(p.text, p.pos, p.marker, p.level, False, p.table, p.part)
        section = Section(kind, head, p.level or 1, name=KIND_NAMES[kind] if kind else None)
        section.paras.append(p)
        sections.append(section)
    for s in sections:
        if s.kind is None and any(re.search(r"\d", p.text) for p in s.paras):
            s.kind, s.name = "statements", KIND_NAMES["statements"]
    notes = [("未识别到章节标题，按内容（三公经费、收入支出总计等）识别所述事项",
              "no section heading recognised: statements are read by what they are about")]
    return Outline([s for s in sections if s.kind is not None], None, notes)


def classify_unrecognised(out: Outline) -> None:
    """A section whose title names no known subject takes the kind its text points to."""
    for s in out.sections:
        if s.kind is None and not s.container:
            kinds = [content_kind(p.text) for p in s.paras if not p.table]
            kinds = [k for k in kinds if k is not None]
            if kinds and len(set(kinds)) == 1:
                s.kind = kinds[0]
