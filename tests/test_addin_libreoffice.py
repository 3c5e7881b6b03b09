"""An independent VBA reader: LibreOffice loads a workbook carrying our VBA project, module by module.

We build an .xlsm with the very ``vbaProject.bin`` of the add-in and let LibreOffice convert it to
ODS.  LibreOffice parses the ``dir`` stream and decompresses each module itself, and stores them
as ``Basic/<project>/<module>.xml``; every module must come out with its code (minus the
``Attribute`` lines, which LibreOffice replaces by its own two header lines) and its kind.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from juesuan.addin import VBA_PROJECT_NAME
from juesuan.addin.build import build_bytes

ROOT = Path(__file__).resolve().parents[1]
SCRIPT_NS = "{http://openoffice.org/2000/script}"
LO_HEADER = {"normal": "Rem Attribute VBA_ModuleType=VBAModule",
             "document": "Rem Attribute VBA_ModuleType=VBADocumentModule"}

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")


def convert(source: Path, fmt: str, tmp: Path) -> Path:
    profile = tmp / f"lo-profile-{uuid.uuid4().hex}"
    out = tmp / "out"
    subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", fmt, "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    result = out / f"{source.stem}.{fmt}"
    assert result.is_file(), f"LibreOffice wrote no {fmt}"
    return result


def code_lines(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def test_libreoffice_keeps_every_module(tmp_path: Path) -> None:
    xlsm = tmp_path / "juesuan-vba.xlsm"
    xlsm.write_bytes(build_bytes(ROOT, "xlsm"))
    ods = convert(xlsm, "ods", tmp_path)

    with zipfile.ZipFile(ods) as zf:
        content = zf.read("content.xml").decode("utf-8")
        basic = {Path(n).stem: zf.read(n) for n in zf.namelist()
                 if n.startswith(f"Basic/{VBA_PROJECT_NAME}/") and not Path(n).name.startswith("script-")}
    sources = {p.stem: p for p in (ROOT / "macros").iterdir() if p.suffix in (".bas", ".cls")}
    assert set(basic) == set(sources)
    for name, path in sources.items():
        module = ET.fromstring(basic[name])
        kind = module.get(f"{SCRIPT_NS}moduleType")
        assert kind == ("normal" if path.suffix == ".bas" else "document"), name
        got = code_lines(module.text or "")
        assert got[:2] == [LO_HEADER[kind], "Option VBASupport 1"], name
        want = [line for line in code_lines(path.read_text(encoding="cp1252")) if not line.startswith("Attribute VB_")]
        assert got[2:] == want, name
    # the workbook part came through too: the add-in's xlwings settings sheet and its one row
    assert 'table:name="juesuan.conf"' in content
    assert "ADD_WORKBOOK_TO_PYTHONPATH" in content and "<text:p>False</text:p>" in content
