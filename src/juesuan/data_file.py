"""Data files: one department's inputs as JSON ↔ a :class:`~juesuan.model.Book`.

Structure (JSON Schema: ``formats/<id>.schema.json``; see the README)::

    {"format": "nmg-2023",
     "单位信息": {"部门名称": "…", …},                     key–value sheets are flat
     "表1": {"年初结转和结余": {"金额": 0.02}, …},          fixed tables: row → column → value
     "表5": {"2010301": {"基本支出": 1314.65, "项目支出": 0}}, code tables: 项 code → column → value
     "绩效自评": [{"项目名称": "公务接待费", …}, …],          record tables: a list
     "注": {"表9": "本单位无国有资本经营预算财政拨款收支，故本表为空表。"},
     "科目名称": {"2010399": "…"}, "notes": {…}}

Only input cells appear; a derived cell in a data file is an error.  Amounts are 万元 numbers
(元 precision allowed), never negative.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from juesuan.celltext import has_bad_characters, problem, require, shown
from juesuan.containers import require_regular
from juesuan.errors import InputError, Location
from juesuan.formats import DEFAULT_FORMAT, load_format
from juesuan.model import Book, Value, custom_names
from juesuan.money import canonical, parse_amount, refusal
from juesuan.schema import is_flat
from juesuan.spec import INPUT, MAX_RECORDS, Format, Kind, Table

RESERVED = {"format", "notes", "注", "科目名称"}


def read_data(path: str | Path) -> Book:
    """Load and validate a data file; any problem is an InputError naming the file and key."""
    path = Path(path)
    require_regular(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (UnicodeDecodeError, OSError) as exc:
        raise InputError("无法读取数据文件（须为 UTF-8 编码的 JSON）", f"cannot read data file: {exc}",
                         Location(file=str(path))) from None
    try:
        data = parse_json(text)
        check_texts(data)
        return book_from_data(data)
    except InputError as exc:
        raise exc.at(file=str(path)) from None
    except RecursionError:
        raise _too_deep(Location(file=str(path))) from None


def parse_json(text: str, exact: bool = True, what: tuple[str, str] = ("数据文件", "the data file")) -> Any:
    """JSON from outside, or an InputError saying why not (the caller adds the file): not JSON
    (line and column), nested too deeply, NaN/Infinity or a number too large for a double, an
    object with a key twice.  ``exact``: decimals as Decimal (amounts), else float (the service's
    snapshot cells); integers too long for ``int()`` (4,300 digits) are kept as Decimal."""
    try:
        return json.loads(text, parse_float=Decimal if exact else _float, parse_int=_int if exact else _small_int,
                          parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise InputError(f"{what[0]}不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）",
                         f"{what[1]} is not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise _too_deep(Location(), what) from None


def _too_deep(where: Location, what: tuple[str, str] = ("数据文件", "the data file")) -> InputError:
    return InputError(f"{what[0]}嵌套过深（超过 {MAX_DEPTH} 层）", f"{what[1]} is nested too deeply "
                      f"(more than {MAX_DEPTH} levels)", where)


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _out_of_range(text)
    return value


def _small_int(text: str) -> int:
    if len(text) > 300:  # past any double
        raise _out_of_range(text)
    return int(text)


def _out_of_range(text: str) -> InputError:
    return InputError(f"数字 {shown(text)} 超出范围", f"the number {shown(text)} is out of range", Location())


MAX_DEPTH = 32  # a data file is 4 levels deep (notes may nest a little more)


def check_texts(data: Any) -> None:
    """Every key and text of a parsed data file can be stored in a workbook (no control
    characters, U+FFFE/U+FFFF or unpaired surrogates; at most 32,767 characters), and the
    structure is at most :data:`MAX_DEPTH` deep; else an InputError naming the key."""
    # each item: (value, its trail, depth); a trail is (parent trail, key or 1-based index), named
    # as "表5/2010301/基本支出" only when a problem is found
    stack: list[tuple[Any, Any, int]] = [(data, None, 0)]
    while stack:
        value, trail, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise RecursionError
        if isinstance(value, dict):
            for k, v in value.items():
                if has_bad_characters(k):
                    require(k, Location(key=_path((trail, k))))
                stack.append((v, (trail, k), depth + 1))
        elif isinstance(value, list):
            stack.extend((v, (trail, i + 1), depth + 1) for i, v in enumerate(value))
        elif isinstance(value, str) and problem(value) is not None:
            require(value, Location(key=_path(trail) or None))


def _path(trail: Any) -> str:
    """A trail of check_texts as a key path: dict keys as shown, list items by number."""
    steps: list[Any] = []
    while trail is not None:
        trail, step = trail
        steps.append(step)
    where = ""
    for step in reversed(steps):
        if isinstance(step, int):  # a list item
            where = f"{where}/{step}"
        else:
            where = f"{where}/{shown(step)}" if where else shown(step)
    return where


def _int(text: str) -> int | Decimal:
    """A JSON integer; one too long for Python's int() (over 4,300 digits raises ValueError) is
    kept as a Decimal, which the amount check then refuses as too large, naming its key."""
    return int(text) if len(text) < 4000 else Decimal(text)


def _no_constant(name: str) -> Any:
    raise InputError(f"数据文件中有非数字值 {name}", f"{name} is not a number", Location())


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose key appears twice would silently keep only the last value: refuse it."""
    out = dict(pairs)
    if len(out) == len(pairs):
        return out  # no key twice (the common case, built in C)
    out = {}
    for key, value in pairs:
        if key in out:
            raise InputError(f"键「{key}」在同一对象中出现了两次", f"key {key!r} appears twice in one object",
                             Location(key=key))
        out[key] = value
    return out


def book_from_data(data: Any) -> Book:
    if not isinstance(data, dict):
        raise InputError("数据文件的顶层须为对象", "the top level of a data file must be an object")
    fmt = load_format(str(data.get("format", DEFAULT_FORMAT)))
    book = Book(fmt)
    extra_codes = _text_map(data.get("科目名称", {}), "科目名称")
    codes = {**fmt.function_codes, **extra_codes}
    book.footnotes = _text_map(data.get("注", {}), "注")
    for table_key in book.footnotes:
        _table(fmt, table_key, "注")
    book.notes = data.get("notes", {}) if isinstance(data.get("notes", {}), dict) else {}
    book.names.update({("科目名称", c): n for c, n in extra_codes.items()})
    for key, content in data.items():
        if key in RESERVED:
            continue
        table = _table(fmt, key, key)
        if table.kind == "record":
            _load_records(book, table, content)
        elif table.kind == "code":
            _load_code_table(book, table, content, codes)
        else:
            _load_fixed(book, table, content)
    return book


def _table(fmt: Format, key: str, where: str) -> Table:
    try:
        return fmt.table(key)
    except KeyError:
        raise InputError(f"未知的表「{key}」", f"unknown table {key!r}", Location(key=where)) from None


def _text_map(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise InputError("须为「键: 文本」对象", "must be an object of texts", Location(key=where))
    return dict(value)


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError("须为对象（键值对）", "must be an object", Location(key=where))
    return value


def convert(value: Any, kind: Kind, where: str) -> Value:
    """A JSON value as the model holds it, or an InputError naming ``where``."""
    if value is None:
        return None
    if kind == "text":
        if not isinstance(value, str):
            raise InputError("此处应为文本", f"a text is expected here, got {shown(value)!r}", Location(key=where))
        return value
    try:
        number = parse_amount(value)
    except ValueError:
        zh, en = refusal(value)
        raise InputError(zh, en, Location(key=where)) from None
    if number is None:
        return None
    if kind == "count":
        if number != number.to_integral_value():
            raise InputError(f"此处应为整数，却是 {value}", f"a whole number is expected, got {value}",
                             Location(key=where))
        number = Decimal(int(number))
    if kind in ("amount", "count") and number < 0:
        raise InputError(f"金额或数量不能为负数：{value}", f"must not be negative: {value}", Location(key=where))
    return int(number) if kind == "count" else number


def _load_fixed(book: Book, table: Table, content: Any) -> None:
    content = _object(content, table.key)
    if is_flat(table):
        col = table.columns()[0]
        for row_key, value in content.items():
            row = _fixed_row(table, row_key)
            book.values[(table.key, row_key, col.key)] = convert(value, table.cell_kind(row, col),
                                                                 f"{table.key}/{row_key}")
        return
    for row_key, cells in content.items():
        row = _fixed_row(table, row_key)
        block = table.block_of_row(row_key)
        for col_key, value in _object(cells, f"{table.key}/{row_key}").items():
            where = f"{table.key}/{row_key}/{col_key}"
            if col_key not in row.cells:
                raise InputError("该行没有此栏", "no such column in this row", Location(key=where))
            if row.cells[col_key] is not INPUT:
                raise InputError("这是自动计算的单元格，不能在数据文件中给出", "a derived cell cannot be given as input",
                                 Location(key=where))
            book.values[(table.key, row_key, col_key)] = convert(value, table.cell_kind(row, block.column(col_key)),
                                                                 where)


def _fixed_row(table: Table, row_key: str):  # type: ignore[no-untyped-def]
    try:
        return table.row(row_key)
    except KeyError:
        raise InputError("该表没有这一行", "no such row in this table", Location(key=f"{table.key}/{row_key}")) from None


def _load_code_table(book: Book, table: Table, content: Any, codes: dict[str, str]) -> None:
    content = _object(content, table.key)
    items: list[str] = []
    for code, cells in content.items():
        where = f"{table.key}/{code}"
        check_code(code, codes, where)
        items.append(code)
        for col_key, value in _object(cells, where).items():
            try:
                col = table.column(col_key)
            except KeyError:
                raise InputError("该表没有此栏", "no such column", Location(key=f"{where}/{col_key}")) from None
            if not col.is_input:
                raise InputError("这是自动计算的栏，不能在数据文件中给出", "a derived column cannot be given as input",
                                 Location(key=f"{where}/{col_key}"))
            book.values[(table.key, code, col_key)] = convert(value, col.kind, f"{where}/{col_key}")
    book.codes[table.key] = sorted(items)


def check_code(code: str, codes: dict[str, str], where: str) -> None:
    """A 项 code: 7 digits, in the code list (or declared), with its 类 and 款 known."""
    if not (isinstance(code, str) and len(code) == 7 and code.isdigit()):
        raise InputError(f"科目编码「{code}」应为7位项级编码", f"code {code!r} must be a 7-digit 项 code",
                         Location(key=where))
    if code not in codes:
        raise InputError(f"未知的科目编码「{code}」（如确需使用，请在「科目名称」中给出名称）",
                         f"unknown code {code!r} (declare its name under 科目名称 if it is real)", Location(key=where))
    for prefix, lvl in ((code[:3], "类"), (code[:5], "款")):
        if prefix not in codes:
            raise InputError(f"科目编码「{code}」的上级{lvl}「{prefix}」不存在",
                             f"the parent {prefix!r} of code {code!r} is unknown", Location(key=where))


def _load_records(book: Book, table: Table, content: Any) -> None:
    if not isinstance(content, list):
        raise InputError("须为列表", "must be a list", Location(key=table.key))
    if len(content) > MAX_RECORDS:
        raise too_many_records(table, Location(key=table.key), len(content))
    inputs = {c.key: c for c in table.columns() if c.is_input}
    for i, record in enumerate(content):
        where = f"{table.key}/{i + 1}"
        for col_key, value in _object(record, where).items():
            if col_key not in inputs:
                raise InputError("没有此栏，或这是自动计算的栏", "unknown or derived column", Location(key=f"{where}/{col_key}"))
            book.values[(table.key, str(i + 1), col_key)] = convert(value, inputs[col_key].kind, f"{where}/{col_key}")
        for col in table.columns():
            if col.required and not book.values.get((table.key, str(i + 1), col.key)):
                raise InputError(f"缺少必填栏「{col.key}」", f"required column {col.key!r} is missing", Location(key=where))
    book.records[table.key] = len(content)


def too_many_records(table: Table, where: Location, n: int | None = None) -> InputError:
    """More rows in a record table than :data:`~juesuan.spec.MAX_RECORDS` (data file or sheet)."""
    count = (f"（共 {n:,} 条）", f" ({n:,})") if n is not None else ("", "")
    return InputError(f"「{table.key}」的记录超过上限 {MAX_RECORDS:,} 条{count[0]}",
                      f"{table.key} has more records than the limit of {MAX_RECORDS:,}{count[1]}", where,
                      kind="structure")


def data_from_book(book: Book) -> dict[str, Any]:
    """The data file of a book: every non-empty input cell."""
    fmt = book.format
    out: dict[str, Any] = {"format": fmt.id}
    extra = custom_names(book)
    if extra:
        out["科目名称"] = dict(sorted(extra.items()))
    for table in fmt.tables:
        content: Any
        if table.kind == "record":
            content = []
            for row in book.rows(table):
                rec = {ck: _json(v) for (_, r, ck) in book.input_keys_of_row(table, row)
                       if (v := book.values.get((table.key, r, ck))) is not None}
                content.append(rec)
            if content:
                out[table.key] = content
            continue
        content = {}
        if table.kind == "code":
            for code in book.codes.get(table.key, []):
                content[code] = {c.key: _json(v) for c in table.columns() if c.is_input
                                 and (v := book.values.get((table.key, code, c.key))) is not None}
        elif is_flat(table):
            for row in table.fixed_rows():
                v = book.values.get((table.key, row.key, "值"))
                if v is not None:
                    content[row.key] = _json(v)
        else:
            for row in table.fixed_rows():
                cells = {ck: _json(v) for ck, spec in row.cells.items() if spec is INPUT
                         and (v := book.values.get((table.key, row.key, ck))) is not None}
                if cells:
                    content[row.key] = cells
        if content or (table.kind == "code" and table.key in book.codes and book.codes[table.key]):
            out[table.key] = content
    if book.footnotes:
        out["注"] = dict(book.footnotes)
    if book.notes:
        out["notes"] = book.notes
    return out


def _json(value: Value) -> Any:
    if isinstance(value, Decimal):
        text = canonical(value)
        return int(text) if "." not in text else float(text) if repr(float(text)) == text else text
    return value


def dumps(data: dict[str, Any]) -> str:
    """JSON text; amounts are JSON numbers (``_json`` keeps a Decimal as a string only when a
    double cannot hold it exactly, and the loader accepts numeric strings)."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_decimal_default) + "\n"


def _decimal_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value))
