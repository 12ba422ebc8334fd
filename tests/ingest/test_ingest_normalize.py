"""Normalising scans: quarter turns, upside down, skew ≤ 0.3°, dark borders, the transform."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from helpers.synth import DPI, form_page, rule_angle, scan
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest.document import RawPage
from tasksheet.ingest.normalize import border_mask, normalise, text_boxes

CASES = [  # (form page, skew applied counter-clockwise, quarter turn clockwise)
    ("basic_info", 5.0, 0),
    ("members", -8.0, 180),
    ("clauses", 3.0, 90),
    ("opinions", -2.5, 270),
    ("instructions", 7.3, 0),
    ("cover", 0.7, 180),
]


@pytest.fixture(scope="module")
def engine():
    return get_engine()


@pytest.mark.parametrize(("page_id", "angle", "quarter"), CASES)
def test_upright_and_straight(engine, page_id: str, angle: float, quarter: int) -> None:
    img = scan(form_page(page_id), angle=angle, quarter=quarter, seed=len(page_id))
    page = normalise(RawPage(index=1, source="x.jpg", image=img, dpi=DPI), engine)
    assert page.rotation == (360 - quarter) % 360
    assert abs(page.skew + angle) <= 0.3  # the skew removed is the one applied
    assert abs(rule_angle(page.image)) <= 0.3  # and the table's rules are level now
    # upright: the heading is at the top left, where the clean page has it
    grey = cv2.cvtColor(page.image, cv2.COLOR_BGR2GRAY)
    top = grey[: grey.shape[0] // 8]
    assert (top < 100).sum() > 200 and (grey[-grey.shape[0] // 8:] < 100).sum() < (top < 100).sum()
    assert page.image.shape[0] > page.image.shape[1]  # portrait
    assert page.ocr_lines or page.rotation in (90, 180, 270)


def test_dark_border_cropped_and_mapped_back(engine) -> None:
    clean = form_page("content")
    img = scan(clean, angle=4.0, border=60)
    page = normalise(RawPage(index=1, source="x.jpg", image=img, dpi=DPI), engine)
    grey = cv2.cvtColor(page.image, cv2.COLOR_BGR2GRAY)
    # no dark scanner background left along the edges
    edges = np.concatenate([grey[:3].ravel(), grey[-3:].ravel(), grey[:, :3].ravel(),
                            grey[:, -3:].ravel()])
    assert (edges < 100).mean() < 0.01
    assert abs(page.image.shape[0] - clean.shape[0]) < 0.03 * clean.shape[0]
    # a box on the normalised page maps onto the same ink in the scan
    boxes = [line.bbox for line in page.ocr_lines]
    assert boxes
    x0, y0, x1, y1 = boxes[0]
    sx0, sy0, sx1, sy1 = page.to_scan(boxes[0])
    assert 0 <= sx0 < sx1 <= img.shape[1] and 0 <= sy0 < sy1 <= img.shape[0]
    centre = page.matrix @ np.array([(x0 + x1) / 2, (y0 + y1) / 2, 1.0])
    assert sx0 <= centre[0] <= sx1 and sy0 <= centre[1] <= sy1
    scan_ink = (cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)[sy0:sy1, sx0:sx1] < 100).mean()
    assert scan_ink > 0.05
    assert page.info().width == img.shape[1] and page.info().skew == pytest.approx(-4.0, abs=0.3)


def test_border_mask_spares_text_and_rules() -> None:
    grey = cv2.cvtColor(form_page("basic_info"), cv2.COLOR_BGR2GRAY)
    assert not border_mask(grey).any()
    bordered = cv2.copyMakeBorder(grey, 30, 30, 30, 30, cv2.BORDER_CONSTANT, value=20)
    mask = border_mask(bordered)
    assert mask[:30].all() and not mask[100:-100, 100:-100].any()


def test_born_digital_page_kept_as_is(engine) -> None:
    img = form_page("cover")
    page = normalise(RawPage(index=2, source="d.pdf", image=img, dpi=200, born_digital=True,
                             words=[]), engine)
    assert page.image is img and page.rotation == 0 and page.skew == 0
    assert page.to_scan((10, 20, 30, 40)) == (10, 20, 30, 40)


class _CountingEngine:
    """The real engine, counting the crops it is asked to read."""

    def __init__(self, engine) -> None:
        self.engine, self.calls = engine, []

    def recognize(self, crops):
        self.calls.append(len(crops))
        return self.engine.recognize(crops)


def test_upright_page_is_not_read_turned_over(engine) -> None:
    spy = _CountingEngine(engine)
    img = scan(form_page("members"), angle=1.0, seed=3)
    page = normalise(RawPage(index=1, source="x.jpg", image=img, dpi=DPI), spy)
    assert page.rotation == 0 and len(spy.calls) == 1  # read upright only, once
    assert page.ocr_lines and page.text_boxes  # kept for classification


def test_nearly_blank_shaded_page_stays_portrait(engine) -> None:
    # a section's overflow: one small table on paper shaded unevenly (Otsu splits the shading)
    clean = form_page("basic_info")
    clean[400:] = 255
    h, w = clean.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    shade = 205 + 45 * np.cos(xx / w * 6.0) * np.cos(yy / h * 4.0)
    img = np.minimum(clean.astype(float), shade[:, :, None]).astype(np.uint8)
    page = normalise(RawPage(index=1, source="x.jpg", image=scan(img, angle=1.0, border=0),
                            dpi=DPI), engine)
    assert page.rotation == 0 and abs(page.skew + 1.0) <= 0.5
    assert page.image.shape[0] > page.image.shape[1]


def test_last_block_under_a_grey_seal_has_its_lines(engine) -> None:
    """A grey scan's last page: 五's last block (signature label, seal label, date) under a
    grey seal as dark as ink in every channel. Its lines are found (the seal set aside), so
    the page is not taken for a blank one outside the form."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (int(8.27 * DPI), int(11.69 * DPI)), 236)
    d = ImageDraw.Draw(img)
    th = round(10.5 / 72 * DPI)
    font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", th)
    x, y = int(4.2 * DPI), int(1.2 * DPI)
    for k, text in enumerate(["负责人（签字）", "（单位公章）", "2018 年 7 月 17 日"]):
        d.text((x + k * th // 2, y + k * 2 * th), text, fill=25, font=font)
    cx, cy, r = x + 3 * th, y + 2 * th, int(0.8 * DPI)  # the seal over all three lines
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=140, width=round(0.06 * DPI))
    d.regular_polygon((cx, cy, r // 3), 5, fill=140)
    for a in range(200, 340, 20):  # the arc text's glyphs, as dark blobs on the ring
        t = np.deg2rad(a)
        d.text((cx + 0.75 * r * np.cos(t) - th / 2, cy + 0.75 * r * np.sin(t) - th / 2), "会",
               fill=140, font=font)
    d.rectangle((int(0.6 * DPI), int(0.5 * DPI), int(7.7 * DPI), int(2.5 * DPI)),
                outline=25, width=3)
    image = cv2.cvtColor(np.array(img), cv2.COLOR_GRAY2BGR)
    page = normalise(RawPage(index=6, source="g.tif", image=image, dpi=DPI), engine)
    lines = text_boxes(page)
    assert len(lines) >= 3
    labels = [b for b in lines if b[1] >= y - th and b[3] <= y + 6 * th]
    assert len(labels) >= 3


def test_print_grey_is_the_brightest_channel() -> None:
    """The fast path (HSV's V) gives exactly the per-pixel maximum of B, G and R."""
    from tasksheet.ingest.normalize import print_grey

    rng = np.random.default_rng(7)
    image = rng.integers(0, 256, (37, 53, 3), dtype=np.uint8)
    assert np.array_equal(print_grey(image), image.max(axis=2))
    assert np.array_equal(print_grey(image[:, :, 1]), image[:, :, 1])


@pytest.mark.parametrize(("page_id", "angle", "quarter"), [c for c in CASES if c[2] in (0, 180)])
def test_orientation_read_once_with_the_template(engine, page_id: str, angle: float,
                                                 quarter: int) -> None:
    """With the form's template the orientation check reads the page's outline as the
    readers will (kept on the page: nothing read twice), and still turns an upside-down
    page (whose lines are then found again on the turned page)."""
    from tasksheet.schemas.template import load_template

    img = scan(form_page(page_id), angle=angle, quarter=quarter, seed=len(page_id))
    page = normalise(RawPage(index=1, source="x.jpg", image=img, dpi=DPI), engine,
                     load_template())
    assert page.rotation == (360 - quarter) % 360 and abs(page.skew + angle) <= 0.3
    if quarter == 0:
        assert page.ocr_lines and page.measured is not None and page.measured[0] is page.image
        cache = page.measured[1].text._read_cache
        assert all(line.bbox in cache for line in page.ocr_lines)
    else:
        assert page.measured is None and page.ocr_lines == []
