"""Fail fast on an inconsistent format: unknown references, duplicate keys, bad sheet names,
a reference to a cell a row does not have, a cycle among the declared derivations."""

from __future__ import annotations

from juesuan.errors import FormatError
from juesuan.spec import INPUT, Format, Table

BAD_SHEET_CHARS = set("[]:*?/\\")


def validate_format(fmt: Format) -> None:
    keys = [t.key for t in fmt.tables]
    if len(set(keys)) != len(keys):
        raise FormatError(f"{fmt.id}: duplicate table keys")
    sheets = [t.sheet for t in fmt.tables]
    if len(set(sheets)) != len(sheets):
        raise FormatError(f"{fmt.id}: duplicate sheet names")
    for t in fmt.tables:
        if len(t.sheet) > 31 or BAD_SHEET_CHARS & set(t.sheet):
            raise FormatError(f"{fmt.id}: bad sheet name {t.sheet!r}")
        _validate_table(fmt, t)
    _no_cycles(fmt)


def _no_cycles(fmt: Format) -> None:
    """The declared (fixed-table) derivations form no cycle; code-table sums point only downwards."""
    deps = {(t.key, r.key, ck): [k for k in _refs(spec) if fmt.table(k[0]).kind == "fixed"]
            for t in fmt.tables if t.kind == "fixed" for r in t.fixed_rows()
            for ck, spec in r.cells.items() if spec is not INPUT}
    state: dict[tuple[str, str, str], int] = {}  # 1 visiting, 2 done

    def visit(key: tuple[str, str, str], path: list[tuple[str, str, str]]) -> None:
        if state.get(key) == 2:
            return
        if state.get(key) == 1:
            raise FormatError(f"{fmt.id}: cycle in derivations: {' → '.join('/'.join(k) for k in path + [key])}")
        state[key] = 1
        for dep in deps.get(key, []):
            visit(dep, path + [key])
        state[key] = 2

    for key in deps:
        visit(key, [])


def _validate_table(fmt: Format, t: Table) -> None:
    row_keys = [r.key for r in t.fixed_rows()]
    if len(set(row_keys)) != len(row_keys):
        dup = {k for k in row_keys if row_keys.count(k) > 1}
        raise FormatError(f"{t.key}: duplicate row keys {sorted(dup)}")
    lengths = {len(b.rows) for b in t.blocks}
    if t.kind == "fixed" and len(lengths) > 1:
        raise FormatError(f"{t.key}: blocks have different row counts {lengths}")
    for col in t.columns():
        if col.sum_over is not None:
            source, match, summed = col.sum_over
            try:
                target = fmt.table(source)
                target.column(match), target.column(summed), t.column(match)
            except KeyError as exc:
                raise FormatError(f"{t.key}/{col.key}: sum_over refers to an unknown table or column {exc}") from None
    for b in t.blocks:
        col_keys = {c.key for c in b.columns}
        for r in b.rows:
            if r is None:
                continue
            for ck, spec in r.cells.items():
                if ck not in col_keys:
                    raise FormatError(f"{t.key}/{r.key}: unknown column {ck}")
                if spec is not INPUT:
                    for ref in _refs(spec):
                        _check_ref(fmt, t, r.key, ref)


def _refs(spec: object) -> list[tuple[str, str, str]]:
    return list(spec.refs())  # type: ignore[attr-defined]


def _check_ref(fmt: Format, t: Table, row: str, key: tuple[str, str, str]) -> None:
    table_key, row_key, col_key = key
    try:
        target = fmt.table(table_key)
    except KeyError:
        raise FormatError(f"{t.key}/{row}: reference to unknown table {table_key}") from None
    try:
        target.column(col_key)
    except KeyError:
        raise FormatError(f"{t.key}/{row}: reference to unknown column {key}") from None
    if target.kind == "fixed":
        try:
            target_row = target.row(row_key)
        except KeyError:
            raise FormatError(f"{t.key}/{row}: reference to unknown row {key}") from None
        if col_key not in target_row.cells:
            raise FormatError(f"{t.key}/{row}: reference to a cell the row does not have {key}")
    elif target.kind == "code":
        codes = fmt.codes_for(target)
        if row_key != target.total_label and row_key not in codes:
            raise FormatError(f"{t.key}/{row}: reference to unknown code {key}")

