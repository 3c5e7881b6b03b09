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
    probe = code + f"\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return out.split()


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
