"""Page scale: ink image, binarisation and measured sizes, at several resolutions."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from conftest import REAL
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.scale import PageScale, binarize, ink_gray, measure_scale

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def text_page(dpi: int) -> tuple[np.ndarray, float]:
    """A page of 10.5 pt Chinese text with a ruled table, and its nominal character size."""
    size = round(10.5 / 72 * dpi)
    img = Image.new("RGB", (int(8.27 * dpi / 2), int(4 * dpi)), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, size)
    for i in range(6):
        d.text(
            (size, size + i * 2 * size),
            "成都市科学技术协会项目任务书经费支持",
            fill="black",
            font=font,
        )
    lw = max(1, round(dpi / 100))
    y = 14 * size
    d.rectangle((size, y, 20 * size, y + 4 * size), outline="black", width=lw)
    d.line([(size, y + 2 * size), (20 * size, y + 2 * size)], fill="black", width=lw)
    return np.array(img)[:, :, ::-1].copy(), size


@pytest.mark.parametrize("dpi", [150, 300, 600])
def test_measure_scale_follows_resolution(dpi: int) -> None:
    page, size = text_page(dpi)
    s = measure_scale(binarize(ink_gray(page)))
    assert isinstance(s, PageScale)
    assert 0.75 * size <= s.text_height <= 1.1 * size
    assert 1 <= s.stroke <= size / 5
    assert abs(s.line_thickness - max(1, round(dpi / 100))) <= 1.5


def test_ink_gray_suppresses_red_keeps_blue() -> None:
    img = np.full((10, 30, 3), 255, np.uint8)
    img[:, :10] = (40, 40, 220)  # red seal (BGR)
    img[:, 10:20] = (160, 60, 40)  # blue pen
    img[:, 20:] = (20, 20, 20)  # black print
    g = ink_gray(img)
    assert g[0, 0] > 200 and g[0, 15] < 170 and g[0, 25] < 30
    assert ink_gray(g) is g  # grey passes through


def test_binarize_survives_uneven_light() -> None:
    ramp = np.tile(np.linspace(120, 250, 400).astype(np.uint8), (200, 1))
    img = ramp.copy()
    cv2.line(img, (20, 100), (380, 100), 0, 2)
    cv2.putText(img, "A", (300, 60), cv2.FONT_HERSHEY_SIMPLEX, 1, 20, 2)
    b = binarize(img)
    assert set(np.unique(b)) <= {0, 255}
    assert b[100, 30:370].all() and b[99:102, 50].any()
    paper = b.copy()
    paper[90:110] = 0
    paper[30:70, 290:330] = 0
    assert paper.mean() < 255 * 0.002  # the shaded paper is not ink


def test_real_scans_scale() -> None:
    if not REAL.is_dir():
        pytest.skip("../shared/real not present")
    img = cv2.imread(str(REAL / "settlement-sheet-two-seals.jpeg"), cv2.IMREAD_COLOR)
    s = measure_scale(binarize(ink_gray(img)))
    assert 18 <= s.text_height <= 30 and 1 <= s.stroke <= 4 and 1 <= s.line_thickness <= 6


def test_percentile_u8_is_numpys() -> None:
    from tasksheet.extract.scale import percentile_u8

    rng = np.random.default_rng(7)
    for n in (1, 2, 3, 10, 999, 5000):
        a = rng.integers(0, 256, n).astype(np.uint8)
        for q in (0, 1, 10, 25, 50, 75, 90, 99, 100, 33.3):
            assert percentile_u8(a, q) == float(np.percentile(a, q))
            assert percentile_u8(a // 64 * 64, q) == float(np.percentile(a // 64 * 64, q))
    assert percentile_u8(np.array([1.5, 2.5]), 50) == 2.0  # not uint8: numpy's


def test_binarize_is_zero_or_255_uint8() -> None:
    g = np.full((200, 300), 230, np.uint8)
    cv2.putText(g, "ink", (20, 120), cv2.FONT_HERSHEY_SIMPLEX, 2, 30, 4)
    b = binarize(g)
    assert b.dtype == np.uint8 and set(np.unique(b)) == {0, 255}
    assert b[g < 100].mean() > 0.9 * 255 and not b[:, :10].any()
