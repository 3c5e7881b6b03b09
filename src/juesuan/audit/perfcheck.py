"""Checks of the 绩效自评表 and of the narrative's quotes of them.

Per table: 年度资金总额 = 财政拨款 + 上年结转 + 其他资金 (each of 年初预算数, 全年预算数, 全年执行数);
执行率 = 全年执行数 / 全年预算数; 得分 = 分值 × 执行率; 总分 = Σ 指标得分 + 资金得分 (and the
分值 likewise add up to the 总分's 分值).  Per narrative item: its 自评得分, 全年预算数 and 执行数
equal the table's.

One wrong cell gives one error: when 年度资金总额's 全年执行数 disagrees with its sources (the
seed's 公务接待费 prints 80.00 where 财政拨款 66.20 + 0 + 0 = 66.20), the 执行率 and 得分 of that
row are checked against the sources' sum.  Rows whose budget and execution are both zero (上年结转
资金 0.00 0 0.00 — 0 —) mean "none" and are not checked.  Scores are compared at two decimals, the
precision the tables themselves use (98.07), with the tolerance of the printed 执行率: 公务接待费's
8.3 against 10 × 66.20/80 = 8.275 is a 尾差 (info), since 83% printed whole stands for 82.5–83.5%.
分值 and 得分 are points awarded as printed (exact), so 总分 = Σ 指标得分 + 资金得分 has no other
tolerance than the rounding of the 资金得分 itself.
"""

from __future__ import annotations

import re
from decimal import Decimal

from juesuan.audit.crosscheck import first
from juesuan.audit.model import Doc, SectionFacts, Skip
from juesuan.audit.perf import PerfTable, TextItem, parse_tables, text_item
from juesuan.audit.relations import note_of, quote_at, quote_of, severity_of
from juesuan.audit.rules import Lazy, finding, show
from juesuan.audit.text import Figure
from juesuan.audit.tolerance import judge, ratio_band, sum_band
from juesuan.findings import Finding, Severity

WARNING = Severity.WARNING
FUND_COLUMNS = ("年初预算数", "全年预算数", "全年执行数")


def check(perf: SectionFacts, all_facts: list[SectionFacts], doc: Doc) -> list[Finding]:
    """All checks of the 预算绩效 section's tables and items."""
    section = perf.section
    tables = [t for t in parse_tables(doc.mapped.text)
              if section.paras and section.paras[0].start <= t.start <= section.paras[-1].pos[-1]]
    out: list[Finding] = []
    for t in tables:
        for zh, en in t.problems:
            perf.skipped.append(Skip(section.title, f"绩效自评表「{t.name}」：{zh}，相关检查未做",
                                     f"performance table {t.name!r}: {en}; not checked",
                                     doc.quote_span(section, t.start, min(t.end, t.start + 60))))
        out += _check_table(t, perf, all_facts, doc)
    items = [it for i, p in enumerate(section.paras) if not p.table
             for it in [text_item(p.text, p.marker, i)] if it is not None]
    for it in items:
        table = _match(it, tables)
        if table is None:
            perf.skipped.append(Skip(section.title, f"项目「{it.name}」没有对应的绩效自评表，未核对",
                                     f"no performance table for project {it.name!r}; not compared",
                                     quote_at(perf, doc, it.para, 0)))
            continue
        out += _check_item(it, table, perf, doc)
    return out


def _q(doc: Doc, perf: SectionFacts, start: int, end: int):
    return doc.quote_span(perf.section, start, end)


def _row_quote(doc: Doc, perf: SectionFacts, t: PerfTable, key: str):
    row = t.rows[key]
    return _q(doc, perf, row.start, row.end)


def executed(t: PerfTable) -> tuple[Figure | None, bool]:
    """The 年度资金总额 全年执行数 to check rates and scores with, and whether it was corrected."""
    total = t.rows.get("total")
    done = total.cell("全年执行数") if total else None
    sources = [t.rows[k].cell("全年执行数") for k in ("fiscal", "carry", "other") if k in t.rows]
    if done is None or not sources or any(s is None for s in sources):
        return done, False
    s, band = sum_band(sources)  # type: ignore[arg-type]
    if judge(done, s, band).status == "fail":
        places = max(f.places for f in sources)  # type: ignore[union-attr]
        return Figure(s, places, "万元", show(s), done.start, done.end), True
    return done, False


def _check_table(t: PerfTable, perf: SectionFacts, all_facts: list[SectionFacts], doc: Doc) -> list[Finding]:
    out: list[Finding] = []
    total = t.rows.get("total")
    if total is None:
        return out
    sources = [t.rows[k] for k in ("fiscal", "carry", "other") if k in t.rows]
    for col in FUND_COLUMNS:
        whole = total.cell(col)
        parts = [r.cell(col) for r in sources]
        if whole is None or not parts or any(p is None for p in parts):
            continue
        s, band = sum_band(parts)  # type: ignore[arg-type]
        v = judge(whole, s, band)
        if not v.ok:
            out.append(finding("A-PERF-FUNDS", quotes=[_row_quote(doc, perf, t, "total"), _row_quote(doc, perf, t, "fiscal")]
                               if "fiscal" in t.rows else [_row_quote(doc, perf, t, "total")],
                               severity=severity_of(v), expected=v.expected, actual=v.actual,
                               difference=v.difference, tolerance=v.tolerance, project=t.name,
                               column=col, total=whole.value, sum=s, diff=v.difference))
    done_total, corrected = executed(t)
    for key in ("total", "fiscal", "carry", "other"):
        row = t.rows.get(key)
        if row is None:
            continue
        rate, budget = row.cell("执行率"), row.cell("全年预算数")
        done = done_total if key == "total" else row.cell("全年执行数")
        if rate is None or budget is None or done is None:
            continue
        q = Lazy(lambda key=key: [_row_quote(doc, perf, t, key)])  # type: ignore[misc]
        if budget.value == 0:
            if done.value != 0 or rate.value != 0:
                out.append(finding("A-ZERO-BASE", quotes=q, actual=rate.value, label=f"{t.name}·{row.label}",
                                   detail=f"全年预算数为 0，执行率写作 {show(rate.value)}%", advice="—"))
            continue
        band = ratio_band((done.value, done.half), (budget.value, budget.half))
        if band is None:
            continue
        v = judge(rate, band[0], band[1])
        if not v.ok:
            note = note_of(v) + ("（执行数按各资金来源之和计）" if key == "total" and corrected else "")
            out.append(finding("A-PERF-RATE", quotes=q, severity=severity_of(v), expected=v.expected,
                               actual=v.actual, difference=v.difference, tolerance=v.tolerance, project=t.name,
                               row=row.label, done=done.value, budget=budget.value, want=v.expected,
                               got=v.actual, note=note))
    out += _check_score(t, perf, doc, done_total, corrected)
    out += _check_total(t, perf, doc)
    out += _check_cross(t, perf, all_facts, doc)
    return out


def _check_score(t: PerfTable, perf: SectionFacts, doc: Doc, done: Figure | None, corrected: bool) -> list[Finding]:
    out = []
    row = t.rows["total"]
    weight, score, rate, budget = row.cell("分值"), row.cell("得分"), row.cell("执行率"), row.cell("全年预算数")
    q = Lazy(lambda: [_row_quote(doc, perf, t, "total")])
    if weight is not None and score is not None and score.value > weight.value:
        out.append(finding("A-PERF-SCORE", quotes=q, expected=f"≤ {show(weight.value)}", actual=score.value,
                           project=t.name, row="资金", detail=f"得分 {show(score.value)} 超过分值 {show(weight.value)}"))
    if weight is None or score is None or done is None or budget is None or budget.value == 0:
        return out
    ratio = min(done.value / budget.value, Decimal(1))
    exact = weight.value * ratio
    # a rate printed "90.00" may be a whole number shown with decimals: allow its whole-number half
    rate_half = Decimal("0.5") if rate is None or rate.value == rate.value.to_integral_value() else rate.half
    band = weight.value * rate_half / 100
    v = judge(score, exact, band, compare_places=2)
    if not v.ok:
        how = ""
        if rate is not None and weight.value * min(rate.value, Decimal(100)) / 100 == score.value:
            how = f"（表中按取整后的执行率 {show(rate.value)}% 计算）"
        out.append(finding("A-PERF-SCORE", quotes=q, severity=severity_of(v), expected=v.expected,
                           actual=v.actual, difference=v.difference, tolerance=v.tolerance, project=t.name,
                           row="资金得分",
                           detail=f"分值 {show(weight.value)} × 执行率 {show(done.value)}/{show(budget.value)} = "
                                  f"{show(v.expected)}，表中得分为 {show(score.value)}{how}"
                                  + ("（执行数按各资金来源之和计）" if corrected else "")))
    for ind in t.indicators:
        if ind.score.value > ind.weight.value:
            out.append(finding("A-PERF-SCORE", quotes=[_q(doc, perf, ind.start, ind.end)],
                               expected=f"≤ {show(ind.weight.value)}", actual=ind.score.value, project=t.name,
                               row=f"指标「{ind.name}」",
                               detail=f"得分 {show(ind.score.value)} 超过分值 {show(ind.weight.value)}"))
    return out


def _check_total(t: PerfTable, perf: SectionFacts, doc: Doc) -> list[Finding]:
    out = []
    row = t.rows["total"]
    if t.total_score is None or not t.indicators:
        return out
    q = Lazy(lambda: [_q(doc, perf, *t.total_at)])
    for what, total, parts in (
            ("得分", t.total_score, [i.score for i in t.indicators] + [row.cell("得分")]),
            ("分值", t.total_weight, [i.weight for i in t.indicators] + [row.cell("分值")])):
        if total is None or any(p is None for p in parts):
            continue
        s, band = sum_band(parts)  # type: ignore[arg-type]
        v = judge(total, s, band)
        if not v.ok:
            out.append(finding("A-PERF-TOTAL", quotes=q, severity=severity_of(v), expected=v.expected,
                               actual=v.actual, difference=v.difference, tolerance=v.tolerance, project=t.name,
                               detail=f"总分{what} {show(total.value)} ≠ {len(t.indicators)} 项指标{what}"
                                      f"之和加资金{what} = {show(s)}，差 {show(v.difference)}"))
    return out


def _check_cross(t: PerfTable, perf: SectionFacts, all_facts: list[SectionFacts], doc: Doc) -> list[Finding]:
    """A project that is itself a 三公 item (公务接待费): its executed funds vs section 八."""
    out = []
    if not re.fullmatch(r"公务接待费?", t.name):
        return out
    m = first(all_facts, "reception")
    fiscal = t.rows.get("fiscal")
    done = fiscal.cell("全年执行数") if fiscal else None
    if m is None or done is None:
        return out
    v = judge(done, m.amount.value, m.amount.fig.half)
    if not v.ok:
        out.append(finding("A-SAME-ITEM", quotes=[quote_of(m.facts, doc, m.amount), _row_quote(doc, perf, t, "fiscal")],
                           severity=severity_of(v, WARNING), expected=v.expected, actual=v.actual,
                           difference=v.difference, tolerance=v.tolerance, label="公务接待费",
                           where_a=f"「{m.facts.section.title}」", a=m.amount.value,
                           where_b=f"绩效自评表「{t.name}」财政拨款执行数", b=done.value, diff=v.difference,
                           note="（两处口径可能不同）"))
    return out


def _norm(name: str) -> str:
    return re.sub(r"项目|费$", "", name)


def _match(it: TextItem, tables: list[PerfTable]) -> PerfTable | None:
    exact = [t for t in tables if t.name == it.name]
    if len(exact) == 1:
        return exact[0]
    close = [t for t in tables if _norm(t.name) == _norm(it.name)
             or (len(_norm(t.name)) >= 2 and (_norm(t.name) in it.name or _norm(it.name) in t.name))]
    return close[0] if len(close) == 1 else None


def _check_item(it: TextItem, t: PerfTable, perf: SectionFacts, doc: Doc) -> list[Finding]:
    out = []
    total = t.rows.get("total")
    done, corrected = executed(t)
    pairs = [("自评得分", it.score, it.score_at, t.total_score, [_q(doc, perf, *t.total_at)]),
             ("全年预算数", it.budget, it.budget_at, total.cell("全年预算数") if total else None,
              [_row_quote(doc, perf, t, "total")] if total else []),
             ("执行数", it.done, it.done_at, done, [_row_quote(doc, perf, t, "total")] if total else [])]
    for what, said, at, table_value, tq in pairs:
        if said is None or table_value is None:
            continue
        v = judge(said, table_value.value, table_value.half)
        if v.ok:
            continue
        out.append(finding("A-PERF-QUOTE", quotes=[quote_at(perf, doc, it.para, at)] + tq,
                           severity=severity_of(v), expected=v.expected, actual=v.actual,
                           difference=v.difference, tolerance=v.tolerance, project=it.name, what=what,
                           text_value=said.value, table_value=table_value.value))
    return out
