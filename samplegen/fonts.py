"""Fonts: paths, cached PIL faces, and text measurement in millimetres.

Layout works in mm on A4 and both renderers (raster, PDF) draw from the same measurements,
so a string measured here has the same width on a 150 DPI scan and in the born-digital PDF.

A font name may be composite, `"uming+latin_serif"`: a word processor sets Chinese in the
East-Asian face and ASCII (digits, e-mails, `Email`) in the western one (Times New Roman,
Courier New); `runs()` splits a string into single-face pieces to draw.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from PIL import ImageFont

FONTS: dict[str, tuple[str, int]] = {
    "uming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "zenhei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "ukai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "symbol": ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
}
# western faces for ASCII runs, where the machine has them (Times / Courier metrics)
LATIN_FONTS = {name: path for name, path in (
    ("latin_serif", "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
    ("latin_mono", "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf"),
) if Path(path).exists()}
FONTS.update({name: (path, 0) for name, path in LATIN_FONTS.items()})
PRINT_FONTS = ("uming", "zenhei")
HAND_FONT = "ukai"
SYMBOL_FONT = "symbol"  # ☑ is in none of the CJK fonts; Word falls back the same way
MEASURE_PX = 200
PT_MM = 25.4 / 72
_ASCII = re.compile(r"[\x21-\x7e]+(?: +[\x21-\x7e]+)*")


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """(piece, face) runs of `text`: ASCII in the western face of a composite font."""
    cjk, _, latin = font.partition("+")
    if not latin:
        return [(text, font)]
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _ASCII.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], cjk))
        out.append((m.group(), latin))
        pos = m.end()
    if pos < len(text) or not out:
        out.append((text[pos:], cjk))
    return out


@cache
def face(name: str, px: int) -> ImageFont.FreeTypeFont:
    """A PIL face; a composite name gives its East-Asian face (the one for □ and CJK)."""
    path, index = FONTS[name.partition("+")[0]]
    return ImageFont.truetype(path, max(1, px), index=index)


@cache
def text_width(text: str, font: str, size: float) -> float:
    """Advance width of `text` in mm at em size `size` mm."""
    if "+" in font:
        return sum(text_width(piece, f, size) for piece, f in runs(text, font))
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
