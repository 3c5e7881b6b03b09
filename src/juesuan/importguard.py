"""openpyxl without numpy: 60 ms less for every command that writes a workbook with openpyxl.

openpyxl imports numpy (when it is installed) for one purpose: to accept numpy scalars as cell
values (``openpyxl.compat.numbers``: ``try: import numpy except ImportError: NUMPY = False``).
juesuan never hands it one: values are Decimal, int, float, str, bool, datetime; the balance
solver turns its numpy results into ints before making Decimals; pandas (the batch's figures
workbook) converts numpy scalars to Python numbers before it gives them to openpyxl
(``ExcelWriter``), and numpy's float64 is a float anyway.

:func:`hide_numpy_from_openpyxl` installs a finder that makes that one ``import numpy``, made
while ``openpyxl.compat.numbers`` is being imported, fail; every other import of numpy (pandas,
SciPy) works as before.  It changes nothing when numpy is already imported.  The command line
installs it (:func:`juesuan.cli.main`); tests/test_imports.py shows that openpyxl then works,
pandas' Excel writer included.
"""

from __future__ import annotations

import sys
from typing import Any

_IMPORTER = "openpyxl.compat.numbers"


class _NumpyHiddenFromOpenpyxl:
    """A meta-path finder refusing ``numpy`` to ``openpyxl.compat.numbers`` only."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "numpy" and _importing_from(_IMPORTER):
            raise ModuleNotFoundError(f"numpy is not offered to {_IMPORTER} (juesuan.importguard)", name=name)
        return None


def _importing_from(module: str, depth: int = 40) -> bool:
    frame = sys._getframe(2)  # noqa: SLF001 — the frames of the import statement being served
    for _ in range(depth):
        if frame is None:
            return False
        if frame.f_globals.get("__name__") == module:
            return True
        frame = frame.f_back
    return False


def hide_numpy_from_openpyxl() -> None:
    """Install the finder (once); a no-op when openpyxl is already imported."""
    if "openpyxl" in sys.modules or any(isinstance(f, _NumpyHiddenFromOpenpyxl) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _NumpyHiddenFromOpenpyxl())
