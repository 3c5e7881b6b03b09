"""What a format's narrative is made of, declared by its pack (``formats/<id>/narrative.py``).

A :class:`NarrativeOutline` lists the parts of the disclosure text in order.  A part is either
one template (its ``=== title`` lines start sections: 第一部分 部门概况), a list of sections each
rendered from its own template with one figure of the metrics (第二部分), or the 名词解释 list
read from a terms file (第三部分).  Templates are Jinja2 files in the pack's ``templates``
folder; the engine (:mod:`juesuan.narrate.build`) renders them with the phrases of
:mod:`juesuan.narrate.text` and the filters of :mod:`juesuan.narrate.numbers`.  Example::

    OUTLINE = NarrativeOutline(
        templates=Path(__file__).parent / "templates", metrics=metrics,
        title="{year}年度{dept}部门决算公开", overview="部门概况", reasons="变动原因",
        parts=(PartSpec("第一部分 部门概况", template="part1_overview.j2"),
               PartSpec("第二部分 {year}年度部门决算情况说明", sections=SECTIONS),
               PartSpec("第三部分 名词解释", terms=True)),
        terms=Path(__file__).parent / "terms.txt", charts=(("income", "income"),))
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from juesuan.errors import FormatError
from juesuan.model import Book


@dataclass(frozen=True)
class SectionSpec:
    """A section: printed ``{key}、{title}``, rendered from ``template`` with ``m`` = the
    metrics' attribute ``figures``."""

    key: str  # 一 … 十四
    title: str
    template: str
    figures: str  # attribute of the pack's metrics object


@dataclass(frozen=True)
class PartSpec:
    """A part of the text: one template, or sections, or the 名词解释 (exactly one of them).

    ``title`` may use ``{year}`` and ``{dept}``."""

    title: str
    template: str | None = None
    sections: tuple[SectionSpec, ...] = ()
    terms: bool = False

    def __post_init__(self) -> None:
        if (self.template is not None) + bool(self.sections) + self.terms != 1:
            raise FormatError(f"part {self.title!r}: give exactly one of template, sections, terms")


@dataclass(frozen=True)
class NarrativeOutline:
    """A format's narrative: parts, templates folder, metrics, the input sheets its phrases read.

    ``overview``: the key–value sheet whose rows the part templates ask for with ``need(row)``;
    ``reasons``: the sheet of 变动原因 (rows = the format's comparisons, column ``原因``);
    ``budget_reasons``: the code table whose ``差异原因`` column explains 决算 vs 年初预算 per 项
    (None when the format has none); ``charts``: (figure id, metrics attribute whose ``lines``
    are the pie's slices) for the exported document's pictures.
    """

    templates: Path
    title: str
    parts: tuple[PartSpec, ...]
    metrics: Callable[[Book], Any]
    overview: str
    reasons: str
    budget_reasons: str | None = None
    terms: Path | None = None
    charts: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not self.templates.is_dir():
            raise FormatError(f"narrative templates folder {self.templates} does not exist")
        for part in self.parts:
            names = [part.template] if part.template else [s.template for s in part.sections]
            for name in names:
                if name and not (self.templates / name).is_file():
                    raise FormatError(f"narrative template {name} not in {self.templates}")
            if part.terms and (self.terms is None or not self.terms.is_file()):
                raise FormatError(f"part {part.title!r} lists 名词解释 but the outline has no terms file")

    @property
    def sections(self) -> tuple[SectionSpec, ...]:
        return tuple(s for p in self.parts for s in p.sections)
