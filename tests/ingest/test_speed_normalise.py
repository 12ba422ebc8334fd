"""The normaliser's cheaper computations (#20) give exactly what the plain ones gave.

The skew search samples ink points by position and scores each angle by a histogram of
rounded projections: the points found another way must come in the same order, and the
scores must be the same floats, or a skew (and so every pixel of the page) could move.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from tasksheet.ingest.normalize import (
    DEFAULT_COARSE_STEP,
    DEFAULT_FINE_STEP,
    DEFAULT_MAX_SKEW,
    _nonzero,
    _points,
    _sharpness,
    quarter_and_skew,
    refine_skew,
)


def _sharpness_reference(xs: np.ndarray, ys: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """The score as first written: a fresh projection per angle, `np.round`, `np.bincount`."""
    out = np.empty(angles.size)
    n = max(xs.size, 1)
    for i, a in enumerate(np.deg2rad(angles)):
        proj = ys * math.cos(a) - xs * math.sin(a)
        hist = np.bincount(np.round(proj - proj.min()).astype(np.int64))
        out[i] = float(np.dot(hist, hist)) / n
    return out


def _ink_page(seed: int, shape: tuple[int, int] = (700, 500), skew: float = 2.0) -> np.ndarray:
    """An ink mask (0/255) of skewed text-like bars and a few long rules."""
    rng = np.random.default_rng(seed)
    ink = np.zeros(shape, np.uint8)
    for y in range(40, shape[0] - 40, 24):
        x = 30
        while x < shape[1] - 60:
            w = int(rng.integers(6, 14))
            ink[y:y + 12, x:x + w] = 255
            x += w + int(rng.integers(3, 9))
    ink[100:103, 20:480] = 255
    ink[20:680, 250:252] = 255
    m = cv2.getRotationMatrix2D((shape[1] / 2, shape[0] / 2), skew, 1.0)
    return cv2.warpAffine(ink, m, shape[::-1], flags=cv2.INTER_NEAREST)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_nonzero_is_numpys_in_the_same_order(seed: int) -> None:
    ink = _ink_page(seed)
    for mask in (ink, np.rot90(ink, k=-1), ink[5:-7, 3:-11], ink[::2, ::3]):
        got, want = _nonzero(mask), np.nonzero(mask)
        assert all(np.array_equal(g, w) for g, w in zip(got, want, strict=True))


def test_nonzero_of_an_empty_or_other_mask() -> None:
    empty = np.zeros((30, 40), np.uint8)
    assert [a.size for a in _nonzero(empty)] == [0, 0]
    flags = _ink_page(3) > 0  # a bool mask takes numpy's own path
    assert all(np.array_equal(g, w) for g, w in zip(_nonzero(flags), np.nonzero(flags),
                                                    strict=True))


@pytest.mark.parametrize("limit", [500, 10**9])
def test_points_sample_the_same_pixels(limit: int) -> None:
    ink = _ink_page(4)
    ys, xs = np.nonzero(ink)
    if ys.size > limit:
        pick = np.random.default_rng(0).choice(ys.size, limit, replace=False)
        ys, xs = ys[pick], xs[pick]
    got_x, got_y = _points(ink, limit)
    assert np.array_equal(got_x, xs.astype(np.float64))
    assert np.array_equal(got_y, ys.astype(np.float64))


@pytest.mark.parametrize("seed", [0, 5, 6])
def test_sharpness_is_the_plain_score(seed: int) -> None:
    xs, ys = _points(_ink_page(seed, skew=-3.3))
    coarse = np.arange(-DEFAULT_MAX_SKEW, DEFAULT_MAX_SKEW + 1e-9, DEFAULT_COARSE_STEP)
    fine = np.arange(-4.0, -2.0 + 1e-9, DEFAULT_FINE_STEP)
    for angles in (coarse, fine):
        assert np.array_equal(_sharpness(xs, ys, angles), _sharpness_reference(xs, ys, angles))
    # points on a half-pixel grid project onto exact halves at 0°: rounding to even, as before
    hx, hy = np.array([0.0, 1.0, 2.0, 3.0]), np.array([0.5, 1.5, 2.5, 4.0])
    angles = np.array([0.0, 45.0])
    assert np.array_equal(_sharpness(hx, hy, angles), _sharpness_reference(hx, hy, angles))


def test_skew_search_finds_the_same_angles() -> None:
    """End to end on an ink page: the quarter turn, the coarse and the refined skew."""
    import tasksheet.ingest.normalize as normalize

    ink = _ink_page(7, skew=1.7)
    fast = quarter_and_skew(ink, 12.0, ink, 1.4)
    fast_fine = refine_skew(ink, fast[1])
    plain_sharpness, plain_nonzero = normalize._sharpness, normalize._nonzero
    try:
        normalize._sharpness, normalize._nonzero = _sharpness_reference, np.nonzero
        plain = quarter_and_skew(ink, 12.0, ink, 1.4)
        plain_fine = refine_skew(ink, plain[1])
    finally:
        normalize._sharpness, normalize._nonzero = plain_sharpness, plain_nonzero
    assert fast == plain and fast_fine == plain_fine


def _scan_like(seed: int, shape: tuple[int, ...]) -> np.ndarray:
    """A page of print, a red mark and a dark frame round it, every level somewhere."""
    rng = np.random.default_rng(seed)
    page = np.clip(rng.normal(225, 12, shape), 0, 255).astype(np.uint8)
    ink = _ink_page(seed, shape[:2], skew=0.8) > 0
    page[ink] = 20
    if len(shape) == 3:
        page[60:120, 300:360] = (40, 40, 210)
    page[:25], page[:, :18] = 30, 35
    return page


@pytest.mark.parametrize("shape", [(700, 500, 3), (700, 500)])
def test_paint_is_the_boolean_index(shape: tuple[int, ...]) -> None:
    from tasksheet.ingest.normalize import paint

    page = _scan_like(1, shape)
    mask = np.zeros(shape[:2], np.uint8)
    mask[:30], mask[:, :22], mask[400:410, 100:300] = 255, 255, 7  # any non-zero is the mask
    colour = np.array([231, 236, 241], np.uint8)
    want = page.copy()
    want[mask > 0] = colour if page.ndim == 3 else colour[0]
    got = paint(page.copy(), mask, colour)
    assert got.dtype == np.uint8 and np.array_equal(got, want)


def test_per_label_values_are_the_fancy_index() -> None:
    from tasksheet.extract.scale import components
    from tasksheet.ingest.normalize import _per_label, border_mask, glyphs_only

    ink = _ink_page(8)
    n, labels, stats, _ = components(ink)
    values = (np.arange(n) * 37 % 256).astype(np.uint8)
    assert np.array_equal(_per_label(values, labels), values[labels])
    grey = _scan_like(2, (700, 500))
    assert border_mask(grey).any()  # the frame is found, its blobs looked up
    kept = glyphs_only(ink, 12.0)
    big = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) > 1.6 * 12.0
    big[0] = True
    assert np.array_equal(kept, np.where(big, 0, 255).astype(np.uint8)[labels])


def _blur_sigma_reference(grey: np.ndarray, valid: np.ndarray | None = None) -> float:
    """`blur_sigma` as first written: float copies of the page throughout."""
    from tasksheet.ingest import photo

    g = grey.astype(np.float32)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    mag = cv2.magnitude(gx, gy)
    k = max(15, int(round(photo.DEFAULT_CONTRAST_WINDOW * max(grey.shape))) | 1)
    win = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    contrast = cv2.dilate(grey, win).astype(np.float32) - cv2.erode(grey, win)
    peak = mag >= cv2.dilate(mag, win)
    edges = peak & (contrast >= photo.DEFAULT_EDGE_CONTRAST) & (mag > 1.0)
    ok = np.ones(grey.shape, bool)
    if valid is not None:
        ok = cv2.erode(valid.astype(np.uint8), win) > 0
        edges &= ok
    if int(edges.sum()) < photo.DEFAULT_MIN_EDGES:
        if not ok.any():
            return 0.0
        paper = float(np.percentile(grey[ok], 90))
        inked = float((grey[ok] < paper - photo.DEFAULT_EDGE_CONTRAST / 2).mean())
        return math.inf if inked > photo.DEFAULT_BLURRED_INK else 0.0
    sig = contrast[edges] / (mag[edges] * math.sqrt(2 * math.pi))
    return float(np.percentile(sig, 25))


@pytest.mark.parametrize("blur", [0.0, 1.1, 2.6])
def test_blur_sigma_is_the_float_measure(blur: float) -> None:
    from tasksheet.ingest.photo import blur_sigma

    grey = _scan_like(3, (700, 500))
    if blur:
        grey = cv2.GaussianBlur(grey, (0, 0), blur)
    valid = np.ones(grey.shape, bool)
    valid[:40] = False
    for v in (None, valid):
        assert blur_sigma(grey, v) == _blur_sigma_reference(grey, v)
    blank = np.full((300, 200), 230, np.uint8)
    assert blur_sigma(blank) == _blur_sigma_reference(blank) == 0.0
    smeared = cv2.GaussianBlur(_scan_like(4, (300, 200)), (0, 0), 25)
    assert blur_sigma(smeared) == _blur_sigma_reference(smeared)
