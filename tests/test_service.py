"""``juesuan serve`` as a real process on a free port: the token, loopback only, clear answers to
bad input, one request at a time, size limits, uploads that leave the user's file alone, and
nothing written outside the service's own folder."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from service_support import Running, assert_contained, grown_workbook

from juesuan.service import snapshot


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory, filled_reference: Path) -> Path:
    return grown_workbook(filled_reference, tmp_path_factory.mktemp("grown") / "部门决算.xlsx")


def tiny_snapshot() -> dict:
    return {"version": 1, "workbook": "x.xlsx", "sheets": [{"name": "Sheet1", "values": [[1]], "formulas": [[None]]}]}


def both_languages(answer: dict) -> None:
    err = answer["error"]
    assert answer["ok"] is False and err["zh"] and err["en"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err["zh"]) and sum(ch.isascii() and ch.isalpha() for ch in err["en"]) > 5


# ── the token ────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("token", [None, "", "wrong-token-" + "x" * 32])
def test_api_requests_without_the_right_token_are_refused(svc: Running, token: str | None) -> None:
    for method, path, body in (("POST", "/api/snapshot/fill", tiny_snapshot()), ("POST", "/api/upload?name=a.xlsx", b"x"),
                               ("GET", "/api/doctor", None), ("GET", "/api/files/any/any.xlsx", None)):
        status, answer = svc.json(method, path, body, token=token)
        assert status == 401, (method, path)
        both_languages(answer)


def test_the_right_token_is_accepted(svc: Running) -> None:
    status, answer = svc.json("GET", "/api/doctor")
    assert status == 200 and answer["ok"] and any("服务目录" in line for line in answer["lines"])


def test_pages_carry_the_token_in_their_address_and_nowhere_else(svc: Running) -> None:
    status, _, body = svc.request("GET", "/", token=None)
    assert status == 200 and svc.token.encode() not in body
    status, _, body = svc.request("GET", "/s/not-the-token/", token=None)
    assert status == 404 and svc.token.encode() not in body
    status, headers, body = svc.request("GET", f"/s/{svc.token}/", token=None)
    assert status == 200 and "决算公开助手" in body.decode("utf-8")
    assert headers["referrer-policy"] == "no-referrer" and "frame-ancestors" in headers["content-security-policy"]
    status, _, body = svc.request("GET", f"/s/{svc.token}/wps/ribbon.xml", token=None)
    assert status == 200 and "决算公开" in body.decode("utf-8")
    status, _, _ = svc.request("GET", f"/s/{svc.token}/wps/../../token.py", token=None)
    assert status == 404


def test_the_token_file_is_readable_by_its_owner_only(svc: Running) -> None:
    path = svc.home / ".juesuan" / "token"
    assert path.read_text().strip() == svc.token
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_token_is_created_once_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from juesuan.service import token

    monkeypatch.setenv("JUESUAN_HOME", str(tmp_path / "j"))
    first = token.load_or_create()
    assert token.load_or_create() == first and len(first) >= 32
    assert token.matches(first, first) and not token.matches(first[:-1] + ("B" if first[-1] == "A" else "A"), first) and not token.matches(None, first)


def test_a_foreign_host_name_or_origin_is_refused(svc: Running) -> None:
    # DNS rebinding: a page at evil.example:PORT resolved to 127.0.0.1 sends its own Host
    status, answer = svc.json("GET", "/api/doctor", headers={"Host": f"evil.example:{svc.port}"})
    assert status == 421
    both_languages(answer)
    status, answer = svc.json("POST", "/api/snapshot/fill", tiny_snapshot(), headers={"Origin": "http://evil.example"})
    assert status == 403
    both_languages(answer)


def _listening(port: int) -> set[str]:
    """Local addresses (hex, as /proc/net/tcp* print them) that listen on ``port``."""
    out = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(name).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, p = local.rsplit(":", 1)
            if int(p, 16) == port and state == "0A":  # LISTEN
                out.add(addr)
    return out


def test_the_service_listens_on_127_0_0_1_only(svc: Running) -> None:
    assert _listening(svc.port) == {"0100007F"}  # 127.0.0.1, little-endian hex
    others = {a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} - {"127.0.0.1"}
    for ip in others:
        with pytest.raises(OSError):
            socket.create_connection((ip, svc.port), timeout=2).close()


def test_a_second_service_on_a_port_in_use_says_so_and_exits_2(svc: Running) -> None:
    env = {**os.environ, "HOME": str(svc.home)}
    done = subprocess.run([sys.executable, "-m", "juesuan.cli", "serve", "--port", str(svc.port)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "端口" in done.stderr and "--port" in done.stderr


# ── bad input ────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("payload, words", [
    (b"{not json", "JSON"),
    ({"version": 1}, "sheets"),
    ({"version": 9, "sheets": []}, "版本"),
    ({"version": 1, "sheets": [{"name": "表", "values": [[{"x": 1}]]}]}, "A1"),
    ({"version": 1, "workbook": "我的.xlsx", "sheets": [{"name": "Sheet1", "values": [[1]]}]}, "我的.xlsx"),
])
def test_a_bad_snapshot_gets_a_clear_answer(svc: Running, payload: object, words: str) -> None:
    status, answer = svc.json("POST", "/api/snapshot/fill", payload)
    assert status == 400
    both_languages(answer)
    assert words in answer["error"]["message"] + json.dumps(answer["error"]["where"], ensure_ascii=False)
    assert ".juesuan" not in answer["error"]["message"]  # never the service's private path


@pytest.mark.parametrize("name, body, words", [
    ("旧表.xls", b"\xd0\xcf\x11\xe0", ".xls"),
    ("说明.txt", b"hello", ".xlsx"),
    ("坏.xlsx", b"not a zip at all", "xlsx"),
    ("空.xlsx", b"", "空"),
    ("数据.json", b'{"format": "nmg-2023", "\xe8\xa1\xa81": 5}', "数据.json"),
])
def test_a_bad_upload_gets_a_clear_answer(svc: Running, name: str, body: bytes, words: str) -> None:
    from urllib.parse import quote

    status, answer = svc.json("POST", f"/api/upload?name={quote(name)}", body)
    assert status == 400
    both_languages(answer)
    assert words in answer["error"]["message"] + json.dumps(answer["error"]["where"], ensure_ascii=False)


def test_an_unknown_command_is_a_clear_404(svc: Running) -> None:
    status, answer = svc.json("POST", "/api/snapshot/format-disk", tiny_snapshot())
    assert status == 404
    both_languages(answer)


def test_a_huge_upload_is_refused_without_being_read(svc: Running) -> None:
    from juesuan.service.app import MAX_UPLOAD

    status, answer = svc.json("POST", "/api/upload?name=big.xlsx", b"\0" * (MAX_UPLOAD + 1))
    assert status == 413
    both_languages(answer)
    status, answer = svc.json("POST", "/api/upload?name=big.xlsx", b"\0" * MAX_UPLOAD)  # just inside: read, then judged
    assert status == 400


def test_a_second_request_while_one_runs_is_told_to_wait(svc: Running) -> None:
    # the first request holds the service while its body arrives: send half of it and pause
    first = socket.create_connection(("127.0.0.1", svc.port))
    first.sendall((f"POST /api/upload?name=a.xlsx HTTP/1.1\r\nHost: 127.0.0.1:{svc.port}\r\n"
                   f"X-Juesuan-Token: {svc.token}\r\nContent-Length: 1000\r\n\r\n").encode() + b"x" * 10)
    try:
        for _ in range(100):
            status, answer = svc.json("POST", "/api/snapshot/fill", tiny_snapshot())
            if status == 409:
                break
            time.sleep(0.05)  # until the first request has reached the service
        assert status == 409
        both_languages(answer)
        assert "正在处理" in answer["error"]["zh"]
    finally:
        first.close()
    for _ in range(100):  # once the first is gone, the service answers again
        status, _ = svc.json("GET", "/api/doctor")
        status2, _ = svc.json("POST", "/api/snapshot/fill", tiny_snapshot())
        if status2 != 409:
            break
        time.sleep(0.05)
    assert status == 200 and status2 == 400


# ── real work ────────────────────────────────────────────────────────────────────────────
def test_a_workbook_upload_gives_findings_and_files_and_leaves_the_file_alone(svc: Running, grown: Path,
                                                                              tmp_path: Path) -> None:
    from urllib.parse import quote

    before, mtime = grown.read_bytes(), grown.stat().st_mtime_ns
    status, answer = svc.json("POST", f"/api/upload?name={quote(grown.name)}&export=0", grown.read_bytes())
    assert status == 200, answer
    assert grown.read_bytes() == before and grown.stat().st_mtime_ns == mtime
    report = answer["findings"]
    assert report["file"] == grown.name and report["summary"]["error"] >= 1
    assert all(c["sheet"] and c["cell"] for f in report["findings"] if f["severity"] == "error" for c in f["cells"])
    assert set(answer["files"]) == {"xlsx"}
    status, headers, data = svc.request("GET", answer["files"]["xlsx"]["url"])
    assert status == 200 and "attachment" in headers["content-disposition"]
    out = tmp_path / "out.xlsx"
    out.write_bytes(data)
    wb = openpyxl.load_workbook(out)
    assert {"校验结果", "决算情况说明"} <= set(wb.sheetnames)
    status, _, _ = svc.request("GET", answer["files"]["xlsx"]["url"], token=None)
    assert status == 401


def test_a_data_file_upload_is_laid_out_filled_checked_and_narrated(svc: Running, reference_path: Path) -> None:
    status, answer = svc.json("POST", "/api/upload?name=reference.json&export=0", reference_path.read_bytes())
    assert status == 200, answer
    assert answer["findings"]["summary"]["error"] == 0
    assert "已由数据文件新建并填充" in answer["message"]


def test_a_snapshot_round_trip_answers_with_the_rows_fill_inserts_and_deletes(svc: Running, grown: Path,
                                                                             tmp_path: Path) -> None:
    from juesuan.cli import main
    from juesuan.formats import load_format
    from juesuan.locate import read_book
    from juesuan.workbook_file import grids, load

    status, answer = svc.json("POST", "/api/snapshot/fill", snapshot.from_file(grown))
    assert status == 200, answer
    ops = {s["name"]: s.get("rows") for s in answer["edits"]["sheets"] if s.get("rows")}
    assert main(["fill", str(grown), "-o", str(tmp_path / "f.xlsx")]) == 0  # the CLI's result is the oracle
    _, old = read_book(load_format(), grids(load(grown)))
    _, new = read_book(load_format(), grids(load(tmp_path / "f.xlsx")))
    t2, t3 = old.tables["表2"], new.tables["表3"]
    assert ops == {t2.table.sheet: [{"insert": t2.last_data_row + 1, "count": 2}],  # 类 213 and 款 21301
                   t3.table.sheet: [{"delete": t3.last_data_row + 1, "count": 2}]}  # 类 204 and 款 20406


def test_nothing_was_written_outside_the_service_folder(svc: Running) -> None:
    assert_contained(svc)  # after the requests above (the WPS tests check again after a PDF export)
