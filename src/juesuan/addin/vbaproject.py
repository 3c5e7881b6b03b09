"""Write a VBA project (``vbaProject.bin``) from module source texts, as MS-OVBA §2.2-2.4 lays it out.

The compound file holds::

    PROJECT            text: module list, project name, protection state (CMG/DPB/GC)
    PROJECTwm          module names in MBCS and UTF-16
    VBA/_VBA_PROJECT   7 bytes; version 0xFFFF means "no compiled p-code: compile from source"
    VBA/dir            compressed records: project info, references, one record set per module
    VBA/<module>       compressed source text, attribute lines included (MODULEOFFSET 0)

Because ``_VBA_PROJECT`` carries no p-code, Excel compiles the modules from this source on first
load, whatever its version or bitness -- the same approach the xlwings quickstart add-ins ship.

Reproducible: the project ID is derived from the project name, the encrypted protection fields
use a fixed seed, and module order is fixed (document modules first, then by name).  VBA stores
source with CRLF line ends; files in ``macros/`` may use either, they are normalised to CRLF.
"""

from __future__ import annotations

import re
import struct
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from juesuan.addin.cfb import write_compound_file
from juesuan.addin.ovba import compress

CODEPAGE = 1252
ENCODING = "cp1252"
# Microsoft Office Object Library: the home of IRibbonControl, the ribbon callbacks' argument.
OFFICE_REFERENCE = (
    "Office",
    r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
    r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library",
)
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
_SEED = 0x5D  # any byte works (MS-OVBA §2.4.3.2); fixed so builds are reproducible

Kind = Literal["standard", "document", "class"]
_NAME_RE = re.compile(r'\AAttribute VB_Name = "([A-Za-z][A-Za-z0-9_]{0,30})"\r\n')


@dataclass(frozen=True)
class Module:
    """One VBA module: its name, kind and source (CRLF line ends, attribute lines included)."""

    name: str
    kind: Kind
    source: str


def normalise(text: str) -> str:
    """CRLF line ends, as VBA stores source."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def module_from_text(filename: str, text: str) -> Module:
    """A module from an exported ``.bas`` (standard) or ``.cls`` (document or class) file's text."""
    source = normalise(text)
    try:
        source.encode("ascii")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{filename}: VBA source must be ASCII (code page {CODEPAGE}); "
                         f"put Chinese text in customUI.xml or escape it: {exc}") from None
    m = _NAME_RE.match(source)
    stem = Path(filename).stem
    if not m or m.group(1) != stem:
        raise ValueError(f'{filename}: must start with Attribute VB_Name = "{stem}"')
    suffix = Path(filename).suffix.lower()
    if suffix == ".bas":
        kind: Kind = "standard"
    elif suffix == ".cls":
        base = re.search(r'^Attribute VB_Base = "([^"]*)"', source, re.M)
        kind = "document" if base and base.group(1) in (WORKBOOK_BASE, WORKSHEET_BASE) else "class"
    else:
        raise ValueError(f"{filename}: a VBA module file ends in .bas or .cls")
    return Module(stem, kind, source)


def load_modules(directory: Path) -> list[Module]:
    """Every ``.bas``/``.cls`` in ``directory``, in project order: documents first, then by name."""
    files = sorted(p for p in directory.iterdir() if p.suffix.lower() in (".bas", ".cls"))
    modules = [module_from_text(p.name, p.read_bytes().decode(ENCODING)) for p in files]
    return order(modules)


def order(modules: list[Module]) -> list[Module]:
    """Document modules first (ThisWorkbook leading), then the rest; each group by name."""
    return sorted(modules, key=lambda m: (m.kind != "document", m.name != "ThisWorkbook", m.name))


def project_id(project_name: str) -> str:
    """A stable project GUID: the same name gives the same ID in every build."""
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:juesuan:vba-project:{project_name}")).upper() + "}"


def encrypt(project_id_text: str, data: bytes) -> str:
    """MS-OVBA §2.4.3.2 data encryption, used for the CMG, DPB and GC values of PROJECT."""
    seed = _SEED
    version_enc = seed ^ 2
    project_key = sum(project_id_text.encode("ascii")) & 0xFF
    project_key_enc = seed ^ project_key
    out = bytearray([seed, version_enc, project_key_enc])
    unencrypted1, encrypted1, encrypted2 = project_key, project_key_enc, version_enc
    ignored = bytes((seed & 6) // 2)
    for byte in ignored + struct.pack("<I", len(data)) + data:
        byte_enc = byte ^ ((encrypted2 + unencrypted1) & 0xFF)
        out.append(byte_enc)
        encrypted2, encrypted1, unencrypted1 = encrypted1, byte_enc, byte
    return out.hex().upper()


def _rec(rid: int, data: bytes) -> bytes:
    return struct.pack("<HI", rid, len(data)) + data


def _mbcs(text: str) -> bytes:
    return text.encode(ENCODING)


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def dir_stream(project_name: str, modules: list[Module]) -> bytes:
    """The uncompressed ``VBA/dir`` stream (MS-OVBA §2.3.4.2)."""
    out = bytearray()
    out += _rec(0x0001, struct.pack("<I", 1))  # SYSKIND: Win32 (Excel recompiles anyway)
    out += _rec(0x0002, struct.pack("<I", 0x0409))  # LCID
    out += _rec(0x0014, struct.pack("<I", 0x0409))  # LCIDINVOKE
    out += _rec(0x0003, struct.pack("<H", CODEPAGE))
    out += _rec(0x0004, _mbcs(project_name))
    out += _rec(0x0005, b"") + _rec(0x0040, b"")  # DOCSTRING, unicode
    out += _rec(0x0006, b"") + _rec(0x003D, b"")  # HELPFILEPATH 1 and 2
    out += _rec(0x0007, struct.pack("<I", 0))  # HELPCONTEXT
    out += _rec(0x0008, struct.pack("<I", 0))  # LIBFLAGS
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # VERSION: major 1, minor 0
    out += _rec(0x000C, b"") + _rec(0x003C, b"")  # CONSTANTS, unicode
    name, libid = OFFICE_REFERENCE
    out += _rec(0x0016, _mbcs(name)) + _rec(0x003E, _utf16(name))
    lib = _mbcs(libid)
    out += _rec(0x000D, struct.pack("<I", len(lib)) + lib + struct.pack("<IH", 0, 0))
    out += _rec(0x000F, struct.pack("<H", len(modules)))
    out += _rec(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for m in modules:
        out += _rec(0x0019, _mbcs(m.name)) + _rec(0x0047, _utf16(m.name))
        out += _rec(0x001A, _mbcs(m.name)) + _rec(0x0032, _utf16(m.name))  # stream name
        out += _rec(0x001C, b"") + _rec(0x0048, b"")  # DOCSTRING
        out += _rec(0x0031, struct.pack("<I", 0))  # OFFSET: source starts the stream
        out += _rec(0x001E, struct.pack("<I", 0))  # HELPCONTEXT
        out += _rec(0x002C, struct.pack("<H", 0xFFFF))  # COOKIE
        out += _rec(0x0021 if m.kind == "standard" else 0x0022, b"")
        out += _rec(0x002B, b"")  # module terminator
    out += _rec(0x0010, b"")  # dir terminator
    return bytes(out)


def project_stream(project_name: str, modules: list[Module]) -> bytes:
    """The ``PROJECT`` stream (MS-OVBA §2.3.1): unprotected, visible, no password."""
    pid = project_id(project_name)
    lines = [f'ID="{pid}"']
    for m in modules:
        if m.kind == "document":
            lines.append(f"Document={m.name}/&H00000000")
        elif m.kind == "class":
            lines.append(f"Class={m.name}")
        else:
            lines.append(f"Module={m.name}")
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{encrypt(pid, bytes(4))}"',  # protection state: none
        f'DPB="{encrypt(pid, bytes(1))}"',  # password: none
        f'GC="{encrypt(pid, bytes([0xFF]))}"',  # visibility: visible
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
    ]
    return _mbcs("\r\n".join(lines) + "\r\n")


def projectwm_stream(modules: list[Module]) -> bytes:
    """The ``PROJECTwm`` stream: each module name in MBCS and UTF-16, then a terminator."""
    out = bytearray()
    for m in modules:
        out += _mbcs(m.name) + b"\x00" + _utf16(m.name) + b"\x00\x00"
    return bytes(out + b"\x00\x00")


def vba_project_bin(modules: list[Module], project_name: str) -> bytes:
    """The whole ``vbaProject.bin`` for ``modules`` (already in project order)."""
    names = [m.name.upper() for m in modules]
    if len(set(names)) != len(names):
        raise ValueError("two VBA modules share a name")
    vba: dict[str, bytes] = {
        "_VBA_PROJECT": bytes.fromhex("CC61FFFF000100"),
        "dir": compress(dir_stream(project_name, modules), strict=True),
    }
    for m in modules:
        vba[m.name] = compress(m.source.encode(ENCODING), strict=True)
    return write_compound_file({
        "PROJECT": project_stream(project_name, modules),
        "PROJECTwm": projectwm_stream(modules),
        "VBA": vba,
    })
