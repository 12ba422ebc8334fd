"""A seal on a grey scan found by its shape alone is a grey seal, not a black one: seed
9133 doc-0002 p5 (grey scan), the commissioning seal missed by the grey-ink search over the
whole page and found by its ring, was classed black, so the date under it was read with
the black ring blanked, which cut the `3` of 2018.6.3 off. Hue cannot tell there; the
ring's tone against the print's can."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from tasksheet.extract import seal as seal_mod
from tasksheet.extract.seal import find_seals, find_shape_seals, ring_is_grey

CROP = Path(__file__).resolve().parents[1] / "data" / "grey-seal-found-by-shape.jpg"
TH = 36.0  # the page's text height in the pipeline


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return cv2.imread(str(CROP), cv2.IMREAD_GRAYSCALE)


def _region(img: np.ndarray) -> tuple[int, int, int, int]:
    return (100, 100, img.shape[1] - 100, img.shape[0] - 100)


def test_shape_seal_on_grey_scan_is_grey(page: np.ndarray, monkeypatch) -> None:
    # as on the whole page: the grey-ink search misses it, the ring is found by its shape
    real = seal_mod.seals_in_mask
    monkeypatch.setattr(seal_mod, "seals_in_mask",
                        lambda mask, *a, **k: [] if a[2] == "grey" else real(mask, *a, **k))
    seals = find_seals(page, _region(page), TH)
    assert [(s.center, s.radius, s.color) for s in seals] == [((548, 302), 188, "grey")]


def test_ring_tone_against_print(page: np.ndarray) -> None:
    region = _region(page)
    (seal,) = find_shape_seals(page, region, TH)
    assert ring_is_grey(page, seal, region)
    # a 1-bit page (the same thresholded): ring and print both black
    bitonal = np.where(page < 0.7 * 230, 0, 255).astype(np.uint8)
    assert [s.color for s in find_seals(bitonal, region, TH)] == ["black"]
    # a black seal on a grey scan: its ring nearly as dark as the print
    dark = np.where(page < 0.7 * 230, page // 3, page).astype(np.uint8)
    (seal,) = find_shape_seals(dark, region, TH)
    assert not ring_is_grey(dark, seal, region)
