"""Reading the statements of one section: amounts, changes, completion rates, shares and lists.

Everything is regex-based on the normalised paragraph text, in this order, each step claiming
the figures it uses so that no figure is read twice:

1. reason texts (变动原因：… 。, 主要用于…, 开支内容：…) — their figures are background, not data;
2. changes: "与上年决算相比，增加 830.53 万元，增加 37.56%", "较上年下降 5%", "持平";
3. completion rates: "完成年初预算的 96.42%", "执行率为 …%";
4. shares: "占 99.88%", "占政府采购支出总额的 75.42%";
5. the remaining money and count figures, each with a role read from the words before it
   (预算 → budget, 上年 → prior, 单价…以上 → threshold, otherwise actual) and a name;
6. lists: a total followed by "其中：/包括：/主要包括：" and its parts, either inline up to the
   end of the sentence or as the numbered items that follow ((一)(二)…, 1. 2. …);
7. count totals stated after their parts: "33 个…项目，以及 0 个…项目，共 5 个项目";
8. claims inside reason texts: "…过紧日子的要求，接待费减少" — an item and the direction the reason
   says it moved, with the basis (上年 or 预算) of the change the reason explains.  The rest of a
   sentence after a stated change is its reason even without the word 原因.

A statement whose other half cannot be found (a change without the amount it applies to, a
share without a base) is recorded as skipped, with the sentence, rather than guessed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import Iterator, Sequence

from juesuan.audit.changes import _year_marks, last_year, link_change, read_changes, read_comparisons, read_sides, \
    year_by
from juesuan.audit.model import (Amount, Change, Claim, CountSum, Doc, Item, ListStmt, Rate, SectionFacts, Share,
                                 Skip, _stops, segment_span, sentence_span, sign_of)
from juesuan.audit.sections import Para, Section
from juesuan.audit.text import COUNT_UNITS, FIGURE_RX, Figure, figure_at, parse_figure
from juesuan.audit.tolerance import judge, sum_band

NUM = r"\d+(?:\.\d+)?"
REASON_RX = re.compile(r"(?:变动|差异|增减变化|变化|增减)?(?:的)?原因(?:是|为|主要是|主要为|如下|分析)?[：:]?"
                       r"|主要用于(?!以下|如下)|开支内容[：:]|结转和结余事项[：:]")
BASIS = (r"(?:(?:与|比|较)?(?P<b_prior>上年度?(?:决算)?|上一年度?(?:决算)?)|(?:与|比|较)(?P<b_year>\d{4}年度?(?:决算)?)"
         r"|(?:与|比|较)?(?P<b_budget>(?:年初|全年|调整后?)?预算)|(?P<b_yoy>同比))(?:数)?(?:相比|比较|对比)?")
DIRS = r"增加|减少|增长|下降|上升|降低|节约|超支|持平|无变化|无差异|相同"
CHANGE_RX = re.compile(
    rf"{BASIS}[，]?(?P<filler>[^，。；\d%]{{0,12}}?)(?P<dir>{DIRS})了?"
    rf"(?:(?P<amt>{NUM})(?P<unit>万元|亿元|元)|(?P<pct1>{NUM})%)?"
    rf"(?:[，（]?(?:幅度|比例)?(?P<dir2>增加|减少|增长|下降|上升|降低)了?(?:幅度)?(?:为|达)?(?P<pct>{NUM})%）?)?")
RATE_RX = re.compile(rf"完成了?(?:年初|全年|调整后?)?预算(?:数)?(?:为?(?P<bamt>{NUM})(?P<bunit>万元|亿元|元)的)?的?(?P<pct>{NUM})%"
                     rf"|(?:预算)?(?:执行|完成)(?:率|进度)(?:为|达到|达)?(?P<pct2>{NUM})%")
SHARE_RX = re.compile(rf"(?:所)?占(?P<base>[^，。；%\d]{{0,40}}?)(?:的)?(?:比重|比例|份额)?(?:为|是|达)?(?P<pct>{NUM})%")
MORE_PCTS_RX = re.compile(rf"(?:(?:[、，]|和|及|与)\s*{NUM}%)+")  # "、q% 和 r%" after a share
LIST_WORDS = ("包括", "主要有", "其中", "分别")  # one is in every LIST_RX match


def has_list_word(text: str) -> bool:
    """``any(w in text for w in LIST_WORDS)``, spelt out (a generator costs more than the tests)."""
    return "包括" in text or "主要有" in text or "其中" in text or "分别" in text


def has_reason_word(text: str) -> bool:
    """``any(w in text for w in REASON_WORDS)``, spelt out."""
    return "原因" in text or "主要用于" in text or "开支内容" in text or "结转和结余事项" in text

LIST_FIRSTS = "主具包其分"  # what every LIST_RX match starts with (for starting_with)
RATE_FIRSTS = "完预执"  # what every RATE_RX match starts with
LIST_RX = re.compile(r"(?P<word>主要包括|具体包括|主要有|包括|其中|分别为|分别是)[：，]"
                     r"|(?P<bare>其中)(?=[\u4e00-\u9fff“（])(?!的|有|包括|主要|之)")
BOUNDARY = "，。；：、"
ROLE_WORDS = re.compile(r"(?:(?:年初|全年|调整后?)?(?:预算|决算)(?:数)?|执行数|为|是|共计|达到|达)+$")
GENERIC = {"", "支出", "收入", "决算", "预算", "合计", "总计", "金额", "资金", "本年", "累计", "接待"}
PAIR_RX = re.compile(r"收入、支出|收、支|收支")
HAN_RX = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=8192)
def _han(text: str) -> int:
    """How many Chinese characters ``text`` has (pure; names recur)."""
    return len(HAN_RX.findall(text))


def extract(section: Section, doc: Doc) -> SectionFacts:
    """All statements of ``section`` (see the module docstring)."""
    facts = SectionFacts(section)
    paras = section.paras
    para_year: int | None = None
    for i, p in enumerate(paras):
        named = last_year(p.text, len(p.text))
        if p.table or p.heading and not _has_figures(p):
            para_year = named if named is not None else para_year
            continue
        first_change = len(facts.changes)
        _read_paragraph(facts, doc, i, p, para_year)
        para_year = named if named is not None else para_year
        _read_count_sums(facts, i, p)
        _read_claims(facts, i, p, facts.changes[first_change:])  # (paragraph i's changes: read just now)
    for i, p in enumerate(paras):
        if not p.table:
            _read_lists(facts, doc, i, p)
            _bracket_lists(facts, i, p)
    _link(facts, doc)
    return facts


def starting_with(rx: re.Pattern[str], firsts: str, text: str, pos: int = 0,
                  endpos: int | None = None) -> Iterator[re.Match[str]]:
    """``rx.finditer(text, pos, endpos)`` for a pattern whose every match starts with one of the
    characters ``firsts`` and is not empty, and which looks behind nothing: ``rx.match`` tried
    only where one of them is (the attempt finditer makes there), not at every position."""
    end = len(text) if endpos is None else min(endpos, len(text))
    cands = _stops(text, firsts)  # (the positions of those characters, in order)
    last = pos
    for k in range(bisect_left(cands, pos), len(cands)):
        q = cands[k]
        if q >= end:
            return
        if q < last:
            continue
        m = rx.match(text, q, end)
        if m is not None:
            yield m
            last = m.end()


def _has_figures(p: Para) -> bool:
    return FIGURE_RX.search(p.text) is not None


SEMI_THEN_OF = re.compile(r"；(?=其中)")


REASON_WORDS = ("原因", "主要用于", "开支内容", "结转和结余事项")  # every match of REASON_RX holds one
REASON_LEAD = len("增减变化的")  # the most characters of a REASON_RX match before its reason word


def _reason_matches(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, words) of each :data:`REASON_RX` match of a paragraph."""
    if not has_reason_word(text):  # (most paragraphs: no memo entry made for them)
        return ()
    return _scan_reasons(text)


@lru_cache(maxsize=1024)
def _scan_reasons(text: str) -> tuple[tuple[int, int, str], ...]:
    """:func:`_reason_matches` of a paragraph holding a reason word (pure; asked three times)."""
    out = []
    pos = 0
    while True:  # REASON_RX.finditer(text), trying the pattern only just before a reason word:
        # a match holds one within its first REASON_LEAD + 1 characters, and no look-behind
        # reaches before it, so ``match`` where it starts is the attempt finditer makes there
        j = min([k for k in (text.find(w, pos) for w in REASON_WORDS) if k >= 0], default=-1)
        if j < 0:
            return tuple(out)
        for q in range(max(pos, j - REASON_LEAD), j + 1):
            m = REASON_RX.match(text, q)
            if m is not None:
                out.append((m.start(), m.end(), m.group(0)))
                pos = m.end()
                break
        else:
            pos = j + 1


def _reason_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each reason text of a paragraph."""
    if not has_reason_word(text):  # (as _reason_matches)
        return ()
    return _reason_spans_of(text)


@lru_cache(maxsize=256)
def _reason_spans_of(text: str) -> tuple[tuple[int, int], ...]:
    """:func:`_reason_spans` of a paragraph holding a reason word (pure; a paragraph asks twice)."""
    spans = []
    for start, end, words in _reason_matches(text):
        stop = "；。" if words.startswith("开支内容") else "。"
        ends = [j for j in (text.find(ch, end) for ch in stop) if j >= 0]
        ends += [x.start() for x in SEMI_THEN_OF.finditer(text, end)]
        spans.append((start, min(ends) if ends else len(text)))
    return tuple(spans)


def _inside(at: int, spans: Sequence[tuple[int, int]]) -> bool:
    for s, e in spans:
        if s <= at < e:
            return True
    return False


def _fig(text: str, start: int, unit: str) -> Figure:
    return figure_at(text, start, unit)


FUND_NAMES = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|预算单位|部门预算|预算管理")


RATE_BUDGET_LABEL = re.compile(r"完成了?(?:年初|全年|调整后?)?预算(?:数)?为?$")
THRESHOLDS = ("（含）以上", "以上", "以下")  # after a figure: a threshold ("单价100万元以上")
PER_UNIT_LABEL = re.compile(r"平均|人均|户均|车均|单车|每[辆人户个台次件套项]")
ROUGH_LABEL = re.compile(r"(?:突破|超过|逾|不足|近|约)$")  # "首次突破 2 万亿元": a mark passed, not the figure
CHANGE_LABEL_RX = re.compile(r"(差值|差额|差异)(?:为|是)?$")
DONE_RX = re.compile(r"完成|执行")
PRIOR_LABEL_RX = re.compile(r"上年(?:决算)?(?:数)?(?:为|是)?$")


@lru_cache(maxsize=8192)
def _label_role(label: str) -> str:
    """The role its label gives a figure that is not a reason's (pure; labels recur in every
    department): threshold, average (per unit), rate_budget (a completion rate's own budget when
    "的" follows the figure), change, budget, prior or actual."""
    if label.endswith("单价") or ROUGH_LABEL.search(label):
        return "threshold"
    if PER_UNIT_LABEL.search(label):
        return "average"  # "平均每辆车运行维护费 5.41 万元": per unit, part of no total
    if RATE_BUDGET_LABEL.search(label):
        return "rate_budget"  # (the caller decides: a budget when "的" follows the figure)
    if CHANGE_LABEL_RX.search(label):
        return "change"
    if "预算" in FUND_NAMES.sub("", label) and not DONE_RX.search(label):
        return "budget"
    if PRIOR_LABEL_RX.search(label):
        return "prior"
    return "actual"


def _read_paragraph(facts: SectionFacts, doc: Doc, i: int, p: Para, para_year: int | None = None) -> None:
    text = p.text
    reasons = _reason_spans(text)
    claimed: list[tuple[int, int]] = []
    stated: dict[int, Rate] = {}  # where a rate prints its own budget → the rate
    first_new = len(facts.amounts)  # paragraph i's amounts are all appended below (read once, in order)
    read_sides(facts, i, text, claimed, para_year or doc.year)
    read_changes(facts, i, text, reasons, claimed, doc.year)
    read_comparisons(facts, i, text, claimed)
    for m in starting_with(RATE_RX, RATE_FIRSTS, text) if "%" in text and ("完成" in text or "执行" in text) else ():
        if _inside(m.start(), reasons) or _inside(m.start(), claimed):
            continue
        g = "pct" if m.group("pct") else "pct2"
        facts.rates.append(Rate(_fig(m.group(g), m.start(g), "%"), i, m.start(), m.end()))
        claimed.append((m.start(), m.end()))
        if m.group("bamt"):  # "完成全年预算 84.82 万元的 73.2%": the budget is printed inside the rate
            stated[m.start("bamt")] = facts.rates[-1]
    for m in SHARE_RX.finditer(text) if "占" in text and "%" in text else ():  # (in every match)
        if _inside(m.start(), reasons) or _inside(m.start("pct"), claimed):
            continue
        base = re.sub(r"^(比重|比例|比)", "", m.group("base")).strip()
        first = Share(_fig(m.group("pct"), m.start("pct"), "%"), base, "", i, m.start(), m.end())
        facts.shares.append(first)
        claimed.append((m.start(), m.end()))
        more = MORE_PCTS_RX.match(text, m.end())
        if more:  # "分别为 a、b 和 c 亿元，占…的 p%、q% 和 r%": one share per amount, in order
            pcts = list(re.finditer(rf"({NUM})%", more.group(0)))
            first.lead, first.run = first, len(pcts) + 1
            for k, pm in enumerate(pcts, 1):
                at = more.start() + pm.start(1)
                facts.shares.append(Share(_fig(pm.group(1), at, "%"), base, "", i, at, more.start() + pm.end(),
                                          lead=first, rank=k, run=first.run))
            claimed.append((more.start(), more.end()))
    bounds = None  # (what each figure's label is cut at: once per paragraph, at its first figure)
    marks = _year_marks(text)
    for m in FIGURE_RX.finditer(text):  # as figures(text), parsing only the figures kept
        if stated and m.start() in stated:
            budget = Amount(parse_figure(m), "budget", "预算数", "", i, m.start(), year_by(marks, m.start(), para_year),
                            in_rate=True)
            stated[m.start()].budget = budget
            facts.amounts.append(budget)
            continue
        if m.group("unit") == "%" or claimed and _inside(m.start(), claimed):
            continue
        f = parse_figure(m)
        at = f.start
        if bounds is None:
            bounds = _stops(text, BOUNDARY)
        label = _label(text, at, p, bounds)
        in_rate = False
        if reasons and _inside(at, reasons):
            role = "reason"
        elif text.startswith(THRESHOLDS, f.end):
            role = "threshold"
        else:
            role = _label_role(label)
            if role == "rate_budget":  # "完成预算 0 万元的--%": a rate's budget, its rate not a figure
                role, in_rate = ("budget", True) if text.startswith("的", f.end) else ("actual", False)
        facts.amounts.append(Amount(f, role, label, "", i, at, year_by(marks, at, para_year), in_rate))
    for a in facts.amounts[first_new:]:
        if a.para == i and not a.name:
            a.name = _name(a, facts, doc)


# ---------------------------------------------------------------- count totals

COUNT_TOTAL_RX = re.compile(r"(?:共计|共有|合计|总计|共)(?:为|有|达)?$")
COUNTED = tuple(u for u in COUNT_UNITS if u != "分")  # 分: points of a 绩效自评表, not counted things


def _read_count_sums(facts: SectionFacts, i: int, p: Para) -> None:
    """"A 33 个、B 0 个，共 5 个": a count total after at least two counts of the same unit in its
    sentence.  The parts start after the sentence's previous total and after its last "其中"
    (in "项目 33 个，其中一级 0 个，二级 33 个，共 33 个" the parts are the 一级 and 二级)."""
    text = p.text
    counts = [a for a in facts.in_para(i) if a.role == "actual" and a.fig.unit in COUNTED]
    last_total: dict[int, int] = {}  # sentence start → end of its previous total
    for a in counts:
        word = COUNT_TOTAL_RX.search(text, max(0, a.at - 4), a.at)
        if word is None:
            continue
        s, _ = sentence_span(text, a.at)
        fence = max(s, last_total.get(s, s), text.rfind("其中", s, word.start()) + 2)
        parts = [b for b in counts if fence <= b.at < word.start() and b.fig.unit == a.fig.unit]
        last_total[s] = a.fig.end
        if len(parts) >= 2:
            facts.count_sums.append(CountSum(a, parts, i, word.start(), text[word.start():a.fig.end]
                                             + _count_noun(text, a.fig),
                                             [_count_noun(text, b.fig) or b.name for b in parts]))


def _count_noun(text: str, fig: Figure) -> str:
    """What a count counts, when the noun follows it: "33 个一般公共预算项目，" → "一般公共预算项目"."""
    m = re.match(r"[^，。；：、（）\d]*", text[fig.end:])
    return re.split(r"的", m.group(0) if m else "", maxsplit=1)[0]


# ---------------------------------------------------------------- claims in reason texts

CLAIM_DIR = re.compile(r"(?P<dir>增加|减少|增长|下降|上升|降低)了?(?=$|[，。；、）\s\d])")
CLAIM_LEAD = re.compile(r"^(?:[一二三四五六七八九十]是|\d+[.、]|（[一二三四五六七八九十\d]+）|主要是|主要|其中|由于|因为|因"
                        r"|相应的?|导致|致使|使得?|造成|从而|所以|因此|同时|\d{4}年度?|相较于上一?年度?|较上一?年度?"
                        r"|与上一?年度?相比|比上一?年度?)+")
CLAIM_TAIL = re.compile(r"(?:也|均|都|亦|相应|有所|略有|大幅度?|明显|较大幅度|较多|较大|进一步|逐步|持续|同比"
                        r"|较上一?年度?|比上一?年度?|较去年|相较于上一?年度?|较预算|比预算)+$")
NEGATION = re.compile(r"(?:未|没有|不|无)$")
PRIOR_YEAR_RX = re.compile(r"上一?年|去年")


def _reason_clauses(facts: SectionFacts, i: int, text: str,
                    own: list[Change]) -> list[tuple[int, int, str, Change | None]]:
    """(start, end, basis, change explained) of each reason text of paragraph ``i``: what follows
    原因/变动原因 (basis from the change before it in the sentence, else from 预算/上年 in the
    words before it), and the rest of a sentence after a stated change (its basis).  ``own``:
    changes that include all of paragraph ``i``'s (those read with it)."""
    out: list[tuple[int, int, str, Change | None]] = []
    changes = sorted((c for c in own if c.para == i), key=_start)
    if not changes and not has_reason_word(text):  # (then _reason_matches(text) is empty too)
        return out
    for m_start, m_end, words in _reason_matches(text):
        if words.startswith(("主要用于", "开支内容", "结转和结余")):
            continue
        s, e = sentence_span(text, m_start)
        before = [c for c in changes if s <= c.start < m_start]
        lead = text[s:m_start]
        if before:
            basis, of = before[-1].basis, before[-1]
        elif "预算" in lead and not PRIOR_YEAR_RX.search(lead):
            basis, of = "预算", None
        elif PRIOR_YEAR_RX.search(lead) and "预算" not in lead:
            basis, of = "上年", None
        else:
            continue
        out.append((m_end, e, basis, of))
    for n, c in enumerate(changes):
        _, e = sentence_span(text, c.start)
        nxt = [d.start for d in changes[n + 1:] if d.start < e]
        out.append((c.end, min(nxt) if nxt else e, c.basis, c))
    return out


def _start(c: Change) -> int:
    return c.start


def _read_claims(facts: SectionFacts, i: int, p: Para, own: list[Change]) -> None:
    """Items a reason text says increased or decreased ("接待费减少", "维修费、餐补等费用较上年增加").
    ``own``: as for :func:`_reason_clauses`."""
    text = p.text
    seen: set[int] = set()
    for start, end, basis, of in _reason_clauses(facts, i, text, own):
        for m in CLAIM_DIR.finditer(text, start, end):
            if m.start() in seen:
                continue
            seen.add(m.start())
            chunk_start = max([start] + [text.rfind(ch, start, m.start()) + 1 for ch in "，。；：:"])
            chunk = CLAIM_TAIL.sub("", text[chunk_start:m.start()])
            if NEGATION.search(chunk):
                continue
            at = chunk_start
            for part in chunk.split("、"):
                lead = CLAIM_LEAD.match(part)
                item = re.sub(r"等(?:费用|支出|经费|项目)?$", "", part[lead.end() if lead else 0:])
                offset = at + (lead.end() if lead else 0)
                at += len(part) + 1
                if re.search(r"\d", item) or len(HAN_RX.findall(item)) < 2:
                    continue
                facts.claims.append(Claim(item, sign_of(m.group("dir")), m.group("dir"), basis,
                                          i, offset, m.end("dir"), of))


LABEL_UNITS = r"(?:万亿元|万元|亿元|元|%|个|辆|批次|人次|台（套）|台|套|人|次|项|件|份|名)"
LABEL_FIGURE_RX = re.compile(rf"\d\d*(?:\.\d+)?\s*{LABEL_UNITS}")  # \d\d* is \d+: opening with a digit, it is skipped to
LABEL_FIGURE_RX_PLAIN = re.compile(rf"{NUM}\s*{LABEL_UNITS}")


def _label(text: str, at: int, p: Para, bounds: list[int] | None = None) -> str:
    """The words just before position ``at`` (a figure's start): back to the last punctuation or
    figure.  ``bounds``: the positions of the :data:`BOUNDARY` characters of ``text``, when the
    caller has them.  A figure match holds no boundary character and none runs across ``at`` (a
    figure starts there, after no digit), so the last figure of ``text[:at]`` after the last
    boundary is the last match of a scan of the words between them."""
    if bounds is None:
        bounds = _stops(text, BOUNDARY)
    k = bisect_left(bounds, at)
    start = bounds[k - 1] + 1 if k else 0  # the last of them before ``at``, as rfind(ch, 0, at)
    if at - start >= 2:  # (a figure: a digit and a unit at least)
        for m in LABEL_FIGURE_RX.finditer(text, start, at):
            start = m.end()
    if p.marker and start < len(p.marker):
        start = len(p.marker)
    return text[start:at].strip()


@lru_cache(maxsize=8192)
def _strip(name: str) -> str:
    name = re.sub(r"^.*?\d{4}年度?", "", name)
    name = re.sub(r"^(其中|包括|主要包括|主要有)[：，]?", "", name)
    return ROLE_WORDS.sub("", name).strip("：，、 ")


@lru_cache(maxsize=8192)
def _own_name(label: str) -> str | None:
    """The name a label gives its amount (its last 40 characters), None when it names nothing
    specific (pure; labels recur)."""
    own = _strip(label)
    return own[-40:] if own not in GENERIC and _han(own) >= 2 else None


def _name(a: Amount, facts: SectionFacts, doc: Doc) -> str:
    """What ``a`` is an amount of: its label, else its segment's subject, else its item's title."""
    own = _own_name(a.label)
    if own is not None:
        return own
    s, _ = segment_span(facts.section.paras[a.para].text, a.at)
    for b in facts.in_para(a.para):  # the first amount of its segment before it
        if s <= b.at < a.at:
            subject = _own_name(b.label)
            if subject is not None:
                return subject
            break
    titles = facts._block_titles
    title = titles.get(a.para)
    if title is None:
        title = titles[a.para] = _block_title(facts.section, a.para)  # (the section's paragraphs do not change)
    return title[-40:] if title else facts.section.title


def _block_title(section: Section, i: int) -> str:
    for k in range(i, -1, -1):
        p = section.paras[k]
        if p.marker:
            title = re.split(r"[。：，]|\d", p.title, maxsplit=1)[0]
            return _strip(title) or title
    return ""


def block_start(section: Section, i: int) -> int:
    """The first paragraph of the numbered item (or the section's opening text) holding ``i``."""
    for k in range(i, -1, -1):
        if section.paras[k].marker or section.paras[k].heading:
            return k
    return 0


def _nearest(facts: SectionFacts, i: int, at: int, role: str, unit: str | None,
             first_in_block: bool = False) -> Amount | None:
    """The amount of ``role`` before ``at``: in its segment, its sentence, then its block."""
    p = facts.section.paras[i]
    own = [a for a in facts.in_para(i) if a.role == role and (unit is None or a.fig.unit == unit)]
    for span in (segment_span(p.text, at), sentence_span(p.text, at)):
        hits = [a for a in own if span[0] <= a.at < at]
        if hits:
            return hits[-1]
    start = block_start(facts.section, i)
    hits = [a for a in facts.in_paras(start, i) if a.role == role and (unit is None or a.fig.unit == unit)
            and (a.para < i or a.at < at)]
    if not hits:
        return None
    return hits[0] if first_in_block else hits[-1]


def _read_lists(facts: SectionFacts, doc: Doc, i: int, p: Para) -> None:
    if not has_list_word(p.text):
        _drop_nested(facts)
        return
    reasons = _reason_spans(p.text)
    paras = facts.section.paras
    for m in starting_with(LIST_RX, LIST_FIRSTS, p.text):
        if _inside(m.start(), reasons):
            continue
        word = m.group("word") or m.group("bare")
        s, _ = sentence_span(p.text, m.start())
        before = [a for a in facts.in_para(i) if s <= a.at < m.start() and a.role in ("actual", "budget")
                  and not a.in_rate]  # (a rate's own budget heads no list)
        head = before[-1] if before else _previous_sentence_total(facts, i, s, m.start())
        rest = p.text[m.end():].strip()
        items: list[Item] = []
        stream = None
        if not rest and i + 1 < len(paras) and paras[i + 1].marker and not paras[i + 1].table:
            if head is None:
                continue
            items = _numbered_items(facts, i + 1, head)
        else:
            stream = _stream(paras, i, m.end())
            stream = _cut_at_next_list(paras, stream, word)
            enclosed = _inside_enclosing(facts, paras, stream, i, m.start())
            if head is None:
                continue
            summed = None
            if enclosed != stream and head.role != "budget":  # (a budget head's items take its role)
                # a nested list may run on over its enclosing list's next ；-clauses, as far as they add up
                summed = _summing_clauses(facts, paras, stream, _stream_items(facts, stream, head), head)
            if summed is None:
                stream = enclosed
                items = _stream_items(facts, stream, head)
                summed = _summing_clauses(facts, paras, stream, items, head)
            if summed is not None:
                items, stream = summed
            if len(items) < 2 and not rest and _paragraph_items(facts, i + 1, head):
                items, stream = _paragraph_items(facts, i + 1, head), None
        if not items:
            continue
        partial_word = word in ("主要包括", "主要有")
        ends_with_etc = stream is not None and re.search(r"等[^，。；、]{0,6}$", _stream_text(paras, stream))
        complete = not partial_word and not ends_with_etc and len(items) >= 2
        head_text = paras[head.para].text
        pair = bool(PAIR_RX.search(head_text[segment_span(head_text, head.at)[0]:head.at])) and not stream
        groups = _by_classification(paras, stream, items) if stream is not None else None
        if groups is not None:  # "其中：按功能分类，A…；按经济分类，B…": one breakdown each
            for group in groups:
                facts.lists.append(ListStmt(head, word, group, complete and len(group) >= 2, False, i, m.start(),
                                            stream))
            continue
        lst = ListStmt(head, word, items, complete, pair, i, m.start(), stream)
        if stream is not None and "；" in _stream_text(paras, stream):
            alt = _first_per_clause(facts, items)
            lst.alt_items = alt if len(alt) < len(items) else None
        facts.lists.append(lst)
    _drop_nested(facts)


CLASSIFIED_RX = re.compile(r"按[^，。；：、\d]{0,12}?(?:分类|划分)")


def _by_classification(paras: list[Para], stream: tuple[int, int, int, int], items: list[Item]) -> list[list[Item]] | None:
    """The items of a list that gives one total two ways ("按功能分类科目，…按经济分类科目，…"),
    split at each "按…分类": None unless there are two such ways with items after each."""
    i, start, k, end = stream
    for x in range(i, k + 1):
        if "分类" in paras[x].text or "划分" in paras[x].text:
            break
    else:
        return None  # (in every match: most lists give their total one way)
    marks = [(x, mm.start()) for x in range(i, k + 1)
             for mm in CLASSIFIED_RX.finditer(paras[x].text, start if x == i else 0, end if x == k else len(paras[x].text))]
    if len(marks) < 2:
        return None
    groups: list[list[Item]] = [[] for _ in marks]
    for it in items:
        before = [n for n, mark in enumerate(marks) if mark <= (it.amount.para, it.amount.at)]
        if before:
            groups[before[-1]].append(it)
    groups = [g for g in groups if g]
    return groups if len(groups) >= 2 else None


def _summing_clauses(facts: SectionFacts, paras: list[Para], stream: tuple[int, int, int, int], items: list[Item],
                     head: Amount) -> tuple[list[Item], tuple[int, int, int, int]] | None:
    """A list whose items run on across ；-clauses but do not add up to its total ends with the
    clauses that do: "公务用车费 1054，其中运行维护费 1054，购置 0；因公出国费 20" — the clause
    after them is the total's sibling, not its part.  The items and the stream cut there, or None
    (also when every clause together adds up: "…2.43；…16.14；公务接待费 0.00" with 18.57 — a part
    of 0.00 adds nothing, yet it is a part).  Of several cuts that add up, the one keeping most."""
    if len(items) < 2 or "；" not in _stream_text(paras, stream) or _by_classification(paras, stream, items):
        return None  # (a total given two ways is split at its "按…分类", not where a way adds up)
    clauses: list[tuple[tuple[int, int], list[Item]]] = []
    for it in items:
        text = paras[it.amount.para].text
        seg = (it.amount.para, segment_span(text, it.amount.at)[1])
        if clauses and clauses[-1][0] == seg:
            clauses[-1][1].append(it)
        else:
            clauses.append((seg, [it]))
    if len(clauses) < 2 or _adds_up(head, items):
        return None
    for n in range(len(clauses) - 1, 0, -1):
        taken = [it for _, group in clauses[:n] for it in group]
        if _adds_up(head, taken):
            para, end = clauses[n - 1][0]
            return taken, (stream[0], stream[1], para, end)
    return None


def _adds_up(head: Amount, items: list[Item]) -> bool:
    return judge(head.fig, *sum_band(it.amount.fig for it in items)).status in ("ok", "info")


def _drop_nested(facts: SectionFacts) -> None:
    """An inline list's items exclude the items (and heads' lists) of lists nested inside it.

    (Idempotent while no list is added: a second pass finds nothing more to drop, so it is skipped.)"""
    if facts._lists_dropped == len(facts.lists):
        return
    facts._lists_dropped = len(facts.lists)
    for outer in facts.lists:
        if outer.stream is None:
            continue
        inner_items = {id(it.amount) for other in facts.lists if other is not outer and other.stream
                       and _in_stream(other.head, outer.stream) for it in other.items}
        kept = [it for it in outer.items if id(it.amount) not in inner_items]
        if len(kept) < len(outer.items) and len(kept) < 2:
            outer.complete = False  # one part left once its sub-parts go: no decomposition claimed
        outer.items = kept


def _previous_sentence_total(facts: SectionFacts, i: int, s: int, at: int) -> Amount | None:
    """The total of a list whose word opens its sentence ("…决算为 22.62 万元。其中：…"): in the
    nearest sentence before (in the paragraph, or ending the one before) that states an actual
    amount, that amount when it is alone, else the last one ("A x，B y，C z。其中：…" details C);
    else the first budget of the sentence just before."""
    text = facts.section.paras[i].text
    if text[s:at].strip("，：、 "):
        return None  # words before 其中 name the total ("分为货物、工程和服务三类。其中…" has none)
    para, end = i, s
    if s == 0:
        para = i - 1
        if para < 0 or facts.section.paras[para].table:
            return None
        end = len(facts.section.paras[para].text)
    ptext = facts.section.paras[para].text
    budgets: list[Amount] = []
    for _ in range(3):
        if end <= 0:
            break
        ps, _ = sentence_span(ptext, end - 1)
        hits = [a for a in facts.in_para(para) if ps <= a.at < end and a.fig.is_money]
        actual = [a for a in hits if a.role == "actual"]
        if actual:
            return actual[0] if len(actual) == 1 else actual[-1]
        if not budgets:
            budgets = [a for a in hits if a.role == "budget"]
        end = ps
    return budgets[0] if budgets else None


def _paragraph_items(facts: SectionFacts, j: int, head: Amount) -> list[Item]:
    """"…基本支出 X 元，其中：" then one paragraph per part ("人员经费 A 元，主要包括：…。" /
    "公用经费 B 元，主要包括：…。"): the first amount of each paragraph that opens with one, up
    to a heading, a table, a numbered paragraph or one that does not."""
    paras = facts.section.paras
    items = []
    for k in range(j, len(paras)):
        q = paras[k]
        if q.heading or q.table or q.marker:
            break
        first_clause = re.split(r"[，。；：]", q.text, maxsplit=1)[0]
        if not facts.in_para(k):
            continue  # a continuation ("基本工资、津贴补贴、…") of the item before
        own = [a for a in facts.in_para(k) if a.at < len(first_clause) and a.fig.unit == head.fig.unit
               and a.role in (head.role, "actual")]
        if len(own) != 1:
            break
        items.append(Item(own[0]))
    return items if len(items) >= 2 else []


@lru_cache(maxsize=1024)
def _list_starts(text: str) -> tuple[int, ...]:
    """Where each :data:`LIST_RX` match of a paragraph starts (pure; a paragraph is asked once
    per list whose items it opens)."""
    return tuple(m.start() for m in starting_with(LIST_RX, LIST_FIRSTS, text))


def _numbered_items(facts: SectionFacts, j: int, head: Amount) -> list[Item]:
    paras = facts.section.paras
    level = paras[j].level
    blocks: list[list[int]] = []
    for k in range(j, len(paras)):
        q = paras[k]
        if q.table:
            break
        if q.marker and q.level is not None and level is not None and q.level < level:
            break
        if q.marker and q.level == level:
            blocks.append([k])
        elif blocks:
            blocks[-1].append(k)
    items = []
    unit = head.fig.unit
    for block in blocks:  # (each block is a run of consecutive paragraphs)
        first = next((a for a in facts.in_paras(block[0], block[-1]) if a.role == "actual" and a.fig.unit == unit),
                     None)
        if first is None:
            continue
        lists_at = _list_starts(paras[first.para].text)
        cut = min([x for x in lists_at if x > first.at], default=None)
        budgets = [a for a in facts.in_para(first.para) if a.role == "budget"
                   and (cut is None or a.at < cut)]
        items.append(Item(first, budgets[0] if len(budgets) == 1 else None))
    return items


def _stream(paras: list[Para], i: int, start: int) -> tuple[int, int, int, int]:
    """Inline list items: from ``start`` to the end of the sentence, across unnumbered paragraphs."""
    k, pos = i, start
    opened = paras[i].text[:start]
    if opened.count("（") > opened.count("）"):  # a list inside a bracket ends with it
        close = _closing(paras[i].text, start)
        if close is not None:
            return i, start, i, close
    while True:
        text = paras[k].text
        end = text.find("。", pos)
        if end >= 0:
            return i, start, k, end
        nxt = k + 1
        if nxt >= len(paras) or paras[nxt].marker or paras[nxt].heading or paras[nxt].table:
            return i, start, k, len(text)
        k, pos = nxt, 0


def _inside_enclosing(facts: SectionFacts, paras: list[Para], stream: tuple[int, int, int, int], i: int,
                      at: int) -> tuple[int, int, int, int]:
    """A list opened inside another list's items ("其中：基本支出 60，其中：人员经费 50、公用经费
    10；项目支出 40") ends with its ；-clause: what follows is the enclosing list's next item."""
    if not any(lst.stream is not None and _in_stream_pos(i, at, lst.stream) for lst in facts.lists):
        return stream
    _, seg_end = segment_span(paras[i].text, at)
    si, start, k, end = stream
    if (k, end) > (i, seg_end):
        return si, start, i, seg_end
    return stream


def _closing(text: str, start: int) -> int | None:
    """Where the bracket open at ``start`` closes."""
    depth = 0
    for j in range(start, len(text)):
        if text[j] == "（":
            depth += 1
        elif text[j] == "）":
            if depth == 0:
                return j
            depth -= 1
    return None


def _bracket_lists(facts: SectionFacts, i: int, p: Para) -> None:
    """"公务用车购置及运行维护费 28 万元（公务用车购置费 0 万元，公务用车运行维护费 28 万元）": a
    bracketed breakdown of the amount just before it, when it holds two amounts or more."""
    opened = p.text.find("（")
    while opened >= 0:  # each "（", as re.finditer("（") finds them
        start, end = opened, opened + 1
        opened = p.text.find("（", end)
        close = _closing(p.text, end)
        if close is None or next(starting_with(LIST_RX, LIST_FIRSTS, p.text, end, close), None):
            continue
        before = [a for a in facts.in_para(i) if a.at < start and a.fig.is_money]
        if not before or before[-1].fig.end + 1 < start - 1 and p.text[before[-1].fig.end:start].strip():
            continue
        head = before[-1]
        inside = [a for a in facts.in_para(i) if end <= a.at < close and a.role == head.role
                  and a.fig.unit == head.fig.unit]
        if not inside:  # "（购置费0、运行维护费21）": bare figures in the unit of the amount before
            inside = _bare_amounts(p.text, end, close, head, i)
        if len(inside) >= 2:
            facts.lists.append(ListStmt(head, "（", [Item(a) for a in inside], True, False, i, start,
                                        (i, end, i, close)))


def _bare_amounts(text: str, start: int, end: int, head: Amount, i: int) -> list[Amount]:
    """"名称 数字" pairs without a unit inside a bracket, read in the unit ``head`` is printed in."""
    printed = re.search(r"(万元|亿元|元)$", head.fig.text)
    unit = printed.group(1) if printed else "万元"
    out = []
    for b in re.finditer(r"(?P<label>[\u4e00-\u9fff（）]{2,20}?)(?:为|是)?(?P<num>\d+(?:\.\d+)?)(?![\d.%])", text[start:end]):
        fig = _fig(b.group("num"), start + b.start("num"), unit)
        out.append(Amount(fig, head.role, b.group("label"), _strip(b.group("label")) or b.group("label"), i,
                          start + b.start("num"), head.year))
    return out


def _cut_at_next_list(paras: list[Para], stream: tuple[int, int, int, int],
                      word: str) -> tuple[int, int, int, int]:
    """End an inline list before a parallel one: a later clause opening a list with the same
    word ("人员经费…，主要包括：…；公用经费…，主要包括：…").  Lists opened with another word are
    nested in this one ("其中：人员经费…，主要包括：…") and do not end it, and so are lists with the
    same word when the first item already has one ("其中：基本支出 60，其中：…；项目支出 40，其中：…")."""
    i, start, k, end = stream
    first_end = segment_span(paras[i].text, start)[1]
    if any((m.group("word") or m.group("bare")) == word
           for m in starting_with(LIST_RX, LIST_FIRSTS, paras[i].text, start, min(first_end, len(paras[i].text)))):
        return stream  # its first item has a list of its own: the later ones are its items' lists too
    for x in range(i, k + 1):
        text = paras[x].text
        lo = start if x == i else 0
        hi = end if x == k else len(text)
        for m in starting_with(LIST_RX, LIST_FIRSTS, text, lo, hi):
            if (m.group("word") or m.group("bare")) != word:
                continue
            seg = segment_span(text, m.start())[0]
            lead = text[seg:m.start()]
            if not lead.strip("，：、 "):
                continue  # "…；其中：…" opens its clause: a breakdown of the item before, nested
            if lead.count("（") > lead.count("）"):
                continue  # "B 382.58 万元（其中：…）": a bracketed breakdown of B, nested
            if word == "其中" and LABEL_FIGURE_RX.search(lead):
                continue  # "；B 201.25 万元，其中：…": a breakdown of the item B, not a parallel list
            cut = max(seg - 1, lo) if seg > lo else None
            if cut is not None and (x > i or seg > start):
                return i, start, x, cut
    return stream


def _in_stream(a: Amount, stream: tuple[int, int, int, int]) -> bool:
    return _in_stream_pos(a.para, a.at, stream)


def _stream_text(paras: list[Para], stream: tuple[int, int, int, int]) -> str:
    i, start, k, end = stream
    if i == k:
        return paras[i].text[start:end]
    return paras[i].text[start:] + "".join(paras[x].text for x in range(i + 1, k)) + paras[k].text[:end]


def _stream_items(facts: SectionFacts, stream: tuple[int, int, int, int], head: Amount) -> list[Item]:
    items = []
    inherit = head.role == "budget"  # "预算为 A，其中：B x，C y": the parts are budgets too
    for a in facts.in_paras(stream[0], stream[2]):  # (the stream's paragraphs: the others are not in it)
        if a is head or a.fig.unit != head.fig.unit or not _in_stream(a, stream):
            continue
        if a.role != head.role and not (inherit and a.role == "actual"):
            continue
        if a.year is not None and head.year is not None and a.year != head.year:
            continue  # "A 2016年预算 8，2015年预算 12.5": the other year's figure is no part
        p = facts.section.paras[a.para]
        lead = p.text[stream[1] if a.para == stream[0] else 0:a.at]
        if lead.count("（") > lead.count("）"):
            continue  # inside a bracketed breakdown of the item before it
        if inherit:
            a.role = "budget"
        items.append(Item(a, _own_budget(facts, a) if head.role == "actual" else None))
    return items


def _first_per_clause(facts: SectionFacts, items: list[Item]) -> list[Item]:
    """Another reading of a list whose items are separated by ；: one item per clause, its other
    figures its details ("其中，因公出国（境）费 2.94 亿元，减少 3.7 亿元；公务用车…")."""
    firsts: dict[tuple[int, int], Item] = {}
    for it in items:
        seg = segment_span(facts.section.paras[it.amount.para].text, it.amount.at)[0]
        firsts.setdefault((it.amount.para, seg), it)
    return list(firsts.values())


def _own_budget(facts: SectionFacts, a: Amount) -> Amount | None:
    """The budget stated for ``a`` in its own clause: in its ；-segment with no other actual
    amount between them ("A 预算 x，决算 y" or "A 决算 y，预算 x")."""
    text = facts.section.paras[a.para].text
    seg = segment_span(text, a.at)
    same = [b for b in facts.in_para(a.para) if seg[0] <= b.at < seg[1]]
    budgets = []
    for b in same:
        if b.role != "budget":
            continue
        lo, hi = sorted((a.at, b.at))
        if not any(c.role == "actual" and c is not a and lo < c.at < hi for c in same):
            budgets.append(b)
    return budgets[0] if len(budgets) == 1 else None


def _link(facts: SectionFacts, doc: Doc) -> None:
    """Give changes their subject, rates their amounts, shares their amount and unnamed base."""
    section = facts.section
    for ch in facts.changes:
        link_change(facts, ch, _block_first(facts, ch))
        if ch.amount is None and ch.pct is not None:
            facts.skipped.append(Skip(section.title, "只给出增减率、没有增减额，无法推算上年数，未检查",
                                      "a percentage change without its amount; not checked",
                                      doc.sentence(section, section.paras[ch.para], ch.start)))
        elif ch.subject is None or ch.basis == "其他":
            facts.skipped.append(Skip(section.title, "增减说明找不到所指的本年数或比较基数，未检查",
                                      "a change whose current figure or basis could not be found; not checked",
                                      doc.sentence(section, section.paras[ch.para], ch.start)))
    for ch in facts.changes:
        ch.alt = _list_head_alternative(facts, ch)
    ends = _ends_by_para(facts)  # (no rate or share is added while linking)
    for r in facts.rates:
        r.actual = _nearest(facts, r.para, r.start, "actual", "万元")
        if r.budget is None:  # (else printed in the rate itself)
            r.budget = _rate_budget(facts, r, ends)
        if r.budget is None or r.actual is None:
            facts.skipped.append(Skip(section.title, "完成率找不到对应的预算数或决算数，未检查",
                                      "a completion rate without its budget or actual figure; not checked",
                                      doc.sentence(section, section.paras[r.para], r.start)))
    runs: dict[int, list[Amount]] = {}  # id of a run's first share → the amounts of the run, in order
    for sh in facts.shares:
        p = section.paras[sh.para]
        lead = sh.lead or sh
        seg_start, _ = segment_span(p.text, lead.start)
        fence = max([seg_start] + [x.end for x in facts.shares if x.para == sh.para and x.end <= lead.start]
                    + [x.end for x in facts.rates if x.para == sh.para and x.end <= lead.start]
                    + [x.end for x in facts.changes if x.para == sh.para and x.end <= lead.start])
        own = [a for a in facts.in_para(sh.para) if fence <= a.at < lead.start
               and a.role in ("actual", "budget")]
        if sh.lead is not None:  # the run's k-th share is of the k-th of its last ``run`` amounts
            run = runs.setdefault(id(lead), own[-sh.run:] if len(own) >= sh.run else [])
            sh.amount = run[sh.rank] if run else None
        else:
            sh.amount = own[-1] if own else None
        sh.label = sh.amount.name if sh.amount else _strip(p.text[fence:sh.start]) or p.text[fence:sh.start]
        for lst in facts.lists:
            if lst.stream and _in_stream_pos(sh.para, sh.start, lst.stream):
                sh.in_list = lst
        if not sh.base_text:
            if sh.in_list is not None and sh.in_list.head is not sh.amount:
                sh.base, sh.base_where = sh.in_list.head, "同一列表的合计"
            elif sh.amount is not None:
                base = _unnamed_base(facts, sh)
                if base is not None:
                    sh.base, sh.base_where = base, "本段的总数"
    for lst in facts.lists:
        lst.budget = _budget_of(facts, lst.head)
        for item in lst.items:
            for other in facts.lists:
                if other.head is item.amount and other is not lst:
                    item.sublist = other


def _list_head_alternative(facts: SectionFacts, ch: Change) -> Amount | None:
    """"A 总额 x，其中：B y，C z，同比增加 w": a change after the last item of a list, when no item
    states its own change, may be the total's as well as the last item's."""
    if ch.subject is None:
        return None
    for lst in facts.lists:
        if not lst.items or lst.items[-1].amount is not ch.subject or lst.head.para != ch.para:
            continue
        others = {id(it.amount) for it in lst.items[:-1]}
        if any(id(c.subject) in others for c in facts.changes if c.subject is not None):
            return None
        return lst.head
    return None


def _rate_budget(facts: SectionFacts, r: Rate,
                 ends: dict[int, list[int]] | None = None) -> Amount | None:
    """The budget a completion rate divides by: stated in the rate's own clauses (after the
    previous rate or share of its sentence — never the parent's budget stated before a 其中), or
    implied by a stated difference ("决算数大于预算数 55.93 万元").  ``ends``: the ends of the
    section's rates and shares by paragraph (:func:`_ends_by_para`), when the caller has them."""
    text = facts.section.paras[r.para].text
    s, _ = sentence_span(text, r.start)
    if ends is None:
        ends = _ends_by_para(facts)
    fence = max([s] + [e for e in ends.get(r.para, ()) if e <= r.start])
    own = [a for a in facts.in_para(r.para) if fence <= a.at < r.start and a.role == "budget"
           and a.fig.is_money]
    if own:
        return own[-1]
    if r.actual is None:
        return None
    diffs = [c for c in facts.changes if c.basis == "预算" and c.subject is r.actual and c.amount is not None
             and c.para == r.para and sentence_span(text, c.at)[0] == s]
    if len(diffs) != 1:
        return None
    c = diffs[0]
    value = r.actual.value - c.sign * c.amount.value  # type: ignore[union-attr]
    places = max(r.actual.fig.precision, c.amount.precision)  # type: ignore[union-attr]
    fig = Figure(value, places, "万元", f"{value}万元（由{c.word}预算数 {c.amount.text} 推算）",  # type: ignore[union-attr]
                 c.amount.start, c.amount.end)  # type: ignore[union-attr]
    return Amount(fig, "budget", "预算数（推算）", "预算数", r.para, c.at, r.actual.year)


def _ends_by_para(facts: SectionFacts) -> dict[int, list[int]]:
    """The ends of the section's rates and shares, by paragraph."""
    out: dict[int, list[int]] = {}
    for x in [*facts.rates, *facts.shares]:
        out.setdefault(x.para, []).append(x.end)
    return out


def _unnamed_base(facts: SectionFacts, sh: Share) -> Amount | None:
    """The base of "A x，占p%；B y，占q%" without a named base: the nearest amount (same role)
    before the run of sibling shares the share belongs to, never one of the siblings; None when
    that amount is smaller than a sibling (then it is no total of theirs)."""
    text = facts.section.paras[sh.para].text
    s, _ = sentence_span(text, sh.start)
    run = [x.amount for x in facts.shares if x.para == sh.para and not x.base_text and x.amount is not None
           and s <= x.start <= sh.start]
    first = min((a.at for a in run), default=sh.amount.at)  # type: ignore[union-attr]
    role = sh.amount.role  # type: ignore[union-attr]
    before = [a for a in facts.amounts if a.role == role and a.fig.is_money and a not in run
              and (a.para, a.at) < (sh.para, first)]
    if not before:
        return None
    base = before[-1]
    if any(a.value > base.value + base.fig.half + a.fig.half for a in run):
        return None
    return base


def _budget_of(facts: SectionFacts, head: Amount) -> Amount | None:
    """The budget stated for ``head``: by a completion rate on it, or alone in its segment."""
    for r in facts.rates:
        if r.actual is head and r.budget is not None:
            return r.budget
    return _own_budget(facts, head)


def _in_stream_pos(para: int, at: int, stream: tuple[int, int, int, int]) -> bool:
    i, start, k, end = stream
    if para == i == k:
        return start <= at < end
    if para == i:
        return at >= start
    if para == k:
        return at < end
    return i < para < k


def _nearest_subject(facts: SectionFacts, i: int, at: int, unit: str | None) -> Amount | None:
    p = facts.section.paras[i]
    s, _ = segment_span(p.text, at)
    hits = [a for a in facts.in_para(i) if s <= a.at < at and a.role == "actual"
            and (unit is None or a.fig.unit == unit)]
    if hits:
        return hits[-1]
    return _nearest(facts, i, at, "actual", unit, first_in_block=True)


def _block_first(facts: SectionFacts, ch: Change) -> Amount | None:
    """The first amount (actual or budget) of the block holding a change: what an unnamed change
    ("同口径比上年减少 830 万元") is of."""
    start = block_start(facts.section, ch.para)
    money = ch.amount is not None
    return next((a for a in facts.in_paras(start, ch.para) if a.role in ("actual", "budget")
                 and (not money or a.fig.is_money) and (a.para < ch.para or a.at < ch.at)), None)
