"""vbaProject.bin internals: the compound file, the dir stream and the PROJECT stream.

olefile (oletools' reader) is the independent oracle for the compound file; the protection
fields are decrypted with a separate implementation of MS-OVBA §2.4.3.3, which is first shown
to decrypt the values Excel itself wrote into xlwings' quickstart add-in.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

import olefile
import pytest
from oletools.olevba import decompress_stream

from juesuan.addin.cfb import NOSTREAM, _build, _link, _number, write_compound_file
from juesuan.addin.vbaproject import (
    Module, dir_stream, module_from_text, order, project_id, project_stream, vba_project_bin,
)

ROOT = Path(__file__).resolve().parents[1]


def decrypt(hex_text: str) -> bytes:
    """MS-OVBA §2.4.3.3, written independently of the encryptor."""
    data = bytes.fromhex(hex_text)
    seed, version_enc, key_enc = data[:3]
    assert seed ^ version_enc == 2
    plain, e1, e2, u1 = [], key_enc, version_enc, seed ^ key_enc
    for b in data[3:]:
        p = b ^ ((e2 + u1) & 0xFF)
        plain.append(p)
        e2, e1, u1 = e1, b, p
    body = bytes(plain)[(seed & 6) // 2:]
    (length,) = struct.unpack_from("<I", body)
    assert len(body) == 4 + length
    return body[4:]


def project_fields(text: str) -> dict[str, str]:
    fields = {}
    for line in text.split("\r\n"):
        if "=" in line and not line.startswith("["):
            key, _, value = line.partition("=")
            fields[key] = value.strip('"')
    return fields


def test_decrypt_reads_what_excel_wrote() -> None:
    import xlwings

    xlam = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
    with zipfile.ZipFile(xlam) as zf:
        ole = olefile.OleFileIO(io.BytesIO(zf.read("xl/vbaProject.bin")))
    fields = project_fields(ole.openstream("PROJECT").read().decode("cp1252"))
    assert decrypt(fields["CMG"]) == bytes(4)
    assert decrypt(fields["DPB"]) == b"\x00"
    assert decrypt(fields["GC"]) == b"\xff"


def test_project_stream_is_unprotected_and_visible() -> None:
    modules = order([module_from_text("A.bas", 'Attribute VB_Name = "A"\n')])
    text = project_stream("Demo", modules).decode("cp1252")
    fields = project_fields(text)
    assert fields["ID"] == project_id("Demo") and fields["Name"] == "Demo" and fields["Module"] == "A"
    assert decrypt(fields["CMG"]) == bytes(4)  # not locked
    assert decrypt(fields["DPB"]) == b"\x00"  # no password
    assert decrypt(fields["GC"]) == b"\xff"  # visible


def test_dir_stream_records_parse_and_list_every_module() -> None:
    modules = order([
        module_from_text("Std.bas", 'Attribute VB_Name = "Std"\n'),
        module_from_text("ThisWorkbook.cls", 'Attribute VB_Name = "ThisWorkbook"\n'
                         'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"\n'),
    ])
    data, pos, seen = dir_stream("Demo", modules), 0, []
    while True:
        rid, size = struct.unpack_from("<HI", data, pos)
        if rid == 0x0009:  # PROJECTVERSION: Reserved=4, then 6 bytes
            size = 6
        body = data[pos + 6:pos + 6 + size]
        seen.append((rid, body))
        pos += 6 + size
        if rid == 0x0010:
            break
    assert pos == len(data)
    names = [b.decode() for r, b in seen if r == 0x0019]
    types = [r for r, _ in seen if r in (0x0021, 0x0022)]
    assert names == ["ThisWorkbook", "Std"] and types == [0x0022, 0x0021]
    assert any(r == 0x000D and b"2DF8D04C-5BFA-101B-BDE5-00AA0044DE52" in b for r, b in seen)  # Office library


def test_module_text_is_checked() -> None:
    with pytest.raises(ValueError, match="ASCII"):
        module_from_text("A.bas", 'Attribute VB_Name = "A"\n\' \u51b3\n')
    with pytest.raises(ValueError, match="VB_Name"):
        module_from_text("A.bas", 'Attribute VB_Name = "B"\n')
    with pytest.raises(ValueError, match="share a name"):
        vba_project_bin([Module("A", "standard", "x"), Module("a", "standard", "y")], "P")


def test_compound_file_reads_back_with_olefile() -> None:
    rnd = random.Random(3)
    tree = {
        "PROJECT": b"p" * 100, "PROJECTwm": b"", "VBA": {
            "dir": rnd.randbytes(5000), "_VBA_PROJECT": b"\xcc\x61", "mini64": b"a" * 64,
            "mini65": b"b" * 65, "justunder": b"c" * 4095, "cutoff": b"d" * 4096,
            "big": rnd.randbytes(70_000), "Sub": {"deep": b"e" * 10},
        },
    }
    blob = write_compound_file(tree)
    assert len(blob) % 512 == 0
    ole = olefile.OleFileIO(io.BytesIO(blob))

    def walk(node: dict, prefix: list[str]) -> None:
        for name, value in node.items():
            path = prefix + [name]
            if isinstance(value, dict):
                assert ole.get_type("/".join(path)) == olefile.STGTY_STORAGE
                walk(value, path)
            else:
                assert ole.openstream("/".join(path)).read() == value, path

    walk(tree, [])
    assert sorted("/".join(e) for e in ole.listdir(streams=True, storages=False)) == sorted(
        ["PROJECT", "PROJECTwm", "VBA/dir", "VBA/_VBA_PROJECT", "VBA/mini64", "VBA/mini65",
         "VBA/justunder", "VBA/cutoff", "VBA/big", "VBA/Sub/deep"])
    assert write_compound_file(tree) == blob  # reproducible


@pytest.mark.parametrize("n", range(1, 40))
def test_sibling_trees_are_valid_red_black_search_trees(n: int) -> None:
    names = [f"m{'x' * (i % 5)}{i}" for i in range(n)]
    root = _build("Root Entry", {name: b"" for name in names}, 5)
    entries: list = []
    _number(root, entries)
    _link(root)

    def key(e):  # MS-CFB order: length first, then upper case
        return len(e.name), e.name.upper()

    in_order = []

    def walk(i: int, parent_red: bool) -> int:
        if i == NOSTREAM:
            return 1
        e = entries[i]
        assert not (parent_red and not e.black), "red node with red parent"
        left = walk(e.left, not e.black)
        in_order.append(e)
        right = walk(e.right, not e.black)
        assert left == right, "unequal black height"
        return left + e.black

    assert entries[root.child].black
    walk(root.child, False)
    assert [key(e) for e in in_order] == sorted(key(e) for e in in_order)
    assert len(in_order) == n


def test_vba_streams_decompress_to_the_sources() -> None:
    with zipfile.ZipFile(ROOT / "addin" / "juesuan.xlam") as zf:
        ole = olefile.OleFileIO(io.BytesIO(zf.read("xl/vbaProject.bin")))
    assert ole.openstream("VBA/_VBA_PROJECT").read()[:4] == bytes.fromhex("CC61FFFF")
    for path in sorted((ROOT / "macros").iterdir()):
        stored = bytes(decompress_stream(bytearray(ole.openstream(f"VBA/{path.stem}").read())))
        assert stored == path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
