"""Unusable documents: each raises InputError naming the file (the CLI exits with status 2)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from test_audit_helpers import DATA  # noqa: F401,I001  (puts src on sys.path first)

from juesuan.audit.engine import audit
from juesuan.cli import main
from juesuan.errors import InputError


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


CASES = {
    "empty.txt": b"",
    "blank.txt": "  \n\t\n".encode(),
    "binary.txt": os.urandom(64) + b"\x00\x01\x02" + os.urandom(64),
    "broken.docx": "这不是一个 Word 文件".encode(),
    "broken.pdf": b"%PDF-1.4 this is not really a pdf",
    "empty.html": b"<html><head><script>var a = 1;</script></head><body></body></html>",
    "novel.txt": "第一章\n从前有座山，山里有座庙。\n".encode(),
    "table.xlsx": b"PK\x03\x04",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_unusable_document_names_the_file(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path / name, CASES[name])
    with pytest.raises(InputError) as exc:
        audit(path)
    assert str(path) in exc.value.message
    assert exc.value.zh and exc.value.en


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        audit(tmp_path / "nope.txt")
    assert "nope.txt" in exc.value.message


def test_cli_exit_status_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "empty.txt", b"")
    assert main(["audit", str(path)]) == 2
    assert str(path) in capsys.readouterr().err
