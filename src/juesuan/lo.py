"""LibreOffice headless: convert workbooks (recalculated) and documents, many files per call.

LibreOffice is the independent spreadsheet engine the tests use to prove our stored values (and
the exporter uses for PDF).  Two facts shape this module:

- On load LibreOffice keeps the cached values of an .xlsx unless its profile says "always
  recalculate" (``/org.openoffice.Office.Calc/Formula/Load`` ``OOXMLRecalcMode`` = 0).  We run
  it with a private profile (``-env:UserInstallation``) that sets this, so the user's own
  LibreOffice settings neither matter nor change, and a running LibreOffice is not reused.
- Starting it costs about a second; converting many files in one call costs about 0.4 s each.

Example::

    lo.convert([a, b], out_dir, "xlsx")   # → [out_dir/a.xlsx, out_dir/b.xlsx], recalculated
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence

from juesuan.errors import InputError

CANDIDATES = ("soffice", "libreoffice")
_LOCK = threading.Lock()
_PROFILES: dict[int, Path] = {}
_PROFILE_LOCKS: dict[int, threading.Lock] = {}

REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
</oor:items>
"""

# output extension → LibreOffice filter ("--convert-to xlsx:…")
FILTERS = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "pdf": "pdf", "ods": "ods", "docx": "docx"}


WINDOWS_FOLDERS = ["%ProgramFiles%", "%ProgramFiles(x86)%"]


def find_soffice() -> str:
    """The LibreOffice program on PATH (``JUESUAN_SOFFICE`` overrides), or a clear InputError."""
    override = os.environ.get("JUESUAN_SOFFICE")
    if override:
        return override
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    for folder in WINDOWS_FOLDERS:  # Windows installs LibreOffice outside PATH
        exe = Path(os.path.expandvars(folder)) / "LibreOffice" / "program" / "soffice.exe"
        if exe.exists():
            return str(exe)
    raise InputError("找不到 LibreOffice（soffice）。请安装 LibreOffice（Debian/Ubuntu：apt install "
                     "libreoffice-calc-nogui fonts-noto-cjk），或用环境变量 JUESUAN_SOFFICE 指定程序路径",
                     "LibreOffice (soffice) not found on PATH; install it or set JUESUAN_SOFFICE")


def make_profile(root: Path) -> Path:
    """A LibreOffice user profile in ``root`` that always recalculates .xlsx/.ods on load."""
    user = root / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(REGISTRY, encoding="utf-8")
    return root


def profile(slot: int = 0) -> Path:
    """This process's private profile number ``slot`` (made once; removed at exit).

    One LibreOffice runs per profile at a time; parallel conversions use one slot each.
    """
    with _LOCK:
        if slot not in _PROFILES:
            root = Path(tempfile.mkdtemp(prefix=f"juesuan-lo{slot}-"))
            _PROFILES[slot] = make_profile(root)
            _PROFILE_LOCKS[slot] = threading.Lock()
            atexit.register(shutil.rmtree, root, True)
        return _PROFILES[slot]


def convert(files: Sequence[str | Path], out_dir: str | Path, to: str = "xlsx", timeout: float | None = None,
            profile_dir: Path | None = None, jobs: int = 1) -> list[Path]:
    """Convert ``files`` into ``out_dir``; the converted paths, in order.

    Workbooks are recalculated on load (see the module docstring).  ``jobs`` > 1 splits the
    files between that many LibreOffice processes (each with its own profile) running at once.
    File names must be unique by stem (outputs are ``out_dir/<stem>.<to>``).  Raises InputError
    when LibreOffice is missing, fails or leaves an output missing.
    """
    soffice = find_soffice()
    paths = [Path(f).resolve() for f in files]
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if not paths:
        return []
    stems = [p.stem for p in paths]
    if len(set(stems)) != len(stems):
        raise ValueError("lo.convert: file names must be unique (outputs are named by stem)")
    targets = [out / f"{p.stem}.{to}" for p in paths]
    for t in targets:
        if t.exists():
            t.unlink()
    jobs = max(1, min(jobs, len(paths))) if profile_dir is None else 1
    chunks = [paths[i::jobs] for i in range(jobs)]
    if jobs == 1:
        logs = [_run(soffice, chunks[0], out, to, timeout, profile_dir, 0)]
    else:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_run, soffice, chunk, out, to, timeout, None, slot)
                       for slot, chunk in enumerate(chunks)]
            logs = [f.result() for f in futures]
    missing = [t for t in targets if not t.exists()]
    if missing:
        detail = " ".join(logs).strip()[-500:]
        raise InputError(f"LibreOffice 转换失败：{len(missing)} 个文件未生成",
                         f"LibreOffice conversion failed: missing {', '.join(t.name for t in missing[:5])}: {detail}")
    return targets


def _run(soffice: str, paths: list[Path], out: Path, to: str, timeout: float | None, profile_dir: Path | None,
         slot: int) -> str:
    """One LibreOffice process converting ``paths``; its messages."""
    prof = profile_dir or profile(slot)
    cmd = [soffice, f"-env:UserInstallation={prof.as_uri()}", "--headless", "--norestore", "--nologo",
           "--nodefault", "--nolockcheck", "--convert-to", FILTERS.get(to, to), "--outdir", str(out),
           *map(str, paths)]
    limit = timeout if timeout is not None else 120 + 10 * len(paths)
    lock = _PROFILE_LOCKS.get(slot) if profile_dir is None else None
    with lock or threading.Lock():  # one LibreOffice per profile at a time
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=limit,
                                  env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"})
        except subprocess.TimeoutExpired:
            raise InputError(f"LibreOffice 转换超时（{limit:.0f} 秒）", f"LibreOffice timed out after {limit:.0f} s") \
                from None
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout or "").strip()[-500:]
        raise InputError(f"LibreOffice 转换失败（退出码 {proc.returncode}）",
                         f"LibreOffice conversion failed (exit {proc.returncode}): {detail}")
    return proc.stderr or ""
