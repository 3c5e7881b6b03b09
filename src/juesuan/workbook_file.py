"""Workbook files through openpyxl: safe loading of untrusted files, atomic saving.

Loading refuses what is not an .xlsx (an old .xls, a renamed text file, a zip bomb) with a clear
message; saving writes a temporary file next to the target and renames it over, so a crash
never leaves a half-written workbook, and refuses a workbook Excel holds open (``~$`` lock).
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Callable

import openpyxl
from openpyxl.workbook import Workbook

from juesuan.errors import InputError, Location

MAX_UNCOMPRESSED = 300 * 1024 * 1024  # a workbook larger than this when unpacked is refused
MAX_RATIO = 200  # …and so is one that unpacks more than 200× its size (a zip bomb)


def check_readable(path: Path) -> None:
    where = Location(file=str(path))
    if not path.exists():
        raise InputError("找不到文件", "file not found", where)
    if path.suffix.lower() == ".xls":
        raise InputError("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx", "old .xls files are not supported; "
                         "save as .xlsx", where)
    if not zipfile.is_zipfile(path):
        raise InputError("不是有效的 .xlsx 工作簿（文件损坏或不是 Excel 文件）", "not a valid .xlsx workbook", where)
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            total = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError("工作簿已损坏，无法打开", f"the workbook is damaged: {exc}", where) from None
    if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO and total > 20 * 1024 * 1024:
        raise InputError("工作簿解压后过大，疑似损坏或恶意文件，已拒绝", "the workbook unpacks too large; refused", where)
    if "xl/workbook.xml" not in names:
        raise InputError("不是 Excel 工作簿（缺少 xl/workbook.xml）", "not an Excel workbook", where)


def load(path: str | Path, data_only: bool = False) -> Workbook:
    path = Path(path)
    check_readable(path)
    try:
        return openpyxl.load_workbook(path, data_only=data_only)
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise InputError("工作簿已损坏或格式不受支持，无法打开", f"cannot open the workbook: {exc}",
                         Location(file=str(path))) from None


def grids(wb: Workbook) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet as rows of values (formulas as their text in formula mode), read once."""
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def lock_file(path: Path) -> Path:
    return path.with_name("~$" + path.name)


def refuse_if_open(path: Path) -> None:
    if lock_file(path).exists():
        raise InputError("该工作簿正在 Excel 中打开，请先关闭再运行（或用 -o 另存）",
                         "the workbook is open in Excel (its ~$ lock file exists); close it or use -o",
                         Location(file=str(path)))


MACRO_SUFFIXES = {".xlsm", ".xltm", ".xltx", ".xlam"}  # openpyxl would drop their VBA or content type


def refuse_macro_workbook(path: Path) -> None:
    if path.suffix.lower() in MACRO_SUFFIXES:
        raise InputError(f"不能写入 {path.suffix} 文件（其中的宏或模板格式会丢失），请另存为 .xlsx 或用 -o 写到 .xlsx",
                         f"cannot write a {path.suffix} file (its macros or template type would be lost); "
                         "save as .xlsx or use -o OUT.xlsx", Location(file=str(path)))


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` then rename ``tmp`` over ``path``; nothing is left behind on failure.

    The file keeps the permissions it had (a new one gets the usual ones for the umask), and an
    operating-system failure (a folder, a read-only place) is a clear InputError, not a traceback.
    """
    path = Path(path)
    refuse_if_open(path)
    if path.suffix.lower() in MACRO_SUFFIXES:
        refuse_macro_workbook(path)
    replace_atomically(path, write)


def replace_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """The one atomic writer: ``write(tmp)`` into a temp file beside ``path``, then ``os.replace``;
    nothing left behind on failure; permissions kept; an OS failure is an InputError naming the
    file.  :func:`write_atomic` adds the workbook checks (open in Excel, macro workbooks)."""
    where = Location(file=str(path))
    if path.is_dir():
        raise InputError("输出路径是一个文件夹", "the output path is a folder", where)
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".juesuan-", suffix=path.suffix, dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        write(tmp)
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(f"无法写入文件：{exc.strerror or exc}", f"cannot write the file: {exc}", where) from None
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink()


def _mode_for(path: Path) -> int:
    """The mode ``path`` has now, or what a newly created file gets under the current umask."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def append_plain_row(ws: Any, values: Any) -> None:
    """Append a row of plain values: text taken from documents or data files never becomes a
    formula (a quoted line starting with "=") and loses characters a workbook cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"
