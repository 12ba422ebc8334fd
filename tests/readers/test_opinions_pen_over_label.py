"""Section 五: a signature in blue pen written over its printed label."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from conftest import DATA
from helpers.saved import saved_opinions
from tasksheet.extract.ink import blue_mask
from tasksheet.ingest.document import Word

SCALE = (2.0, 27.0, 2.0)  # stroke, text height, line thickness as the whole page measured
# the block's text layer (born digital), in the crop's pixels
WORDS = [Word("项目承接单位:", (27, 37, 218, 67)), Word("同意。", (101, 75, 190, 106)),
         Word("法定代表人（签字）", (698, 363, 962, 394)), Word("（单位公章）", (727, 425, 903, 455)),
         Word("二O一八年七月二十二日", (718, 498, 1025, 528))]


def test_a_blue_signature_over_its_label_is_a_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fresh seed 4107 doc-0012 (born digital, flowing; `tests/data/opinions-pen-over-label.png`:
    the undertaking block). `余娜` is written across `法定代表人（签字）` itself: the place
    looked in began at the label's end (exact, from the text layer) and held only the
    name's last stroke, too small for a hand; the block read unsigned (a false
    missing_signature and copy_mismatch). The pen is blue, the label black: by colour the
    label's row holds a signature."""
    _, result = saved_opinions(monkeypatch, "opinions-pen-over-label.png", scale=SCALE,
                               dpi=200, colour=True, words=WORDS)
    got = result.readings["opinions.undertaking.signed"]
    assert got.value is True
    assert result.readings["opinions.undertaking.sealed"].value is True
    assert result.readings["opinions.undertaking.date"].value == "2018-07-22"


def test_a_black_label_alone_is_no_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same block with its blue ink set to paper: the label's black print, the red
    seal and the date are no signature."""
    image = cv2.imread(str(DATA / "opinions-pen-over-label.png"), cv2.IMREAD_COLOR)
    pen = cv2.dilate(blue_mask(image).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    image[pen] = 255
    monkeypatch.setattr("cv2.imread", lambda *a, **k: image.copy())
    _, result = saved_opinions(monkeypatch, "opinions-pen-over-label.png", scale=SCALE,
                               dpi=200, colour=True, words=WORDS)
    assert result.readings["opinions.undertaking.signed"].value is False
