"""A paragraph's display width (its row height on the narrative sheet) taken from its GBK length
is the East Asian width counted character by character."""

from __future__ import annotations

import unicodedata

import pytest

from juesuan.narrate import sheet
from juesuan.narrate.sheet import display_width


def by_character(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def test_every_character_gbk_encodes_is_as_wide_as_its_gbk_length() -> None:
    if unicodedata.unidata_version not in sheet.GBK_IS_WIDTH:
        pytest.skip(f"Unicode {unicodedata.unidata_version}: display_width counts one by one")
    odd = []
    for cp in range(0x80, 0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        try:
            n = len(ch.encode("gbk"))
        except UnicodeEncodeError:
            continue
        if n != by_character(ch):
            odd.append(hex(cp))
    assert odd == []


@pytest.mark.parametrize("text", ["", "abc 12.5%", "　　2023年度收入合计2657.40万元，比上年增加15.00万元（增长0.6%）。",
                                  "ā ü € ° ± × → ①", "한국어 テスト ｱｲｳ", "emoji 😀 and 𠀋 beyond the BMP",
                                  "mixed\tcontrol\nlines — “quotes”"])
def test_display_width_counts_wide_characters_twice(text: str) -> None:
    assert display_width(text) == by_character(text)
