"""What is written in a blank of a printed line (`extract.page_text.PageText.read_fills`)."""

from __future__ import annotations

import cv2
import numpy as np
from conftest import DATA
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.page_text import PageText
from tasksheet.extract.scale import binarize

MARGIN = 20


def test_a_tall_figure_cut_by_the_blank_s_crop_is_not_a_border() -> None:
    """Seed 8527 doc-0021's budget (`tests/data/text_fill_tall_one.png`, its blank with 20 px
    about it; the page 1261 px wide, text 20 px): `31` written high over its underline, the
    crop's top cuts the `1`, and the opening that finds a cell's border at the blank's end
    took the edge for ink and the `1` for a border: read `3`."""
    grey = cv2.imread(str(DATA / "text_fill_tall_one.png"), cv2.IMREAD_GRAYSCALE)
    h, w = grey.shape
    text = PageText(grey, binarize(grey, 1261 // 40), 20.0, 2.0, get_engine())
    got = text.read_fills([(MARGIN, MARGIN, w - MARGIN, h - MARGIN)])[0]
    assert got is not None and got.text == "31"


def test_a_border_at_the_blank_s_end_is_still_left_out() -> None:
    """A cell's rule crossing the blank's end, over its whole height, is a border, not a `1`."""
    grey = np.full((60, 200), 235, np.uint8)
    grey[45:47, 10:190] = 40  # the underline
    grey[0:60, 185:187] = 40  # the cell's border
    binary = binarize(grey)

    class Engine:
        def recognize(self, crops: list) -> list:
            return [("7", 1.0) for _ in crops]

    assert PageText(grey, binary, 20.0, 2.0, Engine()).read_fills([(10, 20, 190, 45)]) == [None]
