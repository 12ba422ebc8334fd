"""Boxes looked for where their labels say (`box_in`), on pages from fresh generated sets:
an empty box read ticked from its own print, or from the label's first stroke."""

from __future__ import annotations

import cv2
import pytest
from conftest import DATA
from tasksheet.extract.checkbox import box_at, box_in
from tasksheet.extract.scale import PageScale


def _window(label_x: float, line: tuple[int, int], th: float) -> tuple[int, int, int, int]:
    """The window `extract.options.option_boxes` searches left of a label at `label_x`."""
    return (round(label_x - 2.3 * th), round(line[0] - 0.5 * th), round(label_x - 0.35 * th),
            round(line[1] + 0.5 * th))


def _read(name: str, scale: PageScale, label_x: float, line: tuple[int, int]):
    image = cv2.imread(str(DATA / name), cv2.IMREAD_COLOR)
    th = scale.text_height
    return box_in(image, _window(label_x, line, th), scale, expect_x=label_x - 1.1 * th)


PALE = PageScale(stroke=1.0, text_height=15.0, line_thickness=1.0)


@pytest.mark.parametrize(("label_x", "box"), [(53, (24, 40, 43, 60)), (232, (200, 40, 219, 59))],
                         ids=["财政拨款", "其他"])
def test_a_pale_thin_box_is_not_run_over(label_x: float, box: tuple) -> None:
    """Fresh seed 6311 doc-0005, a colour scan at 150 DPI (`checkbox-colour-pale-thin-boxes.png`):
    □财政拨款 □其他 printed pale and 1 px, both empty. At the cut, top and bottom measure
    3 px across, left and right 1 px: against the thinnest of the four both boxes read
    run over (ticked), a false checkbox_multiple. A side's own print is its parallel
    pair's."""
    found = _read("checkbox-colour-pale-thin-boxes.png", PALE, label_x, (41, 60))
    assert found is not None and not found.ticked
    image = cv2.imread(str(DATA / "checkbox-colour-pale-thin-boxes.png"), cv2.IMREAD_COLOR)
    assert not box_at(image, box, PALE).ticked


PHOTO = PageScale(stroke=4.0, text_height=23.0, line_thickness=3.0)


@pytest.mark.parametrize(("label_x", "line", "want"),
                         [(52, (29, 52), True), (214, (29, 52), False),
                          (51, (109, 132), True), (238, (109, 132), False)],
                         ids=["授权委托", "购买服务", "财政拨款", "其他"])
def test_a_small_box_under_a_glyph_sized_square(label_x: float, line: tuple, want: bool) -> None:
    """Fresh seed 6311 doc-0018, a phone photo (`checkbox-photo-small-boxes.png`): the face
    prints □ 13 px high, 0.57 of a glyph, beside a ☒ of a glyph's size. The 16 px square
    laid over the small □ held its blurred sides' inner edges (fill 0.06–0.11) and read
    ticked: 授权委托 and 购买服务 both ticked. Its snapped outline runs on to 购's stroke;
    squared from either end it is the box as drawn, and empty."""
    found = _read("checkbox-photo-small-boxes.png", PHOTO, label_x, line)
    assert found is not None and found.ticked is want


BITONAL = PageScale(stroke=4.0, text_height=29.0, line_thickness=4.0)


@pytest.mark.parametrize(("label_x", "want"), [(73, False), (353, True)], ids=["财政拨款", "其他"])
def test_a_box_snapped_on_to_its_labels_stem(label_x: float, want: bool) -> None:
    """Fresh seed 6311 doc-0015, 1-bit (`checkbox-bitonal-box-before-stem.png`): the empty
    □财政拨款's outline snapped on to 财's stem, 32 × 26, inside as empty as the square's,
    and its right side lay in 财's ink: run over, ticked beside ☒其他, a false
    checkbox_multiple. Of equally empty squares the one least run over is the box."""
    found = _read("checkbox-bitonal-box-before-stem.png", BITONAL, label_x, (30, 60))
    assert found is not None and found.ticked is want


def test_a_heavy_tick_over_a_pale_box_stays_ticked() -> None:
    """The re-captured wp-06, a phone photo (`checkbox-photo-heavy-tick-pale-box.png`): a
    heavy ✓ over □财政拨款's pale box. The emptier square found is laid over the box's
    right side and 财's first strokes, and is ticked only by its sides' ink: its right
    side is thicker than its left. Judged against the opposite side alone (not also the
    thinnest side), it read empty: a false checkbox_none."""
    scale = PageScale(stroke=5.0, text_height=20.0, line_thickness=4.0)  # as its page measured
    found = _read("checkbox-photo-heavy-tick-pale-box.png", scale, 62.0, (23, 48))
    assert found is not None and found.ticked


def test_a_pale_box_under_a_heavy_tick_is_not_a_square_in_the_tick() -> None:
    """The re-captured wp-06, a grey scan (`checkbox-grey-heavy-tick-pale-box.png`): □有
    printed pale (about 25 grey levels under the paper) under a heavy ✓. At the window's
    dark cut only the ✓ is ink, and the small-box search laid an 8 px square between its
    arms, read empty: coordinating.funding_support lost its tick (a false checkbox_none).
    At the paper's grain the 18 px box is seen, ticked; □无 beside it stays empty."""
    scale = PageScale(stroke=2.0, text_height=20.0, line_thickness=4.0)  # as its page measured
    image = cv2.imread(str(DATA / "checkbox-grey-heavy-tick-pale-box.png"), cv2.IMREAD_COLOR)
    th = scale.text_height
    have = box_in(image, _window(59.2, (41, 69), th), scale, expect_x=59.2 - 1.1 * th)
    assert have is not None and have.bbox == (30, 43, 48, 61) and have.ticked
    none = box_in(image, _window(362.1, (44, 63), th), scale, expect_x=362.1 - 1.1 * th)
    assert none is not None and not none.ticked
