"""A scanner's streak joined to its border is no border (`ingest.normalize.border_mask`)."""

from __future__ import annotations

import cv2
import numpy as np
from helpers.synth import form_page
from tasksheet.ingest.normalize import border_mask


def _streaked_bordered(streak: int) -> tuple[np.ndarray, int, int]:
    """basic_info's grey page on a dark scanner bed along its bottom, a `streak`-px black
    line from its top to the bed through the table (a 1-bit scan's feeder streak)."""
    grey = cv2.cvtColor(form_page("basic_info"), cv2.COLOR_BGR2GRAY)
    grey = cv2.copyMakeBorder(grey, 0, 40, 0, 0, cv2.BORDER_CONSTANT, value=20)
    h = grey.shape[0]
    rows = np.flatnonzero((grey[: h - 40] < 128).mean(axis=1) > 0.5)  # the table's rulings
    x = int(np.flatnonzero(grey[rows[0]] < 128)[0]) + 150  # inside the table
    grey[:, x:x + streak] = 0
    return grey, x, int(rows[0])


def test_streak_to_the_bed_takes_no_rulings() -> None:
    """Re-captured wp-06 (1-bit): a full-height black streak joined the bed to every ruling
    it crossed, and the grid and its ticks were painted white as border (41 false
    findings). The bed is border; the streak, the rulings and what touches them are not."""
    for streak in (1, 2):
        grey, x, top = _streaked_bordered(streak)
        mask = border_mask(grey)
        h = grey.shape[0]
        assert mask[h - 40:].all()
        assert not mask[top - 5:h - 200].any()  # the rulings, the glyphs, the streak between


def test_border_still_eats_the_paper_edge_with_a_streak() -> None:
    """A bed round the whole sheet stays border with a streak running into it."""
    grey = cv2.cvtColor(form_page("basic_info"), cv2.COLOR_BGR2GRAY)
    grey = cv2.copyMakeBorder(grey, 30, 30, 30, 30, cv2.BORDER_CONSTANT, value=20)
    grey[:, 400:401] = 0
    mask = border_mask(grey)
    assert mask[:30].all() and mask[-30:].all() and mask[:, :30].all() and mask[:, -30:].all()
    assert not mask[100:-100, 100:-100].any()
