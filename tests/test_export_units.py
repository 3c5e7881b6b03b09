"""导出, piece by piece: number formatting, table grids, merges, the Word table XML, charts, fonts."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from lxml import etree

from juesuan.data_file import read_data
from juesuan.export.charts import HEIGHT, WIDTH, Slice, draw_pie, pie_chart
from juesuan.export.content import book_values, cover_lines
from juesuan.export.fonts import FALLBACKS, missing_fonts, substitution_registry
from juesuan.export.grid import Grid, GridCell, format_value, score_text
from juesuan.formats.nmg_2023.perf_tables import perf_tables
from juesuan.export.public_tables import printed_table
from juesuan.export.tables import table_xml

ROOT = Path(__file__).resolve().parents[1]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module")
def small():
    return read_data(ROOT / "tests" / "data" / "small.json")


@pytest.mark.parametrize("value, kind, text", [
    (Decimal("3041.6912"), "amount", "3,041.69"),
    (Decimal("0.005"), "amount", "0.01"),  # half up, as Excel shows it
    (Decimal("0"), "amount", "0.00"),
    (None, "amount", ""),  # an empty input stays empty, as on the sheet
    (2, "count", "2"),
    (Decimal("98.30"), "number", "98.3"),
    (Decimal("99.00"), "number", "99"),
    ("正向", "text", "正向"),
])
def test_format_value(value, kind, text):
    assert format_value(value, kind) == text


def test_score_text_keeps_two_decimals_at_most():
    assert score_text(Decimal("80.745")) == "80.75"


def test_table10_headers_merge_three_levels(reference_book):
    table = reference_book.format.table("表10")
    grid = printed_table(reference_book, table, book_values(reference_book)).grid
    top, middle = grid.rows[0], grid.rows[1]
    assert (top[0].text, top[0].colspan) == ("预算数", 6) and (top[6].text, top[6].colspan) == ("决算数", 6)
    assert (middle[0].text, middle[0].rowspan) == ("合计", 2)
    assert (middle[2].text, middle[2].colspan) == ("公务用车购置及运行维护费", 3)
    assert grid.header_rows == 4  # three header levels and the 栏次 row
    assert [c.text for c in grid.rows[3]] == [str(i) for i in range(1, 13)]
    assert grid.rows[4][6].text == "66.20"


def test_code_table_rows_total_class_and_item(reference_book):
    table = reference_book.format.table("表5")
    grid = printed_table(reference_book, table, book_values(reference_book)).grid
    total = grid.rows[grid.header_rows]
    assert (total[0].text, total[0].colspan, total[1]) == ("合计", 2, None)
    assert total[2].text == "3,038.13" and total[2].align == "right" and total[2].bold
    codes = [row[0].text for row in grid.rows[grid.header_rows + 1:]]
    assert codes[:3] == ["201", "20103", "2010301"]
    cls, item = grid.rows[grid.header_rows + 1], grid.rows[grid.header_rows + 3]
    assert cls[1].bold and cls[1].indent == 0 and not item[1].bold and item[1].indent == 2


def test_empty_code_table_prints_its_total_and_note(small):
    printed = printed_table(small, small.format.table("表9"), book_values(small))
    assert len(printed.grid.rows) == printed.grid.header_rows + 1  # 合计 only
    assert printed.footnote == "注：本单位无国有资本经营预算财政拨款收支，故本表为空表。"
    assert printed.label == "公开09表" and printed.dept_line == "部门：示例局" and printed.unit_line == "金额单位：万元"


def test_perf_table_of_the_reference_case(reference_book):
    tables = perf_tables(reference_book, book_values(reference_book))
    assert [t.project for t in tables] == ["公务接待费", "维护费", "社会力量购买服务", "职工食堂补贴", "电梯维修维保"]
    grid = tables[0].grid
    texts = [[c.text if c else None for c in row] for row in grid.rows]
    assert texts[0][:2] == ["项目名称", "公务接待费"]
    money = next(r for r in texts if r[1] == "年度资金总额")
    assert money[3] == "80.00" and money[6] == "66.20" and money[9] == "82.75"
    total = texts[-1]
    assert total[0] == "总分" and total[9] == "100"  # 资金分值 10 + indicators 90
    first_level = [row[1] for row in grid.rows if row[1] is not None and row[1].text == "产出指标"]
    assert first_level and first_level[0].rowspan == 4  # 数量 / 质量 / 时效 / 成本
    grid.check()


def test_word_table_never_exceeds_the_usable_width_and_merges_vertically():
    grid = Grid([1, 2, 3], header_rows=1)
    grid.add_row()
    grid.add_row()
    grid.place(0, 0, GridCell("项目", rowspan=2))
    grid.place(0, 1, GridCell("金额", colspan=2))
    grid.rows[1][1], grid.rows[1][2] = GridCell("1.00", "right"), GridCell("2.00", "right")
    tbl = etree.fromstring(f'<w:body xmlns:w="{W}">{table_xml(grid, 9001)}</w:body>')[0]
    widths = [int(c.get(qn("w:w"))) for c in tbl.iter(qn("w:gridCol"))]
    assert sum(widths) <= 9001
    rows = tbl.findall(qn("w:tr"))
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert rows[1].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
    first_cells = [tr.findall(qn("w:tc"))[0] for tr in rows]
    assert first_cells[0].find(f"{qn('w:tcPr')}/{qn('w:vMerge')}").get(qn("w:val")) == "restart"
    assert first_cells[1].find(f"{qn('w:tcPr')}/{qn('w:vMerge')}").get(qn("w:val")) is None
    assert rows[0].findall(qn("w:tc"))[1].find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}").get(qn("w:val")) == "2"


@pytest.mark.parametrize("size", [9.0, 8.0])
def test_a_cell_repeats_only_what_the_table_text_style_does_not_say(size: float):
    """JsTableText is 9 pt, left: a 9-pt left cell has no size and no alignment of its own; a right
    cell keeps its alignment and an 8-pt table keeps its size (the look is the style's either way)."""
    grid = Grid([1, 1], header_rows=0, font_size=size)
    grid.add_row()
    grid.rows[0][0], grid.rows[0][1] = GridCell("名称", "left", bold=True), GridCell("1.00", "right")
    left, right = etree.fromstring(f'<w:body xmlns:w="{W}">{table_xml(grid, 9000)}</w:body>')[0].iter(qn("w:tc"))
    assert left.find(f".//{qn('w:jc')}") is None
    assert right.find(f".//{qn('w:jc')}").get(qn("w:val")) == "right"
    for cell in (left, right):
        sz = cell.find(f".//{qn('w:rPr')}/{qn('w:sz')}")
        assert (sz is None) if size == 9.0 else (sz.get(qn("w:val")) == "16")
    assert left.find(f".//{qn('w:rPr')}/{qn('w:b')}") is not None  # bold is not the style's: kept


def test_pie_charts_are_full_size_jpegs_even_without_data():
    from PIL import Image

    from juesuan.export.package import picture_size

    for slices in ([Slice("基本支出", Decimal("1468.45")), Slice("项目支出", Decimal("1572.62"))],
                   [Slice("其他收入", Decimal("0"))], []):
        picture = pie_chart(slices)
        assert picture[:2] == b"\xff\xd8"
        assert Image.open(io.BytesIO(picture)).size == (1500, 760) == picture_size(picture)[:2]


def test_a_pie_scaled_only_where_it_is_drawn_is_the_whole_image_scaled_within_jpeg_noise():
    from PIL import Image, ImageChops

    long_names = [Slice(f"第{i}项收入名称很长很长很长很长很长很长很长很长", Decimal(i * 37 + 1)) for i in range(9)]
    for slices in ([Slice("基本支出", Decimal("1468.45")), Slice("项目支出", Decimal("1572.62"))], [], long_names,
                   [Slice("其他收入", Decimal("0.01"))]):
        image, _ = draw_pie(slices)
        whole = image.reduce(2)
        shown = Image.open(io.BytesIO(pie_chart(slices)))
        assert shown.mode == "RGB" and shown.size == whole.size
        diff = ImageChops.difference(shown, whole).convert("L")
        # JPEG at quality 95 without chroma subsampling: the mean error under half a level, no pixel
        # more than 16 levels off (at quality 90 with subsampled colour, the legend's swatch edges are)
        assert sum(i * n for i, n in enumerate(diff.histogram())) / (WIDTH * HEIGHT) < 0.5
        assert diff.getextrema()[1] <= 16


def test_picture_size_reads_png_and_jpeg_and_refuses_anything_else():
    from PIL import Image

    from juesuan.export.package import picture_size

    for fmt, ext in (("PNG", "png"), ("JPEG", "jpeg")):
        out = io.BytesIO()
        Image.new("RGB", (321, 123), "white").save(out, fmt)
        assert picture_size(out.getvalue()) == (321, 123, ext)
    jpeg = out.getvalue()  # the JPEG just made, with a fill byte before its second marker: the same size
    assert picture_size(jpeg[:2] + b"\xff" + jpeg[2:]) == (321, 123, "jpeg")
    with pytest.raises(ValueError):
        picture_size(b"GIF89a" + bytes(20))
    with pytest.raises(ValueError):
        picture_size(jpeg[:2] + b"\x00" + jpeg[2:])  # no marker where one must be


def test_font_stand_ins_for_this_machine_are_valid_profile_items():
    pairs = missing_fonts()
    assert set(pairs) >= {"宋体", "黑体"}  # a machine with the Makefile's fonts and no Windows fonts
    assert set(pairs.values()) <= {face for faces in FALLBACKS.values() for face in faces}
    root = etree.fromstring(f'<oor:items xmlns:oor="http://openoffice.org/2001/registry">'
                            f'{substitution_registry(pairs)}</oor:items>'.encode())
    assert len(root) == len(pairs) + 1


def test_each_missing_font_takes_the_first_installed_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    from juesuan.export import fonts

    monkeypatch.setattr(fonts, "installed_families", lambda: {"Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UMing CN"})
    assert fonts.missing_fonts() == {"宋体": "AR PL UMing CN", "仿宋": "AR PL UMing CN", "楷体": "AR PL UMing CN",
                                     "黑体": "Noto Sans CJK SC", "SimSun": "AR PL UMing CN",
                                     "FangSong": "AR PL UMing CN", "KaiTi": "AR PL UMing CN",
                                     "SimHei": "Noto Sans CJK SC"}
    monkeypatch.setattr(fonts, "installed_families", lambda: {"宋体", "Noto Serif CJK SC"})
    assert fonts.missing_fonts() == {"仿宋": "Noto Serif CJK SC", "楷体": "Noto Serif CJK SC",
                                     "SimSun": "Noto Serif CJK SC", "FangSong": "Noto Serif CJK SC",
                                     "KaiTi": "Noto Serif CJK SC"}  # 宋体 installed: kept; no sans face: 黑体 left


def test_cover_shows_a_placeholder_for_each_missing_entry(small):
    lines, missing = cover_lines(small)
    assert dict(lines)["部门负责人"] == "张三"
    assert dict(lines)["编制人"] == "【请填写「单位信息」表：编制人】"
    assert len(missing) == 3  # 财务负责人, 编制人, 报送日期


def test_the_cached_constant_parts_of_the_word_package_are_the_ones_made_from_the_template(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import tempfile

    from juesuan.export.package import constant_members, make_template

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    constant_members.cache_clear()
    try:
        made = make_template()
        first = constant_members()  # made, and written to the cache file
        constant_members.cache_clear()
        again = constant_members()  # read from the cache file
        assert list((tmp_path / f"juesuan-cache-{os.getuid()}").glob("docx-template-*.bin"))
        assert first == made and again == made
        assert {m.name for m in made.members} >= {"word/styles.xml", "word/settings.xml", "word/theme/theme1.xml"}
    finally:
        constant_members.cache_clear()


@pytest.mark.parametrize("data", ["reference", "national"])
def test_every_style_an_exported_document_uses_is_defined_and_unused_built_ins_are_pruned(
        data: str, tmp_path: Path) -> None:
    import re
    import zipfile

    from juesuan.export import export_book

    folder = Path(__file__).resolve().parents[1] / "src" / "juesuan" / "reference"
    book = read_data(folder / ("national-2023-reference.json" if data == "national" else "nmg-2023-reference.json"))
    export_book(book, tmp_path / "d.docx")
    with zipfile.ZipFile(tmp_path / "d.docx") as z:
        parts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")}
    styles = parts.pop("word/styles.xml")
    defined = set(re.findall(r'<w:style [^>]*w:styleId="([^"]+)"', styles))
    used = {ref for xml in parts.values() for ref in re.findall(r'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', xml)}
    used |= set(re.findall(r'<w:(?:basedOn|link|next) w:val="([^"]+)"', styles))
    assert used and used <= defined, used - defined
    assert "Heading9" not in defined and "<w:latentStyles" not in styles  # the template's unused ones are gone
    assert len(defined) < 40
