"""Where can 舍位平衡 fail?  A systematic search of the relation systems balancing solves.

    PYTHONPATH=src python bench/balance_search.py [--departments 30] [--objectives 20] [--tables 6000]
    PYTHONPATH=src python bench/balance_search.py --write-department tests/data/balance/no-consistent-rounding.json

For a department with exact amounts x (in cents) the printed values are x' = ⌊x⌋ + z with z ∈ {0,1}
(fixed 0 for a whole cent); the equalities A x = k and inequalities G x ≥ h of the format must hold
on x'.  With f = x − ⌊x⌋ that is the integer points of P_f = {0 ≤ z ≤ 1 : A z = A f, G z ≥ ⌊G f⌋}
(the tight case of each inequality).  P_f always holds f itself; when A and G are totally
unimodular every vertex of P_f is whole and a rounding always exists.  Three searches:

1. **LP vertices of real departments** (synthetic 元 departments, every relation balancing
   imposes, see :func:`juesuan.balance.gather.gather`): minimise random objectives over P_f with
   HiGHS' dual simplex and count vertices with fractional coordinates (the matrix is then not
   totally unimodular); for each, the exact amounts ⌊x⌋ + z* (half-cent cells: 50 元 tails, and
   consistent, since A z* = A f) are handed to ``milp``: is there a rounding?
2. **Two-way tables hierarchical in both directions**: rows 项 ⊂ 类 ⊂ 合计 and columns 基本/项目
   ⊂ fund ⊂ 合计 (表5 and 表8 side by side, their 小计 in 表4's fund columns, 表4 合计 across funds),
   every subtotal printed: random quarter/half-cent tails, with 项 rows that carry both funds or
   only one.  Sets of cells summed form three laminar families when a 项 carries two funds, two
   (totally unimodular: rounding always exists) when each 项 belongs to one fund.  In the format
   表3 (all funds by 项) with X17 (表3 ≥ 表5 + 表8 + 表9 per 项) plays the part of the per-项 total.
3. ``--write-department``: the smallest infeasible table found by (2) as real data files, nmg-2023
   and national-2023.

Figures printed on this machine (seed 1): see the report of issue 15.
"""

from __future__ import annotations

import argparse
import random
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from juesuan.balance.gather import gather  # noqa: E402
from juesuan.balance.solve import Relation, solve  # noqa: E402
from juesuan.data_file import book_from_data, dumps  # noqa: E402
from juesuan.synth import synth_department  # noqa: E402


# ── 1. LP vertices of real departments ────────────────────────────────────────────────────
def system(book):  # type: ignore[no-untyped-def]
    """(cells, exact cents, [(relation, {cell index: coef})] equalities, … inequalities) as imposed."""
    exact, relations, _ = gather(book)
    keys = sorted(exact)
    index = {k: i for i, k in enumerate(keys)}
    cents = np.array([float(exact[k].scaleb(2)) for k in keys])
    eq, ge = [], []
    for r in relations:
        coefs: dict[int, int] = {}
        for k, c in r.terms:
            if k in index:
                coefs[index[k]] = coefs.get(index[k], 0) + c
        coefs = {j: c for j, c in coefs.items() if c}
        gap = sum(c * cents[j] for j, c in coefs.items()) + float(r.const.scaleb(2))
        if coefs and (abs(gap) < 1e-6 if r.sense == "=" else gap > -1e-6):
            (eq if r.sense == "=" else ge).append(coefs)
    return keys, cents, eq, ge


def matrix(rows: list[dict[int, int]], n: int):  # type: ignore[no-untyped-def]
    from scipy.sparse import csr_array

    data = [c for r in rows for c in r.values()]
    ri = [i for i, r in enumerate(rows) for _ in r]
    ci = [j for r in rows for j in r]
    return csr_array((np.array(data, float), (ri, ci)), shape=(len(rows), n))


def vertices(book, rng: random.Random, objectives: int) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """(fractional vertices found, of them: exact amounts ⌊x⌋ + z* with a rounding, without one)."""
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp

    keys, cents, eq, ge = system(book)
    n = len(keys)
    f = cents - np.floor(cents + 1e-9)
    ub = np.where(f > 1e-9, 1.0, 0.0)
    a, g = matrix(eq, n), matrix(ge, n)
    fractional = feasible = infeasible = 0
    for _ in range(objectives):
        c = np.array([rng.uniform(-1, 1) for _ in range(n)])
        res = linprog(c, A_eq=a, b_eq=a @ f, A_ub=-g if ge else None, b_ub=-np.floor(g @ f + 1e-9) if ge else None,
                      bounds=list(zip(np.zeros(n), ub)), method="highs-ds")
        z = res.x
        if not (np.abs(z - np.round(z)) > 1e-7).any():
            continue
        fractional += 1
        z = np.where(np.abs(z - np.round(z)) > 1e-7, z, np.round(z))
        cons = [LinearConstraint(a, a @ z, a @ z)]
        if ge:
            cons.append(LinearConstraint(g, np.floor(g @ z + 1e-9), np.inf))
        m = milp(np.zeros(n), integrality=np.ones(n), bounds=Bounds(np.floor(z), np.ceil(z)), constraints=cons)
        feasible += m.status == 0
        infeasible += m.status == 2
    return fractional, feasible, infeasible


# ── 2. two-way tables hierarchical in both directions ─────────────────────────────────────
COLUMNS = {"G1": ["1B", "1P"], "G2": ["2B", "2P"], "A": ["G1", "G2"]}  # 一般 基本/项目, 基金 基本/项目


def table_search(rows: dict[str, dict[str, str]], trials: int, rng: random.Random) -> tuple[int, dict | None]:
    """``rows``: {类: {项: funds it carries ("12", "1" or "2")}}.  Returns (infeasible tables found,
    the one with the fewest nonzero tails)."""
    groups = {**{k: list(v) for k, v in rows.items()}, "T": list(rows)}
    funds = {p: fs for v in rows.values() for p, fs in v.items()}
    leaves_c = ["1B", "1P", "2B", "2P"]

    def leaf_rows(r: str) -> list[str]:
        return [r] if r in funds else [x for k in groups[r] for x in leaf_rows(k)]

    def leaf_cols(c: str) -> list[str]:
        return [c] if c in leaves_c else [x for k in COLUMNS[c] for x in leaf_cols(k)]

    all_rows, all_cols = [*funds, *groups], [*leaves_c, *COLUMNS]
    relations = []
    for r in all_rows:
        for c in all_cols:
            if r in groups:
                relations.append(Relation("row", (((r, c), 1), *(((k, c), -1) for k in groups[r]))))
            if c in COLUMNS:
                relations.append(Relation("col", (((r, c), 1), *(((r, k), -1) for k in COLUMNS[c]))))
    tails = [Decimal(0), Decimal("0.005"), Decimal("0.0025"), Decimal("0.0075")]
    found, best = 0, None
    for _ in range(trials):
        leaf = {(p, c): (rng.choice(tails) if c[0] in funds[p] and rng.random() > 0.25 else Decimal(0))
                for p in funds for c in leaves_c}
        exact = {(r, c): sum((leaf[(a, b)] for a in leaf_rows(r) for b in leaf_cols(c)), Decimal(0))
                 for r in all_rows for c in all_cols}
        if not solve(exact, relations).feasible:
            found += 1
            tails_used = {k: v for k, v in leaf.items() if v}
            if best is None or len(tails_used) < len(best):
                best = tails_used
    return found, best


# ── 3. the department ─────────────────────────────────────────────────────────────────────
def no_consistent_rounding() -> dict:
    """An nmg-2023 行政单位 whose exact 元 amounts satisfy every rule yet admit no consistent rounding.

    The smallest infeasible table of search 2, in 元: 表5 2010301 基本支出 2,468,150 (a); 表5 2120104
    项目支出 1,234,550 (b); 表5 2129999 基本支出 356,750 (c) and 表8 2129999 项目支出 98,750 (d): one 项
    paid by two funds; a 行政单位 with only 财政拨款, so 表3 holds the same four amounts (a′ b′ c′ d′).
    Each ends in 50 元, half a printed cent; z = 1 for a cell printed up.  Whole-cent totals:
    表5 合计 基本支出 a + c → z_a + z_c = 1; 表5 212 小计 b + c → z_b + z_c = 1; 表4 本年支出合计 合计
    a + b + c + d → z_a + z_b + z_c + z_d = 2, so z_a = z_b = 1 − z_c and z_d = z_c.  表3 2129999
    本年支出合计 c′ + d′ → z_c′ + z_d′ = 1, and X17 (表3 ≥ 表5 + 表8 for the 项) → z_c + z_d ≤ 1: so
    z_c = z_d = 0, z_a = z_b = 1.  X17 for 2010301 and 2120104 → z_a′ = z_b′ = 1; 表3 合计 基本支出
    a′ + c′ → z_c′ = 0, so z_d′ = 1; 表3 212 项目支出 b′ + d′ → z_b′ + z_d′ = 1: 2 = 1, no rounding.
    """
    from juesuan.formats import load_format
    from juesuan.formats.nmg_2023.synth import _Department

    class Constructed(_Department):
        def profile(self) -> None:
            super().profile()
            self.name = "示例市城市管理综合执法局"
            self.nature, self.public_unit = "财政拨款的行政单位", False
            self.has_gf, self.has_soe, self.has_projects, self.nonfiscal = True, False, True, False

        def codes(self) -> None:
            self.gpb_codes, self.gf_codes, self.soe_codes, self.nf_only = ["2010301", "2120104", "2129999"], \
                ["2129999"], [], []
            self.all_codes = ["2010301", "2120104", "2129999"]

        def spending(self) -> None:
            self.t5 = {"2010301": [2_468_150, 0], "2120104": [0, 1_234_550], "2129999": [356_750, 0]}
            self.t8 = {"2129999": [0, 98_750, 0, 98_750, 0]}
            self.t9 = {}
            self.extra = {c: [0, 0, 0, 0, 0] for c in self.all_codes}

    data = Constructed(load_format("nmg-2023"), random.Random("no-consistent-rounding"), 1, False, yuan=True).build()
    data["notes"] = {"构造": "2129999 同时有一般公共预算基本支出（表5）和政府性基金项目支出（表8）；四个金额尾数各为 50 元，"
                           "无一致的舍位平衡 (constructed: no consistent rounding exists; bench/balance_search.py)"}
    return data


def no_consistent_rounding_national() -> dict:
    """The same department in national-2023 (its own tables 表2–表8, rules X15–X17): a synthetic
    national department with the four amounts of :func:`no_consistent_rounding` put in."""
    from juesuan.formats.national_2023.synth import department, wan

    d = department(random.Random("no-consistent-rounding"), 1)
    t5 = {"2010301": (2_468_150, 0), "2120104": (0, 1_234_550), "2129999": (356_750, 0)}
    t8 = {"2129999": 98_750}
    d["表2"] = {c: {"财政拨款收入": wan(b + p + t8.get(c, 0))} for c, (b, p) in t5.items()}
    d["表3"] = {c: {"基本支出": wan(b), "项目支出": wan(p + t8.get(c, 0))} for c, (b, p) in t5.items()}
    d["表5"] = {c: {"基本支出": wan(b), "项目支出": wan(p)} for c, (b, p) in t5.items()}
    d["表8"] = {c: {"年初结转和结余": 0, "本年收入": wan(v), "基本支出": 0, "项目支出": wan(v), "年末结转和结余": 0}
               for c, v in t8.items()}
    d["注"].pop("表8", None)
    basic = sum(b for b, _ in t5.values())
    car = int(d["表6"]["30231"]["决算数"] * 10_000)
    personnel = basic * 4 // 5
    d["表6"] = {"30101": {"决算数": wan(personnel)}, "30201": {"决算数": wan(basic - personnel - car)},
               "30231": {"决算数": wan(car)}}
    d["表4"]["一般公共预算财政拨款"] = {"金额": wan(sum(b + p for b, p in t5.values()))}
    d["其他事项"]["机关运行经费支出"] = wan((basic - personnel) * 4 // 5)
    d["年初预算"] = {c: {**v, "年初预算数": wan(sum(t5[c]) + t8.get(c, 0))} for c, v in zip(t5, d["年初预算"].values())}
    d["单位信息"]["部门名称"] = "示例市城市管理综合执法局"
    d["notes"] = no_consistent_rounding()["notes"]
    return d


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--departments", type=int, default=30)
    ap.add_argument("--objectives", type=int, default=20)
    ap.add_argument("--tables", type=int, default=6000)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--write-department", type=Path)
    args = ap.parse_args()
    if args.write_department:  # …/X.json (nmg-2023) and …/X-national.json
        national = args.write_department.with_name(args.write_department.stem + "-national.json")
        args.write_department.write_text(dumps(no_consistent_rounding()), encoding="utf-8")
        national.write_text(dumps(no_consistent_rounding_national()), encoding="utf-8")
        print(f"wrote {args.write_department} and {national}")
        return
    rng = random.Random(args.seed)
    totals = [0, 0, 0, 0]
    for i in range(1, args.departments + 1):
        book = book_from_data(synth_department(random.Random(f"{args.seed}:{i}"), i, yuan=True))
        fr, ok, bad = vertices(book, rng, args.objectives)
        totals = [totals[0] + 1, totals[1] + fr, totals[2] + ok, totals[3] + bad]
        print(f"department {i}: {fr} fractional vertices of {args.objectives}; rounding exists for {ok}, not for {bad}",
              flush=True)
    print(f"1. {totals[0]} departments: {totals[1]} fractional LP vertices (not totally unimodular); "
          f"at their half-cent points a rounding exists {totals[2]} times, none {totals[3]} times")
    shapes = {"两个基金共用的项 (项 rows with both funds)": {"K1": {"p1": "1", "p2": "12"}, "K2": {"p3": "1"}},
              "每项一个基金 (each 项 one fund)": {"K1": {"p1": "1", "p2": "2", "p5": "1"}, "K2": {"p3": "1", "p4": "2"}}}
    for label, rows in shapes.items():
        found, best = table_search(rows, args.tables, rng)
        print(f"2. {label}: {found} of {args.tables} random tables have no consistent rounding"
              + (f"; smallest: {({f'{r}/{c}': str(v) for (r, c), v in best.items()})}" if best else ""))


if __name__ == "__main__":
    main()
