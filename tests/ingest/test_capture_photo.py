"""Phone photos through ingest: the page found in the photo, its perspective undone, its
light evened out, every box mapped back onto the photo as captured; a blurred photo refused.

The photos are made by `samplegen.capture.photograph`, which returns the exact map from the
clean page to the photo, so where each box must land is known to the pixel.
"""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest
from helpers.synth import DPI, form_page, scan
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest.document import Page, RawPage
from tasksheet.ingest.normalize import normalise
from tasksheet.ingest.photo import (
    A4_ASPECT,
    find_page,
    flatten_light,
    is_perspective,
    page_geometry,
    paper_light,
    true_aspect,
)
from tasksheet.samplegen.capture import PhotoParams, photograph
from tasksheet.schemas.errors import DocumentError

# A page photographed from well off its axis, half of it under a shadow, light falling off.
STRONG = PhotoParams(frame=1.05, fill=0.86, pitch=22.0, yaw=9.0, roll=5.0, focal=0.9,
                     desk=(72, 48, 30), light=0.25, shadow=0.45, softness=0.02, blur=0.6,
                     noise=2.5, balance=(1.03, 1.0, 0.92), quality=90)


@pytest.fixture(scope="module")
def engine():
    return get_engine()


def _table_box(image: np.ndarray) -> tuple[int, int, int, int]:
    """The box of the largest piece of ink: the ruled table of a `form_page`."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    ink = (grey < 128).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    i = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_WIDTH] * stats[1:, cv2.CC_STAT_HEIGHT]))
    x, y, w, h = stats[i, :4]
    return int(x), int(y), int(x + w), int(y + h)


def _mapped_box(hom: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], float) @ hom.T
    pts = pts[:, :2] / pts[:, 2:3]
    return np.concatenate([pts.min(axis=0), pts.max(axis=0)])


def _photo(page_id: str = "basic_info", params: PhotoParams = STRONG, seed: int = 1,
           upside_down: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    clean = form_page(page_id)
    photo, hom = photograph(clean, params, np.random.default_rng(seed), upside_down=upside_down)
    return clean, photo, hom


def _similarity_residual(page: Page, hom: np.ndarray) -> tuple[float, float]:
    """Normalised page px → clean page px is a scale and a shift when the perspective is
    undone: (largest residual of that fit in clean px, x scale / y scale)."""
    h, w = page.image.shape[:2]
    ys, xs = np.mgrid[0:h:h // 12, 0:w:w // 9]
    pts = np.column_stack([xs.ravel(), ys.ravel(), np.ones(xs.size)]).astype(float)
    clean = pts @ (np.linalg.inv(hom) @ page.matrix).T
    clean = clean[:, :2] / clean[:, 2:3]
    fx = np.polyfit(pts[:, 0], clean[:, 0], 1)
    fy = np.polyfit(pts[:, 1], clean[:, 1], 1)
    res = np.hypot(np.polyval(fx, pts[:, 0]) - clean[:, 0], np.polyval(fy, pts[:, 1]) - clean[:, 1])
    return float(res.max()), float(fx[0] / fy[0])


def test_photo_with_strong_perspective_and_shadow_is_undone(engine) -> None:
    clean, photo, hom = _photo()
    # the capture really is hard: the page a trapezoid, part of it in shadow
    quad = find_page(photo)
    assert quad is not None and is_perspective(quad)
    light = paper_light(cv2.cvtColor(photo, cv2.COLOR_BGR2GRAY))
    inner = cv2.warpPerspective(np.ones(clean.shape[:2], np.uint8), hom,
                                (photo.shape[1], photo.shape[0])) > 0
    assert np.percentile(light[inner], 95) / np.percentile(light[inner], 5) > 1.4
    page = normalise(RawPage(index=1, source="p.jpg", image=photo, dpi=DPI), engine)
    assert page.matrix.shape == (3, 3) and page.rotation == 0 and abs(page.skew) < 0.5
    assert page.capture == "photo"
    assert page.image.shape[0] / page.image.shape[1] == pytest.approx(A4_ASPECT, rel=0.01)
    residual, anisotropy = _similarity_residual(page, hom)
    assert residual <= 2.0 and anisotropy == pytest.approx(1.0, abs=0.01)
    # the table's box on the page maps onto the table's box in the photo, to a few px
    want = _mapped_box(hom, _table_box(clean))
    got = np.array(page.to_scan(_table_box(page.image)))
    assert np.abs(got - want).max() <= 4
    # the light is even now: paper one brightness over the page, print still dark
    grey = cv2.cvtColor(page.image, cv2.COLOR_BGR2GRAY)
    paper = paper_light(grey)
    assert np.percentile(paper, 95) - np.percentile(paper, 5) <= 12
    assert (grey < 100).mean() > 0.01
    assert page.ocr_lines and max(line.score for line in page.ocr_lines) > 0.8
    # the page as scanned (what reports crop evidence from) is the photo's frame
    assert page.scan_image().shape == photo.shape


def test_upside_down_photo_is_turned_and_mapped_back(engine) -> None:
    clean, photo, hom = _photo("members", seed=3, upside_down=True)
    page = normalise(RawPage(index=2, source="p.jpg", image=photo, dpi=DPI), engine)
    assert page.rotation == 180
    residual, _ = _similarity_residual(page, hom)
    assert residual <= 2.0
    want = _mapped_box(hom, _table_box(clean))
    assert np.abs(np.array(page.to_scan(_table_box(page.image))) - want).max() <= 4


def test_true_proportions_from_perspective() -> None:
    """Foreshortening makes a tilted A4 page look squat; the vanishing points give its
    proportions back."""
    _, photo, hom = _photo()
    h, w = form_page("basic_info").shape[:2]
    corners = np.array([[0, 0, 1], [w - 1, 0, 1], [w - 1, h - 1, 1], [0, h - 1, 1]], float)
    quad = corners @ hom.T
    quad = quad[:, :2] / quad[:, 2:3]
    seen = np.linalg.norm(quad[3] - quad[0]) / np.linalg.norm(quad[1] - quad[0])
    assert abs(seen - h / w) > 0.1  # what the sides alone say is far off
    assert true_aspect(quad, (photo.shape[1], photo.shape[0])) == pytest.approx(h / w, rel=0.01)


@pytest.mark.parametrize("blur", [5.0, 12.0])
def test_blurred_photo_is_refused_with_a_reason(engine, blur: float) -> None:
    """Out of focus, and so far out that not even the page's outline is found: both fail
    the document with the reason (the normaliser's DocumentError)."""
    _, photo, _ = _photo(params=dataclasses.replace(STRONG, blur=blur), seed=5)
    with pytest.raises(DocumentError, match="p3.jpg: page 3 is too blurred to read"):
        normalise(RawPage(index=3, source="p3.jpg", image=photo, dpi=DPI), engine)


def test_slightly_soft_photo_is_read(engine) -> None:
    _, photo, _ = _photo(params=dataclasses.replace(STRONG, blur=1.2, shadow=0.0), seed=6)
    page = normalise(RawPage(index=1, source="p.jpg", image=photo, dpi=DPI), engine)
    assert page.matrix.shape == (3, 3) and page.ocr_lines


def test_flatbed_scan_is_not_taken_for_a_photo() -> None:
    """A skewed scan with a dark scanner border is a rectangle: the scan path takes it."""
    img = scan(form_page("basic_info"), angle=4.0, border=60)
    assert page_geometry(img) is None
    assert normalise(RawPage(index=1, source="s.jpg", image=img, dpi=DPI)).capture == "scan"
    # a scanner lid's shadow band along one edge is not a page edge either
    banded = img.copy()
    banded[:, -25:] = banded[:, -25:] // 6 + 18
    assert page_geometry(banded) is None


def test_flatten_light_keeps_ink_and_colour() -> None:
    h, w = 400, 300
    page = np.full((h, w, 3), 240, np.uint8)
    cv2.putText(page, "TEXT", (40, 120), cv2.FONT_HERSHEY_SIMPLEX, 2.0, (20, 20, 20), 6)
    cv2.circle(page, (150, 280), 60, (40, 40, 210), 5)  # a red ring (BGR)
    yy, xx = np.mgrid[0:h, 0:w]
    shade = np.where(xx < 150, 0.55, 1.0) * (1 - 0.3 * yy / h)
    shade = cv2.GaussianBlur(shade.astype(np.float32), (0, 0), 6)
    shot = (page * shade[..., None]).astype(np.uint8)
    flat = flatten_light(shot)
    paper = (page == 240).all(axis=2)
    assert np.ptp(flat[paper][:, 1]) <= 30 and abs(float(np.median(flat[paper])) - 245) <= 3
    assert (flat[60:125, 40:260].min(axis=2) < 80).sum() > 500  # the text: still black
    ring = flat[280, 90]  # left of the ring, in the shadow: still red
    assert ring[2] > 150 and ring[1] < 120 and ring[0] < 120
