"""Section 五 on a 1-bit re-capture (issue #15): a block's printed label and the handwritten
opinion set close under it, a stroke of the hand touching the label, must come back as two
line boxes. As one box (1.45 and 1.65 text heights tall, no row of blank paper between) the
opinion was read as part of the label, or lost, and the block's text came out blank.
Crops of the re-captured wp-03 (bitonal, 200 DPI, text height 33): the top of the
commissioning and coordinating blocks' cells, as the reader sees them (rules at the crop's
edge, the label tight under the top rule)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from tasksheet.extract.text_lines import _blank_row_split, find_text_lines

DATA = Path(__file__).resolve().parents[1] / "data"
TH = 33.0
INNER = (8, 8, 612, 70)  # what `PageText.lines` looks in: the cell less twice its rules


def _crop(name: str) -> np.ndarray:
    return cv2.imread(str(DATA / f"opinion-bitonal-label-hand-{name}.png"), cv2.IMREAD_GRAYSCALE)


@pytest.mark.parametrize(("name", "want"), [
    # 项目委托单位： over 同意。, whose 意 touches the label's 托 (the arc of the seal right)
    ("commissioning", [(15, 8, 200, 24), (87, 23, 156, 56), (508, 8, 612, 70)]),
    # 项目协调单位： over 同意纳入学会承接政府转移职能试点。
    ("coordinating", [(15, 8, 200, 28), (86, 25, 610, 63)]),
])
def test_label_over_a_hand_set_close_is_two_lines(name: str, want: list) -> None:
    assert find_text_lines(_crop(name), text_height=TH, region=INNER) == want


def test_label_and_opinion_read() -> None:
    from tasksheet.extract.ocr import get_engine
    from tasksheet.extract.page_text import PageText, clean

    ink = _crop("coordinating")
    h, w = ink.shape
    text = PageText(255 - ink, ink, TH, 3.0, get_engine())
    got = text.read([(0, 0, w, h)])[0]
    assert [clean(t) for _, t, _ in got.lines[:1]] == ["项目协调单位"]
    assert clean(got.lines[1][1]).startswith("同意")


def test_valley_of_the_touching_stroke() -> None:
    """The valley between the two lines holds 4 rows of ink (the hand's stroke), more than
    a tenth of the box's median row (32.5): only the valley against the sparser line
    (50 rows at its fullest) parts them."""
    ink = _crop("commissioning")[8:56, 15:200]
    assert _blank_row_split(ink, TH) == [(0, 16), (16, 48)]


def test_one_tall_line_stays_whole() -> None:
    """A line of glyphs 1.4 text heights tall, its radicals thinning its rows to under a
    tenth nowhere: one line, as before (a cut through its middle runs through every
    glyph, `_crossed_ink`; the valley alone would part it)."""
    ink = np.zeros((60, 400), np.uint8)
    for x in range(10, 380, 40):
        cv2.rectangle(ink, (x, 8), (x + 28, 50), 255, 3)  # a glyph's frame: 42 rows
        cv2.line(ink, (x, 29), (x + 28, 29), 255, 3)  # and its middle stroke
    assert find_text_lines(ink, text_height=30.0) == [(9, 6, 400, 53)]
