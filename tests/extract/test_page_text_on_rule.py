"""A value's first glyph whose own stroke lies on a turned ruling (`PageText._over_rule`,
`_ink_reach`, #15).

Where the rulings are turned against the text, a 1's stem (or a 0's side) can fall on the
value cell's left ruling, its flag and foot past it: the line's ink on the cell's side
stops a letter's spacing short of the ruling, and the glyph was taken for the next cell's
(seed 5417 doc-0019 p2: `19863351304` read `9863351304`, `028-…` read `28-…`; doc-0009 p2,
a monospaced 1 on a colour scan: `13433677367` read `3433677367`).
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from tasksheet.extract import page_text
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.page_text import PageText, _ink_reach
from tasksheet.extract.scale import binarize

DATA = Path(__file__).resolve().parents[1] / "data"
# (file, text height, line thickness, the value cell as the grid found it, its value):
# seed 5417 doc-0019 p2 x 650-1150, y 420-530; doc-0009 p2 x 780-1110, y 240-330
CELLS = [("turned-ruling-on-a-1-grey.png", 37.0, 3.0, (58, 12, 486, 97), "19863351304"),
         ("turned-ruling-on-a-1-colour.png", 23.0, 1.0, (54, 20, 315, 76), "13433677367")]


def _read(name: str, th: float, lt: float, cell: tuple[int, int, int, int]) -> str:
    g = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    return PageText(g, binarize(g), th, lt, get_engine()).read([cell])[0].text


@pytest.mark.parametrize(("name", "th", "lt", "cell", "value"), CELLS)
def test_a_1_on_the_ruling_is_read(name, th, lt, cell, value) -> None:
    assert _read(name, th, lt, cell) == value


@pytest.mark.parametrize(("name", "th", "lt", "cell", "value"), CELLS)
def test_the_line_ink_touching_the_ruling_only_loses_the_1(monkeypatch, name, th, lt, cell,
                                                            value) -> None:
    """With the cell's side asked to touch the ruling (the rule before), the 1 is lost."""
    monkeypatch.setattr(page_text, "DEFAULT_ON_RULE", 0.0)
    assert _read(name, th, lt, cell) == value[1:]


def test_ink_reach_over_a_stroke_on_the_ruling() -> None:
    """The line's ink stops 3 columns short of the ruling (columns 5-6), a body 3 columns
    wide past it: taken; a ruling's rough edge, one column past it, is not."""
    ruled = np.zeros(14, bool)
    ruled[5:7] = True
    glyph = np.array([1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0])
    assert _ink_reach(glyph, ruled, 4, 1, 4, 2, near=3, least=2) == 10
    assert _ink_reach(glyph, ruled, 4, 1, 4, 2, near=2, least=2) == 2  # too far off
    edge = np.array([1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])
    assert _ink_reach(edge, ruled, 4, 1, 4, 2, near=3, least=2) == 2
