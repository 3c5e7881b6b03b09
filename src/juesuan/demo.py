"""``juesuan demo``: the reference case through every command, into one folder.

new (data file → filled workbook) → check (and the 校验结果 sheet) → narrate → export (Word, and
PDF when LibreOffice is installed) → audit (the published seed text).  What each step wrote is
listed at the end; the first lines of the generated narrative are printed.
"""

from __future__ import annotations

import argparse
import shutil
from importlib import resources
from pathlib import Path

from juesuan.cli import main

REFERENCE = "nmg-2023-reference.json"
SEED = "seed_2023.txt"


def reference_file(name: str) -> Path:
    return Path(str(resources.files("juesuan.reference").joinpath(name)))


def run(args: argparse.Namespace) -> int:
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    book = out / "参考案例.xlsx"
    data = out / REFERENCE
    shutil.copy(reference_file(REFERENCE), data)
    steps: list[tuple[str, list[str], set[int]]] = [
        ("新建并填充 new + fill", ["new", "--force", "--data", str(data), "-o", str(book)], {0}),
        ("校验 check", ["check", "--write", str(book)], {0, 1}),
        ("生成说明 narrate", ["narrate", str(book)], {0}),
        ("导出 export", ["export", str(book), "--docx", str(out / "参考案例_决算公开.docx")]
         + (["--pdf", str(out / "参考案例_决算公开.pdf")] if shutil.which("soffice") or shutil.which("libreoffice")
            else []), {0}),
        ("审阅原文 audit", ["audit", str(reference_file(SEED)), "--write", str(out / "审阅报告.xlsx")], {0, 1}),
    ]
    for title, argv, ok in steps:
        print(f"\n== {title}: juesuan {' '.join(argv)}")
        status = main(argv)
        if status not in ok:
            print(f"步骤失败 step failed: {title} (exit {status})")
            return status
    print("\n== 生成的决算情况说明（第二部分前几行） the first lines of the generated 第二部分")
    from juesuan.book_io import read_workbook
    from juesuan.narrate import narrative

    lines = narrative(read_workbook(book)).lines()
    start = next(i for i, line in enumerate(lines) if line.startswith("第二部分"))
    for line in lines[start:start + 8]:
        print(line)
    print("\n== 输出 outputs")
    for p in sorted(out.iterdir()):
        print(f"  {p}")
    return 0
