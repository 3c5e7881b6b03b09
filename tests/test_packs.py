"""Format packs: the registry, recognising a workbook's or data file's format, and the rule that
no engine names a concrete format."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from juesuan.cli import main
from juesuan.errors import InputError
from juesuan.formats import FORMATS, detect_pack, get_pack
from juesuan.formats.detect import detect_format_id, stamp_of_workbook, workbook_stamp_and_sheets
from juesuan.formats.pack import STAMP_NAME, FormatPack
from juesuan.templates import template_path

NMG = "nmg-2023"


def test_every_registered_pack_loads_with_its_own_id():
    for format_id in FORMATS:
        pack = get_pack(format_id)
        assert isinstance(pack, FormatPack) and pack.id == format_id == pack.format.id


def test_an_unknown_format_id_is_an_input_error_naming_the_known_ones():
    with pytest.raises(InputError, match=NMG):
        get_pack("xx-1999")


def test_the_template_carries_the_stamp_that_names_its_format():
    stamp, sheets = workbook_stamp_and_sheets(template_path(NMG))
    assert stamp == NMG
    assert stamp_of_workbook(load_workbook(template_path(NMG))) == NMG
    assert sheets[0] == get_pack(NMG).format.tables[0].sheet


def _rewrite(tmp_path: Path, name: str, change) -> Path:  # type: ignore[no-untyped-def]
    wb = load_workbook(template_path(NMG))
    change(wb)
    out = tmp_path / name
    wb.save(out)
    return out


def test_a_workbook_without_the_stamp_is_recognised_by_its_sheet_names(tmp_path):
    def unstamp(wb):  # type: ignore[no-untyped-def]
        del wb.defined_names[STAMP_NAME]

    path = _rewrite(tmp_path, "unstamped.xlsx", unstamp)
    assert workbook_stamp_and_sheets(path)[0] is None
    assert detect_pack(path).id == NMG


def test_a_workbook_with_other_sheet_names_is_recognised_by_the_titles_in_its_first_rows(tmp_path):
    def rename(wb):  # type: ignore[no-untyped-def]
        del wb.defined_names[STAMP_NAME]
        for i, ws in enumerate(wb.worksheets):
            ws.title = f"Sheet{i + 1}"

    path = _rewrite(tmp_path, "renamed.xlsx", rename)
    assert detect_format_id(path) == NMG


def test_a_data_file_names_its_format_and_one_that_names_none_is_the_default(tmp_path):
    assert detect_format_id({"format": NMG}) == NMG
    assert detect_format_id({}) == NMG
    p = tmp_path / "d.json"
    p.write_text(json.dumps({"format": NMG}), encoding="utf-8")
    assert detect_pack(p).id == NMG


def test_format_overrides_detection_and_an_unknown_one_exits_2(tmp_path, capsys):
    assert detect_pack(template_path(NMG), NMG).id == NMG
    assert main(["check", str(template_path(NMG)), "--format", "xx-1999"]) == 2
    assert "xx-1999" in capsys.readouterr().err


def test_a_damaged_file_does_not_fail_detection_the_reader_reports_it(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    assert detect_format_id(bad) == NMG
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/other.xml", "")
    (tmp_path / "empty.xlsx").write_bytes(buf.getvalue())
    assert detect_format_id(tmp_path / "empty.xlsx") == NMG
