"""The one guarded opener for zip containers (.xlsx, .docx) and the XML inside them.

A department's workbook or a published .docx comes from outside.  Before any library unpacks
or parses it, :func:`check_zip` refuses (InputError naming the file, exit status 2):

- what is not a zip at all, or a damaged one;
- a container that unpacks to more than ``max_unpacked`` bytes, or more than :data:`MAX_RATIO`
  times its packed size once it is past 20 MB (a zip bomb: a 1.6 MB .docx holding a 1.5 GB text
  node), or holds more than :data:`MAX_MEMBERS` parts;
- one missing its main part (``xl/workbook.xml``, ``word/document.xml``).

XML is then parsed without entity expansion and without lxml's ``huge_tree`` (openpyxl uses
defusedxml, a dependency, when it is installed; python-docx its own lxml parser with
``resolve_entities`` off), and any parser failure becomes the same kind of message in the caller.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from juesuan.errors import InputError, Location

MAX_UNPACKED = 300 * 1024 * 1024  # a workbook larger than this when unpacked is refused
MAX_RATIO = 200  # …and so is one that unpacks more than 200× its size past 20 MB (a zip bomb)
MAX_MEMBERS = 10_000  # parts of one container


def check_zip(path: Path, kind_zh: str, kind_en: str, main_part: str, max_unpacked: int = MAX_UNPACKED) -> None:
    """Refuse ``path`` unless it is a sane zip container holding ``main_part``."""
    where = Location(file=str(path))
    if not zipfile.is_zipfile(path):
        raise InputError(f"不是有效的 {kind_zh}（文件损坏或类型不对）", f"not a valid {kind_en}", where)
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"{kind_zh}已损坏，无法打开", f"the {kind_en} is damaged: {exc}", where) from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"{kind_zh}中的部件过多（{len(infos):,} 个），疑似损坏或恶意文件，已拒绝",
                         f"the {kind_en} holds too many parts ({len(infos):,}); refused", where)
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > max_unpacked or total / packed > MAX_RATIO and total > 20 * 1024 * 1024:
        raise InputError(f"{kind_zh}解压后过大（{total / 2**20:,.0f} MB），疑似损坏或恶意文件，已拒绝",
                         f"the {kind_en} unpacks to {total / 2**20:,.0f} MB; refused as damaged or hostile", where)
    if main_part not in {i.filename for i in infos}:
        raise InputError(f"不是{kind_zh}（缺少 {main_part}）", f"not a {kind_en} (no {main_part})", where)

