"""The paragraph styles of the exported document, declared once and written into styles.xml.

Why rebuild the built-in styles instead of tweaking them: python-docx's default template gives
``Heading 1``…``Title`` theme fonts, a blue colour, borders and English spacing.  Each style we
use is cleared and set from a :class:`StyleSpec` — East Asian font named explicitly
(:mod:`juesuan.export.fonts`), size, bold, alignment, first-line indent in characters, line
spacing, outline level — so the document looks the same in Word, WPS and LibreOffice.

The built-in headings are kept (not custom styles) so the navigation pane, a Word TOC field and
the PDF bookmarks see the parts and sections.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from juesuan.export.fonts import FANGSONG, HEI, KAI, SONG, qn, set_run_fonts, w_element


@dataclass(frozen=True)
class StyleSpec:
    name: str  # as Word shows it
    style_id: str  # ASCII id in styles.xml
    font: str  # East Asian font
    size: float  # points
    bold: bool = False
    align: str = "both"  # w:jc value
    first_line_chars: int = 0  # first-line indent in characters (2 for body text)
    line: int | None = None  # exact line pitch in twips (None: single)
    before: int = 0  # space before, twips
    after: int = 0  # space after, twips
    outline: int | None = None  # outline level 0–8 (bookmarks, navigation)
    keep_next: bool = False
    builtin: bool = False  # one of python-docx's default styles (Normal, Heading 1, Title …)


# Normal carries no first-line indent: Word lets an inherited firstLineChars beat a derived style's
# (or a paragraph's) own indent, so the two-character indent lives in the body style alone.
NORMAL = StyleSpec("Normal", "Normal", FANGSONG, 14, builtin=True)
BODY = StyleSpec("说明正文", "JsBody", FANGSONG, 14, first_line_chars=2, line=520)
TITLE = StyleSpec("Title", "Title", SONG, 22, bold=True, align="center", line=720, before=1200, after=600,
                  builtin=True)
PART = StyleSpec("Heading 1", "Heading1", HEI, 16, align="center", line=600, before=240, after=240, outline=0,
                 keep_next=True, builtin=True)
SECTION = StyleSpec("Heading 2", "Heading2", HEI, 14, align="left", first_line_chars=2, line=520, before=120,
                    outline=1, keep_next=True, builtin=True)
SUBHEADING = StyleSpec("Heading 3", "Heading3", KAI, 14, bold=True, align="left", first_line_chars=2, line=520,
                       outline=2, keep_next=True, builtin=True)
COVER_LINE = StyleSpec("封面信息", "JsCoverLine", FANGSONG, 16, align="left", line=640)
COVER_GAP = 1200  # twips above the cover lines
TOC_TITLE = StyleSpec("目录标题", "JsTocTitle", HEI, 16, align="center", line=600, after=240)
TOC_LINE = StyleSpec("目录条目", "JsTocLine", FANGSONG, 12, align="left", line=380)
TOC_PART = StyleSpec("目录部分", "JsTocPart", HEI, 12, align="left", line=400, before=100)
TABLE_TITLE = StyleSpec("表格标题", "JsTableTitle", SONG, 16, bold=True, align="center", line=480, after=60,
                        outline=1, keep_next=True)
TABLE_LABEL = StyleSpec("表号", "JsTableLabel", SONG, 9, align="right", keep_next=True)
UNIT_LINE = StyleSpec("表头说明", "JsUnitLine", SONG, 9, align="left", after=40, keep_next=True)
TABLE_TEXT = StyleSpec("表格文字", "JsTableText", SONG, 9, align="left")
NOTE = StyleSpec("表注", "JsNote", SONG, 9, align="left", before=60)
CAPTION = StyleSpec("图题", "JsCaption", SONG, 10.5, align="center", after=120)
FIGURE = StyleSpec("图片", "JsFigure", SONG, 10.5, align="center", before=120, keep_next=True)
PERF_TITLE = StyleSpec("自评表标题", "JsPerfTitle", SONG, 14, bold=True, align="center", line=440, after=120,
                       keep_next=True)

ALL = (NORMAL, BODY, TITLE, PART, SECTION, SUBHEADING, COVER_LINE, TOC_TITLE, TOC_LINE, TOC_PART, TABLE_TITLE, TABLE_LABEL,
       UNIT_LINE, TABLE_TEXT, NOTE, CAPTION, FIGURE, PERF_TITLE)


# python-docx's names for the built-in styles Word shows under another name ("Heading 1" is stored
# as "heading 1"); the template's styles are found by their stored name.
STORED_NAMES = {"Heading 1": "heading 1", "Heading 2": "heading 2", "Heading 3": "heading 3"}


def _el(tag: str, **attrs: str) -> Any:
    el = w_element(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def apply_styles(styles: Any) -> None:
    """Declare every style of :data:`ALL` in ``styles`` (the ``w:styles`` element of styles.xml,
    lxml) and make the defaults Chinese."""
    _defaults(styles)
    by_name = {s.find(qn("w:name")).get(qn("w:val")): s for s in styles.iterfind(qn("w:style"))
               if s.find(qn("w:name")) is not None}
    for spec in ALL:
        _define(styles, by_name, spec)
    _prune(styles)


# Styles kept with ours: the page-number footer's, and the list styles python-docx's numbering part names.
PART_STYLES = ("Footer", "ListBullet", "ListBullet2", "ListBullet3", "ListNumber", "ListNumber2", "ListNumber3")


def _prune(styles: Any) -> None:
    """Keep only the styles the document can use: ours, the defaults, what they are based on or
    linked to, the footer's and the list styles numbering.xml names; drop the latent-style table.  The
    template's 160 built-in definitions cost LibreOffice about 5 % of a PDF conversion, and Word
    recreates any built-in style from its own defaults when a user applies it."""
    w_id, w_val = qn("w:styleId"), qn("w:val")
    by_id = {s.get(w_id): s for s in styles.iterfind(qn("w:style"))}
    keep = {spec.style_id for spec in ALL} | set(PART_STYLES)
    keep |= {i for i, s in by_id.items() if s.get(qn("w:default")) == "1"}
    todo = list(keep)
    while todo:
        el = by_id.get(todo.pop())
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = el.find(qn(tag)) if el is not None else None
            if ref is not None and ref.get(w_val) not in keep:
                keep.add(ref.get(w_val))
                todo.append(ref.get(w_val))
    for i, el in by_id.items():
        if i not in keep:
            styles.remove(el)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)


def _defaults(styles: Any) -> None:
    """docDefaults: Chinese fonts and language, no theme fonts, no space after paragraphs."""
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_run_fonts(rpr, SONG)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = _el("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(ppr):
        ppr.remove(child)
    ppr.append(_el("w:spacing", after="0", line="240", lineRule="auto"))


def _define(styles: Any, by_name: dict[str, Any], spec: StyleSpec) -> None:
    el = by_name.get(STORED_NAMES.get(spec.name, spec.name))
    if el is None:  # a style of our own, based on Normal (as python-docx's add_style made it)
        el = _el("w:style", type="paragraph", customStyle="1", styleId=spec.style_id)
        el.append(_el("w:name", val=spec.name))
        el.append(_el("w:basedOn", val="Normal"))
        styles.append(el)
        by_name[spec.name] = el
    for tag in ("w:pPr", "w:rPr"):
        old = el.find(qn(tag))
        if old is not None:
            el.remove(old)
    if spec.name != "Normal" and el.find(qn("w:qFormat")) is None:
        el.append(_el("w:qFormat"))
    el.append(_paragraph_properties(spec))
    el.append(_run_properties(spec))


def _paragraph_properties(spec: StyleSpec) -> Any:
    ppr = _el("w:pPr")
    if spec.keep_next:
        ppr.append(_el("w:keepNext"))
    ppr.append(_el("w:widowControl"))
    # Word's default (punctuation may overflow), written out because LibreOffice 7.4 reads this
    # flag inverted: "1" turns its hanging punctuation off.  With hanging on, LibreOffice drops a
    # line-final 。or ， from justified Chinese text in the PDF (neither printed nor extractable);
    # test_export checks every paragraph of the narrative survives into the PDF text.
    ppr.append(_el("w:overflowPunct", val="1"))
    spacing = _el("w:spacing", before=str(spec.before), after=str(spec.after))
    if spec.line:
        spacing.set(qn("w:line"), str(spec.line))
        spacing.set(qn("w:lineRule"), "exact")
    else:
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
    ppr.append(spacing)
    if spec.first_line_chars:
        ppr.append(_el("w:ind", firstLineChars=str(spec.first_line_chars * 100),
                       firstLine=str(int(spec.first_line_chars * spec.size * 20))))
    else:  # no firstLineChars="0": Word lets a *Chars value beat a paragraph's own hanging indent
        ppr.append(_el("w:ind", firstLine="0"))
    ppr.append(_el("w:jc", val=spec.align))
    if spec.outline is not None:
        ppr.append(_el("w:outlineLvl", val=str(spec.outline)))
    return ppr


def _run_properties(spec: StyleSpec) -> Any:
    rpr = _el("w:rPr")
    set_run_fonts(rpr, spec.font)
    rpr.append(_el("w:b", val="1" if spec.bold else "0"))
    rpr.append(_el("w:bCs", val="1" if spec.bold else "0"))
    rpr.append(_el("w:color", val="000000"))
    half = str(int(spec.size * 2))
    rpr.append(_el("w:sz", val=half))
    rpr.append(_el("w:szCs", val=half))
    return rpr
