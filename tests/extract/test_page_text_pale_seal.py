"""Grey print under a grey seal (`extract.page_text.PageText.drop_pale_ink`)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.page_text import PageText
from tasksheet.extract.scale import binarize, measure_scale

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
PAPER, RING, PRINT = 236, 172, 135  # grey levels as seed 1307 doc-0008's grey scan has them


def sealed_date() -> tuple[np.ndarray, tuple[int, int, int, int], tuple[int, int, int, int]]:
    """A grey page: a pale round seal (ring, star, rim text) over a date printed in grey,
    darker than the seal but paler than half the paper. The seal's box and the date's."""
    img = Image.new("L", (900, 700), PAPER)
    d = ImageDraw.Draw(img)
    cx, cy, r = 450, 330, 170
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=RING, width=9)
    d.regular_polygon((cx, cy, 45), 5, fill=RING)
    rim = ImageFont.truetype(FONT, 34)
    for k, ch in enumerate("成都市电子学会"):
        a = np.radians(200 + k * 23)
        d.text((cx + 0.78 * r * np.cos(a) - 17, cy + 0.78 * r * np.sin(a) - 17), ch, fill=RING,
               font=rim)
    font = ImageFont.truetype(FONT, 30)
    d.text((cx - 80, cy + 70), "2018年07月16日", fill=PRINT, font=font)
    date = (cx - 90, cy + 60, cx + 160, cy + 112)
    return np.array(img), (cx - r, cy - r, cx + r, cy + r), date


def test_grey_print_darker_than_the_seal_is_kept_under_it() -> None:
    """The old bar (half the paper's level) wiped the date with the seal: nothing of it was
    read. The seal's own tone, measured on its ring, tells print from seal inside it."""
    grey, seal, date = sealed_date()
    binary = binarize(grey)
    scale = measure_scale(binary)
    text = PageText(grey, binary, scale.text_height, scale.line_thickness, get_engine())
    text.drop_pale_ink(seal)
    assert text.read([date])[0].text == "2018年07月16日"
