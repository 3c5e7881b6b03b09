"""A minimal ZIP writer whose members can be compressed ahead of time.

Why not :mod:`zipfile`: a batch writes hundreds of workbooks that share most of their parts
(styles, theme, workbook.xml, relationships).  ``zipfile`` recompresses every part on every
write; here a :class:`Member` is deflated once per process and its bytes are copied into each
archive.  Only the sheets, which differ per department, are deflated per workbook.

Plain ZIP (no ZIP64: a workbook part is far below 4 GiB), deflate method 8, ASCII names, one
fixed timestamp, so the same content gives the same bytes.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

DOS_TIME = (0 << 11) | (0 << 5) | 0  # 00:00:00
DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1  # 2024-01-01, like the reproducible template
LOCAL = struct.Struct("<IHHHHHIIIHH")
CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
END = struct.Struct("<IHHHHIIH")


@dataclass(frozen=True)
class Member:
    """One archive member, already deflated: name, CRC-32, sizes and the raw deflate stream."""

    name: str
    crc: int
    size: int
    data: bytes  # raw deflate (no zlib header)


def deflate(name: str, content: bytes, level: int = 6) -> Member:
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = c.compress(content) + c.flush()
    return Member(name, zlib.crc32(content), len(content), data)


def archive(members: list[Member]) -> bytes:
    """The bytes of a ZIP file holding ``members`` in order."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for m in members:
        name = m.name.encode("ascii")
        head = LOCAL.pack(0x04034B50, 20, 0, 8, DOS_TIME, DOS_DATE, m.crc, len(m.data), m.size, len(name), 0)
        central.append(CENTRAL.pack(0x02014B50, 20, 20, 0, 8, DOS_TIME, DOS_DATE, m.crc, len(m.data), m.size,
                                    len(name), 0, 0, 0, 0, 0, offset) + name)
        out += (head, name, m.data)
        offset += len(head) + len(name) + len(m.data)
    cd = b"".join(central)
    out += (cd, END.pack(0x06054B50, 0, 0, len(members), len(members), len(cd), offset, 0))
    return b"".join(out)
