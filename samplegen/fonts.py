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
# Faces offices print in beyond the two above (宋体-, 黑体-, 楷体-like), drawn by
# `office.Office`; a machine without one draws it in its stand-in, so a seed's draws (and
# its truth) are the same everywhere and only the glyphs' shapes differ.
_NOTO = "/usr/share/fonts/opentype/noto/"
OFFICE_FONTS: dict[str, tuple[str, int, str]] = {
    "song": ("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0, "uming"),
    "kaiti": ("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", 0, "ukai"),
    "microhei": ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, "zenhei"),
    "noto_serif": (_NOTO + "NotoSerifCJK-Regular.ttc", 2, "uming"),  # index 2: SC
    "noto_sans": (_NOTO + "NotoSansCJK-Regular.ttc", 2, "zenhei"),
    "noto_serif_bold": (_NOTO + "NotoSerifCJK-Bold.ttc", 2, "zenhei"),
    "noto_sans_bold": (_NOTO + "NotoSansCJK-Bold.ttc", 2, "zenhei"),
}
for _name, (_path, _index, _standin) in OFFICE_FONTS.items():
    FONTS[_name] = (_path, _index) if Path(_path).exists() else FONTS[_standin]
BOLD = "*b"  # a face name ending so is drawn with a stroke round its glyphs (Word's bold)
PRINT_FONTS = ("uming", "zenhei")
HAND_FONT = "ukai"
SYMBOL_FONT = "symbol"  # ☑ is in none of the CJK fonts; Word falls back the same way
MEASURE_PX = 200
PT_MM = 25.4 / 72
_ASCII = re.compile(r"[\x21-\x7e]+(?: +[\x21-\x7e]+)*")


def plain(font: str) -> str:
    """The face of a name without its bold mark."""
    return font.removesuffix(BOLD)


@cache
def _cmap(name: str) -> frozenset[int]:
    """The code points a face has glyphs for."""
    from fontTools.ttLib import TTFont

    path, index = FONTS[name]
    tt = TTFont(path, fontNumber=index, lazy=True) if path.endswith(".ttc") else \
        TTFont(path, lazy=True)
    return frozenset(tt.getBestCmap())


def missing(text: str, font: str) -> bool:
    """Whether a face lacks a glyph of `text` (简报宋 has no 〇: Word falls back)."""
    cmap = _cmap(plain(font).partition("+")[0])
    return any(ord(ch) not in cmap for ch in text if ch.strip())


FALLBACK = "uming"  # where a face lacks a glyph, as Word falls back to 宋体


def _covered(text: str, font: str) -> list[tuple[str, str]]:
    """`text` in `font`, the characters it lacks in the fallback face."""
    if font in ("uming", "zenhei", "ukai", SYMBOL_FONT) or not missing(text, font):
        return [(text, font)]
    cmap = _cmap(plain(font))
    out: list[tuple[str, str]] = []
    for ch in text:
        f = font if ord(ch) in cmap or not ch.strip() else FALLBACK
        if out and out[-1][1] == f:
            out[-1] = (out[-1][0] + ch, f)
        else:
            out.append((ch, f))
    return out


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """(piece, face) runs of `text`: ASCII in the western face of a composite font, and a
    character the face lacks in the fallback face."""
    cjk, _, latin = font.partition("+")
    if not latin:
        return _covered(text, font)
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _ASCII.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], cjk))
        out.append((m.group(), latin))
        pos = m.end()
    if pos < len(text) or not out:
        out.append((text[pos:], cjk))
    return [r for piece, f in out for r in (_covered(piece, f) if f == cjk else [(piece, f)])]


@cache
def face(name: str, px: int) -> ImageFont.FreeTypeFont:
    """A PIL face; a composite name gives its East-Asian face (the one for □ and CJK)."""
    path, index = FONTS[plain(name.partition("+")[0])]
    return ImageFont.truetype(path, max(1, px), index=index)


@cache
def text_width(text: str, font: str, size: float) -> float:
    """Advance width of `text` in mm at em size `size` mm."""
    pieces = runs(text, font)
    if len(pieces) > 1 or pieces[0][1] != font:
        return sum(text_width(piece, f, size) for piece, f in pieces)
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
