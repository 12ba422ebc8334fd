"""Checkbox options placed by their printed labels (`extract/options.py`), through real OCR."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers.drawing import FONTS, draw_line, iou
from tasksheet.extract.checkbox import box_in, find_checkboxes
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.options import Anchor, label_anchors, option_boxes
from tasksheet.extract.page_text import PageText
from tasksheet.extract.scale import binarize, ink_gray, measure_scale


def test_label_anchors_in_order_skipping_marks_and_lookalikes() -> None:
    line = (0, 0, 400, 30)
    chars = [("☑", 10, line), ("有", 30, line), ("，", 50, line), ("预", 70, line),
             ("额", 90, line), ("万", 150, line), ("元", 170, line), ("□", 210, line),
             ("无", 230, line)]
    assert label_anchors(chars, ["有", "无"]) == [Anchor(30, line), Anchor(230, line)]
    # a misread first character of a longer label still places it; a lone char must match
    chars = [("公", 20, line), ("用", 40, line), ("经", 60, line), ("费", 80, line),
             ("顶", 150, line), ("目", 170, line), ("经", 190, line), ("费", 210, line)]
    assert label_anchors(chars, ["公用经费", "项目经费"]) == [Anchor(20, line), Anchor(150, line)]
    assert label_anchors(chars, ["有", "无"]) == [None, None]



def test_a_label_not_read_is_placed_by_the_words_printed_after_it() -> None:
    """A heavy × over 有's box runs over 有 too (seed 241 doc-0015, 1-bit): the option's
    printed `，预算额度` still reads, its pitch puts 有 two characters before 预."""
    line = (0, 0, 400, 30)
    chars = [("，", 50, line), ("预", 70, line), ("算", 90, line), ("额", 110, line),
             ("度", 130, line), ("5", 160, line), ("万", 190, line), ("元", 210, line),
             ("□", 250, line), ("无", 270, line)]
    printed = ["有，预算额度____万元", None]
    assert label_anchors(chars, ["有", "无"], printed) == [Anchor(30, line), Anchor(270, line)]
    assert label_anchors(chars, ["有", "无"]) == [None, Anchor(270, line)]
    # the tail must be read whole: two of its characters are not enough
    assert label_anchors(chars[:2] + chars[5:], ["有", "无"], printed) == [None, Anchor(270, line)]


def test_an_option_under_a_heavy_cross_over_its_label_is_ticked() -> None:
    import cv2

    img, expected = draw_line(["[none]", "有，预算额度  44.5  万元    ", "[none]", "无"], 200,
                              FONTS[0], width_in=5.0)
    (x0, y0, x1, y1), _ = expected[0]
    s = x1 - x0
    pen = max(4, round(0.25 * s))  # a marker's × from the box across 有 and into the comma
    cv2.line(img, (x0, y0 - s // 4), (x1 + 2 * s, y1 + s // 4), (0, 0, 0), pen)
    cv2.line(img, (x0, y1 + s // 4), (x1 + 2 * s, y0 - s // 4), (0, 0, 0), pen)
    gray = ink_gray(img)
    binary = binarize(gray)
    scale = measure_scale(binary)
    text = PageText(gray, binary, scale.text_height, scale.line_thickness, get_engine())
    region = (0, 0, img.shape[1], img.shape[0])
    chars = text.chars(region)
    assert "有" not in "".join(c for c, _, _ in chars)  # the × took it
    anchors = label_anchors(chars, ["有", "无"], ["有，预算额度____万元", None])
    assert all(anchors)
    boxes = option_boxes(img, find_checkboxes(img, region=region, scale=scale), anchors, scale)
    assert [b is not None and b.ticked for b in boxes] == [True, False]
    assert iou(boxes[0].bbox, expected[0][0]) >= 0.4, (boxes[0], expected[0][0])


def _pale(img: np.ndarray, box: tuple[int, int, int, int], keep: float = 0.3) -> None:
    """Fade the ink of `box` (a light grey scan of a thin printed box)."""
    x0, y0, x1, y1 = box
    region = img[y0 - 2 : y1 + 3, x0 - 2 : x1 + 3].astype(np.float32)
    img[y0 - 2 : y1 + 3, x0 - 2 : x1 + 3] = (255 - (255 - region) * keep).astype(np.uint8)


@pytest.mark.parametrize("style", ["check", "cross", "filled"])
def test_each_option_gets_the_box_before_its_label(style: str) -> None:
    img, expected = draw_line([f"[{style}]", "公用经费      ", "[none]", "项目经费"], 200, FONTS[1],
                              width_in=4.0)
    _pale(img, expected[1][0])
    gray = ink_gray(img)
    binary = binarize(gray)
    scale = measure_scale(binary)
    text = PageText(gray, binary, scale.text_height, scale.line_thickness, get_engine())
    region = (0, 0, img.shape[1], img.shape[0])
    found = find_checkboxes(img, region=region, scale=scale)
    anchors = label_anchors(text.chars(region), ["公用经费", "项目经费"])
    assert all(anchors)
    boxes = option_boxes(img, found, anchors, scale)
    assert [b.ticked for b in boxes] == [True, False]
    for b, (want, _) in zip(boxes, expected, strict=True):
        assert iou(b.bbox, want) >= 0.5, (b, want)


def test_box_in_finds_a_pale_box_and_nothing_on_blank_paper() -> None:
    img, expected = draw_line(["[none]", "无  财政拨款其他"], 200, FONTS[0], width_in=3.0)
    scale = measure_scale(binarize(ink_gray(img)))  # as measured on the whole page
    _pale(img, expected[0][0], keep=0.35)
    (x0, y0, x1, y1), _ = expected[0]
    window = (x0 - 8, y0 - 8, x1 + 8, y1 + 8)
    got = box_in(img, window, scale)
    assert got is not None and not got.ticked and iou(got.bbox, expected[0][0]) >= 0.6
    assert box_in(np.full_like(img, 255), window, scale) is None


def test_a_lone_digit_the_page_threshold_lost_is_read_in_its_blank() -> None:
    """`二〇一八年  7  月`: a thin digit on open paper can fall under the page-wide contrast
    bar; the blank's own paper still tells it from the paper."""
    img, _ = draw_line(["二〇一八年    7    月"], 200, FONTS[0], width_in=3.0)
    gray = ink_gray(img)
    binary = binarize(gray)
    scale = measure_scale(binary)
    text = PageText(gray, binary, scale.text_height, scale.line_thickness, get_engine())
    chars = text.chars((0, 0, img.shape[1], img.shape[0]))
    year, month = (next(x for c, x, _ in chars if c == k) for k in "年月")
    blank = (round(year + 0.6 * scale.text_height), 0, round(month - 0.6 * scale.text_height),
             img.shape[0])
    assert text.read_fills([blank])[0].text == "7"
    text.binary = np.zeros_like(binary)  # as if the page's threshold had dropped the digit
    assert text.read_fills([blank])[0].text == "7"
    assert text.read_fills([(blank[0], 0, blank[0] + 4, img.shape[0])]) == [None]


def test_box_in_finds_a_pale_box_under_a_heavy_tick_that_runs_past_it() -> None:
    """wp-06's 自筹经费: a grey printed box, a black pen tick from below its left side to
    well above its top. The tick alone set the window's ink level, and the box was lost."""
    import cv2

    img, expected = draw_line(["[none]", "有，  5  万元"], 200, FONTS[0], width_in=3.0)
    scale = measure_scale(binarize(ink_gray(img)))
    (x0, y0, x1, y1), _ = expected[0]
    _pale(img, expected[0][0], keep=0.2)
    s = x1 - x0
    pen = max(3, round(0.18 * s))
    cv2.line(img, (x0 - s // 4, y0 + s // 2), (x0 + s // 3, y1 + s // 5), (20, 20, 20), pen)
    cv2.line(img, (x0 + s // 3, y1 + s // 5), (x1 + s // 3, y0 - s), (20, 20, 20), pen)
    window = (x0 - s, y0 - s // 2, x1 + s // 4, y1 + s // 2)
    got = box_in(img, window, scale, expect_x=(x0 + x1) / 2)
    assert got is not None and got.ticked, got
    assert iou(got.bbox, expected[0][0]) >= 0.6, (got, expected[0][0])


MICROHEI = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


@pytest.mark.skipif(not Path(MICROHEI).exists(), reason="no MicroHei face")
def test_a_face_that_prints_its_box_small_gets_its_own_box() -> None:
    """Seed 2203 doc-0004, a born-digital PDF in 微米黑 (MicroHei), whose □ is under half a
    glyph high: too small for the square searched before each label, which took one laid
    over the box's side and the label's first strokes, inked inside: every empty option
    ticked (seven false checkbox_multiple)."""
    img, expected = draw_line(["[none]", "财政拨款      ", "[none]", "其他      ", "[glyph]", "无"],
                              200, MICROHEI, width_in=5.0)
    gray = ink_gray(img)
    binary = binarize(gray)
    scale = measure_scale(binary)
    s = expected[0][0][2] - expected[0][0][0]
    assert s < 0.6 * scale.text_height  # the face's box, as small as on the page
    text = PageText(gray, binary, scale.text_height, scale.line_thickness, get_engine())
    region = (0, 0, img.shape[1], img.shape[0])
    anchors = label_anchors(text.chars(region), ["财政拨款", "其他", "无"])
    assert all(anchors)
    boxes = option_boxes(img, find_checkboxes(img, region=region, scale=scale), anchors, scale)
    assert [b is not None and b.ticked for b in boxes] == [False, False, True]
    for b, (want, _) in zip(boxes, expected, strict=True):
        assert iou(b.bbox, want) >= 0.5, (b, want)


def test_a_small_square_laid_in_a_markers_cross_is_no_box() -> None:
    """The search down to a small face's box must not take a square in the mass where a
    marker's × crosses (its "sides" are solid ink, not lines with paper beside them): the
    box under it is the one placed, ticked."""
    import cv2

    img, expected = draw_line(["[none]", "有，预算额度  44.5  万元"], 200, FONTS[0], width_in=4.0)
    (x0, y0, x1, y1), _ = expected[0]
    s = x1 - x0
    pen = max(4, round(0.25 * s))
    cv2.line(img, (x0, y0 - s // 4), (x1 + 2 * s, y1 + s // 4), (0, 0, 0), pen)
    cv2.line(img, (x0, y1 + s // 4), (x1 + 2 * s, y0 - s // 4), (0, 0, 0), pen)
    scale = measure_scale(binarize(ink_gray(img)))
    th = scale.text_height
    label_x = x1 + 0.9 * th  # where 有 was printed, under the cross
    window = (round(label_x - 2.3 * th), round(y0 - 0.5 * th), round(label_x - 0.35 * th),
              round(y1 + 0.5 * th))
    got = box_in(img, window, scale, expect_x=label_x - 1.1 * th)
    assert got is not None and got.ticked, got
    assert iou(got.bbox, expected[0][0]) >= 0.5, (got, expected[0][0])


def test_the_small_boxes_of_a_microhei_pdf_are_read_empty() -> None:
    """The page itself (`tests/data/checkbox-microhei-options.png`, seed 2203 doc-0004 page
    3 as loaded, 经费支持 and 经费性质 of the commissioning party; text height as measured
    on the page): 有 read ticked, 财政拨款 and 其他 not placed at all."""
    import cv2
    from conftest import DATA
    from tasksheet.extract.scale import PageScale

    img = cv2.imread(str(DATA / "checkbox-microhei-options.png"), cv2.IMREAD_COLOR)
    scale = PageScale(stroke=3.0, text_height=31.0, line_thickness=2.0)
    gray = ink_gray(img)
    text = PageText(gray, binarize(gray), scale.text_height, scale.line_thickness, get_engine())
    h, w = img.shape[:2]
    got = []
    for region, labels in (((0, 0, w, 90), ["有", "无"]), ((0, 90, w, h), ["财政拨款", "其他"])):
        anchors = label_anchors(text.chars(region), labels)
        boxes = option_boxes(img, find_checkboxes(img, region=region, scale=scale), anchors, scale)
        got += [(b.bbox, b.ticked) if b is not None else None for b in boxes]
    assert [g and g[1] for g in got] == [False, True, False, False]
    for g, left in zip(got, (16, 571, 16, 298), strict=True):
        assert abs(g[0][0] - left) <= 2 and g[0][2] - g[0][0] <= 26, g  # the box, not more


def test_a_pale_box_under_a_pen_cross_is_not_taken_for_a_small_one() -> None:
    """wp-08's 购买服务: a pale grey box crossed by a thin blue pen ×. Searched down to a
    small face's box size, the ×'s arms (run through the gaps' closing) drew a small
    "square" with an empty inside: the option read unticked (a false checkbox_none). A
    small box is a glyph of its own; this one is part of strokes that run on beyond it."""
    import cv2
    from conftest import EXAMPLES

    page = EXAMPLES / "wp-08" / "pages" / "page_003.jpg"
    if not page.exists():
        pytest.skip("no shared examples")
    img = cv2.imread(str(page), cv2.IMREAD_COLOR)
    scale = measure_scale(binarize(ink_gray(img)))
    th = scale.text_height
    label_x = 850  # 购's centre on the scan
    window = (round(label_x - 2.3 * th), round(735 - 0.5 * th), round(label_x - 0.35 * th),
              round(770 + 0.5 * th))
    got = box_in(img, window, scale, expect_x=label_x - 1.1 * th)
    assert got is not None and got.ticked, got
    assert got.bbox[2] - got.bbox[0] >= 0.6 * th, got
