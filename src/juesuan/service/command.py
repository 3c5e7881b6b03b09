"""``juesuan serve`` (the local service) and ``juesuan wps install`` (the WPS 加载项 registration)."""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import threading
from pathlib import Path
from xml.etree import ElementTree as ET

from juesuan.errors import InputError, Location
from juesuan.service.token import load_or_create, service_dir

LOOPBACK = ("127.0.0.1", "localhost", "::1")
ADDIN_NAME = "juesuan"


def run(args: argparse.Namespace) -> int:
    if args.command == "serve":
        return serve(args.host, args.port)
    return wps_install(args.port)


# ── juesuan serve ───────────────────────────────────────────────────────────────────────
def prepare_folder() -> Path:
    """The service's folder (0700), made the process's temporary folder and the XDG cache and
    config folders too, so that nothing the pipeline or LibreOffice (dconf, fontconfig) writes
    lands anywhere else."""
    folder = service_dir()
    tmp = folder / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, 0o700)
    tempfile.tempdir = str(tmp)
    for var in ("TMPDIR", "TEMP", "TMP"):
        os.environ[var] = str(tmp)
    for var, sub in (("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config")):
        (folder / sub).mkdir(exist_ok=True)
        os.environ[var] = str(folder / sub)
    return folder


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    if os.name == "posix":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InputError(f"无法在 {host}:{port} 上启动服务（{exc.strerror or exc}）；端口可能已被占用，可用 --port 换一个",
                         f"cannot listen on {host}:{port} ({exc}); the port may be in use, try --port") from None
    sock.listen(16)
    return sock


def serve(host: str, port: int) -> int:
    import uvicorn

    from juesuan.service.app import Settings, allowed, create_app

    token = load_or_create()
    folder = prepare_folder()
    sock = bind(host, port)
    port = sock.getsockname()[1]
    hosts, origins = allowed(host if host != "::1" else "127.0.0.1", port)
    if host in ("0.0.0.0", "::"):
        print("注意 note：服务监听所有网络接口，局域网中的电脑也能连接（仍需令牌）"
              "(listening on every interface: other computers can connect, with the token)", file=sys.stderr)
        hosts = frozenset()  # any Host: the token still guards every request
    elif host not in LOOPBACK:
        print(f"注意 note：服务监听 {host}，不只是本机 (listening beyond this computer)", file=sys.stderr)
    app = create_app(Settings(folder, token, hosts, origins))
    shown = host if host not in ("0.0.0.0", "::", "::1") else "127.0.0.1"
    base = f"http://{shown}:{port}"
    print(f"决算公开助手服务已启动 (juesuan service running) on {base}")
    print(f"浏览器页面 browser page: {base}/s/{token}/")
    print(f"WPS 加载项 add-in: {base}/s/{token}/wps/  (juesuan wps install --port {port})")
    print("按 Ctrl+C 停止 (Ctrl+C stops it)", flush=True)
    threading.Thread(target=warm_up, daemon=True).start()
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    return 0


def warm_up() -> None:
    """Import the pipeline and lint one formula once, so the first button press is quick."""
    try:
        from juesuan import fill, lint  # noqa: F401
        from juesuan.check import check_grids  # noqa: F401
        from juesuan.narrate import narrative  # noqa: F401
        from juesuan.formats import get_pack
        from juesuan.workbook_file import load

        lint.lint_workbook(load(get_pack().template_path))
    except Exception:  # noqa: BLE001 — warming up is an optimisation only
        pass


# ── juesuan wps install ─────────────────────────────────────────────────────────────────
def jsaddons_dir() -> Path:
    """WPS's per-user add-in folder: ``%APPDATA%\\kingsoft\\wps\\jsaddons`` on Windows,
    ``~/.local/share/Kingsoft/wps/jsaddons`` on Linux (UOS, Kylin, Debian …)."""
    if sys.platform.startswith("win"):
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "kingsoft" / "wps" / "jsaddons"
    return Path.home() / ".local" / "share" / "Kingsoft" / "wps" / "jsaddons"


def addin_url(port: int, token: str) -> str:
    return f"http://127.0.0.1:{port}/s/{token}/wps/"


def publish_xml(existing: str | None, url: str) -> str:
    """``publish.xml`` with our ``jspluginonline`` entry (type ``et``) in place of any earlier one;
    other add-ins' entries are kept as they were."""
    root = ET.Element("jsplugins")
    if existing and existing.strip():
        try:
            root = ET.fromstring(existing)
        except ET.ParseError:
            root = ET.Element("jsplugins")
    for child in list(root):
        if child.get("name") == ADDIN_NAME:
            root.remove(child)
    ET.SubElement(root, "jspluginonline", {"name": ADDIN_NAME, "type": "et", "url": url, "enable": "enable",
                                           "install": "null"})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def wps_install(port: int) -> int:
    from juesuan.workbook_file import write_atomic

    token = load_or_create()
    folder = jsaddons_dir()
    target = folder / "publish.xml"
    old = None
    try:
        if target.exists():
            old = target.read_text(encoding="utf-8", errors="replace")
            try:
                ET.fromstring(old)
            except ET.ParseError:
                backup = target.with_name("publish.xml.bak")
                backup.write_text(old, encoding="utf-8")
                print(f"原 publish.xml 无法解析，已备份为 {backup} (unreadable publish.xml backed up)", file=sys.stderr)
        text = publish_xml(old, addin_url(port, token))
    except OSError as exc:
        raise InputError(f"无法读取 {target}：{exc.strerror or exc}", f"cannot read {target}: {exc}",
                         Location(file=str(target))) from None
    write_atomic(target, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    if os.name == "posix":
        os.chmod(target, 0o600)  # it carries the token
    print(f"已写入 wrote {target}")
    print(f"WPS 表格启动后出现「决算公开」选项卡；使用前先运行 juesuan serve --port {port} "
          f"(start juesuan serve --port {port} before using the 决算公开 tab in WPS 表格)")
    return 0
