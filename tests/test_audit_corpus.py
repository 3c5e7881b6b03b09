"""The audit on real published disclosures (tests/data/audit_corpus/, see its README).

Every error a sidecar expects is found (right rule, quoting the figures), no clean text gets an
error, no text that states figures is refused.  The same scoring prints recall and precision in
``bench/audit_corpus.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from audit_corpus import CORPUS, score  # noqa: E402


def corpus_rules() -> set[str]:
    """The rule ids the corpus expects somewhere (each is then exercised on real text)."""
    out: set[str] = set()
    for sidecar in CORPUS.glob("*.json"):
        expected = json.loads(sidecar.read_text(encoding="utf-8"))["expected"]
        if expected != "clean":
            out |= {r for e in expected for r in e["rules"]}
    return out


def test_corpus_has_thirty_texts_with_and_without_errors() -> None:
    metas = [json.loads(p.read_text(encoding="utf-8")) for p in CORPUS.glob("*.json")]
    assert len(metas) >= 30
    assert sum(m["expected"] == "clean" for m in metas) >= 10
    assert sum(m["expected"] != "clean" for m in metas) >= 8
    assert any(m["script"].startswith("traditional") for m in metas)
    assert len({m["year"] for m in metas}) >= 8


def test_every_expected_error_is_found_and_no_clean_text_gets_one() -> None:
    s = score()
    assert not s.refusals, [(o.name, o.refused) for o in s.refusals]
    missed = [(o.name, w) for o in s.outcomes for w, ok in zip(o.expected, o.matched) if not ok]
    assert not missed
    false = [(o.name, f.rule, f.message) for o in s.clean_with_error for f in o.errors]
    assert not false
    assert len(s.flagged) == len(s.faulty)
