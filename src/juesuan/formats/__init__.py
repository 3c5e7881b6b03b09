"""The format registry: ``load_format("nmg-2023")`` → a checked :class:`~juesuan.spec.Format`."""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module

from juesuan.errors import InputError
from juesuan.spec import Format

FORMATS = {"nmg-2023": "juesuan.formats.nmg_2023", "national-2023": "juesuan.formats.national_2023"}


@lru_cache(maxsize=None)
def load_format(format_id: str = "nmg-2023") -> Format:
    if format_id not in FORMATS:
        raise InputError(f"未知的格式「{format_id}」，可用：{'、'.join(FORMATS)}",
                         f"unknown format {format_id!r}; known: {', '.join(FORMATS)}")
    fmt = import_module(FORMATS[format_id]).build()
    from juesuan.formats.validate import validate_format

    validate_format(fmt)
    return fmt
