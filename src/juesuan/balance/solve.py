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
from decimal import ROUND_HALF_UP, Decimal
from typing import Hashable, Mapping, NamedTuple, Sequence

CENT = Decimal("0.01")
ZERO = Decimal(0)
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


def solve(exact: Mapping[Hashable, Decimal], relations: Sequence[Relation], explain: bool = True) -> Solution:
    """Printed values for ``exact`` under ``relations`` with the fewest cells moved (see module doc).

    A key a relation names but ``exact`` lacks counts as an exact zero.  Relations that do not
    hold on the exact values are not imposed (they are returned in ``skipped``).  ``explain``
    False: when no rounding exists, ``blocking`` holds all imposed relations (no search for an
    irreducible set).
    """
    scale, units = _scaled(exact)  # exact amounts as whole multiples of 10^-scale cents
    step = 10 ** scale
    lo = {k: u // step for k, u in units.items()}
    frac = {k: u - lo[k] * step for k, u in units.items()}
    half = step // 2 if step > 1 else 1
    up = {k for k, f in frac.items() if f >= half and f}  # ordinary rounding (half up) is the ceiling
    plain_cents = {k: lo[k] + (k in up) for k in units}
    plain = {k: Decimal(c).scaleb(-2) for k, c in plain_cents.items()}
    needed = any(frac.values())
    eps = _eps(scale)
    imposed, skipped = [], []
    get = units.get
    for r in relations:
        gap = 0 if not r.const else r.const.scaleb(2 + scale)  # a constant: Decimal (rare)
        for k, c in r.terms:
            gap += c * get(k, 0)
        (imposed if (abs(gap) <= eps if r.sense == "=" else gap >= -eps) else skipped).append(r)
    if not needed or all(_holds(r, plain_cents) for r in imposed):
        return Solution(plain, [], [], skipped, needed)
    problem = _Problem(lo, frac, up, imposed)
    d = problem.optimise()
    if d is None:
        return Solution(plain, [], problem.irreducible() if explain else list(imposed), skipped, needed)
    printed = dict(plain)
    moved = []
    for j, key in enumerate(problem.keys):
        c = problem.lo[j] + int(d[j])
        if c != plain_cents[key]:
            printed[key] = Decimal(c).scaleb(-2)
            moved.append(key)
    return Solution(printed, moved, [], skipped, needed)


def _scaled(exact: Mapping[Hashable, Decimal]) -> tuple[int, dict[Hashable, int]]:
    """(s, {key: amount in units of 10^-s cents}) with the smallest s that keeps every amount whole
    (元 amounts: s = 2).  Integer arithmetic is exact and much faster than Decimal."""
    scale = 0
    for v in exact.values():
        e = v.as_tuple().exponent
        if isinstance(e, int) and -e - 2 > scale:
            scale = -e - 2
    scale = min(scale, 12)  # finer than 10^-14 万元 is noise: rounded half even there
    units = {}
    for k, v in exact.items():
        u = v.scaleb(2 + scale)
        units[k] = int(u) if u == u.to_integral_value() else int(u.to_integral_value())
    return scale, units


def _eps(scale: int) -> int:
    """The tolerance of "holds on the exact amounts": 0.0001 cent (0.000001 万元), in scaled units."""
    return int(EPS_CENTS.scaleb(scale)) if scale >= 4 else 0


def _holds(r: Relation, cents: Mapping[Hashable, int]) -> bool:
    gap = sum((c * cents.get(k, 0) for k, c in r.terms), 0 if not r.const else r.const.scaleb(2))
    return gap == 0 if r.sense == "=" else gap >= 0


class _Problem:
    """The integer program over the cells that are not already whole cents."""

    def __init__(self, floors: Mapping[Hashable, int], frac: Mapping[Hashable, int], up: set[Hashable],
                 relations: Sequence[Relation]) -> None:
        self.keys: list[Hashable] = []
        self.lo: list[int] = []
        self.cost: list[int] = []  # +1: moving up costs; −1: moving down costs (ordinary = ceiling)
        fixed: dict[Hashable, int] = {}
        index: dict[Hashable, int] = {}
        for key, f in frac.items():
            lo = floors[key]
            if not f:
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
        """The binaries of an optimal rounding (None when infeasible); ``rows`` limits the relations.

        The linear relaxation first (HiGHS dual simplex, a vertex): the relations are nearly all
        sums in trees, so its optimum is almost always whole; a whole optimum of the relaxation
        is an optimum of the integer program (it can do no better), checked exactly in integers.
        Otherwise, or when the check fails, SciPy's ``milp`` (branch and bound) decides.
        """
        import numpy as np
        from scipy.optimize import Bounds, LinearConstraint, linprog, milp
        from scipy.sparse import csr_array

        chosen = [self.rows[i] for i in (range(len(self.rows)) if rows is None else rows)]
        n = len(self.keys)
        c = np.zeros(n) if feasibility else np.array(self.cost, dtype=float)
        if not chosen:
            return np.zeros(n, dtype=int) if feasibility else (c < 0).astype(int)
        data, ri, ci, rhs, ge = [], [], [], [], []
        for i, (rel, coefs, b) in enumerate(chosen):
            for j, a in coefs.items():
                data.append(a)
                ri.append(i)
                ci.append(j)
            rhs.append(b)
            ge.append(rel.sense != "=")
        a = csr_array((np.array(data, dtype=float), (ri, ci)), shape=(len(chosen), n))
        b = np.array(rhs, dtype=float)
        ineq = np.array(ge, dtype=bool)
        eq = ~ineq
        lp = linprog(c, A_eq=a[eq] if eq.any() else None, b_eq=b[eq] if eq.any() else None,
                     A_ub=-a[ineq] if ineq.any() else None, b_ub=-b[ineq] if ineq.any() else None,
                     bounds=(0, 1), method="highs-ds")
        if lp.status == 2:  # the relaxation is infeasible: so is the integer program
            return None
        if lp.status == 0:
            z = np.rint(lp.x).astype(np.int64)
            if np.abs(lp.x - z).max() < 1e-6 and self._exact(chosen, z):
                return z
        res = milp(c, integrality=np.ones(n), bounds=Bounds(0, 1),
                   constraints=[LinearConstraint(a, b, np.where(ineq, np.inf, b))], options={"presolve": True})
        if res.status == 2:  # infeasible
            return None
        if res.x is None:
            raise RuntimeError(f"舍位平衡求解失败 (the solver failed): {res.message}")
        return np.rint(res.x).astype(int)

    @staticmethod
    def _exact(chosen: Sequence[tuple[Relation, dict[int, int], int]], z) -> bool:  # type: ignore[no-untyped-def]
        """Whether the 0/1 vector ``z`` satisfies every chosen relation exactly (integers)."""
        for rel, coefs, b in chosen:
            v = sum(c * int(z[j]) for j, c in coefs.items())
            if v != b if rel.sense == "=" else v < b:
                return False
        return True

    def irreducible(self) -> list[Relation]:
        """An irreducible infeasible set of relations, within one connected part: a deletion filter
        over blocks (drop a block of relations when the rest stays infeasible), the blocks halving
        down to single relations, so that each kept relation is needed."""
        keep = self._infeasible_part()
        size = max(1, len(keep) // 2)
        while True:
            i = 0
            while i < len(keep):
                trial = keep[:i] + keep[i + size:]
                if trial and self.optimise(trial, feasibility=True) is None:
                    keep = trial
                else:
                    i += size
            if size == 1:
                return [self.rows[i][0] for i in keep]
            size = max(1, size // 2)

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
