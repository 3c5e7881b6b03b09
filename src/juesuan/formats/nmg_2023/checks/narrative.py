"""The narrative, checked before it is printed: every figure and claim 决算情况说明 will state.

The tables can all agree while the text built from them says something impossible or
contradictory — a share of 427 %, "全面开展" next to 0.44 % coverage, three different 年初预算
for one total, a reason for a change that did not happen.  These rules read the same figures
the narrative prints (:mod:`juesuan.formats.nmg_2023.metrics`) and the inputs behind its claims:

- N-SHARE  a share the text prints is above 100 % (or has a zero base);
- N-COVER  "全面" said of 绩效自评 while it covers less than all 一般公共预算 项目支出;
- N-BUDGET one 年初预算 per total: a narrower total's budget above a broader one's, or two
  totals printed equal with different budgets (一, 四, 五);
- N-SANGONG a 三公 item spent beyond its budget;
- N-UNEVALUATED 项目支出 of a fund type only partly covered by 绩效自评;
- N-PERF-SUM the 部门评价 amount is no sum of the projects it names;
- N-NAME  one project under two names (绩效自评 / 绩效指标 / 部门评价项目);
- N-REASON-FLAT a 变动原因 typed for a comparison that did not change (持平);
- N-SCORE  a 自评得分 filed in the 绩效 system that is not the computed 总分 (beyond rounding);
- N-REASON and N-TEXT: the generated document audited by ``juesuan audit``'s own engine
  (:func:`juesuan.audit.engine.audit_loaded`), its errors and warnings mapped to check findings,
  so what audit flags in the exported document is already flagged on the workbook (a finding
  that only repeats a contradiction of the tables becomes info: :mod:`juesuan.check.echo`).

Example: the reference department's 十一 gives 机构运行经费's decrease the reason "接待费减少"
while 八 says 公务接待费 rose: N-REASON, a warning quoting both sentences.

Everything here depends on the book's inputs only (the narrative is written from them), so the
result is kept on the :class:`~juesuan.check.context.Prepared` book and reused while the inputs
do not change (the mutation tests check one book thousands of times).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Iterator

from juesuan.check.values import is_blank
from juesuan.expr import Key
from juesuan.findings import CellRef, Finding, Severity
from juesuan.money import HUNDRED, ZERO, round2

if TYPE_CHECKING:
    from juesuan.check.context import Context
    from juesuan.check.registry import Rule
    from juesuan.narrate.document import Narrative
    from juesuan.formats.nmg_2023.metrics import Metrics

SHEET = "决算情况说明"
NO_CHANGE = re.compile(r"无差异|无变化|无变动|没有变化|持平|相同|一致|不存在|未发生|无此项|没有此项|无此类|无.{0,20}(收|支|余|业务|事项)")
FULL = re.compile(r"全面")
NAME_NOISE = re.compile(r"[“”\"'「」《》\s]|项目$")


@dataclass
class Story:
    """What the narrative of one book prints, computed once per book (see the module docstring)."""

    narrative: "Narrative"
    metrics: "Metrics"
    audit: list[Finding]


def story(ctx: "Context") -> Story:
    """The narrative, its metrics and its audit for ``ctx.book``, cached on ``ctx.prep`` (and on
    ``ctx`` itself: the values cannot change during one check)."""
    mine = ctx.__dict__.get("_story")
    if mine is not None:
        return mine  # type: ignore[no-any-return]
    from juesuan.narrate.build import MEMO, narrative_state

    book = ctx.book
    cached = getattr(ctx.prep, "_story", None)
    if cached is not None:
        fingerprint = narrative_state(book)  # what the narrative is written from: values, rows, names, notes
        if cached[0] == fingerprint:
            ctx.__dict__["_story"] = cached[1]
            return cached[1]  # type: ignore[no-any-return]
    from juesuan.audit.engine import audit_loaded
    from juesuan.audit.load import Loaded
    from juesuan.errors import InputError
    from juesuan.export.plain import document_text
    from juesuan.narrate import narrative
    from juesuan.narrate.build import metrics_of

    told = narrative(book)
    memo = book.__dict__.get(MEMO)  # (state, outline, narrative, metrics) as narrative() just remembered them
    if memo is not None and memo[2] is told:
        fingerprint, metrics = memo[0], memo[3]  # the book's state and metrics, not computed a second time
    else:
        fingerprint, metrics = narrative_state(book), metrics_of(book)
    try:
        found = audit_loaded(Loaded(SHEET, document_text(book, told), "txt"), book.format.id).findings
    except InputError:  # nothing the audit recognises: no text rule applies
        found = []
    result = Story(told, metrics, found)  # type: ignore[arg-type]
    ctx.prep._story = (fingerprint, result)  # type: ignore[attr-defined]
    ctx.__dict__["_story"] = result
    return result


def _pct(value: Decimal | None) -> str:
    return "——" if value is None else f"{round2(value):,.2f}%"


# ── N-SHARE ─────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Stated:
    """A share the text prints: ``part`` of ``base``, in section ``section``."""

    section: str
    label: str
    part: Decimal
    base: Decimal
    base_label: str
    keys: tuple[Key, ...]


def stated_shares(m: "Metrics") -> Iterator[Stated]:
    """Every "占 … %" of the narrative, with the two figures it divides."""
    t1 = ("表1", "本年收入合计", "金额")
    for item in m.income.lines:
        yield Stated("二", item.name, item.amount, m.income.total, "本年收入合计", (item.key, t1))  # type: ignore[arg-type]
    t3 = ("表3", "合计", "本年支出合计")
    for item in m.spending.lines:
        yield Stated("三", item.name, item.amount, m.spending.total, "本年支出合计", (item.key, t3))  # type: ignore[arg-type]
    t10 = ("表10", "金额", "决算数合计")
    for item in m.sangong.lines:
        yield Stated("八", item.name, item.amount, m.sangong.total.actual, "“三公”经费支出", (item.key, t10))  # type: ignore[arg-type]
    pr = m.procurement
    if pr.total:
        t11 = lambda row: ("表11", row, "数值")  # noqa: E731
        yield Stated("十二", "授予中小企业合同金额", pr.sme, pr.total, "政府采购支出总额",
                     (t11("授予中小企业合同金额"), t11("政府采购支出总额")))
        yield Stated("十二", "授予小微企业合同金额", pr.small, pr.total, "政府采购支出总额",
                     (t11("授予小微企业合同金额"), t11("政府采购支出总额")))
        for k in pr.kinds:
            if k.share is not None:
                yield Stated("十二", f"{k.kind}授予中小企业合同金额", k.sme, k.amount, f"政府采购{k.kind}支出",
                             (t11(f"{k.kind}授予中小企业合同金额"), t11(f"政府采购{k.kind}支出")))
    perf = m.performance
    g, f = perf.general, perf.fund
    yield Stated("十四", "一般公共预算绩效自评资金", g.funds, g.base, "一般公共预算项目支出",
                 (("绩效管理", "一般公共预算自评资金", "值"), ("表5", "合计", "项目支出")))
    yield Stated("十四", "政府性基金绩效自评资金", f.funds, f.base, "应纳入自评的政府性基金项目支出",
                 (("绩效管理", "政府性基金自评资金", "值"), ("表8", "合计", "项目支出")))


def shares(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """N-SHARE: no printed share above 100 %, no amount "占" a zero base."""
    m = story(ctx).metrics
    for s in stated_shares(m):
        part, base = round2(s.part), round2(s.base)
        if part <= base or part == 0:
            continue
        share = s.part / s.base * HUNDRED if s.base else None
        yield rule.finding(ctx, s.keys, section=s.section, label=s.label, part=part, base_label=s.base_label,
                           base=base, share=_pct(share), expected=base, actual=part)


# ── N-COVER ─────────────────────────────────────────────────────────────────────────────
def coverage_words(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """N-COVER: "全面" in 十四 only when 绩效自评 covers all 一般公共预算 项目支出."""
    st = story(ctx)
    g = st.metrics.performance.general
    if g.base == 0 or round2(g.funds) >= round2(g.base):
        return
    try:
        section = st.narrative.section("十四")
    except KeyError:
        return
    for p in section.paragraphs:
        hit = FULL.search(p.text)
        if hit:
            start = max(0, hit.start() - 20)
            yield rule.finding(ctx, [("绩效管理", "一般公共预算自评资金", "值"), ("表5", "合计", "项目支出")],
                               quote=p.text[start:hit.end() + 20], funds=round2(g.funds), base=round2(g.base),
                               share=_pct(g.share))
            return


# ── N-BUDGET ────────────────────────────────────────────────────────────────────────────
BUDGETED = (  # broad → narrow: (name, section, total cell, its 年初预算 cell)
    ("收支总计", "一", ("表1", "收入总计", "金额"), ("预算总数", "收支总计", "值")),
    ("财政拨款收支总计", "四", ("表4", "收入总计", "金额"), ("预算总数", "财政拨款收支总计", "值")),
    ("一般公共预算财政拨款支出", "五", ("表5", "合计", "小计"), ("年初预算", "合计", "年初预算数")),
)


def budgets(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """N-BUDGET: a narrower total's 年初预算 not above a broader one's; equal totals, equal budgets."""
    from juesuan.formats.nmg_2023.metrics import Source

    src = Source(ctx.book)
    rows = [(name, sec, round2(src.amount(*total)), round2(src.amount(*budget)), total, budget)
            for name, sec, total, budget in BUDGETED]
    for i, (bname, bsec, btotal, bbudget, bt, bb) in enumerate(rows):
        for nname, nsec, ntotal, nbudget, nt, nb in rows[i + 1:]:
            if nbudget > bbudget:
                relation, note = "大于口径更宽的", "（口径窄的总额，其年初预算不应大于口径宽的总额的年初预算）"
            elif ntotal == btotal and nbudget != bbudget and nbudget and bbudget:
                relation, note = "不同于决算数相同的", "（同一总额在说明中只应与一个年初预算数比较）"
            else:
                continue
            yield rule.finding(ctx, [nb, bb, nt, bt], narrow=f"{nsec}、{nname}", narrow_budget=nbudget,
                               relation=relation, broad=f"{bsec}、{bname}", broad_budget=bbudget, note=note,
                               expected=bbudget, actual=nbudget)


# ── N-SANGONG ───────────────────────────────────────────────────────────────────────────
SANGONG_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")


def sangong_over(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """N-SANGONG: a 三公 item whose 决算数 exceeds its 预算数 (a warning: 超预算 needs a reason)."""
    for item in SANGONG_ITEMS:
        actual_key, budget_key = ("表10", "金额", f"决算数{item}"), ("表10", "金额", f"预算数{item}")
        actual, budget = round2(ctx.value(actual_key)), round2(ctx.value(budget_key))
        if actual > budget:
            rate = actual / budget * HUNDRED if budget else None
            yield rule.finding(ctx, [actual_key, budget_key], item=item, actual=actual, budget=budget,
                               rate=_pct(rate), expected=budget)


# ── N-UNEVALUATED ───────────────────────────────────────────────────────────────────────
def unevaluated(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """N-UNEVALUATED: 项目支出 of a fund type that 绩效自评 covers only in part (or not at all)."""
    perf = story(ctx).metrics.performance
    fund_base = (("绩效管理", "应纳入自评的政府性基金项目支出", "值")
                 if ctx.book.get(("绩效管理", "应纳入自评的政府性基金项目支出", "值")) is not None else ("表8", "合计", "项目支出"))
    for name, cov, keys in (
            ("一般公共预算", perf.general, [("绩效管理", "一般公共预算自评资金", "值"), ("表5", "合计", "项目支出")]),
            ("政府性基金预算", perf.fund, [("绩效管理", "政府性基金自评资金", "值"), fund_base])):
        funds, base = round2(cov.funds), round2(cov.base)
        if base > 0 and funds < base:
            yield rule.finding(ctx, keys, fund=name, base=base, funds=funds, share=_pct(cov.share),
                               rest=base - funds, expected=base, actual=funds)


# ── N-PERF-SUM ──────────────────────────────────────────────────────────────────────────
def _norm(name: str) -> str:
    return NAME_NOISE.sub("", name.strip())


def _same_project(a: str, b: str) -> bool:
    """"社会力量购买服务费" ~ "社会力量购买服务"; "维护费项目" ~ "维护费" (not "设备维护费" ~ "维护费")."""
    x, y = _norm(a), _norm(b)
    if x == y:
        return True
    short, long = sorted((x, y), key=len)
    return len(short) >= 4 and short in long and len(long) - len(short) <= 2


def perf_sums(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """N-PERF-SUM: the 部门评价 amount must be a sum of the named projects' 绩效自评 money."""
    book = ctx.book
    perf = story(ctx).metrics.performance
    named = [n for n in perf.evaluated if n not in ("无", "")]
    amount = round2(perf.evaluated_general + perf.evaluated_fund)
    if not named or amount == 0:
        return
    table = book.format.table("绩效自评")
    rows = {}
    for n in named:
        row = next((r for r in book.rows(table) if _same_project(book.text(("绩效自评", r, "项目名称")), n)), None)
        if row is None:
            return  # a project without a 自评表: nothing to add up
        rows[n] = row
    from juesuan.formats.nmg_2023.metrics import Source

    src = Source(book)
    sums = {}
    for stage in ("年初预算数", "全年预算数", "全年执行数"):
        for money in ("年度资金总额", "财政拨款"):
            sums[f"{money}{stage}"] = round2(sum((src.amount("绩效自评", r, f"{money}{stage}") for r in rows.values()),
                                                 ZERO))
    tol = Decimal("0.005") * (len(rows) + 1)
    if any(abs(v - amount) <= tol for v in sums.values()):
        return
    keys = [("绩效管理", "部门评价一般公共预算资金", "值"), ("绩效管理", "部门评价政府性基金资金", "值")]
    keys += [("绩效自评", r, "年度资金总额全年执行数") for r in rows.values()]
    shown = "、".join(f"{k} {v:,.2f}" for k, v in sums.items() if k.startswith("年度资金总额"))
    yield rule.finding(ctx, keys, amount=amount, projects="、".join(f"“{n}”" for n in named), sums=shown)


# ── N-NAME ──────────────────────────────────────────────────────────────────────────────
def project_names(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """N-NAME: each project has one name in 绩效自评, 绩效指标 and 部门评价项目."""
    book = ctx.book
    projects = [(r, book.text(("绩效自评", r, "项目名称")).strip()) for r in book.rows(book.format.table("绩效自评"))]
    names = {n for _, n in projects if n}
    seen: set[str] = set()
    for r in book.rows(book.format.table("绩效指标")):
        n = book.text(("绩效指标", r, "项目名称")).strip()
        if n and n not in names and n not in seen:
            seen.add(n)
            like = next((m for m in names if _same_project(m, n)), "")
            yield rule.finding(ctx, [("绩效指标", r, "项目名称")], name=n, place="绩效指标表",
                               other=f"绩效自评表中的「{like}」" if like else "绩效自评表中的任何项目",
                               effect="其指标得分不会计入该项目的自评得分")
    for n in story(ctx).metrics.performance.evaluated:
        if n in names or n in seen:
            continue
        like = next((m for m in names if _same_project(m, n)), None)
        if like is not None:
            seen.add(n)
            row = next(r for r, m in projects if m == like)
            yield rule.finding(ctx, [("绩效管理", "部门评价项目", "值"), ("绩效自评", row, "项目名称")], name=n,
                               place="部门评价项目", other=f"绩效自评表中的「{like}」", effect="说明中同一项目出现两个名称")


# ── N-REASON-FLAT ───────────────────────────────────────────────────────────────────────
def flat_reasons(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """N-REASON-FLAT: a 变动原因 that explains a change where there is none (the text says 持平)."""
    from juesuan.formats.nmg_2023.checks.reasons import REASONS

    for comparison in ctx.fmt.comparisons:
        current, base = REASONS[comparison.key]
        if base is None:
            continue
        cell = ("变动原因", comparison.key, "原因")
        text = ctx.text(cell).strip()
        if is_blank(text) or NO_CHANGE.search(text):
            continue
        now, then = round2(ctx.value(current)), round2(ctx.value(base))
        if now == then:
            yield rule.finding(ctx, [cell, current, base], comparison=comparison.label, current=now, base=then,
                               reason=text)
    codes = set(ctx.book.codes.get("年初预算", [])) | set(ctx.book.codes.get("表5", []))
    for code in sorted(codes):
        cell = ("年初预算", code, "差异原因")
        text = ctx.text(cell).strip()
        if is_blank(text) or NO_CHANGE.search(text):
            continue
        spent, budget = round2(ctx.value(("表5", code, "小计"))), round2(ctx.value(("年初预算", code, "年初预算数")))
        if spent == budget:
            yield rule.finding(ctx, [cell, ("表5", code, "小计"), ("年初预算", code, "年初预算数")],
                               comparison=f"五、{ctx.row_label('表5', code)}决算与年初预算相比", current=spent,
                               base=budget, reason=text)


# ── N-SCORE ─────────────────────────────────────────────────────────────────────────────
def submitted_scores(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """N-SCORE: the 自评得分 filed in the 绩效 system is the computed 总分 rounded to the decimals
    it was filed with (98.3 for 98.28 holds; 97 for 98 does not)."""
    for p in story(ctx).metrics.performance.projects:
        if p.submitted is None:
            continue
        exp = p.submitted.as_tuple().exponent
        places = min(2, max(0, -exp)) if isinstance(exp, int) else 2
        shown = p.score.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")
        if shown != p.submitted.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP"):
            yield rule.finding(ctx, [("绩效自评", p.row, "自评得分"), ("绩效自评", p.row, "总分")], project=p.name,
                               submitted=str(p.submitted), computed=str(round2(p.score)), expected=round2(p.score),
                               actual=p.submitted)


# ── N-REASON, N-TEXT: audit's engine on the generated document ─────────────────────────
MAPPED = {"A-REASON-DIRECTION": "N-REASON"}  # every other audit rule maps to N-TEXT


def audited(ctx: "Context", rule: "Rule") -> Iterator[Finding]:
    """N-REASON / N-TEXT: the audit's errors and warnings on the generated document.

    Each finding keeps the audit's severity, message and quotes; its rule id says it came from
    the text (``N-REASON`` for the reason-direction rule, ``N-TEXT`` for any other).
    """
    for f in story(ctx).audit:
        if f.severity is Severity.INFO:
            continue
        if MAPPED.get(f.rule, "N-TEXT") != rule.id:
            continue
        section = f.quotes[0].section if f.quotes and f.quotes[0].section else ""
        out = rule.at([CellRef(SHEET, None, SHEET, section or None)], severity=f.severity,
                      section=f"「{section}」" if section else "", text=f.message, audit_rule=f.rule)
        out.quotes = list(f.quotes)
        out.expected, out.actual, out.difference, out.tolerance = f.expected, f.actual, f.difference, f.tolerance
        yield out

