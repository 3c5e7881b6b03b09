"""``juesuan audit DOC [--json] [--write REPORT.xlsx]`` through the CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_audit_helpers import DATA, SEED  # noqa: I001  (puts src on sys.path first)

from juesuan.cli import main


def test_text_output_and_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(SEED)]) == 1
    out = capsys.readouterr().out
    assert "[错误 A-RATE]" in out and "完成预算的0%" in out
    assert "合计 total：错误 error 5，警告 warning 8，提示 info 11" in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--json", str(SEED)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["file"] == str(SEED)
    assert data["summary"] == {"error": 5, "warning": 8, "info": 11, "acknowledged": 0}
    rate = next(f for f in data["findings"] if f["rule"] == "A-RATE")
    assert rate["expected"] == "82.75" and rate["actual"] == "0" and rate["cells"] == []
    quote = rate["quotes"][0]
    assert quote["section"] == "八、财政拨款“三公”经费支出决算情况说明"
    assert SEED.read_text(encoding="utf-8")[quote["position"]:].startswith(quote["text"][:10])
    assert data["skipped"] == [] and len(data["sections"]) == 14


def test_skipped_are_listed_in_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    doc = DATA / "county_no_parts.txt"
    assert main(["audit", str(doc)]) == 0
    out = capsys.readouterr().out
    assert "跳过 skipped" in out and "「五、专项资金使用情况」未识别的章节标题" in out
    assert main(["audit", "--json", str(doc)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"section": "五、专项资金使用情况", "reason": "未识别的章节标题，本节未检查"}.items() \
        <= data["skipped"][1].items()


def test_write_report_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    report = tmp_path / "REPORT.xlsx"
    assert main(["audit", str(DATA / "im_2019_style.txt"), "--write", str(report)]) == 1
    capsys.readouterr()
    wb = load_workbook(report)
    assert wb.sheetnames == ["审阅结果", "跳过", "规则"]
    rows = list(wb["审阅结果"].iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "规则 rule", "级别 severity", "说明 message")
    share = next(r for r in rows[1:] if r[1] == "A-SHARE")
    assert share[2] == "错误" and share[4] == "其他收入20.30万元，占1.96%。"
    assert share[5] == "（二）收入决算情况说明"
    assert (share[7], share[8], share[9]) == ("1.69", "1.96", "0.27")
    skipped = list(wb["跳过"].iter_rows(values_only=True))
    assert any(r[1] == "四、其他需要说明的事项" for r in skipped[1:])
    assert len(list(wb["规则"].iter_rows())) > 10


def test_write_to_an_unwritable_place_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    bad = tmp_path / "file" / "REPORT.xlsx"  # its parent is a regular file
    assert main(["audit", str(SEED), "--write", str(bad)]) == 2
    assert "REPORT.xlsx" in capsys.readouterr().err


def test_a_quoted_line_starting_with_equals_stays_text_in_the_report(tmp_path: Path) -> None:
    import openpyxl

    doc = tmp_path / "d.txt"
    doc.write_text(SEED.read_text(encoding="utf-8").replace("本年其他收入 0.69 万元，占 0.02%。",
                                                            "=本年其他收入 0.69 万元，占 0.05%。"), encoding="utf-8")
    report = tmp_path / "r.xlsx"
    main(["audit", str(doc), "--write", str(report)])
    cells = [c for row in openpyxl.load_workbook(report)["审阅结果"].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
