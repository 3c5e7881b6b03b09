"""Refresh ``macros/xlwings.bas`` from the installed xlwings: its VBA for custom add-ins.

xlwings ships ``xlwings_custom_addin.bas`` (what ``xlwings copy vba --addin`` copies and what its
``quickstart --addin --ribbon`` template embeds).  It is BSD-3-Clause -- the licence text is in
the module's header and must stay there -- and it is the whole of the RunPython machinery; none
of the PRO/remote modules (Remote, WebClient, License, ...) of ``xlwings.xlam`` is taken.

The one change is the documented customisation for a custom add-in: ``PROJECT_NAME`` becomes
``juesuan``, so the add-in reads its settings from ``%USERPROFILE%\\.juesuan\\juesuan.conf`` and
never touches the settings of a user's other xlwings workbooks.

Run ``python -m juesuan.addin.vendor [MACROS_DIR]`` after upgrading xlwings, then rebuild.
"""

from __future__ import annotations

import sys
from pathlib import Path

from juesuan.addin import XLWINGS_PROJECT_NAME

UPSTREAM_FILE = "xlwings_custom_addin.bas"
_UPSTREAM_LINE = 'Public Const PROJECT_NAME As String = "myaddin"'


def upstream_path() -> Path:
    """Where the installed xlwings keeps its custom-add-in VBA module."""
    import xlwings

    return Path(xlwings.__file__).parent / UPSTREAM_FILE


def vendored_text(upstream: str) -> str:
    """The upstream module with our PROJECT_NAME; fails loudly if upstream changed shape."""
    if upstream.count(_UPSTREAM_LINE) != 1:
        raise ValueError(f"{UPSTREAM_FILE}: expected exactly one line {_UPSTREAM_LINE!r}")
    if "BSD 3-clause" not in upstream:
        raise ValueError(f"{UPSTREAM_FILE}: licence header not found; check the licence before vendoring")
    ours = f'Public Const PROJECT_NAME As String = "{XLWINGS_PROJECT_NAME}"'
    return upstream.replace(_UPSTREAM_LINE, ours)


def refresh(macros_dir: Path) -> Path:
    """Write ``macros_dir/xlwings.bas`` from the installed xlwings; return its path."""
    upstream = upstream_path().read_bytes().decode("cp1252")
    target = macros_dir / "xlwings.bas"
    target.write_bytes(vendored_text(upstream).replace("\r\n", "\n").encode("cp1252"))
    return target


if __name__ == "__main__":
    from juesuan.addin.build import source_root

    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else source_root() / "macros"
    print(refresh(directory))
