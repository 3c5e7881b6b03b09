"""Formula parsing (with the shape cache), the Decimal evaluator, and the linter on small cases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from juesuan.lint import ALLOWED, find_cycle, lint_formulas
from juesuan.xleval import Evaluator, Unsupported, XlError
from juesuan.xlformula import MAX_ROW, FormulaSyntaxError, Ref, parse

D = Decimal


def test_references_are_found_with_and_without_the_shape_cache() -> None:
    first = parse("=SUM(D9,'收入决算表'!C8:C12)+'O''Brien'!$A$1")
    again = parse("=SUM(D19,'收入决算表'!C18:C112)+'O''Brien'!$B$2")  # same shape: from the cache
    assert first.refs == [Ref(None, 9, 4, 9, 4), Ref("收入决算表", 8, 3, 12, 3), Ref("O'Brien", 1, 1, 1, 1)]
    assert again.refs == [Ref(None, 19, 4, 19, 4), Ref("收入决算表", 18, 3, 112, 3), Ref("O'Brien", 2, 2, 2, 2)]
    assert again.tokens == first.tokens and again.functions == {"SUM"}


def test_strings_function_names_and_whole_rows_or_columns() -> None:
    f = parse('="A1"&LOG10(B2)&C:C&3:4')
    assert f.refs == [Ref(None, 2, 2, 2, 2), Ref(None, 1, 3, MAX_ROW, 3), Ref(None, 3, 1, 4, 16_384)]
    assert f.functions == {"LOG10"}
    assert parse("=_xlfn.IFS(A1,1)").functions == {"IFS"}
    assert parse("=名称甲+1").names == {"名称甲"}


def test_syntax_errors_raise() -> None:
    for bad in ("=SUM(A1", "=A1+", "=1.5E3+.5"):
        with pytest.raises(FormulaSyntaxError):
            parse(bad)


def evaluate(text: str, cells: dict[tuple[int, int], object] | None = None) -> object:
    cells = cells or {}
    ev = Evaluator(lambda sheet, r, c: cells.get((r, c)))
    return ev.value(parse(text).tree())


@pytest.mark.parametrize("text, expected", [
    ("=ROUND(1.005,2)", D("1.01")),  # Excel rounds the decimal value (formulas gives 1.0)
    ("=ROUND(-2.5,0)", D("-3")),
    ("=ROUND(1234.5,-2)", D("1200")),
    ("=ROUNDDOWN(2.99,0)+ROUNDUP(0.01,1)", D("2.1")),
    ("=0.1+0.2=0.3", True),  # Decimal: TRUE as Excel shows it
    ("=-2^2", D(4)),  # negation binds before ^
    ("=2^3^2", D(64)),  # ^ is left-associative
    ("=1+2*3-4/2", D(5)),
    ("=50%*4", D(2)),
    ('="a"&1.50&TRUE', "a1.5TRUE"),
    ('="abc"="ABC"', True),
    ("=IF(A1=0,0,ROUND(B1/A1*100,2))", D(0)),
    ("=IF(2>1,\"yes\")", "yes"),
    ("=IF(1>2,\"yes\")", False),
    ("=1/0", XlError("#DIV/0!")),
    ("=IFERROR(1/0,7)", D(7)),
    ("=MIN(3,1,2)+MAX(A1:A3)+ABS(-1)", D(1 + 5 + 1)),
    ("=AND(TRUE,1)+OR(FALSE,0)+NOT(0)", D(2)),
    ("=COUNT(A1:A3,\"x\",2)", D(3)),
    ("=AVERAGE(A1:A3)", D(4)),
])
def test_evaluator(text: str, expected: object) -> None:
    cells = {(2, 1): D(3), (3, 1): D(5), (1, 2): D(7)}
    assert evaluate(text, cells) == expected


def test_sum_skips_text_in_ranges_but_not_in_arguments() -> None:
    cells = {(1, 1): D(1), (2, 1): "x", (3, 1): True, (4, 1): D(2)}
    assert evaluate("=SUM(A1:A4)", cells) == D(3)
    assert evaluate('=SUM(A1,"2")', cells) == D(3)
    assert evaluate("=SUM(A2)", cells) == XlError("#VALUE!")  # a direct reference to text


def test_sumif_matches_text_case_insensitively_and_with_wildcards() -> None:
    cells = {(1, 1): "甲项目", (2, 1): "乙项目", (3, 1): "甲项目", (4, 1): "ABC",
             (1, 2): D(10), (2, 2): D(20), (3, 2): D(5), (4, 2): D(1), (9, 9): "甲项目"}
    assert evaluate("=SUMIF(A1:A4,I9,B1:B4)", cells) == D(15)
    assert evaluate('=SUMIF(A1:A4,"abc",B1:B4)', cells) == D(1)
    assert evaluate('=SUMIF(A1:A4,"?项目",B1:B4)', cells) == D(35)
    assert evaluate('=SUMIF(B1:B4,">=10")', cells) == D(30)
    assert evaluate('=SUMIF(B1:B4,"<>5")', cells) == D(31)


def test_what_the_evaluator_does_not_compute_is_said() -> None:
    with pytest.raises(Unsupported):
        evaluate("=SUM(A1:A2*2)")
    with pytest.raises(Unsupported):
        evaluate("=VLOOKUP(1,A1:B2,2)")


def test_every_allowed_function_is_evaluated() -> None:
    assert {"SUM", "SUMIF", "IF", "ROUND", "MIN", "MAX"} <= ALLOWED


def test_lint_reports_each_problem_at_its_cell() -> None:
    texts = {("S", 1, 1): "=SUM(B1:B3)", ("S", 2, 1): "=FOO(1)", ("S", 3, 1): "='Gone'!A1",
             ("S", 4, 1): "=SUM(#REF!)", ("S", 5, 1): "=XFE1", ("S", 6, 1): "=nope+1", ("S", 7, 1): "=SUM(",
             ("S", 8, 1): "=named*2", ("s", 9, 1): "=s!A1"}
    result = lint_formulas(texts, ["S", "s2"], {"NAMED": Ref("S", 1, 2, 1, 2)})
    by_cell = {e.cell: e for e in result.errors}
    assert set(by_cell) == {"A2", "A3", "A4", "A5", "A6", "A7"}  # sheet names are case-insensitive (s → S)
    assert "FOO" in by_cell["A2"].zh and "Gone" in by_cell["A3"].zh and "#REF!" in by_cell["A4"].zh
    assert "无效" in by_cell["A5"].zh and "NOPE" in by_cell["A6"].zh and "无法解析" in by_cell["A7"].zh


def test_cycles_are_found_through_ranges() -> None:
    texts = {("S", 1, 1): "=SUM(A2:A3)", ("S", 2, 1): "=1", ("S", 3, 1): "=B1", ("S", 1, 2): "=A1*2"}
    result = lint_formulas(texts, ["S"])
    assert len(result.errors) == 1 and "循环引用" in result.errors[0].zh
    assert find_cycle({("S", 1, 1): [("S", 2, 1)], ("S", 2, 1): []}) is None
    deep = {("S", i, 1): [("S", i + 1, 1)] for i in range(1, 20_000)}
    assert find_cycle(deep) is None  # no recursion limit on long chains


RACE = """
import threading
from juesuan import xlformula
barrier, errors = threading.Barrier(8), []
def parse():
    barrier.wait()
    try:
        xlformula.parse("=SUM(A1:A3)+B2")
    except Exception as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=parse) for _ in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
print(errors)
"""


def test_threads_parsing_their_first_formulas_at_once_all_succeed() -> None:
    """The service parses in a request thread while its warm-up thread lints the template: each
    fresh process here starts 8 threads parsing at once (formulas' first imports among them).
    Without the parser's lock about half of these processes saw a half-imported schedula module."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for _ in range(6):
        out = subprocess.run([sys.executable, "-c", RACE], env=env, capture_output=True, text=True, check=True)
        assert out.stdout.strip() == "[]", out.stdout
