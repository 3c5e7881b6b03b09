"""The JSON Schema of a data file, generated from the format (declared once, shipped as a file).

``juesuan build-templates`` writes it to ``src/juesuan/formats/<id>.schema.json``; a test fails
when the committed file differs from a fresh build.
"""

from __future__ import annotations

from typing import Any

from juesuan.spec import INPUT, Format, Table

AMOUNT = {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": r"^\s*[0-9,]*\.?[0-9]*\s*$"}],
          "description": "万元，可带元精度 (万元, may carry 元 precision)"}
COUNT = {"type": "integer", "minimum": 0}
NUMBER = {"type": "number"}
TEXT = {"type": "string"}
KIND_SCHEMA = {"amount": AMOUNT, "count": COUNT, "number": NUMBER, "text": TEXT}


def is_flat(table: Table) -> bool:
    """Key–value sheets (one value column ``值``) are flat in a data file: {row key: value}."""
    cols = table.columns()
    return table.kind == "fixed" and len(cols) == 1 and cols[0].key == "值"


def table_schema(table: Table) -> dict[str, Any]:
    if table.kind == "record":
        props = {c.key: KIND_SCHEMA[c.kind] for c in table.columns()
                 if c.is_input}
        required = [c.key for c in table.columns() if c.required]
        return {"type": "array", "description": table.title,
                "items": {"type": "object", "properties": props, "required": required,
                          "additionalProperties": False}}
    if table.kind == "code":
        cols = {c.key: KIND_SCHEMA[c.kind] for c in table.columns() if c.is_input}
        return {"type": "object", "description": f"{table.title}：项级科目编码（7位）→ 各栏数值",
                "propertyNames": {"pattern": "^[0-9]{7}$"},
                "additionalProperties": {"type": "object", "properties": cols, "additionalProperties": False}}
    if is_flat(table):
        col = table.columns()[0]
        props = {r.key: KIND_SCHEMA[table.cell_kind(r, col)] for r in table.fixed_rows()}
        return {"type": "object", "description": table.title, "properties": props, "additionalProperties": False}
    props = {}
    for block in table.blocks:
        for r in block.rows:
            if r is None:
                continue
            inputs = {ck: KIND_SCHEMA[table.cell_kind(r, block.column(ck))]
                      for ck, spec in r.cells.items() if spec is INPUT}
            if inputs:
                props[r.key] = {"type": "object", "properties": inputs, "additionalProperties": False}
    return {"type": "object", "description": table.title, "properties": props, "additionalProperties": False}


def build_schema(fmt: Format) -> dict[str, Any]:
    props: dict[str, Any] = {
        "format": {"const": fmt.id},
        "科目名称": {"type": "object", "description": "代码表之外的科目：编码 → 名称 (codes missing from the code list)",
                 "additionalProperties": TEXT},
        "注": {"type": "object", "description": "各表表注（空表说明等）(table footnotes)",
              "additionalProperties": TEXT},
        "notes": {"type": "object", "description": "自由说明，原样保留 (free-form notes, kept on round trip)"},
    }
    for t in fmt.tables:
        props[t.key] = table_schema(t)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://juesuan.invalid/schema/{fmt.id}.schema.json",
            "title": f"juesuan 数据文件 data file ({fmt.id}: {fmt.name})",
            "type": "object", "required": ["format"], "properties": props, "additionalProperties": False}
