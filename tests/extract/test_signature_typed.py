"""What is a signature (#17): a name typed or rubber-stamped in the 签字 place is print, not
a hand, whatever its ink (a blue-violet 印油 as blue as a pen) and however large the stamp
sets it (up to twice the page's print); a name written by hand (the generator's fast,
leaning 楷 names, small or large, blue or black) stays signed."""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.signature import detect_signature
from tasksheet.samplegen.fill import person
from tasksheet.samplegen.fonts import HAND_FONT
from tasksheet.samplegen.ink import name_signature

FONTS = {"hei": "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
         "song": "/usr/share/fonts/truetype/arphic/uming.ttc"}
TH = 29  # text height at 200 DPI, 10.5 pt
STAMP_BLUE = (88, 64, 150)  # RGB: the generator's blue-violet stamp ink
PEN_INKS = ((24, 40, 140), (20, 20, 28), (30, 36, 96))  # RGB: the generator's pens


def _cell(w: int = 420, h: int = 110, seed: int = 0) -> tuple[np.ndarray, tuple[int, ...]]:
    rng = np.random.default_rng(seed)
    page = np.full((h + 80, w + 80, 3), 250, np.uint8)
    page += rng.integers(0, 5, page.shape, dtype=np.uint8)
    cv2.rectangle(page, (40, 40), (40 + w, 40 + h), (20, 20, 20), 2)
    return page, (40, 40, 40 + w + 1, 40 + h + 1)


def _grey(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)


def _stamped(font: str, name: str, scale: float, ink: tuple[int, int, int],
             seed: int) -> tuple[np.ndarray, tuple[int, ...]]:
    """`name` set in `font` with glyphs `scale` × the print's height, in `ink` (RGB), on a
    BGR page, softened as a scan softens it."""
    page, cell = _cell(seed=seed)
    img = Image.fromarray(page[..., ::-1].copy())
    px = round(TH * scale / 0.9)  # a CJK glyph's ink is about 0.9 of its em
    ImageDraw.Draw(img).text((cell[0] + 30 + 20 * seed, cell[1] + 25), name, fill=ink,
                             font=ImageFont.truetype(FONTS[font], px))
    out = cv2.GaussianBlur(np.asarray(img)[..., ::-1].copy(), (3, 3), 0.6)
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, 80])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR), cell


@pytest.mark.parametrize("font", list(FONTS))
def test_a_blue_stamped_name_is_not_a_signature(font: str) -> None:
    """Blue-violet stamp ink is as blue as a pen: its glyphs are still print."""
    if not Path(FONTS[font]).exists():
        pytest.skip(f"font {FONTS[font]} is absent")
    for seed, name in enumerate(("张伟明", "李建国", "赵红")):
        image, cell = _stamped(font, name, 1.0, STAMP_BLUE, seed)
        res = detect_signature(image, cell, text_height=TH)
        assert not res.signed and res.printed, (seed, name, res)


@pytest.mark.parametrize("grey", [False, True], ids=["colour", "grey"])
@pytest.mark.parametrize("scale", [1.35, 1.6])
@pytest.mark.parametrize("font", list(FONTS))
def test_a_name_stamped_larger_than_the_print_is_not_a_signature(font: str, scale: float,
                                                                   grey: bool) -> None:
    if not Path(FONTS[font]).exists():
        pytest.skip(f"font {FONTS[font]} is absent")
    for seed, name in enumerate(("张伟明", "王芳", "陈国庆")):
        image, cell = _stamped(font, name, scale, (30, 30, 30), seed)
        res = detect_signature(_grey(image) if grey else image, cell, text_height=TH)
        assert not res.signed and res.printed, (seed, name, res)


def test_names_written_by_hand_stay_signed() -> None:
    """The generator's written names (slanted, running together), from glyphs as tall as
    the print to three times it, in blue or black, colour or grey: all signed."""
    for seed in range(40):
        rng = random.Random(seed)
        name = person(rng)
        w, h = rng.randint(150, 380), rng.randint(40, 110)
        color = PEN_INKS[seed % 3]
        alpha = np.asarray(name_signature(w, h, seed, color, name, HAND_FONT))[..., 3:4] / 255.0
        page = np.full((h + 80, w + 80, 3), 250, np.uint8)
        inked = page[40:40 + h, 40:40 + w] * (1 - alpha) + np.array(color[::-1]) * alpha
        page[40:40 + h, 40:40 + w] = inked.astype(np.uint8)
        for image in (page, _grey(page)):
            res = detect_signature(image, (30, 30, w + 50, h + 50), text_height=TH)
            assert res.signed and not res.printed, (seed, name, res)


DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize("th", [None, 26, 30])
def test_a_generated_blue_stamped_name_is_print(th: float | None) -> None:
    """Generated (seed 777 doc-0001, the 协调 block, colour scan): 唐立 stamped in
    blue-violet right of 负责人（签字）, a red seal over the label. Its ink as a whole leans
    (the 丿 of 唐, the dots of 立) as a hand's would; its 竖 strokes stand upright: print,
    not a signature. (In grey the crop cuts the seal's ring: the reader would give its
    disc, the crop cannot.)"""
    image = cv2.imread(str(DATA / "sig_stamped_blue_name.png"))
    res = detect_signature(image, (290, 20, 650, 125), text_height=th)
    assert not res.signed and res.printed, res
