"""Normalising a disclosure's text, keeping every character's offset in the loaded document.

Published disclosures mix full- and half-width digits and punctuation, put spaces inside figures
("3,041.69 万元", "4300 余件") and wrap lines in the middle of a sentence.  :func:`normalise`
turns the loaded text into one canonical form:

- full-width digits, letters, ``％`` and ``．`` become ASCII; ``(`` ``)`` ``,`` ``:`` ``;``
  between Chinese words become ``（`` ``）`` ``，`` ``：`` ``；``;
- thousands separators go (``3,041.69`` → ``3041.69``, ``5，645`` → ``5645``);
- spaces next to a Chinese character, and before ``%``, go (``2023 年度`` → ``2023年度``); spaces between
  two figures stay, so table rows keep their cells;
- zero-width characters and Markdown emphasis (``**``) go.

Every character of the result remembers where it came from (:attr:`Mapped.origin`), so a finding
quotes the sentence as printed and gives its character offset in the loaded document.

:func:`parse_figure` reads one printed figure: its value in the canonical unit (万元 for money,
percent for ``%``) and its printed decimals, which set its rounding tolerance.
"""

from __future__ import annotations

import re
from functools import lru_cache
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

# The decimals a document prints its 万元 amounts with (at most 2): set by the audit for the
# document being read (:func:`money_places`), read by :attr:`Figure.precision`.
MONEY_PLACES: ContextVar[int] = ContextVar("MONEY_PLACES", default=0)

CJK_CHARS = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’—…、"


@dataclass
class Mapped:
    """A text and, for each of its characters, the offset of its source in the loaded text."""

    text: str
    origin: list[int]

    @classmethod
    def of(cls, text: str) -> "Mapped":
        return cls(text, list(range(len(text))))

    def sub(self, pattern: str | re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> "Mapped":
        """``re.sub`` that carries the origins along (new characters take their match's start).

        Returns ``self`` when nothing matches (a Mapped is never changed in place)."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        text, origin_in = self.text, self.origin
        matches = rx.finditer(text)
        m = next(matches, None)
        if m is None:
            return self
        out: list[str] = []
        origin: list[int] = []
        last = 0
        expand = None if callable(repl) else repl
        while m is not None:
            start, end = m.span()
            out.append(text[last:start])
            origin.extend(origin_in[last:start])
            new = repl(m) if expand is None else m.expand(expand)  # type: ignore[operator]
            if len(new) == end - start:
                origin.extend(origin_in[start:end])
            else:
                anchor = origin_in[start] if start < len(origin_in) else len(origin_in)
                origin.extend([anchor] * len(new))
            out.append(new)
            last = end
            m = next(matches, None)
        out.append(text[last:])
        origin.extend(origin_in[last:])
        return Mapped("".join(out), origin)

    def source(self, start: int, end: int) -> tuple[int, int]:
        """The span of the loaded text that ``text[start:end]`` came from."""
        if not self.origin:
            return 0, 0
        s = self.origin[min(start, len(self.origin) - 1)]
        e = self.origin[min(max(end - 1, start), len(self.origin) - 1)] + 1
        return s, max(e, s)


_FULLWIDTH_KEEP = set("，：；（）！？")


def _width(ch: str) -> str:
    """Map one full-width ASCII variant to ASCII, except the Chinese punctuation we keep."""
    if ch in _FULLWIDTH_KEEP:
        return ch
    return unicodedata.normalize("NFKC", ch)


# A mirror's pinyin after a character, "經(jīng)費": lowercase letters, at least one with a tone mark.
PINYIN_RX = re.compile(r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])"
                       r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)")
# Characters that appear only in traditional text: a document with any is converted first.
TRADITIONAL_HINT = re.compile("[萬決說財撥經費預項務國總計與為單構門開發會這應從統際結轉餘額購運維護員數據門務]")


def to_simplified(m: Mapped) -> Mapped:
    """Traditional characters → simplified (OpenCC ``t2s``), line by line, keeping each
    character's origin; a line whose conversion changes its length is converted character by
    character."""
    if not TRADITIONAL_HINT.search(m.text):
        return m
    from opencc import OpenCC  # opencc-python-reimplemented

    cc = OpenCC("t2s")
    out: list[str] = []
    for line in m.text.split("\n"):
        conv = cc.convert(line) if line else line
        if len(conv) != len(line):
            conv = "".join(c if len(c) == 1 else ch for ch, c in ((ch, cc.convert(ch)) for ch in line))
        out.append(conv)
    return Mapped("\n".join(out), m.origin)


# full-width variants other than the Chinese punctuation kept (those map to themselves)
FULLWIDTH_RX = re.compile("[" + "".join(
    re.escape(chr(c)) for c in range(0xFF01, 0xFF5F) if chr(c) not in _FULLWIDTH_KEEP) + "]")
SHARED_UNIT_RX = re.compile(r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)(?=\s*[,，、]\s*\d+(?:\.\d+)?(?:\s*[,，、]\s*\d+(?:\.\d+)?)*"
                            r"\s*(?P<unit>万元|亿元|元|%))")


GROUPED_HINT = re.compile(r"[,，]\d{3}")  # in every match of the thousands pattern
GROUPED_RX_PLAIN = re.compile(r"(?<![\d.])\d{1,3}(?:[,，]\d{3})+(?![\d])")  # a number with thousands separators
GROUPED_RX = re.compile(r"\d(?<![\d.]\d)\d{0,2}(?:[,，]\d{3})+(?!\d)")  # the same, opening with its digit (as NUMBER_FAST)
SHARED_HINT = re.compile(r"[,，、]\s*\d+(?:\.\d+)?\s*(?:万元|亿元|元|%)")  # the tail of every SHARED_UNIT_RX match
WAN_RX = re.compile(r"(?<=\d)\s*万(?![元人次辆个件户亩株吨平册份名千余多亿])")
WAN_HINT = re.compile(r"万(?![元人次辆个件户亩株吨平册份名千余多亿])")  # in every match of WAN_RX
SPACES_RX = re.compile(r" +")
CJK_RX = re.compile(rf"[{CJK_CHARS}]")
CJK_PCT_RX = re.compile(rf"[{CJK_CHARS}%]")


def _spaces(x: re.Match[str]) -> str:
    """A run of spaces after a Chinese character or before one (or a percent sign) goes, as
    ``(?<=[CJK]) +| +(?=[CJK%])`` removes it: that pattern matches a whole run or none of it."""
    text, start, end = x.string, x.start(), x.end()
    if start and CJK_RX.match(text, start - 1) or CJK_PCT_RX.match(text, end):
        return ""
    return x.group(0)


def _shared_unit(x: re.Match[str]) -> str:
    return x.group("num") + x.group("unit")


def normalise(raw: str) -> Mapped:
    """The canonical form of a loaded document (see the module docstring)."""
    m = Mapped.of(raw)
    # (a pattern is tried only when the text has what every match of it needs: the same result)
    if "(" in m.text:
        m = m.sub(PINYIN_RX, "")
    m = to_simplified(m)
    if "\r" in m.text:
        m = m.sub(r"\r\n?", "\n")
    # a table printed one cell per line between "|" lines: rows back on one line
    if "|" in m.text:
        m = m.sub(r"\n[ \t]*\|[ \t]*\n(?:[ \t]*\|[ \t]*\n)+", "\n")
        m = m.sub(r"\n[ \t]*\|[ \t]*\n(?=[^\n|]{0,20}\n)", " | ")
    if any(ch in m.text for ch in "\u200b\u200c\u200d\u2060\ufeff"):
        m = m.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "")
    if any(ch in m.text for ch in "\u3000\xa0\u2002\u2003\u2009"):
        m = m.sub(r"[\u3000\xa0\u2002\u2003\u2009]", " ")
    m = m.sub(FULLWIDTH_RX, lambda x: _width(x.group(0)))
    if "﹪" in m.text:
        m = m.sub(r"[﹪]", "%")
    if "**" in m.text:
        m = m.sub(r"\*\*", "")
    # thousands separators: "3,041.69", not the list "4125.49,4143.91万元"
    if GROUPED_HINT.search(m.text):
        m = m.sub(GROUPED_RX, lambda x: x.group(0).replace(",", "").replace("，", ""))
    # "1000.86万" (no 元) is money; "各是4125.49,4143.91万元": one unit after two figures
    if WAN_HINT.search(m.text):
        m = m.sub(WAN_RX, "万元")
    for _ in range(3 if SHARED_HINT.search(m.text) else 0):
        shared = m.sub(SHARED_UNIT_RX, _shared_unit)
        if shared is m:  # nothing left to share: a further pass would not match either
            break
        m = shared
    # half-width punctuation between Chinese words → the full-width form
    if "(" in m.text:
        m = m.sub(r"\(", "（")
    if ")" in m.text:
        m = m.sub(r"\)", "）")
    if "," in m.text:
        m = m.sub(r"(?<!\d),|,(?!\d)", "，")
    if ":" in m.text:
        m = m.sub(r"(?<!\d):|:(?!\d)", "：")
    if ";" in m.text:
        m = m.sub(r";", "；")
    # spaces next to Chinese text or a percent sign; spaces between two figures stay
    if " " in m.text:  # (runs neither side of Chinese text are given back unchanged)
        m = m.sub(SPACES_RX, _spaces)
    return m


@dataclass(frozen=True)
class Figure:
    """A printed figure: value in its canonical unit, printed decimals, unit, span in the text."""

    value: Decimal
    places: int
    unit: str  # "万元", "%", or a count unit such as "辆"
    text: str
    start: int
    end: int

    def __init__(self, value: Decimal, places: int, unit: str, text: str, start: int, end: int) -> None:
        # (the generated frozen __init__'s six object.__setattr__ calls, as one write each into
        # the instance dict: a figure is made for every number the audit reads)
        d = self.__dict__
        d["value"], d["places"], d["unit"], d["text"], d["start"], d["end"] = value, places, unit, text, start, end

    @property
    def half(self) -> Decimal:
        """Half a unit of the last printed digit: the rounding interval's half-width.

        Money and percentages are rounded when printed; counts (辆, 批次, 个) and points (分:
        分值 and 得分 of a 绩效自评表, awarded as printed) are exact, so their half-width is 0.
        """
        if self.unit in ("万元", "%"):
            return half_unit(self.precision)
        return Decimal(0)

    @property
    def precision(self) -> int:
        """The decimals the figure is exact to: its printed decimals, or for an amount printed in
        万元 with fewer, the cent (11.8 beside 12.39 is 11.80: trailing zeros dropped, not a
        rounding to 0.1; see :func:`money_places`)."""
        if self.unit == "万元" and "亿" not in self.text and self.places < MONEY_PLACES.get():
            return MONEY_PLACES.get()
        return self.places

    @property
    def number(self) -> str:
        """The number as printed (normalised: no thousands separators), without its unit."""
        m = re.match(r"-?\d+(?:\.\d+)?", self.text)
        return m.group(0) if m else self.text

    @property
    def is_money(self) -> bool:
        return self.unit == "万元"

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


@lru_cache(maxsize=64)
def half_unit(places: int) -> Decimal:
    """Half a unit in the last place of a figure printed with ``places`` decimals (exact; memoised)."""
    return Decimal(5).scaleb(-(places + 1))


MONEY_UNITS = {"万元": 0, "元": -4, "亿元": 4, "万亿元": 8}
COUNT_UNITS = ("台（套）", "人次", "批次", "辆", "个", "台", "套", "人", "次", "项", "件", "份", "名", "家", "分")

NUMBER = r"(?<![\d.])-?\d+(?:\.\d+)?(?![\d.]*\d)"
# NUMBER opening with the character it must start with ("-" or a digit), the look-behind checked
# after it: the same matches, and the pattern engine skips ahead to that character instead of
# trying the look-behind at every position (a pattern opening with a look-around is tried at each).
NUMBER_FAST = r"[-\d](?<![\d.][-\d])(?:(?<=-)\d+|(?<=\d)\d*)(?:\.\d+)?(?![\d.]*\d)"
FIGURE_UNITS = rf"万亿元|万元|亿元|元|%|{'|'.join(COUNT_UNITS)}"
FIGURE_RX = re.compile(rf"(?P<num>{NUMBER_FAST})\s*(?P<unit>{FIGURE_UNITS})")
FIGURE_RX_PLAIN = re.compile(rf"(?P<num>{NUMBER})\s*(?P<unit>{FIGURE_UNITS})")  # what FIGURE_RX stands for


@lru_cache(maxsize=8192)
def parse_number(text: str) -> tuple[Decimal, int]:
    """``"3041.69"`` → (Decimal('3041.69'), 2)."""
    clean = text.replace(",", "").replace("，", "").strip()
    value = Decimal(clean)
    places = len(clean.split(".", 1)[1]) if "." in clean else 0
    return value, places


def parse_figure(m: re.Match[str], offset: int = 0) -> Figure:
    """A :class:`Figure` from a :data:`FIGURE_RX` match; 元 and 亿元 become 万元."""
    num, unit = m.group("num", "unit")
    value, places = parse_number(num)
    if unit in MONEY_UNITS:
        shift = MONEY_UNITS[unit]
        value = value.scaleb(shift)
        places = places - shift  # 亿元 to 0.01: exact to 100 万元 (negative places)
        unit = "万元"
    start, end = m.span()
    return Figure(value, places, unit, m.group(0), start + offset, end + offset)


def figure_at(number: str, start: int, unit: str) -> Figure:
    """The :class:`Figure` of ``number`` printed at ``start`` in ``unit`` (元 and 亿元 become 万元;
    the printed text keeps its unit)."""
    value, places = parse_number(number)
    printed = unit
    if unit in MONEY_UNITS and unit != "万元":
        shift = MONEY_UNITS[unit]
        value, places = value.scaleb(shift), places - shift
        unit = "万元"
    return Figure(value, places, unit, number + printed, start, start + len(number) + len(printed))


def figures(text: str, offset: int = 0) -> list[Figure]:
    """Every figure with a unit in ``text``, in order."""
    return [parse_figure(m, offset) for m in FIGURE_RX.finditer(text)]


@lru_cache(maxsize=8192)
def collapse(text: str) -> str:
    """A quote as readers see it: line breaks inside Chinese text gone, space runs single."""
    if "\n" in text:  # (both patterns need one)
        text = re.sub(r"[ \t]*\n\s*", "\n", text)
        text = re.sub(rf"(?<=[{CJK_CHARS}\w%])\n(?=[{CJK_CHARS}\w])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def money_places(text: str) -> int:
    """The decimals a disclosure's 万元 amounts are exact to: 2.  An account is kept to the cent,
    so "20 万元" beside "19.65 万元" is 20.00, and even a text printing whole 万元 only does not
    make "8 万元，占 47%；9 万元，占 53%" a matter of ±0.5 (a 1 万元 item would span 0.5…1.5)."""
    return 2
