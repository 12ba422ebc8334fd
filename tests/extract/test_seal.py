"""Seal detection and arc-text reading: real scans (when present) and generated seals."""

from __future__ import annotations

import math
from difflib import SequenceMatcher
from pathlib import Path

import cv2
import numpy as np
import pytest
from helpers.drawing import stamp
from helpers.real import real_scan
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.seal import Seal, find_seals, read_seal_text, unroll_seal
from tasksheet.samplegen.seal import star

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
UNIT = "成都市科学技术协会"
DPI = 200



def _need_font() -> None:
    if not FONT.exists():
        pytest.skip(f"font {FONT} is absent")



def seal_ink(text: str, radius: int, angle: float, rng: np.random.Generator) -> np.ndarray:
    """Ink coverage (0..1 float, square 2*radius+4) of a round seal: ring, star, arc text.

    Text runs clockwise over the upper 240°, each glyph's top pointing outwards; the whole
    seal is then turned by `angle` degrees, as a stamp is never applied square.
    """
    size = 2 * radius + 4
    c = size / 2
    img = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(img)
    ring = max(3, radius // 17)
    draw.ellipse([c - radius, c - radius, c + radius, c + radius], outline=255, width=ring)
    draw.polygon(star(c, c, radius * 0.3), fill=255)
    font = ImageFont.truetype(str(FONT), int(radius * 0.3))
    span, r_text = 240.0, radius * 0.72
    for i, ch in enumerate(text):
        theta = 270 - span / 2 + (i + 0.5) * span / len(text)
        glyph = Image.new("L", (int(radius * 0.4),) * 2, 0)
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, fill=255,
                                   font=font, anchor="mm")
        glyph = glyph.rotate(270 - theta, resample=Image.BICUBIC)
        t = math.radians(theta)
        x, y = c + r_text * math.cos(t), c + r_text * math.sin(t)
        img.paste(255, (int(x - glyph.width / 2), int(y - glyph.height / 2)), glyph)
    img = img.rotate(angle, resample=Image.BICUBIC)
    ink = np.asarray(img, np.float32) / 255.0
    # Uneven stamping: smooth random pressure between 55 % and 100 %.
    noise = cv2.resize(rng.uniform(0.55, 1.0, (6, 6)).astype(np.float32), (size, size),
                       interpolation=cv2.INTER_CUBIC)
    return np.clip(ink * noise, 0, 1)


def text_page(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """A white BGR page with black Chinese print lines and a table grid."""
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 29)  # 10.5 pt at 200 DPI
    chars = "项目承接单位委托协调经费支持性质来源政策负责人签字公章年月日"
    for y in range(30, height - 40, 55):
        line = "".join(rng.choice(list(chars)) for _ in range(width // 32 - 2))
        draw.text((30, y), line, fill=(20, 20, 20), font=font)
    for y in range(20, height, 110):
        draw.line([(10, y), (width - 10, y)], fill=(0, 0, 0), width=2)
    draw.line([(width // 3, 10), (width // 3, height - 10)], fill=(0, 0, 0), width=2)
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


def synthetic(seed: int, text: str = UNIT) -> tuple[np.ndarray, tuple[int, int], int]:
    rng = np.random.default_rng(seed)
    radius = round(20 / 25.4 * DPI)  # a 40 mm seal
    page = text_page(900, 700, rng)
    center = (int(rng.integers(330, 570)), int(rng.integers(250, 450)))
    page = stamp(page, seal_ink(text, radius, float(rng.uniform(0, 360)), rng), center)
    return page, center, radius


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


# --------------------------------------------------------------------------- generated


def test_synthetic_red_seal_found_and_centred() -> None:
    _need_font()
    for seed in range(3):
        page, center, radius = synthetic(seed)
        seals = find_seals(page, text_height=29)
        assert len(seals) == 1, seals
        s = seals[0]
        assert s.color == "red"
        assert math.dist(s.center, center) <= 0.05 * radius
        assert abs(s.radius - radius) <= 0.1 * radius


def test_synthetic_grey_seal_found_within_region() -> None:
    _need_font()
    page, center, radius = synthetic(7)
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    region = (center[0] - 2 * radius, center[1] - 2 * radius,
              center[0] + 2 * radius, center[1] + 2 * radius)
    seals = find_seals(gray, region=region)
    assert len(seals) == 1, seals
    assert seals[0].color == "grey"
    assert math.dist(seals[0].center, center) <= 0.05 * radius


def test_no_seal_on_plain_print() -> None:
    _need_font()
    page = text_page(900, 700, np.random.default_rng(3))
    assert find_seals(page) == []
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    assert find_seals(gray, region=(0, 0, 900, 700)) == []


def test_no_seal_from_red_non_round_marks() -> None:
    _need_font()
    page = text_page(900, 700, np.random.default_rng(4))
    cv2.rectangle(page, (100, 100), (400, 380), (40, 40, 220), 8)
    cv2.line(page, (500, 600), (850, 450), (40, 40, 220), 10)
    cv2.putText(page, "REVISED", (480, 250), cv2.FONT_HERSHEY_SIMPLEX, 3, (40, 40, 220), 9)
    assert find_seals(page) == []


def test_unroll_gives_horizontal_strip() -> None:
    _need_font()
    page, center, radius = synthetic(1)
    seal = find_seals(page, text_height=29)[0]
    strip = unroll_seal(page, seal)
    assert strip.ndim == 2 and strip.dtype == np.uint8
    assert strip.shape[1] > 3 * strip.shape[0]


def test_synthetic_seal_text_read() -> None:
    _need_font()
    from tasksheet.extract.ocr import get_engine

    engine = get_engine()
    exact, texts = 0, []
    for seed in range(10):
        page, _, _ = synthetic(100 + seed)
        seals = find_seals(page, text_height=29)
        assert len(seals) == 1
        text, score = read_seal_text(page, seals[0], engine)
        texts.append(text)
        exact += text == UNIT
        assert similarity(text, UNIT) >= 0.75, (seed, text, score)
    print(f"synthetic seal text exact {exact}/10: {texts}")
    assert exact >= 8, texts


def test_synthetic_grey_seal_text_read() -> None:
    _need_font()
    from tasksheet.extract.ocr import get_engine

    texts = []
    for seed in range(3):
        page, center, radius = synthetic(300 + seed)
        gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
        seals = find_seals(gray, region=(center[0] - 2 * radius, center[1] - 2 * radius,
                                         center[0] + 2 * radius, center[1] + 2 * radius))
        assert len(seals) == 1
        texts.append(read_seal_text(gray, seals[0], get_engine())[0])
    print(f"grey seal text: {texts}")
    assert sum(t == UNIT for t in texts) >= 2, texts
    assert all(similarity(t, UNIT) >= 0.75 for t in texts), texts


# --------------------------------------------------------------------------- real scans


def test_real_seal_crop() -> None:
    image = real_scan("seal-crop.png")
    seals = find_seals(image)
    assert len(seals) == 1, seals
    from tasksheet.extract.ocr import get_engine

    text, score = read_seal_text(image, seals[0], get_engine())
    print(f"seal-crop: {seals[0]} -> {text!r} ({score:.3f})")
    assert similarity(text, "天津君和缘商贸有限公司") >= 0.7, text


@pytest.mark.parametrize("angle", [90, 233])
def test_real_seal_crop_turned(angle: int) -> None:
    image = real_scan("seal-crop.png")
    turn = cv2.getRotationMatrix2D((320, 320), angle, 1.0)
    image = cv2.warpAffine(image, turn, (640, 640), borderValue=(230, 230, 230))
    seals = find_seals(image)
    assert len(seals) == 1, seals
    from tasksheet.extract.ocr import get_engine

    text, _ = read_seal_text(image, seals[0], get_engine())
    assert similarity(text, "天津君和缘商贸有限公司") >= 0.7, text


def test_real_settlement_sheet_two_seals() -> None:
    image = real_scan("settlement-sheet-two-seals.jpeg")
    h, w = image.shape[:2]
    seals = sorted(find_seals(image), key=lambda s: s.center[0])
    assert len(seals) == 2, seals
    assert all(s.center[1] > 2 * h / 3 for s in seals)
    assert seals[0].center[0] < w / 2 < seals[1].center[0]
    assert all(isinstance(s, Seal) and s.color == "red" for s in seals)
    # The same page as a greyscale scan: found as grey seals within their seal places.
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    lower = find_seals(gray, region=(0, 2 * h // 3 - 100, w, h))
    assert [s.color for s in lower] == ["grey", "grey"], lower
    assert find_seals(gray, region=(0, 0, w, h // 2)) == []


def test_real_signature_form_has_no_seal() -> None:
    assert find_seals(real_scan("form-checkboxes-signatures.png")) == []


def test_ink_strength_hides_black_print_not_seal_ink() -> None:
    from tasksheet.extract.seal import seal_ink_strength

    page = np.full((60, 60, 3), 235, np.uint8)
    page[10:50, 28:32] = (60, 50, 210)   # a red seal stroke
    page[28:32, 5:55] = (25, 25, 25)     # black print across it
    strength, hidden = seal_ink_strength(page, "red", rim=0, level=110.0)
    assert strength[15, 30] > 0.8 and strength[15, 10] < 0.05
    assert hidden[30, 10] and hidden[30, 30] and not hidden[15, 30]
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    strength, hidden = seal_ink_strength(gray, "grey", rim=0, level=float(gray[15, 30]))
    assert strength[15, 30] > 0.8 and hidden[30, 10] and not hidden[15, 30]


# ---------------------------------------------------------------- cheaper, same answers (#20)


def _reference_red_mask(image: np.ndarray) -> np.ndarray:
    """red_mask as it was written first: HSV and int16 channels of the whole image."""
    from tasksheet.extract import ink

    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    b, g, r = (image[..., i].astype(np.int16) for i in range(3))
    red_hue = (hsv[..., 0] <= ink.DEFAULT_RED_HUE_LOW) | (hsv[..., 0] >= ink.DEFAULT_RED_HUE_HIGH)
    return red_hue & (hsv[..., 1] >= ink.DEFAULT_RED_MIN_SAT) & (
        r - np.maximum(g, b) >= ink.DEFAULT_RED_MIN_EXCESS)


def test_red_mask_only_round_the_red_is_the_whole_images() -> None:
    from tasksheet.extract.ink import red_mask

    rng = np.random.default_rng(5)
    img = rng.integers(0, 256, (120, 160, 3)).astype(np.uint8)  # every hue and excess
    assert (red_mask(img) == _reference_red_mask(img)).all()
    page = np.full((200, 300, 3), 245, np.uint8)
    assert not red_mask(page).any() and red_mask(page).shape == (200, 300)
    cv2.circle(page, (150, 90), 40, (60, 60, 220), 3)
    got = red_mask(page)
    assert got.dtype == bool and (got == _reference_red_mask(page)).all() and got.any()
    crop = page[50:140, 100:200]  # a view, as find_seals passes
    assert (red_mask(crop) == _reference_red_mask(np.ascontiguousarray(crop))).all()


def test_is_grayscale_counts_coloured_pixels_as_before() -> None:
    from tasksheet.extract.ink import DEFAULT_COLOUR_SHARE, is_grayscale

    img = np.full((400, 500, 3), 200, np.uint8)
    n = (img[::2, ::2].shape[0] * img[::2, ::2].shape[1])
    k = int(DEFAULT_COLOUR_SHARE * n) - 1  # just under the share: still grey
    ys, xs = np.divmod(np.arange(k) * 7 % n, img[::2, ::2].shape[1])
    img[2 * ys, 2 * xs] = (200, 170, 200)  # |B-G| + |G-R| = 60
    assert is_grayscale(img)
    img[2 * ys[:3] + 2, 2 * xs[:3]] = (255, 0, 255)  # a few more (saturating spread): colour
    img[0:8:2, 0:8:2] = (255, 0, 255)
    assert not is_grayscale(img)


def test_seal_candidates_of_an_empty_or_sparse_mask() -> None:
    from tasksheet.extract.seal import _candidates

    assert _candidates(np.zeros((300, 400), bool), 30, 200) == []
    assert _candidates(np.zeros((300, 400), bool), 30, 200, hough=True) == []
    mask = np.zeros((301, 401), np.uint8)
    cv2.circle(mask, (203, 151), 60, 1, 4)
    got = _candidates(mask > 0, 30, 200)
    assert len(got) == 1
    cx, cy, r = got[0]
    assert abs(cx - 203.5) <= 1 and abs(cy - 151.5) <= 1 and abs(r - 62) <= 3


def test_ray_samples_in_and_beyond_the_image() -> None:
    from tasksheet.extract.seal_shape import ray_samples

    mask = np.zeros((50, 60), bool)
    mask[25, 40] = True  # 10 px right of (30, 25)
    inside = ray_samples(mask, 30.0, 25.0, np.array([10.0]), 4)
    assert inside.tolist() == [[True], [False], [False], [False]]
    beyond = ray_samples(mask.astype(np.uint8) * 255, 30.0, 25.0, np.array([10.0, 40.0]), 4)
    assert beyond.dtype == bool and beyond.tolist() == [[True, False]] + [[False, False]] * 3


def test_spot_finds_a_name_between_free_columns() -> None:
    """The Viterbi over (free, name, free) columns: where the name lies, how surely."""
    from tasksheet.extract.seal import _Columns, _spot

    chars = ["", "成", "都", "市", "科"]
    seq = [0, 4, 0, 1, 1, 0, 2, 0, 3, 0, 0]  # 科 then 成都市, CTC-style
    probs = np.full((len(seq), len(chars)), 0.02)
    probs[np.arange(len(seq)), seq] = 0.92
    cols = _Columns(probs, chars, {c: i for i, c in enumerate(chars)})
    spot = _spot(cols, [1, 2, 3])
    assert spot.span == (3, 9) and spot.support == [1.0, 1.0, 1.0]
    assert spot.extra == 1  # 科 right before the name
    assert spot.gain == 0.0 and all(o == pytest.approx(0.02 / 0.92) for o in spot.odds)


def test_rec_columns_index_the_engines_classes_once() -> None:
    from tasksheet.extract.seal import _rec_columns

    classes = ["", "成", "都", "都"]  # a repeated class: the index keeps its last, as before

    class Engine:
        def __init__(self, chars: list[str]) -> None:
            self.chars = chars

        def recognize_columns(self, strips):
            return [(np.eye(4)[:2], self.chars) for _ in strips]

    a = _rec_columns(Engine(classes), [np.zeros((4, 4))] * 2)
    assert a[0].index == {"": 0, "成": 1, "都": 3} and a[0].chars == classes
    assert a[1].index is a[0].index  # the same engine's classes: indexed once
    other = _rec_columns(Engine(["", "市"]), [np.zeros((4, 4))])
    assert other[0].index == {"": 0, "市": 1} and other[0].text() == "市"
