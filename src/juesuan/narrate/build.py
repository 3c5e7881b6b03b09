"""Assemble the whole disclosure text: 第一部分 部门概况, 第二部分 (the fourteen sections),
第三部分 名词解释, 第四部分 联系方式.  Pure: a :class:`~juesuan.model.Book` in, a
:class:`~juesuan.narrate.document.Narrative` out.
"""

from __future__ import annotations

from juesuan.model import Book
from juesuan.narrate.document import Narrative, Paragraph, Part, Section
from juesuan.narrate.metrics import metrics
from juesuan.narrate.sections import SECTIONS, paragraphs, render, split_sections
from juesuan.narrate.terms import term_paragraphs
from juesuan.narrate.text import Phrases, paragraphs_of


def department(book: Book) -> str:
    return book.text(("单位信息", "部门名称", "值")).strip() or "本部门"


def year(book: Book) -> str:
    """The year as typed on 单位信息 (``2023``), else the format's year."""
    typed = book.text(("单位信息", "年度", "值")).strip().removesuffix("年度").removesuffix("年")
    return typed or str(book.format.year)


def narrative(book: Book) -> Narrative:
    """The structured text of the disclosure, computed from ``book`` alone."""
    phrases = Phrases(book)
    dept, yr = department(book), year(book)
    figures = metrics(book)
    common = dict(dept=dept, year=yr, p=phrases)

    def need(row: str) -> list[str]:
        cell = ("部门概况", row, "值")
        return paragraphs_of(book.text(cell)) or [phrases.need(cell, row)]

    part1 = Part("第一部分 部门概况", split_sections(paragraphs(render("part1_overview.j2", need=need, **common))))
    part2 = Part(f"第二部分 {yr}年度部门决算情况说明", [
        Section(f"{s.key}、{s.title}", paragraphs(render(s.template, m=getattr(figures, s.figures), **common)), s.key)
        for s in SECTIONS
    ])
    part3 = Part("第三部分 名词解释", [Section("", [Paragraph(t) for t in term_paragraphs()])])
    part4 = Part("第四部分 决算公开联系方式及信息反馈渠道",
                 [Section("", paragraphs(render("part4_contact.j2", **common)))])
    return Narrative(f"{yr}年度{dept}部门决算公开", [part1, part2, part3, part4], phrases.placeholders)
