"""Every line of a region read once, with its marks (`extract.page_text.PageText.read`).

Crops of seed 9133's pages as normalised (`tests/data/text_*.png`, 20 px of margin around
the region the reader asked for), read at the text height their whole page measured.
"""

from __future__ import annotations

import cv2
import numpy as np
from conftest import DATA
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.page_text import PageText, clean
from tasksheet.extract.scale import binarize

MARGIN = 20
D21, D23 = 1693 // 40, 2508 // 40  # `binarize`'s window on doc-0021's and doc-0023's pages


def page_text(name: str, th: float, lt: float, window: int) -> tuple[PageText, tuple[int, int, int, int]]:
    """A `PageText` of the saved crop, thresholded with its page's window (a crop's own
    would be smaller, and see other ink), and the region the reader read in it."""
    grey = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    h, w = grey.shape
    return (PageText(grey, binarize(grey, window), th, lt, get_engine()),
            (MARGIN, MARGIN, w - MARGIN, h - MARGIN))


def test_a_line_of_large_glyphs_parted_at_a_valley_is_read_once() -> None:
    """Doc-0021's project lead, a hand 1.6 text heights tall: the line finder parts it under
    崔's 山 and 志's 士, and each half's padded crop read the whole name: 崔志然崔志然."""
    text, cell = page_text("text_cell_large_hand.png", 25.0, 2.0, D21)
    got = text.read([cell])[0]
    assert got.text == "崔志然"
    assert len(got.lines) == 1


def test_a_wrapped_unit_s_second_line_is_read_once() -> None:
    """Doc-0021's member unit, wrapped in its cell: its second line, parted the same way,
    read 生育委员会 twice (成都市卫生和计划生育委员会生育委员会)."""
    text, cell = page_text("text_cell_wrapped_unit.png", 31.0, 2.0, D21)
    assert text.read([cell])[0].text == "成都市卫生和计划生育委员会"


def test_a_line_box_inside_another_is_not_read_again() -> None:
    """Doc-0023's undertaking opinion (1-bit): the line finder gave `任务。` again as a box
    inside the line's own, and the opinion read 同意。保证按期完成试点任务。任务。"""
    text, cell = page_text("text_opinion_nested_line.png", 45.8, 3.0, D23)
    got = text.read([cell])[0].text
    assert "保证按期完成试点任务。" in got
    assert "任务。任务" not in got


def test_a_pale_opening_quote_past_the_line_s_end_is_read() -> None:
    """Doc-0021's content (colour scan): the `“` ending its first line is under the page
    threshold's contrast bar, outside the line box: 承接居民膳食…”, its pair lost."""
    text, cell = page_text("text_paragraph_pale_quote.png", 31.0, 3.0, D21)
    got = text.read([cell], paragraph=True)[0].text
    assert clean(got) == clean("受成都市卫生和计划生育委员会委托，成都市营养学会承接居民膳食营养状况团体标准制定试点项目。主要内容包括：1.形")
    assert "承接“居民" in got


def test_a_mark_beyond_a_tilted_cell_s_box_is_the_line_s() -> None:
    """Doc-0023's content (1-bit): the frame's rules are turned 1.4 deg against the text,
    the cell's box lies inside them, and 包括's `：` at the top right, 35 px past the box,
    short of the rule, was lost (主要内容包括1.开展…). Read in its table, it is the line's."""
    text, _ = page_text("text_paragraph_tilted_frame.png", 43.0, 1.0, D23)
    # the cell's and the table's boxes as the grid gave them, in the crop's frame
    ox, oy = 560 - MARGIN, 960 - MARGIN
    cell = (647 - ox, 1001 - oy, 1859 - ox, 1250 - oy)
    table = (581 - ox, 973 - oy, 1924 - ox, 1250 - oy)
    got = text.read([cell], paragraph=True, outer=table)[0].text
    assert "主要内容包括：" in got
    assert "试点项目。主要内容包括：1.开展专业培训" in got


def test_no_mark_is_taken_from_open_paper_or_a_rule() -> None:
    """A line with nothing past it, and one with a rule a glyph's gap after it, keep their
    boxes: only a mark's blob grows a line."""
    grey = np.full((120, 400), 235, np.uint8)
    grey[40:70, 40:70] = grey[40:70, 80:110] = 60  # two "glyphs"
    grey[10:110, 140:143] = 90  # a rule 30 px after the second
    binary = binarize(grey)
    text = PageText(grey, binary, 30.0, 2.0, engine=None)
    line = (40, 40, 110, 70)
    assert text._mark_beyond(line, (0, 0, 400, 120)) == line
    grey[60:68, 125:131] = 150  # a pale 。 between them: the line's
    assert text._mark_beyond(line, (0, 0, 400, 120)) == (40, 40, 131, 70)
