"""A seal's pale ink dropped forgets only what was read near it (`PageText._forget`, #20).

`drop_pale_ink` changes the page's pixels inside a grey seal's box; it cleared the page's
whole read cache, and every line of the page read before was sent to the recogniser
again (the main source of repeat reads). Only the readings, line boxes and paragraphs
whose pixels meet the seal's box are dropped now; the rest read the same without it.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.page_text import PageText, boxes_meet
from tasksheet.extract.scale import binarize, measure_scale

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
PAPER, RING, PRINT = 236, 172, 60


class Counting:
    """The recogniser, counting the crops it is given."""

    def __init__(self) -> None:
        self.engine, self.crops = get_engine(), 0

    def recognize_chars(self, crops: list[np.ndarray]) -> list:
        self.crops += len(crops)
        return self.engine.recognize_chars(crops)


def _page() -> tuple[np.ndarray, tuple[int, int, int, int], list[tuple[int, int, int, int]]]:
    """A grey page: three lines of print far left, and a pale round seal over a date on
    the right. The seal's box, and the regions read (the date's last)."""
    img = Image.new("L", (1500, 700), PAPER)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 30)
    regions = []
    for k, line in enumerate(("项目承担单位", "成都市营养学会", "028-81361346")):
        d.text((60, 120 + 120 * k), line, fill=PRINT, font=font)
        regions.append((40, 100 + 120 * k, 520, 170 + 120 * k))
    cx, cy, r = 1150, 330, 170
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=RING, width=9)
    d.regular_polygon((cx, cy, 45), 5, fill=RING)
    d.text((cx - 80, cy + 70), "2018年07月16日", fill=PRINT, font=font)
    regions.append((cx - 90, cy + 60, cx + 160, cy + 112))
    return np.array(img), (cx - r, cy - r, cx + r, cy + r), regions


def test_only_the_lines_by_the_seal_are_read_again() -> None:
    grey, seal, regions = _page()
    binary = binarize(grey)
    scale = measure_scale(binary)
    engine = Counting()
    text = PageText(grey, binary, scale.text_height, scale.line_thickness, engine)
    before = [t.text for t in text.read(regions)]
    assert before[:3] == ["项目承担单位", "成都市营养学会", "028-81361346"]
    first = engine.crops
    text.drop_pale_ink(seal)
    after = text.read(regions)
    # the date's line only: the three far from the seal are answered from the cache
    assert engine.crops - first == 1
    assert [t.text for t in after[:3]] == before[:3]
    # and all read as a page given the dropped pixels from the start reads them
    fresh = PageText(text.ink, text.binary, scale.text_height, scale.line_thickness, get_engine())
    assert after == fresh.read(regions)
    assert after[3].text == "2018年07月16日"


def test_boxes_meet() -> None:
    assert boxes_meet((0, 0, 10, 10), (9, 9, 20, 20))
    assert not boxes_meet((0, 0, 10, 10), (10, 0, 20, 10))  # ends excluded
    assert not boxes_meet((0, 0, 10, 10), (0, 10, 10, 20))
