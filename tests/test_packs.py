"""Format packs: the registry, recognising a workbook's or data file's format, and the rule that
no engine names a concrete format."""

from __future__ import annotations

import ast
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


def test_every_registered_pack_has_every_part():
    from juesuan.audit.outline import AuditOutline
    from juesuan.check.registry import RuleSet
    from juesuan.export.outline import ExportOutline
    from juesuan.narrate.outline import NarrativeOutline

    for format_id in FORMATS:
        pack = get_pack(format_id)
        assert isinstance(pack.rules, RuleSet) and isinstance(pack.narrative, NarrativeOutline)
        assert isinstance(pack.export, ExportOutline) and isinstance(pack.audit, AuditOutline)
        assert callable(pack.synth.department)
        assert pack.template_path.exists() and pack.schema_path.exists()
        assert all(r.data_path().exists() for r in pack.references) and pack.references
        for chart in pack.charts:  # a chart plots cells of its pack's format
            assert all(pack.format.table(k[0]) for k in chart.amounts)


def test_a_missing_part_is_a_format_error_naming_it():
    from juesuan.errors import FormatError
    from juesuan.formats.pack import FormatPack

    pack = FormatPack("x-1", "x", "juesuan.formats.nmg_2023", ("a", "b", "c"), ("a", "b", "c"))
    with pytest.raises(FormatError, match="no nothing part"):
        pack.part("nothing")


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


# ── engines import no concrete format ────────────────────────────────────────────────────
SRC = Path(__file__).resolve().parents[1] / "src" / "juesuan"


def _pack_names() -> tuple[set[str], set[str]]:
    """(the packages of the registered packs, every table key, sheet name and format id)."""
    packages = {FORMATS[i] for i in FORMATS}
    names = set(FORMATS)
    for format_id in FORMATS:
        for t in get_pack(format_id).format.tables:
            names.update({t.key, t.sheet})
    return packages, names


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def concrete_format_uses(path: Path, packages: set[str], names: set[str]) -> list[str]:
    """Where a module imports a pack or names one of its tables (docstrings and comments aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        else:
            modules = []
        hit = next((m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)), None)
        if hit:
            out.append(f"{path.name}:{node.lineno} imports {hit}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            if node.value in names:
                out.append(f"{path.name}:{node.lineno} names {node.value!r}")
    return out


# Words of printed text that happen to equal a table key: the audit reads published documents
# (their 自评表 print "绩效指标"), and the narrative's phrase "，变动原因：…".
WORDS = {"audit/perf.py": {"绩效指标"}, "narrate/text.py": {"变动原因"}}


def test_no_module_outside_formats_imports_a_pack_or_names_its_tables():
    packages, names = _pack_names()
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if (SRC / "formats") in path.parents:
            continue
        allowed = WORDS.get(path.relative_to(SRC).as_posix(), set())
        found += concrete_format_uses(path, packages, names - allowed)
    assert found == []


def test_the_scan_catches_an_import_of_a_pack_and_a_table_name(tmp_path):
    packages, names = _pack_names()
    bad = tmp_path / "bad.py"
    bad.write_text('"""表1 in a docstring is fine."""\nfrom juesuan.formats.nmg_2023 import FUNDS\n'
                   'from juesuan.formats import nmg_2023\nKEY = ("表1", "合计", "金额")\n', encoding="utf-8")
    assert concrete_format_uses(bad, packages, names) == [
        "bad.py:2 imports juesuan.formats.nmg_2023", "bad.py:3 imports juesuan.formats.nmg_2023", "bad.py:4 names '表1'"]
