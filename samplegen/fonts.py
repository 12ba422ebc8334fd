"""Fonts: paths, cached PIL faces, and text measurement in millimetres.

Layout works in mm on A4 and both renderers (raster, PDF) draw from the same measurements,
so a string measured here has the same width on a 150 DPI scan and in the born-digital PDF.
"""

from __future__ import annotations

from functools import cache

from PIL import ImageFont

FONTS: dict[str, tuple[str, int]] = {
    "uming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "zenhei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "ukai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "symbol": ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
}
PRINT_FONTS = ("uming", "zenhei")
HAND_FONT = "ukai"
SYMBOL_FONT = "symbol"  # ☑ is in none of the CJK fonts; Word falls back the same way
MEASURE_PX = 200
PT_MM = 25.4 / 72


@cache
def face(name: str, px: int) -> ImageFont.FreeTypeFont:
    path, index = FONTS[name]
    return ImageFont.truetype(path, max(1, px), index=index)


@cache
def text_width(text: str, font: str, size: float) -> float:
    """Advance width of `text` in mm at em size `size` mm."""
    return face(font, MEASURE_PX).getlength(text) * size / MEASURE_PX


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy character wrap (CJK has no spaces); keeps closing punctuation off line starts."""
    lines: list[str] = []
    line = ""
    for ch in text:
        if line and text_width(line + ch, font, size) > width and ch not in "，。；：、）”":
            lines.append(line)
            line = ch
        else:
            line += ch
    if line or not lines:
        lines.append(line)
    return lines
