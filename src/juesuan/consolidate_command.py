"""``juesuan consolidate UNIT1 UNIT2 … -o DEPT.xlsx``: a department's workbook from its units'.

Each unit (a workbook or a data file) is read and checked first; a unit with errors is named and
stops the consolidation unless ``--force``.  The units are summed (:mod:`juesuan.consolidate`),
internal flows are eliminated when ``--eliminate`` says so (``all``, or a 经费差额 file), and the
department is written filled (``.xlsx``) or as a data file (``.json``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from juesuan.book_io import new_book, read_any, refuse_overwrite
from juesuan.consolidate import (Unit, all_internal, comparable, consolidate, eliminate, internal_totals,
                                 read_elimination)
from juesuan.data_file import data_from_book, dumps
from juesuan.errors import InputError, Location
from juesuan.findings import Finding, Severity
from juesuan.workbook_file import write_atomic


def unit_errors(unit: Unit) -> list[Finding]:
    """The error findings of one unit: its workbook as stored, or its data file's inputs."""
    from juesuan.check import check_book, check_file

    path = Path(unit.source)
    findings = check_book(unit.book) if path.suffix.lower() == ".json" else check_file(path)
    return [f for f in findings if f.severity is Severity.ERROR and f.acknowledged is None]


def run(args: argparse.Namespace) -> int:
    for src in args.units:
        refuse_overwrite(src, args.output, args.force)
    if len(set(Path(u).resolve() for u in args.units)) != len(args.units):
        raise InputError("同一单位文件给出了两次", "the same unit file is given twice", Location())
    units = [Unit(read_any(p), p) for p in args.units]
    comparable(units)  # other formats or years: refused before anything is checked
    failed = [(u, errs) for u in units if (errs := unit_errors(u))]
    for u, errs in failed:
        first = errs[0]
        print(f"单位「{u.name}」（{u.source}）校验有 {len(errs)} 个错误 has {len(errs)} check errors，"
              f"如 e.g. [{first.rule}] {first.message}")
    if failed and not args.force:
        names = "、".join(f"「{u.name}」" for u, _ in failed)
        raise InputError(f"单位{names}校验有错误，未汇总；请先改正，或加 --force 照样汇总",
                         "some units fail the check; fix them or add --force", Location(file=failed[0][0].source))
    book = consolidate(units, name=args.name)
    if args.eliminate:
        elim = all_internal(book) if args.eliminate == "all" else read_elimination(args.eliminate, book)
        for line in eliminate(book, elim):
            print(line)
    else:
        for (t_in, c_in), s_in, (t_out, c_out), s_out in internal_totals(book):
            if s_in and s_out:
                print(f"提示 note：各单位有「{c_in}」{s_in} 和「{c_out}」{s_out}，未抵消；如为单位之间的往来，"
                      f"请用 --eliminate all 或 --eliminate 经费差额.json 抵消 (internal flows not eliminated)")
    out = Path(args.output)
    if out.suffix.lower() == ".json":
        text = dumps(data_from_book(book))
        write_atomic(out, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    else:
        new_book(book, out)
    print(f"已汇总 {len(units)} 个单位 consolidated {len(units)} units → {out}")
    return 0
