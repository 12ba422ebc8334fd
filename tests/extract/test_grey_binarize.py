"""Pale, thin print on a grey scan survives binarisation (`extract.scale.binarize`)."""

from __future__ import annotations

from pathlib import Path

import cv2
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.page_text import PageText
from tasksheet.extract.scale import binarize

DATA = Path(__file__).resolve().parents[1] / "data"
# fresh seed 5209 doc-0007 (grey scan, 200 DPI), page 3: the undertaking party's two
# mobile cells, the last digit of each printed as pale as the rest (130-160 on 226 paper)
# with only paper after it
CROP = "grey-mobile-pale-last-digit.png"
PAGE_WINDOW = 42  # binarize's window on the whole page (its short side, 1698 px, / 40)
TEXT_HEIGHT, LINE = 27.0, 2.0  # the page's measures
CELLS = [(35, 33, 395, 114), (35, 201, 395, 282)]


def test_last_digit_with_open_paper_after_it_is_ink() -> None:
    """The window's flatness was judged on the 4x reduced image, where a two-pixel stroke
    is averaged with its block's paper: the lone last digit fell under the contrast bar,
    and both mobiles were read a digit short (1518129977, 1452363331)."""
    grey = cv2.imread(str(DATA / CROP), cv2.IMREAD_GRAYSCALE)
    binary = binarize(grey, window=PAGE_WINDOW)
    text = PageText(grey, binary, TEXT_HEIGHT, LINE, get_engine())
    assert [r.text for r in text.read(CELLS)] == ["15181299774", "14523633317"]


def test_flat_paper_stays_paper() -> None:
    """Paper with a scanner's grain and no print has no ink (the bar is still applied)."""
    grey = cv2.imread(str(DATA / CROP), cv2.IMREAD_GRAYSCALE)
    paper = grey[45:105, 250:390]  # right of the first mobile: paper only
    assert int(binarize(paper.copy(), window=PAGE_WINDOW).sum()) == 0
