"""A cell's ruling in a value line's crop (`extract.page_text._clear`, #15).

A line near its cell's edge is grown over a glyph crossing the ruling (af3d74e), and its
crop, padded, takes in the ruling beside it: the ruling's piece on the line's rows was
left and read as `|` or `l` before the value (seed 6143 doc-0023: `lysx1612@163.cdm` for
`ysx1612@163.com`, `|028-81512169`). A row where the ruling stands alone is paper; where
a glyph touches it, only the ruling's own columns are; a stroke across it is left.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.page_text import PageText, _clear
from tasksheet.extract.scale import binarize

UKAI = "/usr/share/fonts/truetype/arphic/ukai.ttc"  # the generator's hand
TOP, BOTTOM, DIVIDER, RIGHT, RULE = 20, 90, 160, 600, 2  # the row's rules, 2 px thick
# the value cell as the grid finds it: a few pixels inside its rulings
VALUE = (DIVIDER + RULE + 3, TOP + RULE, RIGHT - 3, BOTTOM)


def _row(value: str, ink_x: int) -> np.ndarray:
    """A grey table row, `value` in the hand, its first glyph's ink from `ink_x`."""
    im = Image.new("L", (RIGHT + 20, BOTTOM + 20), 236)
    d = ImageDraw.Draw(im)
    font = ImageFont.truetype(UKAI, 26)
    probe = Image.new("L", (40 * len(value) + 80, 80), 0)
    ImageDraw.Draw(probe).text((40, 20), value, fill=255, font=font)
    bearing = int(np.flatnonzero((np.array(probe) > 127).any(axis=0))[0]) - 40
    d.text((ink_x - bearing, 42 - d.textbbox((0, 0), value, font=font)[1]), value,
           fill=45, font=font)
    for y in (TOP, BOTTOM):
        d.rectangle((10, y, RIGHT, y + RULE - 1), fill=20)
    for x in (10, DIVIDER, RIGHT):
        d.rectangle((x, TOP, x + RULE - 1, BOTTOM + RULE - 1), fill=20)
    return np.array(im)


def _read(value: str, ink_x: int) -> str:
    grey = _row(value, ink_x)
    return PageText(grey, binarize(grey), 24.0, float(RULE), get_engine()).read([VALUE])[0].text


@pytest.mark.parametrize(("value", "dx"), [
    ("ysx1612@163.com", RULE + 1),  # a pixel clear of the ruling: was `lysx1612@163.com`
    ("ysx1612@163.com", RULE + 4),
    ("028-81512169", RULE + 1),  # was `1028-81512169`
    ("13266861979", RULE + 2),  # was `113266861979`
    ("0571-8888", RULE - 1),  # the 0 against the ruling: was `10571-8888`
])
def test_a_ruling_beside_the_value_is_not_read(value: str, dx: int) -> None:
    assert _read(value, DIVIDER + dx) == value


@pytest.mark.parametrize(("value", "dx"), [
    ("028-81361346", -6),  # the 0 across the ruling, the ruling through its counter
    ("0571-8888", -6),
    ("028-81512169", -4),
])
def test_a_glyph_across_the_ruling_is_kept(value: str, dx: int) -> None:
    assert _read(value, DIVIDER + dx) == value


def test_clear_keeps_a_stroke_against_the_ruling() -> None:
    """The ruling (2 px, columns 4-5) over 12 rows, the line's rows 3 to 8: alone on
    rows 3-4, a stroke against its right side on rows 5-6, one across it on row 7."""
    g = np.full((12, 10), 220, np.uint8)
    g[:, 4:6] = 30
    g[5:7, 6:8] = 30
    g[7, 1:9] = 30
    hole = (g < 100) & (np.arange(10) >= 3) & (np.arange(10) <= 6)
    out = _clear(g, hole, (3, 9))
    assert (out[:, 4:6] < 100).all(axis=1).tolist() == [False] * 7 + [True] + [False] * 4
    assert (out[5:7, 6:8] < 100).all()  # the stroke against it kept
    assert (out[7, 1:9] < 100).all()  # the stroke across it kept
