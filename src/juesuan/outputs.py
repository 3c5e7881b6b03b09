"""Where a command writes, checked once before it does any work: one guard for every command.

Each subcommand's files are declared here (:func:`plan`): what it reads, what it writes, and
which file it may change in place (``fill BOOK`` without ``-o``).  Before the command runs,
:func:`guarded` refuses, with a message naming the file (exit status 2):

- an output that is one of the inputs, unless changing that input is the command's job
  (``export B.xlsx --docx B.xlsx`` would replace the workbook with a Word file);
- two outputs that are one file (``--docx X --pdf X`` would lose the .docx);
- an input that is not a readable regular file (missing, a folder, a FIFO: reading one would
  wait for ever);
- an output that exists and is read-only (mode 0444: respected even when the system would
  let this user replace it), or that is a folder;

and then holds every workbook it writes (:func:`juesuan.workbook_file.hold`), so two commands
on one workbook at once cannot both write it: the second is refused while the first runs.
"""

from __future__ import annotations

import argparse
import os
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from juesuan.containers import require_regular
from juesuan.errors import InputError, Location
from juesuan.workbook_file import hold, refuse_read_only


@dataclass
class Plan:
    """The files a command reads and writes; ``in_place``: inputs it is asked to change."""

    inputs: list[Path] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    in_place: list[Path] = field(default_factory=list)


def _paths(*values: object) -> list[Path]:
    return [Path(str(v)) for v in values if v]


def plan(args: argparse.Namespace) -> Plan:
    """The files of a parsed ``juesuan`` command line."""
    cmd = args.command
    out = getattr(args, "output", None)
    if cmd == "new":
        return Plan(_paths(getattr(args, "data", None), getattr(args, "prior", None)), _paths(out))
    if cmd == "dump":
        return Plan(_paths(args.book), _paths(out))
    if cmd in ("fill", "narrate"):
        if out:
            return Plan(_paths(args.book), _paths(out))
        return Plan(_paths(args.book), _paths(args.book), _paths(args.book))
    if cmd == "check":
        writes = _paths(args.book) if getattr(args, "write", False) else []
        return Plan(_paths(args.book, getattr(args, "prior", None)), writes, writes)
    if cmd == "export":
        return Plan(_paths(args.book), _paths(args.docx, getattr(args, "pdf", None)))
    if cmd == "audit":
        return Plan(_paths(args.doc), _paths(getattr(args, "write", None)))
    if cmd == "consolidate":
        elim = getattr(args, "eliminate", None)
        return Plan(_paths(*args.units, elim if elim != "all" else None), _paths(out))
    if cmd == "batch":
        from juesuan.batch.state import STATE_FILE

        return Plan([], [Path(out) / STATE_FILE])  # its input is a folder (the runner reads its regular files)
    return Plan()


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (the same path written differently, or a hard link)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def check(p: Plan) -> None:
    """Refuse inputs that are not readable regular files (a FIFO would block the command for
    ever), then outputs that would overwrite an input, each other, a read-only file or a folder."""
    for src in p.inputs:
        require_regular(src)
    for i, out in enumerate(p.outputs):
        where = Location(file=str(out))
        for other in p.outputs[:i]:
            if same_file(out, other):
                raise InputError(f"两个输出是同一个文件「{other}」，后写的会覆盖先写的",
                                 "two outputs are the same file; the second would replace the first", where)
        if not any(same_file(out, x) for x in p.in_place):
            for src in p.inputs:
                if same_file(out, src):
                    raise InputError("输出文件不能是输入文件本身（会覆盖输入）",
                                     "the output must not be the input file (it would be overwritten)", where)
        if out.is_dir():
            raise InputError("输出路径是一个文件夹", "the output path is a folder", where)
        refuse_read_only(out)


@contextmanager
def guarded(args: argparse.Namespace) -> Iterator[Plan]:
    """Check the command's outputs, then hold every one of them while the command runs."""
    p = plan(args)
    check(p)
    with ExitStack() as stack:
        for out in p.outputs:
            stack.enter_context(hold(out))
        yield p
