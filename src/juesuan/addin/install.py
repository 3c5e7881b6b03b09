"""Install the add-in for the current Windows user: XLSTART, plus the settings file RunPython reads.

Why XLSTART (``%APPDATA%\\Microsoft\\Excel\\XLSTART``): Excel opens every file there at start-up,
and it is one of Excel's default *trusted locations*, so the add-in's macros run without a
security prompt and without the user touching the Add-ins dialog or the Trust Center.

Why ``%USERPROFILE%\\.juesuan\\juesuan.conf``: the embedded xlwings VBA (PROJECT_NAME "juesuan")
reads its user settings there -- the same ``"KEY","VALUE"`` lines VBA's ``Write #`` produces, in
the ANSI code page VBA's ``Input #`` reads.  We set ``INTERPRETER_WIN`` to the Python running
this command (and xlwings' conda settings when run from an activated conda env) and keep any other
line the user added.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import sys
from pathlib import Path

from juesuan.addin import ADDIN_FILENAME, XLWINGS_PROJECT_NAME
from juesuan.errors import InputError

INTERPRETER_KEY = "INTERPRETER_WIN"
CONDA_KEYS = ("CONDA PATH", "CONDA ENV")


def is_windows() -> bool:
    return sys.platform.startswith("win")


def require_windows() -> None:
    if not is_windows():
        raise InputError(
            "加载项只能安装在 Windows 版 Excel 中；在本系统上请使用 juesuan 命令行（fill、check、narrate、export）",
            "the add-in installs into Excel on Windows only; on this system use the juesuan command line",
        )


def xlstart_dir() -> Path:
    """The current user's Excel start-up folder."""
    return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "Microsoft" / "Excel" / "XLSTART"


def installed_addin_path() -> Path:
    return xlstart_dir() / ADDIN_FILENAME


def config_path() -> Path:
    """Where the add-in's xlwings VBA looks for user settings (GetConfigFilePath, PROJECT_NAME)."""
    home = Path(os.environ.get("USERPROFILE", Path.home()))
    return home / f".{XLWINGS_PROJECT_NAME}" / f"{XLWINGS_PROJECT_NAME}.conf"


def config_encoding() -> str:
    """VBA reads the file in the ANSI code page; ``mbcs`` is that code page (Windows only)."""
    try:
        return codecs.lookup("mbcs").name
    except LookupError:
        return "utf-8"


def parse_config(text: str) -> dict[str, str]:
    """``"KEY","VALUE"`` lines (VBA ``Write #`` format) to a dict; keys compared case-insensitively."""
    settings: dict[str, str] = {}
    for row in csv.reader(io.StringIO(text)):
        if len(row) >= 2 and row[0].strip():
            settings[row[0].strip()] = row[1]
    return settings


def format_config(settings: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for key, value in settings.items():
        writer.writerow([key, value])
    return out.getvalue()


def read_config(path: Path | None = None) -> dict[str, str]:
    path = path or config_path()
    if not path.is_file():
        return {}
    return parse_config(path.read_bytes().decode(config_encoding(), errors="replace"))


def _set(settings: dict[str, str], key: str, value: str | None) -> None:
    for existing in [k for k in settings if k.upper() == key.upper()]:
        del settings[existing]
    if value is not None:
        settings[key] = value


def conda_settings() -> tuple[str | None, str | None]:
    """(CONDA PATH, CONDA ENV) as ``xlwings config create`` derives them, or (None, None)."""
    env, exe = os.environ.get("CONDA_DEFAULT_ENV"), os.environ.get("CONDA_EXE")
    if env and exe:
        return os.path.sep.join(exe.split(os.path.sep)[:-2]), env
    return None, None


def updated_config(settings: dict[str, str], interpreter: str) -> dict[str, str]:
    """``settings`` with our interpreter (and conda settings, or none) replacing older ones."""
    new = dict(settings)
    _set(new, INTERPRETER_KEY, interpreter)
    for key, value in zip(CONDA_KEYS, conda_settings()):
        _set(new, key, value)
    return new


def write_config(settings: dict[str, str], path: Path | None = None) -> Path:
    from juesuan.addin.build import write_atomic

    path = path or config_path()
    try:
        data = format_config(settings).encode(config_encoding())
    except UnicodeEncodeError:
        raise InputError(
            f"Python 的路径含有当前系统代码页无法表示的字符，Excel 无法读取：{settings.get(INTERPRETER_KEY)}。"
            "请把 Python 安装到只含中英文字符的路径",
            "the Python path has characters the system code page cannot hold, so Excel cannot read it",
        ) from None
    write_atomic(path, data)
    return path


def install(source: Path) -> list[str]:
    """Copy ``source`` into XLSTART and write the settings; return what was done, for printing."""
    require_windows()
    from juesuan.addin.build import write_atomic

    target = installed_addin_path()
    try:
        write_atomic(target, source.read_bytes())
    except PermissionError:
        raise InputError(
            f"无法写入 {target}：Excel 可能正在运行并打开了加载项。请关闭 Excel 后重新运行 juesuan addin install",
            f"cannot write {target}: Excel is probably running with the add-in open; close Excel and retry",
        ) from None
    conf = write_config(updated_config(read_config(), sys.executable))
    return [
        f"已安装加载项 installed the add-in: {target}",
        f"已写入 Python 设置 wrote the Python setting: {conf} ({INTERPRETER_KEY} = {sys.executable})",
        "请重新启动 Excel，功能区上会出现「决算公开」选项卡 (restart Excel; the 决算公开 tab appears)",
    ]
