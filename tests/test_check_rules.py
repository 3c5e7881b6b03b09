"""Every rule: one workbook where it holds, one where it fails with exactly that rule's id.

The workbook where every rule holds is the clean department (tests/data/check/clean.json), as a
model, hand-typed and as a filled file.  Each failing case is a small, realistic change of it:

- ``recalc``: inputs changed and the workbook recalculated (tables that disagree);
- ``typed``: a hand-typed workbook where one figure was typed differently;
- ``sheet``: the filled file's cells edited (text in an amount cell, a stale cached value…).

Each case also lists the other error/warning ids the same change must raise (a typed subtotal
is also a wrong part of its own total); the test asserts the exact set, so a rule that starts
firing where it should not is caught too.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Callable

import pytest

from juesuan.check import check_book, check_grids
from juesuan.formats import get_pack
from juesuan.findings import Finding, Severity
from juesuan.model import Book

from test_check_support import (Sheets, against_last_year, clean_book, clean_file, ids, recalculated, stored_of, typed,
                                with_last_year)

T1 = lambda row: ("表1", row, "金额")  # noqa: E731
T4 = lambda row, col="金额": ("表4", row, col)  # noqa: E731
T11 = lambda row: ("表11", row, "数值")  # noqa: E731
PRIOR = lambda row: ("上年决算", row, "值")  # noqa: E731
GENERAL, FUND, STATE = "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"
RULES = get_pack("nmg-2023").rules
INFO_RULES = {"F-0", "F-4", "F-5"}


def change(*pairs: tuple[tuple[str, str, str], object]) -> Callable[[Book], None]:
    def mutate(book: Book) -> None:
        for key, value in pairs:
            book.values[key] = D(str(value))
    return mutate


def balanced_record(*entries: list[str]) -> Callable[[Book], None]:
    """The clean department stamped as balanced (舍位平衡) with this record of changed cells."""
    def mutate(book: Book) -> None:
        book.notes["舍位平衡"] = {"精确数": [list(e) for e in entries]}
    return mutate


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> Sheets:
    return Sheets(clean_file(str(tmp_path_factory.mktemp("check_clean"))))


# ── sheet-level edits (Sheets → None) ──────────────────────────────────────────────────
def s1_unknown_code(s: Sheets) -> None:
    s.put(s.sheet("年初预算"), s.code_row("年初预算", "2010399"), 1, "2010398")


def s2_wrong_parent(s: Sheets) -> None:
    s.put(s.sheet("表2"), s.code_row("表2", "20103"), 1, "20104")


def s3_name(s: Sheets) -> None:
    s.put(s.sheet("表2"), s.code_row("表2", "2010301"), 2, "行政运营")


def s5_text(s: Sheets) -> None:
    s.set(PRIOR("机构运行经费"), "三十八")


def s6_note(s: Sheets) -> None:
    s.put(s.sheet("表9"), s.note_row("表9"), 1, "注：本表反映部门本年度国有资本经营预算财政拨款支出情况。")


def s7_note(s: Sheets) -> None:
    s.put(s.sheet("表8"), s.note_row("表8"), 1, "注：本单位无政府性基金预算财政拨款收支，故本表为空表。")


def s8_reason(s: Sheets) -> None:
    s.set(("变动原因", "收支总计.上年", "原因"), None)


def f1_constant(s: Sheets) -> None:
    s.set(("表5", "2010301", "小计"), 100)


def f2_stale(s: Sheets) -> None:
    s.set(("表5", "2010301", "基本支出"), 101)


def narrative_sheet(s: Sheets, digest_of_shown: bool, reword: bool = False) -> None:
    """Add the 决算情况说明 sheet with the text the numbers give, its first share line typed over as
    427.00 % (``reword``: and a note added); ``digest_of_shown``: with the digest of that text in C1
    (as juesuan writes it: a sheet written from other numbers), else none (edited by hand)."""
    import re

    from juesuan.narrate import narrative
    from juesuan.narrate.document import text_hash
    from juesuan.narrate.sheet import HASH_PREFIX, written_text

    lines = [written_text(p) for p in narrative(s.book).paragraphs()]
    k = next(i for i, line in enumerate(lines) if re.search(r"占\d+\.\d\d%", line))
    lines[k] = re.sub(r"占\d+\.\d\d%", "占427.00%", lines[k], count=1) + ("（已核对）" if reword else "")
    grid = [[line] for line in lines]
    if digest_of_shown:
        grid[0] = [lines[0], None, HASH_PREFIX + text_hash(lines)]
    s.values["决算情况说明"] = grid
    s.formulas["决算情况说明"] = [list(row) for row in grid]


def n_sheet_stale(s: Sheets) -> None:
    narrative_sheet(s, digest_of_shown=True)


def n_sheet_figure(s: Sheets) -> None:
    narrative_sheet(s, digest_of_shown=False)


def n_sheet_text(s: Sheets) -> None:
    narrative_sheet(s, digest_of_shown=False, reword=True)


def f3_other(s: Sheets) -> None:
    s.set_formula(("表5", "2010301", "小计"), "=D10+E10+0")


def f4_uncached(s: Sheets) -> None:
    for sheet, fgrid in s.formulas.items():
        for r, row in enumerate(fgrid, 1):
            for c, f in enumerate(row, 1):
                if isinstance(f, str) and f.startswith("="):
                    s.values[sheet][r - 1][c - 1] = ""


def f5_input_formula(s: Sheets) -> None:
    s.set(("表6", "30201", "决算数"), 25, "=20+5")


def f6_error(s: Sheets) -> None:
    s.set_cached(("表10", "金额", "决算数合计"), "#REF!")


def f7_unfilled(s: Sheets) -> None:
    for key in s.found_derived():
        s.set(key, None)


def put(*pairs: tuple[tuple[str, str, str], object]) -> Callable[[Book], None]:
    """Inputs set as typed (texts as text, numbers as Decimal), then recalculated."""
    def mutate(book: Book) -> None:
        for key, value in pairs:
            book.values[key] = value if isinstance(value, str) else D(str(value))
    return mutate


PERF = lambda row: ("绩效管理", row, "值")  # noqa: E731
REASON = lambda key: ("变动原因", key, "原因")  # noqa: E731
RECORD = lambda table, row, col: (table, row, col)  # noqa: E731


# rule id → (how the failing workbook is made, the other ids it must raise)
CASES: dict[str, tuple[str, object, set[str]]] = {
    "W1-1": ("typed", {T1("本年收入合计"): 1}, {"W1-3", "X1"}),
    "W1-2": ("typed", {T1("本年支出合计"): 1}, {"W1-4", "X4"}),
    "W1-3": ("typed", {T1("收入总计"): 1}, {"W1-5"}),
    "W1-4": ("typed", {T1("支出总计"): 1}, {"W1-5"}),
    "W1-5": ("recalc", change((T1("年末结转和结余"), "3.7")), set()),
    "W1-6": ("recalc", change((T1("使用非财政拨款结余"), 1), (T1("结余分配"), 1)), {"S-8"}),
    "W2-1": ("typed", {("表2", "2010301", "本年收入合计"): 1}, set()),
    "W2-2": ("typed", {("表2", "20103", "财政拨款收入"): 1}, {"W2-1"}),
    "W3-1": ("typed", {("表3", "2010301", "本年支出合计"): 1}, set()),
    "W3-2": ("typed", {("表3", "20103", "基本支出"): 1}, {"W3-1"}),
    "W4-1": ("typed", {T4("本年收入合计"): 1}, {"W4-3"}),
    "W4-2": ("typed", {T4("支出201", "合计"): 1}, set()),
    "W4-3": ("recalc", change((T4("年末财政拨款结转和结余", GENERAL), 1)), {"W4-5"}),
    "W4-4": ("typed", {T4("年初财政拨款结转和结余"): 1}, {"W4-3"}),
    "W4-5": ("recalc", change((T4(f"年初{GENERAL}"), 1), (T4("年末财政拨款结转和结余", STATE), 1)), set()),
    "W4-6": ("typed", {T4("本年支出合计", GENERAL): 1}, {"W4-2", "W4-3", "W4-5", "X7"}),
    "W5-1": ("typed", {("表5", "2010399", "小计"): -1}, set()),
    "W5-2": ("typed", {("表5", "20103", "基本支出"): 1}, {"W5-1"}),
    "W6-1": ("typed", {("表6", "301", "决算数"): 1}, set()),
    "W6-2": ("typed", {("表6", "302", "决算数"): 1}, set()),
    "W7-1": ("typed", {("表7", "302", "决算数"): 1}, set()),
    "W8-1": ("typed", {("表8", "2120803", "本年支出小计"): -1}, {"W8-2"}),
    "W8-2": ("typed", {("表8", "2120803", "年末结转和结余"): 1}, {"W8-3"}),
    "W8-3": ("typed", {("表8", "21208", "本年收入"): 1}, set()),
    "W9-1": ("typed", {("表9", "合计", "合计"): 1}, {"X12", "S-8"}),
    "W10-1": ("typed", {("表10", "金额", "决算数合计"): 1}, {"N-REASON-FLAT"}),
    "W10-2": ("typed", {("表10", "金额", "决算数公务用车购置及运行维护费小计"): 1}, {"W10-1"}),
    "W11-1": ("typed", {T11("政府采购支出总额"): 1}, set()),
    "W11-2": ("recalc", change((T11("授予小微企业合同金额"), 13)), set()),
    "W11-3": ("typed", {T11("车辆数合计"): 1}, set()),
    "W11-4": ("recalc", change((T11("货物授予中小企业合同金额"), 7)), set()),
    "WB-1": ("typed", {("年初预算", "20103", "年初预算数"): 1}, set()),
    "WP-1": ("typed", {("绩效自评", "1", "年度资金总额全年预算数"): 1}, {"WP-2"}),
    "WP-2": ("typed", {("绩效自评", "1", "执行率"): -10}, {"WP-3"}),
    "WP-3": ("typed", {("绩效自评", "1", "资金得分"): 1}, {"WP-5"}),
    "WP-4": ("typed", {("绩效自评", "1", "指标得分"): 1}, {"WP-5"}),
    "WP-5": ("typed", {("绩效自评", "1", "总分"): 1}, set()),
    "X1": ("typed", {("表2", "合计", "本年收入合计"): 1}, {"W2-1"}),
    "X2": ("typed", {("表2", "合计", "财政拨款收入"): 1}, {"W2-1", "W2-2"}),
    "X3": ("typed", {T1("其他收入"): 1}, {"W1-1"}),
    "X4": ("typed", {("表3", "合计", "本年支出合计"): 1}, {"W3-1"}),
    "X5": ("typed", {T1("支出201"): 1}, {"W1-2"}),
    "X6": ("typed", {T1("一般公共预算财政拨款收入"): 1}, {"W1-1", "X2"}),
    "X7": ("typed", {("表5", "合计", "小计"): 1}, {"W5-1"}),
    "X8": ("typed", {T4("支出201", GENERAL): 1}, {"W4-2", "W4-6"}),
    "X9": ("typed", {("表8", "合计", "本年支出小计"): 1}, {"W8-1"}),
    "X10": ("typed", {T4(FUND): 1}, {"W4-1", "W4-5", "X6"}),
    "X11": ("typed", {T4(f"年初{FUND}"): 1}, {"W4-4", "W4-5"}),
    "X12": ("typed", {T4("本年支出合计", STATE): 1}, {"W4-2", "W4-3", "W4-5", "W4-6"}),
    "X13": ("recalc", change((("表6", "30101", "决算数"), 65)), set()),
    "X14": ("recalc", change((("表7", "30227", "决算数"), 35)), set()),
    "X15": ("recalc", change((("表3", "2010301", "基本支出"), 90), (T1("年末结转和结余"), "13.5")), {"X17"}),
    "X16": ("recalc", change((("表3", "2010399", "项目支出"), 40), (T1("年末结转和结余"), "12.7")), {"X17"}),
    "X17": ("recalc", change((("表3", "2010301", "基本支出"), "90.8"), (("表3", "2080505", "基本支出"), 30)), set()),
    "X19": ("recalc", change((T11("机构运行经费支出"), 41)), set()),
    "X20": ("recalc", change((("表10", "金额", "决算数公务接待费"), 6)), {"X20-1", "N-REASON-FLAT"}),
    "X20-1": ("recalc", change((("三公统计", "国内公务接待费", "值"), 4)), set()),
    "X21": ("recalc", change((("表10", "金额", "决算数因公出国（境）费"), 1)), {"N-REASON-FLAT", "N-SANGONG", "S-8"}),
    "X22": ("recalc", change((("表10", "金额", "决算数公务用车运行维护费"), 11)), {"N-REASON-FLAT", "N-SANGONG"}),
    "X23": ("recalc", change((("表10", "金额", "决算数公务用车购置费"), 21)), {"N-REASON-FLAT", "N-SANGONG"}),
    "X25-1": ("recalc", change((PRIOR("收支总计"), 151)), {"X25-2"}),
    "X25-2": ("recalc", change((PRIOR("结余分配"), 1)), {"S-8"}),
    "X25-3": ("recalc", change((PRIOR("公务接待费"), 19)), set()),
    "X26": ("recalc", change((PRIOR("年末结转和结余"), "1.6"), (PRIOR("本年支出合计"), "148.4")), set()),
    # against last year: its 上年决算 copy this year's figures, so every typed 变动原因 is N-REASON-FLAT
    "X25": ("prior", change((PRIOR("机构运行经费"), 41)), {"N-REASON-FLAT"}),
    "X26-1": ("prior", change((T4(f"年初{GENERAL}"), 1)), {"W4-3", "W4-5", "N-REASON-FLAT"}),  # and 表4's own totals
    "S-1": ("sheet", s1_unknown_code, {"S-8"}),  # 表5's 2010399 now has no budget row: its reason is asked
    "S-2": ("sheet", s2_wrong_parent, {"S-3", "F-3"}),
    "S-3": ("sheet", s3_name, set()),
    "S-4": ("recalc", change((PRIOR("国有资本经营预算财政拨款支出"), -1)), {"S-8"}),
    "S-5": ("sheet", s5_text, set()),
    "S-6": ("sheet", s6_note, set()),
    "S-7": ("sheet", s7_note, set()),
    "S-8": ("sheet", s8_reason, set()),
    # the narrative: 50 of 项目支出, 4 of 政府性基金 项目支出, 公务接待费 5 (上年 18), 机构运行经费 40 (上年 38)
    "N-SHARE": ("recalc", put((PERF("一般公共预算自评资金"), 60)), set()),
    "N-COVER": ("recalc", put((PERF("一般公共预算自评资金"), 40), (PERF("评价总体情况"), "本部门已全面开展绩效自评")),
                {"N-UNEVALUATED"}),
    "N-BUDGET": ("recalc", put((("预算总数", "财政拨款收支总计", "值"), 185)), set()),
    "N-SANGONG": ("recalc", put((("表10", "金额", "预算数公务接待费"), 4)), set()),
    "N-UNEVALUATED": ("recalc", put((PERF("政府性基金自评资金"), 0)), set()),
    "N-PERF-SUM": ("recalc", put((PERF("部门评价项目"), "公务用车运行"), (PERF("部门评价一般公共预算资金"), 7)), set()),
    "N-NAME": ("recalc", put((RECORD("绩效指标", "1", "项目名称"), "公务用车运行费")), set()),
    "N-REASON-FLAT": ("recalc", put((PRIOR("机构运行经费"), 40)), set()),
    "N-SCORE": ("recalc", put((RECORD("绩效自评", "1", "自评得分"), 97)), {"N-TEXT"}),  # 98 computed; 十四 vs its 自评表
    "N-REASON": ("recalc", put((REASON("机构运行经费.上年"), "公务接待费增加。")), set()),
    "N-TEXT": ("recalc", put((("表6", "30217", "决算数"), 3), (("表6", "30201", "决算数"), 27),  # 接待费 in 六 and 七
                             (("表7", "30217", "决算数"), 2), (("表7", "30227", "决算数"), 28)), set()),
    "B-1": ("recalc", balanced_record(["表5", "2010301", "基本支出", "99.99", "99.994"]), set()),
    "B-2": ("recalc", balanced_record(["表5", "2010301", "基本支出", "100", "100.02"]), set()),
    "N-SHEET-STALE": ("sheet", n_sheet_stale, set()),
    "N-SHEET-FIGURE": ("sheet", n_sheet_figure, set()),
    "N-SHEET-TEXT": ("sheet", n_sheet_text, set()),
    "F-0": ("typed", {}, set()),
    "F-1": ("sheet", f1_constant, set()),
    "F-2": ("sheet", f2_stale, set()),
    "F-3": ("sheet", f3_other, set()),
    "F-4": ("sheet", f4_uncached, set()),
    "F-5": ("sheet", f5_input_formula, set()),
    "F-6": ("sheet", f6_error, set()),
    "F-7": ("sheet", f7_unfilled, set()),
}


def failing(kind: str, how: object, sheets: Sheets) -> list[Finding]:
    if kind == "recalc":
        return recalculated(how)  # type: ignore[arg-type]
    if kind == "typed":
        return typed(how)  # type: ignore[arg-type]
    if kind == "prior":
        return against_last_year(how)  # type: ignore[arg-type]
    s = sheets.copy()
    how(s)  # type: ignore[operator]
    return s.check()


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == set(RULES)


def test_clean_department_has_no_finding(sheets: Sheets) -> None:
    assert check_book(clean_book()) == []
    assert check_grids(sheets.fmt, sheets.values, sheets.formulas) == []
    hand_typed = typed({})
    assert [f.rule for f in hand_typed] == ["F-0"]


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_holds_on_the_clean_department(rule_id: str, sheets: Sheets) -> None:
    kind = CASES[rule_id][0]
    if kind == "prior":
        this, prior = with_last_year()
        findings = check_book(this, prior=prior)
    else:
        findings = sheets.check() if kind == "sheet" else check_book(clean_book())
    assert rule_id not in {f.rule for f in findings}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fails(rule_id: str, sheets: Sheets) -> None:
    kind, how, also = CASES[rule_id]
    findings = failing(kind, how, sheets)
    rule = RULES[rule_id]
    if rule_id in INFO_RULES:
        assert rule_id in ids(findings, Severity.INFO), findings
        assert ids(findings) == also
        return
    mine = [f for f in findings if f.rule == rule_id]
    assert mine and all(f.severity is rule.severity for f in mine), [(f.rule, f.severity, f.message) for f in findings]
    assert ids(findings) == {rule_id} | also, [(f.rule, f.message) for f in findings if f.severity is not Severity.INFO]
    for f in mine:
        assert f.cells, f  # every finding points somewhere
        assert "{" not in f.message  # every template field was filled


def test_hand_typed_two_decimal_gap_is_info() -> None:
    """A typed total one cent off its typed parts is 尾差 (info), not an error."""
    findings = typed({("表5", "20103", "基本支出"): D("0.01"), ("表5", "201", "基本支出"): D("0.01")})
    assert ids(findings) == set()
    tails = [f for f in findings if f.rule == "W5-2"]
    assert tails and all(f.severity is Severity.INFO and "尾差" in f.message for f in tails)


def test_yuan_precision_is_compared_exactly() -> None:
    """With 元 precision stored, 0.003 off is an error though it prints the same."""
    book = clean_book()
    book.values[("表5", "2010301", "基本支出")] = D("100.0012")
    stored = stored_of(book)
    stored[("表5", "20103", "基本支出")] = D("100.0042")
    findings = check_book(book, None, stored, {})
    assert "W5-2" in ids(findings)
    msg = next(f for f in findings if f.rule == "W5-2").message
    assert "元精度" in msg


def test_sums_keyword_fields() -> None:
    f = next(f for f in recalculated(change((("表6", "30101", "决算数"), 65))) if f.rule == "X13")
    assert f.expected == D("135") and f.actual == D("130") and f.difference == D("-5")
    assert [c.table for c in f.cells] == ["表5", "表6", "表6"]
    assert f.cells[0].cell is not None and f.cells[0].sheet == "一般公共预算财政拨款支出决算表"


def test_s8_asks_for_exactly_the_reasons_the_narrative_shows_as_placeholders():
    """One decision, two front ends: every 【请填写…】 reason of the text is an S-8 warning and back."""
    import random

    from juesuan.check import check_book
    from juesuan.data_file import book_from_data
    from juesuan.narrate import placeholders
    from juesuan.synth import synth_department

    rng = random.Random(11)
    books = [book_from_data(synth_department(rng, i, missing=True)) for i in range(12)]
    import json
    from pathlib import Path

    small = Path(__file__).resolve().parent / "data" / "small.json"
    blank = json.loads(small.read_text(encoding="utf-8"))
    blank["表11"]["机构运行经费支出"] = {"数值": 30}
    blank["上年决算"] = {}  # no prior figure and no reason: the text still asks for one
    books.append(book_from_data(blank))
    for book in books:
        asked = {p.cell for p in placeholders(book) if p.kind == "reason"}
        warned = {_reason_cell(f) for f in check_book(book) if f.rule == "S-8"}
        assert warned == asked


def _reason_cell(f):  # type: ignore[no-untyped-def]
    """The reason an S-8 finding asks for (a 项 with no 年初预算 row points at its 表5 cell)."""
    c = f.cells[0]
    return ("年初预算", c.row, "差异原因") if c.table == "表5" else (c.table, c.row, c.column)
