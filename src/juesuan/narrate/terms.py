"""第三部分 名词解释: the standard terms, kept as editable data in the pack's ``terms.txt``.

Why a text file: the wording of the terms changes with the region's template and is edited by
people who do not read Python.  One term per line, ``名词<TAB>解释``; the printed numbering
(一、二、…) is added here, so inserting a term renumbers the rest.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from juesuan.errors import FormatError
from juesuan.money import cn


@lru_cache(maxsize=None)
def terms(path: Path) -> tuple[tuple[str, str], ...]:
    """(term, definition) pairs of the terms file ``path``, in printed order."""
    text = path.read_text(encoding="utf-8")
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise FormatError(f"{path.name} line {n}: expected 名词<TAB>解释")
        out.append((parts[0].strip(), parts[1].strip()))
    return tuple(out)


def term_paragraphs(path: Path) -> list[str]:
    """"一、财政拨款收入：从同级财政部门取得的…" — one paragraph per term."""
    return [f"{cn(i + 1)}、{term}：{definition}" for i, (term, definition) in enumerate(terms(path))]
