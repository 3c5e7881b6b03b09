"""The .docx package of the exported disclosure: its constant parts prepared once, the body per document.

Why not python-docx: see :mod:`juesuan.export.wordxml`.  The package is the one python-docx made
from its default template: the same theme, settings, numbering, font table and styles (with ours
declared by :mod:`juesuan.export.word_styles`), the same relationships, a footer with the page
number, the pictures as ``word/media/imageN.jpeg`` or ``.png`` (identical pictures stored once).  Those parts
are read from python-docx's template, styled and deflated once per process
(:func:`constant_members`), so a batch writing hundreds of documents prepares them once, and kept
between runs in a private per-user cache file (a cold ``juesuan export`` saves about 0.1 s); each
document deflates only its body, properties and pictures (:mod:`juesuan.batch.zipwrite`).

Example::

    doc = WordDocument(title="…", author="…")
    doc.body.append(paragraph("JsBody", "正文"))
    doc.save("out.docx")
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import re
import stat
import struct
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from juesuan.batch.zipwrite import Member, archive, deflate
from juesuan.export.wordxml import attr, esc

XML_HEAD = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
CORE = "docProps/core.xml"
DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
# Parts python-docx parses and writes back (whitespace between elements dropped); the others are copied.
REWRITTEN = ("word/styles.xml", "word/settings.xml", "word/numbering.xml")
DPI = 72  # a picture's native size is its pixels at 72 dpi (only its aspect ratio is used)
EMU_PER_INCH = 914400
FOOTER_XML = (  # python-docx's default footer part with the namespaces it declares; the paragraph goes in
    '<w:ftr xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:mo="http://schemas.microsoft.com/office/mac/office/2008/main" xmlns:mv="urn:schemas-microsoft-com:mac:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w10="urn:schemas-microsoft-com:office:word" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml" '
    'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
    'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
    'xmlns:wpi="http://schemas.microsoft.com/office/word/2010/wordprocessingInk" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" mc:Ignorable="w14 wp14">{}</w:ftr>')
INLINE = (  # a picture in the text line, as python-docx's add_picture writes it
    '<w:r><w:drawing><wp:inline xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><wp:extent cx="{cx}" cy="{cy}"/>'
    '<wp:docPr id="{id}" name="Picture {id}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/>'
    '</wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
    '<a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm>'
    '<a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic>'
    '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


@dataclass(frozen=True)
class Template:
    """The constant parts of every exported document."""

    members: tuple[Member, ...]  # deflated once: styles, theme, settings, … (not the parts below)
    document_head: str  # <w:document …><w:body>
    document_rels: list[tuple[str, str, str]]  # (Id, Type, Target) of the template's document
    content_types: list[tuple[str, str]]  # (part name, content type) of the template's parts
    core_head: str  # <cp:coreProperties …>


def template_file() -> Path:
    """python-docx's default template (found without importing python-docx)."""
    spec = importlib.util.find_spec("docx")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("python-docx is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "templates" / "default.docx"


def _rewrite(xml: bytes, change=None) -> bytes:  # type: ignore[no-untyped-def]
    """A part as python-docx writes it back: parsed without blank text, serialized standalone."""
    from lxml import etree

    root = etree.fromstring(xml, etree.XMLParser(remove_blank_text=True, resolve_entities=False))
    if change is not None:
        change(root)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def _relationships(xml: bytes) -> list[tuple[str, str, str]]:
    return re.findall(r'<Relationship Id="([^"]+)" Type="([^"]+)" Target="([^"]+)"/>', xml.decode("utf-8"))


def rels_xml(rels: list[tuple[str, str, str]]) -> bytes:
    items = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in rels)
    return XML_HEAD + f'<Relationships xmlns="{RELS_NS}">{items}</Relationships>'.encode("utf-8")


@lru_cache(maxsize=1)
def constant_members() -> Template:
    """The constant parts: from this process's first call, else the cache file, else made."""
    key = _cache_key()
    path = _cache_file(key)
    if path is not None:
        try:
            members, head, rels, types, core = marshal.loads(path.read_bytes())
            return Template(tuple(Member(*m) for m in members), head, [tuple(r) for r in rels],  # type: ignore[misc]
                            [tuple(t) for t in types], core)  # type: ignore[misc]
        except (OSError, ValueError, EOFError, TypeError):
            pass
    t = make_template()
    if path is not None:
        data = marshal.dumps(([(m.name, m.crc, m.size, m.data) for m in t.members], t.document_head,
                              t.document_rels, t.content_types, t.core_head))
        try:
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError:
            pass
    return t


def _cache_key() -> str:
    """What the constant parts depend on: python-docx's template and the code that styles them."""
    h = hashlib.sha1(sys.version.encode())
    here = Path(__file__).parent
    for f in (template_file(), here / "package.py", here / "word_styles.py", here / "fonts.py"):
        h.update(f.read_bytes())
    return h.hexdigest()[:20]


def _cache_file(key: str) -> Path | None:
    """The cache file in a folder only this user can write (checked, as Jinja2 checks its own), or None."""
    if not hasattr(os, "getuid"):
        return None
    folder = Path(tempfile.gettempdir()) / f"juesuan-cache-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        st = os.lstat(folder)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or stat.S_IMODE(st.st_mode) != 0o700:
            return None
    except OSError:
        return None
    return folder / f"docx-template-{key}.bin"


def make_template() -> Template:
    """Read python-docx's template, declare our styles, deflate the constant parts."""
    from juesuan.export.word_styles import apply_styles

    with zipfile.ZipFile(template_file()) as z:
        raw = {name: z.read(name) for name in z.namelist()}
    types = re.findall(r'<Override PartName="/([^"]+)" ContentType="([^"]+)"/>', raw[CONTENT_TYPES].decode("utf-8"))
    members = []
    for name, data in raw.items():
        if name in (CONTENT_TYPES, DOCUMENT, DOCUMENT_RELS, CORE):
            continue
        if name == "word/styles.xml":
            data = _rewrite(data, apply_styles)
        elif name in REWRITTEN:
            data = _rewrite(data)
        elif name.endswith(".rels"):
            data = rels_xml(_relationships(data))
        members.append(deflate(name, data))
    document = _rewrite(raw[DOCUMENT]).decode("utf-8")
    head = document[:document.index("<w:body>") + len("<w:body>")]
    core = raw[CORE].decode("utf-8")
    core_head = re.sub(r"\s*\n\s*", "", core[core.index("<cp:coreProperties"):core.index(">", core.index("<cp:core")) + 1])
    return Template(tuple(members), head.split("\n", 1)[1], _relationships(raw[DOCUMENT_RELS]), types, core_head)


@dataclass
class Properties:
    """The file properties Word lists (core.xml)."""

    title: str = ""
    subject: str = ""
    author: str = ""
    keywords: str = ""
    comments: str = ""
    created: datetime | None = None

    def xml(self, head: str) -> bytes:
        when = (self.created or datetime(2000, 1, 1)).strftime("%Y-%m-%dT%H:%M:%SZ")

        def el(tag: str, text: str) -> str:
            return f"<{tag}>{esc(text)}</{tag}>"

        body = (el("dc:title", self.title) + el("dc:subject", self.subject) + el("dc:creator", self.author)
                + el("cp:keywords", self.keywords) + el("dc:description", self.comments)
                + el("cp:lastModifiedBy", self.author) + "<cp:revision>1</cp:revision>"
                + f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
                + f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified><cp:category/>')
        return XML_HEAD + f"{head}{body}</cp:coreProperties>".encode("utf-8")


@dataclass
class WordDocument:
    """A document being written: ``body`` holds the ``w:body`` children as XML text, in order."""

    body: list[str] = field(default_factory=list)
    properties: Properties = field(default_factory=Properties)
    footer: str | None = None  # the first section's footer paragraph (later sections inherit it)
    images: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # SHA-1 → (rId, picture)
    pictures: int = 0

    FOOTER_RID = "rId9"  # the first relationship after the template's eight

    def picture_run(self, picture: bytes, width_emu: int) -> str:
        """A run showing ``picture`` (PNG or JPEG) ``width_emu`` wide (its height to scale); the same
        picture twice is stored once."""
        digest = hashlib.sha1(picture).hexdigest()
        if digest not in self.images:
            self.images[digest] = (f"rId{10 + len(self.images)}", picture)
        rid = self.images[digest][0]
        px_w, px_h, ext = picture_size(picture)
        native_w, native_h = int(px_w / DPI * EMU_PER_INCH), int(px_h / DPI * EMU_PER_INCH)
        height = round(native_h * (float(width_emu) / float(native_w)))
        self.pictures += 1
        return INLINE.format(cx=width_emu, cy=height, id=self.pictures, name=f"image.{ext}", rid=rid)

    def members(self) -> list[Member]:
        t = constant_members()
        rels = list(t.document_rels)
        types = list(t.content_types)
        extra = []
        if self.footer is not None:
            rels.append((self.FOOTER_RID, REL + "footer", "footer1.xml"))
            types.append(("word/footer1.xml", FOOTER_TYPE))
            extra.append(deflate("word/footer1.xml", XML_HEAD + FOOTER_XML.format(self.footer).encode("utf-8")))
        kinds = set()
        for i, (rid, picture) in enumerate(self.images.values(), start=1):
            ext = picture_size(picture)[2]
            kinds.add(ext)
            rels.append((rid, REL + "image", f"media/image{i}.{ext}"))
            extra.append(deflate(f"word/media/image{i}.{ext}", picture, level=1))
        document = XML_HEAD + (t.document_head + "".join(self.body) + "</w:body></w:document>").encode("utf-8")
        return [deflate(CONTENT_TYPES, _content_types(types, "png" in kinds)),
                *t.members, deflate(DOCUMENT, document), deflate(DOCUMENT_RELS, rels_xml(rels)),
                deflate(CORE, self.properties.xml(t.core_head)), *extra]

    def save(self, path: str | os.PathLike[str]) -> None:
        Path(path).write_bytes(archive(self.members()))


SOF_MARKERS = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})  # frame headers


def picture_size(picture: bytes) -> tuple[int, int, str]:
    """(width, height, extension) of a PNG (its IHDR) or a baseline/progressive JPEG (its SOF)."""
    if picture[:8] == b"\x89PNG\r\n\x1a\n":
        w, h = struct.unpack(">II", picture[16:24])
        return w, h, "png"
    if picture[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(picture) and picture[i] == 0xFF:
            marker = picture[i + 1]
            if marker == 0xFF:  # a fill byte before the marker
                i += 1
                continue
            if marker in SOF_MARKERS:
                h, w = struct.unpack(">HH", picture[i + 5:i + 9])
                return w, h, "jpeg"
            i += 2 + struct.unpack(">H", picture[i + 2:i + 4])[0]
    raise ValueError("not a PNG or JPEG picture")


def _content_types(overrides: list[tuple[str, str]], png: bool) -> bytes:
    """[Content_Types].xml: defaults by extension, then overrides by part name (both sorted)."""
    defaults = {"jpeg": "image/jpeg", "rels": "application/vnd.openxmlformats-package.relationships+xml",
                "xml": "application/xml"}
    if png:
        defaults["png"] = "image/png"
    items = "".join(f'<Default Extension="{e}" ContentType="{defaults[e]}"/>' for e in sorted(defaults))
    items += "".join(f'<Override PartName="/{n}" ContentType="{attr(c)}"/>' for n, c in sorted(overrides))
    return XML_HEAD + ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                       f"{items}</Types>").encode("utf-8")
