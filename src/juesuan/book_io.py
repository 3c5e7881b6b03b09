"""``juesuan new`` and ``juesuan dump``: data file → filled workbook, workbook → data file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from juesuan.data_file import data_from_book, dumps, read_data
from juesuan.errors import InputError, Location
from juesuan.expr import column_letter
from juesuan.formats import DEFAULT_FORMAT, get_pack
from juesuan.locate import FoundBook, read_book
from juesuan.model import Book
from juesuan.templates import template_path
from juesuan.workbook_file import grids, load, write_atomic


def new_book(book: Book, output: str | Path, fill: bool = True) -> str:
    """Write ``book`` into a copy of its format's template at ``output`` (filled unless told not);
    returns what 舍位平衡 did ('' when the book does not ask for it)."""
    from juesuan.fill import write_filled

    wb = load(template_path(book.format.id))
    _, found = read_book(book.format, grids(wb))
    return write_filled(wb, book, found, output, formulas=fill).balance


def read_workbook(path: str | Path, format_id: str | None = None, text_numbers: bool = True) -> Book:
    """The inputs of a workbook file, in its recognised format (or ``format_id``).

    ``text_numbers=False``: refuse an amount typed as text (Excel's totals skip it, so figures
    computed from the inputs would differ from what the workbook shows), naming the first cell.
    """
    from juesuan.session import Session

    s = Session.for_reading(path, format_id)
    if not text_numbers and s.found is not None:
        try:
            refuse_text_numbers(s.found)
        except InputError as exc:
            raise exc.at(file=str(path)) from None
    return s.book


def refuse_text_numbers(found: FoundBook) -> None:
    """An InputError naming the first amount cell that holds a number as text, if any."""
    if not found.text_numbers:
        return
    (sheet, r, c), value = next(iter(sorted(found.text_numbers.items())))
    more = len(found.text_numbers) - 1
    extra = f"（另有 {more} 处）" if more else ""
    raise InputError(f"金额单元格中是文本形式的数字 {value}{extra}：Excel 求和时会跳过它，结果会与工作簿显示的不同；"
                     "请先运行 juesuan fill（会把它转换为数字）",
                     f"an amount cell holds the number {value} as text{f' ({more} more)' if more else ''}: Excel's "
                     "totals skip it; run juesuan fill first (it converts such cells to numbers)",
                     Location(sheet=sheet, cell=f"{column_letter(c)}{r}"))


def read_any(path: str | Path) -> Book:
    """The inputs of a data file (.json) or a workbook (anything else)."""
    return read_data(path) if Path(path).suffix.lower() == ".json" else read_workbook(path)


def refuse_overwrite(source: str | None, output: str | None, force: bool = False) -> None:
    """Never write over the input, nor (without ``--force``) over a file that already exists."""
    if output is None:
        return
    out = Path(output)
    if source is not None and out.exists() and out.resolve() == Path(source).resolve():
        raise InputError("输出文件不能是输入文件本身", "the output must not be the input file", Location(file=output))
    if out.exists() and not force:
        raise InputError("输出文件已存在；如确需覆盖，请加 --force", "the output file exists; add --force to replace it",
                         Location(file=output))


def run(args: argparse.Namespace) -> int:
    if args.command == "new":
        refuse_overwrite(args.data, args.output, args.force)
        prior = None
        if getattr(args, "prior", None):
            refuse_overwrite(args.prior, args.output, args.force)
            prior = read_any(args.prior)
        if args.data:
            book = read_data(args.data)
            if args.format and book.format.id != args.format:
                raise InputError(f"数据文件的格式为「{book.format.id}」，与 --format {args.format} 不一致",
                                 "the data file's format differs from --format", Location(file=args.data))
        else:  # without a data file: the given format, else last year's, else the default
            book = Book(get_pack(args.format).format if args.format else prior.format if prior
                        else get_pack(DEFAULT_FORMAT).format)
        if prior is not None:
            from juesuan.carry import carry_over

            for line in carry_over(prior, book):
                print(f"提示 note：{line}")
        if getattr(args, "balance", False):
            from juesuan.balance import STAMP

            book.notes = {**book.notes, STAMP: True}
        note = new_book(book, args.output, fill=not args.no_fill)
        if note:
            print(note)
        print(f"已写出 wrote {args.output}")
        return 0
    refuse_overwrite(args.book, args.output, force=True)
    from juesuan.balance import dump_book

    book = dump_book(read_workbook(args.book, getattr(args, "format", None)))  # a balanced one: exact amounts
    text = dumps(data_from_book(book))
    if args.output:
        write_atomic(args.output, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
        print(f"已写出 wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0
