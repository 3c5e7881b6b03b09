"""The audit rules: one registry of stable ids, default severities and message templates.

Every finding the audit reports is made here, by :func:`finding`, from a rule declared once in
:data:`RULES` (the Arelle idea: a stable code and a template with named fields).  Templates are
checked when this module loads: a template naming a field that :func:`finding` is not given is a
bug, raised as :class:`~juesuan.errors.FormatError` at the first use, never a silent gap.

Severity policy (see :mod:`juesuan.audit.tolerance`): a relation that fails beyond the rounding
tolerance gets the rule's own severity; a difference inside the tolerance is ``info`` ("尾差").
Soft relations (partial lists, cross-section mentions that may differ in scope) are declared
with ``warning``.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from juesuan.audit.text import Figure
from juesuan.errors import FormatError
from juesuan.findings import Finding, Quote, Severity


@dataclass(frozen=True)
class Rule:
    """What a rule checks: id, default severity, Chinese message template, English summary."""

    id: str
    severity: Severity
    template: str
    en: str

    @property
    def fields(self) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(self.template) if name}


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

_DECLARED = (
    Rule("A-SUM-PARTS", E, "{total_label} {total} 与所列分项合计 {sum} 不符，差 {diff}{note}",
         "a stated total differs from the sum of the parts the text lists"),
    Rule("A-LIST-PARTIAL", I, "{total_label} {total} 的「主要包括」只列出 {sum}，未列出 {diff}",
         "a 'mainly includes' list covers less than its total (allowed: the list is partial)"),
    Rule("A-SHARE", E, "「{label}」{amount} 占{base_label} {base} 的比重应为 {want}%，文中为 {got}%{note}",
         "a stated share differs from amount / base"),
    Rule("A-CHANGE", E, "「{label}」{detail}",
         "a change against last year or the budget is inconsistent (percentage, direction or size)"),
    Rule("A-CHANGE-SUM", E, "{total_label}{basis}{direction} {stated}，按分项计算应为{want}{note}",
         "the change of a total differs from the changes (or budgets) of its parts"),
    Rule("A-RATE", E, "「{label}」决算 {actual_amount} / 预算 {budget} = {want}%，文中完成率为 {got}%{note}",
         "a completion rate (完成预算的 X%) differs from 决算 / 预算"),
    Rule("A-ZERO-BASE", W, "「{label}」{detail}：基数为 0，百分比没有意义，宜写「{advice}」",
         "a percentage stated against a zero base"),
    Rule("A-SAME-ITEM", E, "「{label}」{where_a}为 {a}，{where_b}为 {b}，差 {diff}{note}",
         "the same item is stated with different figures in two places"),
    Rule("A-SCOPE", W, "{narrow_label} {narrow} 大于口径更宽的 {broad_label} {broad}{note}",
         "a narrower-scope figure exceeds the broader figure that contains it"),
    Rule("A-FUND-CARRY", W, "{label} {amount} 被说明为「{claim}」，但{evidence}，说明没有财政拨款结转结余",
         "a carry-over is called fiscal while the fiscal totals show none"),
    Rule("A-IMPLIED-SUM", W, "按比重推算的 {parts} 合计 {sum}，与 {total_label} {total} 不符，差 {diff}",
         "parts implied by stated shares cannot add up to the stated total"),
    Rule("A-COUNT-SUM", E, "「{total_text}」与前面所列 {parts} 之和 {sum} 不符，差 {diff}",
         "a count total (共 N 个) differs from the sum of the counts listed before it in its sentence"),
    Rule("A-REASON-DIRECTION", W, "{where}的变动原因称「{claim}」，但{target_where}「{target_label}」{stated}"
                                  "（原因所指的口径可能不同，请核对）",
         "a reason says an item fell (or rose) while the document states its change the other way"),
    Rule("A-BALANCE", E, "{income_label} {income} 与{expend_label} {expend} 不等，差 {diff}（收支总表的收入总计与支出总计必然相等{note}）",
         "a 收入总计 differs from its 支出总计 (the totals of a 收支总表 balance)"),
    Rule("A-SANGONG-SCOPE", E, "{total_label} {total} 含了{extra}：“三公”经费只含因公出国（境）费、公务用车购置及运行维护费、"
                               "公务接待费，应为 {sum}",
         "a 三公 total that adds 会议费/培训费 to the three 三公 items"),
    Rule("A-SHARE-BASES", E, "{shares}所指的同一基数「{base_label}」不可能同时成立：按各自金额和比重推算，基数分别为 {bases}{note}",
         "shares of one named base imply different bases (at least one share is wrong)"),
    Rule("A-SHARE-SUM", E, "{parts}之和等于「{base_label}」{base}，其比重 {shares} 合计却为 {sum}%，应为 100%",
         "the shares of parts that add up to their base do not add up to 100%"),
    Rule("A-TABLE-SUM", E, "表「{table}」{column}：{total_label} {total} 与{parts} 之和 {sum} 不符，差 {diff}",
         "a table's total row differs from the rows it adds up"),
    Rule("A-TABLE-TEXT", E, "「{label}」{role}：{where_a}为 {a}，{where_b}为 {b}，差 {diff}",
         "a figure stated in the text differs from the same figure in a table"),
    Rule("A-PRECISION", I, "百分比「{text}」未保留两位小数（同句其他百分比保留 {places} 位小数）",
         "a percentage printed with fewer decimals than its neighbours"),
    Rule("A-PERF-RATE", E, "绩效自评表「{project}」{row}：执行数 {done} / 全年预算数 {budget} = {want}%，表中执行率为 {got}%{note}",
         "a performance table's 执行率 differs from 执行数 / 全年预算数"),
    Rule("A-PERF-SCORE", E, "绩效自评表「{project}」{row}：{detail}",
         "a performance table's 得分 differs from 分值 × 执行率, or exceeds its 分值"),
    Rule("A-PERF-TOTAL", E, "绩效自评表「{project}」：{detail}",
         "a performance table's 总分 differs from its indicator scores plus the funds score"),
    Rule("A-PERF-FUNDS", E, "绩效自评表「{project}」年度资金总额{column} {total} ≠ 财政拨款 + 上年结转 + 其他资金 = {sum}，差 {diff}",
         "a performance table's 年度资金总额 differs from its three sources"),
    Rule("A-PERF-QUOTE", E, "「{project}」{what}：正文为 {text_value}，绩效自评表为 {table_value}",
         "a figure quoted in the text differs from the performance table"),
)

RULES: dict[str, Rule] = {}
for _rule in _DECLARED:
    if _rule.id in RULES:
        raise FormatError(f"duplicate audit rule id {_rule.id}")
    RULES[_rule.id] = _rule

TAIL_INFO = "（在舍入容差 ±{tol} 内，尾差）"


def show(value: Any) -> str:
    """A figure as a message prints it: a printed figure as printed; a Decimal with its own
    decimals (at most two), thousands separated ("3,041.69", "66.20", "2"); None as "—"."""
    if value is None:
        return "—"
    if isinstance(value, Figure):
        return show(value.value) if value.unit == "万元" and value.places >= 2 else value.number
    if isinstance(value, Decimal):
        exp = value.as_tuple().exponent
        if isinstance(exp, int) and exp < -2:
            value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if value == 0:
            value = abs(value)
        return f"{value:,f}"
    return str(value)


class Lazy:
    """Quotes made only when a finding uses them: most relations hold, and a quote costs more than
    the check (``Lazy(lambda: [quote])`` iterates and adds like the list it makes, once)."""

    __slots__ = ("_made", "_make")

    def __init__(self, make: Callable[[], list[Quote]]) -> None:
        self._make = make
        self._made: list[Quote] | None = None

    def _list(self) -> list[Quote]:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __iter__(self) -> Iterator[Quote]:
        return iter(self._list())

    def __add__(self, other: list[Quote]) -> list[Quote]:
        return self._list() + other

    def __radd__(self, other: list[Quote]) -> list[Quote]:
        return other + self._list()


Quotes = list[Quote] | Lazy  # what :func:`finding` takes as its quotes


def finding(rule_id: str, *, quotes: Quotes, severity: Severity | None = None,
            expected: Any = None, actual: Any = None, difference: Any = None,
            tolerance: Any = None, **fields: Any) -> Finding:
    """A :class:`Finding` of a declared rule, its message filled from ``fields``.

    ``severity`` overrides the rule's default (``info`` for differences inside the tolerance,
    ``warning`` for soft relations); an ``info`` finding of an error rule gets the 尾差 tail.
    """
    try:
        rule = RULES[rule_id]
    except KeyError:
        raise FormatError(f"unknown audit rule id {rule_id!r}") from None
    missing = rule.fields - fields.keys()
    if missing:
        raise FormatError(f"rule {rule_id}: message fields not given: {sorted(missing)}")
    text = rule.template.format(**{k: (v if isinstance(v, str) else show(v)) for k, v in fields.items()})
    sev = severity or rule.severity
    if sev is Severity.INFO and rule.severity is not Severity.INFO and tolerance is not None:
        text += TAIL_INFO.format(tol=format(tolerance, "f") if isinstance(tolerance, Decimal) else tolerance)
    unique: list[Quote] = []
    for q in quotes:
        if all((q.text, q.position) != (u.text, u.position) for u in unique):
            unique.append(q)
    return Finding(rule=rule_id, severity=sev, message=text, quotes=unique,
                   expected=expected, actual=actual, difference=difference, tolerance=tolerance)
