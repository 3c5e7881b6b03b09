"""The template workbook of a format: the eleven tables and the input sheets, empty, with formulas.

``juesuan build-templates`` writes ``workbook_templates/<format>.xlsx`` (shipped in the package
as ``juesuan/workbook_templates``) and the data-file JSON Schema; a test fails when either
committed file differs from a fresh build.  The build is deterministic: fixed document dates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

from openpyxl.workbook import Workbook

from juesuan.derive import derivations
from juesuan.formats import FORMATS, load_format
from juesuan.formats.detect import stamp_workbook
from juesuan.layout import book_layout
from juesuan.model import Book
from juesuan.schema import build_schema
from juesuan.xlsx_write import new_workbook

SPARE_ROWS = 10  # blank input rows the template offers in code and record tables
FIXED_DATE = dt.datetime(2024, 1, 1)


def build_template(format_id: str) -> Workbook:
    fmt = load_format(format_id)
    book = Book(fmt)
    layout = book_layout(book, spare_rows=SPARE_ROWS)
    wb = new_workbook(book, derivations(book), layout)
    stamp_workbook(wb, format_id)
    wb.properties.creator = "juesuan"
    wb.properties.created = wb.properties.modified = FIXED_DATE
    wb.properties.lastModifiedBy = "juesuan"
    return wb


def template_bytes(format_id: str) -> bytes:
    buf = io.BytesIO()
    build_template(format_id).save(buf)
    return reproducible(buf.getvalue())


def reproducible(data: bytes) -> bytes:
    """The same workbook with fixed dates (openpyxl stamps the save time), so builds are byte-identical."""
    stamp = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, content)
    return out.getvalue()


def schema_text(format_id: str) -> str:
    return json.dumps(build_schema(load_format(format_id)), ensure_ascii=False, indent=2) + "\n"


def schema_path(format_id: str) -> Path:
    return Path(__file__).parent / "formats" / f"{format_id}.schema.json"


def run(args: argparse.Namespace) -> int:
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    for format_id in FORMATS:
        target = out / f"{format_id}.xlsx"
        target.write_bytes(template_bytes(format_id))
        schema_path(format_id).write_text(schema_text(format_id), encoding="utf-8")
        print(f"已生成 built {target} 和 and {schema_path(format_id)}")
        from juesuan.narrate_patch import kit_bytes

        kit = out / f"{format_id}.narrative.xlsx"  # the narrative sheet narrate patches into a file
        kit.write_bytes(kit_bytes(format_id))
        print(f"已生成 built {kit}")
    return 0
