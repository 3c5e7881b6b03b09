"""舍位平衡 end to end: a 元-precision department balanced into a workbook that checks clean, keeps
its exact amounts, re-balances on fill, and exports a PDF whose printed tables tie exactly."""

from __future__ import annotations

import json
import random
import re
import subprocess
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from types import ModuleType

import pytest

from juesuan.balance import STAMP, balance_book, dump_book, is_balanced, requested
from juesuan.balance.gather import gather
from juesuan.book_io import new_book, read_workbook
from juesuan.check import check_book, check_file
from juesuan.data_file import book_from_data, data_from_book, dumps, read_data
from juesuan.derive import compute
from juesuan.expr import Key
from juesuan.fill import fill_workbook
from juesuan.findings import Severity
from juesuan.synth import synth_department

CENT = Decimal("0.01")
ROOT = Path(__file__).resolve().parents[1]


def department(index: int = 5) -> dict:
    """A synthetic department in whole 元 (index 5 has 表8 and 表9 rows too)."""
    return synth_department(random.Random(f"bal:{index}"), index, yuan=True)


def tail_differences(findings) -> list:  # type: ignore[no-untyped-def]
    return [f for f in findings if f.severity is Severity.INFO and "尾差" in f.message]


def beyond_plain(balanced, plain) -> set:  # type: ignore[no-untyped-def]
    """(rule, severity) of the balanced workbook's findings that the plain one does not have
    (the narrative rules may flag a synthetic department either way: balancing must add nothing)."""
    return {(f.rule, f.severity) for f in balanced} - {(f.rule, f.severity) for f in plain}


def within_a_cent(printed: Decimal, exact: Decimal) -> bool:
    lo = (exact / CENT).to_integral_value(rounding=ROUND_FLOOR) * CENT
    return printed in (lo, lo + CENT) if lo != exact else printed == exact


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The department written plainly and balanced (``new --data`` and ``new --data --balance``)."""
    out = tmp_path_factory.mktemp("balance")
    data = department()
    (out / "dept.json").write_text(dumps(data), encoding="utf-8")
    plain, balanced = out / "plain.xlsx", out / "balanced.xlsx"
    new_book(book_from_data(data), plain)
    book = book_from_data(data)
    book.notes[STAMP] = True
    assert new_book(book, balanced).startswith("舍位平衡：")
    return {"data": out / "dept.json", "plain": plain, "balanced": balanced}


def test_ordinary_rounding_of_the_department_leaves_tail_differences(workbooks: dict[str, Path]) -> None:
    assert len(tail_differences(check_file(workbooks["plain"]))) >= 3


def test_balanced_workbook_has_no_tail_difference_and_nothing_the_plain_one_lacks(
        workbooks: dict[str, Path]) -> None:
    balanced = check_file(workbooks["balanced"])
    assert tail_differences(balanced) == [] and [f for f in balanced if f.severity is Severity.INFO] == []
    assert beyond_plain(balanced, check_file(workbooks["plain"])) == set()


def test_every_printed_input_is_the_floor_or_ceiling_of_its_exact_amount(workbooks: dict[str, Path]) -> None:
    exact = read_data(workbooks["data"])
    printed = read_workbook(workbooks["balanced"])
    assert is_balanced(printed)
    compared = 0
    for key, value in exact.values.items():
        if isinstance(value, Decimal):
            assert within_a_cent(Decimal(printed.values[key]), value), key
            compared += 1
    assert compared > 100
    exact_totals, printed_totals = compute(exact), compute(printed)
    for key, value in exact_totals.items():  # derived cells too (ratios are recomputed, not balanced)
        if isinstance(value, Decimal) and "执行率" not in key[2] and "得分" not in key[2] and "总分" not in key[2]:
            assert within_a_cent(printed_totals[key], value), key


def test_dump_gives_back_the_exact_amounts_and_the_flag(workbooks: dict[str, Path]) -> None:
    dumped = json.loads(dumps(data_from_book(dump_book(read_workbook(workbooks["balanced"])))))
    assert dumped["notes"].pop(STAMP) is True
    assert dumped == json.loads(workbooks["data"].read_text(encoding="utf-8"))


def test_fill_balances_a_plain_workbook_keeps_it_balanced_and_no_balance_undoes_it(
        workbooks: dict[str, Path], tmp_path: Path) -> None:
    once, again, undone = tmp_path / "once.xlsx", tmp_path / "again.xlsx", tmp_path / "undone.xlsx"
    report = fill_workbook(workbooks["plain"], once, balance=True)
    assert "偏离普通四舍五入" in report.text()
    plain = check_file(workbooks["plain"])
    for path in (once, again):
        if path == again:
            fill_workbook(once, again)  # the stamp asks for balancing again
        findings = check_file(path)
        assert tail_differences(findings) == [] and beyond_plain(findings, plain) == set()
    assert is_balanced(read_workbook(again))
    assert "恢复为精确数" in fill_workbook(again, undone, balance=False).text()
    restored = read_workbook(undone)
    assert not requested(restored)
    present = lambda book: {k: v for k, v in book.values.items() if v is not None}  # noqa: E731
    assert present(restored) == present(read_data(workbooks["data"]))


def test_an_edited_balanced_cell_keeps_its_new_value_as_exact(workbooks: dict[str, Path]) -> None:
    book = read_workbook(workbooks["balanced"])
    table, row, col, printed, exact = book.notes[STAMP]["精确数"][0]
    book.values[(table, row, col)] = Decimal("7.5")
    assert dump_book(book).values[(table, row, col)] == Decimal("7.5")
    assert "B-1" in {f.rule for f in check_book(book)}


def test_check_expects_exact_ties_only_in_a_balanced_book() -> None:
    balanced = balance_book(book_from_data(department())).book
    key = ("表6", "30101", "决算数")
    for book in (balanced, book_from_data(data_from_book(balanced))):  # stamped / the same figures unstamped
        book.values[key] = Decimal(book.values[key]) + CENT
        for entry in book.notes.get(STAMP, {}).get("精确数", []) if is_balanced(book) else []:
            if tuple(entry[:3]) == key:
                entry[3] = str(book.values[key])  # as if balanced so: no B-1
        x13 = [f for f in check_book(book) if f.rule == "X13"]
        assert len(x13) == 1
        if is_balanced(book):
            assert x13[0].severity is Severity.ERROR and "已舍位平衡" in x13[0].message
        else:
            assert x13[0].severity is Severity.INFO and "尾差" in x13[0].message


def test_two_decimal_data_and_the_reference_are_left_as_they_are(reference_path: Path) -> None:
    clean = read_data(ROOT / "tests" / "data" / "check" / "clean.json")
    result = balance_book(clean)
    assert result.status == "unneeded" and result.book.values == clean.values and STAMP not in result.book.notes
    assert not requested(read_data(reference_path))  # published figures unless balancing is asked for


def test_relations_come_from_derivations_rules_and_comparisons() -> None:
    book = book_from_data(department())
    exact, relations, ctx = gather(book)
    rids = {r.rid for r in relations}
    assert {"X13", "X14", "W1-5", "X2", "X17", "S-8"} <= rids
    derived = [r for r in relations if r.rid == ""]
    assert any(r.terms[0][0] == ("表5", "合计", "小计") for r in derived)
    assert all(k in exact or ctx.prep.kind(k) == "amount" or k not in ctx.values for r in relations for k, _ in r.terms)
    assert all(ctx.prep.kind(k) == "amount" for k in exact)


def test_batch_with_balance_writes_clean_balanced_workbooks(tmp_path: Path) -> None:
    import io

    from juesuan.batch.progress import Progress
    from juesuan.batch.runner import run_batch

    src = tmp_path / "in"
    src.mkdir()
    for i in (4, 6):
        (src / f"d{i}.json").write_text(dumps(department(i)), encoding="utf-8")
    quiet = Progress(2, stream=io.StringIO(), tty=False)
    plain = {o.name: o for o in run_batch(src, tmp_path / "plain", jobs=1, progress=quiet).outcomes}
    result = run_batch(src, tmp_path / "out", jobs=1, balance=True, progress=quiet)
    for o in result.outcomes:
        assert o.balance == "balanced" and plain[o.name].balance == "", o
        assert o.counts["info"] == 0 < plain[o.name].counts["info"], o.findings
        assert o.counts["error"] <= plain[o.name].counts["error"] and o.counts["warning"] <= plain[o.name].counts["warning"]
        assert tail_differences(check_file(o.output)) == []


# ── the exported PDF ───────────────────────────────────────────────────────────────────
AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})*\.\d{2}")
CODE_ROW = re.compile(r"^\s*(合计|\d{3}|\d{5}|\d{7})\s")
LABEL = re.compile(r"公开\s*(\d\d)\s*表")
FIRST_IS_SUM = {"02", "03", "05", "09"}  # 本年收入合计 / 本年支出合计 / 小计 / 合计 = the other columns


def amounts(line: str) -> list[Decimal]:
    return [Decimal(m.replace(",", "")) for m in AMOUNT.findall(line)]


def pdf_tables(text: str) -> dict[str, list[str]]:
    """Lines of each public table (by its 公开NN表 label) in ``pdftotext -layout`` output."""
    tables: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        m = LABEL.search(line)
        if m and "部门" not in line:
            current = m.group(1)
            tables.setdefault(current, [])
        elif current and line.strip().startswith("注："):
            current = None
        elif current:
            tables[current].append(line)
    return tables


def code_rows(lines: list[str]) -> dict[str, list[Decimal]]:
    return {m.group(1): amounts(line) for line in lines if (m := CODE_ROW.match(line))}


def children(code: str, rows: dict[str, list[Decimal]]) -> list[str]:
    if code == "合计":
        return [c for c in rows if len(c) == 3]
    return [c for c in rows if len(c) == len(code) + 2 and c.startswith(code)]


def table1_blocks(lines: list[str]) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """表1's 收入 and 支出 blocks: each line prints ``label 行次 amount`` once or twice."""
    entry = re.compile(r"(\S+)\s+\d+\s+(" + AMOUNT.pattern + r")")
    income: dict[str, Decimal] = {}
    spending: dict[str, Decimal] = {}
    for line in lines:
        found = entry.findall(line)
        if not found:
            continue
        if len(line) - len(line.lstrip()) > 20:  # only the 支出 block on this line
            found = [None, *found]
        for side, item in zip((income, spending), found):
            if item is not None:
                side[item[0]] = Decimal(item[1].replace(",", ""))
    return income, spending


def test_exported_pdf_tables_tie_exactly(workbooks: dict[str, Path], lo: ModuleType, tmp_path: Path) -> None:
    """Every total the PDF prints, recomputed from the figures it prints: in 表2 表3 表5 表8 表9 each
    合计/类/款 row from the rows below it and each row's total from its columns; 表1's totals from
    its lines and against 表2/表3; 表10's 合计 and 小计."""
    from juesuan.export import export_file
    from juesuan.formats import load_format

    result = export_file(workbooks["balanced"], tmp_path / "d.docx", tmp_path / "d.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(result.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    tables = pdf_tables(text)
    ties = 0
    for label in ("02", "03", "05", "08", "09"):
        rows = code_rows(tables[label])
        width = len(rows["合计"])
        for code, values in rows.items():
            if label in FIRST_IS_SUM:  # a row's total = its other columns (blank cells are zero)
                assert values[0] == sum(values[1:], Decimal(0)), (label, code, values)
                ties += 1
            elif len(values) == width:  # 表8: 本年支出小计 = 基本支出 + 项目支出
                assert values[2] == values[3] + values[4], (label, code, values)
                ties += 1
            kids = children(code, rows)
            if kids and all(len(rows[k]) == width for k in kids):
                for col in range(width):
                    assert values[col] == sum((rows[k][col] for k in kids), Decimal(0)), (label, code, col)
                    ties += 1
            elif kids and label in FIRST_IS_SUM:  # 款 = Σ 项 in the first column (项 rows may print blanks)
                assert values[0] == sum((rows[k][0] for k in kids), Decimal(0)), (label, code)
                ties += 1
    income, spending = table1_blocks(tables["01"])
    lines_in = [v for k, v in income.items() if "、" in k]
    assert len(lines_in) == 8
    assert income["本年收入合计"] == sum(lines_in, Decimal(0))
    assert income["总计"] == income["本年收入合计"] + income["使用非财政拨款结余"] + income["年初结转和结余"]
    assert spending["本年支出合计"] == sum((v for k, v in spending.items() if "、" in k), Decimal(0))
    assert spending["总计"] == spending["本年支出合计"] + spending["结余分配"] + spending["年末结转和结余"]
    assert income["总计"] == spending["总计"]
    t2, t3 = code_rows(tables["02"]), code_rows(tables["03"])
    assert income["本年收入合计"] == t2["合计"][0] and lines_in[3:] == t2["合计"][2:]
    by_name = {k.split("、", 1)[1]: v for k, v in spending.items() if "、" in k}
    names = load_format().function_codes
    for code in children("合计", t3):
        assert by_name[names[code]] == t3[code][0], code
    t10 = [amounts(line) for line in tables["10"] if len(amounts(line)) == 12]
    assert len(t10) == 1
    for g in (t10[0][:6], t10[0][6:]):  # 合计, 出国, 车小计, 购置, 运维, 接待 (预算数, 决算数)
        assert g[0] == g[1] + g[2] + g[5] and g[2] == g[3] + g[4]
    assert ties > 100


def test_equal_exact_amounts_print_equal() -> None:
    """The same exact figure is never printed as two (e.g. 绩效自评资金 = 项目支出 stays equal)."""
    book = book_from_data(department())
    exact, _, _ = gather(book)
    printed = {**compute(balance_book(book).book), **balance_book(book).book.values}
    groups: dict[Decimal, list[Key]] = {}
    for key, value in exact.items():
        if value != value.quantize(CENT):
            groups.setdefault(value, []).append(key)
    shared = [keys for keys in groups.values() if len(keys) > 1]
    assert len(shared) > 20
    for keys in shared:
        assert len({Decimal(printed.get(k) or 0) for k in keys}) == 1, keys


def test_a_blocking_relation_is_named_by_its_rule_and_cells() -> None:
    """What the infeasibility message lists for a relation of the format: its rule id and title
    and the cells as an accountant names them (a derivation: the rule of the derived cell)."""
    from juesuan.balance import Balanced
    from juesuan.balance.gather import describe

    book = book_from_data(department())
    _, relations, ctx = gather(book)
    x13 = next(r for r in relations if r.rid == "X13")
    text = describe(x13, ctx)
    assert text.startswith("X13 表5 基本支出 = 表6 人员经费 + 公用经费：")
    assert "表5「合计」基本支出" in text and "表6「人员经费合计」" in text and " = " in text
    subtotal = next(r for r in relations if r.rid == "" and r.terms[0][0] == ("表5", "合计", "小计"))
    assert describe(subtotal, ctx).startswith("W5-1 表5 小计 = 基本支出 + 项目支出：表5「合计」小计 = ")
    message = Balanced(book, "infeasible", blocking=[text]).message()
    assert message.startswith("舍位平衡无解") and "no consistent rounding exists" in message and text in message


def test_a_layout_seen_again_reuses_its_relations_and_balances_the_same() -> None:
    """The relations of the derivations are kept per layout (format, codes, records) in the
    process: the same department again reuses them and prints the same figures; another layout
    gets its own."""
    from juesuan.balance import gather as gathering

    gathering._BASES.clear()
    first = balance_book(book_from_data(department()))
    (kept,) = [base for _, base in gathering._BASES.values()]
    again = balance_book(book_from_data(department()))
    assert [base for _, base in gathering._BASES.values()] == [kept]
    assert again.book.values == first.book.values and again.moved == first.moved and again.moved
    balance_book(book_from_data(department(4)))
    assert len(gathering._BASES) == 2
