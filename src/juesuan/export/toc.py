"""目录 page numbers read back from the PDF: where each heading landed.

The 目录 (:func:`juesuan.export.docx_writer._contents`) numbers its entries with PAGEREF fields to
bookmarks on the headings; LibreOffice works them out while it lays the document out, so one
conversion prints them.  A field also stores the number it showed last, which Word displays until
it updates its fields: the interactive export reads each heading's page from the PDF here (the first
page after the 目录 whose text has a line starting with the entry, by pdftotext page by page; the
footer prints the physical page number) and writes the numbers into the Word document.  Without
``pdftotext`` the Word document's fields show nothing until Word updates them.
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
