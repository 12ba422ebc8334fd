"""Draw a `PageLayout` into a white RGB page at a given DPI (directly, no resampling).

Order matters as on paper: print first, then pen (values, signatures, ticks), then the
seals, multiplied over whatever they land on.
"""

from __future__ import annotations

import math
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw
from tasksheet.samplegen.fonts import BOLD, HAND_FONT, face
from tasksheet.samplegen.ink import (
    hand_tick,
    heavy_tick,
    name_signature,
    scribble,
    signature,
    speck,
)
from tasksheet.samplegen.layout import PAGE_H, PAGE_W, Line, Mark, PageLayout, Text
from tasksheet.samplegen.seal import seal

PRINT_BLACK = (18, 18, 20)


def page_size(dpi: int) -> tuple[int, int]:
    return round(PAGE_W / 25.4 * dpi), round(PAGE_H / 25.4 * dpi)


def render_page(page: PageLayout, dpi: int) -> np.ndarray:
    """The page as an RGB uint8 array (H, W, 3) at `dpi`."""
    k = dpi / 25.4
    w, h = page_size(dpi)
    img = Image.new("RGB", (w, h), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    hand: dict[tuple[int, int, int], np.ndarray] = {}
    for it in [*page.items, *page.furniture]:
        if isinstance(it, Line):
            x0, y0, x1, y1 = tilted(it, page.tilt)
            draw.line((x0 * k, y0 * k, x1 * k, y1 * k), fill=PRINT_BLACK,
                      width=max(1, round(it.width * k)))
        elif isinstance(it, Text) and not it.hand:
            if it.text:
                bold = max(1, round(it.size * k * 0.035)) if it.font.endswith(BOLD) else 0
                ink = it.color if it.color != (0, 0, 0) else PRINT_BLACK  # a stamp's colour
                draw.text((it.x * k, it.y * k), it.text, font=face(it.font, round(it.size * k)),
                          fill=ink, anchor="ls", stroke_width=bold, stroke_fill=ink)
        elif isinstance(it, Text):
            layer = hand.setdefault(it.color, np.zeros((h, w), np.uint8))
            handwrite(layer, it, k)
    arr = np.asarray(img).copy()
    for color, layer in hand.items():
        multiply(arr, cv2.convertScaleAbs(layer, alpha=0.93), color, 0, 0)
    marks = [m for m in page.items if isinstance(m, Mark)]
    for m in sorted(marks, key=lambda m: m.kind == "seal"):
        x0, y0 = round(m.box[0] * k), round(m.box[1] * k)
        mw, mh = max(2, round((m.box[2] - m.box[0]) * k)), max(2, round((m.box[3] - m.box[1]) * k))
        im = mark_image(m, mw, mh, k)
        rgba = np.asarray(im)
        multiply(arr, np.ascontiguousarray(rgba[..., 3]), m.color, x0, y0)
    return arr


def tilted(line: Line, deg: float) -> tuple[float, float, float, float]:
    """The rule's ends turned `deg` degrees (clockwise on the page) about the page's centre."""
    if not deg:
        return line.x0, line.y0, line.x1, line.y1
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    cx, cy = PAGE_W / 2, PAGE_H / 2

    def turn(x: float, y: float) -> tuple[float, float]:
        return cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c

    return (*turn(line.x0, line.y0), *turn(line.x1, line.y1))


def mark_image(m: Mark, w: int, h: int, px_per_mm: float) -> Image.Image:
    """The RGBA image of a mark at its size in px (shared with the PDF renderer)."""
    if m.kind == "seal":
        return seal(min(w, h), m.text, m.seed, m.color, m.angle, m.double_ring)
    if m.kind == "signature" and m.text:
        return name_signature(w, h, m.seed, m.color, m.text, HAND_FONT)
    if m.kind == "signature":
        return signature(w, h, m.seed, m.color, px_per_mm)
    if m.kind == "dot":
        return speck(w, h, m.seed, m.color)
    if m.kind == "scribble":
        return scribble(w, h, m.seed, m.color, px_per_mm)
    if m.kind in ("xheavy", "vlong"):
        return heavy_tick(m.kind, w, h, m.seed, m.color, px_per_mm)
    return hand_tick(m.kind, w, h, m.seed, m.color, px_per_mm)


def multiply(arr: np.ndarray, alpha: np.ndarray, color: tuple[int, int, int], x0: int, y0: int) -> None:
    """Multiply-blend ink of colour `color` and uint8 coverage `alpha` onto `arr` at (x0, y0)."""
    bx, by, bw, bh = cv2.boundingRect(alpha)  # only where there is ink
    if bw == 0 or bh == 0:
        return
    x0, y0 = x0 + bx, y0 + by
    alpha = alpha[by:by + bh, bx:bx + bw]
    H, W = arr.shape[:2]
    xa, ya, xb, yb = max(0, x0), max(0, y0), min(W, x0 + bw), min(H, y0 + bh)
    if xa >= xb or ya >= yb:
        return
    a = np.ascontiguousarray(alpha[ya - y0:yb - y0, xa - x0:xb - x0])
    region = arr[ya:yb, xa:xb]
    for ch in range(3):
        factor = cv2.convertScaleAbs(a, alpha=-(1 - color[ch] / 255), beta=255)
        region[..., ch] = cv2.multiply(np.ascontiguousarray(region[..., ch]), factor, scale=1 / 255)


@lru_cache(maxsize=20000)
def glyph_mask(font: str, px: int, ch: str) -> tuple[np.ndarray, int, int]:
    """A glyph's coverage mask and its offset from the baseline-left origin."""
    f = face(font, px)
    x0, y0, x1, y1 = f.getbbox(ch, anchor="ls")
    im = Image.new("L", (max(1, x1 - x0), max(1, y1 - y0)), 0)
    ImageDraw.Draw(im).text((-x0, -y0), ch, font=f, fill=255, anchor="ls")
    return np.asarray(im), x0, y0


def handwrite(layer: np.ndarray, t: Text, k: float) -> None:
    """Each character with its own offset, size and slant: a hand, not a typeface."""
    rng = np.random.default_rng(t.seed)
    x = t.x * k
    base = t.size * k
    drift = 0.0
    H, W = layer.shape
    for ch in t.text:
        px = max(4, round(base * rng.uniform(0.9, 1.08)))
        adv = face(t.font, px).getlength(ch)
        if ch.strip():
            drift = 0.7 * drift + rng.normal(0, base * 0.04)
            mask, dx, dy = glyph_mask(t.font, px, ch)
            gh, gw = mask.shape
            pad = max(2, px // 5)
            rot = cv2.warpAffine(cv2.copyMakeBorder(mask, pad, pad, pad, pad, cv2.BORDER_CONSTANT, 0),
                                 cv2.getRotationMatrix2D((gw / 2 + pad, gh / 2 + pad), rng.normal(0, 3.5), 1.0),
                                 (gw + 2 * pad, gh + 2 * pad))
            gx = round(x + dx + rng.normal(0, base * 0.03)) - pad
            gy = round(t.y * k + dy + drift) - pad
            xa, ya = max(0, gx), max(0, gy)
            xb, yb = min(W, gx + rot.shape[1]), min(H, gy + rot.shape[0])
            if xa < xb and ya < yb:
                sub = layer[ya:yb, xa:xb]
                np.maximum(sub, rot[ya - gy:yb - gy, xa - gx:xb - gx], out=sub)
        x += adv * rng.uniform(0.95, 1.08)


def to_image(arr: np.ndarray) -> Image.Image:
    return Image.fromarray(arr, "L" if arr.ndim == 2 else "RGB")
