"""Signatures on real scans (../shared/real/README.md) and what is not one: a typed or
printed name in the 签字 place, a seal's ring over an empty place in a greyscale copy,
a punched hole — in colour and in grey."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np
import pytest
from helpers.drawing import draw_signature, plain_seal_ink
from helpers.real import real_scan
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.signature import detect_signature
from tasksheet.schemas.template import load_template

FONTS = {"hei": "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
         "song": "/usr/share/fonts/truetype/arphic/uming.ttc",
         "sans": "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
         "serif": "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"}
TH = 29  # text height at 200 DPI, 10.5 pt
PRINTED_NAME = load_template().shapes["printed_name"]
BLUE, BLACK = (170, 60, 25), (30, 30, 30)



def _grey(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)


# form-checkboxes-signatures.png: the four boxes labelled "Signature" (region, label)
FORM_BOXES = {
    "upper-left": ((401, 1443, 784, 1592), (411, 1456, 527, 1483)),
    "upper-right": ((807, 1440, 1205, 1592), (815, 1455, 935, 1481)),
    "lower-left": ((401, 1692, 784, 1840), (411, 1703, 527, 1728)),
    "lower-right": ((809, 1692, 1206, 1840), (823, 1703, 947, 1732)),
}


@pytest.mark.parametrize("grey", [False, True], ids=["colour", "grey"])
@pytest.mark.parametrize("name", list(FORM_BOXES))
def test_form_upper_boxes_signed_lower_empty(name: str, grey: bool) -> None:
    image = real_scan("form-checkboxes-signatures.png")
    image = _grey(image) if grey else image
    region, label = FORM_BOXES[name]
    assert detect_signature(image, region, exclude=[label]).signed == name.startswith("upper")


# seal-contract-phone-scan.jpg (60 DPI, text 7 px): right of each 法定（授权）代表人（签字）
PHONE_PLACES = {"left, over the round seal": (150, 545, 245, 592),
                "right, over the oval seal": (372, 542, 480, 592)}


@pytest.mark.parametrize("grey", [False, True], ids=["colour", "grey"])
@pytest.mark.parametrize("place", list(PHONE_PLACES))
def test_phone_scan_both_places_signed_over_the_seals(place: str, grey: bool) -> None:
    image = real_scan("seal-contract-phone-scan.jpg")
    image = _grey(image) if grey else image
    assert detect_signature(image, PHONE_PLACES[place], text_height=7).signed


def _cell(w: int = 420, h: int = 110, seed: int = 0) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    rng = np.random.default_rng(seed)
    page = np.full((h + 80, w + 80, 3), 250, np.uint8)
    page += rng.integers(0, 5, page.shape, dtype=np.uint8)
    cv2.rectangle(page, (40, 40), (40 + w, 40 + h), (20, 20, 20), 2)
    return page, (40, 40, 40 + w + 1, 40 + h + 1)


def _typed(font: str, name: str, grey: bool, seed: int) -> tuple[np.ndarray, tuple]:
    page, cell = _cell(seed=seed)
    img = Image.fromarray(page)
    x = cell[0] + 30 + 20 * seed
    ImageDraw.Draw(img).text((x, cell[1] + 40), name, fill=BLACK,
                             font=ImageFont.truetype(FONTS[font], TH))
    out = cv2.GaussianBlur(np.asarray(img), (3, 3), 0.6)
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, 70])
    out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    return (_grey(out) if grey else out), cell


@pytest.mark.parametrize("grey", [False, True], ids=["colour", "grey"])
@pytest.mark.parametrize("font,name", [("hei", "张伟明"), ("song", "李建国"), ("hei", "王芳"),
                                       ("sans", "John Doe"), ("serif", "Mary Smith")])
def test_a_typed_name_is_not_a_signature(font: str, name: str, grey: bool) -> None:
    if not Path(FONTS[font]).exists():
        pytest.skip(f"font {FONTS[font]} is absent")
    for seed in range(3):
        image, cell = _typed(font, name, grey, seed)
        res = detect_signature(image, cell, text_height=TH)
        assert not res.signed and res.printed, (seed, res)
        # recorded as the template's printed_name: missing_signature then says a name was typed
        assert re.fullmatch(PRINTED_NAME, res.raw or ""), res.raw


@pytest.mark.parametrize("grey", [False, True], ids=["colour", "grey"])
def test_handwriting_stays_signed(grey: bool) -> None:
    for seed in range(10):
        rng = np.random.default_rng(seed)
        page, cell = _cell(seed=seed)
        draw_signature(page, (cell[0] + 6, cell[1] + 6, cell[2] - 6, cell[3] - 6), BLUE if seed % 2 else BLACK,
             rng)
        res = detect_signature(_grey(page) if grey else page, cell, text_height=TH)
        assert res.signed and not res.printed and res.raw is None, (seed, res)


def _grey_seal(page: np.ndarray, center: tuple[int, int], radius: int) -> np.ndarray:
    """A seal as a greyscale copy shows it: mid-grey ring, star and arc glyphs."""
    ink = plain_seal_ink(page.shape[:2], center, radius)
    out = page.astype(np.float32) * (1.0 - 0.55 * ink[..., None])
    return _grey(np.clip(out, 0, 255).astype(np.uint8))


def test_a_grey_seals_ring_over_an_empty_place_is_not_a_signature() -> None:
    """A greyscale copy: the seal's ring, star and text are as dark as a pen. The detector
    finds the seal round the place itself (no disc given) and leaves out what lies in it."""
    big = np.full((700, 1100, 3), 250, np.uint8)
    cv2.rectangle(big, (300, 250), (720, 360), (20, 20, 20), 2)
    place = (300, 250, 721, 361)
    page = _grey_seal(big, (450, 330), 150)
    res = detect_signature(page, place, text_height=TH)
    assert not res.signed, res
    draw_signature(page, (590, 262, 715, 350), BLACK, np.random.default_rng(5))  # runs out of it
    assert detect_signature(page, place, text_height=TH).signed


def test_a_punched_hole_is_not_a_signature() -> None:
    for grey in (False, True):
        page, cell = _cell()
        cv2.circle(page, (cell[0] + 120, cell[1] + 55), 24, (90, 90, 90), 3, cv2.LINE_AA)
        res = detect_signature(_grey(page) if grey else page, cell, text_height=TH)
        assert not res.signed, res
