"""Excel formulas as data: the functions a formula calls, the cells it references, its tree.

Parsing uses the ``formulas`` package's tokenizer (``formulas.Parser().ast``), which knows the
whole Excel grammar.  It costs about 0.5 ms a formula, and a filled workbook holds thousands of
formulas that differ only in their references (``=SUM(D9,E9,F9)`` on every row), so parses are
cached by *shape*: the formula text with every cell reference replaced by a placeholder.  The
first formula of a shape is parsed by ``formulas`` and its references are checked against the
ones found by :data:`REF_RE`; later formulas of that shape reuse the token structure and take
their references from the regular expression alone.  A shape whose references the expression
does not find exactly is never cached (each such formula is parsed on its own).

Example::

    parse("=SUM(D9,'收入决算表'!C8:C12)").refs
    → [Ref(None, 9, 4, 9, 4), Ref('收入决算表', 8, 3, 12, 3)]
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Union

MAX_ROW, MAX_COL = 1_048_576, 16_384


class FormulaSyntaxError(ValueError):
    """The text is not a formula Excel would accept."""


@dataclass(frozen=True)
class Ref:
    """A rectangle of cells: ``sheet`` as written (``None`` = the formula's own sheet), 1-based."""

    sheet: str | None
    r1: int
    c1: int
    r2: int
    c2: int

    @property
    def single(self) -> bool:
        return self.r1 == self.r2 and self.c1 == self.c2

    def valid(self) -> bool:
        return 1 <= self.r1 <= self.r2 <= MAX_ROW and 1 <= self.c1 <= self.c2 <= MAX_COL


# ── references found by a regular expression (for the shape cache) ───────────────────────
_STRING = r'"(?:[^"]|"")*"'
_SHEET = r"(?:'(?:[^']|'')+'|[^\W\d][\w.]*)!"
_CELL = r"\$?[A-Za-z]{1,3}\$?[0-9]+"
_REF = (rf"(?P<sheet>{_SHEET})?(?P<ref>{_CELL}(?::{_CELL})?|\$?[A-Za-z]{{1,3}}:\$?[A-Za-z]{{1,3}}"
        rf"|\$?[0-9]+:\$?[0-9]+)")
REF_RE = re.compile(rf"(?P<string>{_STRING})|(?<![\w.$'!]){_REF}(?![\w(!.])")
_CELL_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+)")


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def unquote_sheet(text: str) -> str:
    text = text[:-1] if text.endswith("!") else text
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    return text


def _ref_of(sheet: str | None, ref: str) -> Ref:
    sheet_name = unquote_sheet(sheet) if sheet else None
    a, _, b = ref.partition(":")
    b = b or a
    ma, mb = _CELL_RE.fullmatch(a), _CELL_RE.fullmatch(b)
    if ma and mb:
        r1, r2 = int(ma.group(2)), int(mb.group(2))
        c1, c2 = column_number(ma.group(1)), column_number(mb.group(1))
    elif a.lstrip("$").isdigit():  # whole rows 3:5
        r1, r2, c1, c2 = int(a.lstrip("$")), int(b.lstrip("$")), 1, MAX_COL
    else:  # whole columns A:C
        r1, r2, c1, c2 = 1, MAX_ROW, column_number(a.lstrip("$")), column_number(b.lstrip("$"))
    return Ref(sheet_name, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))


def regex_refs(text: str) -> tuple[str, list[Ref]]:
    """The shape of a formula (references replaced by ``\\x00``) and its references in order."""
    refs: list[Ref] = []
    parts: list[str] = []
    pos = 0
    for m in REF_RE.finditer(text):
        if m.group("string") is not None:
            continue
        parts.append(text[pos:m.start()])
        parts.append("\x00")
        refs.append(_ref_of(m.group("sheet"), m.group("ref")))
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts), refs


def shift_rows(text: str, host: str, sheet: str, after: int, shift: int) -> str:
    """``text`` with every reference into ``sheet`` to a row below ``after`` moved by ``shift``
    rows, as Excel does when rows are inserted or deleted (``host``: the formula's own sheet).

    ``shift_rows("=SUM('表5'!C40:C42)+A3", "说明", "表5", 30, 2)`` → ``"=SUM('表5'!C42:C44)+A3"``.
    """
    def row(n: str) -> str:
        k = int(n)
        return str(k + shift if k > after else k)

    def ref(m: re.Match[str]) -> str:
        if m.group("string") is not None:
            return m.group(0)
        target = unquote_sheet(m.group("sheet")) if m.group("sheet") else host
        if target != sheet:
            return m.group(0)
        body = m.group("ref")
        if _ROWS_RE.fullmatch(body):  # whole rows 3:5
            body = _ROWS_RE.sub(lambda r: f"{r.group(1)}{row(r.group(2))}:{r.group(3)}{row(r.group(4))}", body)
        else:  # cells and ranges; whole columns have no row
            body = _CELL_PARTS.sub(lambda c: f"{c.group(1)}{c.group(2)}{c.group(3)}{row(c.group(4))}", body)
        return (m.group("sheet") or "") + body

    return REF_RE.sub(ref, text)


_CELL_PARTS = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)([0-9]+)")
_ROWS_RE = re.compile(r"(\$?)([0-9]+):(\$?)([0-9]+)")


# ── tokens ─────────────────────────────────────────────────────────────────────────────
# Own token kinds: ("num", Decimal) ("bool", b) ("str", s) ("err", "#REF!") ("ref", slot)
# ("name", NAME) ("func", NAME) ("(",) (")",) (",",) ("op", "+") ("empty",) ("isect",)
Token = tuple[Any, ...]


@dataclass
class Formula:
    """One parsed formula: its tokens (``("ref", i)`` points into ``refs``), functions, names."""

    text: str
    tokens: tuple[Token, ...]
    refs: list[Ref]
    functions: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    errors: tuple[str, ...] = ()
    _tree: Any = field(default=None, repr=False)

    def tree(self) -> "Node":
        """The expression tree (built on first use: only evaluated formulas need it)."""
        if self._tree is None:
            self._tree = _TreeBuilder(self.tokens, self.refs).parse()
        return self._tree


@dataclass(frozen=True)
class _Shape:
    tokens: tuple[Token, ...]
    functions: frozenset[str]
    names: frozenset[str]
    errors: tuple[str, ...]


_SHAPES: dict[str, _Shape | None] = {}  # None: the regex does not find this shape's references exactly
_MAX_SHAPES = 50_000


def parse(text: str) -> Formula:
    """Parse ``=…`` (the leading ``=`` may be missing); :class:`FormulaSyntaxError` if invalid."""
    text = text if text.startswith("=") else "=" + text
    shape_key, refs = regex_refs(text)
    shape = _SHAPES.get(shape_key, False)
    if isinstance(shape, _Shape):
        return Formula(text, shape.tokens, refs, shape.functions, shape.names, shape.errors)
    tokens, token_refs = _tokenize(text)
    functions = frozenset(t[1] for t in tokens if t[0] == "func")
    names = frozenset(t[1] for t in tokens if t[0] == "name")
    errors = tuple(t[1] for t in tokens if t[0] == "err")
    cacheable = _same_refs(token_refs, refs)
    if len(_SHAPES) < _MAX_SHAPES and shape is False:
        _SHAPES[shape_key] = _Shape(tokens, functions, names, errors) if cacheable else None
    return Formula(text, tokens, refs if cacheable else token_refs, functions, names, errors)


def _same_refs(a: list[Ref], b: list[Ref]) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if (x.r1, x.c1, x.r2, x.c2) != (y.r1, y.c1, y.r2, y.c2):
            return False
        if (x.sheet or "").casefold() != (y.sheet or "").casefold():
            return False
    return True


# One thread parses at a time: formulas imports schedula's modules as it first needs them, and they
# import each other, so a second thread importing them at the same moment sees a half-made module
# (the service's warm-up thread and its first request did).  Parsing holds the GIL anyway.
_PARSER_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _parser() -> Any:
    """The ``formulas`` parser, building the expression tree without compiling its functions.

    formulas' own builder compiles each function it meets, and the first compilation imports
    every function module of formulas (scipy.stats among them): 0.7 s of a cold ``juesuan fill``
    spent on code a tokenizer never runs.  The arity checks stay."""
    import formulas
    from formulas.builder import AstBuilder
    from formulas.errors import FormulaError
    from formulas.tokens.function import Function
    from formulas.tokens.operand import Operand
    from formulas.tokens.operator import Operator

    class TokenBuilder(AstBuilder):  # type: ignore[misc]
        def append(self, token: Any) -> None:
            if isinstance(token, (Operator, Function)):
                try:
                    inputs = [self.pop() for _ in range(token.get_n_args)][::-1]
                except IndexError:
                    raise FormulaError() from None
                token.update_input_tokens(*inputs)
            elif isinstance(token, Operand):
                self.missing_operands.add(token)
            self._deque.append(token)

        def finish(self) -> None:
            pass

    parser = formulas.Parser()
    parser.ast_builder = TokenBuilder
    return parser


def _tokenize(text: str) -> tuple[tuple[Token, ...], list[Ref]]:
    """Tokens by the ``formulas`` package, translated to our small token set."""
    try:
        with _PARSER_LOCK:
            raw = _parser().ast(text)[0]
    except Exception as exc:  # formulas raises several kinds (FormulaError, ParenthesesError…)
        raise FormulaSyntaxError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    out: list[Token] = []
    refs: list[Ref] = []
    for tok in raw:
        kind = type(tok).__name__
        name = tok.name
        attr = getattr(tok, "attr", {})
        if kind == "Range":
            if attr.get("is_reference") or "r1" not in attr:
                out.append(("name", str(attr.get("ref", name)).upper()))
                continue
            out.append(("ref", len(refs)))
            refs.append(_ref_of_token(attr))
        elif kind == "Function":
            fname = name.upper()
            for prefix in ("_XLFN.", "_XLWS."):
                if fname.startswith(prefix):
                    fname = fname[len(prefix):]
            out.append(("func", fname))
        elif kind == "Parenthesis":
            out.append((name,))
        elif kind == "Separator":
            out.append((",",))
        elif kind == "OperatorToken":
            out.append(("op", name))
        elif kind == "Number":
            up = name.upper()
            if up in ("TRUE", "FALSE"):
                out.append(("bool", up == "TRUE"))
            else:
                try:
                    out.append(("num", Decimal(name)))
                except InvalidOperation:
                    raise FormulaSyntaxError(f"bad number {name}") from None
        elif kind == "String":
            out.append(("str", name.replace('""', '"')))
        elif kind == "Error":
            out.append(("err", name.upper()))
        elif kind == "Empty":
            out.append(("empty",))
        elif kind == "Intersect":
            out.append(("isect",))
        else:
            raise FormulaSyntaxError(f"unsupported token {kind} {name!r}")
    return tuple(out), refs


def _ref_of_token(attr: dict[str, Any]) -> Ref:
    sheet_id = attr.get("sheet_id") or ""
    sheet = unquote_sheet(sheet_id) if sheet_id else None
    r1, r2 = int(attr.get("r1") or 1), int(attr.get("r2") or MAX_ROW)
    c1 = int(attr.get("n1") or 1)
    c2 = int(attr.get("n2") or MAX_COL)
    return Ref(sheet, max(r1, 1), max(c1, 1), max(r1, r2), max(c1, c2))


# ── the tree (Pratt parser over the tokens) ──────────────────────────────────────────────
# Nodes: ("num", D) ("bool", b) ("str", s) ("err", e) ("ref", Ref) ("name", N) ("empty",)
#        ("call", NAME, [args]) ("bin", op, l, r) ("neg", x) ("pos", x) ("pct", x) ("isect", l, r)
Node = tuple[Any, ...]
_BINARY = {"=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1, "&": 2, "+": 3, "-": 3, "*": 4, "/": 4, "^": 5,
           ":": 9}
_PERCENT, _PREFIX, _ISECT = 6, 7, 8


class _TreeBuilder:
    def __init__(self, tokens: tuple[Token, ...], refs: list[Ref]) -> None:
        self.tokens, self.refs, self.i = tokens, refs, 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        node = self.expr(0)
        if self.peek() is not None:
            raise FormulaSyntaxError(f"unexpected token {self.peek()}")
        return node

    def expr(self, min_bp: int) -> Node:
        left = self.prefix()
        while True:
            tok = self.peek()
            if tok is None:
                return left
            if tok[0] == "op" and tok[1] == "%":
                if _PERCENT < min_bp:
                    return left
                self.take()
                left = ("pct", left)
                continue
            if tok[0] == "isect":
                if _ISECT < min_bp:
                    return left
                self.take()
                left = ("isect", left, self.expr(_ISECT + 1))
                continue
            if tok[0] != "op" or tok[1] not in _BINARY:
                return left
            bp = _BINARY[tok[1]]
            if bp < min_bp:
                return left
            self.take()
            left = ("bin", tok[1], left, self.expr(bp + 1))

    def prefix(self) -> Node:
        tok = self.take()
        kind = tok[0]
        if kind == "op" and tok[1] in ("u-", "u+", "-", "+"):
            operand = self.expr(_PREFIX)
            return ("neg", operand) if tok[1] in ("u-", "-") else ("pos", operand)
        if kind == "(":
            node = self.expr(0)
            self.expect(")")
            return node
        if kind == "func":
            self.expect("(")
            args: list[Node] = []
            if self.peek() == (")",):
                self.take()
                return ("call", tok[1], args)
            while True:
                if self.peek() in ((",",), (")",)):
                    args.append(("empty",))
                else:
                    args.append(self.expr(0))
                nxt = self.take()
                if nxt == (")",):
                    return ("call", tok[1], args)
                if nxt != (",",):
                    raise FormulaSyntaxError(f"expected , or ) got {nxt}")
        if kind == "ref":
            return ("ref", self.refs[tok[1]])
        if kind in ("num", "bool", "str", "err", "name", "empty"):
            return tok
        raise FormulaSyntaxError(f"unexpected token {tok}")

    def expect(self, what: str) -> None:
        tok = self.take() if self.peek() is not None else None
        if tok != (what,):
            raise FormulaSyntaxError(f"expected {what!r}, got {tok}")


Value = Union[Decimal, str, bool, None]


def same_formula(a: str, b: str, host: str) -> bool:
    """Whether two formula texts are the same formula — the one "is this our formula" test of
    fill, check and narrate: equal up to quoting of sheet names, ``$``, spaces and case (as
    Excel and LibreOffice re-save formulas), a reference without a sheet being on ``host``.
    ``same_formula("=SUM(收入决算表!$C$7, D8)", "=SUM('收入决算表'!C7,D8)", "x")`` → True."""
    return a == b or _signature(a, host) == _signature(b, host)


def _signature(text: str, host: str) -> tuple[str, tuple[tuple[str, int, int, int, int], ...]]:
    shape, refs = regex_refs(text.strip())
    return shape.replace(" ", "").upper(), tuple(((r.sheet or host).casefold(), r.r1, r.c1, r.r2, r.c2)
                                                 for r in refs)
