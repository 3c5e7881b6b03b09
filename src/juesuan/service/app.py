"""The HTTP service: Starlette routes over :mod:`.pipeline`, :mod:`.snapshot` and :mod:`.edits`.

Routes (``<t>`` is the install's token, see the package docstring for why it sits in the path
of the pages and in a header of every API call)::

    GET  /                          a page saying where to open the service (no token, no data)
    GET  /s/<t>/                    the browser page (drop a workbook or data file)
    GET  /s/<t>/wps/…               the WPS add-in: ribbon.xml, index.html, js/…
    POST /api/snapshot/<command>    fill | check | narrate | export on a snapshot → sheet edits / files
    POST /api/upload?name=B.xlsx    a workbook or data file (raw body) → fill, check, narrate, export
    GET  /api/files/<id>/<name>     a file made by the last requests (docx, pdf, xlsx)
    GET  /api/doctor                环境诊断 of the service

One request runs at a time (a second one is told to wait, 409); bodies are limited in size
(413); a missing or wrong token is 401, a foreign Host 421 and a foreign Origin 403.  Every
answer is JSON ``{"ok": false, "error": {"zh", "en", "message"}}`` on failure.
"""

from __future__ import annotations

import secrets
import shutil
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from juesuan.errors import InputError, Location
from juesuan.service import edits, pipeline, snapshot
from juesuan.service.token import matches

HEADER = "x-juesuan-token"
MAX_SNAPSHOT = 40 * 1024 * 1024  # bytes of JSON
MAX_UPLOAD = 30 * 1024 * 1024  # bytes of a workbook or data file
KEEP_RESULTS = 8  # the last results stay downloadable
PAGE_DIR = Path(__file__).parent / "page"
WPS_DIR = Path(__file__).parent / "wps"  # a link to addin/wps in a checkout
MEDIA = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".xml": "application/xml; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png", ".json": "application/json"}
SNAPSHOT_COMMANDS = ("fill", "check", "narrate", "export")
LANDING = """<!doctype html><meta charset="utf-8"><title>决算公开助手</title>
<p>决算公开助手服务正在运行。请用 <code>juesuan serve</code> 启动时显示的地址打开页面（地址中含本机令牌）。</p>
<p>The juesuan service is running. Open the address <code>juesuan serve</code> printed (it carries this install's token).</p>"""


Job = Callable[[bytes, Path, Path], dict[str, Any]]  # (body, private work folder, result folder) → answer


class Problem(Exception):
    """An answer other than success: HTTP status, Chinese and English text."""

    def __init__(self, status: int, zh: str, en: str) -> None:
        super().__init__(en)
        self.status, self.zh, self.en = status, zh, en


def error_body(zh: str, en: str, where: dict[str, Any] | None = None, message: str | None = None) -> dict[str, Any]:
    return {"ok": False, "error": {"zh": zh, "en": en, "message": message or f"{zh}（{en}）", "where": where or {}}}


def problem_response(p: Problem) -> JSONResponse:
    return JSONResponse(error_body(p.zh, p.en), status_code=p.status)


@dataclass
class Settings:
    folder: Path  # the service's own folder: everything it writes goes here
    token: str
    hosts: frozenset[str]  # accepted Host header values ("127.0.0.1:8765", …); empty: any (told to listen widely)
    origins: frozenset[str]  # accepted Origin values for POST


def allowed(host: str, port: int) -> tuple[frozenset[str], frozenset[str]]:
    """Host and Origin values a browser sends to this service (loopback names, or the bound host)."""
    names = {"127.0.0.1", "localhost", "[::1]"} if host in ("127.0.0.1", "localhost", "::1") else {host}
    hosts = frozenset(f"{n}:{port}" for n in names)
    return hosts, frozenset(f"http://{h}" for h in hosts)


class Guard:
    """Pure ASGI middleware: refuse a foreign Host (DNS rebinding), add security headers."""

    def __init__(self, app: Any, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        host = headers.get(b"host", b"").decode("latin-1").lower()
        if self.settings.hosts and host not in self.settings.hosts:
            await problem_response(Problem(421, "请求的主机名不是本服务（只接受 127.0.0.1 / localhost）",
                                           "misdirected request: only the loopback host name is served"))(
                scope, receive, send)
            return

        # the WPS add-in's pages get no content-security policy: WPS's runtime may add its own
        # scripts to them; the browser page gets a strict one
        addin = "/wps/" in scope.get("path", "")

        async def secured(message: dict) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                         (b"cache-control", b"no-store")]
                if not addin:
                    extra.append((b"content-security-policy", b"default-src 'self'; img-src 'self' data: blob:; "
                                  b"frame-ancestors 'self'; form-action 'none'; base-uri 'none'"))
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, secured)


class Service:
    """The routes' state: settings, the one-at-a-time lock, the result folders."""

    def __init__(self, settings: Settings) -> None:
        self.s = settings
        self.busy = threading.Lock()
        self.work = settings.folder / "work"
        self.results = settings.folder / "results"
        shutil.rmtree(self.work, ignore_errors=True)  # leftovers of a crash
        for d in (self.work, self.results):
            d.mkdir(parents=True, exist_ok=True)

    # ── guards ──
    def authorize(self, request: Request) -> None:
        if not matches(request.headers.get(HEADER), self.s.token):
            raise Problem(401, "缺少或错误的令牌：请从 juesuan serve 显示的地址或 WPS 加载项中使用本服务",
                          "missing or wrong token: use the address juesuan serve printed, or the WPS add-in")
        origin = request.headers.get("origin")
        if origin is not None and origin not in self.s.origins:
            raise Problem(403, "拒绝来自其他网页的请求", "requests from other origins are refused")

    async def body(self, request: Request, limit: int) -> bytes:
        """The request body, at most ``limit`` bytes.  A larger one is read to its end and
        dropped (so the client gets the 413 answer rather than a reset connection), unless it
        declares more than ten times the limit."""
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > 10 * limit:
            raise self.too_large(limit)
        chunks, total = [], 0
        async for chunk in request.stream():
            total += len(chunk)
            if total <= limit:
                chunks.append(chunk)
        if total > limit:
            raise self.too_large(limit)
        return b"".join(chunks)

    @staticmethod
    def too_large(limit: int) -> Problem:
        mb = limit // (1024 * 1024)
        return Problem(413, f"上传内容过大（上限 {mb} MB）", f"the upload is too large (limit {mb} MB)")

    async def exclusive(self, request: Request, limit: int, job: Job) -> Response:
        """Authorize, take the one-request lock, read the body, run ``job`` in a worker thread."""
        try:
            self.authorize(request)
            if not self.busy.acquire(blocking=False):
                raise Problem(409, "另一个请求正在处理，请稍候再试", "another request is running; try again shortly")
            try:
                data = await self.body(request, limit)
                return JSONResponse(await run_in_threadpool(self.guarded, job, data))
            finally:
                self.busy.release()
        except Problem as p:
            return problem_response(p)
        except InputError as exc:
            return JSONResponse(error_body(exc.zh, exc.en, {k: v for k, v in vars(exc.where).items() if v}, exc.message),
                                status_code=400)
        except ClientDisconnect:  # the client gave up while sending: nothing to answer
            return Response(status_code=400)
        except Exception:  # a bug: keep the traceback in the service's log, answer plainly
            log = self.s.folder / "service.log"
            with log.open("a", encoding="utf-8") as fh:
                fh.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {request.url.path}\n{traceback.format_exc()}\n")
            return JSONResponse(error_body(f"服务出现意外错误，详情已记录在 {log}", f"unexpected error; details in {log}"),
                                status_code=500)

    def guarded(self, job: Job, data: bytes) -> dict[str, Any]:
        rid = time.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(4)
        work = self.work / rid
        work.mkdir(parents=True)
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            answer = job(data, work, self.results / rid)
            answer["seconds"] = {"wall": round(time.perf_counter() - wall, 3), "cpu": round(time.thread_time() - cpu, 3)}
            return answer
        finally:
            shutil.rmtree(work, ignore_errors=True)
            self.prune()

    def prune(self) -> None:
        kept = sorted((p for p in self.results.iterdir() if p.is_dir()), key=lambda p: p.name)
        for old in kept[:-KEEP_RESULTS]:
            shutil.rmtree(old, ignore_errors=True)

    # ── routes ──
    async def landing(self, request: Request) -> Response:
        return HTMLResponse(LANDING)

    async def page(self, request: Request) -> Response:
        if not matches(request.path_params["token"], self.s.token):
            return HTMLResponse(LANDING, status_code=404)
        rel = request.path_params.get("path") or "index.html"
        if rel.endswith("/"):
            rel += "index.html"
        root, rel = (WPS_DIR, rel[4:]) if rel.startswith("wps/") else (PAGE_DIR, rel)
        path = (root / (rel or "index.html")).resolve()
        if not path.is_file() or not path.is_relative_to(root.resolve()) or path.suffix not in MEDIA:
            return JSONResponse(error_body("找不到该文件", "not found"), status_code=404)
        return FileResponse(path, media_type=MEDIA[path.suffix])

    async def snapshot(self, request: Request) -> Response:
        command = request.path_params["command"]
        if command not in SNAPSHOT_COMMANDS:
            return problem_response(Problem(404, f"未知的命令「{command}」", f"unknown command {command!r}"))
        return await self.exclusive(request, MAX_SNAPSHOT,
                                    lambda data, work, out: run_snapshot(command, data, work, out))

    async def upload(self, request: Request) -> Response:
        name = request.query_params.get("name", "")
        want_export = request.query_params.get("export", "1") != "0"
        want_pdf = request.query_params.get("pdf", "1") != "0"
        return await self.exclusive(request, MAX_UPLOAD,
                                    lambda data, work, out: run_upload(name, data, work, out, want_export, want_pdf))

    async def files(self, request: Request) -> Response:
        try:
            self.authorize(request)
        except Problem as p:
            return problem_response(p)
        rid, name = request.path_params["rid"], request.path_params["name"]
        path = (self.results / rid / name).resolve()
        if not path.is_file() or not path.is_relative_to(self.results.resolve()):
            return JSONResponse(error_body("文件不存在或已过期，请重新生成", "the file is gone; run the command again"),
                                status_code=404)
        return FileResponse(path, headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"})

    async def doctor(self, request: Request) -> Response:
        try:
            self.authorize(request)
        except Problem as p:
            return problem_response(p)
        out = await run_in_threadpool(pipeline.doctor, self.s.folder)
        return JSONResponse({"ok": True, "command": "doctor", "message": out.message, "lines": out.lines})


def _decode(data: bytes) -> Any:
    from juesuan.data_file import parse_json

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("请求内容不是有效的 JSON（须为 UTF-8）", f"the request body is not valid JSON: {exc}",
                         Location(file="快照 snapshot")) from None
    try:
        return parse_json(text, exact=False, what=("请求内容", "the request body"))
    except InputError as exc:
        raise exc.at(file="快照 snapshot") from None


def _label(name: Any, default: str) -> str:
    """A file name fit to show and to name results: no folders, no control characters."""
    text = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return text[:120] or default


def _files(result_dir: Path, files: dict[str, Path]) -> dict[str, dict[str, str]]:
    return {kind: {"name": p.name, "url": f"/api/files/{result_dir.name}/{quote(p.name)}"} for kind, p in files.items()}


def _where(exc: InputError, label: str) -> InputError:
    exc.where.file = label  # the user's name for the book, not the service's private copy
    return exc


def run_snapshot(command: str, data: bytes, work: Path, result_dir: Path) -> dict[str, Any]:
    """A snapshot through one step, in memory; sheet edits (fill/check/narrate) or files (export)."""
    from juesuan.check.acknowledge import SHEET as REPORT
    from juesuan.check.report_sheet import AUTHOR
    from juesuan.formats import get_pack
    from juesuan.narrate.sheet import SHEET as NARRATIVE

    raw = _decode(data)
    sheets = snapshot.parse(raw)
    label = _label(raw.get("workbook"), "工作簿.xlsx")
    try:
        fmt = get_pack(snapshot.format_of_sheets(sheets, snapshot.format_of(raw))).format
        wb = snapshot.to_workbook(sheets, fmt.id)
        if command == "export":
            result_dir.mkdir(parents=True, exist_ok=True)
            out = pipeline.export(pipeline.book_of(wb, fmt), result_dir, Path(label).stem, pdf=True)
            return {"ok": True, "command": command, "message": out.message, "lines": out.lines,
                    "files": _files(result_dir, out.files)}
        if command == "check":
            values, formulas = snapshot.check_grids_of(sheets)
            out = pipeline.check_book(wb, fmt, values, formulas, label)
        else:
            out = {"fill": pipeline.fill_book, "narrate": pipeline.narrate_book}[command](wb, fmt)
    except InputError as exc:
        raise _where(exc, label) from None
    rebuilt = {"check": [REPORT], "narrate": [NARRATIVE]}.get(command, [])
    result = edits.diff(sheets, wb, fmt, AUTHOR if command == "check" else None, rebuilt)
    return {"ok": True, "command": command, "message": out.message, "lines": out.lines, "findings": out.findings,
            "edits": result, "counts": edits.count(result)}


def run_upload(name: str, data: bytes, work: Path, result_dir: Path, want_export: bool, want_pdf: bool
               ) -> dict[str, Any]:
    """A workbook (.xlsx) or data file (.json): fill, check --write, narrate, export; files to download."""
    label = _label(name, "工作簿.xlsx")
    suffix = Path(label).suffix.lower()
    where = Location(file=label)
    if suffix == ".xls":
        raise InputError("不支持旧版 .xls 文件，请另存为 .xlsx 后再上传", "old .xls files are not supported; save as .xlsx",
                         where)
    if suffix not in (".xlsx", ".json"):
        raise InputError("请上传 .xlsx 工作簿或 .json 数据文件", "upload an .xlsx workbook or a .json data file", where)
    if not data:
        raise InputError("上传的文件是空的", "the uploaded file is empty", where)
    source = work / f"input{suffix}"
    source.write_bytes(data)
    book = work / "book.xlsx"
    steps: list[pipeline.Outcome] = []
    try:
        if suffix == ".json":
            steps.append(pipeline.new_from_data(source, book))
        else:
            shutil.copyfile(source, book)
            steps.append(pipeline.fill(book))
        checked = pipeline.check(book, label)
        steps += [checked, pipeline.narrate(book)]
        result_dir.mkdir(parents=True, exist_ok=True)
        stem = Path(label).stem
        files: dict[str, Path] = {}
        if want_export:
            exported = pipeline.export(book, result_dir, stem, want_pdf)
            steps.append(exported)
            files.update(exported.files)
    except InputError as exc:
        raise _where(exc, label) from None
    final = result_dir / f"{stem}_已处理.xlsx"
    shutil.copyfile(book, final)
    files = {"xlsx": final, **files}
    return {"ok": True, "command": "upload", "message": "；".join(s.message for s in steps),
            "lines": [ln for s in steps for ln in s.lines], "findings": checked.findings,
            "files": _files(result_dir, files)}


def create_app(settings: Settings) -> Any:
    """The ASGI application (Starlette inside the Host guard)."""
    svc = Service(settings)
    routes = [
        Route("/", svc.landing),
        Route("/s/{token}/", svc.page),
        Route("/s/{token}/{path:path}", svc.page),
        Route("/api/snapshot/{command}", svc.snapshot, methods=["POST"]),
        Route("/api/upload", svc.upload, methods=["POST"]),
        Route("/api/files/{rid}/{name}", svc.files),
        Route("/api/doctor", svc.doctor),
    ]
    return Guard(Starlette(routes=routes), settings)


