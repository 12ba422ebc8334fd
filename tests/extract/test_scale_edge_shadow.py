"""Ruling thickness is not measured on a scanner's shadow at the page's edge."""

from __future__ import annotations

import numpy as np
from tasksheet.extract.scale import measure_scale


def _page(shadow: bool, ruling: bool = False) -> np.ndarray:
    """A 300-DPI page of glyphs (40 px tall, 4 px strokes), a ragged dark band along its
    foot (a scanner's shadow: each column 6-12 px deep) and, with `ruling`, one level
    ruling 2 px thick across the table."""
    rng = np.random.default_rng(7)
    h, w = 3500, 2480
    page = np.zeros((h, w), np.uint8)
    for y in range(400, 3000, 70):
        for x in range(300, 2100, 48):
            page[y:y + 40, x:x + 4] = 255
            page[y:y + 4, x:x + 36] = 255
            page[y + 36:y + 40, x:x + 36] = 255
    if ruling:
        page[3100:3102, 300:2200] = 255
    if shadow:
        depth = rng.integers(6, 13, size=w)
        for x in range(w):
            page[h - 40 - depth[x]:h - 40, x] = 255
    return page


def test_a_shadow_band_at_the_foot_is_no_ruling() -> None:
    """Seed 9133 doc-0019 p4: the rulings turned against the text hold no long run; the
    only long runs were the scanner's shadow at the page foot, and the page's rulings were
    measured 13 px thick (every cell's text trimmed by that, its labels lost). With no
    ruling measured, the thickness is the stroke's."""
    plain = measure_scale(_page(shadow=False))
    shaded = measure_scale(_page(shadow=True))
    assert shaded.line_thickness == plain.line_thickness == plain.stroke == 4.0


def test_a_ruling_is_measured_beside_a_shadow() -> None:
    assert measure_scale(_page(shadow=True, ruling=True)).line_thickness == 2.0
