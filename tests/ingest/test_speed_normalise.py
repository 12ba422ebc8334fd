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
