"""Cell ranges joined into as few addresses as a live spreadsheet accepts in one call.

Excel (through xlwings) and WPS (through its ET object model) both take a union address such as
``Range("A1:B2,C3:D4")`` of at most 255 characters; the ribbon and the WPS add-in paint or size
many ranges at once with it, one call per union instead of one per range.
"""

from __future__ import annotations

MAX_UNION = 250  # Excel and WPS take at most 255 characters in Range("A1:B2,C3:D4")


def unions(ranges: list[str]) -> list[str]:
    """Ranges joined with commas into as few addresses as Excel and WPS accept."""
    out: list[str] = []
    for rng in ranges:
        if out and len(out[-1]) + 1 + len(rng) <= MAX_UNION:
            out[-1] += "," + rng
        else:
            out.append(rng)
    return out
