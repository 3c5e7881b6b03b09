"""图1 收入决算图 and 图2 支出决算图: pie charts drawn with Pillow, stored as JPEG.

Why Pillow: matplotlib is not installed and a chart must be drawn offline on a server and on a
government PC alike.  Pillow is one small wheel (openpyxl already uses it for images); drawing
with LibreOffice from an xlsx chart would make the Word export depend on LibreOffice, which the
PDF step alone needs.  The pie is drawn at twice the size and scaled down, which smooths its
edges; Chinese labels use a CJK font file found by :func:`juesuan.export.fonts.cjk_font_file`.

A chart shows the non-zero lines of its section with their shares; the figures in the text are
the narrative's, the chart only illustrates them.  With nothing to show it says so
(本年无数据) instead of drawing an empty circle.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from juesuan.export.fonts import cjk_font_file
from juesuan.money import fmt_amount, fmt_percent

WIDTH, HEIGHT = 1500, 760  # final pixels (about 270 dpi at 14 cm)
SCALE = 2  # drawn at twice the size, then scaled down (anti-aliasing)
COLOURS = ["#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47", "#264478", "#9E480E", "#636363",
           "#997300", "#255E91", "#43682B"]
NOTHING = "本年无数据"


@dataclass(frozen=True)
class Slice:
    label: str
    amount: Decimal
    share: Decimal | None = None  # percent as the narrative states it; computed when None

    def percent(self, total: Decimal) -> Decimal:
        return self.share if self.share is not None else self.amount / total * 100


def pie_chart(slices: list[Slice]) -> bytes:
    """A pie of the positive ``slices`` with a legend (名称 金额万元 占比), as JPEG bytes."""
    return _jpeg(*draw_pie(slices))


def draw_pie(slices: list[Slice]):  # type: ignore[no-untyped-def]
    """The pie at twice its final size, and the box holding everything drawn (white outside it)."""
    from PIL import Image, ImageDraw

    w, h = WIDTH * SCALE, HEIGHT * SCALE
    image = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(image)
    shown = [s for s in slices if s.amount > 0]
    total = sum((s.amount for s in shown), Decimal(0))
    radius = int(h * 0.42)
    cx, cy = int(h * 0.5), h // 2
    box = (cx - radius, cy - radius, cx + radius, cy + radius)
    if total <= 0:
        draw.ellipse(box, fill="#E7E6E6", outline="#BFBFBF", width=2 * SCALE)
        _centred(draw, (cx, cy), NOTHING, _font(34))
        return image, box
    start = -90.0
    for i, s in enumerate(shown):
        extent = float(s.amount / total) * 360.0
        colour = COLOURS[i % len(COLOURS)]
        if len(shown) == 1:
            draw.ellipse(box, fill=colour)
        else:
            draw.pieslice(box, start, start + extent, fill=colour, outline="white", width=2 * SCALE)
        start += extent
    _slice_labels(draw, shown, total, (cx, cy), radius)
    right, bottom = _legend(draw, shown, total, x=int(h * 1.02), width=w - int(h * 1.02) - 20 * SCALE, height=h)
    return image, (box[0], box[1], max(box[2], right), max(box[3], bottom))


def _slice_labels(draw, shown: list[Slice], total: Decimal, centre: tuple[int, int], radius: int) -> None:  # type: ignore[no-untyped-def]
    """The share printed inside every slice large enough to hold it (5 % and more)."""
    import math

    font = _font(30)
    start = -90.0
    for s in shown:
        extent = float(s.amount / total) * 360.0
        if extent >= 18.0:
            mid = math.radians(start + extent / 2)
            r = radius * (0.62 if len(shown) > 1 else 0.0)
            pos = (centre[0] + r * math.cos(mid), centre[1] + r * math.sin(mid))
            _centred(draw, pos, fmt_percent(s.percent(total)), font, fill="white")
        start += extent


def _legend(draw, shown: list[Slice], total: Decimal, x: int, width: int, height: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Two lines per slice: colour swatch and name, then amount and share in grey; the right and
    bottom edges of what was drawn."""
    size = 32 if len(shown) <= 5 else 24
    name_font, figure_font = _font(size), _font(int(size * 0.85))
    step = int(size * SCALE * 2.6)
    top = max(20 * SCALE, (height - step * len(shown)) // 2)
    sw = int(size * SCALE * 0.8)
    right = bottom = 0
    for i, s in enumerate(shown):
        y = top + i * step
        draw.rectangle((x, y + int(size * SCALE * 0.15), x + sw, y + int(size * SCALE * 0.15) + sw),
                       fill=COLOURS[i % len(COLOURS)])
        tx = x + sw + 12 * SCALE
        name = _fit(draw, s.label, name_font, width - sw - 12 * SCALE)
        figures = f"{fmt_amount(s.amount)}万元  {fmt_percent(s.percent(total))}"
        draw.text((tx, y), name, font=name_font, fill="#262626")
        draw.text((tx, y + int(size * SCALE * 1.25)), figures, font=figure_font, fill="#595959")
        for text, font, ty in ((name, name_font, y), (figures, figure_font, y + int(size * SCALE * 1.25))):
            bbox = draw.textbbox((tx, ty), text, font=font)
            right, bottom = max(right, bbox[2]), max(bottom, bbox[3])
    return right, bottom


def _fit(draw, text: str, font, width: int) -> str:  # type: ignore[no-untyped-def]
    """Shorten a legend name with an ellipsis until it fits ``width``."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def _centred(draw, pos: tuple[float, float], text: str, font, fill: str = "#262626") -> None:  # type: ignore[no-untyped-def]
    draw.text(pos, text, font=font, fill=fill, anchor="mm")


@lru_cache(maxsize=None)
def _font(points: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    found = cjk_font_file()
    if found is None:
        return ImageFont.load_default(points * SCALE)
    path, index = found
    return ImageFont.truetype(path, points * SCALE, index=index)


MARGIN = 1  # final pixels of white kept around the drawn box
JPEG_QUALITY = 95


def _jpeg(image, drawn: tuple[int, int, int, int]) -> bytes:  # type: ignore[no-untyped-def]
    """The image scaled down to its final size, as JPEG (quality 95, no chroma subsampling).

    Only the box ``drawn`` holds anything but white, so only it (and a margin) is scaled and
    pasted on white.  Scaling averages each 2×2 block (``reduce``: a tenth of LANCZOS's time for
    the same smoothing of the edges).  JPEG because LibreOffice copies a JPEG into the PDF as it
    is, where it re-encodes any other picture: a tenth less CPU per PDF; at this quality and
    resolution (about 250 dpi) the text of the legend stays sharp."""
    from PIL import Image

    x0, y0 = max(0, drawn[0] // SCALE - MARGIN), max(0, drawn[1] // SCALE - MARGIN)
    x1, y1 = min(WIDTH, drawn[2] // SCALE + 1 + MARGIN), min(HEIGHT, drawn[3] // SCALE + 1 + MARGIN)
    part = image.reduce(SCALE, box=(x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE))
    final = Image.new("RGB", (WIDTH, HEIGHT), "white")
    final.paste(part, (x0, y0))
    out = io.BytesIO()
    final.save(out, "JPEG", quality=JPEG_QUALITY, subsampling=0)
    return out.getvalue()
