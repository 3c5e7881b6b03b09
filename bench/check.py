"""Benchmark of ``juesuan check`` on the filled reference workbook: seconds per stage.

    PYTHONPATH=src python bench/check.py [--repeat 5] [BOOK.xlsx]

Without a book it writes the reference case (``juesuan new --data …/nmg-2023-reference.json``)
to a temporary file.  Prints the best of ``--repeat`` runs of each stage:

- load: the file read twice, as values (python-calamine) and as formulas (openpyxl read-only);
- read: locating tables, rows and cells (lenient ``read_book``) and picking stored values and
  formulas by key;
- check: every rule (``check_book``), once from scratch and once on a prepared book (what a
  front end re-checking the same workbook pays);
- total: ``check_file`` end to end.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from juesuan.book_io import new_book  # noqa: E402
from juesuan.check import cell_keys, check_book, check_file, prepare  # noqa: E402
from juesuan.check.read import load_grids, read_lenient, stored_and_formulas  # noqa: E402
from juesuan.data_file import read_data  # noqa: E402
from juesuan.findings import summarize  # noqa: E402
from juesuan.formats import load_format  # noqa: E402

REFERENCE = ROOT / "src" / "juesuan" / "reference" / "nmg-2023-reference.json"


def best(repeat: int, fn: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("book", nargs="?", help="a workbook (default: the reference case, written fresh)")
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.book) if args.book else Path(tmp) / "reference.xlsx"
        if not args.book:
            new_book(read_data(REFERENCE), path)
        fmt = load_format()
        t_load, grids = best(args.repeat, lambda: load_grids(path))
        values, formulas = grids  # type: ignore[misc]

        def read() -> tuple:  # type: ignore[type-arg]
            book, found, _ = read_lenient(fmt, values)
            stored, texts = stored_and_formulas(book, found, values, formulas, cell_keys(book))
            return book, found, stored, texts

        t_read, parts = best(args.repeat, read)
        book, found, stored, texts = parts  # type: ignore[misc]
        t_check, findings = best(args.repeat, lambda: check_book(book, found, stored, texts))
        prepared = prepare(book, found)
        t_again, _ = best(args.repeat, lambda: check_book(prepared, None, stored, texts))
        t_total, _ = best(args.repeat, lambda: check_file(path))
    s = summarize(findings)  # type: ignore[arg-type]
    print(f"workbook: {path.name}  findings: error {s['error']}, warning {s['warning']}, info {s['info']}, "
          f"acknowledged {s['acknowledged']}")
    print(f"load   {t_load:.3f} s  (values via python-calamine + formulas via openpyxl read-only)")
    print(f"read   {t_read:.3f} s  (locate tables and rows, stored values and formulas by key)")
    print(f"check  {t_check:.3f} s  (every rule; {t_again:.3f} s on a prepared book)")
    print(f"total  {t_total:.3f} s  (check_file end to end, best of {args.repeat})")


if __name__ == "__main__":
    main()
