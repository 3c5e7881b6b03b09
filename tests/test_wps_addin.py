"""The WPS 加载项 run for real in Node: its JS (addin/wps/js/) reads a fake ET workbook holding a
real workbook's cells, posts the snapshot to a running ``juesuan serve``, applies the answer's
sheet edits, and the cells it leaves are the cells ``juesuan fill`` / ``check --write`` /
``narrate`` write into the same workbook (the CLI's file is the oracle)."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from service_support import ROOT, Running, assert_contained, grown_workbook, run_addin, workbook_cells

from juesuan.cli import main
from juesuan.service.edits import cell_content, same

WPS = ROOT / "addin" / "wps"
BUTTONS = ["填充", "校验", "生成说明", "导出", "环境诊断"]


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory, filled_reference: Path) -> Path:
    return grown_workbook(filled_reference, tmp_path_factory.mktemp("grown") / "部门决算.xlsx")


@pytest.fixture(scope="module")
def grown_filled(grown: Path) -> Path:
    out = grown.with_name("部门决算-已填充.xlsx")
    assert main(["fill", str(grown), "-o", str(out)]) == 0
    return out


def cli(command: str, book: Path, tmp: Path) -> Path:
    """The CLI's result for ``command`` on a copy of ``book``."""
    out = tmp / f"cli-{command}.xlsx"
    shutil.copyfile(book, out)
    main({"check": ["check", str(out), "--write"], "narrate": ["narrate", str(out)]}[command])
    return out


def differences(xlsx: Path, wps: dict[str, Any]) -> list[str]:
    """Every cell whose formula or constant differs between the CLI's file and the fake WPS book."""
    fake = {s["name"]: s for s in wps["sheets"]}
    wb = openpyxl.load_workbook(xlsx)
    out = []
    if [s["name"] for s in wps["sheets"]] != wb.sheetnames:
        out.append(f"sheets {[s['name'] for s in wps['sheets']]} != {wb.sheetnames}")
    for ws in wb.worksheets:
        got_sheet = fake.get(ws.title, {"cells": {}})
        want = {}
        for row in ws.iter_rows():
            for c in row:
                v = cell_content(c)
                if v is not None:
                    want[c.coordinate] = v[1] if isinstance(v, tuple) else v
        got = {a: c["f"] or c["v"] for a, c in got_sheet["cells"].items() if (c["f"] or c["v"]) is not None}
        for a in sorted(set(want) | set(got)):
            if not same(got.get(a), want.get(a)):
                out.append(f"{ws.title}!{a}: WPS {got.get(a)!r}, CLI {want.get(a)!r}")
    return out


@pytest.fixture(scope="module")
def wps_fill(svc: Running, grown: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """填充 pressed in WPS on the grown workbook."""
    return run_addin(svc, workbook_cells(grown), "fill", tmp_path_factory.mktemp("wps-fill"))


def test_fill_in_wps_leaves_the_cells_juesuan_fill_writes(wps_fill: dict[str, Any], grown: Path,
                                                          grown_filled: Path) -> None:
    out = wps_fill
    assert "error" not in out, out.get("error")
    assert differences(grown_filled, out["workbook"]) == []  # grown_filled: `juesuan fill` on the same book
    # the rows fill inserted (类 213, 款 21301) and deleted (类 204, 款 20406) were inserted and deleted
    assert out["result"]["counts"]["row_ops"] == 2
    # read once: Value2 and Formula of each sheet's used range; write once per block of changed cells
    sheets = len(out["workbook"]["sheets"])
    assert out["stats"]["blockReads"] == 2 * sheets
    assert out["stats"]["blockWrites"] <= 2 * sheets
    # protected table sheets were unprotected for the writes and protected again
    protected = {s["name"] for s in workbook_cells(grown)["sheets"] if s["protected"]}
    assert protected and {s["name"] for s in out["workbook"]["sheets"] if s["protected"]} == protected


def test_fill_in_wps_recognises_the_national_format_by_its_stamp(svc: Running, tmp_path: Path) -> None:
    data = ROOT / "src" / "juesuan" / "reference" / "national-2023-reference.json"
    book = tmp_path / "中央部门.xlsx"
    assert main(["new", "--format", "national-2023", "--no-fill", "--data", str(data), "-o", str(book)]) == 0
    cells = workbook_cells(book)
    assert cells["names"] == {"_juesuan_format": '="national-2023"'}
    out = run_addin(svc, cells, "fill", tmp_path)
    assert "error" not in out, out.get("error")
    assert main(["fill", str(book), "-o", str(tmp_path / "cli.xlsx")]) == 0
    assert differences(tmp_path / "cli.xlsx", out["workbook"]) == []
    assert out["result"]["counts"]["cells"] > 100


def test_fill_colours_input_and_derived_rows_as_the_cli_does(wps_fill: dict[str, Any], grown_filled: Path) -> None:
    sheet = "收入决算表"
    ws = openpyxl.load_workbook(grown_filled)[sheet]
    fake = next(s for s in wps_fill["workbook"]["sheets"] if s["name"] == sheet)
    compared = 0
    for a, cell in fake["cells"].items():
        style = cell["style"]
        if not style or "fill" not in style:
            continue
        want = ws[a].fill.fgColor.rgb[-6:] if ws[a].fill.fill_type == "solid" else None
        got = None if style["fill"] is None else f"{style['fill']:06X}"
        got = got and got[4:6] + got[2:4] + got[0:2]  # ET colours are BGR
        assert got == want, a
        compared += 1
    assert compared > 50


def test_check_in_wps_writes_the_report_sheet_and_marks_of_check_write(svc: Running, grown_filled: Path,
                                                                      tmp_path: Path) -> None:
    out = run_addin(svc, workbook_cells(grown_filled), "check", tmp_path)
    assert "error" not in out, out.get("error")
    expected = cli("check", grown_filled, tmp_path)
    assert differences(expected, out["workbook"]) == []
    wb = openpyxl.load_workbook(expected)
    want = {(ws.title, c.coordinate): c.comment.text for ws in wb.worksheets for row in ws.iter_rows()
            for c in row if c.comment is not None}
    got = {(s["name"], a): c["comment"]["text"].split(":\n", 1)[1] for s in out["workbook"]["sheets"]
           for a, c in s["cells"].items() if c["comment"]}
    assert want and got == want
    links = {a: c["link"]["sub"] for s in out["workbook"]["sheets"] if s["name"] == "校验结果"
             for a, c in s["cells"].items() if c["link"]}
    want_links = {c.coordinate: c.hyperlink.location for row in wb["校验结果"].iter_rows() for c in row if c.hyperlink}
    assert links == want_links and links
    assert out["result"]["findings"]["summary"]["error"] >= 1


def test_narrate_in_wps_writes_the_sheet_of_juesuan_narrate_with_its_charts(svc: Running, grown_filled: Path,
                                                                            tmp_path: Path) -> None:
    out = run_addin(svc, workbook_cells(grown_filled), "narrate", tmp_path)
    assert "error" not in out, out.get("error")
    expected = cli("narrate", grown_filled, tmp_path)
    assert differences(expected, out["workbook"]) == []
    sheet = next(s for s in out["workbook"]["sheets"] if s["name"] == "决算情况说明")
    ws = openpyxl.load_workbook(expected)["决算情况说明"]
    assert len(sheet["charts"]) == len(ws._charts) == 2
    assert all(c["type"] == 5 and c["source"] for c in sheet["charts"])  # pie charts with their data
    assert sheet["columnWidths"]["1"] == ws.column_dimensions["A"].width


def test_pressing_buttons_twice_gives_what_running_the_commands_twice_gives(svc: Running, grown_filled: Path,
                                                                          tmp_path: Path) -> None:
    out = run_addin(svc, workbook_cells(grown_filled), "check,check,narrate,narrate", tmp_path)
    assert "error" not in out, out.get("error")
    expected = tmp_path / "cli-twice.xlsx"
    shutil.copyfile(grown_filled, expected)
    for args in (["check", "--write"], ["check", "--write"], ["narrate"], ["narrate"]):
        main([args[0], str(expected), *args[1:]])
    assert differences(expected, out["workbook"]) == []
    marks = [c["comment"]["text"] for s in out["workbook"]["sheets"] for c in s["cells"].values() if c["comment"]]
    wb = openpyxl.load_workbook(expected)
    assert len(marks) == sum(1 for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment) > 0
    assert [len(s["charts"]) for s in out["workbook"]["sheets"] if s["charts"]] == [2]  # not 4


def test_export_in_wps_saves_word_and_pdf_next_to_the_workbook(svc: Running, grown_filled: Path,
                                                               tmp_path: Path) -> None:
    folder = tmp_path / "用户目录"
    folder.mkdir()
    out = run_addin(svc, workbook_cells(grown_filled, str(folder)), "export", tmp_path)
    assert "error" not in out, out.get("error")
    saved = sorted(Path(p).name for p in out["result"]["saved"])
    stem = grown_filled.stem
    assert saved == [f"{stem}_决算公开.docx", f"{stem}_决算公开.pdf"]
    with zipfile.ZipFile(folder / saved[0]) as z:
        assert "决算" in z.read("word/document.xml").decode("utf-8")
    assert (folder / saved[1]).read_bytes().startswith(b"%PDF")
    assert_contained(svc)  # LibreOffice's profile, dconf and fontconfig stayed in the service's folder


def test_errors_reach_the_wps_user_in_chinese(svc: Running, grown_filled: Path, tmp_path: Path) -> None:
    cells = workbook_cells(grown_filled)
    wrong = run_addin(svc, cells, "fill", tmp_path, token="x" * 43)
    assert "令牌" in wrong["error"]
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = run_addin(svc, cells, "fill", tmp_path, base=f"http://127.0.0.1:{port}")
    assert "无法连接" in down["error"] and "juesuan serve" in down["error"]
    alien = {"name": "别的表.xlsx", "path": "", "sheets": [{"name": "Sheet1", "cells": {"A1": {"v": 1, "f": None}}}]}
    bad = run_addin(svc, alien, "fill", tmp_path)
    assert "缺少工作表" in bad["error"] and "别的表.xlsx" in bad["error"]


def test_doctor_in_wps_reports_the_service_and_the_workbook(svc: Running, grown_filled: Path, tmp_path: Path) -> None:
    out = run_addin(svc, workbook_cells(grown_filled), "doctor", tmp_path)
    lines = out["result"]["lines"]
    assert lines[0].startswith("√ 决算公开助手服务") and grown_filled.name in lines[1]
    assert any(line.startswith("√ 服务目录") for line in lines)


def test_the_ribbon_has_the_five_buttons_and_main_js_answers_each(tmp_path: Path) -> None:
    root = ET.parse(WPS / "ribbon.xml").getroot()
    ns = {"c": "http://schemas.microsoft.com/office/2006/01/customui"}
    tab = root.find(".//c:tab", ns)
    assert tab is not None and tab.get("label") == "决算公开"
    buttons = tab.findall(".//c:button", ns)
    assert [b.get("label") for b in buttons] == BUTTONS
    assert all(b.get("onAction") == "OnAction" for b in buttons) and root.get("onLoad") == "OnAddinLoad"
    script = f"console.log(JSON.stringify(require({json.dumps(str(WPS / 'js' / 'main.js'))}).COMMANDS))"
    commands = json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout)
    assert [commands[b.get("id")] for b in buttons] == ["fill", "check", "narrate", "export", "doctor"]
    for b in buttons:
        assert (WPS / "images" / f"{commands[b.get('id')]}.svg").exists()


@pytest.mark.parametrize("platform", ["linux", "win32"])
def test_wps_install_registers_the_addin_served_by_the_service(svc: Running, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch, platform: str) -> None:
    import urllib.request

    from juesuan.service import command

    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData" / "Roaming"))
    monkeypatch.setenv("JUESUAN_HOME", str(svc.home / ".juesuan"))  # the running service's token
    folder = (tmp_path / "AppData" / "Roaming" / "kingsoft" / "wps" / "jsaddons" if platform == "win32"
              else tmp_path / ".local" / "share" / "Kingsoft" / "wps" / "jsaddons")
    folder.mkdir(parents=True)
    (folder / "publish.xml").write_text('<?xml version="1.0" encoding="UTF-8"?><jsplugins>'
                                        '<jspluginonline name="other" type="wps" url="http://x/"/>'
                                        '<jspluginonline name="juesuan" type="et" url="http://old/"/></jsplugins>',
                                        encoding="utf-8")
    assert main(["wps", "install", "--port", str(svc.port)]) == 0
    assert command.jsaddons_dir() == folder
    root = ET.parse(folder / "publish.xml").getroot()
    entries = {e.get("name"): e for e in root}
    assert set(entries) == {"other", "juesuan"} and entries["other"].get("url") == "http://x/"
    ours = entries["juesuan"]
    assert ours.tag == "jspluginonline" and ours.get("type") == "et" and ours.get("enable") == "enable"
    assert ours.get("url") == f"{svc.base}/s/{svc.token}/wps/"
    if platform == "linux":
        assert stat.S_IMODE((folder / "publish.xml").stat().st_mode) == 0o600
    with urllib.request.urlopen(ours.get("url") + "ribbon.xml") as r:  # WPS fetches <url>ribbon.xml
        assert "决算公开" in r.read().decode("utf-8")
    with urllib.request.urlopen(ours.get("url")) as r:
        assert "js/main.js" in r.read().decode("utf-8")


def test_the_addin_reads_each_sheet_once_and_sends_only_its_content() -> None:
    # formatting alone stretches UsedRange (here to Z500): the snapshot stops at the last content
    script = f"""
    var FakeApp = require({json.dumps(str(ROOT / 'tests' / 'wps' / 'fake_et.js'))}).FakeApp;
    var ET = require({json.dumps(str(WPS / 'js' / 'et.js'))});
    var app = new FakeApp({{name: "b.xlsx", sheets: [{{name: "表", cells: {{
        A1: {{v: "标题", f: null}}, B2: {{v: 3, f: null}}, C2: {{v: 3, f: "=B2"}}, Z500: {{v: null, f: null}}}}}}]}});
    var snap = ET.readSnapshot(app.ActiveWorkbook);
    console.log(JSON.stringify({{snap: snap, stats: app.stats}}));
    """
    out = json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout)
    sheet = out["snap"]["sheets"][0]
    assert sheet["values"] == [["标题", None, None], [None, 3, 3]]
    assert sheet["formulas"] == [[None, None, None], [None, None, "=B2"]]
    assert out["stats"]["blockReads"] == 2  # one Value2 and one Formula read of the whole block
