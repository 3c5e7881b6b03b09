"""The format registry: every format pack by id, and recognising the format of a file.

``get_pack("nmg-2023")`` → its :class:`~juesuan.formats.pack.FormatPack`;
``load_format("nmg-2023")`` → its checked :class:`~juesuan.spec.Format` (the tables alone);
``detect_pack(path)`` → the pack of a workbook or data file (see :mod:`juesuan.formats.detect`).

A new format is one folder under ``formats/`` and one line in :data:`FORMATS`.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from juesuan.errors import InputError
from juesuan.spec import Format

if TYPE_CHECKING:
    from juesuan.formats.pack import FormatPack

# format id → the package of its folder
FORMATS = {"nmg-2023": "juesuan.formats.nmg_2023", "national-2023": "juesuan.formats.national_2023"}
DEFAULT_FORMAT = "nmg-2023"  # for a new workbook or data file that names no format


def _known(format_id: str) -> None:
    if format_id not in FORMATS:
        raise InputError(f"未知的格式「{format_id}」，可用：{'、'.join(FORMATS)}",
                         f"unknown format {format_id!r}; known: {', '.join(FORMATS)}")


@lru_cache(maxsize=None)
def load_format(format_id: str = DEFAULT_FORMAT) -> Format:
    _known(format_id)
    fmt = import_module(FORMATS[format_id]).build()
    from juesuan.formats.validate import validate_format

    validate_format(fmt)
    return fmt


@lru_cache(maxsize=None)
def get_pack(format_id: str = DEFAULT_FORMAT) -> "FormatPack":
    """The pack of ``format_id``; an unknown id is an InputError (exit 2) naming the known ones."""
    _known(format_id)
    from juesuan.errors import FormatError
    from juesuan.formats.pack import FormatPack

    pack = getattr(import_module(f"{FORMATS[format_id]}.pack"), "PACK", None)
    if not isinstance(pack, FormatPack) or pack.id != format_id:
        raise FormatError(f"{FORMATS[format_id]}.pack must define PACK = FormatPack({format_id!r}, …)")
    return pack


def packs() -> list["FormatPack"]:
    """Every registered pack, in registry order."""
    return [get_pack(i) for i in FORMATS]


def pack_of(fmt: Format) -> "FormatPack":
    """The pack a loaded :class:`Format` belongs to."""
    return get_pack(fmt.id)


def detect_pack(source: str | Path | dict[str, Any], override: str | None = None) -> "FormatPack":
    """The pack of a workbook (.xlsx path) or data file (path or parsed dict); ``override``
    (``--format``) wins.  See :mod:`juesuan.formats.detect`."""
    if override:
        return get_pack(override)
    from juesuan.formats.detect import detect_format_id

    return get_pack(detect_format_id(source))
