"""Workbook files through openpyxl: safe loading of untrusted files, atomic saving.

Loading refuses what is not an .xlsx (an old .xls, a renamed text file, a zip bomb) with a clear
message; saving writes a temporary file next to the target and renames it over, so a crash
never leaves a half-written workbook, and refuses a workbook Excel holds open (``~$`` lock).
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from juesuan.containers import check_zip, require_regular
from juesuan.errors import InputError, Location

if TYPE_CHECKING:  # openpyxl (and the numpy it pulls in) is imported by what loads a workbook, not by every command
    from openpyxl.workbook import Workbook



def check_readable(path: Path) -> None:
    where = Location(file=str(path))
    require_regular(path)  # missing, a folder, a FIFO, unreadable: said before the name is looked at
    if path.suffix.lower() == ".xls":
        raise InputError("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx", "old .xls files are not supported; "
                         "save as .xlsx", where)
    if path.suffix.lower() == ".json":
        raise InputError("这是数据文件（.json），此处需要工作簿（.xlsx）；可先用 juesuan new --data 由它生成工作簿",
                         "this is a data file (.json) where a workbook (.xlsx) is needed; juesuan new --data "
                         "makes one from it", where)
    check_zip(path, ".xlsx 工作簿", ".xlsx workbook", "xl/workbook.xml")
    check_cell_count(path)


MAX_WORKBOOK_CELLS = 500_000  # cells of all sheets together: a 决算 workbook has about 10,000; openpyxl
# takes about a minute for 500,000, so past it a file (a pasted ledger, a hostile one) is refused
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


def check_cell_count(path: Path) -> None:
    """Refuse a workbook with more than :data:`MAX_WORKBOOK_CELLS` cells, counted in its sheet XML
    as it streams out of the zip (nothing is parsed or kept), naming the largest sheet."""
    counts: dict[str, int] = {}
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    counts[info.filename] = _count_cells(z, info)
                    if sum(counts.values()) > MAX_WORKBOOK_CELLS:
                        break
            total = sum(counts.values())
            if total <= MAX_WORKBOOK_CELLS:
                return
            biggest = max(counts, key=counts.__getitem__)
            sheet = _sheet_name(z, biggest)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        return  # a damaged part: the readers say so, naming it
    raise InputError(f"工作簿中的单元格过多（超过 {MAX_WORKBOOK_CELLS:,} 个），决算工作簿用不到这么多；"
                     "请把与决算无关的大表移到别的工作簿后再运行",
                     f"the workbook holds more than {MAX_WORKBOOK_CELLS:,} cells; move unrelated large sheets "
                     "to another workbook", Location(file=str(path), sheet=sheet))


def _count_cells(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    n, tail = 0, b""
    with z.open(info) as f:
        while chunk := f.read(1 << 20):
            data = tail + chunk
            n += len(_CELL.findall(data))
            tail = data[-40:]
            n -= len(_CELL.findall(tail))  # counted again with the next chunk
    return n + len(_CELL.findall(tail))


def _sheet_name(z: zipfile.ZipFile, part: str) -> str | None:
    """The name of the sheet stored in ``part`` (from workbook.xml and its relationships)."""
    from xml.etree.ElementTree import ParseError

    from juesuan.cached import sheet_paths

    try:
        return next((title for title, p in sheet_paths(z).items() if p == part), None)
    except (KeyError, ParseError):
        return None


def load(path: str | Path, data_only: bool = False) -> Workbook:
    path = Path(path)
    check_readable(path)
    try:
        import openpyxl

        return openpyxl.load_workbook(path, data_only=data_only)
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise InputError("工作簿已损坏或格式不受支持，无法打开", f"cannot open the workbook: {exc}",
                         Location(file=str(path))) from None


def grids(wb: Workbook, max_col: int | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet as rows of values (formulas as their text in formula mode), read once."""
    return {ws.title: sheet_grid(ws, max_col) for ws in wb.worksheets}


def sheet_grid(ws: Any, max_col: int | None = None) -> list[tuple[Any, ...]]:
    """A sheet as rows of values, built from the cells that exist (never the sheet's whole extent:
    one value at XFD1048576 must not make a grid of 17 billion cells).  Only the first ``max_col``
    columns are read; rows without a value there are ``()`` (readers take ragged rows).  Text that
    starts with "=" but is a string cell (typed with a quote, or written by juesuan) is a
    :class:`~juesuan.celltext.Literal`, so readers do not take it for a formula."""
    from juesuan.celltext import Literal
    from juesuan.locate import MAX_COLUMNS

    max_col = max_col or MAX_COLUMNS
    rows: dict[int, dict[int, Any]] = {}
    for (r, c), cell in ws._cells.items():  # noqa: SLF001 — the sparse store; iter_rows would create cells
        v = cell._value  # noqa: SLF001
        if v is None or c > max_col:
            continue
        if cell.data_type == "s" and isinstance(v, str) and v.startswith("="):
            v = Literal(v)
        rows.setdefault(r, {})[c] = v
    return dense_rows(rows)


def dense_rows(rows: dict[int, dict[int, Any]]) -> list[tuple[Any, ...]]:
    """Sparse cells ``{row: {col: value}}`` (1-based) as a grid: rows as tuples up to their last
    value, ``()`` for a row without any."""
    out: list[tuple[Any, ...]] = [()] * (max(rows) if rows else 0)
    for r, cells in rows.items():
        row = [None] * max(cells)
        for c, v in cells.items():
            row[c - 1] = v
        out[r - 1] = tuple(row)
    return out


def lock_file(path: Path) -> Path:
    """The owner file next to a workbook: ``~$name.xlsx``, as Excel and WPS make while it is open."""
    return path.with_name("~$" + path.name)


LOCK_MARK = b"juesuan"  # how our own owner files start (Excel's start with the user name's length)
_HELD: dict[str, int] = {}  # owner files this process holds: resolved path → descriptor


def refuse_if_open(path: Path) -> None:
    """Refuse a workbook another program has open: Excel/WPS (its ``~$`` file) or another juesuan
    command (its ``~$`` file, locked by the operating system while it runs).  An owner file left
    by a juesuan command that was killed is not held by anyone and does not count."""
    lock = lock_file(Path(path))
    if str(lock.resolve()) in _HELD or not lock.exists():
        return
    try:
        with open(lock, "rb") as f:
            head = f.read(len(LOCK_MARK))
    except OSError:
        head = b""
    where = Location(file=str(path))
    if head != LOCK_MARK:
        raise InputError("该工作簿正在 Excel 中打开，请先关闭再运行（或用 -o 另存）",
                         "the workbook is open in Excel (its ~$ lock file exists); close it or use -o", where)
    if _held_elsewhere(lock):
        raise InputError("另一个 juesuan 命令正在处理该工作簿，请等它结束后再运行",
                         "another juesuan command is working on this workbook; run again when it has finished", where)


def _held_elsewhere(lock: Path) -> bool:
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        if not _try_lock(fd):
            return True
        _unlock(fd)
        return False
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    """An exclusive operating-system lock on ``fd``, without waiting; False when another holds it."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def hold(path: str | Path) -> Iterator[None]:
    """Own the workbook at ``path`` while the block runs: one juesuan command per workbook.

    Writes the ``~$`` owner file (so Excel and WPS, too, see the workbook as in use) and locks it
    through the operating system, which releases the lock when the process ends, even killed; a
    leftover owner file of a killed run is taken over.  Refuses (InputError) when Excel or another
    juesuan command holds the workbook.
    """
    path = Path(path)
    lock = lock_file(path)
    key = str(lock.resolve())
    if key in _HELD:
        yield
        return
    refuse_if_open(path)
    where = Location(file=str(path))
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except FileNotFoundError:  # no folder yet: nothing can be open there
        yield
        return
    except OSError as exc:
        raise InputError(f"无法在该文件夹中写入（{exc.strerror or exc}）", f"cannot write in the folder: {exc}",
                         where) from None
    try:
        if not _try_lock(fd) or not _same_file(fd, lock):
            raise InputError("另一个 juesuan 命令正在处理该工作簿，请等它结束后再运行",
                             "another juesuan command is working on this workbook; run again when it has finished",
                             where)
        os.ftruncate(fd, 0)
        os.write(fd, LOCK_MARK + f" {os.getpid()}\n".encode())
        _HELD[key] = fd
        try:
            yield
        finally:
            del _HELD[key]
            try:
                lock.unlink()
            except OSError:
                pass
            _unlock(fd)
    finally:
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file ``fd`` locked (another run may have removed it meanwhile)."""
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def refuse_read_only(path: Path) -> None:
    """A file without any write permission (mode 0444, Windows' read-only flag) is left alone, even
    by a user (root, an administrator) whom the system would let replace it."""
    try:
        mode = Path(path).stat().st_mode
    except OSError:
        return
    if not mode & 0o222:
        raise InputError("文件为只读，不能写入；如确需修改，请先取消只读属性，或用 -o 写到别处",
                         "the file is read-only; clear its read-only flag or write elsewhere with -o",
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
    refuse_read_only(path)
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
    """Append a row of plain values to a report (batch summary, audit report): text taken from
    documents or data files never becomes a formula (see :func:`juesuan.celltext.plain_cells`)."""
    from juesuan.celltext import plain_cells, report_text

    ws.append([report_text(v) if isinstance(v, str) else v for v in values])
    plain_cells(ws[ws._current_row])  # noqa: SLF001 — the row just appended
