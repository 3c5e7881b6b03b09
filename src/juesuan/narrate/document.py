"""The narrative as plain data: parts → sections → paragraphs.  No openpyxl, no Jinja2.

Front ends (the sheet writer, the Word exporter, the ribbon, batch) all take a
:class:`Narrative`; the plain text (``--print``) and the hash that detects hand edits come from
:meth:`Narrative.lines`, so the sheet, the printout and the hash agree line for line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Iterator, Literal

from juesuan.narrate.text import Placeholder

Kind = Literal["title", "part", "section", "heading", "body", "figure"]


@dataclass(frozen=True)
class Paragraph:
    """One paragraph.  ``figure`` names a chart (``income`` / ``spending``) for kind ``figure``,
    whose text is the caption (图1 收入决算图)."""

    text: str
    kind: Kind = "body"
    figure: str | None = None


@dataclass
class Section:
    title: str  # "" for a part whose text has no section heading (名词解释, 联系方式)
    paragraphs: list[Paragraph] = field(default_factory=list)
    key: str = ""  # 一 … 十四 for 第二部分


@dataclass
class Part:
    title: str
    sections: list[Section] = field(default_factory=list)


@dataclass
class Narrative:
    title: str
    parts: list[Part]
    placeholders: list[Placeholder] = field(default_factory=list)

    def paragraphs(self) -> Iterator[Paragraph]:
        """Every paragraph in reading order, titles included."""
        yield Paragraph(self.title, "title")
        for part in self.parts:
            yield Paragraph(part.title, "part")
            for section in part.sections:
                if section.title:
                    yield Paragraph(section.title, "section")
                yield from section.paragraphs

    def lines(self) -> list[str]:
        return [p.text for p in self.paragraphs()]

    def text(self) -> str:
        return "\n".join(self.lines()) + "\n"

    def section(self, key: str) -> Section:
        for part in self.parts:
            for s in part.sections:
                if s.key == key:
                    return s
        raise KeyError(key)


def text_hash(lines: list[str]) -> str:
    """SHA-256 of the paragraph texts, one per line (what the sheet shows in column A)."""
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
