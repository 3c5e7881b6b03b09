"""The printed amounts of a book and the linear relations balancing must keep, from the format.

Two sources, both generic (no table is named here):

- every derived amount cell whose :class:`~juesuan.expr.Expr` tree is linear (``Ref``, ``Sum``,
  ``Sub``, ``Const``) gives ``cell − Σ parts = 0`` — 合计 = Σ类, 小计 = 基本 + 项目, 表1 lines =
  表2/表4 cells, 表4 类 rows = 表5/表8/表9 …  Ratios and scores (``RatePercent``, ``ScoreOf``,
  ``SumIf`` over scores) are not balanced; they are computed from the printed amounts.
- every explicit relation of the format's check rules that compares amounts (表1 收入总计 =
  支出总计, 表5 基本支出 = 表6 人员经费 + 公用经费, 表3 ≥ 表5 + 表8 + 表9 …): the rules are run
  once on the book's own values with a recorder that notes each comparison they make
  (:func:`juesuan.check.sums.sides`), so a rule added to the pack is balanced without a change here
  (the rules run are those comparing amounts: mode ROUNDED or AT_LEAST, or marked ``compares``);
- the narrative's comparisons (与上年决算/与年初预算相比, reported by the rules that ask for a
  变动原因): two amounts that are exactly equal print equal, so no 变动 appears from rounding.

A cell a row lacks (表5 has no 类 208 while 表4's 208 line refers to it) is an exact zero.

Example: 表5 row 2010301 with 基本 1314.653, 项目 0.004 gives the relation
``("W5-1", [(小计, +1), (基本, −1), (项目, −1)], "=")`` and the exact amounts
{小计: 1314.657, 基本: 1314.653, 项目: 0.004}.
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.balance.solve import SAME, Relation
from juesuan.expr import Const, Expr, Key, Ref, Sub, Sum
from juesuan.model import Book

ZERO = Decimal(0)
Linear = tuple[dict[Key, int], Decimal]


def linear(expr: Expr) -> Linear | None:
    """``expr`` as {cell: coefficient} + constant, or None when it is not linear in cells."""
    if isinstance(expr, Ref):
        return {expr.key: 1}, ZERO
    if isinstance(expr, Const):
        return {}, expr.number
    if isinstance(expr, Sum):
        terms: dict[Key, int] = {}
        const = ZERO
        for t in expr.terms:
            if t.__class__ is Ref:  # the common case, fast: a cell
                k = (t.table, t.row, t.col)  # type: ignore[attr-defined]
                terms[k] = terms.get(k, 0) + 1
                continue
            lin = linear(t)
            if lin is None:
                return None
            for k, c in lin[0].items():
                terms[k] = terms.get(k, 0) + c
            const += lin[1]
        return terms, const
    if isinstance(expr, Sub):
        left, right = linear(expr.left), linear(expr.right)
        if left is None or right is None:
            return None
        terms = dict(left[0])
        for k, c in right[0].items():
            terms[k] = terms.get(k, 0) - c
        return terms, left[1] - right[1]
    return None


class Base:
    """What balancing needs that depends only on a book's layout (format, 项 codes, record counts):
    the amount cells in a fixed order, the cells never balanced, and the relation of every linear
    derivation, also as a sparse matrix over the cells.  Kept per layout (:func:`base_of`), so a
    department balanced again (fill after an edit, the ribbon, a batch re-run) or another one with
    the same rows reuses it."""

    def __init__(self, prep) -> None:  # type: ignore[no-untyped-def]
        from juesuan.balance.solve import matrix

        kind = prep.kind
        cells = [*prep.numeric_inputs, *prep.numeric_derived]
        self.keys: list[Key] = [k for k in cells if kind(k) == "amount"]
        amount = set(self.keys)
        self.other: set[Key] = set(cells) - amount  # counts, rates, scores: never balanced
        self.relations: list[Relation] = []
        for key in prep.numeric_derived:
            if key not in amount:
                continue
            lin = linear(prep.exprs[key])
            if lin is None or not self.other.isdisjoint(lin[0]):
                continue
            terms = ((key, 1), *((k, -c) for k, c in lin[0].items() if c))
            self.relations.append(Relation("", terms, "=", -lin[1]))  # its rule id, when named: describe()
        self.matrix = matrix(self.keys, self.relations)


_BASES: dict[object, tuple[object, Base]] = {}
_KEEP = 8  # layouts remembered per process (a batch worker sees one department at a time)


def base_of(book: Book, prep) -> Base:  # type: ignore[no-untyped-def]
    """The :class:`Base` of ``book``'s layout, built once per layout and process."""
    from juesuan.derive import MEMO

    structure = book.__dict__.get(MEMO, {}).get("structure")  # set by the derivations ``prep`` holds
    fmt, base = _BASES.get(structure, (None, None)) if structure is not None else (None, None)
    if base is None or fmt is not book.format:  # the key holds id(format): check it is the same one
        base = Base(prep)
        if structure is not None:
            if len(_BASES) >= _KEEP:
                _BASES.pop(next(iter(_BASES)))
            _BASES[structure] = (book.format, base)
    return base


def gather(book: Book) -> tuple[dict[Key, Decimal], list[Relation], "object"]:
    """(exact amount of every amount cell, the linear relations among them, the check context).

    The context names cells for messages (``ctx.label``); inputs are the book's values, derived
    cells are computed from them.
    """
    exact, base, rules, ctx = gather_parts(book)
    return exact, base.relations + rules, ctx


def gather_parts(book: Book) -> tuple[dict[Key, Decimal], Base, list[Relation], "object"]:
    """:func:`gather` in parts: (exact amounts in ``base.keys`` order, the layout's :class:`Base`
    with the derivations' relations, the relations recorded from the rules, the check context)."""
    from juesuan.check.context import Context
    from juesuan.check import rules_of
    from juesuan.check.tolerance import Mode

    ctx = Context(book, None, None, None)
    base = base_of(book, ctx.prep)
    value = ctx.value
    exact = {k: value(k) for k in base.keys}  # a key in no list is a cell a row lacks: zero
    other = base.other
    relations: list[Relation] = []

    def record(rule, left: list[Key], right: list[Key]) -> None:  # type: ignore[no-untyped-def]
        if any(k in other for k in [*left, *right]):
            return
        terms: dict[Key, int] = {}
        for k in right:
            terms[k] = terms.get(k, 0) + 1
        for k in left:
            terms[k] = terms.get(k, 0) - 1
        relation = Relation(rule.id, tuple((k, c) for k, c in terms.items() if c),
                            ">=" if rule.mode is Mode.AT_LEAST else "=")
        if not relation.terms:
            return
        if rule.mode in (Mode.ROUNDED, Mode.AT_LEAST) or relation.holds(exact, ZERO):
            relations.append(relation)  # a comparison (与上年/与预算相比): equal amounts print equal

    ctx.recorder = record
    for rule in rules_of(book.format).list:  # the rules that compare amounts (not the narrative's)
        if rule.run is not None and (rule.mode in (Mode.ROUNDED, Mode.AT_LEAST) or rule.compares):
            for _ in rule.run(ctx, rule):
                pass
    ctx.recorder = None
    return exact, base, relations, ctx


def describe(relation: Relation, ctx) -> str:  # type: ignore[no-untyped-def]
    """A relation in Chinese with its rule title: ``X13 表5 基本支出 = 表6 …：表5「合计」基本支出 =
    表6「人员经费合计」 + 表6「公用经费合计」``."""
    from juesuan.check import rules_of

    rid = relation.rid or ctx.prep.rule_id(relation.terms[0][0])  # a derivation: the cell's own rule
    plus = [ctx.label(k) for k, c in relation.terms if c > 0 for _ in range(c)]
    minus = [ctx.label(k) for k, c in relation.terms if c < 0 for _ in range(-c)]
    op = " = " if relation.sense == "=" else " ≥ "
    text = " + ".join(plus) + op + (" + ".join(minus) or "0")
    if relation.const:
        text += f" + {-relation.const}"
    rules = rules_of(ctx.fmt)
    rule = rules.get(rid) if rid in rules else None
    title = rule.title if rule is not None else ("同一精确数须印为同一数" if rid == SAME else "")
    return f"{rid} {title}：{text}"
