"""Small helpers the explicit rules share: "this cell = Σ those", "left side = right side",
"this ≥ Σ those", each under the rule's tolerance mode (see :mod:`~juesuan.check.tolerance`).

Example, X13 on the seed: ``equal(ctx, rule, ("表5", "合计", "基本支出"),
[("表6", "人员经费合计", "决算数"), ("表6", "公用经费合计", "决算数")])`` compares 1,468.36 with
978.10 + 490.26 and returns no finding.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from juesuan.check.tolerance import compare, is_precise, round2
from juesuan.expr import Key
from juesuan.findings import Finding

if TYPE_CHECKING:
    from juesuan.check.context import Context
    from juesuan.check.registry import Rule

ZERO = Decimal(0)


def equal(ctx: "Context", rule: "Rule", total: Key, parts: list[Key], **fields: Any) -> list[Finding]:
    """``total`` = Σ ``parts`` (or ≥ when the rule's mode is AT_LEAST)."""
    return sides(ctx, rule, parts, [total], **fields)


def sides(ctx: "Context", rule: "Rule", left: list[Key], right: list[Key], **fields: Any) -> list[Finding]:
    """Σ ``right`` compared with Σ ``left`` (the expected side); cells of both are pointed at.

    With m nonzero printed figures on both sides the band is 0.005 × m, as for a total and its
    m − 1 parts.
    """
    if ctx.recorder is not None:  # collecting relations (juesuan.balance), not checking
        ctx.recorder(rule, left, right)
        return []
    get = ctx.values.get  # ctx.value, without the call per cell
    lv = [ZERO if v is None else v for v in map(get, left)]
    rv = [ZERO if v is None else v for v in map(get, right)]
    both = lv + rv
    m = len(both) - both.count(0)  # the nonzero ones
    gap = compare(rule.mode, sum(rv, ZERO), sum(lv, ZERO), actual_printed=sum(map(round2, rv), ZERO),
                  expected_printed=sum(map(round2, lv), ZERO), n_parts=max(m - 1, 0),
                  precise=is_precise(both), balanced=ctx.balanced)
    if gap is None:
        return []
    fields.setdefault("cell", " + ".join(ctx.label(k) for k in right))  # named only for a finding
    fields.setdefault("relation", " + ".join(ctx.label(k) for k in left if ctx.address(k) is not None) or "0")
    return [rule.finding(ctx, right + left, gap, **fields)]
