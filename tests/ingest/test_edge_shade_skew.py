"""A shadow along the page's edge does not set the skew (`ingest.normalize.without_edge_shade`)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from helpers.synth import DPI, form_page, rule_angle
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest.document import RawPage
from tasksheet.ingest.normalize import normalise


def _shaded(angle: float, band: int, darkest: float) -> np.ndarray:
    """basic_info turned `angle`° on white paper, a lifted edge's shade along its foot: from
    paper at `band` px above the edge to `darkest` × paper at it (too pale for a border)."""
    page = form_page("basic_info")
    h, w = page.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    img = cv2.warpAffine(page, m, (w, h), borderValue=(255, 255, 255)).astype(np.float64)
    ramp = np.ones(h)
    ramp[h - band:] = np.linspace(1.0, darkest, band)
    img *= ramp[:, None, None]
    img += np.random.default_rng(3).normal(0, 4, img.shape)
    return np.clip(img * 0.9, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("angle", [3.0, -2.5])
def test_edge_shade_leaves_the_skew_to_the_print(angle: float) -> None:
    """Seed 7411 doc-0015 (grey, 150 DPI): a shade along the foot, 30 rows of it ink to
    Otsu, outweighed every ruling in the projection; the page, turned 3°, was left at 0°
    and its grid was not found (all of 一 blank)."""
    img = _shaded(angle, band=110, darkest=0.42)
    page = normalise(RawPage(index=3, source="s.tif", image=img, dpi=DPI), get_engine())
    assert abs(page.skew + angle) <= 0.3
    assert abs(rule_angle(page.image)) <= 0.3
