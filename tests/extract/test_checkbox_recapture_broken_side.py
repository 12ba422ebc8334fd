"""A pale box a 1-bit scan broke into pieces: its own side is not a tick."""

from __future__ import annotations

import cv2
import numpy as np
from conftest import DATA
from tasksheet.extract.checkbox import _inner_fill, box_in
from tasksheet.extract.scale import PageScale

SCALE = PageScale(stroke=5.0, text_height=35.0, line_thickness=5.0)  # as its page measured


def test_a_broken_side_inside_the_square_is_not_a_tick() -> None:
    """The re-captured wp-02, 1-bit (`tests/data/checkbox-bitonal-broken-side.png`, the cell
    □公用经费 □项目经费 as normalised, both empty): □项目经费's pale right side survives at
    its two ends only. The square found there (a touch larger than the box, its right side
    on 项's first stroke) holds that side inside its edge; inked along half its height, it
    was not taken for a side and read as a tick (fill 0.056): a false 项目经费."""
    image = cv2.imread(str(DATA / "checkbox-bitonal-broken-side.png"), cv2.IMREAD_COLOR)
    th = SCALE.text_height
    label_x = 318.0  # 项's centre, as read
    window = (round(label_x - 2.3 * th), round(26 - 0.5 * th), round(label_x - 0.35 * th),
              round(59 + 0.5 * th))
    found = box_in(image, window, SCALE, expect_x=label_x - 1.1 * th)
    assert found is not None and not found.ticked, found


def test_a_tick_near_the_edge_is_not_a_side() -> None:
    """A ✓'s arm crossing the columns near the inside's edge in short runs stays ink."""
    inside = np.zeros((28, 28), np.uint8)
    for k in range(20):  # a slanted arm from the middle of the bottom to the top right
        inside[26 - k, 12 + k // 2 * 1 + k // 3: 15 + k // 2 + k // 3] = 255
    assert _inner_fill(inside, (0, 0, 28, 28), 6) == float((inside > 0).mean())
