"""The one-pass reader gives, cell for cell, what python-calamine + openpyxl gave (issue 19).

:func:`juesuan.check.read.load_grids_slowly` (the old two readers) is the oracle: same sheets,
same rows (list or tuple, same length), same cells (same type and value, ``Literal`` kept), on
the reference workbook, synthetic departments, a workbook LibreOffice saved, a hand-made one with
every kind of cell, and the hostile workbooks of the safe-input tests (refused the same way).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest

from juesuan import xlsx_read
from juesuan.celltext import Literal
from juesuan.check.read import load_grids, load_grids_slowly
from juesuan.errors import InputError
from juesuan.locate import MAX_COLUMNS
from juesuan.session import stored_grids
from juesuan.workbook_file import grids, load
from safe_support import book, small_book  # noqa: F401  (fixtures)
from test_safe_inputs import XML_DAMAGE, rewrite_part

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def exactly(grids: dict[str, Any]) -> list[Any]:
    """Everything a reader's grids say, types included (so 1 ≠ 1.0 ≠ True, Literal ≠ str)."""
    return [(name, [(type(row).__name__, [(type(v).__name__, getattr(v, "text", v)) for v in row]) for row in grid])
            for name, grid in grids.items()]  # (an ArrayFormula object: its text)


def assert_same_as_the_old_readers(path: Path, stored: bool = True) -> None:
    """load_grids (values, formulas) as calamine + openpyxl read-only give them, and (``stored``)
    the grids of the workbook loaded whole as openpyxl gives them (dump, export, fill)."""
    xlsx_read.read(path, MAX_COLUMNS)  # not refused: the fast path is what is compared
    fast, slow = load_grids(path), load_grids_slowly(path)
    assert exactly(fast[0]) == exactly(slow[0])
    assert exactly(fast[1]) == exactly(slow[1])
    if stored:
        assert exactly(xlsx_read.read_stored(path, MAX_COLUMNS)) == exactly(grids(load(path)))


def test_reference_workbook_reads_the_same(filled_reference: Path) -> None:
    assert_same_as_the_old_readers(filled_reference)


def test_synthetic_departments_read_the_same(synth_workbooks: list[Path]) -> None:
    for path in synth_workbooks[:4]:
        assert_same_as_the_old_readers(path)


def test_a_workbook_libreoffice_saved_reads_the_same(small_book: Path, lo: Any, tmp_path: Path) -> None:
    saved = lo.convert([small_book], tmp_path, "xlsx")[0]
    with zipfile.ZipFile(saved) as z:
        assert "xl/sharedStrings.xml" in z.namelist()  # LibreOffice's own way of writing text
    assert_same_as_the_old_readers(saved)


# ── a hand-made workbook with every kind of cell ───────────────────────────────────────
SST = ('<si><t>plain</t></si><si><r><t>ri</t></r><r><rPr><b/></rPr><t xml:space="preserve"> ch</t></r></si>'
       '<si><t></t></si><si><t>=not a formula</t></si><si><t xml:space="preserve"> sp\nx </t>'
       '<rPh sb="0" eb="1"><t>PH</t></rPh></si><si><t>合计</t></si>')
STYLES = ('<numFmts count="2"><numFmt numFmtId="164" formatCode="#,##0.00;[Red]-#,##0.00"/>'
          '<numFmt numFmtId="165" formatCode="General"/></numFmts>'
          '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="4"/></cellXfs>')
EVERY_KIND = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
    '<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s" s="1"><v>5</v></c></row>'
    '<row r="2"><c r="A2" s="1"><v>1</v></c><c r="B2" s="2"><v>2.5</v></c><c r="C2" s="3"><v>-0</v></c>'
    '<c r="D2"><v>1E+3</v></c><c r="E2"><v>.5</v></c><c r="F2"><v>12345678901234567890</v></c>'
    '<c r="G2" t="b"><v>1</v></c><c r="H2" t="b"><v>0</v></c><c r="I2" s="2"/></row>'
    '<row r="4"><c r="A4"><f>SUM(A2:B2)</f><v>3.5</v></c><c r="B4" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    '<c r="C4" t="e"><f>#REF!+1</f><v>#REF!</v></c><c r="D4" t="str"><f>"x"&amp;"y"</f><v>xy</v></c>'
    '<c r="E4" t="b"><f>TRUE()</f><v>1</v></c><c r="F4"><f>A2</f></c><c r="G4" t="e"><v>#N/A</v></c>'
    '<c r="H4" t="str"><f>"=A1"</f><v>=A1</v></c><c r="I4" t="s"><f>A1</f><v>2</v></c></row>'
    '<row r="5"><c r="A5"><f t="shared" ref="A5:C5" si="0">A2+$B$2</f><v>3.5</v></c>'
    '<c r="B5"><f t="shared" si="0"/><v>5</v></c><c r="C5"><f t="shared" si="0"/><v>1</v></c>'
    '<c r="D5"><f t="array" ref="D5">SUM(A2:B2*2)</f><v>7</v></c></row>'
    '<row r="6"><c r="B6" t="inlineStr"><is><t>inline</t></is></c>'
    '<c r="C6" t="inlineStr"><is><r><t>in</t></r><r><rPr><i/></rPr><t>line rich</t></r></is></c>'
    '<c r="D6" t="inlineStr"><is><t>=HYPERLINK("x")</t></is></c><c r="E6" t="inlineStr"><is><t></t></is></c>'
    '<c r="F6" t="str"><v>text typed with t=str</v></c><c r="G6" t="str"><v> padded </v></c>'
    '<c r="H6" t="str"><f>" padded "</f><v> padded </v></c><c r="I6" t="inlineStr"><is><t>\u3000全角空格</t></is></c></row>'
    '<row r="7" spans="1:3" ht="20" customHeight="1"/>'
    '<row r="9"><c r="CV9"><v>100</v></c><c r="CW9"><v>101</v></c><c r="ZZ9" t="s"><v>0</v></c></row>'
    '<row r="11"><c r="CW11" t="inlineStr"><is><t>past the last column read</t></is></c></row>'
    '<row r="12"><c r="A12" t="s"><v>2</v></c></row>'
)


def make_workbook(path: Path, sheets: list[tuple[str, str]], sst: str = SST, styles: str = STYLES) -> Path:
    """A minimal .xlsx written part by part: ``sheets`` as (name, the worksheet's inner XML)."""
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w") as z:
        over = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ct}.worksheet+xml"/>'
                       for i in range(1, len(sheets) + 1))
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
                   '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
                   f'xml"/><Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>{over}'
                   f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>'
                   f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="' + rel
                   + '/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        names = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, (n, _) in enumerate(sheets, 1))
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" '
                   f'xmlns:r="{rel}"><sheets>{names}</sheets></workbook>')
        rels = "".join(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, len(sheets) + 1))
        rels += (f'<Relationship Id="rIdS" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
                 f'<Relationship Id="rIdT" Type="{rel}/styles" Target="/xl/styles.xml"/>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
                   f'"http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for i, (_, xml) in enumerate(sheets, 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet '
                       f'xmlns="{NS}">{xml}</worksheet>')
        z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}">{sst}</sst>')
        z.writestr("xl/styles.xml", f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}">{styles}'
                   '</styleSheet>')
    return path


ARRAY = '<c r="D5"><f t="array" ref="D5">SUM(A2:B2*2)</f><v>7</v></c>'
MERGED = '<mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="C4:D6"/></mergeCells>'


def test_every_kind_of_cell_reads_the_same(tmp_path: Path) -> None:
    sheets = [
        ("各种", f"<sheetData>{EVERY_KIND}</sheetData>"),
        ("声明的范围较小", f'<dimension ref="A1:F5"/><sheetData>{EVERY_KIND}</sheetData>'),  # openpyxl stops at row 5
        ("单格", '<dimension ref="B3"/><sheetData><row r="3"><c r="B3"><v>1</v></c></row></sheetData>'),
        ("空表", "<sheetData/>"),
        ("只有错误", '<sheetData><row r="2"><c r="C2" t="e"><v>#N/A</v></c></row></sheetData>'),
        ("合并", f"<sheetData>{EVERY_KIND}</sheetData>{MERGED}"),
    ]
    path = make_workbook(tmp_path / "kinds.xlsx", sheets)
    assert_same_as_the_old_readers(path, stored=False)
    with pytest.raises(xlsx_read.Refused):  # openpyxl keeps an array formula as an object: loaded by openpyxl
        xlsx_read.read_stored(path, MAX_COLUMNS)
    assert exactly(stored_grids(path)) == exactly(grids(load(path)))
    plain = make_workbook(tmp_path / "plain.xlsx", [(n, x.replace(ARRAY, "")) for n, x in sheets])
    assert_same_as_the_old_readers(plain)
    stored = xlsx_read.read_stored(plain, MAX_COLUMNS)
    assert stored["合并"][0][:2] == ("plain", None) and stored["各种"][0][:2] == ("plain", "ri ch")  # B1: merged away
    values, formulas = load_grids(path)
    assert formulas["各种"][4][1] == "=B2+$B$2" and formulas["各种"][4][2] == "=C2+$B$2"  # shared, translated
    assert values["各种"][3][1] == "#DIV/0!" and values["各种"][3][2] == "#REF!"  # cached errors as shown
    assert isinstance(values["各种"][0][3], Literal) and isinstance(formulas["各种"][0][3], Literal)
    assert not isinstance(formulas["各种"][3][7], Literal) and isinstance(values["各种"][3][7], Literal)
    assert len(formulas["声明的范围较小"]) == 5 and len(formulas["各种"]) == 12


# ── what it refuses, and the old readers then read ─────────────────────────────────────
REFUSED = {
    "date": ('<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>',
             '<row r="1"><c r="A1" s="1"><v>45000</v></c></row>'),
    "custom-date": ('<numFmts count="1"><numFmt numFmtId="170" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/>'
                    '</numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="170"/></cellXfs>',
                    '<row r="1"><c r="A1" s="1"><v>45000</v></c></row>'),
    "iso-date": (STYLES, '<row r="1"><c r="A1" t="d"><v>2023-01-02T00:00:00</v></c></row>'),
    "untrimmed": (STYLES, '<row r="1"><c r="A1" t="inlineStr"><is><t> a </t></is></c></row>'),
    "escaped": (STYLES, '<row r="1"><c r="A1" t="inlineStr"><is><t>a_x000D_b</t></is></c></row>'),
    "spaced-number": (STYLES, '<row r="1"><c r="A1"><v> 2</v></c></row>'),
    "word-boolean": (STYLES, '<row r="1"><c r="A1" t="b"><v>true</v></c></row>'),
    "no-address": (STYLES, '<row r="1"><c><v>1</v></c></row>'),
    "rows-backwards": (STYLES, '<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>'),
    "data-table": (STYLES, '<row r="1"><c r="A1"><f t="dataTable" ref="A1" dt2D="0" dtr="0" r1="B1"/><v>1</v></c></row>'),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_what_it_cannot_reproduce_is_refused_and_read_the_old_way(tmp_path: Path, case: str) -> None:
    styles, row = REFUSED[case]
    path = make_workbook(tmp_path / f"{case}.xlsx", [("表", f"<sheetData>{row}</sheetData>")], styles=styles)
    with pytest.raises(xlsx_read.Refused):
        xlsx_read.read(path, MAX_COLUMNS)
    try:
        slow: Any = load_grids_slowly(path)
    except InputError as exc:
        slow = exc.en
    try:
        fast: Any = load_grids(path)
    except InputError as exc:
        fast = exc.en
    assert fast == slow if isinstance(slow, str) else exactly(fast[0]) == exactly(slow[0])
    with pytest.raises(xlsx_read.Refused):
        xlsx_read.read_stored(path, MAX_COLUMNS)


def test_a_date_cell_read_the_old_way_is_a_date(tmp_path: Path) -> None:
    styles, row = REFUSED["date"]
    path = make_workbook(tmp_path / "d.xlsx", [("表", f"<sheetData>{row}</sheetData>")], styles=styles)
    values, formulas = load_grids(path)
    assert isinstance(values["表"][0][0], dt.date) and isinstance(formulas["表"][0][0], dt.datetime)


@pytest.mark.parametrize("damage", XML_DAMAGE, ids=list(XML_DAMAGE))
def test_hostile_sheet_xml_is_refused_then_an_input_error_as_before(book: Path, tmp_path: Path, damage: str) -> None:
    bad = rewrite_part(book, tmp_path / "bad.xlsx", "xl/worksheets/sheet1.xml", XML_DAMAGE[damage])
    with pytest.raises(xlsx_read.Refused):
        xlsx_read.read(bad, MAX_COLUMNS)
    with pytest.raises(InputError) as fast:
        load_grids(bad)
    with pytest.raises(InputError) as slow:
        load_grids_slowly(bad)
    assert fast.value.en == slow.value.en
    with pytest.raises(InputError):  # dump, export: refused as before (openpyxl says why)
        stored_grids(bad)


def test_one_value_far_away_is_refused_before_any_large_block(book: Path, tmp_path: Path) -> None:
    far = rewrite_part(book, tmp_path / "far.xlsx", "xl/worksheets/sheet1.xml", lambda d: d.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
    with pytest.raises(xlsx_read.Refused, match="large"):
        xlsx_read.read(far, MAX_COLUMNS)
    fast, slow = load_grids(far), load_grids_slowly(far)
    assert exactly(fast[0]) == exactly(slow[0]) and exactly(fast[1]) == exactly(slow[1])


def test_the_small_book_with_edits_reads_the_same(book: Path, tmp_path: Path) -> None:
    edited = rewrite_part(book, tmp_path / "edited.xlsx", "xl/worksheets/sheet1.xml", lambda d: d.replace(
        b"</sheetData>", b'<row r="60"><c r="B60" t="inlineStr"><is><t>=SUM(1)</t></is></c>'
                         b'<c r="C60" t="e"><f>#REF!</f><v>#REF!</v></c><c r="D60" t="b"><v>1</v></c></row></sheetData>'))
    assert_same_as_the_old_readers(edited)
