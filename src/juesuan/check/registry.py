"""What a rule is: a stable id, a severity, a Chinese message template with named fields, a
tolerance mode and the function that runs it (as Arelle's message codes, beancount's checks).

A rule's function takes the :class:`~juesuan.check.context.Context` and the rule itself and
returns findings; it never raises on data.  Rules whose findings come out of a shared pass (the
derivation pass of :mod:`~juesuan.check.relations`, or reading the stored values) have no
function of their own and say which pass emits them.

The message is the template filled with named fields; the four numeric fields (expected, actual,
difference, tolerance) are formatted by :func:`show`.  A gap inside the rounding tolerance turns
any rule's finding into *info* with a 尾差 note.  Example::

    Rule("X13", ERROR, "表5基本支出与表6", "表5 合计「基本支出」{actual} 与表6 人员经费合计 + 公用经费合计 "
         "{expected} 不一致，相差 {difference}", Mode.ROUNDED, between.x13)
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Iterable

from juesuan.check.tolerance import AT_LEAST, COUNT, ROUNDED, Gap, Mode
from juesuan.errors import FormatError
from juesuan.expr import Key
from juesuan.findings import CellRef, Finding, Severity

if TYPE_CHECKING:
    from juesuan.check.context import Context

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
NUMERIC_FIELDS = ("expected", "actual", "difference", "tolerance")
Run = Callable[["Context", "Rule"], Iterable[Finding]]
Match = Callable[[str], bool]  # a row-key or column-key matcher of a derived-cell pattern
# (table key, row matcher, column matcher, rule id): which rule a derived cell embodies
DerivedRule = tuple[str, Match, Match, str]
EQ = "{cell}为 {actual}，{relation}为 {expected}，相差 {difference}"
GE = "{cell}为 {actual}，小于 {relation} {expected}，差 {difference}"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str  # a short Chinese name (the 校验结果 sheet, docs)
    template: str  # Chinese message with {named} fields
    mode: Mode
    run: Run | None = None  # None: emitted by the pass named in ``emitted_by``
    emitted_by: str = ""
    source: str = ""  # where the relation comes from (tables.md id, design note)
    compares: bool = False  # reports the amounts it compares to ``ctx.recorder`` (juesuan.balance)

    @property
    def fields(self) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(self.template) if name}

    def finding(self, ctx: "Context", keys: Iterable[Key], gap: Gap | None = None,
                severity: Severity | None = None, where: list[CellRef] | None = None, **fields: Any) -> Finding:
        """A finding of this rule pointing at ``keys`` (cells without an address are left out)."""
        return self.at(ctx.refs(keys) + (where or []), gap, severity, **fields)

    def at(self, cells: list[CellRef], gap: Gap | None = None, severity: Severity | None = None,
           **fields: Any) -> Finding:
        """A finding pointing at ``cells`` (for passes that have no Context, e.g. reading)."""
        sev = severity or self.severity
        values: dict[str, Any] = {name: "" for name in NUMERIC_FIELDS}
        whole = self.mode is COUNT
        if gap is not None:
            values.update(expected=show(gap.expected, whole=whole), actual=show(gap.actual, whole=whole),
                          difference=show(gap.difference, signed=True, whole=whole),
                          tolerance=show(gap.tolerance, whole=whole))
        values.update({k: show(v) if isinstance(v, Decimal) else v for k, v in fields.items()})
        message = self.template.format(**values)
        if gap is not None and not gap.beyond:
            sev = INFO
            message += f"（差额在四舍五入容差 ±{show(gap.tolerance)} 以内，属尾差）"
        elif gap is not None and gap.basis == "stored" and (self.mode is ROUNDED or self.mode is AT_LEAST):
            message += "（按存储的元精度数值精确比较）"
        elif gap is not None and gap.basis == "balanced":
            message += "（工作簿已舍位平衡，公开数应精确相等；请运行 juesuan fill 重新平衡）"
        return Finding(
            rule=self.id, severity=sev, message=message, cells=cells,
            expected=gap.expected if gap else fields.get("expected"),
            actual=gap.actual if gap else fields.get("actual"),
            difference=gap.difference if gap else fields.get("difference"),
            tolerance=gap.tolerance if gap else None,
        )


def show(value: Any, signed: bool = False, whole: bool = False) -> str:
    """A number for a message: two decimals with separators, or every decimal it carries
    (``whole``: a count, no decimals).  ``show(Decimal("1314.653"))`` → ``1,314.653``."""
    if not isinstance(value, Decimal):
        return "" if value is None else str(value)
    if whole and value == value.to_integral_value():
        text = f"{int(value):,}"
        return ("+" + text) if signed and value > 0 else text
    if value == value.to_integral_value() or value.as_tuple().exponent < -2:
        value = value.normalize()
    exp = value.as_tuple().exponent
    places = max(2, -exp) if isinstance(exp, int) else 2
    text = f"{value:,.{places}f}"
    return ("+" + text) if signed and value > 0 else text


# ── declaring a pack's rules ─────────────────────────────────────────────────────────────
ANY: Match = lambda _: True  # noqa: E731


def one_of(*names: str) -> Match:
    s = set(names)
    return lambda x: x in s


def starts(prefix: str) -> Match:
    return lambda x: x.startswith(prefix)


def ends(suffix: str) -> Match:
    return lambda x: x.endswith(suffix)


def derived(id: str, title: str, source: str, mode: Mode = Mode.ROUNDED, run: Run | None = None,
            severity: Severity = ERROR) -> Rule:
    """A relation the format declares as a derivation (checked by the relations pass)."""
    return Rule(id, severity, title, f"{title}：{EQ}", mode, run, "relations", source)


def rule(id: str, severity: Severity, title: str, template: str, mode: Mode, run: Run | None,
         source: str = "", emitted_by: str = "", compares: bool = False) -> Rule:
    return Rule(id, severity, title, template, mode, run, emitted_by, source, compares)


class RuleSet:
    """A format's check rules in report order, and which rule each derived cell embodies.

    Building one fails (FormatError) when a rule id is duplicated, a rule has neither a function
    nor a pass that emits it, a message template is malformed, or a derived-cell pattern names a
    rule that is unknown or not declared with :func:`derived`.  Example::

        RULES = RuleSet([derived("W1-1", "表1 本年收入合计 = 八项收入之和", "tables.md W1-1"), …],
                        [("表1", one_of("本年收入合计"), ANY, "W1-1"), …])
    """

    def __init__(self, rules: list[Rule], derived: list[DerivedRule]) -> None:
        self.list = list(rules)
        self.by_id: dict[str, Rule] = {}
        for r in self.list:
            if r.id in self.by_id:
                raise FormatError(f"duplicate rule id {r.id}")
            if r.run is None and not r.emitted_by:
                raise FormatError(f"rule {r.id} has no function and names no pass that emits it")
            r.fields  # noqa: B018 — parses the template: a malformed one fails here
            self.by_id[r.id] = r
        self.order = {r.id: i for i, r in enumerate(self.list)}
        self.derived = list(derived)
        self._rule_of: dict[Key, str] = {}  # derived cell → rule id, remembered across books
        self._rule_for: dict[Key, Rule] = {}  # derived cell → its rule, remembered across books
        for _, _, _, rule_id in self.derived:
            if rule_id not in self.by_id:
                raise FormatError(f"a derived-cell pattern names an unknown rule id {rule_id}")
            if self.by_id[rule_id].emitted_by != "relations":
                raise FormatError(f"rule {rule_id} is derived but not declared with derived()")

    def __getitem__(self, rule_id: str) -> Rule:
        return self.get(rule_id)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self.by_id

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.by_id)

    def __len__(self) -> int:
        return len(self.list)

    def get(self, rule_id: str) -> Rule:
        """A rule by id; an unknown id is a bug (FormatError), never a silent skip."""
        try:
            return self.by_id[rule_id]
        except KeyError:
            raise FormatError(f"unknown rule id {rule_id}") from None

    def rule_for(self, key: Key) -> Rule:
        """The rule a derived cell embodies (:meth:`rule_of`, as the rule itself)."""
        rule = self._rule_for.get(key)
        if rule is None:
            rule = self._rule_for[key] = self.by_id[self.rule_of(key)]
        return rule

    def rules_for(self, keys: list[Key]) -> list[Rule]:
        """:meth:`rule_for` of each key (the remembered ones looked up at once)."""
        found = list(map(self._rule_for.get, keys))
        if not all(found):  # (a Rule is always true)
            found = [r if r is not None else self.rule_for(k) for k, r in zip(keys, found)]
        return found  # type: ignore[return-value]

    def rule_of(self, key: Key) -> str:
        """The rule id a derived cell embodies; a derived cell no pattern claims is a bug in the pack."""
        known = self._rule_of.get(key)
        if known is not None:
            return known
        for table, rows, cols, rule_id in self.derived:
            if key[0] == table and rows(key[1]) and cols(key[2]):
                self._rule_of[key] = rule_id
                return rule_id
        raise FormatError(f"no rule id for the derived cell {key}; add it to the pack's derived-cell patterns")
