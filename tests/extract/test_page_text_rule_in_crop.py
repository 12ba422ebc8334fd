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


def _ruled(rows: int = 12) -> np.ndarray:
    """A ruling 2 px wide (columns 4-5) down a strip of paper."""
    g = np.full((rows, 10), 220, np.uint8)
    g[:, 4:6] = 30
    return g


def _left(g: np.ndarray, line: tuple[int, int], least: int = 1) -> list[bool]:
    """Per row, whether the ruling is left after `_clear`."""
    hole = (g < 100) & (np.arange(10) >= 3) & (np.arange(10) <= 6)
    return (_clear(g, hole, line, least=least)[:, 4:6] < 100).all(axis=1).tolist()


def test_clear_keeps_the_rows_a_glyph_touches() -> None:
    """The line's rows 3 to 8, a stroke against the ruling on rows 5-6: the ruling over and
    under it is paper, on the stroke's rows it is left (the stroke kept with it)."""
    g = _ruled()
    g[5:7, 6:8] = 30
    assert _left(g, (3, 9)) == [False] * 5 + [True] * 2 + [False] * 5


def test_clear_takes_a_long_stretch_between_two_touches() -> None:
    """A 1's stem beside the ruling touching it at its flag (row 2) and foot (row 9): the
    ruling alone over rows 3-8 between is the ruling when a glyph's stroke is shorter."""
    g = _ruled()
    g[2, 6:8] = g[9, 6:8] = 30
    assert _left(g, (1, 11), least=6) == [False] * 2 + [True] + [False] * 6 + [True] + [False] * 2
    assert _left(g, (1, 11), least=7) == [False] * 2 + [True] * 8 + [False] * 2


def test_clear_leaves_the_line_s_rows_where_a_glyph_crosses_the_ruling() -> None:
    """A stroke across the ruling on row 7: a glyph's stroke on the ruling cannot be told
    from it, the line's rows are left; the stubs over and under the line are paper."""
    g = _ruled()
    g[7, 1:9] = 30
    assert _left(g, (3, 9)) == [False] * 3 + [True] * 6 + [False] * 3
