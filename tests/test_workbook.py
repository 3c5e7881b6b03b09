"""The workbook issue: template, data files, new/dump round trip, bad data files."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import jsonschema
import openpyxl
import pytest

from juesuan.cli import main
from juesuan.formats import load_format
from juesuan.template import schema_path, schema_text, template_bytes
from juesuan.templates import template_path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
REFERENCE = ROOT / "src" / "juesuan" / "reference" / "nmg-2023-reference.json"
SEED_TABLES = ["收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表",
               "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算明细表",
               "一般公共预算财政拨款项目支出决算明细表", "政府性基金预算财政拨款收入支出决算表",
               "国有资本经营预算财政拨款支出决算表", "财政拨款“三公”经费支出决算表",
               "机构运行经费支出、国有资产占用情况及政府采购支出信息表"]
INPUT_SHEETS = ["单位信息", "部门概况", "年初预算", "预算总数", "上年决算", "变动原因", "三公统计", "绩效管理",
                "绩效自评", "绩效指标"]


def data_files() -> list[Path]:
    return sorted(DATA.glob("*.json")) + ([REFERENCE] if REFERENCE.exists() else [])


def load_json(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_seed_lists_the_eleven_tables_in_this_order():
    seed = (ROOT / "src" / "juesuan" / "reference" / "seed_2023.txt").read_text(encoding="utf-8")
    part5 = seed[seed.rindex("第五部分"):]
    positions = [part5.index(title) for title in SEED_TABLES]
    assert positions == sorted(positions)
    assert [t.title for t in load_format().public_tables] == SEED_TABLES


def test_committed_template_equals_a_fresh_build():
    committed = members(template_path("nmg-2023").read_bytes())
    fresh = members(template_bytes("nmg-2023"))
    assert committed.keys() == fresh.keys()
    different = [n for n in fresh if committed[n] != fresh[n]]
    assert not different, f"workbook_templates/nmg-2023.xlsx is stale; run `juesuan build-templates` ({different})"


def test_committed_schema_equals_a_fresh_build():
    assert schema_path("nmg-2023").read_text(encoding="utf-8") == schema_text("nmg-2023")


def test_new_writes_eleven_titled_tables_and_the_input_sheets(tmp_path):
    out = tmp_path / "t.xlsx"
    assert main(["new", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SEED_TABLES + INPUT_SHEETS
    for i, title in enumerate(SEED_TABLES):
        ws = wb[title]
        assert ws["A1"].value == title
        labels = [c.value for row in ws.iter_rows(min_row=2, max_row=2) for c in row if c.value]
        assert labels == [f"公开{i + 1:02d}表"]
        assert ws.protection.sheet and not ws.protection.password
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1


def test_input_cells_are_unlocked_and_distinct_from_derived_cells():
    wb = openpyxl.load_workbook(template_path("nmg-2023"))
    for ws in wb.worksheets:
        cells = [c for row in ws.iter_rows() for c in row]
        formulas = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
        inputs = [c for c in cells if c.style.startswith("js_in_")]
        assert all(c.protection.locked for c in formulas), ws.title
        assert all(c.fill.fgColor.rgb != "00FFF2CC" for c in formulas), ws.title
        assert inputs, f"{ws.title} has input cells"
        assert all(c.protection.locked is False and c.fill.fgColor.rgb.endswith("FFF2CC") for c in inputs), ws.title


@pytest.mark.parametrize("path", data_files(), ids=lambda p: p.name)
def test_new_then_dump_round_trips_exactly(tmp_path, path):
    book = tmp_path / "r.xlsx"
    back = tmp_path / "back.json"
    assert main(["new", "--data", str(path), "-o", str(book)]) == 0
    assert main(["dump", str(book), "-o", str(back)]) == 0
    assert load_json(back) == load_json(path)


@pytest.mark.parametrize("path", data_files(), ids=lambda p: p.name)
def test_data_files_match_the_shipped_schema(path):
    schema = json.loads(schema_path("nmg-2023").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)


def _bad(tmp_path: Path, change) -> tuple[int, str, Path]:  # type: ignore[no-untyped-def]
    data = json.loads((DATA / "small.json").read_text(encoding="utf-8"))
    change(data)
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.xlsx"
    return src, out  # type: ignore[return-value]


BAD_DATA = {
    "unknown table": (lambda d: d.update({"表12": {}}), "表12"),
    "unknown code": (lambda d: d["表5"].update({"2010398": {"基本支出": 1}}), "2010398"),
    "code with unknown parent": (lambda d: (d.update({"科目名称": {"2019801": "自定义"}}),
                                             d["表5"].update({"2019801": {"基本支出": 1}})), "20198"),
    "a 款 code given as input": (lambda d: d["表5"].update({"20103": {"基本支出": 1}}), "20103"),
    "text in an amount": (lambda d: d["表5"]["2010301"].update({"基本支出": "九十"}), "九十"),
    "negative amount": (lambda d: d["表5"]["2010301"].update({"基本支出": -1}), "-1"),
    "derived cell given": (lambda d: d["表1"].update({"本年收入合计": {"金额": 1}}), "本年收入合计"),
    "unknown column": (lambda d: d["表5"]["2010301"].update({"预算数": 1}), "预算数"),
}


@pytest.mark.parametrize("case", BAD_DATA, ids=list(BAD_DATA))
def test_bad_data_file_is_refused_with_a_clear_message(tmp_path, capsys, case):
    change, needle = BAD_DATA[case]
    src, out = _bad(tmp_path, change)
    assert main(["new", "--data", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err and needle in err and "（" in err, err
    assert not out.exists()


def test_broken_json_is_refused(tmp_path, capsys):
    src = tmp_path / "broken.json"
    src.write_text('{"format": "nmg-2023", ', encoding="utf-8")
    assert main(["new", "--data", str(src), "-o", str(tmp_path / "o.xlsx")]) == 2
    assert "JSON" in capsys.readouterr().err


def test_each_table_fits_one_page_width_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed (make test installs it)"
    book = tmp_path / "t.xlsx"
    assert main(["new", "-o", str(book)]) == 0
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(book)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "t.pdf"), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = text.split("\f")
    fmt = load_format()
    for table in fmt.public_tables:
        first = next((p for p in pages if table.title in p.replace(" ", "")), None)
        assert first is not None, f"{table.title} not found in the PDF"
        flat = first.replace(" ", "")
        last_header = table.blocks[-1].columns[-1].path[-1]
        first_header = (table.blocks[0].label_columns or table.blocks[0].columns)[0].path[-1]
        assert table.label in flat, f"{table.title}: the right-most label is on another page"
        assert last_header in flat and first_header in flat, f"{table.title}: columns split across pages"
