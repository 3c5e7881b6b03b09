"""``juesuan export BOOK.xlsx --docx OUT.docx [--pdf OUT.pdf]``: the publishable disclosure."""

from __future__ import annotations

import argparse
import sys

from juesuan.export import export_file


def run(args: argparse.Namespace) -> int:
    result = export_file(args.book, args.docx, args.pdf, getattr(args, "format", None))
    print(f"已导出 wrote {result.docx}（{result.tables} 张公开表，{result.projects} 张绩效自评表）")
    if result.pdf:
        print(f"已导出 wrote {result.pdf}")
    if result.missing:
        print(f"提示 note: 文档中有 {len(result.missing)} 处待填写内容（【请填写…】），发布前请补全 "
              f"({len(result.missing)} placeholders left to fill before publishing):", file=sys.stderr)
        for text in result.missing:
            print(f"  {text}", file=sys.stderr)
    return 0
