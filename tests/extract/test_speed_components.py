"""`extract.scale.components`: 16-bit labels where they fit, the same answer as 32-bit ones."""

from __future__ import annotations

import cv2
import numpy as np
from tasksheet.extract.scale import components
from tasksheet.extract.text_lines import estimate_text_height, find_text_lines


def _blobs(seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    img = np.zeros((600, 500), np.uint8)
    for _ in range(400):
        x, y = int(rng.integers(0, 480)), int(rng.integers(0, 580))
        w, h = int(rng.integers(1, 20)), int(rng.integers(1, 20))
        img[y:y + h, x:x + w] = 255
    return img


def test_components_match_32_bit_labels() -> None:
    img = _blobs()
    n, labels, stats, centroids = components(img)
    n32, labels32, stats32, centroids32 = cv2.connectedComponentsWithStats(img, connectivity=8)
    assert labels.dtype == np.uint16  # the cheaper labels were used
    assert n == n32
    assert np.array_equal(labels.astype(np.int32), labels32)
    assert np.array_equal(stats, stats32)
    assert np.allclose(centroids, centroids32)


def test_components_fall_back_past_16_bits() -> None:
    # 200 × 400 isolated dots: 80,000 components, more than 16-bit labels can count
    img = np.zeros((600, 1200), np.uint8)
    img[::3, ::3] = 255
    n, labels, stats, _ = components(img)
    assert n == 200 * 400 + 1
    assert labels.dtype == np.int32
    assert int(labels.max()) == 80_000
    assert (stats[1:, cv2.CC_STAT_AREA] == 1).all()


def test_components_four_connected() -> None:
    img = np.zeros((10, 10), np.uint8)
    img[2, 2] = img[3, 3] = 255  # diagonal neighbours: one blob at 8, two at 4
    assert components(img)[0] == 2
    assert components(img, connectivity=4)[0] == 3


def test_text_lines_unchanged_on_blobs() -> None:
    """The line finder's boxes and the text height on the same ink as before (16-bit labels
    give the same components)."""
    img = np.full((200, 800), 255, np.uint8)
    for row, y in enumerate((30, 110)):
        for x in range(20 + 15 * row, 700, 32):
            cv2.rectangle(img, (x, y), (x + 22, y + 24), 0, 2)
    assert find_text_lines(img) == [(20, 30, 716, 56), (35, 110, 699, 136)]
    assert estimate_text_height(255 - img) == 27.0
