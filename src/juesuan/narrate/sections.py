"""The fourteen sections of 第二部分 as data: title, template, and which figures feed it.

Each section is one Jinja2 template in ``templates/`` rendered with the section's figures from
:mod:`juesuan.narrate.metrics`, the phrases of :mod:`juesuan.narrate.text` and the filters of
:mod:`juesuan.narrate.numbers`.  The environment is strict: an unknown variable in a template is
an error, not an empty string.

A rendered template is turned into paragraphs by :func:`paragraphs`: blank lines separate
paragraphs, lines of one paragraph are joined (Chinese has no spaces between words), ``## `` marks
a sub-heading, ``@figure <id> <caption>`` a chart, ``=== <title>`` starts a new section (parts
rendered from one template).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from juesuan.formats.nmg_2023 import cn
from juesuan.narrate import numbers
from juesuan.narrate.document import Paragraph, Section
from juesuan.narrate.text import clause, listing

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class SectionSpec:
    key: str  # 一 … 十四
    title: str
    template: str
    figures: str  # attribute of metrics.Metrics


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("一", "收入支出决算总体情况说明", "s01_overview.j2", "overview"),
    SectionSpec("二", "收入决算情况说明", "s02_income.j2", "income"),
    SectionSpec("三", "支出决算情况说明", "s03_spending.j2", "spending"),
    SectionSpec("四", "财政拨款收入支出决算总体情况说明", "s04_fiscal.j2", "fiscal"),
    SectionSpec("五", "一般公共预算支出决算情况说明", "s05_general.j2", "general"),
    SectionSpec("六", "一般公共预算财政拨款基本支出决算情况说明", "s06_basic.j2", "basic"),
    SectionSpec("七", "一般公共预算财政拨款项目支出决算情况说明", "s07_project.j2", "project"),
    SectionSpec("八", "财政拨款“三公”经费支出决算情况说明", "s08_sangong.j2", "sangong"),
    SectionSpec("九", "政府性基金预算财政拨款支出决算情况说明", "s09_fund.j2", "fund"),
    SectionSpec("十", "国有资本经营预算财政拨款支出决算情况说明", "s10_capital.j2", "capital"),
    SectionSpec("十一", "机构运行经费支出决算情况说明", "s11_operating.j2", "operating"),
    SectionSpec("十二", "政府采购支出决算情况说明", "s12_procurement.j2", "procurement"),
    SectionSpec("十三", "国有资产占用情况说明", "s13_assets.j2", "assets"),
    SectionSpec("十四", "预算绩效情况说明", "s14_performance.j2", "performance"),
)


@lru_cache(maxsize=None)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, autoescape=False, keep_trailing_newline=False)
    env.filters.update(amount=numbers.amount, pct=numbers.percent, count=numbers.count, score=numbers.score,
                       listing=listing, clause=clause)
    env.globals.update(cn=cn)
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def paragraphs(text: str) -> list[Paragraph]:
    """Rendered template text → paragraphs (see the module docstring for the markup)."""
    out: list[Paragraph] = []
    block: list[str] = []

    def flush() -> None:
        if block:
            out.append(Paragraph("".join(block)))
            block.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            out.append(Paragraph(line[3:].strip(), "heading"))
        elif line.startswith("=== "):
            flush()
            out.append(Paragraph(line[4:].strip(), "section"))
        elif line.startswith("@figure "):
            flush()
            _, figure, caption = line.split(maxsplit=2)
            out.append(Paragraph(caption, "figure", figure))
        else:
            block.append(line)
    flush()
    return out


def split_sections(items: list[Paragraph]) -> list[Section]:
    """Paragraphs with ``section`` markers (``=== title``) → sections; text before the first
    marker forms an untitled section."""
    sections: list[Section] = []
    for p in items:
        if p.kind == "section":
            sections.append(Section(p.text))
        else:
            if not sections:
                sections.append(Section(""))
            sections[-1].paragraphs.append(p)
    return sections
