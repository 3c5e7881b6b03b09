"""舍位平衡 where no consistent rounding exists: a constructed department whose exact 元 amounts
satisfy every rule of nmg-2023 yet cannot be printed in two-decimal 万元 so that every relation
ties (one 项 paid by two funds, four amounts ending in 50 元: the parity argument is in
``bench/balance_search.py``'s ``no_consistent_rounding``).  Balancing must say so, name the
relations and the cells, keep ordinary rounding and the 尾差 findings, and never crash."""

from __future__ import annotations

import io
import itertools
import subprocess
import sys
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

import pytest

from juesuan.balance import balance_book, is_balanced
from juesuan.balance.gather import gather
from juesuan.balance.solve import solve
from juesuan.book_io import read_workbook
from juesuan.check import check_book, check_file
from juesuan.data_file import read_data
from juesuan.derive import compute
from juesuan.findings import Severity

CENT = Decimal("0.01")
DEPARTMENT = Path(__file__).resolve().parent / "data" / "balance" / "no-consistent-rounding.json"
NATIONAL = DEPARTMENT.with_name("no-consistent-rounding-national.json")  # the same amounts in national-2023
BOTH = pytest.mark.parametrize("path", [DEPARTMENT, NATIONAL], ids=["nmg-2023", "national-2023"])
TAILED = [("表5", "2010301", "基本支出"), ("表5", "2120104", "项目支出"), ("表5", "2129999", "基本支出"),
          ("表8", "2129999", "项目支出"), ("表8", "2129999", "本年收入")]


def within_a_cent(printed: Decimal, exact: Decimal) -> bool:
    return abs(printed - exact) < CENT


def tail_differences(findings) -> set:  # type: ignore[no-untyped-def]
    return {(f.rule, f.message) for f in findings if f.severity is Severity.INFO and "尾差" in f.message}


@BOTH
def test_the_constructed_department_satisfies_every_rule_of_the_format_exactly(path: Path) -> None:
    book = read_data(path)
    findings = check_book(book)
    assert [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)] == []
    exact, relations, _ = gather(book)
    assert all(r.holds(exact, Decimal(0)) for r in relations)
    assert [book.values[k] for k in TAILED] == [Decimal(v) for v in ("246.815", "123.455", "35.675", "9.875", "9.875")]


def test_no_floor_or_ceiling_of_its_spending_inputs_ties_表3_表4_表5_表8() -> None:
    """Independent of the solver and of how relations are gathered: for every printed choice
    (floor or ceiling) of the eight 50-元 spending inputs of 表3/表5/表8, totals recomputed by the
    format's own formulas, some total of these tables is off its exact value by a cent or more, or
    表3 falls short of 表5 + 表8 (X15/X16 per column, X17 per 项).  That is a part of what balancing
    must satisfy, so nothing can satisfy all of it."""
    book = read_data(DEPARTMENT)
    exact = compute(book)
    tables = ("表3", "表4", "表5", "表8")
    tailed = [k for k in book.values if k[0] in ("表3", "表5", "表8") and k[2] != "本年收入"
              and isinstance(book.values[k], Decimal) and book.values[k] != book.values[k].quantize(CENT)]
    assert len(tailed) == 8 and set(TAILED[:4]) <= set(tailed)
    floors = {k: (book.values[k] / CENT).to_integral_value(rounding=ROUND_FLOOR) * CENT for k in tailed}
    spending = lambda k: k[0] in tables and (k[0] != "表4" or k[1].isdigit() or k[1] == "本年支出合计")  # noqa: E731
    for choice in itertools.product((0, 1), repeat=len(tailed)):
        book.values.update({k: floors[k] + up * CENT for k, up in zip(tailed, choice)})
        v = {**book.values, **compute(book)}
        get = lambda *k: Decimal(v.get(k) or 0)  # noqa: E731
        off = [k for k in v if spending(k) and isinstance(exact.get(k), Decimal) and not within_a_cent(v[k], exact[k])]
        short = [col for col in ("基本支出", "项目支出") if get("表3", "合计", col) < get("表5", "合计", col) + get("表8", "合计", col)]
        short += [code for code in book.codes["表3"] if get("表3", code, "本年支出合计")
                  < get("表5", code, "小计") + get("表8", code, "本年支出小计")]
        assert off or short, choice


@BOTH
def test_balancing_names_the_blocking_relations_and_the_tailed_cells(path: Path) -> None:
    result = balance_book(read_data(path))
    assert result.status == "infeasible" and not is_balanced(result.book)
    message = result.message()
    assert message.startswith("舍位平衡无解") and "no consistent rounding exists" in message
    assert "ordinary rounding kept" in message and "已保留普通四舍五入" in message
    for cell in ("表5「2129999 其他城乡社区支出」基本支出 35.675", "表8「2129999 其他城乡社区支出」项目支出 9.875",
                 "表5「2010301 行政运行」基本支出 246.815", "表5「2120104 城管执法」项目支出 123.455"):
        assert any(t == cell for t in result.tails), (cell, result.tails)
    assert {b.split()[0] for b in result.blocking} >= {"W5-1", "W5-2", "W8-1"}
    assert all("：" in b and ("=" in b or "≥" in b) for b in result.blocking)  # rule, title: the relation
    assert all(b in message for b in result.blocking)


def test_the_blocking_relations_are_irreducible() -> None:
    """Together they admit no rounding; without any one of them a rounding exists."""
    book = read_data(DEPARTMENT)
    exact, relations, _ = gather(book)
    solution = solve(exact, relations)
    blocking = solution.blocking
    assert blocking and not solve(exact, blocking).feasible
    for r in blocking:
        assert solve(exact, [b for b in blocking if b is not r]).feasible, r


@pytest.fixture(scope="module")
def new_balanced(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path, Path]:
    out = tmp_path_factory.mktemp("infeasible")
    plain, asked = out / "plain.xlsx", out / "balanced.xlsx"
    run = lambda *a: subprocess.run([sys.executable, "-m", "juesuan.cli", "new", "--data", str(DEPARTMENT), *a],  # noqa: E731
                                    capture_output=True, text=True)
    assert run("-o", str(plain)).returncode == 0
    return run("--balance", "-o", str(asked)), plain, asked


def test_new_balance_reports_it_and_writes_the_ordinary_rounding(
        new_balanced: tuple[subprocess.CompletedProcess, Path, Path]) -> None:
    proc, _, asked = new_balanced
    assert proc.returncode == 0, proc.stderr
    assert "舍位平衡无解" in proc.stdout and "no consistent rounding exists" in proc.stdout
    assert "W5-1" in proc.stdout and "Traceback" not in proc.stderr
    book = read_workbook(asked)
    assert not is_balanced(book)
    exact = read_data(DEPARTMENT)
    assert all(book.values.get(k) == v for k, v in exact.values.items() if isinstance(v, Decimal))


def test_new_balance_keeps_the_tail_difference_findings(new_balanced: tuple[subprocess.CompletedProcess, Path, Path]) -> None:
    _, plain, asked = new_balanced
    plain_findings, asked_findings = check_file(plain), check_file(asked)
    assert len(tail_differences(asked_findings)) >= 3
    assert tail_differences(asked_findings) == tail_differences(plain_findings)
    assert [f for f in asked_findings if f.severity is Severity.ERROR] == []


def test_batch_balance_reports_the_department_without_failing(tmp_path: Path) -> None:
    from juesuan.batch.progress import Progress
    from juesuan.batch.runner import run_batch

    src = tmp_path / "in"
    src.mkdir()
    (src / "dept.json").write_bytes(DEPARTMENT.read_bytes())
    quiet = Progress(1, stream=io.StringIO(), tty=False)
    result = run_batch(src, tmp_path / "out", jobs=1, balance=True, progress=quiet)
    (o,) = result.outcomes
    assert o.status == "ok" and o.balance == "infeasible", o
    assert o.reason.startswith("舍位平衡无解") and "no consistent rounding exists" in o.reason
    assert o.counts["error"] == 0 and o.counts["info"] >= 3
    assert tail_differences(check_file(o.output))


def test_national_new_balance_reports_it_and_writes_the_ordinary_rounding(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from juesuan.cli import main

    out = tmp_path / "national.xlsx"
    assert main(["new", "--data", str(NATIONAL), "--balance", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "舍位平衡无解" in printed and "no consistent rounding exists" in printed and "W5-1" in printed
    book = read_workbook(out)
    assert book.format.id == "national-2023" and not is_balanced(book)
    exact = read_data(NATIONAL)
    assert all(book.values.get(k) == v for k, v in exact.values.items() if isinstance(v, Decimal))
    findings = check_file(out)
    assert tail_differences(findings) and [f for f in findings if f.severity is Severity.ERROR] == []
