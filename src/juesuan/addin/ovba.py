"""MS-OVBA compression (§2.4.1): the LZ77 variant every VBA stream is stored in.

Why our own: ``ms-ovba-compression`` 1.0.1 corrupts streams longer than about 600 bytes, and the
algorithm is small.  This is the spec's greedy algorithm: split the text into 4096-byte chunks;
in each chunk emit token sequences (a flag byte, then 8 tokens); a token is either a literal byte
or a copy token ``(offset, length)`` pointing back into the same chunk, whose bit split between
offset and length grows with the position in the chunk (§2.4.1.3.19.1).  The match chosen is the
longest one, the nearest on ties, exactly as §2.4.1.3.19.4 searches.

Worked example: ``b"#aaaaaaaaaaaaaaa"`` (``#`` and fifteen ``a``) becomes ``01 04 B0 04 23 61 0B 00``
-- signature ``01``; chunk header ``B004`` (compressed, 7 bytes in all); flag byte ``04`` (the
third token is a copy); literals ``#`` ``a``; copy token ``000B`` = offset 1, length 14, a copy
that overlaps the bytes it produces, as LZ77 allows.

A chunk whose tokens would not fit in 4096 bytes is stored raw (§2.4.1.3.10): 4096 bytes, the
last chunk padded with zeros, so a decompressor then returns trailing NULs.  Source text never
needs that; ``compress(..., strict=True)`` refuses instead, which the VBA project writer uses so
that the stored module text is exactly the source.
"""

from __future__ import annotations

CHUNK = 4096
_MAX_CHUNK_DATA = 4096  # a compressed chunk is at most 4098 bytes: 2 header + 4096


class IncompressibleChunk(ValueError):
    """A chunk had to be stored raw (padded), so the text would not round-trip exactly."""


def copy_token_split(position: int) -> tuple[int, int]:
    """Bit count of the offset and the maximum length at ``position`` bytes into a chunk."""
    bit_count = max((position - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + 3


def _compress_chunk(data: bytes, start: int, end: int) -> bytes | None:
    """Tokens for ``data[start:end]``, or None when they exceed 4096 bytes."""
    out = bytearray()
    heads: dict[bytes, list[int]] = {}  # 3-byte prefix -> positions, oldest first
    pos = start
    while pos < end:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            best_len, best_off = 0, 0
            if pos + 3 <= end:
                _, max_len = copy_token_split(pos - start)
                limit = min(max_len, end - pos)
                for cand in reversed(heads.get(data[pos:pos + 3], ())):
                    n = 3
                    while n < limit and data[cand + n] == data[pos + n]:
                        n += 1
                    if n > best_len:
                        best_len, best_off = n, pos - cand
                        if n == limit:
                            break
            step = best_len if best_len >= 3 else 1
            if best_len >= 3:
                bit_count, _ = copy_token_split(pos - start)
                token = ((best_off - 1) << (16 - bit_count)) | (best_len - 3)
                out += token.to_bytes(2, "little")
                flags |= 1 << bit
            else:
                out.append(data[pos])
            for p in range(pos, pos + step):
                if p + 3 <= end:
                    heads.setdefault(data[p:p + 3], []).append(p)
            pos += step
        out[flag_at] = flags
        if len(out) > _MAX_CHUNK_DATA:
            return None
    return bytes(out)


def compress(data: bytes, *, strict: bool = False) -> bytes:
    """Compress ``data`` into an MS-OVBA CompressedContainer.

    With ``strict``, raise :class:`IncompressibleChunk` instead of writing a raw chunk, so the
    caller knows the stream decompresses to exactly ``data``.
    """
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        end = min(start + CHUNK, len(data))
        tokens = _compress_chunk(data, start, end)
        if tokens is not None:
            out += (0xB000 | (len(tokens) + 2 - 3)).to_bytes(2, "little")
            out += tokens
            continue
        if strict:
            raise IncompressibleChunk(f"chunk at byte {start} does not compress")
        out += (0x3000 | (CHUNK - 1)).to_bytes(2, "little")
        out += data[start:end].ljust(CHUNK, b"\x00")
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Decompress an MS-OVBA CompressedContainer (§2.4.1.3.1); used to self-check a build."""
    if not container or container[0] != 0x01:
        raise ValueError("not an MS-OVBA compressed container (signature byte != 0x01)")
    out = bytearray()
    pos = 1
    while pos < len(container):
        header = int.from_bytes(container[pos:pos + 2], "little")
        if (header >> 12) & 0b111 != 0b011:
            raise ValueError(f"bad chunk signature at byte {pos}")
        size = (header & 0x0FFF) + 3
        body = container[pos + 2:pos + size]
        pos += size
        if not header & 0x8000:
            out += body
            continue
        chunk_start = len(out)
        i = 0
        while i < len(body):
            flags = body[i]
            i += 1
            for bit in range(8):
                if i >= len(body):
                    break
                if flags & (1 << bit):
                    token = int.from_bytes(body[i:i + 2], "little")
                    i += 2
                    bit_count, _ = copy_token_split(len(out) - chunk_start)
                    offset = (token >> (16 - bit_count)) + 1
                    length = (token & (0xFFFF >> bit_count)) + 3
                    for _ in range(length):
                        out.append(out[-offset])
                else:
                    out.append(body[i])
                    i += 1
    return bytes(out)
