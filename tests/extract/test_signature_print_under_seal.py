"""A typed name in a 签字 place under a red seal: the print under the red is kept, and a
soft scan's blurred glyphs are judged on their cores."""

from __future__ import annotations

import cv2
import numpy as np
from conftest import DATA
from tasksheet.extract.ink import dark_in_every_channel
from tasksheet.extract.signature import detect_signature, pen_ink_mask


def _stamped() -> np.ndarray:
    """Paper (230, 227, 220 BGR), a black bar 4 px thick, and a red seal's ink laid over
    its right half and below it (multiplied, as ink on ink)."""
    page = np.empty((60, 120, 3), np.uint8)
    page[:] = (220, 227, 230)
    page[20:24, 10:110] = (60, 60, 60)
    red = np.ones((60, 120, 3), np.float32)
    red[10:50, 60:115] = (115 / 220, 115 / 227, 205 / 230)  # the star's tone on this paper
    return (page.astype(np.float32) * red).round().astype(np.uint8)


def test_black_print_under_red_ink_is_dark_in_every_channel() -> None:
    """The bar under the red multiplies to about (31, 30, 53): dark in every channel; the
    red alone (115, 115, 205) is bright in red; the paper in none."""
    mask = dark_in_every_channel(_stamped())
    assert mask[20:24, 10:110].all()
    assert not mask[30:50, 60:115].any()
    assert int(mask.sum()) == 400


def test_the_pen_ink_mask_keeps_print_under_a_seal() -> None:
    """Removing red ink (and a 5 px rim round it) took the bar's right half with it: 240
    of its 400 pixels were lost. Now only the seal's ink goes."""
    mask = pen_ink_mask(_stamped())
    assert mask[20:24, 10:110].all()
    assert not mask[30:50, 60:115].any()


def test_a_typed_name_under_a_seals_star_is_print() -> None:
    """Seed 9857 doc-0009 (colour scan, 25 px text height,
    `signature-typed-name-under-seal-star.png`): 董荣 typed in 协调单位's 负责人（签字）
    place, 荣 running under the seal's star. At the ink mask's bar the soft scan blurs
    董 into a blob joined to 荣 at the top: one "glyph" leaning 0.2, a hand; the missing
    signature was missed. Its strokes' dark cores are two upright glyphs on one line."""
    image = cv2.imread(str(DATA / "signature-typed-name-under-seal-star.png"), cv2.IMREAD_COLOR)
    got = detect_signature(image, (40, 20, 419, 101), 25.0)
    assert (got.signed, got.printed, got.bbox) == (False, True, (78, 48, 132, 75))
