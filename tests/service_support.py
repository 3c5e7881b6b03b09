"""A real ``juesuan serve`` process for the tests: started on a free port with its own HOME and
TMPDIR (so the tests can see everything it writes), talked to over HTTP with urllib."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Running:
    proc: subprocess.Popen
    base: str  # http://127.0.0.1:PORT
    token: str
    home: Path  # the process's HOME (its ~/.juesuan is the service's folder)
    systmp: Path  # the TMPDIR it was started with

    @property
    def page(self) -> str:
        return f"{self.base}/s/{self.token}/"

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    def request(self, method: str, path: str, body: bytes | None = None, token: str | None = "default",
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        h = dict(headers or {})
        if token is not None:
            h["X-Juesuan-Token"] = self.token if token == "default" else token
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
        except urllib.error.HTTPError as e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()

    def json(self, method: str, path: str, payload: Any = None, **kw: Any) -> tuple[int, dict[str, Any]]:
        body = payload if isinstance(payload, bytes) or payload is None else \
            json.dumps(payload, ensure_ascii=False).encode("utf-8")
        status, _, data = self.request(method, path, body, **kw)
        return status, json.loads(data.decode("utf-8"))


def start(tmp: Path) -> Running:
    home, systmp = tmp / "home", tmp / "systmp"
    home.mkdir(parents=True)
    systmp.mkdir(parents=True)
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(systmp)}
    env.pop("JUESUAN_HOME", None)
    env.pop("XDG_CACHE_HOME", None)
    env.pop("XDG_CONFIG_HOME", None)
    proc = subprocess.Popen([sys.executable, "-m", "juesuan.cli", "serve", "--port", "0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    seen = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        m = re.search(r"(http://127\.0\.0\.1:\d+)/s/([A-Za-z0-9_-]+)/", line)
        if m:
            return Running(proc, m.group(1), m.group(2), home, systmp)
    proc.kill()
    raise AssertionError("juesuan serve did not start: " + "".join(seen) + (proc.stderr.read() if proc.stderr else ""))


def stop(running: Running) -> None:
    running.proc.terminate()
    try:
        running.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        running.proc.kill()


def grown_workbook(filled: Path, dst: Path) -> Path:
    """The reference workbook as an accountant leaves it before pressing 填充: a new 项 row of a
    new 类 (2130101) typed under 收入决算表's data, and both 项 rows of 款 20406 deleted from
    支出决算表 — so fill inserts the 类/款 rows 213 and 21301 and deletes 204 and 20406."""
    import shutil

    import openpyxl
    from test_fill_support import shift_rows

    from juesuan.formats import load_format
    from juesuan.locate import read_book
    from juesuan.workbook_file import grids, load

    shutil.copyfile(filled, dst)
    _, found = read_book(load_format(), grids(load(dst)))
    wb = openpyxl.load_workbook(dst)
    t2 = found.tables["表2"]
    ws = wb[t2.table.sheet]
    r = t2.last_data_row + 1
    shift_rows(ws, r, 1)
    ws.cell(r, 1).value = "2130101"
    ws.cell(r, 4).value = 5
    t3 = found.tables["表3"]
    ws3 = wb[t3.table.sheet]
    for code in ("2040607", "2040605"):
        shift_rows(ws3, t3.rows[code], -1)
    wb.save(dst)
    return dst


def workbook_cells(path: Path, folder: str = "") -> dict[str, Any]:
    """A workbook's cells as tests/wps/fake_et.js takes them: what WPS would hold after opening it
    (each formula with its shown value, constants, protection, the format stamp)."""
    import openpyxl

    from juesuan.expr import column_letter
    from juesuan.formats.detect import stamp_value
    from juesuan.service import snapshot

    snap = snapshot.from_file(path)
    wb = openpyxl.load_workbook(path)
    sheets = []
    for s in snap["sheets"]:
        cells = {}
        for r, row in enumerate(s["values"], 1):
            for c, v in enumerate(row, 1):
                f = s["formulas"][r - 1][c - 1]
                f = f if isinstance(f, str) and f.startswith("=") else None
                if v is not None or f:
                    cells[f"{column_letter(c)}{r}"] = {"v": v, "f": f}
        sheets.append({"name": s["name"], "visible": s["visible"], "protected": bool(wb[s["name"]].protection.sheet),
                       "cells": cells})
    names = {"_juesuan_format": "=" + stamp_value(snap["format"])} if snap.get("format") else {}
    return {"name": Path(path).name, "path": folder, "names": names, "sheets": sheets}


def run_addin(running: "Running | None", cells: dict[str, Any], command: str, tmp: Path,
              base: str | None = None, token: str | None = None) -> dict[str, Any]:
    """One button of the WPS add-in, run in Node on a fake ET workbook holding ``cells``."""
    src, out = tmp / f"{command}-cells.json", tmp / f"{command}-out.json"
    src.write_text(json.dumps(cells, ensure_ascii=False), encoding="utf-8")
    base = base if base is not None else running.base  # type: ignore[union-attr]
    token = token if token is not None else running.token  # type: ignore[union-attr]
    subprocess.run(["node", str(ROOT / "tests" / "wps" / "run_addin.js"), str(src), command, base, token, str(out)],
                   check=True, timeout=300)
    return json.loads(out.read_text(encoding="utf-8"))


def assert_contained(running: Running) -> None:
    """Nothing the service did (LibreOffice, dconf and fontconfig included) landed outside its folder."""
    assert list(running.systmp.iterdir()) == []
    assert [p.name for p in running.home.iterdir()] == [".juesuan"]
    assert {p.name for p in (running.home / ".juesuan").iterdir()} == {"token", "service"}
