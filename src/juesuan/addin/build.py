"""Assemble ``addin/juesuan.xlam`` from ``addin/customUI.xml`` and ``macros/``, on any OS, reproducibly.

How the VBA reaches Python, and why this way
--------------------------------------------
xlwings offers two ways for an add-in of one's own to call Python:

(a) rely on xlwings' own add-in (``xlwings addin install`` copies ``xlwings.xlam`` to XLSTART) and
    call into it with ``Application.Run "xlwings.xlam!RunPython", ...``;
(b) embed xlwings' VBA module in the add-in, as ``xlwings quickstart --addin --ribbon`` and
    ``xlwings copy vba --addin`` do, from ``xlwings_custom_addin.bas`` in the xlwings package.

We take (b).  The add-in is then one self-contained file: ``juesuan addin install`` copies it to
XLSTART and writes one settings file, and the accountant sees one 决算公开 tab -- not an extra
xlwings tab with interpreter settings to get wrong.  The embedded module is only xlwings' BSD-3-
Clause VBA (RunPython and its config reading; licence kept in its header), none of the PRO /
remote-server modules that ``xlwings.xlam`` also carries.  Its custom-add-in flavour passes the
*active* workbook to Python (``xw.Book.caller()`` is the workbook the user is looking at) and,
with ``PROJECT_NAME = "juesuan"``, reads settings from ``%USERPROFILE%\\.juesuan\\juesuan.conf``,
so installing it never changes the settings of the user's other xlwings workbooks.  The price is
that the VBA is pinned to the xlwings version it was copied from; the RunPython command line it
speaks has been stable for years, and ``juesuan addin doctor`` warns when the installed xlwings
differs (the version is stored in the .xlam as the custom property ``XlwingsVersion``).

The package also carries a hidden sheet ``juesuan.conf`` (xlwings' per-add-in settings sheet)
with ``ADD_WORKBOOK_TO_PYTHONPATH = False``: the user's workbook folder is not put on
``sys.path``, so a stray ``.py`` next to a workbook, or a OneDrive URL xlwings cannot map to a
local folder, cannot break ``import juesuan.excel``.

Reproducible: same sources give the same bytes -- entries sorted, stored (not deflated, so no
dependence on the zlib build), fixed timestamps and attributes, no random GUIDs.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from juesuan.addin import ADDIN_FILENAME, VBA_PROJECT_NAME, XLWINGS_PROJECT_NAME
from juesuan.addin.vbaproject import load_modules, vba_project_bin
from juesuan.errors import InputError

CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
UI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = {
    "xlam": "application/vnd.ms-excel.addin.macroEnabled.main+xml",
    "xlsm": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
}
# xlwings settings the add-in itself carries (its "juesuan.conf" sheet); user settings live in
# %USERPROFILE%\.juesuan\juesuan.conf and are written by `juesuan addin install`.
ADDIN_SETTINGS: tuple[tuple[str, str], ...] = (("ADD_WORKBOOK_TO_PYTHONPATH", "False"),)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_VERSION_RE = re.compile(r'^Public Const XLWINGS_VERSION As String = "([^"]+)"', re.M)

Kind = Literal["xlam", "xlsm"]


def source_root() -> Path:
    """The checkout holding ``addin/customUI.xml`` and ``macros/``: next to this package, else cwd."""
    candidates = [Path(__file__).resolve().parents[3], *Path.cwd().resolve().parents]
    candidates.insert(1, Path.cwd().resolve())
    for root in candidates:
        if (root / "addin" / "customUI.xml").is_file() and (root / "macros").is_dir():
            return root
    raise InputError(
        "找不到加载项源文件 addin/customUI.xml 和 macros/：请在 juesuan 源代码目录中运行",
        "add-in sources addin/customUI.xml and macros/ not found: run inside the juesuan source checkout",
    )


def default_output(root: Path | None = None) -> Path:
    return (root or source_root()) / "addin" / ADDIN_FILENAME


def read_customui(root: Path) -> bytes:
    """The ribbon XML, checked to parse and to use the Office 2010+ namespace.

    Line ends are normalised to LF so a checkout with ``core.autocrlf`` builds the same bytes.
    """
    path = root / "addin" / "customUI.xml"
    data = path.read_bytes().replace(b"\r\n", b"\n")
    try:
        element = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputError(f"customUI.xml 不是合法的 XML：{exc}", f"customUI.xml is not valid XML: {exc}") from None
    if element.tag != f"{{{CUSTOMUI_NS}}}customUI":
        raise InputError("customUI.xml 的根元素必须是 2009/07 命名空间的 customUI",
                         f"customUI.xml root must be customUI in namespace {CUSTOMUI_NS}")
    return data


def xlwings_version(root: Path) -> str:
    """The xlwings version the embedded VBA was copied from (its XLWINGS_VERSION constant)."""
    text = (root / "macros" / "xlwings.bas").read_text(encoding="cp1252")
    m = _VERSION_RE.search(text)
    if not m:
        raise InputError("macros/xlwings.bas 中没有 XLWINGS_VERSION 常量",
                         "macros/xlwings.bas has no XLWINGS_VERSION constant")
    return m.group(1)


def _xml(body: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + body).encode("utf-8")


def _rels(rels: list[tuple[str, str, str]]) -> bytes:
    items = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in rels)
    return _xml(f'<Relationships xmlns="{_PKG_REL}">{items}</Relationships>')


def _sheet(settings: tuple[tuple[str, str], ...]) -> bytes:
    def cell(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'

    rows = "".join(f'<row r="{n}">{cell(f"A{n}", k)}{cell(f"B{n}", v)}</row>'
                   for n, (k, v) in enumerate(settings, start=1))
    return _xml(f'<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_DOC_REL}"><sheetPr codeName="Sheet1"/>'
                f'<dimension ref="A1:B{len(settings)}"/><sheetData>{rows}</sheetData></worksheet>')


_STYLES = (
    f'<styleSheet xmlns="{_MAIN_NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def package_parts(root: Path, kind: Kind = "xlam") -> dict[str, bytes]:
    """Every part of the OOXML package, by name."""
    settings_sheet = f"{XLWINGS_PROJECT_NAME}.conf"
    parts: dict[str, bytes] = {
        "[Content_Types].xml": _xml(
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CONTENT_TYPES[kind]}"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/custom.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
            '</Types>'),
        "_rels/.rels": _rels([
            ("rId1", f"{_DOC_REL}/officeDocument", "xl/workbook.xml"),
            ("rId2", f"{_PKG_REL}/metadata/core-properties", "docProps/core.xml"),
            ("rId3", f"{_DOC_REL}/custom-properties", "docProps/custom.xml"),
            ("rId4", UI_REL, "customUI/customUI14.xml"),
        ]),
        "customUI/customUI14.xml": read_customui(root),
        # Title and description are what Excel's add-ins dialog lists.
        "docProps/core.xml": _xml(
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:title>决算公开助手</dc:title>"
            "<dc:description>部门决算公开：填充、校验、生成说明、导出（juesuan）</dc:description>"
            "</cp:coreProperties>"),
        "docProps/custom.xml": _xml(
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="XlwingsVersion">'
            f"<vt:lpwstr>{escape(xlwings_version(root))}</vt:lpwstr></property></Properties>"),
        "xl/_rels/workbook.xml.rels": _rels([
            ("rId1", f"{_DOC_REL}/worksheet", "worksheets/sheet1.xml"),
            ("rId2", f"{_DOC_REL}/styles", "styles.xml"),
            ("rId3", "http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin"),
        ]),
        "xl/workbook.xml": _xml(
            f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_DOC_REL}"><workbookPr codeName="ThisWorkbook"/>'
            '<bookViews><workbookView/></bookViews>'
            f'<sheets><sheet name="{settings_sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/styles.xml": _xml(_STYLES),
        "xl/worksheets/sheet1.xml": _sheet(ADDIN_SETTINGS),
        "xl/vbaProject.bin": vba_project(root),
    }
    return parts


def vba_project(root: Path) -> bytes:
    """``vbaProject.bin`` from ``macros/``; its document modules must match the package's code names."""
    try:
        modules = load_modules(root / "macros")
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"VBA 源文件有误：{exc}", f"bad VBA source: {exc}") from None
    documents = sorted(m.name for m in modules if m.kind == "document")
    if documents != ["Sheet1", "ThisWorkbook"]:
        raise InputError("macros/ 必须恰好有 ThisWorkbook.cls 和 Sheet1.cls 两个文档模块",
                         f"macros/ must hold exactly the document modules ThisWorkbook and Sheet1, not {documents}")
    return vba_project_bin(modules, VBA_PROJECT_NAME)


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    """A zip of ``parts`` whose bytes depend only on the parts: sorted, stored, fixed metadata."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for name in sorted(parts):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.create_system = 0  # the default depends on the OS building
            info.external_attr = 0
            info.compress_type = zipfile.ZIP_STORED
            zf.writestr(info, parts[name])
    return buffer.getvalue()


def build_bytes(root: Path | None = None, kind: Kind = "xlam") -> bytes:
    """The add-in (``xlam``), or a macro workbook with the same VBA (``xlsm``, for tests)."""
    return zip_bytes(package_parts(root or source_root(), kind))


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (:func:`juesuan.workbook_file.replace_atomically`)."""
    from juesuan.workbook_file import replace_atomically

    replace_atomically(path, lambda tmp: tmp.write_bytes(data))


def build(output: Path | None = None, root: Path | None = None) -> list[Path]:
    """Build the add-in into ``output``, or by default into :func:`outputs`; return the paths."""
    root = root or source_root()
    targets = [output] if output else outputs(root)
    data = build_bytes(root, "xlam")
    for target in targets:
        write_atomic(target, data)
    return targets


PACKAGED_ADDIN = Path(__file__).resolve().parent / ADDIN_FILENAME


def outputs(root: Path) -> list[Path]:
    """Where the default build goes: ``addin/juesuan.xlam`` and the copy shipped inside the package.

    The copy lets ``pip install juesuan`` users run ``juesuan addin install`` without a checkout
    (package data ``**/*.xlam`` already ships it); a test keeps both equal to a fresh build.
    """
    return [default_output(root), PACKAGED_ADDIN]


def locate_addin() -> Path:
    """The built add-in to install: the packaged copy, else the checkout's ``addin/juesuan.xlam``."""
    if PACKAGED_ADDIN.is_file():
        return PACKAGED_ADDIN
    try:
        built = default_output()
    except InputError:
        built = None
    if built is not None and built.is_file():
        return built
    raise InputError("找不到已构建的加载项 juesuan.xlam：请先运行 juesuan addin build",
                     "no built juesuan.xlam found: run juesuan addin build first")


def built_for_xlwings(xlam: Path) -> str | None:
    """The ``XlwingsVersion`` custom property of an .xlam, or None if absent or unreadable."""
    try:
        with zipfile.ZipFile(xlam) as zf:
            element = ET.fromstring(zf.read("docProps/custom.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError):
        return None
    for prop in element:
        if prop.get("name") == "XlwingsVersion" and len(prop):
            return prop[0].text
    return None
