"""What the bench scripts timing one workbook share: the reference case written as a workbook, and
the ``--repeat`` option."""

from __future__ import annotations

import argparse
from pathlib import Path


def reference_workbook(folder: Path) -> Path:
    """The reference case (the package's nmg-2023 reference data) as ``folder/reference.xlsx``."""
    from juesuan.book_io import new_book
    from juesuan.data_file import read_data
    from juesuan.demo import reference_file

    book = folder / "reference.xlsx"
    new_book(read_data(reference_file("nmg-2023-reference.json")), book)
    return book


def repeat_option(repeat: int = 5) -> argparse.Namespace:
    """The command line of a script that repeats each timed call ``--repeat`` times."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=repeat)
    return parser.parse_args()
