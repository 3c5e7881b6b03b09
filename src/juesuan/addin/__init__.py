"""The Excel add-in: a 决算公开 ribbon tab whose buttons call ``juesuan.excel.dispatch(tag)``.

Sources live at the repository root: ``addin/customUI.xml`` (the ribbon, the only place with
Chinese labels) and ``macros/*.bas|*.cls`` (ASCII VBA).  ``juesuan addin build`` turns them into
``addin/juesuan.xlam`` on any OS, byte for byte reproducibly; ``install`` puts it in Excel's
XLSTART folder on Windows; ``doctor`` says what is missing.  See :mod:`juesuan.addin.build` for
how the VBA reaches Python.
"""

from __future__ import annotations

# The button tags, in ribbon order. Each is passed verbatim to juesuan.excel.dispatch(tag).
RIBBON_TAGS: tuple[str, ...] = ("fill", "check", "narrate", "export", "doctor")
# The one VBA procedure every button's onAction names.
RIBBON_CALLBACK = "JuesuanRibbon_OnAction"
# The fixed, ASCII Python entry point the VBA calls (never derived from a workbook's name).
PYTHON_MODULE = "juesuan.excel"
PYTHON_FUNCTION = "dispatch"
# xlwings' PROJECT_NAME in the vendored VBA: settings are read from %USERPROFILE%\.juesuan\juesuan.conf
# and from a sheet named juesuan.conf.
XLWINGS_PROJECT_NAME = "juesuan"
# The VBA project's name (what the VBA editor shows).
VBA_PROJECT_NAME = "Juesuan"
ADDIN_FILENAME = "juesuan.xlam"


__all__ = [
    "RIBBON_TAGS", "RIBBON_CALLBACK", "PYTHON_MODULE", "PYTHON_FUNCTION", "XLWINGS_PROJECT_NAME",
    "VBA_PROJECT_NAME", "ADDIN_FILENAME",
]
