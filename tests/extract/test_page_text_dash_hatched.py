"""A lone "—" on a hatched ground (`extract.page_text.PageText.dash`).

Seed 6143 doc-0015 p3 (grey scan, a diagonal hatch over the page, as normalised: x 760-1130,
y 370-480): the project lead's Email cell holds a thin "—". The hatch's stripes are pale
runs under their paper all over the cell, each as long as a short dash: they were taken
for writing beside it, no dash was found and the cell read blank (a false blank_field).
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.page_text import PageText
from tasksheet.extract.scale import binarize

DATA = Path(__file__).resolve().parents[1] / "data"
CELL = (25, 25, 342, 87)  # the Email value's cell in the crop
WINDOW = 31  # binarize's window on the whole page (its short side, 1244 px, / 40)


def _text(grey: np.ndarray) -> PageText:
    return PageText(grey, binarize(grey, window=WINDOW), 21.0, 2.0, get_engine())


def test_a_dash_on_hatched_ground_is_found() -> None:
    grey = cv2.imread(str(DATA / "hatched-ground-dash.png"), cv2.IMREAD_GRAYSCALE)
    got = _text(grey).read([CELL])[0]
    assert (got.text, got.bbox) == ("—", (174, 52, 196, 55))


def test_the_hatch_alone_is_no_dash() -> None:
    """The dash painted over with the hatch beside it (its stripes run down-right, a row
    over each column): nothing is read."""
    grey = cv2.imread(str(DATA / "hatched-ground-dash.png"), cv2.IMREAD_GRAYSCALE)
    grey[48:60, 170:200] = grey[48 + 20:60 + 20, 170 + 20:200 + 20]
    assert _text(grey).read([CELL])[0].text == ""


def test_a_pale_dash_on_clean_paper_is_still_found() -> None:
    """On plain paper the ground's texture is nothing: a dash 20 grey levels under it."""
    grey = np.full((110, 370), 235, np.uint8)
    grey[52:55, 174:196] = 215
    assert _text(grey).read([CELL])[0].text == "—"
