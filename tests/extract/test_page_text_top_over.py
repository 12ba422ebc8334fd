"""A cell's first line printed right under its top ruling (`PageText._top_over`).

Lines are looked for inside the cell less a margin over its rulings (the line's thickness
twice and 2 px). A line set tight under the top ruling has most of its height in that
margin, and the rows left inside were too few to be a line: the line was lost (wp-01 p4:
content's first line inked from y 165 under a ruling at 160-164, the cell's box from 168,
its search from 180; content read from its second line, `制”试点工作…`).
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.page_text import PageText, _shrink
from tasksheet.extract.scale import binarize

UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"
CELL = (15, 29, 656, 180)  # inside the rulings, as the grid finds it
FIRST, SECOND = "成都市园林学会受委托承接试点工作", "主要内容包括开展前期调研"


def _page(ink_top: int) -> np.ndarray:
    """A grey cell ruled 5 px thick (rows 20-24 over it), two lines of print, the first
    inked from row `ink_top`, the second 40 px under it."""
    im = Image.new("L", (700, 200), 236)
    d = ImageDraw.Draw(im)
    font = ImageFont.truetype(UMING, 24)
    for y in (20, 180):
        d.rectangle((10, y, 660, y + 4), fill=20)
    for x in (10, 656):
        d.rectangle((x, 20, x + 4, 184), fill=20)
    for text, top in ((FIRST, ink_top), (SECOND, ink_top + 40)):
        b = d.textbbox((0, 0), text, font=font)
        d.text((60 - b[0], top - b[1]), text, fill=30, font=font)
    return np.array(im)


def _text(g: np.ndarray) -> PageText:
    return PageText(g, binarize(g), 24.0, 5.0, get_engine())


@pytest.mark.parametrize("paragraph", [True, False])
def test_a_line_under_the_top_ruling_is_read(paragraph: bool) -> None:
    assert _text(_page(26)).read([CELL], paragraph=paragraph)[0].text == FIRST + SECOND


def test_the_search_starts_at_the_glyphs_top() -> None:
    """The margin's bottom (row 41) crosses the first line's glyphs: the search is raised
    to their first inked row under the ruling; a line clear of the margin leaves it."""
    g = _page(26)
    text, inner = _text(g), _shrink(CELL, 12)
    top = int(np.flatnonzero(text.binary[25:41, 60:600].any(axis=1))[0]) + 25
    assert top <= 27
    assert text._top_over(inner, CELL) == (inner[0], top, inner[2], inner[3])
    assert _text(_page(45))._top_over(inner, CELL) == inner


def test_without_it_the_first_line_is_lost(monkeypatch) -> None:
    monkeypatch.setattr(PageText, "_top_over", lambda self, inner, cell: inner)
    assert _text(_page(26)).read([CELL], paragraph=True)[0].text == SECOND
