"""Controlled rounding (舍位平衡) as an integer program: printed cents that tie exactly.

Input: the exact amount of every printed cell (万元, any precision) and linear relations that
hold on the exact amounts (a total = Σ its parts, a cell = a cell of another table, a ≥ b …).
Output: a printed two-decimal value per cell such that

- every relation holds exactly on the printed values,
- every printed value is the floor or the ceiling (in cents) of its exact value,
- the number of cells printed differently from ordinary rounding (half up) is minimal.

In cents, cell i has exact value cᵢ; ``lo = ⌊cᵢ⌋`` and a binary dᵢ picks ``lo`` or ``lo + 1``
(a cell already in whole cents is fixed).  A relation Σ aᵢ·xᵢ + k (= | ≥) 0 becomes
Σ aᵢ·dᵢ (= | ≥) −(Σ aᵢ·loᵢ + k).  Moving cell i off its ordinary rounding rᵢ costs
``dᵢ`` when rᵢ = loᵢ and ``1 − dᵢ`` otherwise, so the objective is linear.  SciPy's ``milp``
(HiGHS) solves it.  Worked example: parts 0.004, 0.004, 0.004 (万元) and their total 0.012::

    ordinary rounding: 0.00 + 0.00 + 0.00 ≠ 0.01   (a 尾差)
    balanced:          0.01 + 0.00 + 0.00 = 0.01   (one cell moved, the minimum)

When no such rounding exists, :func:`solve` names an irreducible set of relations that cannot
hold together (a deletion filter: drop each relation in turn and keep it only if the rest become
feasible without it); the caller keeps ordinary rounding.  Nothing here knows about tables: keys
are opaque and relations carry their own id and label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Hashable, Mapping, NamedTuple, Sequence

CENT = Decimal("0.01")
ZERO = Decimal(0)
HALF = Decimal("0.5")
EPS_CENTS = Decimal("0.0001")  # a relation "holds" on exact amounts within 0.000001 万元


class Relation(NamedTuple):
    """Σ coef·cell + const (= or ≥) 0, on amounts in 万元; ``rid``/``label`` name it in messages.

    A named tuple, not a dataclass: a department has thousands and they are built per book."""

    rid: str
    terms: tuple[tuple[Hashable, int], ...]
    sense: str = "="  # "=" or ">="
    const: Decimal = ZERO
    label: str = ""

    def residual(self, values: Mapping[Hashable, Decimal]) -> Decimal:
        return sum((c * values.get(k, ZERO) for k, c in self.terms), self.const)

    def holds(self, values: Mapping[Hashable, Decimal], eps: Decimal = Decimal("0.000001")) -> bool:
        r = self.residual(values)
        return abs(r) <= eps if self.sense == "=" else r >= -eps

    def describe(self) -> str:
        return f"{self.rid} {self.label}".strip()


@dataclass
class Solution:
    """The printed values (every cell of ``exact``), the cells moved off ordinary rounding, and
    when no consistent rounding exists, the relations that block it (printed = ordinary rounding)."""

    printed: dict[Hashable, Decimal]
    moved: list[Hashable] = field(default_factory=list)
    blocking: list[Relation] = field(default_factory=list)
    skipped: list[Relation] = field(default_factory=list)  # do not hold on the exact values: not imposed
    needed: bool = False  # some cell carries more than two decimals

    @property
    def feasible(self) -> bool:
        return not self.blocking

    def message(self) -> str:
        """The Chinese + English explanation when no consistent rounding exists ('' otherwise)."""
        if self.feasible:
            return ""
        lines = [f"舍位平衡无解：以下 {len(self.blocking)} 个关系无法在两位小数上同时精确成立，已保留普通四舍五入"
                 f"（no consistent rounding exists: these {len(self.blocking)} relations cannot all hold exactly "
                 "on two-decimal figures; ordinary rounding kept）："]
        lines += [f"  {r.describe()}" for r in self.blocking]
        return "\n".join(lines)


def ordinary(value: Decimal) -> Decimal:
    """Ordinary rounding to the cent, half up (as the tables print without balancing)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def solve(exact: Mapping[Hashable, Decimal], relations: Sequence[Relation]) -> Solution:
    """Printed values for ``exact`` under ``relations`` with the fewest cells moved (see module doc).

    A key a relation names but ``exact`` lacks counts as an exact zero.  Relations that do not
    hold on the exact values are not imposed (they are returned in ``skipped``).
    """
    cents = {k: v.scaleb(2) for k, v in exact.items()}
    lo = {k: math.floor(c) for k, c in cents.items()}
    up = {k for k, c in cents.items() if c - lo[k] >= HALF}  # ordinary rounding is the ceiling
    plain_cents = {k: lo[k] + (k in up) for k in cents}
    plain = {k: Decimal(c).scaleb(-2) for k, c in plain_cents.items()}
    needed = any(c != lo[k] for k, c in cents.items())
    imposed, skipped = [], []
    for r in relations:
        exact_gap = sum((c * cents.get(k, ZERO) for k, c in r.terms), r.const.scaleb(2))
        (imposed if (abs(exact_gap) <= EPS_CENTS if r.sense == "=" else exact_gap >= -EPS_CENTS) else skipped).append(r)
    if not needed or all(_holds(r, plain_cents) for r in imposed):
        return Solution(plain, [], [], skipped, needed)
    problem = _Problem(cents, lo, up, imposed)
    d = problem.optimise()
    if d is None:
        return Solution(plain, [], problem.irreducible(), skipped, needed)
    printed = dict(plain)
    moved = []
    for j, key in enumerate(problem.keys):
        c = problem.lo[j] + int(d[j])
        if c != plain_cents[key]:
            printed[key] = Decimal(c).scaleb(-2)
            moved.append(key)
    return Solution(printed, moved, [], skipped, needed)


def _holds(r: Relation, cents: Mapping[Hashable, int]) -> bool:
    gap = sum((c * cents.get(k, 0) for k, c in r.terms), r.const.scaleb(2))
    return gap == 0 if r.sense == "=" else gap >= 0


class _Problem:
    """The integer program over the cells that are not already whole cents."""

    def __init__(self, cents: Mapping[Hashable, Decimal], floors: Mapping[Hashable, int], up: set[Hashable],
                 relations: Sequence[Relation]) -> None:
        self.keys: list[Hashable] = []
        self.lo: list[int] = []
        self.cost: list[int] = []  # +1: moving up costs; −1: moving down costs (ordinary = ceiling)
        fixed: dict[Hashable, int] = {}
        index: dict[Hashable, int] = {}
        for key, c in cents.items():
            lo = floors[key]
            if c == lo:
                fixed[key] = lo
                continue
            index[key] = len(self.keys)
            self.keys.append(key)
            self.lo.append(lo)
            self.cost.append(-1 if key in up else 1)
        self.rows: list[tuple[Relation, dict[int, int], int]] = []  # relation, {var: coef}, right side
        for r in relations:
            coefs: dict[int, int] = {}
            rhs = -r.const.scaleb(2)
            for key, c in r.terms:
                j = index.get(key)
                if j is None:
                    rhs -= c * fixed.get(key, 0)
                else:
                    rhs -= c * self.lo[j]
                    coefs[j] = coefs.get(j, 0) + c
            coefs = {j: c for j, c in coefs.items() if c}
            if coefs:  # a relation of whole-cent cells only holds already (it holds on the exact values)
                self.rows.append((r, coefs, int(rhs)))

    def optimise(self, rows: Sequence[int] | None = None, feasibility: bool = False):  # type: ignore[no-untyped-def]
        """The binaries of an optimal rounding (None when infeasible); ``rows`` limits the relations."""
        import numpy as np
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import csr_array

        chosen = [self.rows[i] for i in (range(len(self.rows)) if rows is None else rows)]
        n = len(self.keys)
        c = np.zeros(n) if feasibility else np.array(self.cost, dtype=float)
        constraints = []
        if chosen:
            data, ri, ci, lb, ub = [], [], [], [], []
            for i, (rel, coefs, rhs) in enumerate(chosen):
                for j, a in coefs.items():
                    data.append(a)
                    ri.append(i)
                    ci.append(j)
                lb.append(rhs)
                ub.append(rhs if rel.sense == "=" else np.inf)
            a = csr_array((np.array(data, dtype=float), (ri, ci)), shape=(len(chosen), n))
            constraints.append(LinearConstraint(a, np.array(lb, dtype=float), np.array(ub, dtype=float)))
        res = milp(c, integrality=np.ones(n), bounds=Bounds(0, 1), constraints=constraints,
                   options={"presolve": True})
        if res.status == 2:  # infeasible
            return None
        if res.x is None:
            raise RuntimeError(f"舍位平衡求解失败 (the solver failed): {res.message}")
        return np.rint(res.x).astype(int)

    def irreducible(self) -> list[Relation]:
        """An irreducible infeasible set of relations (deletion filter, within one connected part)."""
        rows = self._infeasible_part()
        keep = list(rows)
        for i in list(rows):
            trial = [k for k in keep if k != i]
            if self.optimise(trial, feasibility=True) is None:
                keep = trial
        return [self.rows[i][0] for i in keep]

    def _infeasible_part(self) -> list[int]:
        """The relations of the first connected part (cells linked by relations) that is infeasible."""
        parent = list(range(len(self.keys)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for _, coefs, _ in self.rows:
            js = list(coefs)
            for j in js[1:]:
                parent[find(j)] = find(js[0])
        parts: dict[int, list[int]] = {}
        for i, (_, coefs, _) in enumerate(self.rows):
            parts.setdefault(find(next(iter(coefs))), []).append(i)
        for rows in sorted(parts.values(), key=len):
            if self.optimise(rows, feasibility=True) is None:
                return rows
        return list(range(len(self.rows)))
