"""The audit's per-process memos change nothing: the same findings with warm memos as fresh.

The audit memoises pure functions of a paragraph's text (its reason spans, its figures with
units, the years it names, the role a label gives, the 绩效自评表 spans of a document…), so a batch
auditing hundreds of narratives from the same templates reads each repeated text once.  These
tests audit texts after other texts have filled the memos and again after
:func:`juesuan.audit.engine.forget` has emptied them, and compare every finding, skip and
section — including two paragraphs with the same words and different numbers, where a memo that
bound one paragraph's numbers to the other would move a finding.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.audit.engine import AuditResult, audit_loaded, forget
from juesuan.audit.load import Loaded, load
from juesuan.findings import Severity

CORPUS = Path(__file__).parent / "data" / "audit_corpus"

# Two sections whose list paragraphs have the same words (the same skeleton) and different
# numbers: the parts of the first add up (60 + 40 = 100), those of the second do not (60 + 50).
SAME_WORDS = """第二部分 2023年度部门决算情况说明
一、收入决算情况说明
本部门2023年度本年收入合计100.00万元，其中：财政拨款收入60.00万元，占60.00%；其他收入40.00万元，占40.00%。
二、支出决算情况说明
本部门2023年度本年支出合计100.00万元，其中：财政拨款收入60.00万元，占60.00%；其他收入50.00万元，占40.00%。
"""


def outcome(result: AuditResult) -> list[object]:
    """Everything the audit says about a text, comparable with ``==``."""
    return ([f.to_json() for f in result.findings] + [repr(s) for s in result.skipped]
            + [repr(x) for x in result.sections])


def fresh(loaded: Loaded) -> list[object]:
    from juesuan.audit.model import _stops

    assert forget() >= 20 and _stops.cache_info().currsize == 0  # the memos were found and emptied
    return outcome(audit_loaded(loaded))


def test_two_paragraphs_with_the_same_words_keep_their_own_numbers() -> None:
    loaded = Loaded("same.txt", SAME_WORDS, "txt")
    warm = outcome(audit_loaded(loaded))  # the first section's paragraph is read first
    assert warm == fresh(loaded)
    found = audit_loaded(loaded).findings
    sums = [f for f in found if f.rule == "A-SUM-PARTS" and f.severity is Severity.ERROR]
    assert len(sums) == 1  # the second section's parts, 60 + 50, not the first's
    assert sums[0].actual == 100 and sums[0].expected == 110
    assert "支出" in sums[0].quotes[0].text and "50.00" not in sums[0].quotes[0].text  # quotes its total
    shares = [f for f in found if f.rule == "A-SHARE"]
    assert len(shares) == 1 and "50.00万元" in shares[0].quotes[0].text  # 50 of 100 is not 40%


def test_the_same_words_with_other_numbers_after_a_warm_audit() -> None:
    """The second text reuses every memo the first filled: its own numbers are what it reports."""
    right = SAME_WORDS.replace("其他收入50.00万元", "其他收入40.00万元")
    forget()
    audit_loaded(Loaded("right.txt", right, "txt"))
    after_right = outcome(audit_loaded(Loaded("same.txt", SAME_WORDS, "txt")))
    assert after_right == fresh(Loaded("same.txt", SAME_WORDS, "txt"))
    assert outcome(audit_loaded(Loaded("right.txt", right, "txt"))) == fresh(Loaded("right.txt", right, "txt"))


@pytest.mark.parametrize("name", ["01_longquan_2018_sangong_city.txt", "06_urumqi_service_2023_overall_trad.txt",
                                  "09_wuzhou_veterans_2021_income.txt"])
def test_corpus_texts_audit_the_same_with_warm_memos_as_fresh(name: str) -> None:
    loaded = load(CORPUS / name)
    audit_loaded(load(CORPUS / "02_taojiang_2019_sangong.txt"))  # memos filled by another text
    audit_loaded(loaded)
    warm = outcome(audit_loaded(loaded))  # and by this one
    assert warm == fresh(loaded)


def test_a_generated_narrative_audits_the_same_with_warm_memos_as_fresh(tmp_path: Path) -> None:
    """Two synthetic departments: the second's narrative comes from the same templates."""
    from juesuan.data_file import read_data
    from juesuan.export.plain import document_text
    from juesuan.narrate import narrative
    from juesuan.synth import write_synth

    texts = []
    for f in write_synth(2, tmp_path, seed=3):
        book = read_data(f)
        texts.append(Loaded(f.name, document_text(book, narrative(book)), "txt"))
    first, second = (outcome(audit_loaded(t, "nmg-2023")) for t in texts)
    forget()
    assert outcome(audit_loaded(texts[1], "nmg-2023")) == second
    assert outcome(audit_loaded(texts[0], "nmg-2023")) == first
    assert first != second
