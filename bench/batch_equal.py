"""Equality harness for ``juesuan batch``: the same departments give the same outputs.

    PYTHONPATH=src python bench/batch_equal.py dump OUT.json [--n 60]
    PYTHONPATH=src python bench/batch_equal.py compare A.json B.json
    PYTHONPATH=src python bench/batch_equal.py run IN_DIR OUT.json   # one directory, as it is

``dump`` runs the batch in-process (``--jobs 1``) on synthetic departments of both formats
(nmg-2023 with missing cells every 7th, nmg-2023 in 元, national-2023) and the two reference
data files, and records per department: the outcome (status, counts, first findings, key
figures, rule counts, balance), every finding of ``check_book`` in full (rule, severity,
message, cells, quotes, expected/actual/difference/tolerance), and every zip member of the
workbook (name and SHA-256 of its uncompressed content) plus the SHA-256 of the file's bytes.
``compare`` prints the first differences and exits 1 when there are any.  Run ``dump`` with
main's code and with yours on the same ``--n``, then ``compare``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def workbook_parts(path: Path) -> dict[str, str]:
    """Each zip member's SHA-256 (uncompressed), in archive order; core.xml without its time stamps."""
    with zipfile.ZipFile(path) as z:
        out = {}
        for i in z.infolist():
            data = z.read(i)
            if i.filename == "docProps/core.xml":
                data = STAMP.sub(rb"\1\2", data)
            out[i.filename] = hashlib.sha256(data).hexdigest()
        return out


def run_set(src: Path, out: Path) -> dict[str, Any]:
    import juesuan.check as check_pkg
    from juesuan.batch.progress import Progress
    from juesuan.batch.runner import run_batch

    captured: dict[str, list[dict[str, Any]]] = {}
    real = check_pkg.check_book

    def spy(book, found, stored, *a, **k):  # type: ignore[no-untyped-def]
        findings = real(book, found, stored, *a, **k)
        captured[spy.current] = [f.to_json() for f in findings]  # type: ignore[attr-defined]
        return findings

    import juesuan.batch.job as job

    real_process = job.process

    def process(path, *a, **k):  # type: ignore[no-untyped-def]
        spy.current = path.stem  # type: ignore[attr-defined]
        return real_process(path, *a, **k)

    check_pkg.check_book = spy
    job.process = process
    import juesuan.batch.runner as runner
    runner_process = runner.process
    runner.process = process
    try:
        quiet = Progress(0, out / "batch.log", stream=io.StringIO(), tty=False)
        result = run_batch(src, out, jobs=1, force=True, progress=quiet)
    finally:
        check_pkg.check_book = real
        job.process = real_process
        runner.process = runner_process
    depts: dict[str, Any] = {}
    for o in result.outcomes:
        d = o.to_json()
        for k in ("seconds", "cpu_seconds", "maxrss_kb", "key", "output", "input"):
            d.pop(k, None)
        entry: dict[str, Any] = {"outcome": d, "findings": captured.get(o.name)}
        if o.output:
            p = Path(o.output)
            entry["parts"] = workbook_parts(p)
            entry["bytes"] = hashlib.sha256(p.read_bytes()).hexdigest()
        depts[o.name] = entry
    return depts


def dump(out_json: Path, n: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from juesuan.synth import write_synth

    sets = {
        "nmg": dict(n=n, seed=1, missing_every=7, format_id="nmg-2023"),
        "nmg-yuan": dict(n=max(4, n // 6), seed=2, format_id="nmg-2023", yuan=True),
        "national": dict(n=n, seed=3, format_id="national-2023"),
    }
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="juesuan-equal-") as tmp:
        root = Path(tmp)
        for name, kw in sets.items():
            src = root / name / "in"
            write_synth(kw.pop("n"), src, **kw)  # type: ignore[arg-type]
            if name != "nmg-yuan":
                ref = ROOT / "src" / "juesuan" / "reference" / f"{kw['format_id']}-reference.json"
                shutil.copy(ref, src / "reference.json")
            result[name] = run_set(src, root / name / "out")
    out_json.write_text(json.dumps(result, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")
    total = sum(len(v) for v in result.values())
    print(f"{total} departments dumped to {out_json}")


def compare(a_path: Path, b_path: Path, show: int = 20) -> int:
    a, b = json.loads(a_path.read_text("utf-8")), json.loads(b_path.read_text("utf-8"))
    diffs: list[str] = []
    same_bytes = parts = findings = 0
    for s in sorted(set(a) | set(b)):
        da, db = a.get(s, {}), b.get(s, {})
        for name in sorted(set(da) | set(db)):
            x, y = da.get(name), db.get(name)
            if x is None or y is None:
                diffs.append(f"{s}/{name}: only in {'B' if x is None else 'A'}")
                continue
            px, py = x.get("parts") or {}, y.get("parts") or {}
            if list(px) != list(py) or px != py:
                bad = [k for k in sorted(set(px) | set(py)) if px.get(k) != py.get(k)] or ["(member order)"]
                diffs.append(f"{s}/{name}: workbook parts differ: {', '.join(bad[:8])}")
            for key in ("outcome", "findings"):
                if x.get(key) != y.get(key):
                    diffs.append(f"{s}/{name}: {key} differ:\n  A {json.dumps(x.get(key), ensure_ascii=False)[:600]}"
                                 f"\n  B {json.dumps(y.get(key), ensure_ascii=False)[:600]}")
            same_bytes += x.get("bytes") == y.get("bytes")  # (core.xml's time stamp may differ)
            parts += len(x.get("parts") or {})
            findings += len(x.get("findings") or [])
    n = sum(len(v) for v in a.values())
    print(f"{n} departments, {findings} findings, {parts} workbook parts compared; "
          f"{same_bytes} workbooks byte-identical; {len(diffs)} differences")
    for d in diffs[:show]:
        print(d)
    return 1 if diffs else 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--n", type=int, default=60)
    r = sub.add_parser("run")
    r.add_argument("src", type=Path)
    r.add_argument("out", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = p.parse_args()
    if args.cmd == "dump":
        dump(args.out, args.n)
        return 0
    if args.cmd == "run":
        sys.path.insert(0, str(ROOT / "src"))
        with tempfile.TemporaryDirectory(prefix="juesuan-equal-") as tmp:
            result = {"run": run_set(args.src, Path(tmp))}
        args.out.write_text(json.dumps(result, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        return 0
    return compare(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())
