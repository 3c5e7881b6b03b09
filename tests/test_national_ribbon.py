"""The ribbon commands on a national-2023 workbook (xlwings' remote engine, as tests/test_ribbon.py):
填充 of a hand-typed workbook and 生成说明 give what the command line gives."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from juesuan.cli import main
from juesuan.data_file import read_data
from juesuan.derive import compute
from juesuan.locate import read_book
from juesuan.narrate.sheet import SHEET
from juesuan.workbook_file import grids, load
from test_ribbon import cells, run

REF = Path(__file__).resolve().parents[1] / "src" / "juesuan" / "reference" / "national-2023-reference.json"


def test_fill_and_narrate_match_the_command_line(tmp_path: Path):
    typed = tmp_path / "typed.xlsx"
    assert main(["new", "--no-fill", "--data", str(REF), "-o", str(typed)]) == 0
    cli = tmp_path / "cli.xlsx"
    assert main(["fill", str(typed), "-o", str(cli)]) == 0
    filled = tmp_path / "ribbon.xlsx"
    message, _, _ = run(typed, "fill", filled)
    assert message.startswith("填充完成")
    sheets = [t.sheet for t in read_data(REF).format.tables]
    assert cells(filled, sheets) == cells(cli, sheets)
    book, _ = read_book(read_data(REF).format, grids(load(filled)))
    assert compute(book) == compute(read_data(REF))

    narrated_cli = tmp_path / "narrated_cli.xlsx"
    assert main(["narrate", str(cli), "-o", str(narrated_cli)]) == 0
    narrated = tmp_path / "narrated_ribbon.xlsx"
    message, _, _ = run(cli, "narrate", narrated)
    assert message.startswith("已生成")

    def text(path: Path) -> list[str]:
        ws = openpyxl.load_workbook(path)[SHEET]
        return [v for (v,) in ws.iter_rows(min_col=1, max_col=1, values_only=True) if isinstance(v, str) and v]

    assert text(narrated) == text(narrated_cli)
    assert any("上海市普陀区生态环境局2025年度收入支出总计4,733.14万元" in t for t in text(narrated))
    assert len(openpyxl.load_workbook(narrated)[SHEET]._charts) == 2
