"""Fixtures shared across the suite.

- ``reference_path`` / ``reference_book``: the reference case's data file (committed; a missing
  file fails loudly, never skips);
- ``filled_reference``: the reference case written and filled once per session (a path; copy it
  before changing it);
- ``lo``: the LibreOffice runner (:mod:`juesuan.lo`; ``lo.convert(files, out_dir, "xlsx")``
  recalculates on load); fails when LibreOffice is not installed;
- ``synth_workbooks``: 30 synthetic departments as filled workbooks (``dept-0001.xlsx`` …).

Imports happen inside the fixtures, so a module broken elsewhere fails only the tests using it.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from juesuan.model import Book

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "src" / "juesuan" / "reference" / "nmg-2023-reference.json"
SMALL = ROOT / "tests" / "data" / "small.json"


@pytest.fixture(scope="session")
def reference_path() -> Path:
    if not REFERENCE.exists():
        pytest.fail(f"the reference data file {REFERENCE} is missing: it is part of the repository "
                    "(issue 参考案例); restore it rather than skipping these tests")
    return REFERENCE


@pytest.fixture(scope="session")
def reference_book(reference_path: Path) -> Book:
    from juesuan.data_file import read_data

    return read_data(reference_path)


@pytest.fixture(scope="session")
def filled_reference(tmp_path_factory: pytest.TempPathFactory, reference_path: Path) -> Path:
    """The reference workbook as ``juesuan new --data`` writes it: filled, values stored."""
    from juesuan.book_io import new_book
    from juesuan.data_file import read_data

    path = tmp_path_factory.mktemp("filled_reference") / "reference.xlsx"
    new_book(read_data(reference_path), path)
    return path


@pytest.fixture(scope="session")
def lo() -> ModuleType:
    from juesuan import lo as lo_runner
    from juesuan.errors import InputError

    try:
        lo_runner.find_soffice()
    except InputError as exc:
        pytest.fail(f"LibreOffice is needed for this test: {exc}")
    return lo_runner


SYNTH_SEED = "suite"
SYNTH_COUNT = 30


@pytest.fixture(scope="session")
def synth_workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """``SYNTH_COUNT`` synthetic departments (seed ``SYNTH_SEED``) as filled workbooks, made once.

    Department i is ``synth.synth_department(random.Random(f"{SYNTH_SEED}:{i}"), i)``.
    """
    from juesuan.synth import write_synth_workbooks

    return write_synth_workbooks(SYNTH_COUNT, tmp_path_factory.mktemp("synth"), seed=SYNTH_SEED)


@pytest.fixture(scope="session")
def svc(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One ``juesuan serve`` process on a free port for the service, WPS and browser tests."""
    from service_support import start, stop

    running = start(tmp_path_factory.mktemp("serve"))
    yield running
    stop(running)
