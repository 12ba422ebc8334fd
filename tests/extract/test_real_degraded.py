"""The real scans (../shared/real/README.md) degraded as an office would scan them (grey,
soft, JPEG, turned 1–2°, older yellower paper, a lower resolution): each detector gives
the same answer as on the scan itself. The cases it does not yet are marked (strict
xfail, with the cause as found), so a fix shows up and a regression fails.

The whole grid of variants × detectors is run by the robustness harness (#17); these are
its cases worth keeping, a few seconds in all.
"""

from __future__ import annotations

import pytest
from helpers.real import degraded, real_scan
from tasksheet.extract.checkbox import find_checkboxes
from tasksheet.extract.grid import find_grids
from tasksheet.extract.seal import SHAPES, find_seals


def _iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - ix * iy
    return ix * iy / union


KNOWN = pytest.mark.xfail(strict=True)


@pytest.mark.parametrize("how", ["yellow", "jpeg:30", "scale:0.75", "turn:-2"])
def test_settlement_seals_degraded(how: str) -> None:
    image = degraded(real_scan("settlement-sheet-two-seals.jpeg"), how)
    h, w = image.shape[:2]
    seals = sorted(find_seals(image, shapes=SHAPES), key=lambda s: s.center[0])
    assert [s.shape for s in seals] == ["round", "round"], seals
    assert all(s.center[1] > 2 * h / 3 for s in seals)
    assert seals[0].center[0] < w / 2 < seals[1].center[0]


@pytest.mark.parametrize("name,how,count", [
    ("seal-crop.png", "yellow", 1), ("seal-crop.png", "jpeg:30", 1),
    ("seal-certificate-photo.jpg", "yellow", 1), ("seal-certificate-photo.jpg", "scale:0.5", 1),
    ("no-seal-red-pen-circles.png", "yellow", 0), ("no-seal-red-pen-circles.png", "jpeg:30", 0),
    ("no-seal-screenshot.png", "jpeg:30", 0),
    ("seal-certificate-photo.jpg", "turn:1.5", 1),  # not a ring fitted in the brown desk
])
def test_seal_count_degraded(name: str, how: str, count: int) -> None:
    assert len(find_seals(degraded(real_scan(name), how), shapes=SHAPES)) == count


@pytest.mark.parametrize("name,how,cells", [
    ("table-customs-declaration.jpg", "jpeg:30", [35]),
    ("table-customs-declaration.jpg", "turn:-2", [35]),
    ("table-customs-declaration.jpg", "yellow", [35]),
    ("table-printed-ticks.jpg", "jpeg:30", [23]),
    ("table-printed-ticks.jpg", "turn:1.5", [23]),
    ("table-printed-ticks.jpg", "yellow", [23]),
    ("no-seal-red-pen-circles.png", "yellow", [64]),
    ("settlement-sheet-two-seals.jpeg", "scale:0.75", [155]),
    # a grey seal ring's near-vertical side, mid-grey, binarised as ink: a short vertical
    # stopping mid-row at both ends, with no coloured ink to hide a ruling's end there
    ("settlement-sheet-two-seals.jpeg", "grey", [155]),
    # the edge of a pixelated block over the right seal spans one row: a step, not a line
    ("settlement-sheet-two-seals.jpeg", "jpeg:30", [155]),
    # a descender above a ruling and a stem below it, joined through it, end on paper
    ("table-dark-photo.png", "jpeg:30", [95]),
    ("no-seal-red-pen-circles.png", "turn:1.5", [64]),
    # the faint rulings of a 60-DPI phone scan on yellowed paper: every level multiplied
    # down, the ruling's gap to its paper too (faint_ink's margin is relative to the paper)
    ("seal-contract-phone-scan.jpg", "yellow", [57, 8]),
    pytest.param("table-dark-photo.png", "jpeg:40", [95], marks=KNOWN,
                 id="dark-photo-jpeg40: the white-on-black header's fill split by a row"),
    pytest.param("settlement-sheet-two-seals.jpeg", "soft:1", [155], marks=KNOWN,
                 id="settlement-soft: （不含税）'s bracket on a column's line bridged to it"),
])
def test_grid_cells_degraded(name: str, how: str, cells: list[int]) -> None:
    image = degraded(real_scan(name), how)
    assert [len(g.cells) for g in find_grids(image)] == cells


FORM_BOXES = [((132, 693, 179, 729), False), ((132, 758, 177, 794), True)]


@pytest.mark.parametrize("how", ["yellow", "jpeg:30", "soft:1.0"])
def test_form_boxes_degraded(how: str) -> None:
    found = find_checkboxes(degraded(real_scan("form-checkboxes-signatures.png"), how))
    for box, ticked in FORM_BOXES:
        near = [b for b in found if _iou(b.bbox, box) >= 0.5]
        assert near and all(b.ticked == ticked for b in near), (box, near)


def test_form_boxes_at_150_dpi_as_jpeg() -> None:
    image = degraded(degraded(real_scan("form-checkboxes-signatures.png"), "scale:0.75"), "jpeg:40")
    found = find_checkboxes(image)
    for box, ticked in FORM_BOXES:
        want = tuple(round(v * 0.75) for v in box)
        near = [b for b in found if _iou(b.bbox, want) >= 0.5]
        assert near and all(b.ticked == ticked for b in near), (want, near)


PRINTED_TICKS = [(673, 352, 685, 364), (673, 371, 685, 383)]  # ☑drive safely, ☑pick-up


@pytest.mark.parametrize("how", [
    "yellow", "grey", "soft:0.45", "jpeg:30",
    pytest.param("jpeg:40", marks=KNOWN, id="jpeg40: 电 and 话 blurred together, a ticked box"),
])
def test_printed_ticks_degraded_no_character_is_a_box(how: str) -> None:
    found = find_checkboxes(degraded(real_scan("table-printed-ticks.jpg"), how))
    assert found and all(max(_iou(b.bbox, t) for t in PRINTED_TICKS) >= 0.5 and b.ticked
                         for b in found), found



def test_printed_ticks_jpeg40_men_is_no_box() -> None:
    """门 is three sides of a box; at JPEG 40 its strokes pass for an outline with a side
    lost. A side the strokes lack must still be a line on the grey page (a ruling the box
    was drawn against, a faint side); 门's open bottom is paper."""
    found = find_checkboxes(degraded(real_scan("table-printed-ticks.jpg"), "jpeg:40"))
    assert not [b for b in found if _iou(b.bbox, (113, 116, 125, 128)) > 0.1], found
