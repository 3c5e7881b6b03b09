"""目录 page numbers: lay the document out once, read where each heading landed, write them in.

LibreOffice does not fill a Word TOC field when it converts headless, so the 目录 is static text
(:func:`juesuan.export.docx_writer._contents`) and its page numbers come from a first PDF: each
entry's page is the first page after the 目录 whose text has a line starting with the entry
(pdftotext, page by page; the footer prints the physical page number).  The numbers sit after a
right tab with a dot leader, so adding them does not move any page.  Without ``pdftotext`` the
目录 keeps its entries without numbers.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

SPACES = re.compile(r"\s+")


def page_texts(pdf: Path) -> list[str]:
    """The text of every page (form feed separated by pdftotext); [] when pdftotext is missing."""
    exe = shutil.which("pdftotext")
    if exe is None:
        return []
    out = subprocess.run([exe, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=False)
    if out.returncode != 0:
        return []
    return out.stdout.decode("utf-8", errors="replace").split("\f")


def find_pages(entries: list[str], pages: list[str], titles: dict[str, str] | None = None) -> dict[str, int]:
    """Entry → 1-based page of its first occurrence as a line start after the 目录 pages.

    ``titles`` maps an entry to the line that starts its page instead (a public table: the 目录
    says "一、收入支出决算总表", the table's page "收入支出决算总表" as a line of its own)."""
    titles = titles or {}
    norm = [[SPACES.sub("", line) for line in page.splitlines() if line.strip()] for page in pages]
    start = next((i + 1 for i, lines in enumerate(norm) if lines and lines[0] == "目录"), 0)
    while start < len(norm) and norm[start] and any(SPACES.sub("", e) == norm[start][-1] for e in entries):
        start += 1  # a 目录 running over several pages
    found: dict[str, int] = {}
    at = start
    for entry in entries:  # in document order: each search starts where the previous one ended
        key = SPACES.sub("", titles.get(entry, entry))
        exact = entry in titles
        for i in range(at, len(norm)):
            if any(line == key if exact else line.startswith(key) for line in norm[i]):
                found[entry] = i + 1
                at = i
                break
    return found
