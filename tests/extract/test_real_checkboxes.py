"""Checkboxes on real scans (../shared/real/README.md) and pen ticks at office scan
resolutions (150–200 DPI): a tick across the outline or over the label, a printed ☑;
characters shaped like a box (合 由 全 时 周 at 13 px) are never boxes."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from helpers.real import real_scan
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.checkbox import CheckBox, find_checkboxes
from tasksheet.extract.options import Anchor, option_boxes
from tasksheet.extract.scale import PageScale
from tasksheet.samplegen.ink import hand_tick

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")



def _iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - ix * iy
    return ix * iy / union


# (x, y, w, h) on form-checkboxes-signatures.png (200 DPI) and whether ticked
FORM_BOXES = [((132, 693, 47, 36), False), ((132, 758, 45, 36), True)]


@pytest.mark.parametrize("scale", [1.0, 0.75], ids=["200dpi", "150dpi"])
def test_form_boxes_ticked_and_not(scale: float) -> None:
    image = real_scan("form-checkboxes-signatures.png")
    if scale != 1.0:
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    found = find_checkboxes(image)
    for (x, y, w, h), ticked in FORM_BOXES:
        want = tuple(round(v * scale) for v in (x, y, x + w, y + h))
        near = [b for b in found if _iou(b.bbox, want) >= 0.5]
        assert near and all(b.ticked == ticked for b in near), (want, near)


# the box-shaped characters of table-printed-ticks.jpg (x0, y0, x1, y1) and its printed ☑
TICKS_CHARACTERS = {"合": (270, 106, 290, 126), "由": (180, 328, 198, 346),
                    "全": (778, 350, 796, 368), "时": (835, 368, 855, 386),
                    "周": (760, 570, 782, 590)}
PRINTED_TICK = (673, 352, 685, 364)  # ☑drive safely (☑pick-up below it touches "(Check")


def test_printed_ticks_form_characters_are_not_boxes() -> None:
    found = find_checkboxes(real_scan("table-printed-ticks.jpg"))
    for char, box in TICKS_CHARACTERS.items():
        assert not [b for b in found if _iou(b.bbox, box) > 0.1], (char, found)
    # what is found is the printed ☑, ticked
    assert found and all(_iou(b.bbox, PRINTED_TICK) >= 0.5 and b.ticked for b in found), found


def _option(dpi: int, kind: str | None, seed: int, over_label: bool
            ) -> tuple[np.ndarray, tuple[int, int, int, int], float]:
    """`□公用经费` at `dpi`, the box ticked by a pen (`kind`: check / cross) drawn across
    its outline, or from the box over its label."""
    th = round(10.5 / 72 * dpi)
    img = Image.new("RGB", (th * 14, th * 4), "white")
    d = ImageDraw.Draw(img)
    box = round(0.85 * th)
    x0, y0 = th, int(1.5 * th)
    d.rectangle([x0, y0, x0 + box, y0 + box], outline=(20, 20, 20), width=max(1, round(dpi / 150)))
    d.text((x0 + box + th // 4, y0 - th * 0.05), "公用经费", fill=(20, 20, 20),
           font=ImageFont.truetype(str(FONT), th))
    if kind:
        w, h = (int(box * 2.6), int(box * 1.6)) if over_label else (int(box * 1.5),) * 2
        tick = hand_tick(kind, w, h, seed, (30, 40, 150), dpi / 25.4)
        img.paste(tick, (x0 - box // 4, y0 - (box // 2 if over_label else box // 4)), tick)
    arr = cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)
    ok, buf = cv2.imencode(".jpg", arr, [cv2.IMWRITE_JPEG_QUALITY, 75])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR), (x0, y0, x0 + box, y0 + box), th


@pytest.mark.parametrize("dpi", [150, 200])
@pytest.mark.parametrize("kind,over", [(None, False), ("check", False), ("cross", False),
                                       ("check", True), ("cross", True)],
                         ids=["empty", "check", "cross", "check-over-label", "cross-over-label"])
def test_pen_ticks_at_office_resolutions_placed_by_their_label(dpi: int, kind: str | None,
                                                               over: bool) -> None:
    """The box of an option found where its label says (the pipeline's way): every tick
    read, whether it crosses the outline or runs on over the label."""
    if not FONT.exists():
        pytest.skip(f"font {FONT} is absent")
    for seed in range(10):
        img, box, th = _option(dpi, kind, seed, over)
        scale = PageScale(stroke=max(1.0, dpi / 100), text_height=th, line_thickness=2)
        found = find_checkboxes(img, scale=scale)
        label = Anchor(box[2] + th // 4 + th / 2, (box[2] + th // 4, box[1], box[2] + 5 * th, box[3]))
        got = option_boxes(img, found, [label], scale)[0]
        assert isinstance(got, CheckBox), (seed, found)
        assert got.ticked == bool(kind), (seed, got)
        assert abs(got.bbox[0] - box[0]) < th / 3, (seed, got, box)
        # the page-wide pass never takes a character of the label for a box
        assert all(b.bbox[0] < box[2] for b in found), (seed, found)


def _ticks_scan_degraded(how: str) -> np.ndarray:
    """table-printed-ticks.jpg as an office might scan it: greyscale, or slightly soft
    (σ 0.45 px: 1 px at 200 DPI, this scan's 13 px text being ≈ 87 DPI)."""
    image = real_scan("table-printed-ticks.jpg")
    if how == "grey":
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return cv2.GaussianBlur(image, (0, 0), 0.45)


@pytest.mark.parametrize("how", ["grey", "soft"])
def test_printed_ticks_form_degraded_characters_are_not_boxes(how: str) -> None:
    """Soft or grey, small print binarises into square blobs (乘 海 号 电, 全's neighbour
    at 875,459) with four "sides": ink lines the inside of their sides, where a box has
    paper. What is found is still the printed ☑, ticked."""
    found = find_checkboxes(_ticks_scan_degraded(how))
    assert [(b.bbox, b.ticked) for b in found] == [(PRINTED_TICK, True)], found


def test_form_boxes_on_a_soft_scan() -> None:
    """Slightly soft (σ 1 px at 200 DPI), the ticked box's outline binarises to dots, which
    part it into pieces none of which is a box; with its dots closed it is one again."""
    image = cv2.GaussianBlur(real_scan("form-checkboxes-signatures.png"), (0, 0), 1.0)
    found = find_checkboxes(image)
    got = [[(b.bbox, b.ticked) for b in found if _iou(b.bbox, (x, y, x + w, y + h)) >= 0.5]
           for (x, y, w, h), _ in FORM_BOXES]
    assert got == [[((134, 693, 179, 728), False)], [((132, 757, 176, 793), True)]], got
