"""Signature places on 1-bit scans, where a pen is as black as everything else."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from conftest import DATA
from helpers.drawing import draw_signature
from tasksheet.extract.signature import detect_signature

TH = 29.0  # as its page measured
# where `readers.opinions` looked for the signature: the block's lower right, its label not read
PLACE = (741, 107, 1370, 265)


def _opinion_foot() -> np.ndarray:
    gray = cv2.imread(str(DATA / "bitonal-opinion-text-into-signature-place.png"),
                      cv2.IMREAD_GRAYSCALE)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


@pytest.mark.xfail(strict=True, reason="the edge rule that mended this (fab27ac) took a hand "
                   "written across a guessed place's top edge for cut feet: re-captured wp-06 "
                   "lost all three signatures in colour, grey and 1-bit; withdrawn")
def test_the_feet_of_an_opinions_last_line_are_no_signature() -> None:
    """Fresh seed 4107 doc-0019 p5, a 1-bit scan (the undertaking block as normalised): the
    block goes on to the next page, so no signature label is read here and the place is
    guessed as the block's lower right. Its top edge cuts the opinion's handwritten last
    line (`…任务书要求组织实施`); the cut feet, 0.7 of a line high, hung from the edge and
    were taken for a signature, and the missing_signature of the unsigned block was lost."""
    sig = detect_signature(_opinion_foot(), PLACE, text_height=TH, by_tone=False)
    assert (sig.signed, sig.bbox) == (False, None)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_hand_signing_below_the_cut_line_is_still_a_signature(seed: int) -> None:
    """The same place signed in its middle: the line's cut feet do not hide the hand."""
    image = _opinion_foot()
    x0, y0, x1, y1 = PLACE
    draw_signature(image, (x0 + 200, y0 + 50, x0 + 420, y0 + 140), (0, 0, 0),
                   np.random.default_rng(seed))
    assert detect_signature(image, PLACE, text_height=TH, by_tone=False).signed

