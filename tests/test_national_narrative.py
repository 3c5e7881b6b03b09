"""The national-2023 narrative of the reference case against the document's 第三部分, section by section.

Every figure the document prints in its 情况说明 (一–十一) must appear in the generated section
(formatted by the one number formatter: thousands separators, two decimals), except the
document's own contradictions (``notes.contradictions`` of the reference), where the text states
the recomputed figure instead.  And, as for nmg-2023, every number of the generated text is a
cell, a difference, a ratio or a count of the book (tests/test_narrate_text.py).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.data_file import read_data
from juesuan.narrate import narrative, placeholders
from juesuan.narrate.numbers import count, number

REF = Path(__file__).resolve().parents[1] / "src" / "juesuan" / "reference" / "national-2023-reference.json"

# The figures the document prints in each section of 第三部分, in order (amounts in 万元, rates in %).
DOC_FIGURES: dict[str, list[str]] = {
    "一": ["4733.14", "90.09", "1.94%"],
    "二": ["4733.14", "4733.14", "100.00%"],
    "三": ["4733.14", "3365.38", "71.10%", "1367.76", "28.90%"],
    "四": ["4733.14", "90.09", "1.94%"],
    "五": ["4733.14", "100.00%", "90.09", "1.94%",
          "4733.14", "471.44", "9.96%", "109.34", "2.31%", "3742.47", "79.07%", "409.89", "8.66%",
          "4628.17", "4733.14", "102.27%",
          "51.50", "51.98", "60.65", "61.16", "256.79", "229.67", "128.40", "116.59", "1.27", "1.27", "0.00", "10.77",
          "78.57", "46.34", "81.93", "63.00", "1196.07", "1293.60", "90.00", "88.60", "0.00", "7.50", "50.00",
          "30.50", "105.00", "123.02", "420.80", "379.96", "215.00", "213.10", "40.00", "30.00", "1464.65",
          "1493.39", "0.00", "82.80", "203.69", "207.69", "183.84", "202.20"],
    "六": ["3365.38", "2949.02", "416.36"],
    "七": ["21.00", "16.95", "80.71%", "0.00", "16.95", "82.68%", "0.00", "0.00%", "5.07", "42.68%", "0.00", "5.07",
          "42.68%", "0.00", "0.00", "0.00%", "16.95", "100.00%", "0.00", "0.00%", "0.00", "0", "0", "16.95", "0.00",
          "16.95", "9", "0.00", "0.00", "0.00", "0", "0"],
    "八": [],
    "九": [],
    "十": ["28", "1354.13", "28", "1354.13", "28", "1354.13", "99.86", "28", "0", "0", "0", "3", "3", "0"],
    "十一": ["185.41", "4.68", "372.34", "8.57", "0.00", "363.77", "372.34", "152.92", "372.34", "152.92", "0.00",
           "9", "0", "0", "0", "1", "0", "0", "0", "8", "6"],
}
# Where the document contradicts its own tables: (contradiction id, section, the document's figure,
# what the generated text states instead).
CORRECTED = [
    ("jiguan-rate", "十一", "增长2.60%", "增长2.59%"),
    ("sangong-abroad-zero-budget", "七", "因公出国（境）费支出决算为0.00万元，完成预算的0.00%",
     "因公出国（境）费支出决算为0.00万元，预算为0"),
]


def shown(figure: str) -> str:
    """A figure of the document as the generated text prints it."""
    if figure.endswith("%"):
        return number(Decimal(figure[:-1])) + "%"
    if "." in figure:
        return number(Decimal(figure))
    return count(int(figure))


@pytest.fixture(scope="module")
def sections() -> dict[str, str]:
    n = narrative(read_data(REF))
    part = next(p for p in n.parts if p.title.startswith("第三部分"))
    return {s.key: "\n".join(p.text for p in s.paragraphs) for s in part.sections}


@pytest.mark.parametrize("key", list(DOC_FIGURES))
def test_the_text_states_every_figure_the_document_prints(sections, key):
    text = sections[key]
    missing = [f for f in DOC_FIGURES[key] if shown(f) not in text]
    assert not missing, f"{key}: {missing}"


@pytest.mark.parametrize("contradiction, key, document, stated", CORRECTED)
def test_the_text_states_the_recomputed_figure_where_the_document_contradicts_itself(sections, contradiction, key,
                                                                                   document, stated):
    notes = json.loads(REF.read_text(encoding="utf-8"))["notes"]["contradictions"]
    assert contradiction in {c["id"] for c in notes}
    assert stated in sections[key]
    assert document not in sections[key]


def test_sections_follow_the_document_and_the_reference_asks_for_nothing(sections):
    assert list(sections) == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    assert placeholders(read_data(REF)) == []
    assert "无政府性基金预算财政拨款收入和支出" in sections["八"]
    assert "无国有资本经营预算财政拨款收入和支出" in sections["九"]
