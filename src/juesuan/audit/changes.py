"""Reading stated changes: a direction word with its amount and rate, and the basis it is against.

"与上年相比，A 增加 830.53 万元，增长 37.56%"; "比去年增加 1.55 万元"; "较 2022 年度决算数增加
0.78 万元"; "较上年 2.08 减少 0.03 万元"; "较 2024 年的 2190 万元减少 221 万元";
"比上年减少 N。其中：A 减少 x；B 减少 y".

- The basis is the last basis phrase before the direction word in its sentence (上年/去年/上年同期/
  同比 → 上年; 预算/年初预算 → 预算; "上年预算" → the prior year's budget); a sentence opening with
  其中 carries the basis of the sentence before it.
- A year as basis is 上年 only when it is the year before the subject's year (the last year named
  before the change that is not itself a basis, else the document's year): "比2019年" in a 2021
  text is no 上年 and is not checked.
- A figure between the basis and the direction word is the stated prior ("较上年 2.08 减少").
- Every amount right after a direction word is a change, never an actual amount, even when no
  basis can be found (it is then left unchecked).
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections import Counter
from typing import Iterator, Sequence

from juesuan.audit.model import Amount, Change, SectionFacts, sentence_span, sign_of
from juesuan.audit.text import Figure, figure_at

NUM = r"\d+(?:\.\d+)?"
ZERO_WORDS = ("持平", "无变化", "无差异", "相同", "无增减变化", "无增减", "无增减变动")
DIR_RX = re.compile(
    rf"(?P<dir>增加（减少）|减少（增加）|增长（下降）|下降（增长）|增（减）|增加|减少|增长|下降|上升|降低|节约|超支|压减"
    rf"|增收|减收|增支|减支|减|增(?!长|加)|无增减变化|无增减变动|无增减|持平|无变化|无差异)了?"
    rf"(?:(?P<amt>{NUM})(?P<unit>万元|亿元|元)|(?P<pct1>{NUM})%)?"
    rf"(?:[，（]?(?:幅度|比例|比率)?(?P<dir2>增加|减少|增长|下降|上升|降低|增幅|减幅|降幅|增|减)了?(?:幅度)?"
    rf"(?:为|达)?(?P<pct>{NUM})%）?)?")
DIR_HINTS = ("增", "减", "降", "升", "节约", "超支", "持平", "无变化", "无差异")  # one is in every DIR_RX match


def has_dir_hint(text: str) -> bool:
    """``any(w in text for w in DIR_HINTS)``, spelt out (a generator costs more than the tests)."""
    return ("增" in text or "减" in text or "降" in text or "升" in text or "节约" in text or "超支" in text
            or "持平" in text or "无变化" in text or "无差异" in text)

BASIS_RX = re.compile(
    r"(?:与|比|较|相较于?|相比于?)\s*(?P<y>\d{4})\s*年度?的?(?P<yb>预算|决算)?(?:数字?)?"
    r"|(?:与|比|较|相较于?|相比于?)?(?P<p>上一?年度?|去年|上年同期)(?!结转|结余|末|初)(?P<pb>预算|决算)?(?:数字?)?"
    r"|(?:与|比|较|相较于?|相比于?)(?:年初|全年|调整后?的?)?(?P<b>预算)(?:数字?)?"
    r"|(?P<yoy>同比)")
YEAR_RX = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*年")
BASIS_YEAR = re.compile(r"(?:与|比|较|相较于?|相比于?)\s*$")
PRIOR_GAP = re.compile(rf"^(?:相比|的|为|累计支出|支出|决算数?|预算数?|数)*(?P<num>{NUM})(?P<unit>万元|亿元|元)?"
                       r"(?:相比|比较)?$")


def years(text: str, end: int) -> list[int]:
    """The years named before ``end`` that are not a basis ("较2021年度" is one)."""
    return [y for stop, y in _year_marks(text) if stop <= end]


def last_year(text: str, end: int) -> int | None:
    """The last of :func:`years` (``years(text, end)[-1]``), or None when it names none."""
    return year_by(_year_marks(text), end)


def year_by(marks: tuple[tuple[int, int], ...], end: int, default: int | None = None) -> int | None:
    """The year of the last of ``marks`` (:func:`_year_marks`, in order of their ends) ending by
    ``end``, else ``default``."""
    found = default
    for stop, y in marks:
        if stop > end:
            break
        found = y
    return found


def _year_marks(text: str) -> tuple[tuple[int, int], ...]:
    """(end, year) of every year named in ``text`` that is not a basis.  A year ends with 年 and
    the pattern looks no further, so the years before ``end`` are those ending by ``end`` (what
    scanning ``text[:end]`` finds)."""
    if "年" not in text:  # (in every match: no memo entry made for a text without one)
        return ()
    return _year_marks_of(text)


@lru_cache(maxsize=1024)
def _year_marks_of(text: str) -> tuple[tuple[int, int], ...]:
    """:func:`_year_marks` of a text holding a 年 (pure; a paragraph asks more than once)."""
    return tuple((m.end(), int(m.group("y"))) for m in _year_matches(text)
                 if not BASIS_YEAR.search(text[max(0, m.start() - 4):m.start()]))


YEAR_CANDIDATE_RX = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年")  # YEAR_RX without its look-behind


def _year_matches(text: str) -> Iterator[re.Match[str]]:
    """``YEAR_RX.finditer(text)``, scanned faster: from each 年 back over the spaces before it, the
    pattern without its look-behind tried where its four digits would start (a match ends with its
    年 and holds no other: no match of YEAR_RX starts inside a candidate, and a candidate is the
    match YEAR_RX makes where it starts), keeping those after no digit and no "."."""
    find = text.find
    y = find("年")
    while y >= 0:
        k = y - 1
        while k >= 0 and text[k].isspace():  # (\s: a Unicode space, as str.isspace)
            k -= 1
        s = k - 3
        if s >= 0 and text[s] in "12":  # (what (?:19|20) opens with)
            m = YEAR_CANDIDATE_RX.match(text, s)
            if m is not None and not (s and (text[s - 1].isdecimal() or text[s - 1] == ".")):
                yield m  # (\d is a Unicode decimal digit)
        y = find("年", y + 1)


def doc_year(text: str) -> int | None:
    """The year a document reports on: the year it names most often, not as a basis."""
    found = Counter(years(text, len(text)))
    if not found:
        return None
    best = max(found.values())
    return max(y for y, n in found.items() if n == best)


def _fig(text: str, start: int, unit: str) -> Figure:
    return figure_at(text, start, unit)


def _basis(m: re.Match[str]) -> tuple[str, int | None]:
    """(basis, basis year) of a basis phrase: 上年, 预算, 上年预算 or 年 (a year, judged later)."""
    if m.group("y"):
        return ("年预算" if m.group("yb") == "预算" else "年"), int(m.group("y"))
    if m.group("p"):
        return ("上年预算" if m.group("pb") == "预算" else "上年"), None
    if m.group("b"):
        return "预算", None
    return "上年", None


COMPARE_RX = re.compile(rf"(?P<dir>大于|小于|高于|低于|超过|超出|少于|多于)(?:年初|全年|调整后的?)?预算数?(?:为|的)?"
                        rf"(?P<amt>{NUM})(?P<unit>万元|亿元|元)")


def read_comparisons(facts: SectionFacts, i: int, text: str, claimed: list[tuple[int, int]]) -> None:
    """"决算数大于预算数 55.93 万元": a change against the budget."""
    if "预算" not in text:  # (in every match)
        return
    for m in COMPARE_RX.finditer(text):
        if any(s <= m.start("amt") < e for s, e in claimed):
            continue
        sign = 1 if m.group("dir") in ("大于", "高于", "超过", "超出", "多于") else -1
        ch = Change("预算", sign, m.group("dir"), _fig(m.group("amt"), m.start("amt"), m.group("unit")), None, None,
                    i, m.start(), m.end())
        ch.at = m.start()
        facts.changes.append(ch)
        claimed.append((m.start(), m.end()))


SIDES_RX = re.compile(rf"(?P<what>收、?支(?:决算)?总计|收入、支出(?:决算)?总计|收支(?:决算)?总计)"
                      rf"(?:各是|分别为|分别是|各为|分别)(?P<a>{NUM})万元[，、](?P<b>{NUM})万元")
SIDES_CHANGE_RX = re.compile(rf"各(?P<dir>增加|减少)(?P<c>{NUM})万元[，、](?P<d>{NUM})万元"
                             rf"(?:[，；]?各(?P<dir2>增长|下降)(?P<p>{NUM})%[，、](?P<q>{NUM})%)?")


def read_sides(facts: SectionFacts, i: int, text: str, claimed: list[tuple[int, int]],
               default_year: int | None) -> None:
    """"收、支总计各是 a，b 万元。与上年相比，收、支总计各减少 c，d 万元，各下降 p%、q%": two
    totals (收入总计, 支出总计) and their changes, read side by side."""
    if "总计" not in text:  # (in every match)
        return
    for m in SIDES_RX.finditer(text):
        named = last_year(text, m.start())
        year = named if named is not None else default_year
        sides = []
        for g, name in (("a", "收入总计"), ("b", "支出总计")):
            a = Amount(_fig(m.group(g), m.start(g), "万元"), "actual", name, name, i, m.start(g), year)
            facts.amounts.append(a)
            sides.append(a)
        claimed.append((m.start(), m.end()))
        c = SIDES_CHANGE_RX.search(text, m.end())
        if c is None:
            continue
        s, _ = sentence_span(text, c.start())
        bases = list(BASIS_RX.finditer(text, s, c.start()))
        if not bases:
            continue
        basis, byear = _basis(bases[-1])
        if basis in ("年", "年预算"):
            basis = "上年" if year is not None and byear == year - 1 and basis == "年" else "其他"
        for side, (g, pg) in zip(sides, (("c", "p"), ("d", "q"))):
            pct = _fig(c.group(pg), c.start(pg), "%") if c.group(pg) else None
            ch = Change(basis, sign_of(c.group("dir")), c.group("dir"), _fig(c.group(g), c.start(g), "万元"), pct,
                        c.group("dir2"), i, bases[-1].start(), c.end())
            ch.year, ch.at, ch.subject = year, c.start(), side
            facts.changes.append(ch)
        claimed.append((c.start(), c.end()))


MORE_RX = re.compile(rf"(?:[、，,和及]\s*{NUM}\s*(?:万元|亿元|元))+")


def _respectively(facts: SectionFacts, i: int, text: str, m: re.Match[str], more: re.Match[str]) -> None:
    """"A a，B b，C c。与上年相比，分别减少 x、y、z": one change per item, in order, when as many
    items precede as figures follow; else the figures are left as unchecked changes."""
    unit = m.group("unit")
    nums = [m.group("amt")] + re.findall(NUM, more.group(0))
    s, _ = sentence_span(text, m.start())
    bases = list(BASIS_RX.finditer(text, s, m.start()))
    if "分别" not in text[max(0, m.start() - 4):m.start()] or not bases:
        return
    basis, _ = _basis(bases[-1])
    items = [a for a in facts.in_para(i) if a.at < s and a.role in ("actual", "budget")]
    if len(items) < len(nums):
        return
    for a, num in zip(items[-len(nums):], nums):
        ch = Change(basis if basis in ("上年", "预算", "上年预算") else "其他", sign_of(m.group("dir")), m.group("dir"),
                    _fig(num, m.start(), unit), None, None, i, bases[-1].start(), m.end())
        ch.at, ch.subject = m.start(), a
        if ch.basis == "上年预算":
            ch.basis = "上年" if a.role == "budget" else "其他"
        facts.changes.append(ch)


def read_changes(facts: SectionFacts, i: int, text: str, reasons: Sequence[tuple[int, int]],
                 claimed: list[tuple[int, int]], default_year: int | None) -> None:
    """Every change of paragraph ``i`` (see the module docstring); spans used are ``claimed``."""
    if not has_dir_hint(text):
        return
    carried: dict[int, tuple[str, int | None, int]] = {}  # sentence start → (basis, year, where)
    for m in DIR_RX.finditer(text):
        if any(s <= m.start() < e for s, e in claimed):
            continue
        word = m.group("dir")
        amt, pct1, pct = m.group("amt"), m.group("pct1"), m.group("pct")
        if word in ("减", "增", "压减") and not (amt or pct1):
            continue
        if amt is None and pct1 is None and pct is None and word not in ZERO_WORDS:
            continue
        if any(s <= m.start() < e for s, e in reasons):
            continue
        claimed.append((m.start(), m.end()))
        more = MORE_RX.match(text, m.end()) if amt else None
        if more:  # "分别减少 a、b、c": the further figures are changes too (of the items before)
            claimed.append((more.start(), more.end()))
            _respectively(facts, i, text, m, more)
            continue
        s, _ = sentence_span(text, m.start())
        bases = [b for b in BASIS_RX.finditer(text, s, m.start())]
        if bases:
            b = bases[-1]
            basis, byear = _basis(b)
            start = b.start()
            carried[s] = (basis, byear, start)
        else:
            prev = _previous_basis(text, s, carried)
            if prev is None:
                continue  # a change without a basis: not checked, and not an actual amount
            basis, byear, start = prev[0], prev[1], m.start()
        if word in ZERO_WORDS and bases and "，" in text[bases[-1].end():m.start()]:
            continue  # "与上年相比，…持平": the word is too far from its basis to know what it says
        subject_years = years(text, start) or ([default_year] if default_year else [])
        year = subject_years[-1] if subject_years else None
        if basis in ("年", "年预算"):
            if year is None or byear is None:
                basis = "其他"
            elif byear == year - 1:
                basis = "上年预算" if basis == "年预算" else "上年"
            elif byear == year and basis == "年预算":
                basis = "预算"
            else:
                basis = "其他"
        amount = _fig(amt, m.start("amt"), m.group("unit")) if amt else None
        last = facts.changes[-1] if facts.changes else None
        if amount is not None and not (pct or pct1) and last is not None and last.para == i and last.amount is None \
                and last.pct is not None and text[last.end:m.start()] in ("，", "、") and last.basis == basis:
            # "同比增长 10.85%，增收 2798 万元": the rate, then its amount — one change
            last.amount, last.word, last.sign, last.end = amount, word, sign_of(word), m.end()
            continue
        pct_text = pct or pct1
        pct_fig = _fig(pct_text, m.start("pct") if pct else m.start("pct1"), "%") if pct_text else None
        ch = Change(basis, sign_of(word), word, amount, pct_fig, m.group("dir2") or (word if pct1 else None),
                    i, start, m.end())
        ch.year, ch.at = year, m.start("dir")
        if bases:
            gap = text[bases[-1].end():m.start()]
            g = PRIOR_GAP.match(gap)
            if g:
                unit = g.group("unit") or (m.group("unit") or "万元")
                at = bases[-1].end() + g.start("num")
                fig = _fig(g.group("num"), at, unit)
                prior = Amount(fig, "prior", gap, "", i, at)
                facts.amounts.append(prior)
                ch.base = prior
                claimed.append((at, at + len(g.group(0))))
        facts.changes.append(ch)


def _previous_basis(text: str, s: int, carried: dict[int, tuple[str, int | None, int]]
                    ) -> tuple[str, int | None, int] | None:
    """The basis carried into a sentence opening with 其中 (or after one ending with 其中：)."""
    lead = text[s:s + 6]
    before = text[max(0, s - 4):s]
    if not (lead.startswith(("其中", "分项", "具体")) or before.rstrip("。").endswith(("其中：", "其中"))):
        return None
    earlier = [k for k in carried if k < s]
    return carried[max(earlier)] if earlier else None


# ---------------------------------------------------------------- subjects

FILLER = re.compile(r"其中|经比较|完成|年初|全年|调整后?|执行|同口径|同期|相比|比较|对比|较|比|与|的|了|支出决算数?|决算数?|预算数?|支出数?|数字?|为|年度|本年"
                    r"|全年|分别|共计|合计|总额|情况|方面|主要|用于|各|均|也|都|安排|实际|累计|本部门|本单位|镇本级|区本级|市本级")
GENERIC_WORDS = re.compile(r"^(收入支出总体|收支总体|收支总计|收、?支总计|总体|收入|支出)$")


def subject_words(text: str, seg_start: int, at: int) -> str:
    """The words naming what changed: the last clause before ``at`` (back to ``seg_start``) that
    still has words once bases, directions, figures and filler are taken out."""
    return _subject_words(text[seg_start:at])


@lru_cache(maxsize=8192)
def _subject_words(lead: str) -> str:
    """:func:`subject_words` of the text before the change (pure; memoised)."""
    clauses = re.split(r"[，：]", lead)
    for clause in reversed(clauses):
        words = BASIS_RX.sub("", clause)
        words = DIR_RX.sub("", words)
        words = re.sub(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|%)?|(?:19|20)\d{2}\s*年", "", words)
        words = FILLER.sub("", words)
        words = re.sub(r"[（）“”\"《》、\s]", "", words)
        if len(re.findall(r"[\u4e00-\u9fff]", words)) >= 2:
            return words
    return ""


def same_item(words: str, name: str) -> bool:
    """Whether ``words`` and an amount's ``name`` name the same item: the same concept of the
    vocabulary when both name one, else the shorter name (three characters at least) inside the
    longer."""
    from juesuan.audit.model import key
    from juesuan.audit.vocab import item_of

    a, b = item_of(words), item_of(name)
    if a is not None or b is not None:
        return a == b
    x, y = key(words), key(name)
    short, long = sorted((x, y), key=len)
    return len(re.findall(r"[\u4e00-\u9fff]", short)) >= 3 and short in long


def prior_roles(subject: Amount) -> tuple[str, ...]:
    """What last year's figure of an item may be: a final (决算) for a final; a final or a budget
    for a budget ("2022年预算较2021年决算增加")."""
    return ("actual", "budget") if subject.role == "budget" else ("actual",)


def link_change(facts: SectionFacts, ch: Change, first_in_block: Amount | None) -> None:
    """The amount a change is of (its subject) and, against 上年, the prior year's amount of the
    same item when the text states it earlier."""
    from juesuan.audit.model import segment_span

    if ch.subject is not None:
        return  # read with its subject ("收、支总计各减少 c，d")
    text = facts.section.paras[ch.para].text
    seg_start, _ = segment_span(text, ch.at)
    money = ch.amount is not None
    roles = ("actual", "budget")
    own = [a for a in facts.in_para(ch.para) if seg_start <= a.at < ch.at and a.role in roles
           and (not money or a.fig.is_money) and not a.in_rate]  # (a rate's own budget changes nothing)
    if own:
        ch.subject = own[-1]
    else:
        words = subject_words(text, seg_start, ch.at)
        if words and not GENERIC_WORDS.match(words):
            named = [a for a in facts.amounts if a.role in roles and (a.para, a.at) < (ch.para, ch.at)
                     and (not money or a.fig.is_money) and same_item(words, a.name)]
            same_year = [a for a in named if ch.year is None or a.year in (None, ch.year)]
            ch.subject = same_year[-1] if same_year else None
        else:
            ch.subject = _latest_in_sentence(facts, ch, text, money) or first_in_block
    if ch.subject is not None and ch.subject.role == "budget" and ch.basis == "上年":
        # "A 预算为 x，支出决算为 y，完成预算的 p%；较上年减少 c": a final is compared with last
        # year's final — the actual stated after the budget in the change's sentence, if any
        s, _ = sentence_span(text, ch.at)
        later = [a for a in facts.in_para(ch.para) if a.role == "actual" and max(s, ch.subject.at) < a.at < ch.at
                 and (not money or a.fig.is_money)]
        if later:
            ch.subject = later[-1]
    if ch.basis == "上年预算":
        ch.basis = "上年" if ch.subject is not None and ch.subject.role == "budget" else "其他"
    if ch.subject is None or ch.base is not None:
        return
    if ch.basis in ("上年", "预算") and ch.subject.para == ch.para:
        role = "prior" if ch.basis == "上年" else "budget"
        stated = [a for a in facts.in_para(ch.para) if a.role == role
                  and ch.subject.at < a.at < ch.at and a is not ch.subject]
        if len(stated) == 1:  # "本年 A，上年决算数为 B，与上年相比增加 C"
            ch.base = stated[0]
            return
    if ch.basis != "上年":
        return
    year = ch.subject.year or ch.year
    if year is None:
        return
    prior = [a for a in facts.amounts if a.role in prior_roles(ch.subject) and a is not ch.subject
             and a.year == year - 1 and (a.para, a.at) < (ch.para, ch.at) and a.fig.unit == ch.subject.fig.unit
             and same_item(ch.subject.name, a.name)]
    if prior:
        ch.base = prior[-1]


def _latest_in_sentence(facts: SectionFacts, ch: Change, text: str, money: bool) -> Amount | None:
    """"A 2016年预算 8 万元，2015年预算 12.5 万元；对比减少 4.35 万元": a change in a clause of its
    own is of the item its sentence just stated — its figure of the latest year named (8)."""
    if ch.basis != "上年":
        return None
    s, _ = sentence_span(text, ch.at)
    before = [a for a in facts.in_para(ch.para) if s <= a.at < ch.at and a.role in ("actual", "budget")
              and (not money or a.fig.is_money) and not a.in_rate]
    years = {a.year for a in before}
    if not before or None in years or len(years) < 2:
        return None  # (only when the sentence states the item in two years)
    latest = max(years)  # type: ignore[type-var]
    return [a for a in before if a.year == latest][-1]


def position(facts: SectionFacts, para: int, at: int) -> int:
    """A place in a section as an offset in the normalised document (comparable across sections)."""
    p = facts.section.paras[para]
    return p.pos[min(at, len(p.pos) - 1)] if p.pos else 0


def link_across(all_facts: list[SectionFacts]) -> None:
    """Changes whose item is named but stated in another section ("二、2021年决算" after "一、2022年
    预算"): their subject and prior are looked for in the sections of the same kind before them."""
    pool: dict[str | None, list[tuple[int, Amount]]] = {}  # by section kind, in document order
    for f in all_facts:
        of_kind = pool.setdefault(f.kind, [])
        of_kind += [(position(f, a.para, a.at), a) for a in f.amounts if a.role in ("actual", "budget")]
    for facts in all_facts:
        for ch in facts.changes:
            if ch.subject is not None and not (ch.base is None and ch.basis == "上年"
                                               and (ch.subject.year or ch.year)):
                continue  # nothing to look for (the checks below would find nothing to do)
            here = position(facts, ch.para, ch.at)
            before = [a for pos, a in pool.get(facts.kind, ()) if pos < here]
            text = facts.section.paras[ch.para].text
            from juesuan.audit.model import segment_span

            seg_start, _ = segment_span(text, ch.at)
            words = subject_words(text, seg_start, ch.at)
            money = ch.amount is not None
            if ch.subject is None:
                if not words or GENERIC_WORDS.match(words):
                    continue
                named = [a for a in before if (not money or a.fig.is_money) and same_item(words, a.name)]
                same_year = [a for a in named if ch.year is None or a.year in (None, ch.year)]
                if not same_year:
                    continue
                ch.subject = same_year[-1]
                if ch.basis == "上年预算":
                    ch.basis = "上年" if ch.subject.role == "budget" else "其他"
            if ch.base is None and ch.basis == "上年" and (ch.subject.year or ch.year):
                year = ch.subject.year or ch.year
                prior = [a for a in before if a is not ch.subject and a.year == year - 1  # type: ignore[operator]
                         and a.role in prior_roles(ch.subject)
                         and a.fig.unit == ch.subject.fig.unit and same_item(ch.subject.name, a.name)]
                if prior:
                    ch.base = prior[-1]
