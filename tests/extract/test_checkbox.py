"""Checkboxes: a real scanned form and generated lines with every tick style and look-alike."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from conftest import REAL
from helpers.drawing import FONTS, draw_line, iou
from tasksheet.extract.checkbox import CheckBox, find_checkboxes, is_ticked

STYLES = ["none", "glyph", "filled", "check", "cross"]
CASES = [
    # The sheet's own groups, each with one ticked box, next to box-shaped characters.
    (["[{0}]", "有，预算额度__20__万元   ", "[none]", "无"]),
    (["[none]", "有，预算额度____万元   ", "[{0}]", "无"]),
    (["[{0}]", "授权委托  ", "[none]", "购买服务  品口日国回田目"]),
    (["口径日期：", "[{0}]", "财政拨款      ", "[none]", "其他，国图"]),
]


@pytest.mark.parametrize("font", FONTS, ids=["uming", "zenhei"])
@pytest.mark.parametrize("dpi", [150, 300])
@pytest.mark.parametrize("style", STYLES)
def test_generated_lines_exact(font: str, dpi: int, style: str) -> None:
    for case in CASES:
        tokens = [t.format(style) for t in case]
        img, expected = draw_line(tokens, dpi, font)
        found = find_checkboxes(img)
        assert len(found) == len(expected), (tokens, found)
        for box, (want_box, want_tick) in zip(found, expected, strict=True):
            assert iou(box.bbox, want_box) >= 0.6, (tokens, box, want_box)
            assert box.ticked == want_tick, (tokens, box)
            assert 0.0 <= box.score <= 1.0
            assert is_ticked(img, want_box)[0] == want_tick


def test_empty_region_and_reading_order() -> None:
    img, expected = draw_line(["[none]", "有  ", "[cross]", "无"], 200, FONTS[1])
    assert find_checkboxes(img, region=(0, 0, 5, 5)) == []
    found = find_checkboxes(img, region=(0, 0, img.shape[1], img.shape[0]))
    assert [b.ticked for b in found] == [False, True]
    assert all(isinstance(b, CheckBox) for b in found)


def test_table_cell_and_underscores_are_not_boxes() -> None:
    img = np.full((300, 900, 3), 255, np.uint8)
    cv2.rectangle(img, (50, 50), (450, 120), (0, 0, 0), 2)  # a table cell
    cv2.rectangle(img, (450, 50), (850, 120), (0, 0, 0), 2)
    cv2.line(img, (100, 200), (700, 200), (0, 0, 0), 2)  # an underline
    cv2.putText(img, "Name", (60, 100), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    assert find_checkboxes(img) == []


def test_real_form_two_boxes() -> None:
    if not REAL.is_dir():
        pytest.skip("../shared/real not present")
    img = cv2.imread(str(REAL / "form-checkboxes-signatures.png"), cv2.IMREAD_COLOR)
    want = [((132, 693, 132 + 47, 693 + 36), False), ((132, 758, 132 + 45, 758 + 36), True)]
    found = find_checkboxes(img, region=(100, 650, 900, 820))
    assert len(found) == 2
    for box, (wbox, wtick) in zip(found, want, strict=True):
        assert iou(box.bbox, wbox) >= 0.6
        assert box.ticked == wtick
        assert is_ticked(img, wbox)[0] == wtick
        loose = (wbox[0] - 5, wbox[1] - 5, wbox[2] + 5, wbox[3] + 5)  # a template's rough box
        assert is_ticked(img, loose)[0] == wtick


@pytest.mark.parametrize("font", FONTS, ids=["uming", "zenhei"])
@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_heavy_tick_touching_next_character(font: str, dpi: int) -> None:
    """Box, tick and 购 form one blob; the box is still found, and ticked."""
    for tokens in (
        ["[none]", "授权委托      ", "[heavy]", "购买服务"],
        ["[heavy]", "公用经费      ", "[none]", "项目经费"],
    ):
        img, expected = draw_line(tokens, dpi, font)
        found = find_checkboxes(img)
        assert len(found) == len(expected), (tokens, found)
        for box, (want_box, want_tick) in zip(found, expected, strict=True):
            assert iou(box.bbox, want_box) >= 0.5, (tokens, box, want_box)
            assert box.ticked == want_tick, (tokens, box)


@pytest.mark.parametrize("dpi", [150, 300])
def test_look_alike_right_after_a_box_is_dropped(dpi: int) -> None:
    """A box-shaped blot right after a box (项's 页, a blotted 用) is part of the label."""
    img, expected = draw_line(["[none]", "    ", "[glyph]", "其他"], dpi, FONTS[0])
    (b0, _), (b1, _) = expected
    s = b0[2] - b0[0]
    # Put a look-alike (a ticked-box-like square) one stroke after the first box.
    x = b0[2] + max(2, s // 6)
    cv2.rectangle(img, (x, b0[1]), (x + s - 1, b0[3] - 1), (0, 0, 0), max(1, s // 9))
    cv2.line(
        img, (x + s // 4, b0[1] + s // 2), (x + s // 2, b0[3] - s // 5), (0, 0, 0), max(2, s // 8)
    )
    cv2.line(
        img,
        (x + s // 2, b0[3] - s // 5),
        (x + 3 * s // 4, b0[1] + s // 5),
        (0, 0, 0),
        max(2, s // 8),
    )
    found = find_checkboxes(img)
    assert [iou(b.bbox, w) >= 0.6 for b, (w, _) in zip(found, expected, strict=False)] == [
        True,
        True,
    ]
    assert len(found) == 2, found
    assert [b.ticked for b in found] == [False, True]


def test_inner_fill_leaves_out_a_side_caught_along_the_edge() -> None:
    """A square placed a pixel off holds the drawn side: not a tick; a tick or ■ still is."""
    from tasksheet.extract.checkbox import DEFAULT_TICK_FILL, _inner_fill

    inner = (0, 0, 20, 20)
    side = np.zeros((20, 20), np.uint8)
    side[1:19, 18:20] = 255  # the box's right side, two pixels wide, inside the interior
    assert _inner_fill(side, inner, 3) == 0.0
    tick = side.copy()
    for k in range(12):  # a ✓'s long stroke, crossing into the same edge
        tick[16 - k, 6 + k:8 + k] = 255
    assert _inner_fill(tick, inner, 3) >= DEFAULT_TICK_FILL
    full = np.full((20, 20), 255, np.uint8)  # ■: every column is ink, nothing is a lone side
    assert _inner_fill(full, inner, 3) == 1.0


@pytest.mark.parametrize("thick", [4, 6, 8])
def test_a_thick_cross_over_a_box_does_not_line_its_inside(thick: int) -> None:
    """A heavy × over a box inks the ring just inside its sides near the corners, where the
    strokes cross it; a character blurred into a blob inks the middle of every side. Fresh
    seed 829 doc-0009: a thick blue × over □其他 was taken for a blob, its ticked box
    dropped (a false checkbox_none)."""
    from tasksheet.extract.checkbox import _lined_inside

    gray = np.full((80, 80), 235, np.uint8)
    cv2.rectangle(gray, (25, 25), (54, 54), 30, 3)
    cv2.line(gray, (18, 20), (60, 58), 60, thick)
    cv2.line(gray, (60, 20), (18, 58), 60, thick)
    assert not _lined_inside(gray, (24, 24, 56, 56), 3.0)
    blob = np.full((80, 80), 235, np.uint8)
    cv2.rectangle(blob, (25, 25), (54, 54), 30, 3)
    cv2.rectangle(blob, (29, 29), (50, 50), 90, 3)  # a glyph's strokes blurred along the sides
    assert _lined_inside(blob, (24, 24, 56, 56), 3.0)
