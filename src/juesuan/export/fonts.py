"""Fonts of the exported disclosure: which names the Word file asks for, and what stands in here.

Why explicit: a Word run has four font slots (ascii, hAnsi, eastAsia, cs).  python-docx's
``font.name`` sets only the Latin ones, so Chinese text falls back to whatever the reader's
Word or LibreOffice picks (on this machine LibreOffice picked a Japanese face).  Every style
therefore sets ``w:eastAsia`` to the font a government PC has (宋体, 仿宋, 黑体, 楷体) and the
Latin slots to Times New Roman.

Where those fonts are not installed (Linux servers, CI), the PDF converter's private
LibreOffice profile gets a font replacement table mapping each missing Chinese name to the first
installed stand-in of :data:`FALLBACKS`: the Arphic Ming (宋体-like) and Kai faces and WenQuanYi
Micro Hei for 黑体 (Debian ``fonts-arphic-uming``, ``fonts-arphic-ukai``, ``fonts-wqy-microhei``),
else ``fonts-noto-cjk``'s serif and sans.  The TrueType faces come first: their line height is
SimSun's, not Noto CJK's much taller one (a synthetic department prints on 36 pages instead of 39),
and LibreOffice embeds TrueType subsets as they are where it converts Noto's CFF outlines to Type 1,
so a PDF costs about a tenth less of LibreOffice's CPU (0.79 against 0.87 s, the median of 9
alternating runs of 8 synthetic documents).  Left alone, LibreOffice 7.4
printed the names with a random fallback, a Japanese face.  The .docx keeps the real names.  Charts drawn with Pillow need a font *file*;
:func:`cjk_font_file` finds one on Linux (fontconfig) or Windows (C:\\Windows\\Fonts).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

LATIN = "Times New Roman"
SONG = "宋体"  # tables, cover lines
FANGSONG = "仿宋"  # body text
HEI = "黑体"  # part and section headings
KAI = "楷体"  # sub-headings （一）

# What each Chinese font name is printed with where it is not installed: the first installed face.
FALLBACKS: dict[str, tuple[str, ...]] = {
    SONG: ("AR PL UMing CN", "Noto Serif CJK SC"),
    FANGSONG: ("AR PL UMing CN", "Noto Serif CJK SC"),
    KAI: ("AR PL UKai CN", "AR PL UMing CN", "Noto Serif CJK SC"),
    HEI: ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC"),
}
# English names some systems register the same fonts under.
ALIASES: dict[str, str] = {"SimSun": SONG, "FangSong": FANGSONG, "SimHei": HEI, "KaiTi": KAI}

WINDOWS_FONT_FILES = ("simhei.ttf", "msyh.ttc", "msyh.ttf", "simsun.ttc", "simsun.ttf")
LINUX_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"))


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def qn(tag: str) -> str:
    """``w:b`` → ``{namespace}b`` (``xml:space`` too), as lxml names it."""
    prefix, name = tag.split(":")
    return f"{{{W if prefix == 'w' else 'http://www.w3.org/XML/1998/namespace'}}}{name}"


def w_element(tag: str) -> Any:
    """A new lxml element ``w:…`` declaring the ``w`` prefix (as python-docx's OxmlElement made it)."""
    from lxml import etree

    return etree.Element(qn(tag), nsmap={"w": W})


def set_run_fonts(rpr: Any, east_asia: str, latin: str = LATIN) -> None:
    """Set all four font slots of a ``w:rPr`` (style or run) and drop theme font references.

    Theme attributes (``w:asciiTheme`` …) override explicit names in Word, which is how the
    default template's headings end up in a Latin theme font; they are removed.
    """
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = w_element("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def installed_families() -> set[str] | None:
    """Font families fontconfig knows (Linux), or None where it cannot be asked (Windows)."""
    if not shutil.which("fc-list"):
        return None
    try:
        out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def missing_fonts() -> dict[str, str]:
    """Chinese font names this machine lacks → the stand-in to print them with.

    Where fontconfig cannot be asked (Windows, where 宋体 and the others come with the system)
    nothing is substituted.
    """
    families = installed_families()
    if families is None:
        return {}
    wanted = {**FALLBACKS, **{k: FALLBACKS[v] for k, v in ALIASES.items()}}
    out = {}
    for name, stand_ins in wanted.items():
        found = next((face for face in stand_ins if face in families), None)
        if name not in families and found is not None:
            out[name] = found
    return out


def substitution_registry(pairs: dict[str, str]) -> str:
    """LibreOffice profile items (registrymodifications.xcu) replacing each missing font.

    "Always" is required: LibreOffice otherwise treats the name as satisfied by fontconfig's
    nearest match (DejaVu, without Chinese glyphs) and never consults the table.
    """
    items = ['<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
             '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>']
    for i, (name, stand_in) in enumerate(sorted(pairs.items())):
        items.append(
            '<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
            f'<node oor:name="_{i}" oor:op="replace">'
            '<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
            '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
            f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{name}</value></prop>'
            f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{stand_in}</value></prop>'
            "</node></item>")
    return "\n".join(items) + "\n"


@lru_cache(maxsize=None)
def cjk_font_file() -> tuple[str, int] | None:
    """(path, face index) of a font with Simplified Chinese glyphs for drawing charts, or None.

    Prefers Noto Sans CJK SC through fontconfig (the right face of the .ttc collection), then
    the usual Windows fonts, then any Noto CJK file under the Linux font folders.
    """
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}\t%{index}\t%{family}", "Noto Sans CJK SC:lang=zh-cn"],
                                 capture_output=True, text=True, timeout=10).stdout
            path, index, family = (out.split("\t") + ["", "", ""])[:3]
            if path and "CJK" in family and Path(path).exists():
                return path, int(index or 0)
        except (OSError, subprocess.SubprocessError, ValueError):
            pass
    windir = os.environ.get("WINDIR")
    if windir:
        for name in WINDOWS_FONT_FILES:
            path = Path(windir) / "Fonts" / name
            if path.exists():
                return str(path), 0
    for base in LINUX_FONT_DIRS:
        for path in sorted(Path(base).glob("**/NotoSansCJK*-Regular.ttc")) if Path(base).is_dir() else []:
            return str(path), 2  # the SC face in the Noto CJK collections
    return None
