"""``juesuan.frames``: the tables of several workbooks as one tidy DataFrame equal to their cells."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.book_io import new_book
from juesuan.data_file import book_from_data
from juesuan.derive import compute
from juesuan.errors import InputError
from juesuan.frames import COLUMNS, frame
from juesuan.layout import book_layout
from juesuan.model import Book
from juesuan.synth import synth_department


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Book]]:
    d = tmp_path_factory.mktemp("frames")
    out = []
    for i in (1, 4, 8):  # non-fiscal income, a 政府性基金, a 国有资本经营
        book = book_from_data(synth_department(random.Random(f"frames:{i}"), i))
        path = d / f"dept-{i}.xlsx"
        new_book(book, path)
        out.append((path, book))
    return out


def expected_cells(book: Book) -> dict[tuple[str, str, str], object]:
    """What each workbook must show, from its data file (not from the workbook): every non-empty
    input and every derived value whose cell is printed."""
    layout = book_layout(book)
    cells = {k: v for k, v in book.values.items() if v not in (None, "") and layout.address(k) is not None}
    cells.update({k: v for k, v in compute(book).items() if layout.address(k) is not None})
    return cells


def test_the_frame_equals_every_cell_of_every_workbook(workbooks: list[tuple[Path, Book]]) -> None:
    df = frame([p for p, _ in workbooks])
    assert list(df.columns) == COLUMNS
    for path, book in workbooks:
        mine = df[df.file == path.name]
        assert set(mine.department) == {book.text(("单位信息", "部门名称", "值"))}
        got = {(t, r, c): v for t, r, c, v in zip(mine.table, mine.row, mine.column, mine.value)}
        want = expected_cells(book)
        assert got.keys() == want.keys()
        for key, v in want.items():
            g = got[key]
            if isinstance(v, str):
                assert g == v, key
            else:  # numbers: exact, except the 绩效 rates the writer rounds to a double
                assert abs(Decimal(g) - Decimal(v)) <= Decimal("1e-9"), (key, g, v)


def test_a_selection_of_tables_and_parallel_reading_give_the_same_rows(workbooks: list[tuple[Path, Book]]) -> None:
    paths = [p for p, _ in workbooks]
    whole = frame(paths)
    some = frame(paths, tables=["表1", "表10"], jobs=2)
    assert set(some.table) == {"表1", "表10"}
    part = whole[whole.table.isin(["表1", "表10"])].reset_index(drop=True)
    assert some.reset_index(drop=True).astype(str).equals(part.astype(str))


def test_an_unreadable_workbook_is_named_or_skipped(workbooks: list[tuple[Path, Book]], tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(InputError) as exc:
        frame([workbooks[0][0], bad])
    assert "bad.xlsx" in exc.value.message
    df = frame([workbooks[0][0], bad], errors="skip")
    assert set(df.file) == {workbooks[0][0].name} and len(df.attrs["skipped"]) == 1
