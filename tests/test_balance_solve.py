"""The 舍位平衡 solver against brute force: on small random systems of totals it finds a rounding
exactly when one exists, with the fewest cells moved, and names an irreducible blocking set."""

from __future__ import annotations

import itertools
import random
from decimal import ROUND_FLOOR, Decimal

import pytest

from juesuan.balance.solve import Relation, ordinary, solve

CENT = Decimal("0.01")


def floor_ceil(v: Decimal) -> list[Decimal]:
    lo = (v / CENT).to_integral_value(rounding=ROUND_FLOOR) * CENT
    return [lo] if lo == v else [lo, lo + CENT]


def brute(exact: dict[str, Decimal], relations: list[Relation]) -> int | None:
    """The fewest cells off ordinary rounding over every floor/ceiling choice (None: no choice ties)."""
    keys = list(exact)
    best = None
    for choice in itertools.product(*(floor_ceil(exact[k]) for k in keys)):
        printed = dict(zip(keys, choice))
        if all(r.holds(printed, Decimal(0)) for r in relations if r.holds(exact)):
            moved = sum(1 for k in keys if printed[k] != ordinary(exact[k]))
            best = moved if best is None else min(best, moved)
    return best


def random_system(rng: random.Random) -> tuple[dict[str, Decimal], list[Relation]]:
    """3–5 parts in tenths of a cent, then totals over random subsets and a copy of a total (a
    figure printed in two tables): relations that hold exactly on the exact values."""
    exact = {f"p{i}": Decimal(rng.randint(0, 60)) / 1000 for i in range(rng.randint(3, 5))}
    relations = []
    for t in range(rng.randint(2, 4)):
        parts = rng.sample(sorted(exact), rng.randint(2, min(4, len(exact))))
        name = f"t{t}"
        exact[name] = sum((exact[p] for p in parts), Decimal(0))
        relations.append(Relation(f"R{t}", ((name, 1), *((p, -1) for p in parts))))
    if rng.random() < 0.5:
        src = rng.choice([k for k in exact if k.startswith("t")])
        exact["copy"] = exact[src]
        relations.append(Relation("C", (("copy", 1), (src, -1))))
    if rng.random() < 0.3:  # an inequality: the first total ≥ one of its parts
        part = next(k for k, c in relations[0].terms if c < 0)
        relations.append(Relation("G", (("t0", 1), (part, -1)), ">="))
    return exact, relations


@pytest.mark.parametrize("seed", range(60))
def test_solver_moves_as_few_cells_as_brute_force_finds_and_ties_every_relation(seed: int) -> None:
    rng = random.Random(seed)
    exact, relations = random_system(rng)
    best = brute(exact, relations)
    sol = solve(exact, relations)
    if best is None:
        assert not sol.feasible
        return
    assert sol.feasible, sol.message()
    assert len(sol.moved) == best
    for k, v in exact.items():
        assert sol.printed[k] in floor_ceil(v)
        assert (sol.printed[k] != ordinary(v)) == (k in sol.moved)
    for r in relations:
        assert r.holds(sol.printed, Decimal(0)), r


def test_blocking_set_is_infeasible_and_irreducible_as_brute_force_confirms() -> None:
    """Three cells of half a cent each and three pair totals of one cent: x+y = y+z = x+z = 1 cent
    has no solution in whole cents (2(x+y+z) = 3); a fourth, unrelated total is not named."""
    h = Decimal("0.005")
    exact = {"x": h, "y": h, "z": h, "xy": 2 * h, "yz": 2 * h, "xz": 2 * h,
             "a": Decimal("0.004"), "b": Decimal("0.004"), "ab": Decimal("0.008")}
    relations = [Relation("XY", (("xy", 1), ("x", -1), ("y", -1))),
                 Relation("YZ", (("yz", 1), ("y", -1), ("z", -1))),
                 Relation("XZ", (("xz", 1), ("x", -1), ("z", -1))),
                 Relation("AB", (("ab", 1), ("a", -1), ("b", -1)))]
    assert brute(exact, relations) is None
    sol = solve(exact, relations)
    assert not sol.feasible
    assert sorted(r.rid for r in sol.blocking) == ["XY", "XZ", "YZ"]
    for r in sol.blocking:
        assert brute(exact, [q for q in sol.blocking if q is not r]) is not None
    assert sol.printed == {k: ordinary(v) for k, v in exact.items()}  # ordinary rounding kept
    assert "XY" in sol.message() and "no consistent rounding" in sol.message()


def test_worked_example_moves_one_part_of_three() -> None:
    exact = {"a": Decimal("0.004"), "b": Decimal("0.004"), "c": Decimal("0.004"), "t": Decimal("0.012")}
    sol = solve(exact, [Relation("T", (("t", 1), ("a", -1), ("b", -1), ("c", -1)))])
    assert sol.feasible and len(sol.moved) == 1
    assert sum(sol.printed[k] for k in "abc") == sol.printed["t"] == Decimal("0.01")


def test_whole_cents_need_nothing_and_a_relation_false_on_exact_values_is_not_imposed() -> None:
    exact = {"a": Decimal("1.25"), "b": Decimal("2.00"), "t": Decimal("3.26")}
    sol = solve(exact, [Relation("T", (("t", 1), ("a", -1), ("b", -1)))])
    assert not sol.needed and sol.feasible and sol.moved == []
    assert [r.rid for r in sol.skipped] == ["T"]
    assert sol.printed == exact


def test_a_key_a_relation_names_but_exact_lacks_counts_as_zero() -> None:
    exact = {"a": Decimal("0.006"), "t": Decimal("0.006")}
    sol = solve(exact, [Relation("T", (("t", 1), ("a", -1), ("missing", -1)))])
    assert sol.feasible and sol.printed["t"] == sol.printed["a"] == Decimal("0.01")


@pytest.mark.parametrize("places", [3, 4, 7, 12])
def test_amounts_of_any_precision_sign_and_size_tie_and_round_like_decimal(places: int) -> None:
    """The solver's whole-number arithmetic (units of 10⁻ˢ cent) against Decimal: negative, huge
    (near the 1e10 万元 limit) and many-decimal amounts, a total of them; with no relation
    violated the printed values are Decimal's half-up rounding, else the total ties."""
    rng = random.Random(places)
    unit = Decimal(1).scaleb(-places)
    for _ in range(20):
        parts = {f"p{i}": Decimal(rng.randint(-10**(places + 9), 10**(places + 9))) * unit for i in range(4)}
        exact = {**parts, "t": sum(parts.values(), Decimal(0))}
        relation = Relation("T", (("t", 1), *((k, -1) for k in parts)))
        sol = solve(exact, [relation])
        assert sol.feasible and relation.holds(sol.printed, Decimal(0))
        assert all(sol.printed[k] in floor_ceil(v) for k, v in exact.items())
        if relation.holds({k: ordinary(v) for k, v in exact.items()}, Decimal(0)):
            assert sol.moved == [] and sol.printed == {k: ordinary(v) for k, v in exact.items()}
        assert len(sol.moved) <= 2  # moving the total, or one part, or two, always suffices here


def test_equal_exact_amounts_print_equal_when_asked() -> None:
    """``same=True``: cells with the same exact amount print the same (a preference the caller
    drops when it blocks)."""
    h = Decimal("0.003")
    exact = {"a": h, "b": h, "c": h, "t": 3 * h, "copy": h}
    relations = [Relation("T", (("t", 1), ("a", -1), ("b", -1), ("c", -1)))]
    free = solve(exact, relations)
    assert free.feasible and len(free.moved) == 1
    tied = solve(exact, relations, same=True)  # a = b = c = copy: all down, the total down too
    assert tied.feasible and {tied.printed[k] for k in ("a", "b", "c", "copy")} == {Decimal("0.00")}
    assert tied.printed["t"] == Decimal("0.00") and tied.moved == ["t"]
    exact = {k: v + Decimal("0.001") for k, v in exact.items() if k != "t"} | {"t": Decimal("0.012")}
    assert solve(exact, relations).feasible and not solve(exact, relations, same=True).feasible  # 3·x ≠ 1 cent
