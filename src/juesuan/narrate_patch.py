"""Narrate without loading the workbook: the sheet 决算情况说明 and its charts added as parts.

The openpyxl writer (:func:`juesuan.narrate.write_narrative_sheet`) decides how the sheet looks;
``juesuan build-templates`` runs it once on the format's template with a sample narrative and
ships the result (``workbook_templates/<format>.narrative.xlsx``, :func:`kit_bytes`).  Per
command, the batch's renderer (:class:`juesuan.batch.narrative_sheet.NarrativeParts`) fills
that sheet with the department's paragraphs; this module adds it to the user's file: the sheet,
its drawing and two charts under part names the file does not use yet, their content types and
relationships, the sheet in ``workbook.xml`` with its print area, the paragraph styles in
``styles.xml``, and every formula's stored value (:func:`juesuan.narrate.save.formula_values`'s
rules).  Every other part is copied as it is (:mod:`juesuan.xlsx_patch`).

A sheet juesuan wrote before is replaced at its place (its drawing and charts removed with it).
Left to the openpyxl path (:class:`~juesuan.xlsx_patch.Cannot`): a narrative sheet edited by
hand (kept as 决算情况说明(手改N) beside the new one), one holding more than its text and charts,
an odd styles.xml or workbook.xml.
"""

from __future__ import annotations

import re
import time
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from juesuan.xlsx_patch import Cannot, Package, calc_on_load, defined_names, part_name, rels_name

NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET = f"{NS_R}/worksheet"


def kit_path(format_id: str) -> Path:
    from importlib import resources

    return Path(str(resources.files("juesuan.workbook_templates").joinpath(f"{format_id}.narrative.xlsx")))


def kit_bytes(format_id: str) -> bytes:
    """The shipped narrative kit as ``juesuan build-templates`` makes it (openpyxl, ≈0.3 s)."""
    from juesuan.batch.prerender import prerendered_template
    from juesuan.template import reproducible

    return reproducible(prerendered_template(format_id, narrate=True, notes=False))


@dataclass
class Kit:
    """The narrative sheet of the shipped kit, split for the renderer, and the parts around it."""

    parts: Any  # NarrativeParts
    static: dict[str, bytes]
    content_types: str
    styles: str  # the kit's styles.xml (the paragraphs' cell formats)
    charts: list[str]  # chart part names, in the drawing's order


@lru_cache(maxsize=None)
def kit(format_id: str) -> Kit:
    from juesuan.batch.narrative_sheet import NarrativeParts
    from juesuan.batch.template_parts import ExtraSheet, TemplateParts
    from juesuan.cached import sheet_paths
    from juesuan.formats import load_format
    from juesuan.narrate.sheet import SHEET

    path = kit_path(format_id)
    if not path.exists():
        raise Cannot(f"no narrative kit for {format_id}")
    with zipfile.ZipFile(BytesIO(path.read_bytes())) as z:
        order = z.namelist()
        static = {n: z.read(n) for n in order}
        sheet = sheet_paths(z)[SHEET]
    parts = TemplateParts(load_format(format_id), "", static, order, [],
                          [ExtraSheet(SHEET, sheet, static[sheet].decode("utf-8"))])
    narrative = NarrativeParts.parse(parts)
    drawing_rels = static[rels_name(narrative.drawing_path)].decode("utf-8")
    charts = [part_name(narrative.drawing_path, t) for t in re.findall(r'Target="([^"]+)"', drawing_rels)]
    return Kit(narrative, static, static["[Content_Types].xml"].decode("utf-8"),
               static["xl/styles.xml"].decode("utf-8"), charts)


def narrate_patched(src: Path, format_id: str | None) -> tuple[Package, Any, Any, Any]:
    """(the patched package, WriteResult, the Narrative, the FoundBook) for ``src``; raises
    :class:`Cannot` (or any error) when the openpyxl path must decide."""
    from juesuan.fill_patch import grid_formulas, stored_lookup
    from juesuan.lint import name_refs
    from juesuan.narrate import narrative
    from juesuan.narrate.save import values_of_formulas
    from juesuan.narrate.sheet import SHEET, WriteResult
    from juesuan.session import Session
    from juesuan.sheets.charts import chart_sources

    s = Session.for_reading(src, format_id)
    book, found, grids = s.book, s.found, s.grids
    assert found is not None and grids is not None
    pkg = Package.open(src)
    sheets = pkg.sheet_paths()
    if SHEET in sheets:
        if _hand_edited(grids.get(SHEET, [])):
            raise Cannot(f"the sheet {SHEET} was edited by hand (kept as a copy by the openpyxl path)")
        _remove_sheet(pkg, SHEET, sheets[SHEET])
        sheets = {t: p for t, p in sheets.items() if t != SHEET}
    overlay = _text_numbers(pkg, sheets, found.text_numbers)
    k = kit(s.pack.id)
    charts = _charts(k, chart_sources(s.pack, found))
    t0 = time.perf_counter()
    text = narrative(book)
    rendered = k.parts.render(text)
    t1 = time.perf_counter()
    area = re.search(r"_xlnm\.Print_Area[^>]*>[^<]*\$A\$1:\$A\$(\d+)", rendered["xl/workbook.xml"].decode("utf-8"))
    assert area is not None
    sheet_xml = _restyle(pkg, k, rendered[k.parts.sheet.path].decode("utf-8"))
    _add_sheet(pkg, k, SHEET, sheet_xml, rendered[k.parts.drawing_path], charts, int(area.group(1)))
    names = name_refs(defined_names(pkg))
    titles = [*sheets, SHEET]
    texts = grid_formulas({t: g for t, g in grids.items() if t != SHEET})
    values = values_of_formulas(texts, titles, names, stored_lookup(pkg, sheets, grids, overlay), book,
                                found)
    from juesuan.cached import store_in_package

    store_in_package(pkg, values)
    calc_on_load(pkg)
    lines = sum(1 for _ in text.paragraphs())
    digest = re.search(r"juesuan-narrative-sha256:([0-9a-f]+)", sheet_xml)
    s.seconds.update(narrate=t1 - t0, patch=time.perf_counter() - t1)
    return pkg, WriteResult(SHEET, None, lines, digest.group(1) if digest else ""), text, found


def _hand_edited(grid: Any) -> bool:
    """:func:`juesuan.narrate.sheet.hand_edited` on the sheet as read: its column A no longer
    hashes to the digest juesuan stored in C1 (or it has none)."""
    from juesuan.narrate.sheet import SheetText

    return SheetText.of(grid).by_hand


def _text_numbers(pkg: Package, sheets: dict[str, str], numbers: Any) -> dict[Any, Any]:
    """Amounts typed as text written back as numbers, as narrate's openpyxl path does (Excel's
    SUM would skip the text); returns them by cell for the formulas' evaluation."""
    from juesuan.xlsx_patch import Cell, SheetPatch
    from juesuan.xlsx_write import cell_value

    patches: dict[str, SheetPatch] = {}
    overlay: dict[Any, Any] = {}
    for (sheet, r, c), number in numbers.items():
        value = cell_value(number)
        patches.setdefault(sheet, SheetPatch(sheet)).cells[(r, c)] = Cell(0, number=value)
        overlay[(sheet, r, c)] = value
    for sheet, patch in patches.items():
        pkg.put(sheets[sheet], patch.apply(pkg.text(sheets[sheet])))
    return overlay


def _charts(k: Kit, sources: list[tuple[Any, list[Any]]]) -> list[bytes]:
    """The kit's charts, each fed by the cells :func:`juesuan.sheets.charts.chart_cells` finds in
    this workbook (they move when rows were inserted above a table's header).  A kit chart must
    plot as many cells of the same sheet as its chart spec, or the workbook goes to openpyxl."""
    if len(sources) != len(k.charts):
        raise Cannot("the kit's charts are not the pack's")
    out = []
    for (_, cells), part in zip(sources, k.charts):
        xml = k.static[part].decode("utf-8")
        cat = re.search(r"<cat>.*?<f>([^<]*)</f>", xml, re.S)
        val = re.search(r"<val>.*?<f>([^<]*)</f>", xml, re.S)
        if cat is None or val is None or xml.count("<f>") != 2 or cat.start() > val.start():
            raise Cannot(f"unexpected chart {part} in the kit")
        labels, data = _range(cells[0][0], cells[-1][0]), _range(cells[0][1], cells[-1][1])
        if _shape(cat.group(1)) != _shape(labels) or _shape(val.group(1)) != _shape(data):
            raise Cannot(f"the kit's chart {part} plots other cells")
        out.append((xml[:cat.start(1)] + labels + xml[cat.end(1):val.start(1)] + data + xml[val.end(1):]).encode())
    return out


def _shape(ref: str) -> tuple[str, int, int]:
    """(sheet, rows, columns) of ``'sheet'!$A$7:$C$14``."""
    m = re.fullmatch(r"(.*)!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", ref)
    if m is None:
        raise Cannot(f"unexpected chart reference {ref}")
    from juesuan.expr import column_index

    return m.group(1), int(m.group(5)) - int(m.group(3)), column_index(m.group(4)) - column_index(m.group(2))


def _range(first: Any, last: Any) -> str:
    from juesuan.expr import column_letter

    return (f"'{first.sheet}'!${column_letter(first.col)}${first.row}:${column_letter(last.col)}${last.row}")


# ── styles ───────────────────────────────────────────────────────────────────────────────
def _restyle(pkg: Package, k: Kit, xml: str) -> str:
    """The rendered sheet with the kit's cell format indexes mapped to the user's styles.xml
    (fonts and cell formats appended there when it has no equal one)."""
    used = sorted({int(m) for m in re.findall(r'<c r="[A-Z]+\d+" s="(\d+)"', xml)})
    if not used:
        return xml
    theirs = pkg.text("xl/styles.xml")
    kit_fonts = _items(k.styles, "fonts", "font")
    kit_xfs = _items(k.styles, "cellXfs", "xf")
    fonts = _items(theirs, "fonts", "font")
    xfs = _items(theirs, "cellXfs", "xf")
    new_fonts, new_xfs = list(fonts), list(xfs)
    index: dict[int, int] = {}
    for i in used:
        xf = kit_xfs[i]
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', xf[:xf.index(">")]))
        if any(attrs.get(a, "0") != "0" for a in ("fillId", "borderId", "numFmtId", "xfId")):
            raise Cannot("a paragraph style beyond a font and an alignment")
        font = kit_fonts[int(attrs.get("fontId", "0"))]
        if font not in new_fonts:
            new_fonts.append(font)
        mine = re.sub(r'fontId="\d+"', f'fontId="{new_fonts.index(font)}"', xf, count=1)
        if mine not in new_xfs:
            new_xfs.append(mine)
        index[i] = new_xfs.index(mine)
    if new_xfs != xfs:
        theirs = _replace_items(theirs, "fonts", "font", new_fonts)
        theirs = _replace_items(theirs, "cellXfs", "xf", new_xfs)
        pkg.put("xl/styles.xml", theirs)
    return re.sub(r'(<c r="[A-Z]+\d+" s=")(\d+)"', lambda m: f'{m.group(1)}{index[int(m.group(2))]}"', xml)


def _block(xml: str, tag: str) -> re.Match[str]:
    m = re.search(rf"<{tag}\b[^>]*?(?:/>|>(.*?)</{tag}>)", xml, re.S)
    if m is None:
        raise Cannot(f"styles.xml has no <{tag}>")
    return m


def _items(xml: str, tag: str, item: str) -> list[str]:
    body = _block(xml, tag).group(1) or ""
    return re.findall(rf"<{item}\b[^>]*?(?:/>|>.*?</{item}>)", body, re.S)


def _replace_items(xml: str, tag: str, item: str, items: list[str]) -> str:
    m = _block(xml, tag)
    head = re.sub(r'\scount="\d+"', "", re.match(rf"<{tag}\b[^>]*?(?=/?>)", m.group(0)).group(0))  # type: ignore[union-attr]
    return xml[:m.start()] + f'{head} count="{len(items)}">' + "".join(items) + f"</{tag}>" + xml[m.end():]


# ── parts ────────────────────────────────────────────────────────────────────────────────
def _free(pkg: Package, pattern: str) -> str:
    n = 1
    while pkg.has(pattern.format(n)):
        n += 1
    return pattern.format(n)


def _add_sheet(pkg: Package, k: Kit, title: str, sheet_xml: str, drawing: bytes, chart_xml: list[bytes],
               last_row: int) -> None:
    """The sheet, its drawing and charts as new parts, listed last in workbook.xml."""
    sheet = _free(pkg, "xl/worksheets/sheet{}.xml")
    drawing_part = _free(pkg, "xl/drawings/drawing{}.xml")
    charts: list[str] = []
    for xml in chart_xml:
        new = _free(pkg, "xl/charts/chart{}.xml")
        pkg.put(new, xml)
        charts.append(new)
    pkg.put(sheet, sheet_xml)
    pkg.put(rels_name(sheet), re.sub(r'Target="[^"]*drawing[^"]*"', f'Target="/{drawing_part}"',
                                     k.static[rels_name(k.parts.sheet.path)].decode("utf-8")))
    pkg.put(drawing_part, drawing)
    rels = k.static[rels_name(k.parts.drawing_path)].decode("utf-8")
    for old, new in zip(k.charts, charts):
        rels = re.sub(rf'Target="[^"]*{re.escape(old.rsplit("/", 1)[1])}"', f'Target="/{new}"', rels)
    pkg.put(rels_name(drawing_part), rels)
    types = pkg.text("[Content_Types].xml")
    added = ""
    for old, new in [(k.parts.sheet.path, sheet), (k.parts.drawing_path, drawing_part), *zip(k.charts, charts)]:
        ct = re.search(rf'PartName="/{re.escape(old)}" ContentType="([^"]+)"', k.content_types)
        if ct is None:
            raise Cannot(f"the kit has no content type for {old}")
        added += f'<Override PartName="/{new}" ContentType="{ct.group(1)}"/>'
    if "</Types>" not in types:
        raise Cannot("odd [Content_Types].xml")
    pkg.put("[Content_Types].xml", types.replace("</Types>", added + "</Types>"))
    wb_rels = pkg.text("xl/_rels/workbook.xml.rels")
    ids = set(re.findall(r'Id="([^"]+)"', wb_rels))
    n = len(ids) + 1
    while f"rId{n}" in ids:
        n += 1
    rid = f"rId{n}"
    if "</Relationships>" not in wb_rels:
        raise Cannot("odd workbook.xml.rels")
    pkg.put("xl/_rels/workbook.xml.rels", wb_rels.replace(
        "</Relationships>", f'<Relationship Type="{WORKSHEET}" Target="/{sheet}" Id="{rid}"/></Relationships>'))
    _add_to_workbook(pkg, title, rid, last_row)


PLACE = "\x00juesuan-sheet\x00"  # where a removed sheet stood in workbook.xml's <sheets>


def _remove_sheet(pkg: Package, title: str, part: str) -> None:
    """The sheet juesuan wrote before, with its drawing and charts, taken out of the package;
    its place in ``<sheets>`` is kept for the new one (openpyxl puts it back at the same index)."""
    rels = pkg.text(rels_name(part)) if pkg.has(rels_name(part)) else ""
    targets = re.findall(r"<Relationship\b[^>]*>", rels)
    drawings = [part_name(part, t) for t in re.findall(r'Target="([^"]*drawing[^"]*)"', rels)]
    if len(targets) != len(drawings) or len(drawings) > 1:
        raise Cannot(f"{title}: the sheet holds more than its drawing")
    removed = [part, rels_name(part)] if rels else [part]
    for drawing in drawings:
        drels = pkg.text(rels_name(drawing)) if pkg.has(rels_name(drawing)) else ""
        charts = [part_name(drawing, t) for t in re.findall(r'Target="([^"]*)"', drels)]
        if len(re.findall(r"<Relationship\b", drels)) != len(charts) or any("/charts/" not in c for c in charts):
            raise Cannot(f"{title}: its drawing holds more than charts")
        for chart in charts:
            if pkg.has(rels_name(chart)):
                raise Cannot(f"{title}: a chart with parts of its own")
        removed += [drawing, *([rels_name(drawing)] if drels else []), *charts]
    for name in removed:
        pkg.remove(name)
    types = pkg.text("[Content_Types].xml")
    for name in removed:
        types = re.sub(rf'<Override PartName="/{re.escape(name)}"[^>]*/>', "", types)
    pkg.put("[Content_Types].xml", types)
    wb_rels = pkg.text("xl/_rels/workbook.xml.rels")
    xml = pkg.text("xl/workbook.xml")
    entry = re.search(rf'<sheet\b[^>]*\sname="{re.escape(title)}"[^>]*/>', xml)
    rid = re.search(r'\s(?:\w+:)?id="([^"]+)"', entry.group(0)) if entry else None
    if entry is None or rid is None:
        raise Cannot(f"{title}: not found in workbook.xml")
    index = len(re.findall(r"<sheet\b", xml[:entry.start()]))
    scoped = re.findall(rf'<definedName\b[^>]*localSheetId="{index}"[^>]*>[^<]*</definedName>', xml)
    if any("_xlnm.Print_Area" not in n for n in scoped):
        raise Cannot(f"{title}: names of its own")
    for n in scoped:
        xml = xml.replace(n, "", 1)
    xml = xml[:entry.start()] + PLACE + xml[entry.end():]
    pkg.put("xl/workbook.xml", xml)
    pkg.put("xl/_rels/workbook.xml.rels",
            re.sub(rf'<Relationship\b[^>]*\sId="{re.escape(rid.group(1))}"[^>]*/>', "", wb_rels))


def _add_to_workbook(pkg: Package, title: str, rid: str, last_row: int) -> None:
    xml = pkg.text("xl/workbook.xml")
    if "</sheets>" not in xml or re.search(r"<\w+:sheets\b", xml):
        raise Cannot("odd workbook.xml")
    ids = [int(x) for x in re.findall(r'<sheet\b[^>]*\ssheetId="(\d+)"', xml)]
    entry = (f'<sheet xmlns:r="{NS_R}" name="{title}" sheetId="{max(ids, default=0) + 1}" state="visible" '
             f'r:id="{rid}"/>')
    if PLACE in xml:  # where the sheet it replaces stood
        index = len(re.findall(r"<sheet\b", xml[:xml.index(PLACE)]))
        xml = xml.replace(PLACE, entry, 1)
    else:
        index = len(re.findall(r"<sheet\b", xml))
        xml = xml.replace("</sheets>", entry + "</sheets>", 1)
    name = (f'<definedName name="_xlnm.Print_Area" localSheetId="{index}">'
            f"'{title}'!$A$1:$A${last_row}</definedName>")
    if "</definedNames>" in xml:
        xml = xml.replace("</definedNames>", name + "</definedNames>", 1)
    elif "<definedNames" in xml:
        raise Cannot("odd definedNames")
    else:
        anchor = "</externalReferences>" if "</externalReferences>" in xml else "</sheets>"
        xml = xml.replace(anchor, anchor + "<definedNames>" + name + "</definedNames>", 1)
    pkg.put("xl/workbook.xml", xml)
