"""``juesuan narrate BOOK.xlsx [-o OUT.xlsx] [--print]``: write the narrative sheet from the numbers.

Reads the workbook's inputs, computes every figure, writes the sheet 决算情况说明 (replacing the
previous one, or keeping it as 决算情况说明(手改N) when it was edited by hand) and saves
atomically.  Only the narrative sheet changes; the tables and input sheets are written back as
they were read.  Missing 变动原因 and other texts appear as 【请填写…】 and are listed here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from juesuan.narrate.sheet import SHEET
from juesuan.workbook_file import refuse_if_open


def run(args: argparse.Namespace) -> int:
    source = Path(args.book)
    target = Path(args.output) if getattr(args, "output", None) else source
    refuse_if_open(target)
    text, result, found = narrate_file(source, target, getattr(args, "format", None))
    printing = bool(getattr(args, "print_text", False))
    if printing:
        sys.stdout.write(text.text())
    status = sys.stderr if printing else sys.stdout  # keep --print output pure text
    print(f"已写出 wrote {target}：工作表「{SHEET}」{result.paragraphs} 段 paragraphs，图1、图2", file=status)
    if found.text_numbers:
        print(f"注意 note：{len(found.text_numbers)} 个金额单元格中是文本形式的数字，已转换为数字（Excel 求和会跳过文本）"
              f"({len(found.text_numbers)} numbers typed as text converted to numbers)", file=status)
    if result.kept_copy:
        print(f"注意 note：「{SHEET}」在上次生成后被手工修改过，原表已保留为「{result.kept_copy}」"
              f"(the sheet was edited by hand; the old one is kept as {result.kept_copy!r})", file=status)
    if text.placeholders:
        print(f"待填写 to fill：{len(text.placeholders)} 处【请填写…】", file=sys.stderr)
        for p in text.placeholders:
            print(f"  - 「{p.cell[0]}」{p.label}", file=sys.stderr)
    return 0


def narrate_file(source: Path, target: Path, format_id: str | None = None, patch: bool = True) -> tuple[Any, Any, Any]:
    """Write the narrative sheet of ``source`` into ``target``: (Narrative, WriteResult, FoundBook).

    ``patch`` (the default) adds the sheet to the file as parts
    (:func:`juesuan.narrate_patch.narrate_patched`); a workbook that cannot be patched safely
    (see there) is loaded, narrated and saved by openpyxl."""
    if patch:
        from juesuan.narrate_patch import narrate_patched

        try:
            pkg, result, text, found = narrate_patched(source, format_id)
        except Exception:  # noqa: BLE001 — any doubt: the openpyxl path decides (and words any error)
            pass
        else:
            pkg.write(target)
            return text, result, found
    from juesuan.narrate import narrative
    from juesuan.narrate.save import save_workbook
    from juesuan.narrate.sheet import write_narrative_sheet
    from juesuan.session import Session
    from juesuan.xlsx_write import cell_value

    s = Session.workbook(source, format_id)
    wb, book, found = s.wb, s.book, s.found
    for (sheet, r, c), number in found.text_numbers.items():  # as fill does: Excel's SUM would skip the text
        wb[sheet].cell(r, c).value = cell_value(number)
    text = narrative(book)
    result = write_narrative_sheet(wb, text, book, found)
    save_workbook(wb, book, found, target)
    return text, result, found
