"""``juesuan demo`` runs both reference cases through every command (the README's main job)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from juesuan.cli import main


def test_demo_runs_every_command_on_both_reference_cases(tmp_path: Path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "第二部分 2023年度部门决算情况说明" in printed
    assert "收入、支出决算总计3,041.69万元" in printed
    wb = openpyxl.load_workbook(out / "参考案例.xlsx")
    assert {"决算情况说明", "校验结果"} <= set(wb.sheetnames)
    for name in ["参考案例_决算公开.docx", "参考案例_决算公开.pdf", "审阅报告.xlsx"]:
        assert (out / name).stat().st_size > 0, name
    # the second reference case (national-2023) in its own folder
    assert "上海市普陀区生态环境局2025年度收入支出总计4,733.14万元" in printed
    national = out / "national-2023"
    assert {"决算情况说明", "校验结果"} <= set(openpyxl.load_workbook(national / "参考案例.xlsx").sheetnames)
    for name in ["参考案例_决算公开.docx", "参考案例_决算公开.pdf"]:
        assert (national / name).stat().st_size > 0, name
