"""A value written over its cell's ruling (`extract.page_text.PageText._over_rule`, #15 #17).

A hand starts a phone or mobile number right at the value cell's left ruling, or across
it; lines are looked for inside the cell less a margin over the ruling, and the first
glyph, in the margin or beyond the ruling, was cut from the line's crop and lost
(seed 9857 doc-0001: `028-81361346` read `28-81361346`, `13266861979` read `3266861979`).
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.page_text import PageText, _ink_reach
from tasksheet.extract.scale import binarize

UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"
UKAI = "/usr/share/fonts/truetype/arphic/ukai.ttc"  # the generator's hand
TOP, BOTTOM, DIVIDER, RIGHT = 20, 90, 160, 600  # the row's rules; the label cell's divider
RULE = 2


def _row(label: str, value: str, value_x: int, label_end: int | None = None) -> np.ndarray:
    """A grey table row: `label` printed in its cell, `value` in the hand from `value_x`
    (its first glyph's ink, left edge), the rulings drawn over both."""
    im = Image.new("L", (RIGHT + 20, BOTTOM + 20), 236)
    d = ImageDraw.Draw(im)
    lf, hf = ImageFont.truetype(UMING, 24), ImageFont.truetype(UKAI, 26)
    lw = d.textbbox((0, 0), label, font=lf)
    end = DIVIDER - 40 if label_end is None else label_end
    d.text((end - (lw[2] - lw[0]) - lw[0], 44 - lw[1]), label, fill=30, font=lf)
    vb = d.textbbox((0, 0), value, font=hf)
    d.text((value_x - _ink_left(value, hf), 42 - vb[1]), value, fill=45, font=hf)
    for y in (TOP, BOTTOM):
        d.rectangle((10, y, RIGHT, y + RULE - 1), fill=20)
    for x in (10, DIVIDER, RIGHT):
        d.rectangle((x, TOP, x + RULE - 1, BOTTOM + RULE - 1), fill=20)
    return np.array(im)


def _ink_left(text: str, font: ImageFont.FreeTypeFont) -> int:
    """The first inked column of `text` drawn at x 0 (its glyph's bearing: not its box's)."""
    size = round(font.size)
    im = Image.new("L", (size * (len(text) + 2), 3 * size), 0)
    ImageDraw.Draw(im).text((size, size), text, fill=255, font=font)
    return int(np.flatnonzero((np.array(im) > 127).any(axis=0))[0]) - size


def _ink_width(text: str, font: ImageFont.FreeTypeFont) -> int:
    size = round(font.size)
    im = Image.new("L", (size * (len(text) + 2), 3 * size), 0)
    ImageDraw.Draw(im).text((size, size), text, fill=255, font=font)
    cols = np.flatnonzero((np.array(im) > 127).any(axis=0))
    return int(cols[-1] + 1 - cols[0])


def _read(grey: np.ndarray, cell: tuple[int, int, int, int]) -> str:
    text = PageText(grey, binarize(grey), 24.0, float(RULE), get_engine())
    return text.read([cell])[0].text


# the value cell as the grid finds it: inside its rulings, by a few pixels where they are
# turned against the text (seed 9721 doc-0012: the box 4 px clear of the ruling)
VALUE = (DIVIDER + RULE + 3, TOP + RULE, RIGHT - 3, BOTTOM)
LABEL = (10 + RULE, TOP + RULE, DIVIDER, BOTTOM)


@pytest.mark.parametrize(("value", "x"), [
    ("028-81361346", DIVIDER - 6),  # the 0 across the ruling
    ("13266861979", DIVIDER + RULE),  # the 1 against it, in the cell's margin
])
def test_a_first_glyph_over_the_ruling_is_read(value: str, x: int) -> None:
    assert _read(_row("电话", value, x), VALUE) == value


def test_a_last_glyph_over_the_right_ruling_is_read() -> None:
    """Seed 9721 doc-0012: a mobile run up to the cell's right ruling lost its last 9."""
    value = "15792865398"
    grey = _row("手机", value, RIGHT + RULE + 5 - _ink_width(value, ImageFont.truetype(UKAI, 26)))
    assert _read(grey, VALUE) == value


def test_the_label_beside_the_ruling_stays_out_of_the_value() -> None:
    """The label cell's text ends just before the divider: no glyph crosses it, and the
    value's line does not take the label's last glyph (nor the label's the value's)."""
    grey = _row("手机", "13266861979", DIVIDER + 14, label_end=DIVIDER - 3)
    assert _read(grey, VALUE) == "13266861979"
    assert _read(grey, LABEL) == "手机"


def test_ink_reach_stops_at_a_ruling_nothing_crosses() -> None:
    """Past the ruling only ink touching it is the line's: the label a column clear of the
    ruling's rim is not."""
    ruled = np.zeros(12, bool)
    ruled[4:6] = True
    assert _ink_reach(np.array([0, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0]), ruled, 3, 1, 3, 2) == 3
    # a glyph across it, ending before the strip does
    assert _ink_reach(np.array([1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0]), ruled, 3, 1, 3, 2) == 8
    # ink running on to the strip's end past the ruling: wider than a glyph, the next cell's
    assert _ink_reach(np.array([1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1]), ruled, 3, 1, 3, 2) == 4
