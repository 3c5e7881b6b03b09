"""The built add-in: reproducible, committed up to date, and its VBA readable back exactly by olevba.

VBA stores module source with CRLF line ends; ``macros/`` files may be checked out with LF, so
the comparison normalises line ends only (``normalise``), nothing else.
"""

from __future__ import annotations

import argparse
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser

from juesuan.addin import ADDIN_FILENAME
from juesuan.addin.build import (
    CONTENT_TYPES, CUSTOMUI_NS, PACKAGED_ADDIN, UI_REL, build_bytes, built_for_xlwings, xlwings_version,
)
from juesuan.addin.command import run
from juesuan.addin.vbaproject import normalise

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "addin" / ADDIN_FILENAME


def macro_sources() -> dict[str, str]:
    return {p.name: normalise(p.read_bytes().decode("cp1252"))
            for p in sorted((ROOT / "macros").iterdir()) if p.suffix in (".bas", ".cls")}


def olevba_modules(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        assert parser.detect_vba_macros()
        return {name: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / ADDIN_FILENAME
    assert run(argparse.Namespace(action="build", output=str(out))) == 0
    return out


def test_committed_xlam_is_a_fresh_build(fresh: Path) -> None:
    assert COMMITTED.read_bytes() == fresh.read_bytes(), "run: juesuan addin build, and commit addin/"
    assert PACKAGED_ADDIN.read_bytes() == fresh.read_bytes(), "run: juesuan addin build, and commit the copy"


def test_build_is_reproducible(fresh: Path) -> None:
    assert build_bytes(ROOT) == build_bytes(ROOT) == fresh.read_bytes()


def test_olevba_gives_back_every_module_exactly(fresh: Path) -> None:
    assert olevba_modules(fresh) == macro_sources()


def test_package_parts(fresh: Path) -> None:
    with zipfile.ZipFile(fresh) as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        types = ET.fromstring(zf.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType") for o in types if o.tag.endswith("Override")}
        assert overrides["/xl/workbook.xml"] == CONTENT_TYPES["xlam"]
        defaults = {d.get("Extension"): d.get("ContentType") for d in types if d.tag.endswith("Default")}
        assert defaults["bin"] == "application/vnd.ms-office.vbaProject"
        rels = {r.get("Type"): r.get("Target") for r in ET.fromstring(zf.read("_rels/.rels"))}
        assert rels[UI_REL] == "customUI/customUI14.xml"
        ui = ET.fromstring(zf.read("customUI/customUI14.xml"))
        assert ui.tag == f"{{{CUSTOMUI_NS}}}customUI"
        wb_rels = {r.get("Type"): r.get("Target") for r in ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))}
        assert wb_rels["http://schemas.microsoft.com/office/2006/relationships/vbaProject"] == "vbaProject.bin"
        for name in names:
            if name.endswith((".xml", ".rels")):
                ET.fromstring(zf.read(name))  # every XML part parses
        ribbon = (ROOT / "addin" / "customUI.xml").read_bytes().replace(b"\r\n", b"\n")
        assert zf.read("customUI/customUI14.xml") == ribbon


def test_code_names_match_document_modules(fresh: Path) -> None:
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(fresh) as zf:
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        sheet = ET.fromstring(zf.read("xl/worksheets/sheet1.xml"))
    assert book.find("m:workbookPr", ns).get("codeName") == "ThisWorkbook"
    assert sheet.find("m:sheetPr", ns).get("codeName") == "Sheet1"
    assert {"ThisWorkbook.cls", "Sheet1.cls"} <= set(olevba_modules(fresh))


def test_xlam_records_the_xlwings_version_of_its_vba(fresh: Path) -> None:
    assert built_for_xlwings(fresh) == xlwings_version(ROOT)
    assert f'Public Const XLWINGS_VERSION As String = "{xlwings_version(ROOT)}"' in macro_sources()["xlwings.bas"]


def test_xlsm_variant_carries_the_same_vba_project(tmp_path: Path) -> None:
    xlsm = tmp_path / "same.xlsm"
    xlsm.write_bytes(build_bytes(ROOT, "xlsm"))
    with zipfile.ZipFile(xlsm) as a, zipfile.ZipFile(COMMITTED) as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")
        assert CONTENT_TYPES["xlsm"].encode() in a.read("[Content_Types].xml")
