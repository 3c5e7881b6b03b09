"""Which sections a published text of a format should have (the pack's ``audit.py``), and which
format a text is in.

The audit reads any disclosure; the section kinds it recognises (:data:`~juesuan.audit.sections.KINDS`)
are a vocabulary shared by every format.  A format pack lists the kinds its narrative has
(:class:`AuditOutline`), so a missing one is reported as skipped.  A text's format is the one
named with ``--format``, else the pack whose expected kinds best cover the sections found (the
first registered pack on a tie).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from juesuan.errors import FormatError


@dataclass(frozen=True)
class AuditOutline:
    expected: tuple[str, ...]  # section kinds (audit.sections.KINDS) the format's narrative has, in order


def expected_kinds(found: Iterable[str | None], format_id: str | None = None) -> tuple[str, ...]:
    """The kinds the text should have: the named format's, else the best-matching format's."""
    from juesuan.formats import FORMATS, get_pack

    if format_id:
        return get_pack(format_id).audit.expected
    have = {k for k in found if k}
    best: tuple[int, tuple[str, ...]] | None = None
    for fid in FORMATS:
        try:
            expected = get_pack(fid).audit.expected
        except FormatError:  # a pack without an audit outline
            continue
        score = len(have & set(expected))
        if best is None or score > best[0]:
            best = (score, expected)
    return best[1] if best else ()
