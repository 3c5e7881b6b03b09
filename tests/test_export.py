"""导出: the reference case as Word and PDF — headings, narrative, tables, geometry, fonts.

One export of the reference workbook (docx + PDF) per session feeds most tests; the workbook's
own numbers come from an independent LibreOffice recalculation, so "the same numbers as the
workbook" is checked against a spreadsheet engine, not against our own computation.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from types import ModuleType

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from lxml import etree

from juesuan.data_file import read_data
from juesuan.export import default_paths, export_book, export_file
from juesuan.formats import load_format
from juesuan.layout import HEADER_ROW
from juesuan.narrate import narrative

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "src" / "juesuan" / "reference" / "seed_2023.txt"
LANDSCAPE = {"表2", "表3", "表4", "表6", "表7", "表8", "表10"}
SPACE = re.compile(r"\s+")
PAGE_NUMBER = re.compile(r"-\d+-")  # the footer "- 14 -" once spaces are gone


def squash(text: str) -> str:
    """Text without any whitespace: PDF extraction breaks lines and spaces CJK from digits."""
    return SPACE.sub("", text)


@dataclass
class Exported:
    docx: Path
    pdf: Path
    pages: list[str]  # pdftotext (reading order), one string per page
    document: docx.document.Document

    @property
    def text(self) -> str:
        """The whole PDF text, squashed, footers removed (a paragraph may cross a page)."""
        return PAGE_NUMBER.sub("", squash("".join(self.pages)))


@pytest.fixture(scope="session")
def exported(tmp_path_factory: pytest.TempPathFactory, filled_reference: Path, lo: ModuleType) -> Exported:
    out = tmp_path_factory.mktemp("export")
    result = export_file(filled_reference, out / "参考案例.docx", out / "参考案例.pdf")
    assert result.pdf is not None and result.pdf.exists()
    text = subprocess.run(["pdftotext", str(result.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return Exported(result.docx, result.pdf, text.split("\f")[:-1] if text.endswith("\f") else text.split("\f"),
                    docx.Document(str(result.docx)))


@pytest.fixture(scope="session")
def recalculated(tmp_path_factory: pytest.TempPathFactory, filled_reference: Path, lo: ModuleType
                 ) -> openpyxl.Workbook:
    """The reference workbook as LibreOffice computes it (values, not our cached ones)."""
    out = tmp_path_factory.mktemp("recalculated")
    (path,) = lo.convert([filled_reference], out, "xlsx")
    return openpyxl.load_workbook(path, data_only=True)


# ── what the seed promises ─────────────────────────────────────────────────────────────
def seed_headings() -> list[str]:
    """第一部分…第五部分 and the fourteen section headings of 第二部分, as the seed's body prints
    them (its 目录 drops 财政拨款 from 六; the body and the narrative keep it)."""
    seed = SEED.read_text(encoding="utf-8")
    body = seed[seed.index("第一部分 部门概况", seed.index("第六部分")):]
    parts = [line.strip() for line in body.splitlines() if re.match(r"第[一二三四五]部分", line.strip())]
    part2 = body[body.index("第二部分"): body.index("第三部分")]
    sections = [line.strip() for line in part2.splitlines()
                if re.match(r"(十[一二三四]|[一二三四五六七八九十])、.*说明$", line.strip())]
    assert len(parts) == 5 and len(sections) == 14
    return parts + sections


def test_the_pdf_carries_the_charts_as_the_word_document_stores_them(exported: Exported, tmp_path: Path) -> None:
    """LibreOffice copies each chart JPEG into the PDF byte for byte (no second compression)."""
    import zipfile

    with zipfile.ZipFile(exported.docx) as z:
        pictures = {z.read(n) for n in z.namelist() if n.startswith("word/media/")}
    assert len(pictures) == 2 and all(p[:2] == b"\xff\xd8" for p in pictures)
    subprocess.run(["pdfimages", "-j", str(exported.pdf), str(tmp_path / "img")], check=True)
    in_pdf = {p.read_bytes() for p in tmp_path.glob("img-*.jpg")}
    assert in_pdf == pictures


@pytest.mark.parametrize("heading", seed_headings())
def test_pdf_has_every_heading_of_the_seed(exported: Exported, heading: str) -> None:
    assert squash(heading) in exported.text


def test_pdf_has_every_table_title_and_label(exported: Exported) -> None:
    for table in load_format().public_tables:
        assert squash(table.title) in exported.text, table.title
        assert squash(table.label or "") in exported.text, table.label


def test_pdf_has_every_paragraph_and_figure_of_the_narrative(exported: Exported, reference_book) -> None:
    story = narrative(reference_book)
    # Lines typed with tabs (the 第一部分 unit list) are exported as a Word table, which the PDF
    # text reads column by column: each cell must be there.
    pieces = [piece for p in story.paragraphs() for piece in p.text.split("\t")]
    missing = [piece for piece in pieces if squash(piece) not in exported.text]
    assert not missing, missing[:3]
    figures = re.compile(r"\d[\d,]*(?:\.\d+)?(?:%|万元)?")
    stated = [f for p in story.paragraphs() for f in figures.findall(p.text)]
    assert len(stated) > 200  # the reference text states a few hundred figures
    assert all(f in exported.text for f in stated)


def test_perf_tables_follow_the_project_summaries(exported: Exported, reference_book) -> None:
    text = exported.text
    first = text.index("项目支出绩效自评表")
    assert text.index(squash("（二）部门决算中项目绩效自评结果")) < first < text.index(squash("（三）部门项目绩效评价结果"))
    assert text.count("项目支出绩效自评表") == reference_book.records["绩效自评"]
    for name in ("公务接待费", "电梯维修维保"):
        assert name in text


# ── geometry ───────────────────────────────────────────────────────────────────────────
def tables_with_sections(document: docx.document.Document) -> list[tuple[object, int]]:
    """(w:tbl, index of the section it belongs to) in document order."""
    out, section = [], 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:tbl"):
            out.append((child, section))
        elif child.tag == qn("w:p") and child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            section += 1
    return out


def public_tables(document: docx.document.Document) -> list[tuple[object, int]]:
    """The eleven public tables: the last eleven tables of the document."""
    return tables_with_sections(document)[-11:]


def test_every_table_fits_its_section(exported: Exported) -> None:
    doc = exported.document
    for tbl, s in tables_with_sections(doc):
        section = doc.sections[s]
        usable = (section.page_width - section.left_margin - section.right_margin) / 635  # twips
        widths = [int(c.get(qn("w:w"))) for c in tbl.iter(qn("w:gridCol"))]
        assert sum(widths) <= usable, (sum(widths), usable)
        assert tbl.find(f"{qn('w:tblPr')}/{qn('w:tblLayout')}").get(qn("w:type")) == "fixed"


def test_wide_tables_are_landscape_on_a4(exported: Exported) -> None:
    doc = exported.document
    for table, (_, s) in zip(load_format().public_tables, public_tables(doc)):
        section = doc.sections[s]
        landscape = section.page_width > section.page_height
        assert landscape == (table.key in LANDSCAPE), table.key
        assert {round(section.page_width.cm, 1), round(section.page_height.cm, 1)} == {21.0, 29.7}


def shown_wrapped(text: str, page: str, most: int = 3) -> bool:
    """``text`` is on ``page`` (pdftotext), in one piece or wrapped in its cell over up to ``most`` lines
    (pdftotext may put a cell's second line apart from its first: each piece is then a line of its own)."""
    if squash(text) in squash(page):
        return True
    lines = {squash(line) for line in page.splitlines() if line.strip()}
    want = squash(text)

    def split(rest: str, left: int) -> bool:
        return rest in lines or left > 1 and any(rest[:i] in lines and split(rest[i:], left - 1)
                                                 for i in range(1, len(rest)))
    return split(want, most)


def test_a_header_wrapped_in_its_cell_is_found_only_when_every_piece_is_a_line_of_the_page() -> None:
    assert shown_wrapped("对附属单位补助支出", "项目\n对附属单位补助支\n合计\n出\n")
    assert shown_wrapped("对附属单位补助支出", "经营支出对附属单位补助支出")
    assert not shown_wrapped("对附属单位补助支出", "项目\n对附属单位补助支\n合计\n")  # its last piece is missing
    assert not shown_wrapped("对附属单位补助支出", "对\n合计\n附\n合计\n属\n合计\n单位补助支出\n")  # four pieces


def test_each_tables_rightmost_header_is_on_its_title_page_inside_the_page(exported: Exported) -> None:
    """The last column's header appears on the page of the title, and no word runs past the edge."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(exported.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bbox, re.S)
    for table in load_format().public_tables:
        title_pages = [i for i, p in enumerate(exported.pages) if squash(table.title) in squash(p)
                       and squash(table.label or "") in squash(p)]
        assert title_pages, table.title
        page = title_pages[0]
        last = table.blocks[-1].columns[-1].path[-1]
        assert shown_wrapped(last, exported.pages[page]), (table.key, last)
        width, _, words = pages[page]
        right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', words))
        assert right <= float(width) - 28, (table.key, right, width)  # inside a 1 cm margin at least


def header_rows(t: docx.table.Table) -> int:
    """Rows marked to repeat at the top of every page (w:tblHeader)."""
    return sum(1 for row in t.rows if row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None)


def test_header_rows_repeat_and_merge_as_in_the_workbook(exported: Exported, filled_reference: Path) -> None:
    wb = openpyxl.load_workbook(filled_reference)
    doc_tables = [docx.table.Table(tbl, exported.document) for tbl, _ in public_tables(exported.document)]
    for table, t in zip(load_format().public_tables, doc_tables):
        ws = wb[table.sheet]
        repeated = header_rows(t)
        assert repeated >= 1, table.key
        for merged in ws.merged_cells.ranges:
            if merged.min_row < HEADER_ROW or merged.max_row >= HEADER_ROW + repeated:
                continue
            anchor = t.cell(merged.min_row - HEADER_ROW, merged.min_col - 1)._tc
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    assert t.cell(r - HEADER_ROW, c - 1)._tc is anchor, (table.key, merged.coord)
            assert t.cell(merged.min_row - HEADER_ROW, merged.min_col - 1).text == ws.cell(merged.min_row,
                                                                                           merged.min_col).value


# ── numbers ────────────────────────────────────────────────────────────────────────────
def shown(value: object, number_format: str) -> str:
    """A cell value as Excel shows it with its number format (#,##0.00 or 0)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    d = Decimal(repr(value))
    if number_format == "#,##0.00":
        return f"{d.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"
    if number_format in ("0", "General") and d == d.to_integral_value():
        return str(int(d))
    return str(d)


def test_every_amount_cell_equals_the_recalculated_workbook(exported: Exported, recalculated, filled_reference
                                                            ) -> None:
    styles = openpyxl.load_workbook(filled_reference)  # number formats (the recalculated copy keeps them too)
    doc_tables = [docx.table.Table(tbl, exported.document) for tbl, _ in public_tables(exported.document)]
    compared = 0
    for table, t in zip(load_format().public_tables, doc_tables):
        ws, fmt_ws = recalculated[table.sheet], styles[table.sheet]
        value_cols = []
        c = 0
        for b in table.blocks:
            c += len(b.label_columns)
            value_cols += [c + i + 1 for i in range(len(b.columns))]
            c += len(b.columns)
        for r in range(header_rows(t), len(t.rows)):
            sheet_row = HEADER_ROW + r
            for col in value_cols:
                value = ws.cell(sheet_row, col).value
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    expected = shown(value, fmt_ws.cell(sheet_row, col).number_format)
                    assert t.cell(r, col - 1).text == expected, (table.key, sheet_row, col)
                    compared += 1
                else:
                    assert t.cell(r, col - 1).text == (value or ""), (table.key, sheet_row, col)
        note = fmt_ws.cell(HEADER_ROW + len(t.rows), 1).value
        assert isinstance(note, str) and note.startswith("注"), (table.key, note)
    assert compared > 500


def test_amounts_are_right_aligned_and_formatted(exported: Exported) -> None:
    doc_tables = [docx.table.Table(tbl, exported.document) for tbl, _ in public_tables(exported.document)]
    amount = re.compile(r"^\d{1,3}(,\d{3})*\.\d{2}$")
    seen = 0
    for t in doc_tables:
        for row in t.rows:
            for cell in row.cells:
                if amount.match(cell.text):
                    assert cell.paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
                    seen += 1
    assert seen > 300


def test_totals_come_from_the_inputs_not_the_cached_values(tmp_path: Path, reference_path: Path) -> None:
    """A workbook holding inputs only (no formulas, no cached totals) exports the same totals."""
    from juesuan.book_io import new_book

    book = read_data(reference_path)
    bare = tmp_path / "inputs-only.xlsx"
    new_book(book, bare, fill=False)
    result = export_file(bare, tmp_path / "out.docx")
    t1 = docx.table.Table(public_tables(docx.Document(str(result.docx)))[0][0], None)
    texts = [c.text for row in t1.rows for c in row.cells]
    assert "3,041.69" in texts and "3,041.67" in texts and "3,041.07" in texts  # 总计, 本年收入/支出合计


# ── the file itself ────────────────────────────────────────────────────────────────────
def test_docx_parts_parse_and_libreoffice_round_trips(exported: Exported, lo: ModuleType, tmp_path: Path) -> None:
    with zipfile.ZipFile(exported.docx) as z:
        assert z.testzip() is None
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(z.read(name))
    copy = tmp_path / "roundtrip.docx"
    shutil.copyfile(exported.docx, copy)
    (again,) = lo.convert([copy], tmp_path / "out", "docx")
    reread = docx.Document(str(again))
    assert len(reread.tables) == len(exported.document.tables)


def test_chinese_fonts_are_named_explicitly(exported: Exported) -> None:
    styles = exported.document.styles
    for name in ("Normal", "Heading 1", "Heading 2", "Title", "表格文字", "表格标题"):
        fonts = styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) in {"宋体", "仿宋", "黑体", "楷体"}, name
        assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:eastAsiaTheme")) is None, name
    defaults = styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:eastAsia")) == "zh-CN"
    pdffonts = subprocess.run(["pdffonts", str(exported.pdf)], capture_output=True, text=True).stdout
    assert "DejaVu" not in pdffonts  # Chinese printed with a Chinese face, never a fallback


def test_pdf_prints_song_with_the_ming_stand_in_and_hei_with_the_sans_one_as_truetype(exported: Exported) -> None:
    """The Makefile installs the Arphic and WenQuanYi faces: 宋体/仿宋 print in AR PL UMing, 黑体 in
    WenQuanYi Micro Hei,楷体 in AR PL UKai, each embedded as a TrueType subset (no Noto CFF → Type 1)."""
    rows = subprocess.run(["pdffonts", str(exported.pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    faces = {row.split()[0].split("+", 1)[-1]: row.split()[1] for row in rows}
    assert {"UMingCN", "WenQuanYiMicroHei", "UKaiCN"} <= set(faces), faces
    assert all(kind == "TrueType" for kind in faces.values()), faces


def test_cover_and_contact_come_from_unit_info(exported: Exported, reference_book) -> None:
    first = squash(exported.pages[0])
    for name in ("部门名称", "部门负责人", "财务负责人", "编制人", "报送日期"):
        value = reference_book.text(("单位信息", name, "值"))
        assert squash(f"{name}：{value}") in first, name
    assert squash(reference_book.text(("单位信息", "联系电话", "值"))) in exported.text


def test_first_page_of_each_part_as_png(exported: Exported, tmp_path_factory: pytest.TempPathFactory,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Renders the first page of every part (and the first of each kind of table) for a person."""
    out = tmp_path_factory.mktemp("export_pages")
    toc = next(i for i, p in enumerate(exported.pages) if "目录" in p)
    wanted = {}
    for heading in seed_headings()[:5]:
        wanted[heading] = next(i for i, p in enumerate(exported.pages) if i > toc and squash(heading) in squash(p))
    wanted["公开01表"] = next(i for i, p in enumerate(exported.pages) if "公开01表" in squash(p))
    wanted["公开10表"] = next(i for i, p in enumerate(exported.pages) if "公开10表" in squash(p))
    wanted["项目支出绩效自评表"] = next(i for i, p in enumerate(exported.pages) if "项目支出绩效自评表" in squash(p))
    assert list(wanted.values())[:5] == sorted(list(wanted.values())[:5])
    for n, (name, page) in enumerate(wanted.items()):
        prefix = out / f"{n + 1:02d}-page{page + 1}"
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", "-f", str(page + 1), "-l", str(page + 1),
                        str(exported.pdf), str(prefix)], check=True)
        assert prefix.with_suffix(".png").stat().st_size > 5000
    with capsys.disabled():
        print(f"\n[export] page previews: {out}")


# ── front ends ─────────────────────────────────────────────────────────────────────────
def test_cli_without_libreoffice_is_a_clear_input_error(tmp_path: Path, filled_reference: Path, monkeypatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from juesuan.cli import main

    monkeypatch.delenv("JUESUAN_SOFFICE", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    status = main(["export", str(filled_reference), "--docx", str(tmp_path / "a.docx"), "--pdf",
                   str(tmp_path / "a.pdf")])
    err = capsys.readouterr().err
    assert status == 2
    assert "LibreOffice" in err and "导出 PDF" in err and "Word" in err
    assert not (tmp_path / "a.docx").exists()  # nothing half-done


def test_small_book_exports_and_lists_what_is_missing(tmp_path: Path) -> None:
    book = read_data(ROOT / "tests" / "data" / "small.json")
    result = export_book(book, tmp_path / "small.docx")
    assert result.pdf is None and result.tables == 11 and result.projects == 1
    assert any("财务负责人" in m for m in result.missing)  # the cover names the empty 单位信息 entries
    doc = docx.Document(str(result.docx))
    assert any("本单位无国有资本经营预算财政拨款收支" in p.text for p in doc.paragraphs)  # 表9's 注


def test_default_paths_sit_next_to_the_workbook(tmp_path: Path) -> None:
    d, p = default_paths(tmp_path / "部门.xlsx")
    assert d == tmp_path / "部门_决算公开.docx" and p == tmp_path / "部门_决算公开.pdf"


def test_the_word_contents_shows_the_page_numbers_the_pdf_prints(exported: Exported) -> None:
    """One conversion: LibreOffice numbers the PDF's 目录 from PAGEREF fields; the Word document's
    fields show the same numbers (read back from the PDF) before Word updates them."""
    from pages_support import TOC_LINE

    with zipfile.ZipFile(exported.docx) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    shown = [int(n) for n in re.findall(r'PAGEREF _JsToc\d+ </w:instrText></w:r><w:r><w:fldChar '
                                        r'w:fldCharType="separate"/></w:r><w:r><w:t>(\d+)</w:t>', xml)]
    toc = next(i for i, p in enumerate(exported.pages) if p.strip().startswith("目录"))
    printed = [int(m.group("page")) for p in exported.pages[toc:toc + 3]
               for m in map(TOC_LINE.match, (ln.strip() for ln in p.splitlines())) if m]
    assert len(shown) >= 20 and shown == printed
