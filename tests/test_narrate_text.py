"""The generated text: every number traced to the book, placeholders, zero bases, empty tables,
the four parts and fourteen sections."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from juesuan.formats import get_pack
from juesuan.model import Book
from juesuan.narrate import missing_reasons, narrative, placeholders
from juesuan.narrate.terms import terms
from test_narrate_fixtures import (NATIONAL, NUMBER, PLACEHOLDER, REFERENCE, SMALL, allowed_numbers, book_with, in_order,
                                   reference, small, stated_ratios, two)

# Digits the text prints that are not figures of the book, each with its reason.
FIXED_PHRASES = [
    "12月31日",  # 截至 <year>年12月31日 (the year itself is 单位信息 年度, checked as an input)
    "单价100万元（含）",  # the name of the 表11 row (十三), not a figure
]
NUMBERING = [
    re.compile(r"^\d+[.、]"),  # 1. / 1、 item numbers at the start of a paragraph
    re.compile(r"（\d+）"),  # （1）（2） sub-items of 八
    re.compile(r"图\d"),  # 图1 / 图2 captions
]

OUTLINE = get_pack("nmg-2023").narrative


def is_sentence(text: str) -> bool:
    """A typed text that may carry its own digits (a reason quoting "0.3 万元"): it has digits and
    Chinese.  Short codes and values ("万元", "66.2", "%") are left in place, so they cannot
    mask a figure of the generated text."""
    return any(c.isdigit() for c in text) and any("\u4e00" <= c <= "\u9fff" for c in text) and len(text) >= 4


def strip_non_figures(text: str, book: Book) -> str:
    """Remove what is not a computed figure: placeholders, typed texts (each an input cell as
    a whole), fixed phrases and numbering."""
    text = PLACEHOLDER.sub("§", text)
    typed = sorted((v.strip() for v in book.values.values() if isinstance(v, str) and is_sentence(v)),
                   key=len, reverse=True)
    for piece in typed:
        for line in piece.splitlines():
            line = line.strip().rstrip("。；;，,. ")
            if line:
                text = text.replace(line, "§")
    for phrase in FIXED_PHRASES:
        text = text.replace(phrase, "§")
    for pattern in NUMBERING:
        text = pattern.sub("§", text)
    return text


def untraced_numbers(book: Book) -> list[tuple[str, str]]:
    """(number, paragraph) for every number of the parts after 部门概况 (名词解释 aside) that is no cell, difference
    or count of the book, and every percentage that is not the ratio its words name (nmg-2023: the section's
    share, change or completion rate whose label precedes it since the last percentage)."""
    amounts, percents, counts = allowed_numbers(book)
    numeric_texts = {v.strip() for v in book.values.values() if isinstance(v, str) and v.strip().isdigit()}
    typed_year = book.text(get_pack(book.format.id).year).strip()
    if typed_year.isdigit():  # "与2024年度相比": the year before the typed 年度
        numeric_texts.add(str(int(typed_year) - 1))
    n = narrative(book)
    bad = []
    # nmg-2023: a percentage must be the ratio its own words name, of its own two cells (a share
    # on the wrong base fails); other formats: any ratio of two cells
    ratios = stated_ratios(book) if book.format.id == "nmg-2023" else None
    specs = get_pack(book.format.id).narrative.parts
    for part, spec in zip(n.parts, specs):
        if spec is specs[0] or spec.terms:
            continue  # typed text (部门概况) and the pack's 名词解释: no figures of the book
        for section in part.sections:
            for p in section.paragraphs:
                cleaned = strip_non_figures(p.text, book)
                for m in NUMBER.finditer(cleaned):
                    token = m.group()
                    after = cleaned[m.end():m.end() + 2]
                    if token.endswith("%") and ratios is not None:
                        start = max(cleaned.rfind("%", 0, m.start()) + 1, 0)
                        window = cleaned[start:m.start()]
                        ok = any(sec == section.key and two(value) == token[:-1] and in_order(label, window)
                                 for sec, label, value in ratios)
                    elif token.endswith("%"):
                        ok = token[:-1] in percents
                    elif after.startswith("万元") or after.startswith("分"):
                        ok = token in amounts
                    else:
                        ok = token in counts or token in numeric_texts
                    if not ok:
                        bad.append((token, p.text))
    return bad


@pytest.mark.parametrize("path", [SMALL, REFERENCE, NATIONAL], ids=["small", "reference", "national-reference"])
def test_every_number_in_the_text_is_a_cell_or_a_metric_of_the_book(path):
    from juesuan.data_file import read_data

    book = read_data(path)
    assert untraced_numbers(book) == []


def test_the_check_catches_a_number_that_is_not_in_the_book():
    book = small()
    n = narrative(book)
    n.parts[1].sections[0].paragraphs[0] = type(n.parts[1].sections[0].paragraphs[0])("总计 777.77万元，占 12.34%")
    import test_narrate_text as me

    original = me.narrative
    me.narrative = lambda b: n  # type: ignore[assignment]
    try:
        bad = untraced_numbers(book)
    finally:
        me.narrative = original
    assert {t for t, _ in bad} == {"777.77", "12.34%"}


def test_a_share_on_the_wrong_base_is_not_traced():
    """二 prints 本年一般公共预算财政拨款收入 as a share of 本年收入合计; the same amount as a
    share of 收入总计 (a ratio of two cells the old test accepted) fails, and so does the right
    figure under another item's words."""
    book = reference()
    n = narrative(book)
    two_ = n.section("二")
    right = next(i for i, p in enumerate(two_.paragraphs) if p.text.startswith("本年一般公共预算财政拨款收入"))
    text = two_.paragraphs[right].text
    import test_narrate_text as me

    original = me.narrative
    try:
        on_spending = two(Decimal("3038.1276") / Decimal("3041.0676") * 100)  # 表3 本年支出合计: 99.90
        for wrong in (text.replace("99.88%", on_spending + "%"), text.replace("本年一般公共预算财政拨款收入", "本年其他收入")):
            assert wrong != text
            two_.paragraphs[right] = type(two_.paragraphs[right])(wrong)
            me.narrative = lambda b: n  # type: ignore[assignment]
            assert [t for t, _ in untraced_numbers(book) if t.endswith("%")], wrong
    finally:
        me.narrative = original


@pytest.mark.parametrize("index", range(1, 13))
def test_every_percentage_of_a_synthetic_department_is_its_own_ratio(index: int) -> None:
    import random

    from juesuan.data_file import book_from_data
    from juesuan.synth import synth_department

    book = book_from_data(synth_department(random.Random(f"trace:{index}"), index))
    assert [(t, p) for t, p in untraced_numbers(book) if not p.startswith("联系电话")] == []  # a typed 0471-…


def test_four_parts_and_the_fourteen_sections_in_seed_order():
    n = narrative(reference())
    assert [p.title for p in n.parts] == ["第一部分 部门概况", "第二部分 2023年度部门决算情况说明", "第三部分 名词解释",
                                          "第四部分 决算公开联系方式及信息反馈渠道"]
    titles = [s.title for s in n.parts[1].sections]
    seed = (REFERENCE.parent / "seed_2023.txt").read_text(encoding="utf-8").replace(" ", "")
    body = seed[seed.index("第二部分2023年度部门决算情况说明", seed.index("第一部分部门概况\n\n一、")):]
    assert [t.split("、", 1)[1] for t in titles] == [s.title for s in OUTLINE.sections]
    for t in titles:  # the seed's headings in the body (its 目录 shortens 六 and 七)
        assert f"\n{t}\n" in body, t
    assert len(titles) == 14
    assert all(s.paragraphs for s in n.parts[1].sections)


def test_part_one_comes_from_the_overview_sheet_and_part_four_from_unit_info():
    book = reference()
    n = narrative(book)
    part1 = "\n".join(p.text for s in n.parts[0].sections for p in s.paragraphs)
    assert book.text(("部门概况", "部门职能", "值")) in part1
    assert [s.title for s in n.parts[0].sections] == ["一、主要职能、职责", "二、部门机构设置及决算单位构成情况",
                                                      "三、2023年度部门主要工作完成情况"]
    part4 = [p.text for s in n.parts[3].sections for p in s.paragraphs]
    assert part4 == ["本单位决算公开信息反馈和联系方式：", "联系人：杨丽娟", "联系电话：13948051882"]


def test_terms_are_editable_data_printed_in_order():
    n = narrative(small())
    printed = [p.text for p in n.parts[2].sections[0].paragraphs]
    assert len(printed) == len(terms(OUTLINE.terms)) == 18
    assert printed[0].startswith("一、财政拨款收入：")
    assert printed[16].startswith("十七、“三公”经费：")
    assert printed[17].startswith("十八、机构运行经费：")


# ── missing reasons ───────────────────────────────────────────────────────────────────────
def reference_data() -> dict:
    return json.loads(REFERENCE.read_text(encoding="utf-8"), parse_float=Decimal)


def test_the_reference_case_asks_for_nothing():
    assert placeholders(reference()) == []
    assert missing_reasons(reference()) == []


def test_a_missing_reason_is_a_visible_placeholder_naming_what_to_fill():
    data = reference_data()
    del data["变动原因"]["机构运行经费.上年"]
    del data["年初预算"]["2010303"]["差异原因"]
    book = book_with({k: v for k, v in data.items() if k != "format"})
    text = narrative(book).section("十一").paragraphs[0].text
    assert "减少27.73万元，减少5.35%，变动原因：【请填写「变动原因」表：十一、机构运行经费与上年决算相比】。" in text
    five = "\n".join(p.text for p in narrative(book).section("五").paragraphs)
    assert "决算数与年初预算数的差异原因：【请填写「年初预算」表：2010303 " in five
    assert missing_reasons(book) == [
        ("年初预算/2010303/差异原因", "2010303 政府办公厅（室）及相关机构事务（款）机关服务（项） 的差异原因"),
        ("机构运行经费.上年", "十一、机构运行经费与上年决算相比"),
    ]


def test_missing_texts_other_than_reasons_are_placeholders_too_but_not_missing_reasons():
    book = small()
    kinds = {(p.kind, p.cell[0]) for p in placeholders(book)}
    assert ("input", "部门概况") in kinds and ("input", "单位信息") in kinds
    inputs = {p.key for p in placeholders(book) if p.kind == "input"}
    assert inputs and not inputs & {key for key, _ in missing_reasons(book)}


# ── zero bases and equal figures ──────────────────────────────────────────────────────────
def section_text(book: Book, key: str) -> str:
    return "\n".join(p.text for p in narrative(book).section(key).paragraphs)


def test_zero_bases_are_said_in_words_never_as_zero_percent():
    book = small()  # no 上年决算, no 预算总数, 三公 travel and cars without budget
    one, five, eight = section_text(book, "一"), section_text(book, "五"), section_text(book, "八")
    assert "与上年决算相比，收、支总计各增加123.23万元，上年决算数为零" in one
    assert "与年初预算相比，收、支总计各增加123.23万元，年初未安排预算" in one
    assert "年初未安排预算，支出决算20.00万元。" in five  # 2080505 has no 年初预算
    assert "因公出国（境）费支出决算0.00万元，年初未安排预算" in eight
    assert "预算为0" not in eight and "（上年无此项）" not in one
    for key in [s.key for s in OUTLINE.sections]:
        assert not re.search(r"(?<![\d.])0%", section_text(book, key)), key


def test_equal_figures_read_chiping():
    book = small()
    one = section_text(book, "一")
    assert "使用非财政拨款结余0.00万元。与上年决算持平。" in one
    assert "结余分配0.00万元。与上年决算持平。" in one
    ref = section_text(reference(), "五")
    assert "公共安全支出类决算数为15.00万元，与年初预算持平。" in ref


# ── empty tables ──────────────────────────────────────────────────────────────────────────
def test_empty_state_capital_table_gives_the_standard_sentence():
    for book in (small(), reference()):
        text = section_text(book, "十")
        assert text.endswith("无国有资本经营预算财政拨款收入、支出和结转结余，故国有资本经营预算财政拨款支出决算表为空表。")
        assert text.count("空表") == 1 and "持平" not in text and "0.00万元" not in text


def test_empty_government_fund_table_gives_the_standard_sentence():
    assert section_text(small(), "九").endswith("故政府性基金预算财政拨款收入支出决算表为空表。")
    ref = section_text(reference(), "九")
    assert "本年无政府性基金" not in ref
    assert "城市建设支出（项）支出2.85万元，主要用于行政服务中心一楼电子屏质保金。" in ref


def test_empty_basic_project_procurement_and_performance():
    book = book_with({"单位信息": {"部门名称": "空白局"}})
    assert "本年无一般公共预算财政拨款基本支出" in section_text(book, "六")
    assert "本年无一般公共预算财政拨款项目支出" in section_text(book, "七")
    assert "本年无政府采购支出" in section_text(book, "十二")
    assert "本年无政府性基金预算项目" in section_text(book, "十四")
    assert "未在决算中反映项目绩效自评结果" in section_text(book, "十四")
    assert "本年未开展部门评价" in section_text(book, "十四")
    assert "%" not in section_text(book, "二") and "%" not in section_text(book, "三")


def test_main_items_lists_are_in_table_order_and_skip_zero_lines():
    book = small()
    text = section_text(book, "六")
    assert "主要包括：基本工资60.00万元、机关事业单位基本养老保险缴费20.00万元。" in text
    assert "津贴补贴" not in text  # a zero line is not listed
    ref = section_text(reference(), "七")
    assert ref.index("工资福利支出") < ref.index("商品和服务支出") < ref.index("对个人和家庭的补助支出") \
        < ref.index("资本性支出")


def test_every_reason_the_accountant_types_appears_in_the_text():
    """No change without its reason: each 变动原因 of the reference case, replaced by a marker,
    is printed — except where the figures are equal (持平 needs no reason; check warns
    N-REASON-FLAT), and 国有资本经营.上年, whose empty table's 空表 statement says it all."""
    data = reference_data()
    keys = [c.key for c in reference().format.comparisons]
    data["变动原因"] = {k: {"原因": f"标记{i}号"} for i, k in enumerate(keys)}
    text = narrative(book_with({k: v for k, v in data.items() if k != "format"})).text()
    absent = [k for i, k in enumerate(keys) if f"标记{i}号" not in text]
    assert absent == ["使用非财政拨款结余.上年", "结余分配.上年", "因公出国（境）费.上年", "公务用车购置费.上年",
                      "公务用车运行维护费.上年", "国有资本经营.上年"]
