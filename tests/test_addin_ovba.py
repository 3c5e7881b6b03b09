"""MS-OVBA compression: our compressor against oletools' decompressor (the independent reader).

Texts of every awkward length (0, 1, chunk edges 4095/4096/4097, 10k) and kinds (repetitive,
VBA-like, random bytes) must come back exactly.  The one spec-mandated exception: a *final*
chunk that does not compress is stored raw and padded to 4096 bytes with zeros (MS-OVBA
§2.4.1.3.10), so random bytes whose last chunk is 3641-4095 bytes long come back with trailing
NULs; ``strict=True`` refuses such input, and the VBA writer uses it.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from oletools.olevba import decompress_stream

from juesuan.addin.ovba import CHUNK, IncompressibleChunk, compress, decompress

ROOT = Path(__file__).resolve().parents[1]
LENGTHS = [0, 1, 2, 3, 7, 8, 9, 100, 600, 601, 4095, 4096, 4097, 8191, 8192, 8193, 10_000, 20_000]
WORDS = ["Dim", "As", "String", "Long", "End", "Sub", "Function", "If", "Then", "Else", "x", "i", "=",
         "&", "\"", "(", ")", "RunPython", "MsgBox", "\r\n", "    ", "'", "ActiveWorkbook", "1", "0"]


def oletools(data: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(data)))


def vba_like(n: int, seed: int) -> bytes:
    rnd = random.Random(seed)
    out = bytearray()
    while len(out) < n:
        out += rnd.choice(WORDS).encode() + b" "
    return bytes(out[:n])


def random_bytes(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


def spec_padding(data: bytes) -> int:
    """Zeros the spec appends when the final chunk is stored raw: only for incompressible tails."""
    tail = len(data) % CHUNK
    if not tail:
        return 0
    try:
        compress(data[-tail:], strict=True)
        return 0
    except IncompressibleChunk:
        return CHUNK - tail


def test_spec_vectors() -> None:
    # MS-OVBA 3.2.1 (no compression) and 3.2.3 (maximum compression): exact bytes.
    assert compress(b"abcdefghijklmnopqrstuv.") == bytes.fromhex(
        "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E")
    assert compress(b"a" * 73) == bytes.fromhex("01 03 B0 02 61 45 00")
    # 3.2.2 (normal compression): the spec's bytes and ours decode to the same text.
    text = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
    spec = bytes.fromhex(
        "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30 6D 6E 6F"
        "70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C")
    assert oletools(spec) == text
    assert oletools(compress(text)) == text
    assert len(compress(text)) == len(spec)


def test_docstring_example() -> None:
    assert compress(b"#" + b"a" * 15) == bytes.fromhex("01 04 B0 04 23 61 0B 00")


@pytest.mark.parametrize("n", LENGTHS)
@pytest.mark.parametrize("kind", ["zeros", "ab", "vba", "random_text"])
def test_text_round_trips_exactly(n: int, kind: str) -> None:
    data = {
        "zeros": bytes(n),
        "ab": (b"ab" * n)[:n],
        "vba": vba_like(n, n),
        # random words: text, unpredictable, yet compressible as all source text is
        "random_text": vba_like(n, 1000 + n),
    }[kind]
    packed = compress(data, strict=True)
    assert oletools(packed) == data
    assert decompress(packed) == data


@pytest.mark.parametrize("n", LENGTHS)
def test_random_bytes_round_trip_up_to_spec_padding(n: int) -> None:
    data = random_bytes(n, n)
    packed = compress(data)
    padding = spec_padding(data)
    assert oletools(packed) == data + bytes(padding)
    assert decompress(packed) == data + bytes(padding)
    if padding:
        with pytest.raises(IncompressibleChunk):
            compress(data, strict=True)


def test_real_vba_sources_round_trip() -> None:
    import xlwings

    files = sorted((ROOT / "macros").iterdir()) + sorted(Path(xlwings.__file__).parent.rglob("*.bas"))
    assert len(files) > 5
    for path in files:
        data = path.read_bytes()
        for text in (data, data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")):
            assert oletools(compress(text, strict=True)) == text, path


def test_chunks_stay_within_4098_bytes() -> None:
    data = vba_like(50_000, 7)
    packed = compress(data)
    pos, sizes = 1, []
    while pos < len(packed):
        header = int.from_bytes(packed[pos:pos + 2], "little")
        assert header >> 12 in (0b1011, 0b0011)  # flag + signature 0b011
        size = (header & 0x0FFF) + 3
        sizes.append(size)
        pos += size
    assert pos == len(packed)
    assert len(sizes) == -(-len(data) // CHUNK)
    assert max(sizes) <= 4098
