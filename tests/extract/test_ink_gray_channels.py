"""`ink_gray` is max(B, G, R) of every pixel, whatever the layout it is given: it was HSV's V
(the same values), now two in-place maxima of the split planes, at half the cost."""

from __future__ import annotations

import cv2
import numpy as np
from tasksheet.extract.scale import ink_gray


def _hsv_v(image: np.ndarray) -> np.ndarray:
    return cv2.extractChannel(cv2.cvtColor(np.ascontiguousarray(image[:, :, :3]),
                                           cv2.COLOR_BGR2HSV_FULL), 2)


def test_ink_gray_is_the_channel_maximum() -> None:
    rng = np.random.default_rng(7)
    page = rng.integers(0, 256, (61, 47, 3), dtype=np.uint8)
    before = page.copy()
    got = ink_gray(page)
    assert got.dtype == np.uint8 and got.shape == (61, 47)
    assert np.array_equal(got, page.max(axis=2))
    assert np.array_equal(got, _hsv_v(page))
    assert np.array_equal(page, before)  # the maxima are taken in a plane of its own


def test_ink_gray_of_a_view_and_of_four_channels() -> None:
    rng = np.random.default_rng(8)
    big = rng.integers(0, 256, (40, 50, 4), dtype=np.uint8)
    assert np.array_equal(ink_gray(big), big[:, :, :3].max(axis=2))  # alpha is not ink
    view = big[3:30:2, 5:45, :3]
    assert np.array_equal(ink_gray(view), view.max(axis=2))


def test_ink_gray_passes_grey_through() -> None:
    grey = np.full((4, 5), 9, np.uint8)
    assert ink_gray(grey) is grey


def test_ink_gray_of_a_cut_is_the_cut_of_ink_gray() -> None:
    """`checkbox._prepare` cuts the region first and turns it grey after: per-pixel, so the
    same values; an empty cut (a region past the page's edge) is an empty grey."""
    from tasksheet.extract.checkbox import _prepare

    img = (np.random.default_rng(1).random((50, 60, 3)) * 255).astype(np.uint8)
    cut, x0, y0 = _prepare(img, (7, 5, 33, 40))
    assert (x0, y0) == (7, 5) and np.array_equal(cut, ink_gray(img)[5:40, 7:33])
    assert _prepare(img, (70, 5, 90, 40))[0].shape == (35, 0)
