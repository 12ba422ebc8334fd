"""Seal kinds (#17): a square personal seal (法人章) is a square seal, never a round 公章 and
never lost as a pen's loop; a red pen's loop round a word is no seal of any kind.

A 法人章 is about 18 mm square: at 12 pt text (4.2 mm) its mean radius is 2.4 text heights,
as small as a pen's loop round a word. What tells them apart is how true the outline is:
a stamp's four sides keep to a square within a pixel or two; a hand-drawn loop does not,
and holds no red ink of its own inside (the word it rings is black).
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.seal import SHAPES, find_seals

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
TH = 24  # text height, px
RED = (205, 45, 50)  # RGB


def _page() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("RGB", (900, 600), (245, 245, 242))
    d = ImageDraw.Draw(img)
    f = ImageFont.truetype(FONT, TH)
    for i in range(8):
        d.text((40, 40 + i * 2 * TH), "法定代表人（签字）项目承接单位同意该试点项目工作内容",
               font=f, fill=(20, 20, 20))
    return img, d


def _personal_seal(side_th: float, turn: float) -> np.ndarray:
    """A page of print with a square 法人章 (2 × 2 glyphs) of `side_th` text heights,
    turned `turn` degrees, stamped over it; BGR."""
    s = round(side_th * TH)
    stamp = Image.new("RGB", (s + 2, s + 2), (255, 255, 255))
    d = ImageDraw.Draw(stamp)
    d.rectangle([1, 1, s, s], outline=RED, width=max(3, s // 18))
    f = ImageFont.truetype(FONT, round(s * 0.38))
    d.text((s * 0.08, s * 0.06), "张印", font=f, fill=RED)
    d.text((s * 0.08, s * 0.52), "建国", font=f, fill=RED)
    stamp = stamp.rotate(turn, expand=True, fillcolor=(255, 255, 255))
    img, _ = _page()
    page = np.array(img, np.float32)
    ink = np.array(stamp, np.float32) / 255.0
    y, x = 150, 300
    h, w = ink.shape[:2]
    page[y:y + h, x:x + w] *= ink  # stamped ink multiplies over print and paper
    return cv2.cvtColor(page.astype(np.uint8), cv2.COLOR_RGB2BGR)


@pytest.mark.parametrize(("side_th", "turn"), [(3.0, 0.0), (4.3, 0.0), (4.3, 17.0), (4.3, 40.0),
                                               (5.0, 8.0)])
def test_small_square_personal_seal_is_a_square_seal(side_th: float, turn: float) -> None:
    page = _personal_seal(side_th, turn)
    assert [s.shape for s in find_seals(page, text_height=TH, shapes=SHAPES)] == ["square"]
    assert find_seals(page, text_height=TH) == []  # never a round 公章


@pytest.mark.parametrize("closed", [True, False])
def test_small_red_pen_loop_round_a_word_is_no_seal(closed: bool) -> None:
    """An ellipse drawn round a printed word, as small as a 法人章: no seal of any shape."""
    img, d = _page()
    box = [330, 120, 460, 190]
    if closed:
        d.ellipse(box, outline=RED, width=3)
    else:  # a loop drawn past its start, overlapping a little
        d.arc(box, start=-30, end=345, fill=RED, width=3)
        d.arc([325, 116, 462, 186], start=-60, end=20, fill=RED, width=3)
    page = cv2.cvtColor(np.array(img), cv2.COLOR_RGB2BGR)
    assert find_seals(page, text_height=TH, shapes=SHAPES) == []
