"""``juesuan audit`` on the corpus of real published disclosures: recall, precision, refusals.

    PYTHONPATH=src python bench/audit_corpus.py [--verbose] [NAME_FILTER]

Every ``tests/data/audit_corpus/*.txt`` is a real published text (or a page of one) and its
``.json`` sidecar says where it came from, the relations recomputed by hand and what the audit
must report: ``"clean"`` (no error) or a list of expected errors, each a set of acceptable rule
ids and the figures the finding must quote (in its message or quotes).

Prints, per text, the errors found (✓ expected, ✗ unexpected) and the expected ones missed, then:

- recall: expected errors found / expected errors;
- precision: errors reported that match an expected one / errors reported;
- faulty texts flagged with a correct error, clean texts with an error, refusals (exit 2).

Only ``error`` findings count; warnings and infos are listed with ``--verbose``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from juesuan.audit.engine import audit  # noqa: E402
from juesuan.errors import InputError  # noqa: E402
from juesuan.findings import Finding, Severity  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "audit_corpus"


@dataclass
class Outcome:
    """What the audit did with one corpus text, against its sidecar."""

    name: str
    expected: list[dict]  # empty: clean
    errors: list[Finding] = field(default_factory=list)
    others: list[Finding] = field(default_factory=list)
    refused: str | None = None
    matched: list[bool] = field(default_factory=list)  # per expected entry
    correct: list[bool] = field(default_factory=list)  # per error

    @property
    def clean(self) -> bool:
        return not self.expected


def finding_text(f: Finding) -> str:
    return " ".join([f.message] + [q.text for q in f.quotes])


def matches(f: Finding, want: dict) -> bool:
    """An error matches an expected entry: one of its rules, every figure quoted."""
    text = finding_text(f)
    return f.rule in want["rules"] and all(fig in text for fig in want["figures"])


def cases(pattern: str = "") -> list[tuple[Path, dict]]:
    out = []
    for txt in sorted(CORPUS.glob("*.txt")):
        if pattern and pattern not in txt.stem:
            continue
        meta = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
        out.append((txt, meta))
    return out


def run_case(txt: Path, meta: dict) -> Outcome:
    expected = [] if meta["expected"] == "clean" else list(meta["expected"])
    out = Outcome(txt.stem, expected)
    try:
        result = audit(txt)
    except InputError as exc:
        out.refused = str(exc)
        out.matched = [False] * len(expected)
        return out
    out.errors = [f for f in result.findings if f.severity is Severity.ERROR]
    out.others = [f for f in result.findings if f.severity is not Severity.ERROR]
    out.matched = [any(matches(f, w) for f in out.errors) for w in expected]
    out.correct = [any(matches(f, w) for w in expected) for f in out.errors]
    return out


@dataclass
class Score:
    outcomes: list[Outcome]

    @property
    def expected(self) -> int:
        return sum(len(o.expected) for o in self.outcomes)

    @property
    def found(self) -> int:
        return sum(sum(o.matched) for o in self.outcomes)

    @property
    def reported(self) -> int:
        return sum(len(o.errors) for o in self.outcomes)

    @property
    def correct(self) -> int:
        return sum(sum(o.correct) for o in self.outcomes)

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.reported if self.reported else 1.0

    @property
    def faulty(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.clean]

    @property
    def flagged(self) -> list[Outcome]:
        return [o for o in self.faulty if any(o.correct)]

    @property
    def clean_with_error(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.clean and o.errors]

    @property
    def refusals(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.refused is not None]


def score(pattern: str = "") -> Score:
    return Score([run_case(txt, meta) for txt, meta in cases(pattern)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pattern", nargs="?", default="", help="only the texts whose name contains this")
    ap.add_argument("--verbose", "-v", action="store_true", help="also list warnings and infos")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    s = score(args.pattern)
    seconds = time.perf_counter() - t0
    for o in s.outcomes:
        status = "refused" if o.refused else ("clean" if o.clean else "faulty")
        print(f"{o.name} [{status}]")
        if o.refused:
            print(f"    REFUSED: {o.refused}")
        for f, ok in zip(o.errors, o.correct):
            print(f"    {'✓' if ok else '✗'} {f.rule} {f.message}")
        for w, ok in zip(o.expected, o.matched):
            if not ok:
                print(f"    MISSED {'/'.join(w['rules'])} {' '.join(w['figures'])}")
        if args.verbose:
            for f in o.others:
                print(f"    · {f.severity.value} {f.rule} {f.message}")
    print()
    print(f"texts {len(s.outcomes)} (faulty {len(s.faulty)}, clean {len(s.outcomes) - len(s.faulty)}) "
          f"in {seconds:.2f} s")
    print(f"recall    {s.found}/{s.expected} = {s.recall:.1%}")
    print(f"precision {s.correct}/{s.reported} = {s.precision:.1%}")
    print(f"faulty texts flagged with a correct error {len(s.flagged)}/{len(s.faulty)}")
    print(f"clean texts with an error {len(s.clean_with_error)}: "
          + ", ".join(o.name for o in s.clean_with_error))
    print(f"refusals {len(s.refusals)}: " + ", ".join(o.name for o in s.refusals))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
