"""Equality harness for the audit engine: the same texts give the same findings.

    PYTHONPATH=src python bench/audit_equal.py OUT.json CORPUS_DIR [SYNTH_DIR ...]

For every synthetic department's data file (``*.json`` in each SYNTH_DIR, e.g. written by
``juesuan synth``) it audits the generated document's text as is, with ASCII punctuation and CR LF
line ends, and with thousands separators and spaced units (no format given); and every .txt/.html/
.docx/.pdf under CORPUS_DIR (e.g. tests/data/audit_corpus).  It writes every finding, skip and
section as JSON: run it with two versions of the code and ``cmp`` the two files (this session:
313 texts, 7,778 findings, skips and sections, identical before and after the speed work; the
audit speed work after it: synthetic dirs from ``juesuan synth --n 40 --seed 7``, ``--n 25 --seed 8
--yuan`` and ``--n 25 --seed 9 --format national-2023``, 313 texts, 8,535 findings, skips and
sections, identical).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    from juesuan.audit.engine import AuditResult, audit, audit_loaded
    from juesuan.audit.load import Loaded
    from juesuan.data_file import read_data
    from juesuan.errors import InputError
    from juesuan.export.plain import document_text
    from juesuan.narrate import narrative

    out: dict[str, Any] = {}

    def record(name: str, run: Callable[[], AuditResult]) -> None:
        try:
            r = run()
            out[name] = ([f.to_json() for f in r.findings] + [repr(s) for s in r.skipped]
                         + [repr(x) for x in r.sections])
        except InputError as e:
            out[name] = f"InputError {e}"

    for d in sys.argv[3:]:
        for p in sorted(Path(d).glob("*.json")):
            book = read_data(p)
            text = document_text(book, narrative(book))
            ascii_text = text.replace("，", ",").replace("：", ":").replace("\n", "\r\n")
            grouped = re.sub(r"(\d)(\d{3})\.", r"\1,\2.", text).replace("万元", " 万元")
            fmt = book.format.id
            record(f"{p.parent.name}/{p.name}", lambda: audit_loaded(Loaded("x", text, "txt"), fmt))
            record(f"{p.parent.name}/{p.name}-ascii", lambda: audit_loaded(Loaded("x", ascii_text, "txt"), fmt))
            record(f"{p.parent.name}/{p.name}-grouped", lambda: audit_loaded(Loaded("x", grouped, "txt"), None))
    for p in sorted(Path(sys.argv[2]).rglob("*")):
        if p.suffix in (".txt", ".html", ".docx", ".pdf"):
            record(str(p.relative_to(sys.argv[2])), lambda: audit(p))
    Path(sys.argv[1]).write_text(json.dumps(out, ensure_ascii=False, sort_keys=True, default=str), encoding="utf-8")
    print(f"{len(out)} texts audited → {sys.argv[1]}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
