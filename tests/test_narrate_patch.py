"""Narrate's patch path (the sheet 决算情况说明 and its charts added to the file as parts,
:mod:`juesuan.narrate_patch`) gives the workbook the openpyxl path gives: every cell, style,
cached value, sheet order, print area and defined name, the narrative sheet's look (row heights,
column widths, hidden hash column, page setup, the two charts where the figures are); LibreOffice
opens it and recalculates to the values stored; the shipped kit is what the openpyxl writer makes
today; a workbook the patch cannot handle is narrated by openpyxl."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
from test_fill_patch import EXTRA, EXTRA_PART, differences
from test_fill_support import copy, numeric_mismatches, stored_values

from juesuan.book_io import new_book
from juesuan.cli import main
from juesuan.data_file import book_from_data, read_data
from juesuan.formats import FORMATS
from juesuan.narrate.sheet import SHEET
from juesuan.narrate_command import narrate_file
from juesuan.narrate_patch import kit_bytes, kit_path, narrate_patched
from juesuan.synth import synth_department

ROOT = Path(__file__).resolve().parents[1]
NATIONAL = ROOT / "src" / "juesuan" / "reference" / "national-2023-reference.json"


def members(data: bytes) -> dict[str, bytes]:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if not n.startswith("docProps/")}


def look(path: Path) -> tuple:
    """What the narrative sheet looks like beyond its cells."""
    ws = openpyxl.load_workbook(path)[SHEET]
    return ([c.anchor._from.row for c in ws._charts], [c.series[0].val.numRef.f for c in ws._charts],
            ws.column_dimensions["A"].width, ws.column_dimensions["C"].hidden, ws.page_setup.scale,
            ws.page_setup.paperSize, ws.sheet_view.showGridLines, ws.print_area, ws.print_options.horizontalCentered)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory, filled_reference: Path) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("narrate_patch")
    out = {"reference": copy(filled_reference, d / "reference.xlsx")}
    new_book(book_from_data(synth_department(random.Random("narrate-patch:3"), 3)), d / "synth-3.xlsx")
    out["synth-3"] = d / "synth-3.xlsx"
    new_book(read_data(NATIONAL), d / "national.xlsx")
    out["national"] = d / "national.xlsx"
    return out


def both(src: Path, tmp: Path) -> tuple[Path, Path]:
    fast, slow = tmp / f"{src.stem}-patch.xlsx", tmp / f"{src.stem}-openpyxl.xlsx"
    pkg, result, _, _ = narrate_patched(src, None)  # raises when it cannot patch
    pkg.write(fast)
    _, expected, _ = narrate_file(src, slow, patch=False)
    assert (result.paragraphs, result.digest, result.kept_copy) == (expected.paragraphs, expected.digest, None)
    return fast, slow


@pytest.mark.parametrize("name", ["reference", "synth-3", "national"])
def test_the_patched_narrative_equals_the_openpyxl_paths(books: dict[str, Path], tmp_path: Path, name: str) -> None:
    fast, slow = both(books[name], tmp_path)
    assert differences(fast, slow) == []
    assert look(fast) == look(slow)


def test_the_shipped_kits_are_what_the_openpyxl_writer_makes() -> None:
    for format_id in FORMATS:
        stale = [n for n, b in members(kit_bytes(format_id)).items() if members(kit_path(format_id).read_bytes()).get(n) != b]
        assert not stale, f"{kit_path(format_id).name} is stale; run `juesuan build-templates` ({stale})"


def test_libreoffice_opens_and_recalculates_the_patched_narrative(books: dict[str, Path], tmp_path: Path, lo) -> None:
    fast, _ = both(books["reference"], tmp_path)
    [converted] = lo.convert([fast], tmp_path / "lo", "xlsx")
    assert SHEET in openpyxl.load_workbook(converted).sheetnames
    mine = stored_values(fast)
    assert not numeric_mismatches(mine, stored_values(converted), 1e-6)
    assert len(mine) > 1000


def test_the_command_patches_and_other_parts_survive(books: dict[str, Path], tmp_path: Path) -> None:
    src = copy(books["reference"], tmp_path / "extras.xlsx")
    with zipfile.ZipFile(src, "a") as z:
        z.writestr(EXTRA_PART, EXTRA)
    out = tmp_path / "out.xlsx"
    assert main(["narrate", str(src), "-o", str(out)]) == 0
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out) as zout:
        before = {i.filename: zin.read(i) for i in zin.infolist()}
        after = {i.filename: zout.read(i) for i in zout.infolist()}
    assert after[EXTRA_PART] == EXTRA
    changed = {n for n in before if before[n] != after.get(n)}
    assert changed <= {"xl/workbook.xml", "xl/styles.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
    assert SHEET in openpyxl.load_workbook(out).sheetnames


def test_narrating_again_replaces_the_sheet_at_its_place(books: dict[str, Path], tmp_path: Path) -> None:
    once = tmp_path / "once.xlsx"
    assert main(["narrate", str(books["reference"]), "-o", str(once)]) == 0
    wb = openpyxl.load_workbook(once)
    wb.move_sheet(SHEET, offset=-3)  # the user moved it; it stays where it is
    wb.save(once)
    fast, slow = both(once, tmp_path)
    assert differences(fast, slow) == []
    assert look(fast) == look(slow)
    with zipfile.ZipFile(fast) as z:
        assert sum(n.startswith("xl/charts/") and n.endswith(".xml") for n in z.namelist()) == 2
    assert openpyxl.load_workbook(fast).sheetnames.index(SHEET) == wb.sheetnames.index(SHEET)


def test_amounts_typed_as_text_become_numbers(tmp_path: Path) -> None:
    from test_fill_patch import SMALL, user_edits

    src = tmp_path / "typed.xlsx"
    new_book(read_data(SMALL), src)
    cells = user_edits(src)  # one amount typed as text, formulas of the user's
    fast, slow = both(src, tmp_path)
    assert differences(fast, slow) == []
    assert stored_values(fast)[cells["text"]] == 1234.5


def test_a_hand_edited_narrative_is_left_to_openpyxl(books: dict[str, Path], tmp_path: Path) -> None:
    once = tmp_path / "once.xlsx"
    assert main(["narrate", str(books["reference"]), "-o", str(once)]) == 0
    wb = openpyxl.load_workbook(once)
    wb[SHEET]["A3"] = "手工改写的一段"
    wb.save(once)
    with pytest.raises(Exception, match="by hand"):
        narrate_patched(once, None)
    twice = tmp_path / "twice.xlsx"
    assert main(["narrate", str(once), "-o", str(twice)]) == 0
    assert f"{SHEET}(手改1)" in openpyxl.load_workbook(twice).sheetnames


def test_a_table_moved_down_moves_its_chart(books: dict[str, Path], tmp_path: Path) -> None:
    """A line inserted above 表1's header: 图1 plots the cells where they now are."""
    from test_fill_support import shift_rows

    src = copy(books["reference"], tmp_path / "moved.xlsx")
    wb = openpyxl.load_workbook(src)
    shift_rows(wb["收入支出决算总表"], 2, 1)
    wb.save(src)
    fast, slow = both(src, tmp_path)
    assert differences(fast, slow) == []
    assert look(fast) == look(slow) and "$C$8:$C$15" in look(fast)[1][0]
