"""The audit's faster scans find exactly what the patterns they replace find.

Each fast path (a scan anchored on the words every match starts with, a look-behind checked by
hand, a label read from the whole paragraph's figures) is compared with the plain pattern it
stands for, on hand-made edge cases and on strings drawn at random from the characters that
matter to the pattern (a fixed seed: the same strings on every run).
"""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal

import pytest

from juesuan.audit import changes, extract, model, perf, sections, text, tolerance
from juesuan.audit.sections import Para

ALPHABET_YEARS = list("0129.年 度较比a\n") + ["2019", "2020", "1999", "较2021"]
ALPHABET_SPACES = list(" 　a1%中文，“") + ["  ", "年 度"]
ALPHABET_LABELS = list("0123.万元个家分%，。；：、 的预算") + ["12.5", "台（套）"]


def drawn(alphabet: list[str], n: int, length: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, length))) for _ in range(n)]


YEAR_CASES = ["2019\u3000年", "2019\n 年", "x 2019  年", "年2019年年", "20 19年", "1999年2000 年", "12019年", "2019年2020年", ".2019年", "x2019 年", "201920年", "20190年", "2019.2020年",
              "９2019年", "a١2019年", "2019年", "较2021年度比2020年", ""]


@pytest.mark.parametrize("s", YEAR_CASES + drawn(ALPHABET_YEARS, 400, 14, 1))
def test_years_are_found_as_the_look_behind_pattern_finds_them(s: str) -> None:
    fast = [(m.span(), m.group("y")) for m in changes._year_matches(s)]
    assert fast == [(m.span(), m.group("y")) for m in changes.YEAR_RX.finditer(s)]


TABLES = ("前言\n项目支出绩效自评表（2023年度）\n 项目名称\t甲\n年度资金总额\t10\n总 分\t100 98.5\n"
          "项目名称 乙 项目名称 丙 总分 100 90\n项目名称 丁（无总分）\n项目支出绩效自评表\n项目名称 戊 总分 100.0 99.25")


@pytest.mark.parametrize("s", [TABLES, TABLES[40:], "项目名称", "", TABLES.replace("总", "")])
def test_table_spans_are_found_from_their_opening_words(s: str) -> None:
    assert perf._table_spans.__wrapped__(s) == tuple(m.span() for m in perf.TABLE_RX.finditer(s))


@pytest.mark.parametrize("s", drawn(ALPHABET_SPACES, 300, 12, 2) + ["  a", "a  ", "中 文", "a %", " "])
def test_spaces_go_exactly_where_the_pattern_takes_them(s: str) -> None:
    plain = text.Mapped.of(s).sub(rf"(?<=[{text.CJK_CHARS}]) +| +(?=[{text.CJK_CHARS}%])", "")
    fast = text.Mapped.of(s).sub(text.SPACES_RX, text._spaces)
    assert (fast.text, fast.origin) == (plain.text, plain.origin)


def _label_plain(s: str, at: int, p: Para) -> str:
    """:func:`juesuan.audit.extract._label` as it was written: scanning ``text[:at]``."""
    start = max(s.rfind(ch, 0, at) for ch in extract.BOUNDARY) + 1
    prev = [m.end() for m in extract.LABEL_FIGURE_RX_PLAIN.finditer(s, 0, at)]
    if prev:
        start = max(start, prev[-1])
    whole = [m.end() for m in extract.LABEL_FIGURE_RX_PLAIN.finditer(s) if m.start() < at]  # (the whole text's)
    assert (whole[-1] if whole else None) == (prev[-1] if prev else None)
    if p.marker and start < len(p.marker):
        start = len(p.marker)
    return s[start:at].strip()


@pytest.mark.parametrize("s", drawn(ALPHABET_LABELS + ["1 个", "(", "）"], 600, 24, 3)
                         + ["预算12.5万元，决算3家5台（套）6个", "1.（一）3个5万元"])
def test_a_label_is_read_as_scanning_the_text_before_its_figure(s: str) -> None:
    """(The label scans only the words after the last boundary before the figure.)"""
    for p in (Para(s, list(range(len(s)))), Para(s, list(range(len(s))), marker=s[:3])):
        for m in text.FIGURE_RX.finditer(s):
            assert extract._label(s, m.start(), p) == _label_plain(s, m.start(), p)


def test_no_reason_pattern_match_lacks_a_reason_word() -> None:
    for s in drawn(list("变动差异的原因主要用于开支内容结转和结余事项：:以下如下为是") + ["原因", "主要用于"], 500, 12, 4):
        for m in extract.REASON_RX.finditer(s):
            assert any(w in m.group(0) for w in extract.REASON_WORDS)
        assert extract._reason_matches(s) == tuple(
            (m.start(), m.end(), m.group(0)) for m in extract.REASON_RX.finditer(s))


CHECKED_FIRST = [  # (pattern, what the code checks in the text before trying it)
    (extract.LIST_RX, lambda t: any(w in t for w in extract.LIST_WORDS)),
    (extract.LIST_RX, extract.has_list_word),
    (changes.DIR_RX, lambda t: any(w in t for w in changes.DIR_HINTS)),
    (changes.DIR_RX, changes.has_dir_hint),
    (extract.REASON_RX, extract.has_reason_word),
    (extract.RATE_RX, lambda t: "%" in t and ("完成" in t or "执行" in t)),
    (extract.SHARE_RX, lambda t: "占" in t and "%" in t),
    (changes.SIDES_RX, lambda t: "总计" in t),
    (changes.COMPARE_RX, lambda t: "预算" in t),
    (text.WAN_RX, lambda t: text.WAN_HINT.search(t) is not None),
]


@pytest.mark.parametrize("n", range(len(CHECKED_FIRST)))
def test_what_is_checked_before_a_pattern_holds_for_every_match(n: int) -> None:
    rx, holds = CHECKED_FIRST[n]
    pieces = list("其中包括主要有分别为是：，增加减少长下降上升低节约超支持平无变化差异1万元%（）占完成执行率预算收支总计大于")
    pieces += ["收、支总计各是1万元，2万元", "完成预算的5%", "占总额的5%", "大于预算数1万元", "1万 ", "其中：",
               "主要包括，", "分别为：", "其中“", "无差异", "无增减变动", "压减", "增加（减少）", "持平", "基本持平"]
    for s in drawn(pieces, 800, 8, 5 + n):
        for m in rx.finditer(s):
            assert holds(m.group(0)), (s, m.group(0))


ALPHABET_NUMBERS = list("0123.-万元个%，。 ,台（套）中") + ["12.5", "-3", "1.2.3", "١", "1,234", "，567"]
NUMBER_CASES = ["-5万元", "3-5万元", "1.5.3万元", "12.3.4万元", "2.-3%", "a-12.50 万元", "5..6个", "1,234,567.8万元",
                "12,345", "1234,567", ".123,456", "1,23", "١٢,٣٤٥万元", "-1台（套）", "0.5%-0.6%", ""]


@pytest.mark.parametrize(("fast", "plain"), [(text.FIGURE_RX, text.FIGURE_RX_PLAIN),
                                             (extract.LABEL_FIGURE_RX, extract.LABEL_FIGURE_RX_PLAIN),
                                             (text.GROUPED_RX, text.GROUPED_RX_PLAIN)])
def test_a_pattern_opening_with_its_digit_matches_as_the_look_behind_pattern(fast, plain) -> None:  # type: ignore[no-untyped-def]
    """(The fast forms open with the character every match starts with, so the pattern engine
    skips to it; the look-behind is checked after it.)"""
    for s in NUMBER_CASES + drawn(ALPHABET_NUMBERS, 3000, 14, 6):
        assert [(m.span(), m.groupdict()) for m in fast.finditer(s)] == \
               [(m.span(), m.groupdict()) for m in plain.finditer(s)], s
        for at in range(len(s) + 1):  # (from a position: the look-behind sees the text before it)
            got, want = fast.search(s, at), plain.search(s, at)
            assert (got and (got.span(), got.groupdict())) == (want and (want.span(), want.groupdict())), (s, at)


ALPHABET_STOPS = list("。！？；，：、a中1") + ["。。", "；，"]


def _spans_plain(s: str, at: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """sentence_span and segment_span as first written: rfind/find of each stop."""
    a = max(0, min(at, len(s) - 1)) if s else 0
    start = max(s.rfind(ch, 0, a) for ch in model.SENTENCE_STOP) + 1
    ends = [i for i in (s.find(ch, a) for ch in model.SENTENCE_STOP) if i >= 0]
    sentence = start, (min(ends) + 1 if ends else len(s))
    start = max(s.rfind(ch, 0, at) for ch in model.SEGMENT_STOP) + 1
    ends = [i for i in (s.find(ch, at) for ch in model.SEGMENT_STOP) if i >= 0]
    return sentence, (start, min(ends) if ends else len(s))


@pytest.mark.parametrize("s", drawn(ALPHABET_STOPS, 300, 12, 7) + ["", "。", "a", "中。", "。a"])
def test_sentences_and_segments_are_cut_where_the_plain_search_cuts_them(s: str) -> None:
    for at in range(-1, len(s) + 2):
        assert (model.sentence_span(s, at), model.segment_span(s, at)) == _spans_plain(s, at), at
        for stops in (model.SENTENCE_STOP, model.SEGMENT_STOP, extract.BOUNDARY):
            assert model._stops(s, stops) == tuple(i for i, ch in enumerate(s) if ch in stops)


@pytest.mark.parametrize("spans", [[], [(0, 5)], [(0, 5), (5, 9), (12, 20)], [(3, 3), (3, 8)],
                                   [(5, 9), (0, 4)], [(0, 10), (2, 4)], [(4, 2)]])
def test_a_position_is_in_the_table_spans_as_any_of_them_says(spans: list[tuple[int, int]]) -> None:
    inside = sections._span_test(spans)
    for x in range(-2, 24):
        assert inside(x) == any(s <= x < e for s, e in spans), x


def test_a_figure_made_by_its_own_init_is_the_dataclass_value() -> None:
    f = text.Figure(Decimal("1.50"), 2, "万元", "1.50万元", 3, 9)
    assert (f.value, f.places, f.unit, f.text, f.start, f.end) == (Decimal("1.50"), 2, "万元", "1.50万元", 3, 9)
    assert f == text.Figure(value=Decimal("1.5"), places=2, unit="万元", text="1.50万元", start=3, end=9)
    assert hash(f) == hash(dataclasses.replace(f)) and f != dataclasses.replace(f, end=10)
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.start = 4  # type: ignore[misc]


REASON_PIECES = ["增减变化", "变动", "差异", "变化", "增减", "的", "原因", "原", "因", "主要用于", "主要为", "如下", "以下",
                 "开支内容", "结转和结余事项", "：", ":", "是", "为", "分析", "a", "，"]


@pytest.mark.parametrize("s", drawn(REASON_PIECES, 400, 10, 8) + ["增减变化的原因：", "x增减变化的原因", "的的原因", "原因原因"])
def test_reason_texts_are_found_as_the_pattern_finds_them_from_their_words(s: str) -> None:
    """(The scan tries the pattern only in the REASON_LEAD characters before each reason word.)"""
    assert extract._reason_matches(s) == tuple(
        (m.start(), m.end(), m.group(0)) for m in extract.REASON_RX.finditer(s))


BAND_VALUES = [Decimal(x) for x in ("0", "0.005", "0.01", "0.02", "0.5", "1", "3.33", "12.39", "99.995", "100",
                                    "3041.69", "1E+4", "7", "0.6")]


def test_a_ratio_band_from_two_corners_is_the_band_from_four() -> None:
    """(ratio_band reads a part ≥ 0 on a base > 0 from the two corners that can be farthest;
    extreme_band tries all four.)"""
    rng = random.Random(9)
    pairs = [(v, h) for v in BAND_VALUES for h in (Decimal(0), Decimal("0.005"), Decimal("0.5"))]
    pairs += [(Decimal(rng.randint(0, 10 ** 6)) / 100, Decimal("0.005")) for _ in range(300)]
    pairs += [(-v, h) for v, h in pairs[:20]]
    for part in pairs:
        for base in rng.sample(pairs, 25) + [(Decimal("0.02"), Decimal("0.005")), (Decimal("0.6"), Decimal(0))]:
            plain = (None if base[0] - base[1] <= 0 else
                     tolerance.extreme_band(lambda p, b: p / b * tolerance.HUNDRED, part, base))
            assert tolerance.ratio_band(part, base) == plain, (part, base)


@pytest.mark.parametrize(("spelt", "words", "extra"), [(extract.has_list_word, extract.LIST_WORDS, "主要"),
                                                       (extract.has_reason_word, extract.REASON_WORDS, "结转"),
                                                       (changes.has_dir_hint, changes.DIR_HINTS, "无变节")])
def test_a_spelt_out_word_test_is_the_any_it_stands_for(spelt, words, extra) -> None:  # type: ignore[no-untyped-def]
    pieces = [*words, *(w[:1] for w in words), *(w[1:] for w in words), *extra, "a", "，"]
    for s in drawn(pieces, 500, 4, 10):
        assert spelt(s) == any(w in s for w in words), s


@pytest.mark.parametrize(("rx", "firsts"), [(extract.LIST_RX, extract.LIST_FIRSTS), (extract.RATE_RX, extract.RATE_FIRSTS)])
def test_a_pattern_tried_only_where_its_first_characters_are_finds_what_finditer_finds(rx, firsts) -> None:  # type: ignore[no-untyped-def]
    pieces = list("主要具体包括有其中分别为是：，“（的之完成了年初全年调整后预算数执行率进度达到5.%a") + [
        "其中：", "主要包括，", "分别为：", "完成预算的5%", "执行率为9.5%", "预算执行率98%", "其中“", "其中的"]
    for s in drawn(pieces, 600, 12, 11) + ["", "其中", "完成年初预算的96.42%，预算完成率100%"]:
        for pos, end in ((0, None), (1, None), (2, len(s) - 1), (0, len(s) + 3), (3, 5)):
            want = [(m.span(), m.groups()) for m in (rx.finditer(s, pos) if end is None else rx.finditer(s, pos, end))]
            got = [(m.span(), m.groups()) for m in extract.starting_with(rx, firsts, s, pos, end)]
            assert got == want, (s, pos, end)



LINES = ["一、收入支出决算总体情况", "  2023年度收入总计100万元，", "支出总计90万元。", "- 其中：基本支出50万元",
         "\t表1\t10\t20", "| a | b |", "第1页", "（一）项目支出", "续上行文字", " 3 ", "", "  "]


@pytest.mark.parametrize("seed", range(40))
def test_each_paragraph_character_keeps_its_offset_in_the_text(seed: int) -> None:
    """(A paragraph of one line keeps its positions as a range; joined lines as a list.)"""
    rng = random.Random(seed)
    doc = text.Mapped.of("\n".join(rng.choice(LINES) for _ in range(rng.randint(1, 12))))
    for p in sections.paragraphs(doc, [(0, 5)] if seed % 3 == 0 else []):
        assert len(p.pos) == len(p.text) and [doc.text[k] for k in p.pos] == list(p.text)
        assert list(p.pos) == sorted(p.pos) and p.start == (p.pos[0] if p.pos else 0)
