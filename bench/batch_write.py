"""The batch's write stage alone: CPU per workbook of ``FastWriter.render`` on synthetic departments.

    PYTHONPATH=src python bench/batch_write.py [--n 60] [--format nmg-2023] [--prof tottime|cumulative]
                                               [--digest]

Prepares each department as ``juesuan.batch.job`` does (read, derive, layout, printed names,
narrative), then times only the rendering of the .xlsx bytes (sheets as XML, zip deflated).
``--digest`` prints one SHA-256 over every workbook's members (uncompressed and compressed, the
core.xml time stamp fixed), so two versions of the writer can be compared byte for byte.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import pstats
import tempfile
import time
from pathlib import Path

NOW = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def prepare(n: int, format_id: str) -> list[tuple]:
    from juesuan.batch.job import printed_names
    from juesuan.data_file import read_data
    from juesuan.derive import compute, derivations
    from juesuan.layout import book_layout
    from juesuan.narrate import narrative
    from juesuan.synth import write_synth

    src = Path(tempfile.mkdtemp())
    out = []
    for f in write_synth(n, src, seed=1, missing_every=7, format_id=format_id):
        book = read_data(f)
        exprs, values, layout = derivations(book), compute(book), book_layout(book)
        printed_names(book, layout)
        out.append((book, exprs, values, layout, narrative(book)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--format", default="nmg-2023")
    ap.add_argument("--prof", choices=("tottime", "cumulative"))
    ap.add_argument("--digest", action="store_true")
    a = ap.parse_args()
    from juesuan.batch.fastxlsx import writer_for

    items = prepare(a.n, a.format)
    for book, exprs, values, layout, text in items[:3]:  # warm-up: templates parsed, caches filled
        writer_for(book).render(book, exprs, values, layout, narrative=text, now=NOW)
    pr = cProfile.Profile() if a.prof else None
    outs = []
    t0, w0 = time.process_time(), time.perf_counter()
    if pr:
        pr.enable()
    for book, exprs, values, layout, text in items:
        outs.append(writer_for(book).render(book, exprs, values, layout, narrative=text, now=NOW))
    if pr:
        pr.disable()
    cpu, wall = time.process_time() - t0, time.perf_counter() - w0
    print(f"write: {cpu / len(items) * 1000:.2f} ms CPU, {wall / len(items) * 1000:.2f} ms wall per workbook "
          f"({len(items)} departments of {a.format})")
    if a.digest:
        import io
        import zipfile

        h = hashlib.sha256()
        for data in outs:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for i in z.infolist():
                    h.update(i.filename.encode() + z.read(i) + str(i.compress_size).encode())
            h.update(data)
        print("digest", h.hexdigest())
    if pr:
        pstats.Stats(pr).sort_stats(a.prof).print_stats(40)


if __name__ == "__main__":
    main()
