"""WordprocessingML written as text: paragraphs and runs, escaped, exactly as python-docx writes them.

Why text, not python-docx: building a disclosure through python-docx's objects cost about half a
second (every ``add_paragraph(style=…)`` scans the 160 styles of its template; every element is an
lxml object).  The document is written here as strings in one pass instead.  The markup is the
one python-docx produced for the same calls, so the document is unchanged: a paragraph is
``w:pPr`` (its children in schema order) then its runs; a run's text becomes ``w:t`` pieces, a
tab ``w:tab``, a line break ``w:br``; a ``w:t`` whose text starts or ends with white space keeps
it (``xml:space="preserve"``).
"""

from __future__ import annotations

import re

from juesuan.cellxml import esc as cell_esc

# Characters XML 1.0 cannot hold (lxml refused them the same way).
INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
BREAKS = re.compile(r"(\t|\r|\n)")


def esc(text: str) -> str:
    """``text`` as XML character data (as lxml serializes it)."""
    if INVALID.search(text):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters")
    text = cell_esc(text)
    return text.replace("\r", "&#13;") if "\r" in text else text


def attr(text: str) -> str:
    """``text`` as an attribute value in double quotes."""
    return esc(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def t(text: str, preserve: bool = False) -> str:
    """One ``w:t``; white space at either end is kept (python-docx's rule), or always with ``preserve``."""
    if preserve or len(text.strip()) < len(text):
        return f'<w:t xml:space="preserve">{esc(text)}</w:t>'
    return f"<w:t>{esc(text)}</w:t>"


def run_content(text: str) -> str:
    """A run's content for ``text``: ``w:t`` pieces, ``w:tab`` for a tab, ``w:br`` for a line break."""
    if "\t" not in text and "\n" not in text and "\r" not in text:
        return t(text) if text else ""
    out = []
    for piece in BREAKS.split(text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            out.append(t(piece))
    return "".join(out)


def run(text: str, bold: bool = False) -> str:
    """A ``w:r`` with ``text`` (bold: ``w:b`` in its properties); empty text gives an empty run."""
    inner = ("<w:rPr><w:b/></w:rPr>" if bold else "") + run_content(text)
    return f"<w:r>{inner}</w:r>" if inner else "<w:r/>"


def paragraph(style_id: str | None, text: str = "", properties: str = "", runs: str | None = None) -> str:
    """A ``w:p`` in style ``style_id``: ``properties`` are the ``w:pPr`` children after ``w:pStyle``
    (in schema order), then ``runs`` (or one run of ``text``, none when it is empty)."""
    style = f'<w:pStyle w:val="{style_id}"/>' if style_id else ""
    ppr = f"<w:pPr>{style}{properties}</w:pPr>" if style or properties else ""
    if runs is None:
        runs = run(text) if text else ""
    return f"<w:p>{ppr}{runs}</w:p>"
