"""Checks inside one section: totals and parts, counts, changes, completion rates, shares, precision.

Each check is a plain function of a section's statements returning findings (the beancount
style); :func:`check_section` lists them.  Tolerances come from the printed figures themselves
(:mod:`juesuan.audit.tolerance`); e.g. "社会保障和就业支出类决算数为 139.35 万元，与年初预算相比
减少 36.55 万元" against its five 项 budgets (Σ 175.89): 139.35 − 175.89 = −36.54, one cent from
the printed −36.55, inside ±0.035 (seven two-decimal figures' half cents: 139.35, five budgets,
and the printed change) — so it is a 尾差 (info), not an error.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable

from juesuan.audit.model import Amount, Change, Doc, Item, ListStmt, SectionFacts, Share, segment_span, sentence_span
from juesuan.audit.rules import Lazy, Quotes, finding, show
from juesuan.audit.text import Figure
from juesuan.audit.tolerance import Verdict, extreme_band, fig_pair, judge, ratio_band, sum_band
from juesuan.findings import Finding, Quote, Severity

INFO, WARNING = Severity.INFO, Severity.WARNING


def check_section(facts: SectionFacts, doc: Doc,
                  hint: Callable[[Decimal, Amount], str] | None = None) -> list[Finding]:
    """All in-section checks of one section; ``hint`` explains a figure found elsewhere."""
    flagged: set[int] = set()
    out: list[Finding] = []
    out += check_lists(facts, doc)
    out += check_share_groups(facts, doc)
    out += check_count_sums(facts, doc)
    out += check_changes(facts, doc, flagged)
    out += check_rates(facts, doc, flagged)
    out += check_shares(facts, doc, flagged, hint)
    out += check_share_runs(facts, doc)
    out += check_precision(facts, doc, flagged)
    return out


def quote_at(facts: SectionFacts, doc: Doc, para: int, at: int) -> Quote:
    """The sentence around ``at``; only its ；-clause when the sentence is a ；-separated list."""
    p = facts.section.paras[para]
    s, e = sentence_span(p.text, at)
    if "；" in p.text[s:e]:
        s, e = segment_span(p.text, at)
        e = min(e + 1, len(p.text))
    return doc.quote(facts.section, p, s, e)


def quote_of(facts: SectionFacts, doc: Doc, a: Amount) -> Quote:
    return quote_at(facts, doc, a.para, a.at)


def severity_of(v: Verdict, default: Severity | None = None) -> Severity | None:
    """info for 尾差, warning for a lenient failure, else the rule's default (None)."""
    return {"info": INFO, "lenient": WARNING}.get(v.status, default)


def note_of(v: Verdict) -> str:
    return "（似为取整后的整数按两位小数显示）" if v.status == "lenient" else ""


# ---------------------------------------------------------------- lists

def item_budget(item: Item) -> tuple[Decimal, Decimal] | None:
    """An item's budget (value, half-width): stated, or the sum of its complete sub-list's budgets."""
    if item.budget is not None:
        return fig_pair(item.budget.fig)
    sub = item.sublist
    if sub is not None and sub.complete and sub.items:
        parts = [item_budget(x) for x in sub.items]
        if all(p is not None for p in parts):
            return sum(p[0] for p in parts), sum(p[1] for p in parts)  # type: ignore[index]
    return None


def check_lists(facts: SectionFacts, doc: Doc) -> list[Finding]:
    """Each list against its head: a pair's sides equal it, a complete list adds up to it, a
    partial list ("主要包括") does not exceed it; then budgets and changes of complete lists."""
    out: list[Finding] = []
    changes = effective_changes(facts)
    for lst in facts.lists:
        q = Lazy(lambda lst=lst: [quote_of(facts, doc, lst.head)])  # type: ignore[misc]
        if lst.pair:
            out += _check_pair(facts, doc, lst, q)
            continue
        out += _check_sum(lst, q, facts)
        if lst.complete:
            out += _list_budget(facts, doc, lst, q)
            out += _list_changes(facts, doc, lst, q, changes)
    return out


def _check_pair(facts: SectionFacts, doc: Doc, lst: ListStmt, q: Quotes) -> list[Finding]:
    """"收入、支出决算总计 X。其中：（一）收入决算总计 X …（二）支出决算总计 X": each side is X."""
    out = []
    head = lst.head
    for item in lst.items:
        v = judge(item.amount.fig, head.value, head.fig.half)
        if not v.ok:
            out.append(finding("A-SAME-ITEM", quotes=q + [quote_of(facts, doc, item.amount)],
                               severity=severity_of(v), expected=v.expected, actual=v.actual,
                               difference=v.difference, tolerance=v.tolerance,
                               label=item.amount.name, where_a="分项", a=item.amount.value,
                               where_b=f"「{head.name}」", b=head.value, diff=v.difference, note=""))
    return out


def _sangong_scope(lst: ListStmt, q: Quotes) -> tuple[list[Item], list[Finding]]:
    """A 三公 total's parts without 会议费/培训费 (reported beside 三公, never in it); an error
    when the total was made by adding them (equals the sum with them, not without)."""
    from juesuan.audit.vocab import NOT_SANGONG, item_of

    head = lst.head
    if item_of(head.name) != "sangong_total" or re.search(r"会议|培训", head.name):
        return lst.items, []
    extra = [it for it in lst.items if item_of(it.amount.name) in NOT_SANGONG]
    if not extra:
        return lst.items, []
    core = [it for it in lst.items if it not in extra]
    with_all, band_all = sum_band(it.amount.fig for it in lst.items)
    without, band = sum_band(it.amount.fig for it in core)
    if judge(head.fig, without, band).status in ("ok", "info") or not judge(head.fig, with_all, band_all).ok:
        return core, []
    return core, [finding("A-SANGONG-SCOPE", quotes=q, expected=without, actual=head.value,
                          difference=head.value - without, total_label=f"「{head.name}」", total=head.value,
                          extra="、".join(f"{it.amount.name} {show(it.amount.value)}" for it in extra), sum=without)]


def _details_base(facts: SectionFacts, lst: ListStmt, total: Decimal, band: Decimal) -> bool:
    """"项目支出 48100 元，占支出总预算的 4.43%。其中：A…，B…": parts adding up to the base its
    head is a share of (48100 ÷ 4.43% ≈ their 1085203.63) detail that base, not the head."""
    for sh in facts.shares:
        if sh.amount is lst.head and sh.base_text:
            lo, hi = sh.base_band()
            if hi is not None and lo - band <= total <= hi + band:
                return True
    return False


def _check_sum(lst: ListStmt, q: Quotes, facts: SectionFacts) -> list[Finding]:
    head = lst.head
    items, scope = _sangong_scope(lst, q)
    if scope or len(items) < len(lst.items):
        return scope
    total, band = sum_band(it.amount.fig for it in lst.items)
    v = judge(head.fig, total, band)
    if v.ok or v.status != "info" and total > head.value and _details_base(facts, lst, total, band):
        return []
    if lst.alt_items and judge(head.fig, *sum_band(it.amount.fig for it in lst.alt_items)).status in ("ok", "info"):
        return []  # one item per ；-clause adds up: the other figures were the items' details
    common = dict(quotes=q, total_label=f"「{head.name}」", total=head.value, sum=total)
    measured = dict(expected=v.expected, actual=v.actual, difference=v.difference, tolerance=v.tolerance)
    if lst.complete or v.status == "info":
        return [finding("A-SUM-PARTS", severity=severity_of(v), diff=v.difference, note="", **common, **measured)]
    if total > head.value:  # a partial list may fall short of its total, never exceed it
        return [finding("A-SUM-PARTS", diff=v.difference, note=f"（「{lst.word}」所列分项之和已超过总数）",
                        **common, **measured)]
    if lst.word in ("主要包括", "主要有"):
        return [finding("A-LIST-PARTIAL", diff=head.value - total, expected=total, actual=head.value,
                        difference=head.value - total, **common)]
    return []  # "其中：" one sub-part, smaller than its total: nothing to say


def _list_budget(facts: SectionFacts, doc: Doc, lst: ListStmt, q: Quotes) -> list[Finding]:
    if lst.budget is None:
        return []
    budgets = [item_budget(it) for it in lst.items]
    if any(b is None for b in budgets):
        return []
    total = sum(b[0] for b in budgets)  # type: ignore[index]
    band = sum(b[1] for b in budgets)  # type: ignore[index]
    v = judge(lst.budget.fig, total, band)
    if v.ok:
        return []
    return [finding("A-SUM-PARTS", quotes=q + [quote_of(facts, doc, lst.budget)], severity=severity_of(v),
                    expected=v.expected, actual=v.actual, difference=v.difference, tolerance=v.tolerance,
                    total_label=f"「{lst.head.name}」预算", total=lst.budget.value, sum=total,
                    diff=v.difference, note="")]


def effective_changes(facts: SectionFacts) -> dict[int, list[Change]]:
    """Changes by the id of their subject; sides of a 收、支 pair inherit the pair's changes."""
    by: dict[int, list[Change]] = {}
    for ch in facts.changes:
        if ch.subject is not None:
            by.setdefault(id(ch.subject), []).append(ch)
    for lst in facts.lists:
        if lst.pair:
            for item in lst.items:
                by.setdefault(id(item.amount), []).extend(by.get(id(lst.head), []))
    return by


def _signed(ch: Change) -> tuple[Decimal, int]:
    assert ch.amount is not None
    return ch.sign * ch.amount.value, ch.amount.places


def _list_changes(facts: SectionFacts, doc: Doc, lst: ListStmt, q: Quotes,
                  changes: dict[int, list[Change]]) -> list[Finding]:
    out = []
    for ch in changes.get(id(lst.head), []):
        if ch.amount is None:
            continue
        stated, places = _signed(ch)
        if ch.basis == "上年":
            parts = []
            for item in lst.items:
                mine = [c for c in changes.get(id(item.amount), []) if c.basis == "上年" and c.amount is not None]
                if len(mine) != 1:
                    parts = []
                    break
                parts.append(mine[0])
            if not parts:
                continue
            expected = sum(_signed(c)[0] for c in parts)
            band = sum(c.amount.half for c in parts)  # type: ignore[union-attr]
            basis, note = "与上年决算相比", "（各分项增减额之和）"
        else:
            budgets = [item_budget(it) for it in lst.items]
            if any(b is None for b in budgets):
                continue
            expected = lst.head.value - sum(b[0] for b in budgets)  # type: ignore[index]
            band = lst.head.fig.half + sum(b[1] for b in budgets)  # type: ignore[index]
            basis, note = "与年初预算相比", f"（{show(lst.head.value)} − 各分项年初预算之和 " \
                                         f"{show(sum(b[0] for b in budgets))}）"  # type: ignore[index]
        v = judge((stated, places), expected, band)
        if v.ok:
            continue
        out.append(finding("A-CHANGE-SUM", quotes=[quote_at(facts, doc, ch.para, ch.start)] + q,
                           severity=severity_of(v), expected=v.expected, actual=v.actual,
                           difference=v.difference, tolerance=v.tolerance,
                           total_label=f"「{lst.head.name}」", basis=basis, direction=ch.word,
                           stated=ch.amount.value, want=_direction(v.expected), note=note))
    return out


def _direction(value: Decimal) -> str:
    if value > 0:
        return f"增加 {show(value)}"
    if value < 0:
        return f"减少 {show(-value)}"
    return "持平"


def check_share_groups(facts: SectionFacts, doc: Doc) -> list[Finding]:
    """Shares of one base outside any list that add up to 100% claim a complete decomposition."""
    groups: dict[int, list[Share]] = {}
    for sh in facts.shares:
        if sh.in_list is None and sh.base is not None and sh.amount is not None and sh.base_where == "本段的总数":
            groups.setdefault(id(sh.base), []).append(sh)
    out = []
    for shares in groups.values():
        if len(shares) < 2:
            continue
        pct_total, pct_band = sum_band(s.pct for s in shares)
        if abs(pct_total - 100) > pct_band + Decimal("0.01"):
            continue
        base = shares[0].base
        assert base is not None
        if any(l.head is base and {id(i.amount) for i in l.items} >= {id(s.amount) for s in shares}
               for l in facts.lists):
            continue
        total, band = sum_band(s.amount.fig for s in shares)  # type: ignore[union-attr]
        v = judge(base.fig, total, band)
        if not v.ok:
            out.append(finding("A-SUM-PARTS", quotes=[quote_of(facts, doc, base)], severity=severity_of(v),
                               expected=v.expected, actual=v.actual, difference=v.difference,
                               tolerance=v.tolerance, total_label=f"「{base.name}」", total=base.value,
                               sum=total, diff=v.difference, note="（各项占比合计 100%）"))
    return out


def check_count_sums(facts: SectionFacts, doc: Doc) -> list[Finding]:
    """"33 个…项目，以及 0 个…项目，共 5 个项目": the listed counts add up to the total.  Counts
    are exact (no rounding), so any difference is an error; a count printed with decimals is not
    a count and is left alone."""
    out = []
    for cs in facts.count_sums:
        figs = [cs.total.fig] + [a.fig for a in cs.parts]
        if any(f.places for f in figs):
            continue
        total = sum(a.value for a in cs.parts)
        if total == cs.total.value:
            continue
        unit = cs.total.fig.unit
        para = facts.section.paras[cs.para]
        printed = doc.quote(facts.section, para, cs.start, cs.start + len(cs.text)).text
        parts = "、".join(f"{label} {show(a.value)} {unit}" for label, a in zip(cs.labels, cs.parts))
        out.append(finding("A-COUNT-SUM", quotes=[doc.sentence(facts.section, para, cs.start)],
                           expected=total, actual=cs.total.value, difference=cs.total.value - total,
                           tolerance=Decimal(0), total_text=printed, parts=parts, sum=f"{show(total)} {unit}",
                           diff=f"{show(cs.total.value - total)} {unit}"))
    return out


# ---------------------------------------------------------------- changes, rates, shares

def check_changes(facts: SectionFacts, doc: Doc, flagged: set[int]) -> list[Finding]:
    """Each change against its subject (and stated base): when the subject is ambiguous (the last
    item of a list or its head, ``Change.alt``), an error is reported only if neither fits."""
    out = []
    for ch in facts.changes:
        if ch.subject is None or ch.basis not in ("上年", "预算"):
            if _opposed(ch):  # "较上年减 0.04 万元，增 0.01%": wrong whatever it is a change of
                flagged.add(id(ch.pct))
                out.append(_direction_finding(facts, doc, ch, _unlinked_label(facts, ch)))
            continue
        mine: set[int] = set()
        found = _change_findings(facts, doc, ch, ch.subject, mine)
        if ch.alt is not None and any(f.severity is not INFO for f in found):
            other: set[int] = set()
            alt = _change_findings(facts, doc, ch, ch.alt, other)
            if all(f.severity is INFO for f in alt):
                found, mine = alt, other
        flagged |= mine
        out += found
    return out


def _change_findings(facts: SectionFacts, doc: Doc, ch: Change, now: Amount, flagged: set[int]) -> list[Finding]:
    out: list[Finding] = []
    q = Lazy(lambda: [quote_at(facts, doc, ch.para, ch.start)])
    label = now.name
    if ch.amount is None:
        return out
    c = ch.amount
    if ch.sign == 0 and c.value != 0:
        return out  # "增加（减少）2 万元": a template's word, no direction to check against
    prior = now.value - ch.sign * c.value
    base_word = "上年数" if ch.basis == "上年" else "年初预算数"
    if prior < -(now.fig.half + c.half):
        out.append(finding("A-CHANGE", quotes=q, expected=None, actual=c.value,
                           label=label, detail=f"本年 {show(now.value)}，{ch.word} {show(c.value)} 后"
                                               f"{base_word}将为 {show(prior)}，不可能为负"))
        return out
    if ch.base is not None:
        v = judge(ch.base.fig, prior, now.fig.half + c.half)
        if not v.ok:
            out.append(finding("A-CHANGE", quotes=q, severity=severity_of(v), expected=v.expected,
                               actual=v.actual, difference=v.difference, tolerance=v.tolerance, label=label,
                               detail=f"本年 {show(now.value)}，{ch.word} {show(c.value)}，{base_word}应为 "
                                      f"{show(v.expected)}，文中为 {show(ch.base.value)}"))
    if ch.pct is None:
        return out
    if _opposed(ch):
        flagged.add(id(ch.pct))
        out.append(_direction_finding(facts, doc, ch, label))
        return out
    if prior == 0:
        if c.value != 0 or ch.pct.value != 0:
            flagged.add(id(ch.pct))
            # a finite rate stated on a zero base ("上年 0，增长 100%") is wrong, not just odd
            wrong = c.value != 0 and ch.pct.value != 0
            out.append(finding("A-ZERO-BASE", quotes=q, actual=ch.pct.value, label=label,
                               severity=Severity.ERROR if wrong else None,
                               detail=f"{base_word}为 0，却写「{ch.pct_word or ch.word}{show(ch.pct)}%」",
                               advice="上年为 0，只写增减额" if ch.basis == "上年" else "年初未安排预算"))
        return out
    s = ch.sign or 1
    band = extreme_band(lambda cc, nn: cc / (nn - s * cc) * 100 if nn - s * cc > 0 else None,
                        fig_pair(c), fig_pair(now.fig))
    if band is None:
        return out
    exact, width = band
    v = judge(ch.pct, exact, width)
    if v.ok:
        return out
    flagged.add(id(ch.pct))
    out.append(finding("A-CHANGE", quotes=q, severity=severity_of(v), expected=v.expected,
                       actual=v.actual, difference=v.difference, tolerance=v.tolerance, label=label,
                       detail=f"本年 {show(now.value)}，{ch.word} {show(c.value)}，{base_word} {show(prior)}，"
                              f"增减率应为 {show(v.expected)}%，文中为 {show(ch.pct.value)}%{note_of(v)}"))
    return out


def _opposed(ch: Change) -> bool:
    """An amount and a rate of one change stated in opposite directions ("增加 x，下降 p%")."""
    return ch.amount is not None and ch.pct_sign not in (None, 0) and ch.sign != 0 and ch.pct_sign != ch.sign


def _direction_finding(facts: SectionFacts, doc: Doc, ch: Change, label: str) -> Finding:
    return finding("A-CHANGE", quotes=[quote_at(facts, doc, ch.para, ch.start)], label=label,
                   detail=f"增减额为「{ch.word}」，增减率却为「{ch.pct_word}」，方向不一致")


def _unlinked_label(facts: SectionFacts, ch: Change) -> str:
    """What a change whose amount was not found is of: the words before it, else its section."""
    from juesuan.audit.changes import subject_words

    text = facts.section.paras[ch.para].text
    words = re.sub(r"^[^\u4e00-\u9fff“]+", "", subject_words(text, segment_span(text, ch.at)[0], ch.at))
    return words or facts.section.title


def check_rates(facts: SectionFacts, doc: Doc, flagged: set[int]) -> list[Finding]:
    out = []
    for r in facts.rates:
        if r.actual is None or r.budget is None:
            continue
        q = Lazy(lambda r=r: [quote_at(facts, doc, r.para, r.start)])  # type: ignore[misc]
        label = r.actual.name
        if r.budget.value == 0:
            flagged.add(id(r.pct))
            out.append(finding("A-ZERO-BASE", quotes=q, actual=r.pct.value, label=label,
                               detail=f"预算为 {show(r.budget.value)} 万元，决算 {show(r.actual.value)} 万元，"
                                      f"却写「完成预算的{show(r.pct.value)}%」",
                               advice="年初未安排预算"))
            continue
        band = ratio_band(fig_pair(r.actual.fig), fig_pair(r.budget.fig))
        if band is None:
            continue
        v = judge(r.pct, band[0], band[1])
        if v.ok:
            continue
        flagged.add(id(r.pct))
        out.append(finding("A-RATE", quotes=q, severity=severity_of(v), expected=v.expected, actual=v.actual,
                           difference=v.difference, tolerance=v.tolerance, label=label,
                           actual_amount=r.actual.value, budget=r.budget.value,
                           want=v.expected, got=v.actual, note=note_of(v)))
    return out


def check_shares(facts: SectionFacts, doc: Doc, flagged: set[int],
                 hint: Callable[[Decimal, Amount], str] | None = None) -> list[Finding]:
    out = []
    for sh in facts.shares:
        if sh.amount is None:
            continue  # an implied share: see crosscheck.check_implied_sums
        q = Lazy(lambda sh=sh: [quote_at(facts, doc, sh.para, sh.start)])  # type: ignore[misc]
        base_label = f"「{sh.base_text}」" if sh.base_text else (f"「{sh.base.name}」" if sh.base else "")
        if sh.base is None or sh.base.value == 0:
            zero_implied = sh.base is None and sh.amount.value == 0 and sh.pct.value != 0
            if sh.base is not None or zero_implied:
                if sh.base is not None and sh.pct.value == 0 and sh.amount.value == 0:
                    continue
                flagged.add(id(sh.pct))
                out.append(finding("A-ZERO-BASE", quotes=q, actual=sh.pct.value, label=sh.label,
                                   detail=f"{show(sh.amount.value)} 万元占{base_label} {show(sh.pct.value)}%"
                                          + ("（金额为 0 而比重不为 0，基数只能为 0）" if zero_implied else ""),
                                   advice="不适用" if zero_implied else "无此项"))
            continue
        band = ratio_band(fig_pair(sh.amount.fig), fig_pair(sh.base.fig))
        if band is None:
            continue
        v = judge(sh.pct, band[0], band[1])
        where = f"（基数取{sh.base_where}）" if sh.base_where and sh.base_text else ""
        if not v.ok:
            flagged.add(id(sh.pct))
            out.append(finding("A-SHARE", quotes=q, severity=severity_of(v), expected=v.expected,
                               actual=v.actual, difference=v.difference, tolerance=v.tolerance,
                               label=sh.label, amount=sh.amount.value, base_label=base_label,
                               base=sh.base.value, want=v.expected, got=v.actual, note=note_of(v) + where))
        elif sh.pct.value == 100:
            w = judge(sh.amount.fig, sh.base.value, sh.base.fig.half)
            if not w.ok:
                flagged.add(id(sh.pct))
                extra = hint(sh.amount.value, sh.amount) if hint else ""
                out.append(finding("A-SAME-ITEM", quotes=q, severity=severity_of(w), expected=w.expected,
                                   actual=w.actual, difference=w.difference, tolerance=w.tolerance,
                                   label=sh.label, where_a="文中", a=sh.amount.value,
                                   where_b=base_label + (f"（见「{sh.base_where}」）" if sh.base_where else ""),
                                   b=sh.base.value,
                                   diff=w.difference,
                                   note=f"（文中说占{base_label}的 100%，两数应相等{extra}）"))
    return out


def check_share_runs(facts: SectionFacts, doc: Doc) -> list[Finding]:
    """"分别为 0.72、0.02 和 0.59 亿元，占规模的 54.54%、1.51% 和 44.69%": when the amounts add up
    to their base (1.33 ≈ 1.32, inside the rounding), their shares add up to 100% within theirs."""
    runs: dict[int, list[Share]] = {}
    for sh in facts.shares:
        if sh.lead is not None:
            runs.setdefault(id(sh.lead), []).append(sh)
    out = []
    for run in runs.values():
        base = run[0].base
        if len(run) < 2 or base is None or any(sh.amount is None or sh.base is not base for sh in run):
            continue
        if judge(base.fig, *sum_band(sh.amount.fig for sh in run)).status not in ("ok", "info"):  # type: ignore[union-attr]
            continue  # not a complete breakdown of the base
        total, band = sum_band(sh.pct for sh in run)
        if abs(total - 100) <= band:
            continue
        out.append(finding("A-SHARE-SUM", quotes=[quote_at(facts, doc, run[0].para, run[0].start)],
                           expected=Decimal(100), actual=total, difference=total - 100, tolerance=band,
                           parts="、".join(show(sh.amount.value) for sh in run),  # type: ignore[union-attr]
                           base_label=run[0].base_text or base.name, base=base.value,
                           shares="、".join(f"{show(sh.pct.value)}%" for sh in run), sum=total))
    return out


def check_precision(facts: SectionFacts, doc: Doc, flagged: set[int]) -> list[Finding]:
    """A whole-number percentage among two-decimal ones in the same sentence (e.g. "2%")."""
    pcts: list[tuple[int, Figure]] = []
    pcts += [(c.para, c.pct) for c in facts.changes if c.pct is not None]
    pcts += [(r.para, r.pct) for r in facts.rates]
    pcts += [(s.para, s.pct) for s in facts.shares]
    out = []
    by_sentence: dict[tuple[int, int], list[Figure]] = {}
    for para, f in pcts:
        span = doc_sentence(facts, para, f.start)
        by_sentence.setdefault((para, span), []).append(f)
    for (para, _), figs in by_sentence.items():
        most = max(f.places for f in figs)
        if most < 1 or len(figs) < 2:
            continue
        for f in figs:
            if f.places == 0 and id(f) not in flagged:
                out.append(finding("A-PRECISION", quotes=[quote_at(facts, doc, para, f.start)],
                                   actual=f.value, text=f.text, places=str(most)))
    return out


def doc_sentence(facts: SectionFacts, para: int, at: int) -> int:
    return sentence_span(facts.section.paras[para].text, at)[0]

