"""A minimal writer of Compound File Binary files (MS-CFB version 3): what vbaProject.bin is.

olefile and oletools only read this format, so the add-in carries a writer.  It covers what a VBA
project needs -- nested storages and streams, the mini stream for streams under 4096 bytes -- and
nothing else (no DIFAT sectors beyond the header's 109, i.e. files up to about 6.8 MB).

Every byte is a function of the tree given: CLSIDs and timestamps are zero, entries are numbered
in a fixed walk, and sectors are laid out in one fixed order (FAT, directory, mini FAT, mini
stream, large streams), so the same project always yields the same file.

Layout of a file with one small and one large stream::

    header (512 bytes) | FAT | directory | mini FAT | mini stream (small streams) | large stream
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
_HEADER_DIFAT = 109

Tree = dict[str, "bytes | Tree"]


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list["_Entry"] = field(default_factory=list)
    index: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    black: bool = True
    start: int = ENDOFCHAIN
    size: int = 0


def _sort_key(name: str) -> tuple[int, str]:
    """MS-CFB §2.6.4 order: shorter names first, then by upper-cased code points."""
    return len(name.encode("utf-16-le")), name.upper()


def _build(name: str, node: Tree, kind: int) -> _Entry:
    entry = _Entry(name, kind)
    for child_name in sorted(node, key=_sort_key):
        value = node[child_name]
        if len(child_name) > 31 or not child_name:
            raise ValueError(f"compound file entry name must be 1..31 characters: {child_name!r}")
        if isinstance(value, dict):
            entry.children.append(_build(child_name, value, 1))
        else:
            entry.children.append(_Entry(child_name, 2, bytes(value)))
    return entry


def _number(entry: _Entry, out: list[_Entry]) -> None:
    entry.index = len(out)
    out.append(entry)
    for child in entry.children:
        _number(child, out)


def _link_siblings(entries: list[_Entry], depth: int, height: int, perfect: bool) -> int:
    """Make a balanced binary tree of sorted siblings; return its root's index.

    The midpoint split keeps every leaf within one level of the others; colouring the deepest
    level red (when it is not full) gives every path the same number of black nodes, so the tree
    is a valid red-black tree as the spec asks.
    """
    if not entries:
        return NOSTREAM
    mid = len(entries) // 2
    node = entries[mid]
    node.black = perfect or depth < height
    node.left = _link_siblings(entries[:mid], depth + 1, height, perfect)
    node.right = _link_siblings(entries[mid + 1:], depth + 1, height, perfect)
    return node.index


def _link(entry: _Entry) -> None:
    n = len(entry.children)
    if n:
        height = (n).bit_length() - 1  # depth of the deepest level, counted from 0
        perfect = n == (1 << (height + 1)) - 1
        entry.child = _link_siblings(entry.children, 0, height, perfect)
    for child in entry.children:
        _link(child)


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i + 1 < count else ENDOFCHAIN


def _dir_entry(e: _Entry | None) -> bytes:
    if e is None:
        return b"\x00" * 64 + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) + b"\x00" * 48
    name = e.name.encode("utf-16-le") + b"\x00\x00"
    return (
        name.ljust(64, b"\x00")
        + struct.pack("<HBBIII", len(name), e.kind, 1 if e.black else 0, e.left, e.right, e.child)
        + b"\x00" * 16  # CLSID
        + b"\x00" * 4  # state bits
        + b"\x00" * 16  # creation and modification time
        + struct.pack("<IQ", 0 if e.kind == 1 else e.start, e.size)
    )


def write_compound_file(tree: Tree) -> bytes:
    """Serialise ``tree`` (name -> bytes for a stream, name -> dict for a storage)."""
    root = _build("Root Entry", tree, 5)
    entries: list[_Entry] = []
    _number(root, entries)
    _link(root)

    streams = [e for e in entries if e.kind == 2]
    small = [e for e in streams if len(e.data) < MINI_CUTOFF]
    large = [e for e in streams if len(e.data) >= MINI_CUTOFF]

    # Mini stream: small streams back to back in 64-byte mini sectors.
    mini_stream = bytearray()
    mini_fat: list[int] = []
    for e in small:
        e.size = len(e.data)
        if not e.data:
            e.start = ENDOFCHAIN
            continue
        e.start = len(mini_fat)
        count = -(-len(e.data) // MINI_SECTOR)
        mini_fat.extend([0] * count)
        _chain(mini_fat, e.start, count)
        mini_stream += e.data.ljust(count * MINI_SECTOR, b"\x00")

    def sectors(n_bytes: int) -> int:
        return -(-n_bytes // SECTOR)

    n_dir = sectors(len(entries) * 128)
    n_minifat = sectors(len(mini_fat) * 4)
    n_ministream = sectors(len(mini_stream))
    n_large = [sectors(len(e.data)) for e in large]
    payload = n_dir + n_minifat + n_ministream + sum(n_large)
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + payload:
        n_fat += 1
    if n_fat > _HEADER_DIFAT:
        raise ValueError("compound file too large for this writer (needs DIFAT sectors)")

    fat = [FREESECT] * (n_fat * (SECTOR // 4))
    for i in range(n_fat):
        fat[i] = FATSECT
    at = n_fat
    dir_start = at
    _chain(fat, at, n_dir)
    at += n_dir
    minifat_start = at if n_minifat else ENDOFCHAIN
    _chain(fat, at, n_minifat)
    at += n_minifat
    root.start = at if n_ministream else ENDOFCHAIN
    root.size = len(mini_stream)
    _chain(fat, at, n_ministream)
    at += n_ministream
    for e, n in zip(large, n_large):
        e.start, e.size = at, len(e.data)
        _chain(fat, at, n)
        at += n

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"), b"\x00" * 16,
        0x003E, 0x0003, 0xFFFE, 9, 6, b"\x00" * 6,
        0, n_fat, dir_start, 0, MINI_CUTOFF,
        minifat_start, n_minifat, ENDOFCHAIN, 0,
    )
    header += struct.pack(f"<{_HEADER_DIFAT}I", *(list(range(n_fat)) + [FREESECT] * (_HEADER_DIFAT - n_fat)))

    def padded(data: bytes, n: int) -> bytes:
        return data.ljust(n * SECTOR, b"\x00")

    directory = b"".join(_dir_entry(e) for e in entries)
    directory += _dir_entry(None) * (n_dir * 4 - len(entries))
    assert len(directory) == n_dir * SECTOR
    minifat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat) if mini_fat else b""
    minifat_bytes = minifat_bytes.ljust(n_minifat * SECTOR, b"\xff")
    body = [
        struct.pack(f"<{len(fat)}I", *fat),
        directory,
        minifat_bytes,
        padded(bytes(mini_stream), n_ministream),
    ]
    body += [padded(e.data, n) for e, n in zip(large, n_large)]
    return header + b"".join(body)
