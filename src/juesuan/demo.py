"""``juesuan demo``: the reference case through every command, into one folder.

new (data file → filled workbook) → check (and the 校验结果 sheet) → narrate → export (Word, and
PDF when LibreOffice is installed) → audit (the published text, where the reference has it), for
the reference case(s) of every format pack.  What each step wrote is listed at the end; the first
lines of each generated narrative are printed.
"""

from __future__ import annotations

import argparse
import shutil
from importlib import resources
from pathlib import Path

from juesuan.cli import main

from juesuan.formats import DEFAULT_FORMAT, packs
from juesuan.formats.pack import FormatPack, Reference


def reference_file(name: str) -> Path:
    return Path(str(resources.files("juesuan.reference").joinpath(name)))


def run(args: argparse.Namespace) -> int:
    """Every reference case of every pack: the default format's into ``-o``, the others' into
    ``-o/<format id>/``."""
    root = Path(args.output)
    for pack in packs():
        for ref in pack.references:
            out = root if pack.id == DEFAULT_FORMAT else root / pack.id
            status = run_case(pack, ref, out)
            if status:
                return status
    print("\n== 输出 outputs")
    for p in sorted(root.rglob("*")):
        if p.is_file():
            print(f"  {p}")
    return 0


def run_case(pack: FormatPack, ref: Reference, out: Path) -> int:
    """new → check → narrate → export (→ audit of the published text, when the pack has it)."""
    out.mkdir(parents=True, exist_ok=True)
    print(f"\n######## {pack.name}：{ref.data}")
    book = out / "参考案例.xlsx"
    data = out / ref.data
    shutil.copy(ref.data_path(), data)
    steps: list[tuple[str, list[str], set[int]]] = [
        ("新建并填充 new + fill", ["new", "--force", "--data", str(data), "-o", str(book)], {0}),
        ("校验 check", ["check", "--write", str(book)], {0, 1}),
        ("生成说明 narrate", ["narrate", str(book)], {0}),
        ("导出 export", ["export", str(book), "--docx", str(out / "参考案例_决算公开.docx")]
         + (["--pdf", str(out / "参考案例_决算公开.pdf")] if shutil.which("soffice") or shutil.which("libreoffice")
            else []), {0}),
    ]
    if "--pdf" not in steps[-1][1]:
        print("\n未找到 LibreOffice，跳过 PDF 导出（只写 Word）。安装：make system-packages 或 apt-get install "
              "libreoffice-writer-nogui fonts-noto-cjk poppler-utils\n"
              "LibreOffice not found: the PDF export is SKIPPED (Word only); install it with `make system-packages`.")
    source = ref.source_path()
    if source is not None:
        steps.append(("审阅原文 audit", ["audit", str(source), "--write", str(out / "审阅报告.xlsx")], {0, 1}))
    for title, argv, ok in steps:
        print(f"\n== {title}: juesuan {' '.join(argv)}")
        status = main(argv)
        if status not in ok:
            print(f"步骤失败 step failed: {title} (exit {status})")
            return status
    from juesuan.book_io import read_workbook
    from juesuan.narrate import narrative

    story = narrative(read_workbook(book))
    part = next(p for p in story.parts if "情况说明" in p.title)
    print(f"\n== 生成的{part.title}（前几行） the first lines of the generated narrative")
    lines = story.lines()
    start = lines.index(part.title)
    for line in lines[start:start + 8]:
        print(line)
    return 0
