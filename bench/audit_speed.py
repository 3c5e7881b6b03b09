"""CPU time of the audit of generated narratives: what ``check`` pays per workbook for N-TEXT.

    PYTHONPATH=src python bench/audit_speed.py [--n 60] [--passes 3] [--fresh]

Writes ``--n`` synthetic nmg-2023 departments (seed 1, as the batch benchmarks), builds each
one's exported document text (:func:`juesuan.export.plain.document_text`, what
:func:`juesuan.formats.nmg_2023.checks.narrative.story` audits) and audits every text in turn,
``--passes`` times; prints the CPU milliseconds per audit of each pass and of the best.  The
first three texts warm the process and are not counted.  ``--fresh`` empties the audit's memos
(:func:`juesuan.audit.engine.forget`) before each pass, so no text is read a second time from a
memo.  CPU time, not wall: on a shared machine quote the load average beside it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def generated_texts(n: int, seed: int = 1) -> list[tuple[str, str]]:
    """(document text, format id) of ``n`` synthetic departments' narratives, as ``story`` audits them."""
    from juesuan.data_file import read_data
    from juesuan.export.plain import document_text
    from juesuan.narrate import narrative
    from juesuan.synth import write_synth

    with tempfile.TemporaryDirectory() as tmp:
        texts = []
        for f in write_synth(n, Path(tmp), seed=seed):
            book = read_data(f)
            texts.append((document_text(book, narrative(book)), book.format.id))
    return texts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--fresh", action="store_true")
    args = ap.parse_args()

    from juesuan.audit.engine import audit_loaded, forget
    from juesuan.audit.load import Loaded

    texts = generated_texts(args.n)
    for text, fmt in texts[:3]:
        audit_loaded(Loaded("决算情况说明", text, "txt"), fmt)
    counted = texts[3:]
    per_pass = []
    for _ in range(args.passes):
        if args.fresh:
            forget()
        t = time.process_time()
        for text, fmt in counted:
            audit_loaded(Loaded("决算情况说明", text, "txt"), fmt)
        per_pass.append((time.process_time() - t) / len(counted) * 1000)
    chars = sum(len(t) for t, _ in counted) / len(counted)
    print(f"audit of {len(counted)} generated narratives ({chars:,.0f} characters each): "
          + ", ".join(f"{ms:.2f}" for ms in per_pass) + f" ms CPU per audit; best {min(per_pass):.2f}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
