"""Grey seals stamped unevenly: the ink pressed harder on one side is darker than the
ring's median tone, yet still seal ink, never print (issue #17: wp-04's 成都市民政局 and
成都市老科技工作者协会, whose darker glyphs were taken for print and painted over)."""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
import pytest
from helpers.drawing import stamp
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.seal import find_seals, read_seal_unit, seal_ink_strength

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
UNIT = "成都市科学技术协会"

OTHERS = ["成都市民政局", "成都市气象学会"]


def test_seal_ink_darker_than_its_ring_is_not_print() -> None:
    page = np.full((60, 60), 245, np.uint8)
    page[10:50, 28:32] = 110     # a seal stroke pressed harder than the ring's tone (150)
    page[28:32, 5:55] = 25       # black print across it
    strength, hidden = seal_ink_strength(page, "grey", rim=0, level=150.0)
    assert not hidden[15, 30] and strength[15, 30] > 0.8
    assert hidden[30, 10] and hidden[30, 30]


def _seal_ink(text: str, radius: int, angle: float, rng: np.random.Generator) -> np.ndarray:
    """Ink coverage 0..1 of a round seal (ring, star, arc text over the upper 240°), its
    pressure varying smoothly between 55 % and 100 %."""
    size = 2 * radius + 4
    c = size / 2
    img = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(img)
    draw.ellipse([c - radius, c - radius, c + radius, c + radius], outline=255,
                 width=max(3, radius // 17))
    star = [(c + (0.3 if k % 2 == 0 else 0.114) * radius * math.cos(-math.pi / 2 + k * math.pi / 5),
             c + (0.3 if k % 2 == 0 else 0.114) * radius * math.sin(-math.pi / 2 + k * math.pi / 5))
            for k in range(10)]
    draw.polygon(star, fill=255)
    font = ImageFont.truetype(str(FONT), int(radius * 0.3))
    for i, ch in enumerate(text):
        theta = 150 + (i + 0.5) * 240 / len(text)
        glyph = Image.new("L", (int(radius * 0.4),) * 2, 0)
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, fill=255,
                                   font=font, anchor="mm")
        glyph = glyph.rotate(270 - theta, resample=Image.BICUBIC)
        x = c + 0.72 * radius * math.cos(math.radians(theta))
        y = c + 0.72 * radius * math.sin(math.radians(theta))
        img.paste(255, (int(x - glyph.width / 2), int(y - glyph.height / 2)), glyph)
    ink = np.asarray(img.rotate(angle, resample=Image.BICUBIC), np.float32) / 255.0
    noise = cv2.resize(rng.uniform(0.55, 1.0, (6, 6)).astype(np.float32), (size, size),
                       interpolation=cv2.INTER_CUBIC)
    return ink * noise


def _page(rng: np.random.Generator, center: tuple[int, int]) -> np.ndarray:
    """A white page whose opinion block's print (three lines, as 负责人（签字）, 单位公章
    and the date) runs through the seal's place, and a ruling below it."""
    img = Image.new("RGB", (900, 700), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 29)  # 10.5 pt at 200 DPI
    chars = "项目承接单位委托协调经费支持性质来源政策负责人签字公章年月日"
    for dy in (-60, 0, 60):
        line = "".join(rng.choice(list(chars)) for _ in range(9))
        draw.text((center[0] - 130, center[1] + dy), line, fill=(20, 20, 20), font=font)
    draw.line([(10, center[1] + 200), (890, center[1] + 200)], fill=(0, 0, 0), width=2)
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


def _uneven(seed: int, unit: str) -> tuple[np.ndarray, tuple[int, int], int]:
    """A grey page with a seal inked hard on its right side and lightly on its left."""
    rng = np.random.default_rng(seed)
    radius = 157  # a 40 mm seal at 200 DPI
    center = (450, 350)
    ink = _seal_ink(unit, radius, float(rng.uniform(-20, 20)), rng)
    ramp = np.linspace(0.5, 1.6, ink.shape[1], dtype=np.float32)[None, :]
    page = stamp(_page(rng, center), np.clip(ink * ramp, 0.0, 1.0), center)
    return cv2.cvtColor(page, cv2.COLOR_BGR2GRAY), center, radius


@pytest.mark.parametrize("seed", [1, 2])
def test_unevenly_stamped_grey_seal_names_its_unit(seed: int) -> None:
    if not FONT.exists():
        pytest.skip(f"font {FONT} is absent")
    from tasksheet.extract.ocr import get_engine

    gray, (cx, cy), r = _uneven(seed, UNIT)
    seals = find_seals(gray, region=(cx - 2 * r, cy - 2 * r, cx + 2 * r, cy + 2 * r))
    assert len(seals) == 1
    said = read_seal_unit(gray, seals[0], get_engine(), [OTHERS[0], UNIT, OTHERS[1]])
    assert said.unit == UNIT and said.score >= 0.9, said
    # Its unit left out of the candidates: no other unit is named, surely or not.
    said = read_seal_unit(gray, seals[0], get_engine(), OTHERS)
    assert said.unit is None, said
