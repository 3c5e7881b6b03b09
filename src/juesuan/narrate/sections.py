"""Rendering a pack's narrative templates, and turning the rendered text into paragraphs.

Each section is one Jinja2 template in the pack's ``templates/`` (listed in its
:class:`~juesuan.narrate.outline.NarrativeOutline`) rendered with the section's figures from the
pack's metrics, the phrases of :mod:`juesuan.narrate.text` and the filters of
:mod:`juesuan.narrate.numbers`.  The environment is strict: an unknown variable in a template is
an error, not an empty string.

A rendered template is turned into paragraphs by :func:`paragraphs`: blank lines separate
paragraphs, lines of one paragraph are joined (Chinese has no spaces between words), ``## `` marks
a sub-heading, ``@figure <id> <caption>`` a chart, ``=== <title>`` starts a new section (parts
rendered from one template).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from juesuan.money import cn
from juesuan.narrate import numbers
from juesuan.narrate.document import Paragraph, Section
from juesuan.narrate.text import clause, listing


class BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs in a private per-user folder (Jinja2's default, checked
    safe by Jinja2): compiling the templates was a third of a cold ``juesuan narrate``.  Entries are
    keyed by the template's source and the Python version, so an edited template is recompiled.
    A cache that cannot be read or written is simply no cache."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def bytecode_cache() -> BytecodeCache | None:
    try:
        return BytecodeCache()
    except (OSError, RuntimeError):  # no usable private temp folder
        return None


@lru_cache(maxsize=None)
def environment(templates: Path) -> jinja2.Environment:
    """The strict Jinja2 environment of one templates folder (a pack's ``templates/``)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, autoescape=False, keep_trailing_newline=False,
                             bytecode_cache=bytecode_cache())
    env.filters.update(amount=numbers.amount, pct=numbers.percent, count=numbers.count, score=numbers.score,
                       listing=listing, clause=clause)
    env.globals.update(cn=cn)
    return env


def render(templates: Path, template: str, **context: Any) -> str:
    return environment(templates).get_template(template).render(**context)


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
