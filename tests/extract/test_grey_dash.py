"""A lone "—" in a cell crossed by a scanner's streak (`extract.page_text.PageText.dash`)."""

from __future__ import annotations

from pathlib import Path

import cv2
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.page_text import PageText
from tasksheet.extract.scale import binarize

DATA = Path(__file__).resolve().parents[1] / "data"
# fresh seed 5209 doc-0011 (grey scan, 200 DPI), page 4: the coordinating party's 政策支持
# cell holds a typed "—" whose right end touches a thin grey streak running down the page
CROP = "grey-dash-on-scanner-streak.png"
PAGE_WINDOW = 50  # binarize's window on the whole page (its short side, 2034 px, / 40)
TEXT_HEIGHT, LINE = 37.0, 3.0  # the page's measures
CELL = (100, 56, 1150, 170)


def test_dash_touching_a_streak_is_still_a_dash() -> None:
    """The streak and the dash were one component, tall and wide: no dash, and the cell
    read blank (a false blank_field)."""
    grey = cv2.imread(str(DATA / CROP), cv2.IMREAD_GRAYSCALE)
    text = PageText(grey, binarize(grey, window=PAGE_WINDOW), TEXT_HEIGHT, LINE, get_engine())
    got = text.read([CELL])[0]
    assert got.text == "—"
    assert got.bbox is not None and 600 < got.bbox[0] < got.bbox[2] <= 652


def test_streak_alone_is_no_dash() -> None:
    """The cell's paper with only the streak through it holds no dash."""
    grey = cv2.imread(str(DATA / CROP), cv2.IMREAD_GRAYSCALE)
    grey[100:135, 560:648] = grey[100:135, 460:548]  # the dash painted over with paper
    text = PageText(grey, binarize(grey, window=PAGE_WINDOW), TEXT_HEIGHT, LINE, get_engine())
    assert text.read([CELL])[0].text == ""
