"""A signature place whose foot cuts the next printed row: the glyphs' tops are no hand."""

from __future__ import annotations

import cv2
import numpy as np
from conftest import DATA
from tasksheet.extract.signature import detect_signature

# re-captured wp-05 (grey scan), commissioning's block: the place looked for round
# 负责人（签字）, its label and the opinion kept out, a grey seal found over both labels
PLACE = (75, 81, 514, 158)
EXCLUDE = [(145, 199, 348, 225), (98, 114, 250, 135), (-402, 36, -252, 46), (-348, 48, 45, 76)]
SEAL = [(132, 134, 122)]


def _page() -> np.ndarray:
    return cv2.imread(str(DATA / "signature-grey-seal-label-cut-at-foot.png"), cv2.IMREAD_COLOR)


def _read(image: np.ndarray):
    return detect_signature(image, PLACE, text_height=23.0, exclude=EXCLUDE, discs=SEAL,
                            by_tone=True)


def test_the_next_rows_glyph_tops_are_not_signed() -> None:
    """The place's foot, a text height under the label, runs through （单位公章） under
    the seal (its row not read). 单's top, 13 px of a 23 px text height and darker than the
    seal's ring, was kept as a pen's: signed where the sheet has no signature (a missed
    missing_signature). It stands on the foot and goes on past it: the top of a glyph below."""
    found = _read(_page())
    assert not found.signed and found.bbox == (121, 142, 148, 155)


def test_a_hand_reaching_past_the_foot_stays_signed() -> None:
    """A hand written in the place whose last stroke runs on past its foot rises far more
    than a glyph's height: still a signature."""
    image = _page()
    pts = np.array([(330, 100), (345, 150), (360, 105), (380, 152), (400, 98), (420, 150),
                    (440, 110), (470, 170)], np.int32)
    cv2.polylines(image, [pts], False, (40, 40, 40), 3, cv2.LINE_AA)
    found = _read(image)
    assert found.signed
