"""Reading 项目支出绩效自评表 (performance self-evaluation tables) and the text that quotes them.

A table runs from "项目名称" to its "总分 100 98.3" row.  Its rows are found by their labels,
written with any spacing a PDF or a Word table leaves (年度资金总额, 其中：财政拨款, 上年结转资金,
其他资金), and each row's cells are the figures and dashes between its label and the next
label: 年初预算数, 全年预算数, 全年执行数, 分值, 执行率(%), 得分.  An indicator row is recognised
by its 指标性质 and 指标方向 (正向 大于等于 …) followed by 年度指标值, 实际完成值, 计量单位,
分值, 得分.  A table whose rows cannot be found is reported as skipped, not guessed.

The narrative quotes each project as "N、<项目>项目自评综述：…项目自评得分 98.3 分。全年预算数为
80 万元，执行数为 66.20 万元，完成预算的 83%。" (:func:`text_items`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from juesuan.audit.text import Figure, parse_number

TABLE_RX = re.compile(r"(?:项目支出绩效自评表[^\n]*\n\s*)?项目名称(?:(?!项目名称)[\s\S])*?"
                      r"总\s*分\s*\d+(?:\.\d+)?\s+\d+(?:\.\d+)?")
ROW_LABELS = (
    ("total", "年度资金总额", r"年\s*度\s*资\s*金\s*总\s*额"),
    ("fiscal", "财政拨款", r"(?:其\s*中\s*[：:]?\s*)?财\s*政\s*拨\s*款"),
    ("carry", "上年结转资金", r"上\s*年\s*结\s*转(?:\s*资\s*金)?"),
    ("other", "其他资金", r"其\s*他\s*资\s*金"),
)
ROW_END = re.compile(r"年\s*度\s*总\s*体\s*目\s*标|预\s*期\s*目\s*标|绩\s*效\s*指\s*标")
CELL_RX = re.compile(r"[—－]+|-{2,}|\d+(?:\.\d+)?")
COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
VALUE = r"\d+(?:\.\d+)?|[^\s\d.]+"
INDICATOR_RX = re.compile(
    rf"(?P<nature>正向|反向|定性|定量)\s*(?P<dir>大于等于|小于等于|大于|小于|等于|≥|≤|=)?\s*"
    rf"(?P<target>{VALUE})\s+(?P<actual>{VALUE})\s*(?P<unit>[^\s\d.]{{0,6}})\s*"
    rf"(?P<weight>\d+(?:\.\d+)?)\s+(?P<score>\d+(?:\.\d+)?)")
TOTAL_RX = re.compile(r"总\s*分\s*(?P<weight>\d+(?:\.\d+)?)\s+(?P<score>\d+(?:\.\d+)?)\s*$")


def _figure(text: str, start: int, unit: str = "") -> Figure:
    value, places = parse_number(text)
    return Figure(value, places, unit, text, start, start + len(text))


@dataclass
class FundRow:
    """One 项目资金 row: label and its six cells (None where the table prints a dash)."""

    key: str
    label: str
    cells: list[Figure | None]
    start: int
    end: int

    def cell(self, column: str) -> Figure | None:
        i = COLUMNS.index(column)
        return self.cells[i] if i < len(self.cells) else None


@dataclass
class Indicator:
    name: str
    weight: Figure
    score: Figure
    start: int
    end: int


@dataclass
class PerfTable:
    """A parsed 项目支出绩效自评表; offsets are in the normalised document text."""

    name: str
    start: int
    end: int
    rows: dict[str, FundRow] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    total_weight: Figure | None = None
    total_score: Figure | None = None
    total_at: tuple[int, int] = (0, 0)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (zh, en) of what was not read


def table_spans(text: str) -> list[tuple[int, int]]:
    """Where the 绩效自评表 are in the normalised text."""
    return list(_table_spans(text))


TABLE_STARTS = ("项目支出绩效自评表", "项目名称")  # every match of TABLE_RX starts with one


@lru_cache(maxsize=8)
def _table_spans(text: str) -> tuple[tuple[int, int], ...]:
    """``TABLE_RX.finditer(text)``'s spans, trying the pattern only where a match can start (the
    same matches: a match starts with one of :data:`TABLE_STARTS`; the pattern has no anchor or
    look-behind, so ``match`` at a position is the attempt ``finditer`` makes there).  Pure;
    the audit asks twice per document."""
    out = []
    pos = 0
    while True:
        cands = [j for j in (text.find(w, pos) for w in TABLE_STARTS) if j >= 0]
        if not cands:
            break
        at = min(cands)
        m = TABLE_RX.match(text, at)
        if m is None:
            pos = at + 1
            continue
        out.append(m.span())
        pos = m.end() if m.end() > at else at + 1
    return tuple(out)


def parse_tables(text: str) -> list[PerfTable]:
    """Every 绩效自评表 in the normalised text."""
    return [_parse(text[s:e], s) for s, e in table_spans(text)]


def _parse(block: str, offset: int) -> PerfTable:
    m = re.search(r"项目名称\s*(?P<name>.+?)\s*(?:\n|\t|主管部门|实施单位|$)", block)
    name = m.group("name").strip() if m else "?"
    table = PerfTable(name, offset, offset + len(block))
    funds_at = block.find("项目资金")
    if funds_at < 0:
        funds_at = 0
    found: list[tuple[str, str, int, int]] = []
    pos = funds_at
    for key, label, rx in ROW_LABELS:
        lm = re.compile(rx).search(block, pos)
        if lm is None:
            continue
        found.append((key, label, lm.start(), lm.end()))
        pos = lm.end()
    end_m = ROW_END.search(block, pos)
    stop = end_m.start() if end_m else len(block)
    for n, (key, label, s, e) in enumerate(found):
        nxt = found[n + 1][2] if n + 1 < len(found) else stop
        cells: list[Figure | None] = []
        for cm in CELL_RX.finditer(block, e, nxt):
            tok = cm.group(0)
            unit = ("万元", "万元", "万元", "分", "%", "分")[min(len(cells), 5)]
            cells.append(_figure(tok, offset + cm.start(), unit) if tok[0].isdigit() else None)
        table.rows[key] = FundRow(key, label, cells[:6], offset + s, offset + nxt)
    if "total" not in table.rows:
        table.problems.append(("未找到「年度资金总额」行", "no 年度资金总额 row"))
    ind_from = block.find("绩效指标", pos)
    total_m = TOTAL_RX.search(block)
    ind_to = total_m.start() if total_m else len(block)
    for im in INDICATOR_RX.finditer(block, max(ind_from, 0), ind_to):
        before = block[max(0, im.start() - 40):im.start()]
        name = re.split(r"[\t\n]| {2,}", before.strip())[-1] if before.strip() else ""
        table.indicators.append(Indicator(name, _figure(im.group("weight"), offset + im.start("weight"), "分"),
                                          _figure(im.group("score"), offset + im.start("score"), "分"),
                                          offset + (block.rfind(name, 0, im.start()) if name else im.start()),
                                          offset + im.end()))
    if not table.indicators:
        table.problems.append(("未识别到绩效指标行", "no indicator rows recognised"))
    if total_m:
        table.total_weight = _figure(total_m.group("weight"), offset + total_m.start("weight"), "分")
        table.total_score = _figure(total_m.group("score"), offset + total_m.start("score"), "分")
        table.total_at = (offset + total_m.start(), offset + total_m.end())
    return table


@dataclass
class TextItem:
    """"N、<项目>项目自评综述：…自评得分 S 分。全年预算数为 B 万元，执行数为 A 万元…"."""

    name: str
    para: int
    score: Figure | None
    budget: Figure | None
    done: Figure | None
    score_at: int
    budget_at: int
    done_at: int


ITEM_RX = re.compile(r"^(?P<name>.+?)项目(?:自评综述|绩效自评|自评情况|自评)")


def text_item(text: str, marker: str | None, para: int) -> TextItem | None:
    """The project a paragraph of section 预算绩效 summarises (with a score or figures), or None."""
    body = text[len(marker):] if marker else text
    m = ITEM_RX.match(body)
    if not m or not re.search(r"得分|预算数|执行数", body[m.end():]):
        return None
    shift = len(text) - len(body)
    sm = re.search(r"自评(?:综合)?得分(?:为)?(?P<v>\d+(?:\.\d+)?)分", text)
    bm = re.search(r"全年预算(?:数)?(?:为)?(?P<v>\d+(?:\.\d+)?)万元", text)
    dm = re.search(r"执行(?:数)?(?:为)?(?P<v>\d+(?:\.\d+)?)万元", text)
    return TextItem(m.group("name").strip("“”「」"), para,
                    _figure(sm.group("v"), sm.start("v"), "分") if sm else None,
                    _figure(bm.group("v"), bm.start("v"), "万元") if bm else None,
                    _figure(dm.group("v"), dm.start("v"), "万元") if dm else None,
                    sm.start() if sm else shift, bm.start() if bm else shift, dm.start() if dm else shift)
