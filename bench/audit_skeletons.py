"""How much a memo keyed on a paragraph's skeleton could save the audit of generated narratives.

    PYTHONPATH=src python bench/audit_skeletons.py [--n 60]

The skeleton of a paragraph is its text with every digit of every figure (a number with its
unit) replaced by 0 — the same length and lexical class, so a parse keyed on it could be reused
for another department's paragraph by binding that paragraph's numbers.  This audits ``--n``
synthetic departments' narratives in order (as one batch process does) and prints how many of
the paragraphs the extraction reads one by one (``_read_paragraph``, ``_read_count_sums``,
``_read_claims``) have a skeleton seen before, and the share of the audit's CPU they take: the
most such a memo could save, were reusing a parse free.  (Measured: at 60 departments 30 % of
the paragraphs and 6 % of the audit's CPU, at 200 departments 42 % and 10 % — the repeated ones
are the short ones; the department's name, its items' names and the chosen reasons make most
paragraphs new, and the rest of the audit is not read paragraph by paragraph.)
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=60)
    args = ap.parse_args()

    from audit_speed import generated_texts  # (bench/, this script's folder)

    from juesuan.audit import extract
    from juesuan.audit.engine import audit_loaded
    from juesuan.audit.load import Loaded
    from juesuan.audit.text import FIGURE_RX

    texts = generated_texts(args.n)

    seen: set[Any] = set()
    cpu = {True: 0.0, False: 0.0}
    count = {True: 0, False: 0}
    state = {"hit": False}

    def skeleton(text: str) -> str:
        return FIGURE_RX.sub(lambda m: re.sub(r"\d", "0", m.group(0)), text)

    def timed(fn: Callable[..., None], first: bool) -> Callable[..., None]:
        def run(*a: Any) -> None:
            if first:  # _read_paragraph(facts, doc, i, p, para_year): the paragraph's key
                _, doc, _, p, year = (*a, None)[:5]
                key = (skeleton(p.text), p.marker, year, doc.year)
                state["hit"] = key in seen
                seen.add(key)
                count[state["hit"]] += 1
            t = time.process_time()
            fn(*a)
            cpu[state["hit"]] += time.process_time() - t
        return run

    extract._read_paragraph = timed(extract._read_paragraph, True)  # type: ignore[assignment]
    extract._read_count_sums = timed(extract._read_count_sums, False)  # type: ignore[assignment]
    extract._read_claims = timed(extract._read_claims, False)  # type: ignore[assignment]
    t = time.process_time()
    for text, fmt in texts:
        audit_loaded(Loaded("决算情况说明", text, "txt"), fmt)
    total = time.process_time() - t
    paras = count[True] + count[False]
    print(f"{len(texts)} narratives, {paras} paragraphs read one by one: {count[True]} ({count[True] / paras:.0%}) "
          f"with a skeleton seen before, taking {cpu[True] / total:.1%} of the audit's CPU "
          f"({cpu[True] / len(texts) * 1000:.2f} of {total / len(texts) * 1000:.2f} ms per narrative); "
          f"the other paragraphs {cpu[False] / total:.1%}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
