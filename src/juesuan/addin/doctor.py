"""``juesuan addin doctor`` and the ribbon's 环境诊断 button: what is present, what is missing.

Each check is a plain function returning one :class:`Check`; :data:`CHECKS` lists them in the
order shown.  *Essential* checks decide the exit status (0 all essential checks pass, 1 not);
the others are advice.  Everything runs on any OS: Windows-only facts (XLSTART, the settings file,
the registry) are reported as "checked on Windows only" elsewhere.

Example on Linux::

    √ Python 版本 (Python version)：3.11.7
    √ xlwings：0.37.8
    × juesuan.excel.dispatch：无法导入 (cannot import): No module named 'juesuan.excel'
    ...
"""

from __future__ import annotations

import importlib
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from juesuan.addin import PYTHON_FUNCTION, PYTHON_MODULE
from juesuan.addin import build, install

MIN_PYTHON = (3, 11)
OFFICE_VERSIONS = ("16.0", "15.0", "14.0")  # Office 2016-365, 2013, 2010


@dataclass(frozen=True)
class Check:
    """One line of the report: the item (Chinese, English beside), whether it is fine, and why."""

    item: str
    ok: bool
    detail: str
    essential: bool = True


def check_python() -> Check:
    ok = sys.version_info[:2] >= MIN_PYTHON
    need = "" if ok else f"，需要 {MIN_PYTHON[0]}.{MIN_PYTHON[1]} 或更高 (need {MIN_PYTHON[0]}.{MIN_PYTHON[1]}+)"
    return Check("Python 版本 (Python version)", ok, f"{platform.python_version()}{need} ({sys.executable})")


def check_juesuan() -> Check:
    import juesuan

    return Check("juesuan 版本 (juesuan version)", True, getattr(juesuan, "__version__", "?"), essential=False)


def _xlwings_version() -> str | None:
    try:
        import xlwings
    except Exception:  # noqa: BLE001 - any import failure means "not usable"
        return None
    return getattr(xlwings, "__version__", "?")


def check_xlwings() -> Check:
    version = _xlwings_version()
    if version is None:
        return Check("xlwings", False, "未安装 (not installed)：pip install xlwings")
    return Check("xlwings", True, version)


def _addin_file() -> Path | None:
    if install.is_windows() and install.installed_addin_path().is_file():
        return install.installed_addin_path()
    try:
        return build.locate_addin()
    except Exception:  # noqa: BLE001 - no built add-in: reported by check_addin_file
        return None


def check_xlwings_matches() -> Check:
    item = "xlwings 版本与加载项一致 (xlwings matches the add-in)"
    installed = _xlwings_version()
    addin = _addin_file()
    built_for = build.built_for_xlwings(addin) if addin else None
    if installed is None or built_for is None:
        return Check(item, False, "无法比较 (cannot compare)", essential=False)
    if installed == built_for:
        return Check(item, True, f"{installed}", essential=False)
    return Check(item, False,
                 f"已安装 {installed}，加载项按 {built_for} 构建；通常仍可使用，如按钮出错请安装 xlwings=={built_for} "
                 f"(installed {installed}, add-in built for {built_for})", essential=False)


def check_dispatch() -> Check:
    item = f"{PYTHON_MODULE}.{PYTHON_FUNCTION}"
    try:
        module = importlib.import_module(PYTHON_MODULE)
    except Exception as exc:  # noqa: BLE001 - report whatever stops the import
        return Check(item, False, f"无法导入 (cannot import)：{type(exc).__name__}: {exc}")
    if not callable(getattr(module, PYTHON_FUNCTION, None)):
        return Check(item, False, f"{PYTHON_MODULE} 中没有 {PYTHON_FUNCTION} 函数 (no {PYTHON_FUNCTION} function)")
    return Check(item, True, "可调用 (callable)")


def check_addin_file() -> Check:
    item = "加载项文件 (add-in file)"
    if install.is_windows():
        path = install.installed_addin_path()
        if not path.is_file():
            return Check(item, False, f"未安装 (not installed)：{path}；请运行 juesuan addin install")
        try:
            current = build.locate_addin().read_bytes() == path.read_bytes()
        except Exception:  # noqa: BLE001 - no packaged build to compare with
            current = True
        if not current:
            return Check(item, True, f"{path}（不是当前版本，建议重新运行 juesuan addin install；"
                                     "older than this juesuan: run juesuan addin install）")
        return Check(item, True, str(path))
    try:
        return Check(item, True, f"已构建 (built)：{build.locate_addin()}；仅可安装到 Windows (installs on Windows only)",
                     essential=False)
    except Exception:  # noqa: BLE001
        return Check(item, False, "未构建 (not built)：juesuan addin build", essential=False)


def check_settings() -> Check:
    item = "Python 设置 (xlwings settings)"
    if not install.is_windows():
        return Check(item, True, "仅在 Windows 上检查 (checked on Windows only)", essential=False)
    path = install.config_path()
    settings = {k.upper(): v for k, v in install.read_config(path).items()}
    interpreter = settings.get(install.INTERPRETER_KEY)
    if not interpreter:
        return Check(item, False, f"{path} 中没有 {install.INTERPRETER_KEY}；请运行 juesuan addin install")
    if not Path(interpreter).is_file():
        return Check(item, False, f"{install.INTERPRETER_KEY} 指向的文件不存在 (missing)：{interpreter}")
    note = "" if Path(interpreter) == Path(sys.executable) else "（与当前 Python 不同 differs from this Python）"
    return Check(item, True, f"{install.INTERPRETER_KEY} = {interpreter}{note}")


def _registry_dword(path: str, name: str) -> int | None:
    try:
        import winreg  # type: ignore[import-not-found]  # Windows only
    except ImportError:
        return None
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path) as key:
            return int(winreg.QueryValueEx(key, name)[0])
    except OSError:
        return None


def check_vbom_trust() -> Check:
    item = "信任对 VBA 工程对象模型的访问 (trust access to the VBA project object model)"
    if not install.is_windows():
        return Check(item, True, "仅在 Windows 上检查 (checked on Windows only)", essential=False)
    for version in OFFICE_VERSIONS:
        value = _registry_dword(rf"Software\Microsoft\Office\{version}\Excel\Security", "AccessVBOM")
        if value is not None:
            state = "已开启 (on)" if value else "未开启 (off)"
            return Check(item, True, f"{state}，Office {version}；本加载项不需要 (not needed by this add-in)",
                         essential=False)
    return Check(item, True, "未设置 (not set)；本加载项不需要 (not needed by this add-in)", essential=False)


def check_platform() -> Check:
    item = "Excel 功能区 (Excel ribbon)"
    if install.is_windows():
        return Check(item, True, f"Windows {platform.release()}", essential=False)
    return Check(item, False, f"{platform.system()}：功能区只在 Windows 版 Excel 中可用，请使用 juesuan 命令行 "
                              "(the ribbon needs Excel on Windows; use the juesuan command line)", essential=False)


CHECKS: tuple[Callable[[], Check], ...] = (
    check_python, check_juesuan, check_xlwings, check_xlwings_matches, check_dispatch,
    check_addin_file, check_settings, check_vbom_trust, check_platform,
)


def run_checks() -> list[Check]:
    """Every check; a check that crashes is reported as failed rather than stopping the report."""
    results = []
    for check in CHECKS:
        try:
            results.append(check())
        except Exception as exc:  # noqa: BLE001 - a doctor must always answer
            results.append(Check(check.__name__, False, f"检查出错 (check failed)：{type(exc).__name__}: {exc}"))
    return results


def exit_status(checks: list[Check]) -> int:
    return 0 if all(c.ok for c in checks if c.essential) else 1


def format_report(checks: list[Check]) -> str:
    """Lines ``√ item：detail`` / ``× item：detail`` (both marks exist in GBK consoles), and a verdict."""
    lines = [f"{'√' if c.ok else '×'} {c.item}：{c.detail}" for c in checks]
    if exit_status(checks) == 0:
        lines.append("环境正常 (the essentials are in place)")
    else:
        missing = "、".join(c.item for c in checks if c.essential and not c.ok)
        lines.append(f"缺少必需项 (missing essentials)：{missing}")
    return "\n".join(lines)
