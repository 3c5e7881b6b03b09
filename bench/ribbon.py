"""Benchmark of the ribbon buttons' Python side: 填充 / 校验 / 生成说明 on the reference workbook.

    PYTHONPATH=src python bench/ribbon.py [--repeat 5]

Runs ``juesuan.excel.dispatch`` — what the ribbon's VBA calls through xlwings — on xlwings'
remote engine fed from the reference workbook (``tests/xlwings_remote.py``: the payload Excel
would send), in one process as the add-in's Python server keeps it; the first click of each button (imports
included) is shown apart.
It prints the best and the median of ``--repeat`` calls, wall and CPU: the time our code takes
between Excel's request and its answer of actions.  Excel's own time to send the cells and to
apply the actions is not in it (no Excel here).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from reference_book import reference_workbook, repeat_option  # noqa: E402  (bench/reference_book.py)

BUTTONS = {"填充": "fill", "校验": "check", "生成说明": "narrate"}


def main() -> int:
    args = repeat_option()
    from xlwings_remote import open_remote  # noqa: E402  (tests/xlwings_remote.py)

    from juesuan import excel

    with tempfile.TemporaryDirectory() as tmp:
        book = reference_workbook(Path(tmp))
        print(f"ribbon buttons on the reference workbook (xlwings remote engine), best / median of {args.repeat}:")
        for label, tag in BUTTONS.items():
            first = open_remote(book)
            t, c = time.perf_counter(), time.process_time()
            excel.dispatch(tag, first)  # the first click of a session: imports, templates
            first_wall, first_cpu = time.perf_counter() - t, time.process_time() - c
            walls, cpus = [], []
            for _ in range(args.repeat):
                xlbook = open_remote(book)  # the payload is Excel's part: not timed
                t, c = time.perf_counter(), time.process_time()
                excel.dispatch(tag, xlbook)
                walls.append(time.perf_counter() - t)
                cpus.append(time.process_time() - c)
            print(f"  {label:6s} wall {min(walls):.3f} / {statistics.median(walls):.3f} s   "
                  f"CPU {min(cpus):.3f} / {statistics.median(cpus):.3f} s   "
                  f"({len(xlbook.json()['actions'])} actions; first click {first_wall:.3f} s wall, "
                  f"{first_cpu:.3f} s CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
