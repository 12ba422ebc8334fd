"""Text lines without OCR: found, ruling lines ignored, in reading order, at any scale."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.text_lines import estimate_text_height, find_text_lines, to_ink

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def _page(size: int) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Grey page: a ruled two-cell row and three lines of text; glyphs `size` px high."""
    f = ImageFont.truetype(FONT, size)
    w, h = size * 40, size * 20
    im = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(im)
    d.rectangle([size, size, w - size, 4 * size], outline=0, width=max(size // 12, 1))
    d.line([(w // 2, size), (w // 2, 4 * size)], fill=0, width=max(size // 12, 1))
    starts = [(2 * size, 2 * size), (w // 2 + size, 2 * size), (2 * size, 7 * size),
              (2 * size, 10 * size)]
    texts = ["法定代表人", "项目负责人", "三方单位基本信息 二〇一八年", "一、共 同 条 款"]
    for (x, y), t in zip(starts, texts, strict=True):
        d.text((x, y), t, font=f, fill=0)
    return np.asarray(im), starts


@pytest.mark.parametrize("size", [16, 32, 64])
def test_lines_found_in_reading_order_at_any_scale(size: int) -> None:
    img, starts = _page(size)
    boxes = find_text_lines(img)
    assert len(boxes) == 4, boxes
    for (x, y), (x0, y0, _x1, y1) in zip(starts, boxes, strict=True):
        assert abs(x0 - x) <= size * 0.3 and y0 >= y - 1 and y1 <= y + size * 1.3
        assert 0.6 * size <= y1 - y0 <= 1.3 * size
    # the ruled cells did not become text: no box is as wide as the table
    assert max(b[2] - b[0] for b in boxes) < img.shape[1] * 0.7


def test_region_and_mask_input() -> None:
    img, starts = _page(24)
    ink = to_ink(img)
    assert set(np.unique(ink)) <= {0, 255}
    region = (0, 6 * 24, img.shape[1], img.shape[0])
    boxes = find_text_lines(ink > 0, region=region)
    assert len(boxes) == 2 and boxes[0][1] >= region[1]
    assert find_text_lines(ink, region=region) == boxes  # 0/255 mask, ink = minority


def test_text_height_is_a_glyph_not_a_radical() -> None:
    img, _ = _page(40)
    th = estimate_text_height(to_ink(img))
    assert 28 <= th <= 44


def test_blank_and_bgr() -> None:
    assert find_text_lines(np.full((50, 50), 255, np.uint8)) == []
    img, _ = _page(20)
    assert len(find_text_lines(cv2.cvtColor(img, cv2.COLOR_GRAY2BGR))) == 4


@pytest.mark.parametrize("kind", ["grey", "mask", "inverted", "bool"])
def test_a_region_finds_what_the_whole_page_cut_to_it_finds(kind: str) -> None:
    """A region of a mask is cut before it is converted (fast); the lines are the same as
    converting the whole page and cutting it, for every kind of input."""
    grey, _ = _page(32)
    mask = to_ink(grey)
    image = {"grey": grey, "mask": mask, "inverted": cv2.bitwise_not(mask),
             "bool": mask > 0}[kind]
    for region in [(0, 0, grey.shape[1], grey.shape[0]), (40, 40, 700, 140),
                   (600, 200, 1200, 380), (50, 50, 50, 90)]:
        whole = to_ink(image)[region[1]:region[3], region[0]:region[2]]
        want = [] if whole.size == 0 else find_text_lines(whole, text_height=32)
        want = [(a + region[0], b + region[1], c + region[0], d + region[1])
                for a, b, c, d in want]
        assert find_text_lines(image, text_height=32, region=region) == want
