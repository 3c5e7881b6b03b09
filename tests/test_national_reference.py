"""The national-2023 reference data file against the document it rebuilds, table by table.

``src/juesuan/reference/national-2023-reference.json`` holds the inputs of 上海市普陀区生态环境局
2025 年度部门决算 (a department that publishes the national nine tables; source and choices in
its ``notes``).  Below is **every figure printed in the document's nine tables** (第二部分), typed
from the document: each must be reproduced by the data (inputs and ``compute(book)``, rounded
half-up to two decimals), or be one of the document's own contradictions named by an id of
``notes.contradictions``.  A listed contradiction that is in fact reproduced fails, and so does a
contradiction in the notes that no figure uses.

Example: 表3 合计 项目支出 prints 1,367.76 and 表5 合计 项目支出 prints 1,367.75 for the same amount;
the data holds 1,367.7579 (its 2111101 and 2080801 carry 元 precision), so 表3 is reproduced and
表5's figure is the contradiction ``t5-project-total``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import jsonschema
import pytest

from juesuan.data_file import data_from_book, read_data
from juesuan.derive import compute
from juesuan.money import round2
from juesuan.template import schema_path, schema_text, template_bytes

PKG = Path(__file__).resolve().parents[1] / "src" / "juesuan"
REF = PKG / "reference" / "national-2023-reference.json"
FORMAT = "national-2023"

# ── the document's tables, as printed (万元) ─────────────────────────────────────────────
# 表2 收入决算表: code, 本年收入合计, 财政拨款收入, 上级补助收入, 事业收入, 经营收入, 附属单位上缴收入, 其他收入
T2 = """合计 4,733.14 4,733.14 0.00 0.00 0.00 0.00 0.00
208 471.44 471.44 0.00 0.00 0.00 0.00 0.00
20805 460.67 460.67 0.00 0.00 0.00 0.00 0.00
2080501 51.98 51.98 0.00 0.00 0.00 0.00 0.00
2080502 61.16 61.16 0.00 0.00 0.00 0.00 0.00
2080505 229.67 229.67 0.00 0.00 0.00 0.00 0.00
2080506 116.59 116.59 0.00 0.00 0.00 0.00 0.00
2080599 1.27 1.27 0.00 0.00 0.00 0.00 0.00
20808 10.77 10.77 0.00 0.00 0.00 0.00 0.00
2080801 10.77 10.77 0.00 0.00 0.00 0.00 0.00
210 109.34 109.34 0.00 0.00 0.00 0.00 0.00
21011 109.34 109.34 0.00 0.00 0.00 0.00 0.00
2101101 46.34 46.34 0.00 0.00 0.00 0.00 0.00
2101102 63.00 63.00 0.00 0.00 0.00 0.00 0.00
211 3,742.47 3,742.47 0.00 0.00 0.00 0.00 0.00
21101 1,543.22 1,543.22 0.00 0.00 0.00 0.00 0.00
2110101 1,293.60 1,293.60 0.00 0.00 0.00 0.00 0.00
2110104 88.60 88.60 0.00 0.00 0.00 0.00 0.00
2110105 7.50 7.50 0.00 0.00 0.00 0.00 0.00
2110107 30.50 30.50 0.00 0.00 0.00 0.00 0.00
2110199 123.02 123.02 0.00 0.00 0.00 0.00 0.00
21103 623.06 623.06 0.00 0.00 0.00 0.00 0.00
2110301 379.96 379.96 0.00 0.00 0.00 0.00 0.00
2110302 213.10 213.10 0.00 0.00 0.00 0.00 0.00
2110399 30.00 30.00 0.00 0.00 0.00 0.00 0.00
21111 1,576.19 1,576.19 0.00 0.00 0.00 0.00 0.00
2111101 1,493.39 1,493.39 0.00 0.00 0.00 0.00 0.00
2111102 82.80 82.80 0.00 0.00 0.00 0.00 0.00
221 409.89 409.89 0.00 0.00 0.00 0.00 0.00
22102 409.89 409.89 0.00 0.00 0.00 0.00 0.00
2210201 207.69 207.69 0.00 0.00 0.00 0.00 0.00
2210203 202.20 202.20 0.00 0.00 0.00 0.00 0.00"""
T2_COLS = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]

# 表3 支出决算表: code, 本年支出合计, 基本支出, 项目支出, 上缴上级支出, 经营支出, 对附属单位补助支出
T3 = """合计 4,733.14 3,365.38 1,367.76 0.00 0.00 0.00
208 471.44 460.67 10.77 0.00 0.00 0.00
20805 460.67 460.67 0.00 0.00 0.00 0.00
2080501 51.98 51.98 0.00 0.00 0.00 0.00
2080502 61.16 61.16 0.00 0.00 0.00 0.00
2080505 229.67 229.67 0.00 0.00 0.00 0.00
2080506 116.59 116.59 0.00 0.00 0.00 0.00
2080599 1.27 1.27 0.00 0.00 0.00 0.00
20808 10.77 0.00 10.77 0.00 0.00 0.00
2080801 10.77 0.00 10.77 0.00 0.00 0.00
210 109.34 109.34 0.00 0.00 0.00 0.00
21011 109.34 109.34 0.00 0.00 0.00 0.00
2101101 46.34 46.34 0.00 0.00 0.00 0.00
2101102 63.00 63.00 0.00 0.00 0.00 0.00
211 3,742.47 2,385.48 1,356.98 0.00 0.00 0.00
21101 1,543.22 1,283.70 259.52 0.00 0.00 0.00
2110101 1,293.60 1,283.70 9.90 0.00 0.00 0.00
2110104 88.60 0.00 88.60 0.00 0.00 0.00
2110105 7.50 0.00 7.50 0.00 0.00 0.00
2110107 30.50 0.00 30.50 0.00 0.00 0.00
2110199 123.02 0.00 123.02 0.00 0.00 0.00
21103 623.06 0.00 623.06 0.00 0.00 0.00
2110301 379.96 0.00 379.96 0.00 0.00 0.00
2110302 213.10 0.00 213.10 0.00 0.00 0.00
2110399 30.00 0.00 30.00 0.00 0.00 0.00
21111 1,576.19 1,101.78 474.40 0.00 0.00 0.00
2111101 1,493.39 1,101.78 391.60 0.00 0.00 0.00
2111102 82.80 0.00 82.80 0.00 0.00 0.00
221 409.89 409.89 0.00 0.00 0.00 0.00
22102 409.89 409.89 0.00 0.00 0.00 0.00
2210201 207.69 207.69 0.00 0.00 0.00 0.00
2210203 202.20 202.20 0.00 0.00 0.00 0.00"""
T3_COLS = ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]

# 表5 一般公共预算财政拨款支出决算表: code, 合计, 基本支出, 项目支出 (the document prints its 合计 row last)
T5 = """208 471.44 460.67 10.77
20805 460.67 460.67 0.00
2080501 51.98 51.98 0.00
2080502 61.16 61.16 0.00
2080505 229.67 229.67 0.00
2080506 116.59 116.59 0.00
2080599 1.27 1.27 0.00
20808 10.77 0.00 10.77
2080801 10.77 0.00 10.77
210 109.34 109.34 0.00
21011 109.34 109.34 0.00
2101101 46.34 46.34 0.00
2101102 63.00 63.00 0.00
211 3,742.47 2,385.48 1,356.98
21101 1,543.22 1,283.70 259.52
2110101 1,293.60 1,283.70 9.90
2110104 88.60 0.00 88.60
2110105 7.50 0.00 7.50
2110107 30.50 0.00 30.50
2110199 123.02 0.00 123.02
21103 623.06 0.00 623.06
2110301 379.96 0.00 379.96
2110302 213.10 0.00 213.10
2110399 30.00 0.00 30.00
21111 1,576.19 1,101.78 474.40
2111101 1,493.39 1,101.78 391.60
2111102 82.80 0.00 82.80
221 409.89 409.89 0.00
22102 409.89 409.89 0.00
2210201 207.69 207.69 0.00
2210203 202.20 202.20 0.00
合计 4,733.14 3,365.38 1,367.75"""
T5_COLS = ["合计", "基本支出", "项目支出"]

# 表1 收入支出决算总表 and 表4 财政拨款收入支出决算总表: (row, column, printed); the 24 类 lines print
# 0.00 except those below.
CATEGORY_ROWS = {"208": "471.44", "210": "109.34", "211": "3,742.47", "221": "409.89"}
CATEGORIES = ["201", "202", "203", "204", "205", "206", "207", "208", "210", "211", "212", "213", "214", "215",
              "216", "217", "219", "220", "221", "222", "223", "224", "229", "234"]
T1 = ([("一般公共预算财政拨款收入", "金额", "4,733.14"), ("政府性基金预算财政拨款收入", "金额", "0.00"),
       ("国有资本经营预算财政拨款收入", "金额", "0.00"), ("上级补助收入", "金额", "0.00"), ("事业收入", "金额", "0.00"),
       ("经营收入", "金额", "0.00"), ("附属单位上缴收入", "金额", "0.00"), ("其他收入", "金额", "0.00")]
      + [(f"支出{c}", "金额", CATEGORY_ROWS.get(c, "0.00")) for c in CATEGORIES]
      + [("本年收入合计", "金额", "4,733.14"), ("本年支出合计", "金额", "4,733.14"),
         ("使用非财政拨款结余", "金额", "0.00"), ("结余分配", "金额", "0.00"), ("年初结转和结余", "金额", "0.00"),
         ("年末结转和结余", "金额", "0.00"), ("收入总计", "金额", "4,733.14"), ("支出总计", "金额", "4,733.14")])
FUNDS = ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]
T4 = ([("一般公共预算财政拨款", "金额", "4,733.14"), ("政府性基金预算财政拨款", "金额", "0.00"),
       ("国有资本经营预算财政拨款", "金额", "0.00")]
      + [(f"支出{c}", col, CATEGORY_ROWS.get(c, "0.00") if col in ("合计", FUNDS[0]) else "0.00")
         for c in CATEGORIES for col in ["合计"] + FUNDS]
      + [("本年收入合计", "金额", "4,733.14")]
      + [("本年支出合计", col, v) for col, v in zip(["合计"] + FUNDS, ["4,733.14", "4,733.14", "0.00", "0.00"])]
      + [("年初财政拨款结转和结余", "金额", "0.00")] + [(f"年初{f}", "金额", "0.00") for f in FUNDS]
      + [("年末财政拨款结转和结余", col, "0.00") for col in ["合计"] + FUNDS]
      + [("收入总计", "金额", "4,733.14")]
      + [("支出总计", col, v) for col, v in zip(["合计"] + FUNDS, ["4,733.14", "4,733.14", "0.00", "0.00"])])

# 表6 一般公共预算财政拨款基本支出决算表: 经济分类 code → 决算数 as printed
T6 = {"301": "2,857.05", "30101": "405.36", "30102": "1,023.54", "30103": "0.00", "30106": "20.40", "30107": "655.52",
      "30108": "229.67", "30109": "116.59", "30110": "109.34", "30111": "0.00", "30112": "7.17", "30113": "207.69",
      "30114": "0.00", "30199": "81.77",
      "303": "91.97", "30301": "0.00", "30302": "91.97", "30303": "0.00", "30304": "0.00", "30305": "0.00",
      "30306": "0.00", "30307": "0.00", "30308": "0.00", "30309": "0.00", "30310": "0.00", "30311": "0.00",
      "30399": "0.00",
      "302": "401.93", "30201": "92.11", "30202": "0.07", "30204": "0.00", "30205": "3.44", "30206": "26.20",
      "30207": "3.48", "30208": "0.00", "30209": "94.72", "30211": "1.75", "30212": "0.00", "30213": "25.22",
      "30214": "0.00", "30215": "0.00", "30216": "1.18", "30217": "0.00", "30218": "0.00", "30224": "0.00",
      "30225": "0.00", "30226": "0.00", "30227": "0.00", "30228": "33.31", "30229": "54.43", "30231": "16.95",
      "30239": "40.00", "30240": "0.00", "30299": "9.07",
      "310": "14.44", "31001": "0.00", "31002": "13.94", "31003": "0.49", "31007": "0.00", "31013": "0.00",
      "31019": "0.00", "31021": "0.00", "31022": "0.00", "31099": "0.00",
      "人员经费合计": "2,949.02", "公用经费合计": "416.36"}

# 表7 “三公”经费: 预算数 and 决算数 of 合计, 因公出国（境）费, 车 小计, 购置费, 运行维护费, 公务接待费
T7 = dict(zip([f"{g}{n}" for n in ["合计", "因公出国（境）费", "公务用车购置及运行维护费小计", "公务用车购置费",
                                   "公务用车运行维护费", "公务接待费"] for g in ["预算数", "决算数"]],
              ["21.00", "16.95", "0.00", "0.00", "20.50", "16.95", "0.00", "0.00", "20.50", "16.95", "0.50", "0.00"]))

# Figures the document contradicts itself on: (table, row, column) → contradiction id.
CONTRADICTIONS = {("表5", "合计", "项目支出"): "t5-project-total"}


def code_lines(table: str, text: str, cols: list[str]) -> list[tuple[str, str, str, str]]:
    out = []
    for line in text.splitlines():
        code, *figures = line.split()
        assert len(figures) == len(cols), line
        out += [(table, code, col, f) for col, f in zip(cols, figures)]
    return out


PRINTED = (code_lines("表2", T2, T2_COLS) + code_lines("表3", T3, T3_COLS) + code_lines("表5", T5, T5_COLS)
           + [("表1", r, c, f) for r, c, f in T1] + [("表4", r, c, f) for r, c, f in T4]
           + [("表6", r, "决算数", f) for r, f in T6.items()] + [("表7", "金额", c, f) for c, f in T7.items()])


@lru_cache(maxsize=None)
def book():  # type: ignore[no-untyped-def]
    return read_data(REF)


@lru_cache(maxsize=None)
def values() -> dict:
    return compute(book())


def held(key: tuple[str, str, str]) -> Decimal:
    v = values().get(key)
    if v is None:
        v = book().get(key)
    return Decimal(0) if v is None else Decimal(v)


def notes() -> dict:
    return json.loads(REF.read_text(encoding="utf-8"))["notes"]


@pytest.mark.parametrize("table, row, col, printed", PRINTED, ids=[f"{t}-{r}-{c}" for t, r, c, _ in PRINTED])
def test_every_printed_table_figure_is_reproduced_or_a_named_contradiction(table, row, col, printed):
    ours = f"{round2(held((table, row, col))):,.2f}"
    contradiction = CONTRADICTIONS.get((table, row, col))
    if contradiction is None:
        assert ours == printed
    else:
        assert ours != printed, f"{contradiction} is reproduced after all"
        assert contradiction in {c["id"] for c in notes()["contradictions"]}


def test_the_table_figures_cover_all_nine_tables_and_every_used_code():
    tables = {t for t, *_ in PRINTED}
    assert tables == {"表1", "表2", "表3", "表4", "表5", "表6", "表7"}  # 表8, 表9: 本年度没有…故本表无数据
    assert not book().codes.get("表8") and not book().codes.get("表9")
    for table in ("表2", "表3", "表5"):
        printed = {r for t, r, *_ in PRINTED if t == table}
        assert printed == set(book().rows(book().format.table(table))), table


def rate(part: Decimal, base: Decimal) -> str | None:
    return None if base == 0 else f"{round2(part / base * 100):.2f}"


# Figures of the document's text (第三部分) that contradict its tables: id → (printed, recomputed).
NARRATIVE_CONTRADICTIONS = {
    "jiguan-rate": ("2.60", lambda: rate(held(("其他事项", "机关运行经费支出", "值")) - held(("上年决算", "机关运行经费", "值")),
                                         held(("上年决算", "机关运行经费", "值")))),
    "sangong-abroad-zero-budget": ("0.00", lambda: rate(held(("表7", "金额", "决算数因公出国（境）费")),
                                                        held(("表7", "金额", "预算数因公出国（境）费")))),
}


@pytest.mark.parametrize("contradiction", list(NARRATIVE_CONTRADICTIONS))
def test_the_texts_contradictions_differ_from_what_the_tables_give(contradiction):
    printed, ours = NARRATIVE_CONTRADICTIONS[contradiction]
    assert ours() != printed


def test_every_contradiction_named_in_the_notes_is_used():
    used = set(CONTRADICTIONS.values()) | set(NARRATIVE_CONTRADICTIONS)
    assert {c["id"] for c in notes()["contradictions"]} == used


def test_the_reference_matches_the_shipped_schema_and_round_trips():
    schema = json.loads(schema_path(FORMAT).read_text(encoding="utf-8"))
    data = json.loads(REF.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert json.loads(json.dumps(data_from_book(book()), default=str)) == json.loads(json.dumps(data, default=str))


def test_committed_template_and_schema_equal_a_fresh_build():
    import io
    import zipfile

    def members(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {n: z.read(n) for n in z.namelist()}

    committed = (PKG / "workbook_templates" / f"{FORMAT}.xlsx").read_bytes()
    assert members(committed) == members(template_bytes(FORMAT))
    assert schema_path(FORMAT).read_text(encoding="utf-8") == schema_text(FORMAT)


def test_new_then_dump_round_trips_exactly_and_is_recognised_without_format(tmp_path):
    from juesuan.cli import main
    from juesuan.formats import detect_pack

    book_path, back = tmp_path / "B.xlsx", tmp_path / "back.json"
    assert main(["new", "--data", str(REF), "-o", str(book_path)]) == 0
    assert detect_pack(book_path).id == FORMAT
    assert main(["dump", str(book_path), "-o", str(back)]) == 0
    load = lambda p: json.loads(p.read_text(encoding="utf-8"), parse_float=Decimal)  # noqa: E731
    assert load(back) == load(REF)


@pytest.mark.parametrize("seed", range(6))
def test_synthetic_departments_are_valid_data_files(seed):
    import random

    from juesuan.data_file import book_from_data
    from juesuan.formats.national_2023.synth import department

    data = department(random.Random(seed), seed, missing=seed % 2 == 1)
    jsonschema.validate(json.loads(json.dumps(data, default=float)),
                        json.loads(schema_path(FORMAT).read_text(encoding="utf-8")))
    book = book_from_data(data)
    got = compute(book)
    assert got[("表1", "收入总计", "金额")] == got[("表1", "支出总计", "金额")]
    assert got[("表5", "合计", "基本支出")] == got[("表6", "人员经费合计", "决算数")] + got[("表6", "公用经费合计", "决算数")]


def test_a_workbook_without_the_stamp_is_recognised_by_its_table_titles(tmp_path):
    import openpyxl

    from juesuan.cli import main
    from juesuan.formats import detect_pack
    from juesuan.formats.pack import STAMP_NAME

    path = tmp_path / "B.xlsx"
    assert main(["new", "--data", str(REF), "-o", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    del wb.defined_names[STAMP_NAME]
    wb["一般公共预算财政拨款“三公”经费支出决算表"].title = "财政拨款“三公”经费支出决算表"  # a title as typed
    wb.save(path)
    assert detect_pack(path).id == FORMAT


def test_synth_command_writes_departments_of_the_format_asked_for(tmp_path):
    from juesuan.cli import main

    assert main(["synth", "--n", "2", "-o", str(tmp_path), "--format", FORMAT]) == 0
    for path in sorted(tmp_path.glob("dept-*.json")):
        assert read_data(path).format.id == FORMAT
