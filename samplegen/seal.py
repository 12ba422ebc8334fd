"""Round red official seals (公章): ring(s), a five-pointed star, the unit's name on the
upper arc; inked unevenly and rotated, returned as RGBA to be multiplied onto the page.

The name along the arc is exactly the text the truth records as `seal_text`, so a seal
reader can be scored against it.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image, ImageDraw
from tasksheet.samplegen.fonts import face

SEAL_FONTS = ("zenhei", "uming")


def star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    pts = []
    for k in range(10):
        rad = r if k % 2 == 0 else r * 0.382
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    return pts


def seal(size: int, text: str, seed: int, color: tuple[int, int, int], angle: float,
         double_ring: bool = True) -> Image.Image:
    """A seal of diameter `size` px; `angle` in degrees turns the whole stamp."""
    rng = np.random.default_rng(seed)
    d = size
    r = d * 0.48
    c = d / 2
    img = Image.new("L", (d, d), 0)
    draw = ImageDraw.Draw(img)
    ring = max(2, round(d * rng.uniform(0.028, 0.036)))
    draw.ellipse((c - r, c - r, c + r, c + r), outline=255, width=ring)
    inner = r - ring
    if double_ring:
        gap = d * 0.025
        draw.ellipse((c - r + ring + gap, c - r + ring + gap, c + r - ring - gap, c + r - ring - gap),
                     outline=255, width=max(1, ring // 3))
        inner -= gap + ring // 3
    draw.polygon(star(c, c + d * 0.01, d * 0.15), fill=255)
    arc_text(img, text, c, inner, d, str(SEAL_FONTS[int(rng.integers(0, 2))]))
    mask = np.asarray(img, np.float32) / 255
    # uneven ink: a smooth pressure field, a lighter side, and speckle where ink did not take
    field = cv2.resize(rng.uniform(0.7, 1.05, (5, 5)).astype(np.float32), (d, d),
                       interpolation=cv2.INTER_CUBIC)
    yy, xx = np.mgrid[0:d, 0:d].astype(np.float32) / d
    a = rng.uniform(0, 2 * math.pi)
    side = 1 - 0.25 * np.clip((xx - 0.5) * math.cos(a) + (yy - 0.5) * math.sin(a) + 0.2, 0, 1)
    speck = rng.random((d, d)).astype(np.float32) > rng.uniform(0.02, 0.08)
    mask = mask * np.clip(field, 0, 1) * side * speck
    mask = cv2.GaussianBlur(mask, (0, 0), max(0.5, d / 400))
    mask = np.clip(mask * rng.uniform(0.85, 1.0), 0, 1)
    m = cv2.getRotationMatrix2D((c, c), angle, 1.0)
    mask = cv2.warpAffine(mask, m, (d, d), flags=cv2.INTER_LINEAR)
    rgba = np.empty((d, d, 4), np.uint8)
    rgba[..., :3] = color
    rgba[..., 3] = (mask * 255 * rng.uniform(0.88, 0.97)).astype(np.uint8)
    return Image.fromarray(rgba, "RGBA")


def arc_text(img: Image.Image, text: str, c: float, inner: float, d: int, font: str) -> None:
    """Characters upright toward the centre, along the upper arc, left to right."""
    n = max(1, len(text))
    size = d * 0.15
    r_text = inner - size * 0.62
    span = min(math.radians(250), n * size * 1.05 / r_text)
    size = min(size, span * r_text / (n * 1.02))
    r_text = inner - size * 0.62
    f = face(font, max(6, round(size)))
    box = round(size * 1.5)
    for i, ch in enumerate(text):
        theta = -span / 2 + span * (i + 0.5) / n  # 0 = straight up
        glyph = Image.new("L", (box, box), 0)
        ImageDraw.Draw(glyph).text((box / 2, box / 2), ch, font=f, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(theta), resample=Image.Resampling.BICUBIC)
        gx = c + r_text * math.sin(theta) - box / 2
        gy = c - r_text * math.cos(theta) - box / 2
        img.paste(255, (round(gx), round(gy)), glyph)
