"""A small printed box under a heavy pen ✓, looked for where its label says (`box_in`)."""

from __future__ import annotations

import cv2
import pytest
from conftest import DATA
from tasksheet.extract.checkbox import box_in
from tasksheet.extract.scale import PageScale

# as seed 9721 doc-0018 p3 measured (a colour scan at 45 px text height)
SCAN = PageScale(stroke=3.0, text_height=45.0, line_thickness=1.0)


@pytest.mark.parametrize(("label_x", "line", "want"),
                         [(110.5, (26, 86), (73, 49, 95, 71)),
                          (385.8, (144, 196), (343, 163, 362, 182))],
                         ids=["有 (self funding)", "无 (policy support)"])
def test_a_heavy_tick_across_a_small_box_is_found_ticked(label_x: float, line: tuple,
                                                         want: tuple) -> None:
    """Seed 9721 doc-0018 p3 (`checkbox-scan-heavy-tick-small-box.png`: two label lines,
    the second 110 px down): the face prints □ 21 px high, under half a glyph, and an
    8 px ✓ runs across it and on over the label. A square that small was taken only
    thin-sided and a piece of ink of its own, which the ✓ joined to its strokes: no box
    was found (自筹经费 read unticked; 无 placed by its sibling 7 px off and read empty:
    two false findings). The pen, thicker than the print, inking its inside is the tick."""
    image = cv2.imread(str(DATA / "checkbox-scan-heavy-tick-small-box.png"), cv2.IMREAD_COLOR)
    th = SCAN.text_height
    window = (round(label_x - 2.3 * th), round(line[0] - 0.5 * th), round(label_x - 0.35 * th),
              round(line[1] + 0.5 * th))
    found = box_in(image, window, SCAN, expect_x=label_x - 1.1 * th)
    assert found is not None and found.ticked
    assert found.bbox == want


def test_the_empty_small_box_beside_it_stays_empty() -> None:
    """The same line's □有, 19 px and unticked, is still found, and empty."""
    image = cv2.imread(str(DATA / "checkbox-scan-heavy-tick-small-box.png"), cv2.IMREAD_COLOR)
    th = SCAN.text_height
    label_x, line = 113.3, (144, 196)
    window = (round(label_x - 2.3 * th), round(line[0] - 0.5 * th), round(label_x - 0.35 * th),
              round(line[1] + 0.5 * th))
    found = box_in(image, window, SCAN, expect_x=label_x - 1.1 * th)
    assert found is not None and not found.ticked
    assert found.bbox == (64, 161, 83, 180)


def test_at_150_dpi_the_glyph_sized_square_in_the_pen_is_kept() -> None:
    """The same page's □财政拨款 under its ✓, halved to 150 DPI
    (`checkbox-scan-heavy-tick-150dpi.png`): a 16 px square laid in the pen's ink is
    found first and reads ticked. The pen is looked for round a small box only where no
    such square was found: a 14 px one snapped beside the pen read empty."""
    image = cv2.imread(str(DATA / "checkbox-scan-heavy-tick-150dpi.png"), cv2.IMREAD_COLOR)
    scale = PageScale(stroke=1.5, text_height=22.5, line_thickness=1.0)
    th, label_x, line = 22.5, 60.375, (34, 58)
    window = (round(label_x - 2.3 * th), round(line[0] - 0.5 * th), round(label_x - 0.35 * th),
              round(line[1] + 0.5 * th))
    found = box_in(image, window, scale, expect_x=label_x - 1.1 * th)
    assert found is not None and found.ticked and found.bbox == (30, 37, 46, 53)
