"""The audit's vocabulary, as data: what a paragraph is about, what a table row or column names,
how the 三公 items add up.  One module, so that a format pack can carry its own later.

- :data:`CONTENT_CUES`: the section kind a paragraph without a recognised heading belongs to,
  from the words it uses (first match wins, specific before general);
- :data:`ITEMS`: concepts a table cell or a sentence can state (三公 items, totals), each with
  the pattern of its name;
- :data:`SUMS`: how those concepts add up (a total and its parts);
- :data:`NOT_SANGONG`: items a 三公 total must not include (会议费, 培训费 are reported beside it);
- :data:`COLUMN_ROLES`: what a table column holds, from its header.
"""

from __future__ import annotations

import re
from functools import lru_cache

# (kind, pattern) on a paragraph's text; the kinds are those of sections.KINDS.
CONTENT_CUES: tuple[tuple[str, str], ...] = (
    ("running", r"(机关|机构)运行经费"),
    ("sangong", r"三公|因公出国（境）"),
    ("procurement", r"政府采购"),
    ("assets", r"国有资产|资产总额"),
    ("fiscal_overall", r"财政拨款收入总计|财政拨款支出总计|财政拨款收、支|财政拨款收支"),
    ("gpb_basic", r"人员经费.*公用经费|基本支出(预算)?[\d.]+(万元|元)，其中"),
    ("gpb_expend", r"一般公共预算财政拨款支出|一般公共预算支出"),
    ("overall", r"收入总计|支出总计|收、支总计|收支总计|总收入|总支出"),
    ("income", r"本年收入合计|收入合计|本单位收入为|收入决算"),
    ("expend", r"本年支出合计|支出合计|本单位支出为|基本支出.*项目支出"),
)

# Concepts a table row/column or a sentence names: id → (Chinese name, pattern on a label).
# Order matters: the first match wins, so parts come before the totals that contain their words.
ITEMS: dict[str, tuple[str, str]] = {
    "sangong_total": ("“三公”经费合计", r"^(合计|总计)$|三公.*(合计|总计|总额|支出$|经费$|经费(预算|决算)数?$)|^总“?三公|^“?三公”?经费$"),
    "vehicle": ("公务用车购置及运行维护费", r"公务用车(购置)?及运行|公务用车费$|公务用车购置及运行维护"),
    "vehicle_purchase": ("公务用车购置费", r"公务用车购置(费|支出)?$|^（?[\d一二]）?[.、]?公务用车购置(费)?$"),
    "vehicle_run": ("公务用车运行维护费", r"公务用车运行(维护)?(费|支出)?(用)?$|运行维护费$"),
    "abroad": ("因公出国（境）费", r"因公出国"),
    "reception": ("公务接待费", r"公务接待"),
    "meeting": ("会议费", r"会议费"),
    "training": ("培训费", r"培训费"),
    # assigned, never matched: a table's 合计 when the table adds 会议费、培训费 to the 三公 items
    "sangong_meeting_total": ("“三公”经费及会议费、培训费合计", r"$^"),
}

COUNTED = re.compile(r"批次|人次|人数|团组|辆|保有量|数量|数（|[^预决算]数$")

SUMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sangong_total", ("abroad", "vehicle", "reception")),
    ("vehicle", ("vehicle_purchase", "vehicle_run")),
    ("sangong_meeting_total", ("abroad", "vehicle", "reception", "meeting", "training")),
)
SANGONG_ITEMS = ("sangong_total", "abroad", "vehicle", "vehicle_purchase", "vehicle_run", "reception")
NOT_SANGONG = ("meeting", "training")

# Tables that print their items as columns under merged headers (the national 公开07表 三公
# table): the words their header names, and each data column's (concept, role).  Used
# when the header's merged cells cannot be lined up with the figures.
COLUMN_LAYOUTS: tuple[tuple[tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    (("合计", "因公出国", "公务用车", "小计", "购置", "运行", "公务接待"),
     (("sangong_total", "budget"), ("sangong_total", "actual"), ("abroad", "budget"), ("abroad", "actual"),
      ("vehicle", "budget"), ("vehicle", "actual"), ("vehicle_purchase", "budget"), ("vehicle_purchase", "actual"),
      ("vehicle_run", "budget"), ("vehicle_run", "actual"), ("reception", "budget"), ("reception", "actual"))),
    (("合计", "因公出国", "公务用车", "小计", "购置", "运行", "公务接待"),
     (("sangong_total", "actual"), ("abroad", "actual"), ("vehicle", "actual"), ("vehicle_purchase", "actual"),
      ("vehicle_run", "actual"), ("reception", "actual"))),
)

# (role, pattern on a column header): first match wins.
COLUMN_ROLES: tuple[tuple[str, str], ...] = (
    ("pct", r"幅度|率|%"),
    ("change", r"增减|增、减|减少情况|增加情况|差额|比上年"),
    ("prior", r"上年"),
    ("budget", r"预算"),
    ("actual", r"决算|执行|实际|支出|本年|金额|合计"),
)


@lru_cache(maxsize=8192)
def item_of(label: str) -> str | None:
    """The concept a table label names ("其中：（1）公务用车运行维护费" → ``vehicle_run``)."""
    text = re.sub(r"^(其中|包括)[：:]?", "", label.strip())
    text = re.sub(r"^[（(]?[一二三四五六七八九十\d]{1,2}[)）.、]?[.、]?", "", text).strip()
    text = re.sub(r"\s+", "", text)
    if COUNTED.search(text):
        return None  # 公务接待批次、公务用车保有量（辆）: counts, not money
    for cid, (_, rx) in ITEMS.items():
        if re.search(rx, text):
            return cid
    return None


@lru_cache(maxsize=8192)
def role_of(header: str) -> str | None:
    """What a column holds, from its header text ("2021年决算数" → ``actual``)."""
    text = re.sub(r"\s+", "", header)
    for role, rx in COLUMN_ROLES:
        if re.search(rx, text):
            return role
    return None


@lru_cache(maxsize=8192)
def content_kind(text: str) -> str | None:
    """The section kind a paragraph's words point to, or None."""
    for kind, rx in CONTENT_CUES:
        if re.search(rx, text):
            return kind
    return None
