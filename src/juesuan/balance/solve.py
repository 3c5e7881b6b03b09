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

The arithmetic is in whole numbers (amounts scaled to units of 10⁻ˢ cent, s = 2 for 元), the
relations a sparse matrix: exact, and fast enough for thousands of cells.  The linear relaxation
is solved first (the relations are nearly all sums in trees, so its optimum is almost always
whole, and then optimal); ``milp`` decides otherwise.

When no such rounding exists, :func:`solve` names an irreducible set of relations that cannot
hold together (a deletion filter: drop relations and keep them only if the rest become feasible
without them); the caller keeps ordinary rounding.  Nothing here knows about tables: keys
are opaque and relations carry their own id and label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Hashable, Mapping, NamedTuple, Sequence

from juesuan.money import CENT

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


def solve(exact: Mapping[Hashable, Decimal], relations: Sequence[Relation], explain: bool = True,
          base=None, same: bool = False) -> Solution:  # type: ignore[no-untyped-def]
    """Printed values for ``exact`` under ``relations`` with the fewest cells moved (see module doc).

    A key a relation names but ``exact`` lacks counts as an exact zero.  Relations that do not
    hold on the exact values are not imposed (they are returned in ``skipped``).  ``explain``
    False: when no rounding exists, ``blocking`` holds all imposed relations (no search for an
    irreducible set).  ``base`` (a :class:`~juesuan.balance.gather.Base`: ``keys`` in the order of
    ``exact``, ``relations`` and their ``matrix``): relations that come first, as a matrix built
    once per layout.  ``same``: cells with the same exact amount (not whole cents) also print the
    same (relations :data:`SAME`, made here).
    """
    import numpy as np
    from scipy.sparse import vstack

    keys = list(exact)
    scale, big_units, big_consts = _scaled(exact, relations if base is None else [*base.relations, *relations])
    step = 10 ** scale
    if base is None:
        a = matrix(keys, relations)
        relations = list(relations)
    else:
        a = vstack([base.matrix, matrix(keys, relations)], format="csr") if relations else base.matrix
        relations = [*base.relations, *relations]
    lo = np.array([u // step for u in big_units], dtype=np.int64)  # whole cents fit (|amount| < 1e10 万元)
    frac = [u % step for u in big_units]
    fractional = np.array([f != 0 for f in frac], dtype=bool)
    # ordinary rounding (half up, away from zero as Decimal's ROUND_HALF_UP and Excel) is the ceiling
    up = np.array([2 * f > step or (2 * f == step and u > 0) for f, u in zip(frac, big_units)], dtype=bool)
    consts = np.array(big_consts, dtype=object)
    fits = max(map(abs, big_units), default=0) < 2 ** 52 and max(map(abs, big_consts), default=0) < 2 ** 52
    units = np.array(big_units, dtype=np.int64 if fits else object)
    if same:
        pairs = _same(units, fractional)
        if len(pairs):
            relations += [Relation(SAME, ((keys[i], 1), (keys[j], -1))) for i, j in pairs]
            consts = np.concatenate([consts, np.zeros(len(pairs), dtype=object)])
            n = len(pairs)
            rows = np.repeat(np.arange(n), 2)
            cols = pairs.reshape(-1)
            data = np.tile(np.array([1, -1], dtype=np.int64), n)
            from scipy.sparse import csr_array

            a = vstack([a, csr_array((data, (rows, cols)), shape=(n, len(keys)))], format="csr")
    width = int(np.diff(a.indptr).max()) if a.shape[0] else 0
    if fits and width < 2 ** 10:
        gap = a @ units + consts.astype(np.int64)  # on the exact amounts, in units
    else:  # amounts too fine or too large for int64: exact Python ints (slow, rare)
        gap = np.array([sum((int(c) * big_units[j] for j, c in zip(a.indices[a.indptr[i]:a.indptr[i + 1]],
                                                                     a.data[a.indptr[i]:a.indptr[i + 1]])), 0)
                        + consts[i] for i in range(a.shape[0])], dtype=object)
    eps = _eps(scale)
    ge = np.fromiter((r.sense != "=" for r in relations), dtype=bool, count=len(relations))
    holds = np.where(ge, gap >= -eps, np.abs(gap) <= eps).astype(bool)
    plain_cents = lo + up
    skipped = [relations[i] for i in np.flatnonzero(~holds)]
    needed = bool(fractional.any())
    plain_gap = (a @ plain_cents).astype(object) * step + consts  # cents fit int64; the scale may not
    plain_ok = np.where(ge, plain_gap >= 0, plain_gap == 0).astype(bool)
    if not needed or bool(np.all(plain_ok | ~holds)):
        return Solution(_printed(keys, plain_cents), [], [], skipped, needed)
    imposed = np.flatnonzero(holds)
    variables = np.flatnonzero(fractional)
    rhs_units = -(consts[imposed] + (a[imposed] @ lo).astype(object) * step)  # Σ coef·z (= | ≥) rhs_units / step
    sub = a[imposed][:, variables]
    problem = _Problem([relations[i] for i in imposed], sub, rhs_units, ge[imposed], step,
                       np.where(up[variables], -1, 1))
    z = problem.optimise()
    if z is None:
        blocking = problem.irreducible() if explain else [relations[i] for i in imposed]
        return Solution(_printed(keys, plain_cents), [], blocking, skipped, needed)
    cents = lo.copy()
    cents[variables] += z
    moved = [keys[j] for j in np.flatnonzero(cents != plain_cents)]
    return Solution(_printed(keys, cents), moved, [], skipped, needed)


SAME = "同额"  # the rid of "two cells with the same exact amount print the same"


def _same(units, fractional):  # type: ignore[no-untyped-def]
    """Pairs (i, j) of cells with equal exact amounts that are not whole cents, each group a chain."""
    import numpy as np

    idx = np.flatnonzero(fractional)
    if len(idx) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    order = idx[np.argsort(units[idx], kind="stable")]
    vals = units[order]
    equal = vals[1:] == vals[:-1]
    return np.stack([order[:-1][equal], order[1:][equal]], axis=1)


def _printed(keys: list[Hashable], cents) -> dict[Hashable, Decimal]:  # type: ignore[no-untyped-def]
    return {k: Decimal(int(c)).scaleb(-2) for k, c in zip(keys, cents)}


def _scaled(exact: Mapping[Hashable, Decimal], relations: Sequence[Relation]):  # type: ignore[no-untyped-def]
    """(s, amounts, relation constants) as Python ints in whole units of 10^-s cents, s the smallest
    that keeps every amount whole (元 amounts: s = 2): exact whatever the precision."""
    ratios = [v.as_integer_ratio() for v in exact.values()]  # exact: (numerator, 2^a·5^b)
    const_ratios = [r.const.as_integer_ratio() if r.const else (0, 1) for r in relations]
    dens = {d for _, d in ratios} | {d for _, d in const_ratios}
    scale = max(0, max((_decimals(d) for d in dens), default=0) - 2)
    one = 10 ** (2 + scale)
    return scale, [n * (one // d) for n, d in ratios], [n * (one // d) for n, d in const_ratios]


def _decimals(den: int) -> int:
    """The decimals a fraction with denominator ``den`` = 2^a·5^b (a Decimal's) needs: max(a, b)."""
    a = b = 0
    while den % 2 == 0:
        den //= 2
        a += 1
    while den % 5 == 0:
        den //= 5
        b += 1
    return max(a, b)


def matrix(keys: list[Hashable], relations: Sequence[Relation]):  # type: ignore[no-untyped-def]
    """The relations' coefficients as a sparse matrix (relations × cells); unknown keys are zeros."""
    import numpy as np
    from scipy.sparse import csr_array

    index = {k: j for j, k in enumerate(keys)}.get
    ci = np.fromiter((index(k, -1) for r in relations for k, _ in r.terms), dtype=np.int64)
    data = np.fromiter((c for r in relations for _, c in r.terms), dtype=np.int64, count=len(ci))
    ri = np.repeat(np.arange(len(relations), dtype=np.int64),
                   np.fromiter((len(r.terms) for r in relations), dtype=np.int64, count=len(relations)))
    known = ci >= 0
    return csr_array((data[known], (ri[known], ci[known])), shape=(len(relations), len(keys)))


def _eps(scale: int) -> int:
    """The tolerance of "holds on the exact amounts": 0.0001 cent (0.000001 万元), in scaled units."""
    return int(EPS_CENTS.scaleb(scale)) if scale >= 4 else 0


class _Problem:
    """The integer program over the cells that are not already whole cents: binaries z (1: the
    ceiling), ``a z (= | ≥) rhs_units / step`` per imposed relation, cost +1 for a cell moved up
    from its ordinary rounding (the floor), −1 for one whose ordinary rounding is the ceiling."""

    def __init__(self, relations: list[Relation], a, rhs_units, ge, step: int, cost) -> None:  # type: ignore[no-untyped-def]
        import numpy as np

        self.relations = relations
        self.a = a.tocsr()
        self.ge = np.asarray(ge, dtype=bool)
        rhs_units = np.asarray(rhs_units, dtype=object)
        # ≥: the smallest whole number at least rhs_units/step; =: must be whole (else no rounding)
        self.rhs = np.array([-((-int(u)) // step) for u in rhs_units], dtype=np.int64)
        self.whole = np.array([int(u) % step == 0 for u in rhs_units], dtype=bool) | self.ge
        self.cost = np.asarray(cost, dtype=float)
        live = np.diff(self.a.indptr) > 0  # a relation of whole-cent cells only holds already
        self.rows = np.flatnonzero(live | ~self.whole)

    def optimise(self, rows=None, feasibility: bool = False):  # type: ignore[no-untyped-def]
        """The binaries of an optimal rounding (None when infeasible); ``rows`` limits the relations.

        The linear relaxation first (HiGHS dual simplex, a vertex); a whole optimum of it is an
        optimum of the integer program (checked exactly in integers).  Otherwise ``milp``.
        """
        import numpy as np
        from scipy.optimize import Bounds, LinearConstraint, linprog, milp

        rows = self.rows if rows is None else np.asarray(rows, dtype=np.int64)
        n = self.a.shape[1]
        c = np.zeros(n) if feasibility else self.cost
        if not self.whole[rows].all():
            return None
        if len(rows) == 0:
            return np.zeros(n, dtype=np.int64) if feasibility else (c < 0).astype(np.int64)
        a = self.a[rows]
        b = self.rhs[rows]
        ineq = self.ge[rows]
        eq = ~ineq
        af = a.astype(float)
        bf = b.astype(float)
        lp = linprog(c, A_eq=af[eq] if eq.any() else None, b_eq=bf[eq] if eq.any() else None,
                     A_ub=-af[ineq] if ineq.any() else None, b_ub=-bf[ineq] if ineq.any() else None,
                     bounds=(0, 1), method="highs-ds")
        if lp.status == 2:  # the relaxation is infeasible: so is the integer program
            return None
        if lp.status == 0:
            z = np.rint(lp.x).astype(np.int64)
            if np.abs(lp.x - z).max() < 1e-6 and self._exact(a, b, ineq, z):
                return z
        res = milp(c, integrality=np.ones(n), bounds=Bounds(0, 1),
                   constraints=[LinearConstraint(af, bf, np.where(ineq, np.inf, bf))], options={"presolve": True})
        if res.status == 2:  # infeasible
            return None
        if res.x is None:
            raise RuntimeError(f"舍位平衡求解失败 (the solver failed): {res.message}")
        z = np.rint(res.x).astype(np.int64)
        if not self._exact(a, b, ineq, z):
            raise RuntimeError("舍位平衡求解失败 (the solver's rounding does not tie exactly)")
        return z

    @staticmethod
    def _exact(a, b, ineq, z) -> bool:  # type: ignore[no-untyped-def]
        """Whether the 0/1 vector ``z`` satisfies the relations exactly (integers)."""
        import numpy as np

        v = a @ z
        return bool(np.all(np.where(ineq, v >= b, v == b)))

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
                return [self.relations[i] for i in keep]
            size = max(1, size // 2)

    def _infeasible_part(self) -> list[int]:
        """The relations of the first connected part (cells linked by relations) that is infeasible."""
        import numpy as np
        from scipy.sparse import bmat, csr_array
        from scipy.sparse.csgraph import connected_components

        rows = [int(i) for i in self.rows]
        a = csr_array(self.a[rows] != 0, dtype=np.int8)
        graph = bmat([[None, a], [a.T, None]], format="csr")
        _, label = connected_components(graph, directed=False)
        parts: dict[int, list[int]] = {}
        for i, r in enumerate(rows):
            parts.setdefault(int(label[i]), []).append(r)
        for part in sorted(parts.values(), key=len):
            if self.optimise(part, feasibility=True) is None:
                return part
        return rows
