"""What the safe-input tests share: the CLI run in-process and a small workbook to spoil."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from juesuan.cli import main

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of one in-process ``juesuan`` command."""
    rc = main([str(a) for a in argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.fixture(scope="module")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("safe") / "small.xlsx"
    assert main(["new", "--data", str(SMALL), "-o", str(path)]) == 0
    return path


@pytest.fixture()
def book(small_book: Path, tmp_path: Path) -> Path:
    path = tmp_path / "B.xlsx"
    shutil.copy(small_book, path)
    return path
