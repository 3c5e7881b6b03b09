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

from juesuan.check.tolerance import Gap, Mode
from juesuan.expr import Key
from juesuan.findings import CellRef, Finding, Severity

if TYPE_CHECKING:
    from juesuan.check.context import Context

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
NUMERIC_FIELDS = ("expected", "actual", "difference", "tolerance")
Run = Callable[["Context", "Rule"], Iterable[Finding]]


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
        whole = self.mode is Mode.COUNT
        if gap is not None:
            values.update(expected=show(gap.expected, whole=whole), actual=show(gap.actual, whole=whole),
                          difference=show(gap.difference, signed=True, whole=whole),
                          tolerance=show(gap.tolerance, whole=whole))
        values.update({k: show(v) if isinstance(v, Decimal) else v for k, v in fields.items()})
        message = self.template.format(**values)
        if gap is not None and not gap.beyond:
            sev = Severity.INFO
            message += f"（差额在四舍五入容差 ±{show(gap.tolerance)} 以内，属尾差）"
        elif gap is not None and gap.basis == "stored" and self.mode in (Mode.ROUNDED, Mode.AT_LEAST):
            message += "（按存储的元精度数值精确比较）"
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
