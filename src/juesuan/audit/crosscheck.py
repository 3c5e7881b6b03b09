"""Checks between sections: the same item stated twice, scopes, carry-overs, implied parts.

Concepts (:data:`CONCEPTS`) say where an item is stated: as the main figure of a section kind
(the first actual amount of 七 is the 一般公共预算财政拨款项目支出) or as an amount whose name
matches a pattern in some section kinds (公务接待费 in 七 and 八).  The relations between them
are declared once below:

- :data:`CONSISTENT`: every mention of the concept states the same figure; mentions in the
  concept's ``soft`` kinds (which may differ in scope, e.g. 公务接待费 in 项目支出明细 vs 三公)
  only warn;
- :data:`EQUAL`: two concepts that should agree (机构运行经费 vs 公用经费: soft);
- :data:`DERIVED`: a concept equals a signed sum of others (七 = 五 − 六);
- :data:`SCOPE`: a broad figure is at least the sum of narrower ones (三 项目支出 ≥ 七 + 九).

A share's named base ("占政府采购支出总额的 75.42%") is looked up by name in its own section
first, then through the concepts' ``alias`` patterns (:func:`resolve_bases`).

A reason's claim ("接待费减少") is compared with the stated changes of the items it names, in any
section and against the same basis (:func:`check_reasons`): 十一 explains 机构运行经费's fall
against last year with "接待费减少" while 八 states 公务接待费 "与上年决算相比，增加5.42万元".
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from juesuan.audit.model import Amount, Claim, Doc, SectionFacts, Share, Skip, key
from juesuan.audit.relations import quote_at, quote_of, severity_of
from juesuan.audit.rules import finding, show
from juesuan.audit.tolerance import judge, rounded, sum_band
from juesuan.findings import Finding, Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Concept:
    """An item the narrative states: where (section kinds), how to spot it, its aliases."""

    id: str
    zh: str
    kinds: tuple[str, ...]
    name: str | None = None  # regex on an amount's name; None: the main figure of the section
    alias: str | None = None  # regex recognising it as a share's base
    soft: tuple[str, ...] = ()  # kinds whose mentions may differ in scope (warning only)


CONCEPTS: dict[str, Concept] = {c.id: c for c in (
    Concept("income_year", "本年收入合计", ("income", "overall"), r"本年收入(决算)?合计", r"^本年收入(决算)?(合计)?$"),
    Concept("expend_year", "本年支出合计", ("expend", "overall"), r"本年支出(决算)?合计", r"^本年支出(决算)?(合计)?$"),
    Concept("basic_all", "本年基本支出", ("expend",), r"^(本年)?基本支出$"),
    Concept("project_all", "本年项目支出", ("expend",), r"^(本年)?项目支出$", r"^(本年)?项目支出$"),
    Concept("gpb_income", "一般公共预算财政拨款收入", ("income",), r"一般公共预算(财政拨款)?收入"),
    Concept("gf_income", "政府性基金预算财政拨款收入", ("income",), r"政府性基金(预算)?(财政拨款)?收入"),
    Concept("soe_income", "国有资本经营预算财政拨款收入", ("income",), r"国有资本经营(预算)?(财政拨款)?收入"),
    Concept("fiscal_total", "财政拨款收入支出决算总计", ("fiscal_overall",), None, r"财政拨款收(入)?、?支(出)?"),
    Concept("gpb_expend", "一般公共预算财政拨款支出", ("gpb_expend",), None,
            r"^一般公共预算(财政拨款)?支出$"),
    Concept("gpb_basic", "一般公共预算财政拨款基本支出", ("gpb_basic",), None, r"一般公共预算.*基本支出"),
    Concept("gpb_project", "一般公共预算财政拨款项目支出", ("gpb_project",), None, r"一般公共预算.*项目支出"),
    Concept("personnel", "人员经费", ("gpb_basic",), r"^人员经费$"),
    Concept("public_use", "公用经费", ("gpb_basic",), r"^(日常)?公用经费$"),
    Concept("sangong", "财政拨款“三公”经费", ("sangong",), r"三公", r"三公"),
    Concept("reception", "公务接待费", ("sangong", "gpb_project", "gpb_basic"), r"^公务接待费(支出)?$",
            soft=("gpb_project", "gpb_basic")),
    Concept("gf_expend", "政府性基金预算财政拨款支出", ("govfund",)),
    Concept("soe_expend", "国有资本经营预算财政拨款支出", ("soe",)),
    Concept("running", "机构运行经费", ("running",), None, r"(机构|机关)运行经费"),
    Concept("procurement", "政府采购支出总额", ("procurement",), None, r"^政府采购支出$"),
)}
CONSISTENT = ("income_year", "expend_year", "sangong", "reception")
EQUAL = (("running", "public_use", WARNING,
          "按名词解释，机构运行经费是基本支出中的日常公用经费，口径不同时请核对"),)
DERIVED = (("gpb_project", ((1, "gpb_expend"), (-1, "gpb_basic")), ERROR,
            "一般公共预算财政拨款支出 − 基本支出"),)
SCOPE = (("basic_all", ("gpb_basic",)), ("project_all", ("gpb_project", "gf_expend", "soe_expend")))


@dataclass(frozen=True)
class Mention:
    facts: SectionFacts
    amount: Amount


@lru_cache(maxsize=65536)
def _names(pattern: str, name: str) -> bool:
    """``re.search(pattern, name)`` (pure; memoised: the same names recur in every department)."""
    return re.search(pattern, name) is not None


def mentions(all_facts: list[SectionFacts], cid: str) -> list[Mention]:
    """Where concept ``cid`` is stated, in section order."""
    c = CONCEPTS[cid]
    out = []
    for facts in all_facts:
        if facts.kind not in c.kinds:
            continue
        if c.name is None and facts.section.name is not None:
            continue  # a section read by content has no main figure
        if c.name is None:
            head = facts.head()
            if head is not None:
                out.append(Mention(facts, head))
            continue
        for a in facts.amounts:
            if a.role == "actual" and a.fig.is_money and _names(c.name, a.name):
                out.append(Mention(facts, a))
    order = {k: n for n, k in enumerate(c.kinds)}
    return sorted(out, key=lambda m: order.get(m.facts.kind or "", 99))


def first(all_facts: list[SectionFacts], cid: str) -> Mention | None:
    found = mentions(all_facts, cid)
    return found[0] if found else None


def hint_for(all_facts: list[SectionFacts]) -> Callable[[Decimal, Amount], str]:
    """A function naming another section that states the same figure (to explain a mismatch:
    十四's 1,572.62 "一般公共预算项目支出" is 三's all-fund 本年项目支出)."""
    def hint(value: Decimal, amount: Amount) -> str:
        for facts in all_facts:
            if any(a is amount for a in facts.amounts):
                continue
            for a in facts.amounts:
                if a.role == "actual" and a.fig.is_money and a.value == value and a.fig.places == amount.fig.places:
                    return f"；{show(value)} 与「{facts.section.title}」中的「{a.name}」相同"
        return ""
    return hint


# ------------------------------------------------------------------ bases of shares

def _sangong_totals(all_facts: list[SectionFacts]) -> list[tuple[int, int, int, Amount]]:
    """(section index, paragraph, offset, amount) of each 三公 total stated in a 三公 section."""
    from juesuan.audit.vocab import item_of

    return [(n, a.para, a.at, a) for n, facts in enumerate(all_facts) if facts.kind == "sangong"
            for a in facts.amounts if a.role == "actual" and a.fig.is_money and item_of(a.name) == "sangong_total"]


def resolve_bases(all_facts: list[SectionFacts], doc: Doc) -> None:
    """Find the named base of each share, in its section first, then through concept aliases; an
    unnamed share of a 三公 item in a 三公 section without a total of its own is of the 三公 total."""
    from juesuan.audit.vocab import SANGONG_ITEMS, item_of

    totals: list[tuple[int, int, int, Amount]] | None = None
    for n, facts in enumerate(all_facts):
        for sh in facts.shares:
            if not sh.base_text and sh.base is None and sh.amount is not None and facts.kind == "sangong" \
                    and item_of(sh.amount.name) in SANGONG_ITEMS[1:]:
                if totals is None:
                    totals = _sangong_totals(all_facts)
                before = [t[3] for t in totals if (t[0], t[1], t[2]) < (n, sh.para, sh.start)]
                if before and before[-1] is not sh.amount:
                    sh.base, sh.base_where = before[-1], "“三公”经费合计"
            if not sh.base_text or sh.base is not None:
                continue
            base = _in_section(facts, sh)
            if base is not None:
                sh.base, sh.base_where = base, ""
                continue
            for c in CONCEPTS.values():
                if c.alias and re.search(c.alias, base_name(sh.base_text)):
                    m = first(all_facts, c.id)
                    if m is not None and m.amount is not sh.amount:
                        sh.base, sh.base_where = m.amount, m.facts.section.title
                        break
            if sh.base is None and not (sh.amount is not None and sh.amount.value == 0 and sh.pct.value != 0) \
                    and sh.amount is not None:
                facts.skipped.append(Skip(facts.section.title, f"比重的基数「{sh.base_text}」在文中找不到，未检查",
                                          f"the base {sh.base_text!r} of a share was not found; not checked",
                                          quote_at(facts, doc, sh.para, sh.start)))


def base_name(text: str) -> str:
    """A share's base as a name: "政府采购支出总额的" → "政府采购支出"."""
    text = re.sub(r"[“”\s]", "", text)
    return re.sub(r"(的)?(总额|金额|总数)?(的)?$", "", text)


def _in_section(facts: SectionFacts, sh: Share) -> Amount | None:
    k = re.sub(r"预算$", "", key(base_name(sh.base_text)))
    if len(k) < 2:
        return None
    before = [a for a in facts.amounts if a.role in ("actual", "budget") and a is not sh.amount
              and (a.para, a.at) < (sh.para, sh.start)]
    exact = [a for a in before if key(a.name) == k]
    if exact:
        return exact[-1]
    near = [a for a in before if len(k) >= 4 and len(key(a.name)) >= 4
            and (key(a.name).endswith(k) or k.endswith(key(a.name)))]
    return near[-1] if near else None


# ------------------------------------------------------------------ checks

def check(all_facts: list[SectionFacts], doc: Doc) -> list[Finding]:
    out: list[Finding] = []
    out += check_consistent(all_facts, doc)
    out += check_equal(all_facts, doc)
    out += check_derived(all_facts, doc)
    out += check_scope(all_facts, doc)
    out += check_fund_carry(all_facts, doc)
    out += check_implied_sums(all_facts, doc)
    out += check_reasons(all_facts, doc)
    out += check_balance(all_facts, doc)
    out += check_share_bases(all_facts, doc)
    return out


# A base each share names for its own item: "占同类产品采购规模的 86.9%" (each product's own
# category), "占调整预算 105.47%" (each item's own budget: a completion rate) — no common base.
OWN_BASE = re.compile(r"^同类|^(?:年初|全年|调整后?的?)?预算数?$")


def check_share_bases(all_facts: list[SectionFacts], doc: Doc) -> list[Finding]:
    """Shares of one named base that is not stated ("基本支出 x 元，占一般公共预算支出的 84.06%；
    项目支出 y 元，占一般公共预算支出的 19.62%"): each implies the base lies in an interval (its
    amount and percentage as printed); when no base lies in all of them, a share is wrong."""
    out = []
    for facts in all_facts:
        groups: dict[tuple[str, str, int | None], list[Share]] = {}
        for sh in facts.shares:
            if sh.base is None and sh.base_text and sh.amount is not None and sh.pct.value > 0 \
                    and not OWN_BASE.search(base_name(sh.base_text)):
                k = re.sub(r"预算$", "", key(base_name(sh.base_text)))
                groups.setdefault((k, "", sh.amount.year), []).append(sh)
        for (k, _, _), shares in groups.items():
            if len(shares) < 2 or len(k) < 2:
                continue
            if _bases_meet(shares, 1):
                continue
            severity, note = None, ""
            if _bases_meet(shares, 3) and _to_hundred(shares):
                # "78.33%、10.73%、4.04%、6.90%" (= 100.00): each off by at most one in its last digit —
                # the printed shares were adjusted to add up to 100%, not miscomputed
                severity, note = WARNING, "（各比重合计凑足 100%，似为尾数调整）"
            implied = "、".join(f"{show(rounded(sh.amount.value * 100 / sh.pct.value, 2))}（{sh.label} {show(sh.amount.value)}"  # type: ignore[union-attr]
                                f" ÷ {show(sh.pct.value)}%）" for sh in shares)
            out.append(finding("A-SHARE-BASES", quotes=[quote_at(facts, doc, sh.para, sh.start) for sh in shares],
                               severity=severity,
                               shares="、".join(f"「{sh.label}」占 {show(sh.pct.value)}%" for sh in shares),
                               base_label=base_name(shares[0].base_text), bases=implied,
                               note=f"；各比重之和 {show(sum(sh.pct.value for sh in shares))}%{note}"))
    return out


def _bases_meet(shares: list[Share], halves: int) -> bool:
    """Whether one base lies in every share's interval (its amount and percentage as printed,
    the percentage widened to ``halves`` half-units of its last digit)."""
    bands = [sh.base_band(halves) for sh in shares]
    lo = max(b[0] for b in bands)
    his = [b[1] for b in bands if b[1] is not None]
    return not his or lo < min(his)


def _to_hundred(shares: list[Share]) -> bool:
    """Whether the shares, or all but one of them, add up to exactly 100% as printed."""
    total = sum(sh.pct.value for sh in shares)
    return total == 100 or any(total - sh.pct.value == 100 for sh in shares)


SIDE_RX = re.compile(r"^(?:本年度?)?(?P<fiscal>财政拨款)?(?P<side>收入|支出)(?:决算)?总计$|^(?P<plain>总收入|总支出)$")


def check_balance(all_facts: list[SectionFacts], doc: Doc) -> list[Finding]:
    """收入总计 = 支出总计 (and 财政拨款收入总计 = 财政拨款支出总计): the two sides of a 收支总表
    balance by construction, so a text stating them different is wrong in one of them."""
    sides: dict[tuple[bool, int | None], dict[str, Mention]] = {}
    for facts in all_facts:
        for a in facts.amounts:
            m = SIDE_RX.match(a.name) if a.role == "actual" and a.fig.is_money else None
            if m is None:
                continue
            side = m.group("side") or m.group("plain")[1:]
            sides.setdefault((bool(m.group("fiscal")), a.year), {}).setdefault(side, Mention(facts, a))
    out = []
    for (fiscal, _), pair in sides.items():
        if "收入" not in pair or "支出" not in pair:
            continue
        inc, exp = pair["收入"], pair["支出"]
        v = judge(exp.amount.fig, inc.amount.value, inc.amount.fig.half)
        if v.ok:
            continue
        prefix = "财政拨款" if fiscal else ""
        out.append(finding("A-BALANCE", quotes=[quote_of(inc.facts, doc, inc.amount), quote_of(exp.facts, doc, exp.amount)],
                           severity=severity_of(v), expected=v.expected, actual=v.actual, difference=v.difference,
                           tolerance=v.tolerance, income_label=f"{prefix}收入总计", income=inc.amount.value,
                           expend_label=f"{prefix}支出总计", expend=exp.amount.value, diff=v.difference,
                           note="；文中的“总计”若指本年收支，应改称“本年收入合计”“本年支出合计”"))
    return out


def _where(m: Mention) -> str:
    return m.facts.section.title.split("、", 1)[0] + "、" if "、" in m.facts.section.title else m.facts.section.title


def _same(a: Mention, b: Mention, severity: Severity | None, label: str, note: str,
          doc: Doc, hint) -> Finding | None:
    v = judge(b.amount.fig, a.amount.value, a.amount.fig.half)
    if v.ok:
        return None
    sev = severity_of(v, severity)
    extra = hint(b.amount.value, b.amount) if hint and v.status == "fail" else ""
    return finding("A-SAME-ITEM", quotes=[quote_of(a.facts, doc, a.amount), quote_of(b.facts, doc, b.amount)],
                   severity=sev, expected=v.expected, actual=v.actual, difference=v.difference,
                   tolerance=v.tolerance, label=label, where_a=f"「{a.facts.section.title}」",
                   a=a.amount.value, where_b=f"「{b.facts.section.title}」", b=b.amount.value,
                   diff=v.difference, note=(f"（{note}）" if note else "") + (f"（{extra.lstrip('；')}）" if extra else ""))


def check_consistent(all_facts: list[SectionFacts], doc: Doc) -> list[Finding]:
    out = []
    for cid in CONSISTENT:
        c = CONCEPTS[cid]
        found = mentions(all_facts, cid)
        hard = [m for m in found if m.facts.kind not in c.soft]
        soft = [m for m in found if m.facts.kind in c.soft]
        if not hard:
            continue
        ref = hard[0]
        for m in hard[1:]:
            if _other_year(ref, m):
                continue
            f = _same(ref, m, None, c.zh, "", doc, None)
            if f:
                out.append(f)
        for m in soft:
            if _other_year(ref, m):
                continue
            f = _same(ref, m, WARNING, c.zh, "两处口径可能不同", doc, None)
            if f:
                out.append(f)
    return out


def _other_year(a: Mention, b: Mention) -> bool:
    """Two mentions of different years ("2021年“三公”经费 X … 2022年 Y") are no restatement."""
    return a.amount.year is not None and b.amount.year is not None and a.amount.year != b.amount.year


def check_equal(all_facts: list[SectionFacts], doc: Doc) -> list[Finding]:
    out = []
    for a_id, b_id, severity, note in EQUAL:
        a, b = first(all_facts, a_id), first(all_facts, b_id)
        if a and b:
            f = _same(a, b, severity, f"{CONCEPTS[a_id].zh}/{CONCEPTS[b_id].zh}", note, doc, None)
            if f:
                out.append(f)
    return out


def check_derived(all_facts: list[SectionFacts], doc: Doc) -> list[Finding]:
    out = []
    for target, terms, severity, how in DERIVED:
        t = first(all_facts, target)
        parts = [(s, first(all_facts, cid)) for s, cid in terms]
        if t is None or any(m is None for _, m in parts):
            continue
        value = sum(s * m.amount.value for s, m in parts)  # type: ignore[union-attr]
        band = sum(m.amount.fig.half for _, m in parts)  # type: ignore[union-attr]
        v = judge(t.amount.fig, value, band)
        if v.ok:
            continue
        sources = "、".join(f"「{m.facts.section.title}」" for _, m in parts)  # type: ignore[union-attr]
        out.append(finding("A-SAME-ITEM", quotes=[quote_of(t.facts, doc, t.amount)]
                           + [quote_of(m.facts, doc, m.amount) for _, m in parts],  # type: ignore[union-attr]
                           severity=severity_of(v, severity), expected=v.expected, actual=v.actual,
                           difference=v.difference, tolerance=v.tolerance, label=CONCEPTS[target].zh,
                           where_a=f"「{t.facts.section.title}」", a=t.amount.value,
                           where_b=f"按{sources}计算（{how}）", b=v.expected, diff=v.difference, note=""))
    return out


def check_scope(all_facts: list[SectionFacts], doc: Doc) -> list[Finding]:
    out = []
    for broad_id, narrow_ids in SCOPE:
        broad = first(all_facts, broad_id)
        narrow = [m for m in (first(all_facts, n) for n in narrow_ids) if m is not None]
        if broad is None or not narrow:
            continue
        total, band = sum_band(m.amount.fig for m in narrow)
        if total > broad.amount.value + band + broad.amount.fig.half:
            names = " + ".join(f"{m.amount.name} {show(m.amount.value)}" for m in narrow)
            out.append(finding("A-SCOPE", quotes=[quote_of(broad.facts, doc, broad.amount)]
                               + [quote_of(m.facts, doc, m.amount) for m in narrow],
                               expected=f"≥ {show(total)}", actual=broad.amount.value,
                               difference=broad.amount.value - total,
                               tolerance=band + broad.amount.fig.half, narrow_label=names if len(narrow) > 1 else
                               f"「{narrow[0].amount.name}」", narrow=total if len(narrow) > 1 else narrow[0].amount.value,
                               broad_label=f"「{broad.facts.section.title}」的「{broad.amount.name}」",
                               broad=broad.amount.value, note=""))
    return out


FISCAL_CLAIM = re.compile(r"(?<!非)(一般公共预算|财政拨款|政府性基金)[^。；，]{0,6}(结转|结余)")


def check_fund_carry(all_facts: list[SectionFacts], doc: Doc) -> list[Finding]:
    """A carry-over called fiscal when 财政拨款收支总计 equals this year's fiscal income."""
    total = first(all_facts, "fiscal_total")
    incomes = [first(all_facts, c) for c in ("gpb_income", "gf_income", "soe_income")]
    if total is None or incomes[0] is None:
        return []
    present = [m for m in incomes if m is not None]
    income, band = sum_band(m.amount.fig for m in present)
    v = judge(total.amount.fig, income, band)
    if v.status not in ("ok", "info"):
        return []
    out = []
    for facts in all_facts:
        if facts.kind != "overall":
            continue
        for a in facts.amounts:
            if a.role != "actual" or not re.search(r"年末结转和结余", a.name) or a.value == 0:
                continue
            text = facts.section.paras[a.para].text
            m = FISCAL_CLAIM.search(text, a.at)
            if m is None:
                continue
            parts = " + ".join(show(x.amount.value) for x in present)
            evidence = (f"「{total.facts.section.title}」财政拨款收支总计 {show(total.amount.value)} 等于本年财政拨款收入 "
                        f"{parts} = {show(income)}")
            out.append(finding("A-FUND-CARRY", quotes=[quote_of(facts, doc, a), quote_of(total.facts, doc, total.amount)],
                               expected=Decimal(0), actual=a.value, label=f"「{a.name}」", amount=a.value,
                               claim=m.group(0), evidence=evidence))
    return out


def check_implied_sums(all_facts: list[SectionFacts], doc: Doc) -> list[Finding]:
    """Shares without amounts inside one list, whose bases are all parts of one complete list:
    the amounts they imply must add up to the list's head (政府采购 中小企业 by 货物/工程/服务)."""
    out = []
    for facts in all_facts:
        groups: dict[int, list[Share]] = {}
        for sh in facts.shares:
            if sh.amount is None and sh.in_list is not None and sh.base is not None:
                groups.setdefault(id(sh.in_list), []).append(sh)
        for shares in groups.values():
            head = shares[0].in_list.head  # type: ignore[union-attr]
            bases = {id(s.base) for s in shares}
            whole = next((l for l in facts.lists if l.complete and l.items
                          and {id(i.amount) for i in l.items} == bases), None)
            if whole is None or len(shares) < 2:
                continue
            implied = [s.base.value * s.pct.value / 100 for s in shares]  # type: ignore[union-attr]
            band = sum(s.base.value * s.pct.half / 100 + s.pct.value * s.base.fig.half / 100  # type: ignore[union-attr]
                       for s in shares)
            total = sum(implied)
            shown = sum(rounded(x, 2) for x in implied)
            v = judge(head.fig, total, band)
            if v.status in ("ok", "info"):
                continue
            parts = "、".join(f"{s.label} {show(rounded(x, 2))}（{show(s.base.value)}×{show(s.pct.value)}%）"  # type: ignore[union-attr]
                             for s, x in zip(shares, implied))
            out.append(finding("A-IMPLIED-SUM", quotes=[quote_at(facts, doc, shares[0].para, shares[0].start)],
                               expected=v.expected, actual=v.actual, difference=v.difference, tolerance=v.tolerance,
                               parts=parts, sum=shown, total_label=f"「{head.name}」",
                               total=head.value, diff=v.actual - shown))
    return out


# ------------------------------------------------------------------ reasons

@dataclass(frozen=True)
class Moved:
    """A stated movement of an item: a change (上年 or 预算) or a 决算 above/below its 预算."""

    facts: SectionFacts
    name: str
    basis: str
    sign: int
    describe: Callable[[], str]  # what the text states, for a message (made only when one needs it)
    para: int
    at: int

    @property
    def stated(self) -> str:
        return self.describe()


def movements(all_facts: list[SectionFacts]) -> list[Moved]:
    """Every item whose direction against last year or the budget the document states."""
    out = []
    for facts in all_facts:
        for ch in facts.changes:
            size = ch.amount if ch.amount is not None else ch.pct
            if ch.subject is None or ch.sign == 0 or size is None or size.value == 0:
                continue
            basis = "与上年相比" if ch.basis == "上年" else "与预算相比"
            unit = " 万元" if ch.amount is not None else "%"
            out.append(Moved(facts, ch.subject.name, ch.basis, ch.sign,
                             lambda basis=basis, word=ch.word, size=size, unit=unit:  # type: ignore[misc]
                             f"{basis}{word} {show(size.value)}{unit}", ch.para, ch.start))
        for r in facts.rates:
            if r.actual is None or r.budget is None or r.actual.value == r.budget.value:
                continue
            sign = 1 if r.actual.value > r.budget.value else -1
            out.append(Moved(facts, r.actual.name, "预算", sign,
                             lambda actual=r.actual.value, budget=r.budget.value, sign=sign:  # type: ignore[misc]
                             f"决算 {show(actual)} {'高于' if sign > 0 else '低于'}预算 {show(budget)}",
                             r.para, r.start))
    return out


HAN = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=65536)
def names_match(item: str, name: str) -> bool:
    """"接待费" ~ "公务接待费支出": the shorter name (three characters at least) inside the longer.

    (Pure; memoised: a batch asks the same pairs of names for every department.)"""
    a, b = key(item), key(name)
    short, long = sorted((a, b), key=len)
    return len(HAN.findall(short)) >= 3 and short in long


def check_reasons(all_facts: list[SectionFacts], doc: Doc) -> list[Finding]:
    """A reason saying an item moved one way ("接待费减少") while every statement of that item's
    change against the same basis says the other way.  A warning: the reason may mean another
    scope (here: 公务接待费 is a 项目支出, not part of 机构运行经费)."""
    by_basis: dict[str, list[Moved]] = {}
    names: dict[str, dict[str, None]] = {}  # by basis: the movements' distinct names, in order
    for m in movements(all_facts):
        by_basis.setdefault(m.basis, []).append(m)
        names.setdefault(m.basis, {})[m.name] = None
    out = []
    for facts in all_facts:
        for c in facts.claims:
            matched = {name for name in names.get(c.basis, ()) if names_match(c.item, name)}
            if not matched:
                continue  # (no movement of that item: ``same`` below would be empty)
            same = [m for m in by_basis[c.basis] if m.name in matched]
            if not same or any(m.sign == c.sign for m in same):
                continue
            m = same[0]
            out.append(finding("A-REASON-DIRECTION", quotes=[quote_at(facts, doc, c.para, c.end - 1),
                                                              quote_at(m.facts, doc, m.para, m.at)],
                               expected="增加" if m.sign > 0 else "减少", actual=c.word, where=_claim_where(facts, c),
                               claim=facts.section.paras[c.para].text[c.start:c.end],
                               target_where=f"「{m.facts.section.title}」中", target_label=m.name,
                               stated=m.stated))
    return out


def _claim_where(facts: SectionFacts, c: Claim) -> str:
    where = f"「{facts.section.title}」"
    if c.of is not None and c.of.subject is not None:
        where += f"中「{c.of.subject.name}」{c.of.word}"
    return where
