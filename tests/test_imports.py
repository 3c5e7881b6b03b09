"""Heavy libraries stay out of the commands that do not need them (issue 19: each button in a blink).

Each import is paid on every run of a command (a fresh process from the command line or the
ribbon): openpyxl with the numpy it pulls in costs about 0.2 s of CPU, python-docx 0.1 s.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("openpyxl", "numpy", "pandas", "docx", "jinja2", "formulas", "matplotlib", "scipy", "python_calamine")


def loaded_after(code: str) -> list[str]:
    """The heavy top-level modules a fresh Python holds after running ``code``."""
    probe = code + f"\nimport sys\nprint('LOADED', *(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return [line.split()[1:] for line in out.splitlines() if line.startswith("LOADED")][-1]  # not the command's output


def test_the_command_line_itself_imports_no_heavy_library() -> None:
    assert loaded_after("import juesuan.cli\njuesuan.cli._parser()") == []


def test_check_reads_the_workbook_in_one_pass_without_openpyxl_numpy_or_calamine(filled_reference: Path) -> None:
    loaded = loaded_after(f"from juesuan.cli import main\nmain(['check', {str(filled_reference)!r}])")
    assert not {"openpyxl", "numpy", "pandas", "scipy", "docx", "python_calamine", "formulas"} & set(loaded)


def test_check_write_loads_openpyxl_only_to_write_the_sheet(filled_reference: Path, tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(filled_reference.read_bytes())
    loaded = loaded_after(f"from juesuan.cli import main\nmain(['check', {str(book)!r}, '--write'])")
    assert "openpyxl" in loaded  # the probe can see what writing needs
    assert not {"pandas", "docx", "python_calamine"} & set(loaded)


def test_fill_parses_formulas_without_loading_scipy(filled_reference: Path, tmp_path: Path) -> None:
    import openpyxl

    src, out = tmp_path / "own.xlsx", tmp_path / "out.xlsx"
    wb = openpyxl.load_workbook(filled_reference)
    wb["单位信息"]["F2"] = "=ROUND(1.25,1)"  # a formula of the user's: fill parses (lints) only those
    wb.save(src)
    loaded = loaded_after(f"from juesuan.cli import main\nmain(['fill', {str(src)!r}, '-o', {str(out)!r}])")
    assert out.exists() and "formulas" in loaded  # it did parse the formulas (the lint)
    assert "scipy" not in loaded  # formulas' function modules (scipy.stats) are never compiled


def test_dump_reads_without_openpyxl_or_numpy(filled_reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.json"
    loaded = loaded_after(f"from juesuan.cli import main\nmain(['dump', {str(filled_reference)!r}, '-o', {str(out)!r}])")
    assert out.exists()
    assert not {"openpyxl", "numpy", "pandas", "scipy", "python_calamine", "docx"} & set(loaded)


def test_fill_and_narrate_of_the_reference_import_neither_openpyxl_nor_numpy(filled_reference: Path,
                                                                           tmp_path: Path) -> None:
    for command in ("fill", "narrate"):  # read by xlsx_read, written by the patch writer
        out = tmp_path / f"{command}.xlsx"
        loaded = loaded_after(f"from juesuan.cli import main\n"
                              f"main([{command!r}, {str(filled_reference)!r}, '-o', {str(out)!r}])")
        assert out.exists() and not {"openpyxl", "numpy", "pandas", "scipy", "python_calamine"} & set(loaded), command


def test_openpyxl_without_numpy_still_takes_what_pandas_gives_it() -> None:
    """numpy hidden from openpyxl (juesuan.importguard), then pandas imported: its Excel writer
    hands openpyxl Python numbers, so int64, float64 and bool columns are written and read back."""
    loaded = loaded_after(
        "from juesuan.importguard import hide_numpy_from_openpyxl\nhide_numpy_from_openpyxl()\n"
        "import io, openpyxl\nassert not openpyxl.NUMPY\n"
        "import numpy as np, pandas as pd\n"
        "df = pd.DataFrame({'i': np.array([1, 2], dtype=np.int64), 'f': np.array([1.5, 2.5]), 'b': [True, False]})\n"
        "buf = io.BytesIO()\ndf.to_excel(buf, index=False, engine='openpyxl')\n"
        "ws = openpyxl.load_workbook(buf).active\n"
        "assert list(ws.values) == [('i', 'f', 'b'), (1, 1.5, True), (2, 2.5, False)], list(ws.values)\n"
        "ws['A5'] = np.float64(2.25)\nassert ws['A5'].value == 2.25")
    assert "numpy" in loaded and "openpyxl" in loaded
