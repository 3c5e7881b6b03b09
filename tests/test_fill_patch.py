"""Fill's patch path (the file's changed parts rewritten, :mod:`juesuan.fill_patch`) gives the
workbook the openpyxl path gives, cell for cell: values, formulas, named styles and number
formats, cached values, sheet order and states, merges, defined names; LibreOffice recalculates
the patched files to the values stored; parts openpyxl would drop or rewrite survive byte for
byte; and a workbook the patch cannot handle safely is filled by the openpyxl path."""

from __future__ import annotations

import random
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from PIL import Image as PILImage
from openpyxl.utils import get_column_letter
from test_fill_support import copy, is_number, numeric_mismatches, shift_rows, stored_values

from juesuan.book_io import new_book
from juesuan.cli import main
from juesuan.data_file import book_from_data, read_data
from juesuan.fill import fill_workbook
from juesuan.session import Session
from juesuan.synth import synth_department

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small.json"
NATIONAL = ROOT / "src" / "juesuan" / "reference" / "national-2023-reference.json"
EXTRA_PART = "customXml/juesuan-test.xml"  # a part no library knows
EXTRA = b'<?xml version="1.0"?><unknown xmlns="urn:x">kept as it is</unknown>'


def style_key(c: Any) -> tuple:
    return (c.style, c.number_format, c.protection.locked, c.font.name, c.font.sz, c.font.b, c.alignment.horizontal,
            c.alignment.vertical, c.alignment.wrap_text, c.alignment.indent, repr(c.border), repr(c.fill))


def formatting(c: Any) -> tuple:
    """A cell's formatting where openpyxl cannot name its style (a file LibreOffice saved has
    unnamed cell style formats openpyxl miscounts), ``wrapText="false"`` as no wrapping."""
    return (c.number_format, c.protection.locked, c.font.name, c.font.sz, bool(c.font.b), c.alignment.horizontal,
            c.alignment.vertical, bool(c.alignment.wrap_text), c.alignment.indent, c.border.left.style,
            c.border.top.style, c.fill.fgColor.rgb, c.fill.patternType)


def differences(a_path: Path, b_path: Path, key: Callable[[Any], tuple] = style_key,
                skip: tuple[str, ...] = ()) -> list[str]:
    """What differs between two workbooks as openpyxl (formula mode) and python-calamine (the
    cached values) read them; ``key`` gives what of a cell's style is compared, ``skip`` the
    sheets whose look is not compared."""
    a, b = openpyxl.load_workbook(a_path), openpyxl.load_workbook(b_path)
    out: list[str] = []
    if a.sheetnames != b.sheetnames:
        return [f"sheets {a.sheetnames} != {b.sheetnames}"]
    names = lambda wb: sorted((n, d.attr_text) for n, d in wb.defined_names.items())  # noqa: E731
    if names(a) != names(b):
        out.append(f"defined names {names(a)} != {names(b)}")
    memo: dict[tuple, tuple] = {}

    def look(c: Any) -> tuple:  # a cell's style, computed once per distinct style of each workbook
        k = (id(c.parent.parent), tuple(c._style))
        got = memo.get(k)
        if got is None:
            got = memo[k] = key(c)
        return got

    for ws in a.worksheets:
        wt = b[ws.title]
        looks = ws.title not in skip
        for what, get in (("state", lambda s: s.sheet_state), ("print area", lambda s: s.print_area),
                          ("print titles", lambda s: s.print_title_rows),
                          ("merges", lambda s: sorted(map(str, s.merged_cells.ranges))),
                          ("heights", lambda s: {r: d.height for r, d in s.row_dimensions.items() if d.height})):
            if get(ws) != get(wt) and (looks or what in ("state", "merges")):
                out.append(f"{ws.title}: {what} {get(ws)} != {get(wt)}")
        for r, c in sorted(set(ws._cells) | set(wt._cells)):
            x, y = ws.cell(r, c), wt.cell(r, c)
            if (x.value, x.data_type) != (y.value, y.data_type):
                out.append(f"{ws.title}!{x.coordinate}: {x.value!r} ({x.data_type}) != {y.value!r} ({y.data_type})")
            elif looks and look(x) != look(y):
                out.append(f"{ws.title}!{x.coordinate}: style {look(x)} != {look(y)}")
    va, vb = stored_values(a_path), stored_values(b_path)
    out += [f"cached {k}: {va.get(k)!r} != {vb.get(k)!r}" for k in sorted(set(va) | set(vb)) if va.get(k) != vb.get(k)]
    return out


def both(src: Path, tmp: Path, balance: bool | None = None) -> tuple[Path, Path, Any, Any]:
    """``src`` filled by the patch path and by the openpyxl path."""
    fast, slow = tmp / f"{src.stem}-patch.xlsx", tmp / f"{src.stem}-openpyxl.xlsx"
    return fast, slow, fill_workbook(src, fast, balance=balance), fill_workbook(src, slow, balance=balance, patch=False)


def edit(src: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    wb = openpyxl.load_workbook(src)
    change(wb)
    wb.save(src)
    return src


def address(path: Path, key: tuple[str, str, str]) -> tuple[str, int, int]:
    a = Session.workbook(path).found.address(key)  # type: ignore[union-attr]
    assert a is not None, key
    return a.sheet, a.row, a.col


def fixed_input(path: Path) -> tuple[str, int, int]:
    """The first amount typed into a fixed table (where fill keeps inputs as they are)."""
    s = Session.workbook(path)
    key = next(k for k, v in s.book.values.items() if s.book.format.table(k[0]).kind == "fixed"
               and isinstance(v, Decimal) and v and s.found.address(k) is not None)  # type: ignore[union-attr]
    return address(path, key)


def ref(cell: tuple[str, int, int]) -> str:
    return f"'{cell[0]}'!{get_column_letter(cell[2])}{cell[1]}"


def user_edits(path: Path) -> dict[str, tuple[str, int, int]]:
    """What an accountant does between two fills: an input typed as text in a fixed table, an
    input changed in a code table, derived cells overwritten, formulas of their own elsewhere."""
    cells = {"text": fixed_input(path), "total": address(path, ("表2", "合计", "财政拨款收入")),
             "grand": address(path, ("表1", "收入总计", "金额")), "item": address(path, ("表2", "2010301", "财政拨款收入"))}
    wb = openpyxl.load_workbook(path)
    put = lambda cell, v: setattr(wb[cell[0]].cell(cell[1], cell[2]), "value", v)  # noqa: E731
    put(cells["text"], "1,234.5")
    put(cells["total"], 999)
    put(cells["grand"], "=1+1")
    put(cells["item"], 55.5)
    info = wb["单位信息"]
    info["F2"] = f"=ROUND({ref(cells['total'])}*2,2)"
    info["F3"] = '=IF(F2>100,"大","小")'
    info["F4"] = f"={ref(cells['text'])}+1"  # reads the input fill writes back as a number
    info["F5"] = "=SUM(B20:B21)/0"  # an error value
    wb.save(path)
    return cells


@pytest.fixture(scope="module")
def small_edited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[str, int, int]]]:
    """The small example after :func:`user_edits`, and the cells edited."""
    path = tmp_path_factory.mktemp("patch_small") / "small.xlsx"
    new_book(read_data(SMALL), path)
    return path, user_edits(path)


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory, filled_reference: Path, small_edited) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("patch_cases")
    out = {"reference": copy(filled_reference, d / "reference.xlsx"), "small-edited": small_edited[0]}
    for i in (2, 5):
        new_book(book_from_data(synth_department(random.Random(f"patch:{i}"), i)), d / f"synth-{i}.xlsx")
        out[f"synth-{i}"] = d / f"synth-{i}.xlsx"
    new_book(read_data(NATIONAL), d / "national.xlsx")
    out["national"] = d / "national.xlsx"
    out["narrated"] = d / "narrated.xlsx"  # the narrative sheet after the notes sheet: fill moves that last
    assert main(["narrate", str(filled_reference), "-o", str(out["narrated"])]) == 0
    return out


CASES = ["reference", "small-edited", "synth-2", "synth-5", "national", "narrated"]


@pytest.mark.parametrize("name", CASES)
def test_the_patched_workbook_equals_the_openpyxl_paths(cases: dict[str, Path], tmp_path: Path, name: str) -> None:
    fast, slow, patched, loaded = both(cases[name], tmp_path)
    assert patched.path == "patch", patched.fallback
    assert loaded.path == "openpyxl"
    assert differences(fast, slow) == []
    assert patched.lines()[:-1] == loaded.lines()[:-1]  # the same report (but the file written)
    assert (patched.derived, patched.other) == (loaded.derived, loaded.other)


def test_balancing_is_patched_too(cases: dict[str, Path], tmp_path: Path) -> None:
    """舍位平衡 rewrites every input (fixed tables too) with the printed amounts and records the
    exact ones in the hidden notes sheet."""
    fast, slow, patched, loaded = both(cases["reference"], tmp_path, balance=True)
    assert patched.path == "patch", patched.fallback
    assert patched.balance and patched.balance == loaded.balance
    assert differences(fast, slow) == []


def test_what_the_user_changed_is_filled_and_reported(small_edited, tmp_path: Path) -> None:
    src, cells = small_edited
    out = tmp_path / "out.xlsx"
    report = fill_workbook(src, out)
    assert report.path == "patch"
    a1 = lambda c: f"{c[0]}!{get_column_letter(c[2])}{c[1]}"  # noqa: E731
    assert {r.where for r in report.replaced} == {a1(cells["total"]), a1(cells["grand"])}
    values = stored_values(out)
    assert values[cells["text"]] == 1234.5  # the text became the number
    assert values[("单位信息", 4, 6)] == 1235.5
    assert values[cells["total"]] != 999
    assert values[("单位信息", 3, 6)] == "大"
    assert report.uncomputed == []
    assert openpyxl.load_workbook(out, data_only=True)["单位信息"]["F5"].value == "#DIV/0!"  # stored as an error


@pytest.fixture(scope="module")
def libreoffice(cases: dict[str, Path], tmp_path_factory: pytest.TempPathFactory, lo) -> tuple[list[Path], list[Path]]:
    """(patched workbooks, what LibreOffice recalculated and saved of them, then of the edited
    small workbook itself): one LibreOffice call."""
    d = tmp_path_factory.mktemp("patch_lo")
    patched = []
    for name in ("small-edited", "synth-5", "national"):
        patched.append(d / f"{name}.xlsx")
        assert fill_workbook(cases[name], patched[-1]).path == "patch"
    return patched, lo.convert([*patched, cases["small-edited"]], d / "lo", "xlsx")


def test_libreoffice_recalculates_the_patched_workbooks_to_the_stored_values(libreoffice) -> None:
    patched, converted = libreoffice
    compared = 0
    for ours, theirs in zip(patched, converted):
        mine = stored_values(ours)
        assert not numeric_mismatches(mine, stored_values(theirs), 1e-6), ours.name
        compared += sum(is_number(v) for v in mine.values())
    assert compared > 1000


def test_parts_openpyxl_would_rewrite_or_drop_survive_byte_for_byte(cases: dict[str, Path], tmp_path: Path) -> None:
    src = copy(cases["small-edited"], tmp_path / "extras.xlsx")
    png = tmp_path / "logo.png"
    PILImage.new("RGB", (8, 8), (200, 30, 30)).save(png)

    def extras(wb: openpyxl.Workbook) -> None:
        wb["单位信息"]["A1"].comment = Comment("批注：保留", "会计")
        wb["收入决算表"].add_image(Image(str(png)), "K2")

    edit(src, extras)
    with zipfile.ZipFile(src, "a") as z:
        z.writestr(EXTRA_PART, EXTRA)
    out = tmp_path / "out.xlsx"
    assert fill_workbook(src, out).path == "patch"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out) as zout:
        before = {i.filename: zin.read(i) for i in zin.infolist()}
        after = {i.filename: zout.read(i) for i in zout.infolist()}
    assert list(after) == list(before)
    changed = {n for n in before if before[n] != after[n]}
    assert changed <= {"xl/workbook.xml", "xl/styles.xml"} | {n for n in before if n.startswith("xl/worksheets/sheet")}
    assert after[EXTRA_PART] == EXTRA
    assert any(n.startswith("xl/comments") for n in after) and openpyxl.load_workbook(out)["单位信息"]["A1"].comment
    assert any(n.startswith("xl/media/") for n in after) and openpyxl.load_workbook(out)["收入决算表"]._images


def test_a_workbook_libreoffice_saved_is_patched(libreoffice, tmp_path: Path) -> None:
    """Shared strings, LibreOffice's own styles.xml and number formats: still a patch.  (The
    openpyxl path writes the hidden notes sheet afresh, in openpyxl's default look.)"""
    saved = libreoffice[1][-1]
    fast, slow, patched, loaded = both(saved, tmp_path)
    assert patched.path == "patch", patched.fallback
    assert differences(fast, slow, formatting, skip=("数据文件说明",)) == []
    assert patched.lines()[:-1] == loaded.lines()[:-1]


@pytest.mark.parametrize("change, why", [
    (lambda wb: shift_rows(wb["收入决算表"], 11, 1), "rows to insert or delete"),
    (lambda wb: wb["收入决算表"].merge_cells("A10:B10"), "merge over the data rows"),
])
def test_what_a_patch_cannot_do_is_left_to_openpyxl(cases: dict[str, Path], tmp_path: Path, change, why) -> None:
    src = edit(copy(cases["small-edited"], tmp_path / "odd.xlsx"), change)
    fast, slow, patched, loaded = both(src, tmp_path)
    assert patched.path == "openpyxl" and why in patched.fallback
    assert differences(fast, slow) == []


def test_sheet_xml_with_comments_is_left_to_openpyxl(cases: dict[str, Path], tmp_path: Path) -> None:
    """A comment or CDATA section could hold text that looks like cells to a regular expression."""
    src = tmp_path / "commented.xlsx"
    with zipfile.ZipFile(cases["reference"]) as zin, zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"<sheetData>", b'<sheetData><!-- <row r="9"><c r="A9"/></row> -->', 1)
            zout.writestr(info, data)
    fast, slow, patched, _ = both(src, tmp_path)
    assert patched.path == "openpyxl" and "unexpected sheet XML" in patched.fallback
    assert differences(fast, slow) == []


def test_error_cells_are_read_from_their_own_cell_only() -> None:
    """A self-closing error cell or one without a cached value never takes the next cell's value,
    and an error cell is found whatever the order of its attributes."""
    from juesuan.xlsx_patch import error_cells

    xml = ('<row r="1"><c r="A1" t="e"/><c r="B1"><v>5</v></c><c t="e" r="C1"><f>1/0</f><v>#DIV/0!</v></c>'
           '<c r="D1" s="2" t="e"><v>#REF!</v></c><c r="E1" t="e"><f>X</f></c><c r="F1" t="e"><v>#N/A</v></c></row>')
    assert error_cells(xml) == {(1, 3): "#DIV/0!", (1, 4): "#REF!", (1, 6): "#N/A"}
