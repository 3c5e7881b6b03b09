"""An independent engine agrees: LibreOffice, told to recalculate on load, computes from our formulas
exactly the values fill stored — for the reference workbook and 50 synthetic departments (varied
codes, empty tables, zero amounts), converted in one LibreOffice call."""

from __future__ import annotations

import io
import os
import random
import re
import zipfile
from pathlib import Path

import pytest
from conftest import SYNTH_COUNT, SYNTH_SEED
from test_fill_support import copy, formula_cells, is_number, numeric_mismatches, stored_values

from juesuan.errors import InputError
from juesuan.synth import synth_department

TOLERANCE = 1e-6  # 万元


def stale_copy(src: Path, dst: Path) -> tuple[str, str, float]:
    """A copy whose first stored formula value in the 收入决算表 sheet is wrong (999999)."""
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        from juesuan.cached import sheet_paths

        part = sheet_paths(zin)["收入决算表"]
        found: list[tuple[str, float]] = []
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                def spoil(m: re.Match[str]) -> str:
                    if found:
                        return m.group(0)
                    found.append((m.group(1), float(m.group(3))))
                    return f'{m.group(0)[:m.start(3) - m.start(0)]}999999</v>'
                data = re.sub(r'<c r="([A-Z]+\d+)"[^>]*><f>([^<]*)</f><v>([^<]+)</v>', spoil, data.decode()).encode()
            zout.writestr(info, data)
    dst.write_bytes(out.getvalue())
    cell, value = found[0]
    return "收入决算表", cell, value


def test_libreoffice_recalculates_every_stored_value(tmp_path: Path, lo, filled_reference: Path,
                                                   synth_workbooks: list[Path]) -> None:
    assert len(synth_workbooks) == SYNTH_COUNT
    reference = copy(filled_reference, tmp_path / "reference.xlsx")
    stale = tmp_path / "stale.xlsx"
    sheet, cell, right = stale_copy(reference, stale)
    books = [reference, *synth_workbooks, stale]
    converted = lo.convert(books, tmp_path / "lo", "xlsx", jobs=min(4, os.cpu_count() or 1))

    # LibreOffice really recalculates (our stored values are not simply kept)
    col, row = re.fullmatch(r"([A-Z]+)(\d+)", cell).groups()  # type: ignore[union-attr]
    key = (sheet, int(row), sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(col))))
    assert stored_values(stale)[key] == 999999
    assert stored_values(converted[-1])[key] == pytest.approx(right)

    compared = 0
    for ours, theirs in zip(books[:-1], converted[:-1]):
        mine = stored_values(ours)
        lo_values = stored_values(theirs)
        bad = numeric_mismatches(mine, lo_values, TOLERANCE)
        assert not bad, f"{ours.name}: {len(bad)} cells differ from LibreOffice, e.g. {bad[:5]}"
        texts = formula_cells(ours)
        assert all(is_number(mine.get(c)) for c in texts), ours.name
        compared += len(texts)
    assert compared > 20_000


def test_the_synthetic_departments_are_varied() -> None:
    """What the LibreOffice comparison covers (same seed and indexes as the ``synth_workbooks`` fixture)."""
    depts = [synth_department(random.Random(f"{SYNTH_SEED}:{i}"), i) for i in range(1, SYNTH_COUNT + 1)]
    codes = [len(d["表3"]) for d in depts]
    assert min(codes) <= 8 and max(codes) >= 200
    assert len({c[:3] for d in depts for c in d["表3"]}) >= 20  # many 类
    assert any("表8" not in d for d in depts) and any("表8" in d for d in depts)
    assert any("表9" not in d for d in depts) and any("表9" in d for d in depts)
    assert any("表7" not in d for d in depts)
    zero = [d for d in depts if any(v == 0 for row in d["表5"].values() for v in row.values())]
    assert len(zero) > 10
    assert any(any("事业收入" in row for row in d["表2"].values()) for d in depts)
    assert any(any("其他收入" in row for row in d["表2"].values()) for d in depts)


def test_a_missing_libreoffice_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from juesuan import lo as runner

    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("JUESUAN_SOFFICE", raising=False)
    with pytest.raises(InputError) as exc:
        runner.convert([Path("a.xlsx")], Path("out"))
    assert "LibreOffice" in exc.value.zh and "soffice" in exc.value.en


def test_the_private_profile_always_recalculates(tmp_path: Path) -> None:
    from juesuan.lo import make_profile

    xcu = (make_profile(tmp_path) / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert '/org.openoffice.Office.Calc/Formula/Load' in xcu and 'OOXMLRecalcMode' in xcu
    assert re.search(r'OOXMLRecalcMode" oor:op="fuse"><value>0</value>', xcu)
