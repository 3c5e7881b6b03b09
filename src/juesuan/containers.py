"""The one guarded opener for zip containers (.xlsx, .docx) and the XML inside them.

A department's workbook or a published .docx comes from outside.  Before any library unpacks
or parses it, :func:`check_zip` refuses (InputError naming the file, exit status 2):

- what is not a zip at all, or a damaged one;
- a container that unpacks to more than ``max_unpacked`` bytes, or more than :data:`MAX_RATIO`
  times its packed size once it is past 20 MB (a zip bomb: a 1.6 MB .docx holding a 1.5 GB text
  node), or holds more than :data:`MAX_MEMBERS` parts;
- one holding a part twice (Excel and juesuan could read different contents) or a part named
  outside the package (``../x``, ``/x``);
- one missing its main part (``xl/workbook.xml``, ``word/document.xml``);
- a compound (OLE) file: an encrypted workbook or document (said so: remove the password) or an
  old binary .xls/.doc.

XML is then parsed without entity expansion and without lxml's ``huge_tree`` (openpyxl uses
defusedxml, a dependency, when it is installed; python-docx its own lxml parser with
``resolve_entities`` off), and any parser failure becomes the same kind of message in the caller.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from juesuan.errors import InputError, Location

MAX_UNPACKED = 300 * 1024 * 1024  # a workbook larger than this when unpacked is refused
MAX_RATIO = 200  # …and so is one that unpacks more than 200× its size past 20 MB (a zip bomb)
MAX_MEMBERS = 10_000  # parts of one container
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # a compound file: an old .xls/.doc, or an encrypted .xlsx/.docx
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted OOXML file holds
OLE_READ = 1 << 16  # how much of a compound file is searched for that stream's directory entry


def require_regular(path: str | Path) -> None:
    """Refuse (InputError naming it) an input that is not a readable regular file: missing (or a
    link to nothing), a folder, a pipe or a device (opening a FIFO waits for a writer forever)."""
    where = Location(file=str(path))
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError("找不到文件", "file not found", where) from None
    except OSError as exc:
        raise InputError(f"无法读取文件（{exc.strerror or exc}）", f"cannot read the file: {exc}", where) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("这是一个文件夹，不是文件", "this is a folder, not a file", where)
    if not stat.S_ISREG(st.st_mode):
        raise InputError("不是普通文件（是管道或设备），无法读取", "not a regular file (a pipe or a device)", where)
    if not os.access(path, os.R_OK):
        raise InputError("没有读取该文件的权限", "no permission to read the file", where)


def check_zip(path: Path, kind_zh: str, kind_en: str, main_part: str, max_unpacked: int = MAX_UNPACKED) -> None:
    """Refuse ``path`` unless it is a sane zip container holding ``main_part``."""
    where = Location(file=str(path))
    require_regular(path)
    with open(path, "rb") as f:
        head = f.read(OLE_READ)
    if head.startswith(OLE_MAGIC):
        if ENCRYPTED_MARK in head:
            raise InputError(f"{kind_zh}设有打开密码（已加密），无法读取；请在 Excel 或 WPS 中取消密码后另存",
                             f"the {kind_en} is password-protected (encrypted); remove the password and save it again",
                             where)
        raise InputError(f"不是 {kind_zh}，而是旧版 Office 二进制文件（如 .xls、.doc）；请在 Excel、WPS 或 Word 中另存为新格式",
                         f"not a {kind_en} but an old binary Office file (.xls, .doc); save it in the new format",
                         where)
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
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        seen: set[str] = set()
        twice = next(n for n in names if n in seen or seen.add(n))  # type: ignore[func-returns-value]
        raise InputError(f"{kind_zh}中部件「{twice}」出现了两次（不同程序会读到不同的内容），疑似损坏或恶意文件，已拒绝",
                         f"the {kind_en} holds the part {twice!r} twice (programs would disagree on its content); "
                         "refused", where)
    bad = next((n for n in names if n.startswith(("/", "\\")) or ".." in n.replace("\\", "/").split("/")), None)
    if bad is not None:
        raise InputError(f"{kind_zh}中有指向包外的部件名「{bad}」，疑似恶意文件，已拒绝",
                         f"the {kind_en} holds a part named {bad!r}, outside the package; refused", where)
    if main_part not in set(names):
        raise InputError(f"不是{kind_zh}（缺少 {main_part}）", f"not a {kind_en} (no {main_part})", where)

