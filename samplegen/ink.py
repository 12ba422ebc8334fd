"""Pen ink: signatures and hand-drawn ticks, as RGBA images at a given resolution.

Strokes are drawn as anti-aliased segments whose width follows a smooth pressure curve,
so a signature reads as a few connected cursive strokes rather than a scribble of noise.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image

Point = tuple[float, float]


def stroke_mask(strokes: list[tuple[list[Point], float]], w: int, h: int) -> np.ndarray:
    """Rasterise strokes (points in 0..1 of the box, base width in px) into a uint8 mask."""
    mask = np.zeros((h, w), np.uint8)
    for points, width in strokes:
        n = len(points)
        for i in range(n - 1):
            pressure = 0.55 + 0.45 * math.sin(math.pi * (i + 0.5) / max(1, n - 1))
            th = max(1, round(width * pressure))
            p0 = (round(points[i][0] * w * 8), round(points[i][1] * h * 8))
            p1 = (round(points[i + 1][0] * w * 8), round(points[i + 1][1] * h * 8))
            cv2.line(mask, p0, p1, 255, th, cv2.LINE_AA, shift=3)
    return mask


def to_rgba(mask: np.ndarray, color: tuple[int, int, int], opacity: float = 0.92) -> Image.Image:
    h, w = mask.shape
    rgba = np.empty((h, w, 4), np.uint8)
    rgba[..., :3] = color
    rgba[..., 3] = (mask.astype(np.float32) * opacity).astype(np.uint8)
    return Image.fromarray(rgba, "RGBA")


def smooth(points: list[Point], steps: int = 6) -> list[Point]:
    """Catmull-Rom through the control points: a pen path without corners."""
    if len(points) < 3:
        return points
    pts = [points[0], *points, points[-1]]
    out: list[Point] = []
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for k in range(steps):
            t = k / steps
            t2, t3 = t * t, t * t * t
            out.append(tuple(  # type: ignore[arg-type]
                0.5 * (2 * p1[j] + (-p0[j] + p2[j]) * t + (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t2
                       + (-p0[j] + 3 * p1[j] - 3 * p2[j] + p3[j]) * t3) for j in range(2)))
    out.append(points[-1])
    return out


def signature(w: int, h: int, seed: int, color: tuple[int, int, int], px_per_mm: float) -> Image.Image:
    """A cursive-looking signature: 2–4 strokes of loops drifting right, then a flourish."""
    rng = np.random.default_rng(seed)
    strokes: list[tuple[list[Point], float]] = []
    base_w = px_per_mm * rng.uniform(0.35, 0.6)
    n_glyphs = int(rng.integers(2, 4))
    x = rng.uniform(0.03, 0.15)
    span = (0.8 - x) / n_glyphs
    for _ in range(n_glyphs):
        ctrl: list[Point] = []
        k = int(rng.integers(6, 11))
        up = bool(rng.random() < 0.5)
        for i in range(k):
            px = x + span * (i / (k - 1)) + rng.normal(0, span * 0.22)
            py = rng.uniform(0.08, 0.4) if up else rng.uniform(0.55, 0.92)
            up = not up if rng.random() < 0.8 else up
            ctrl.append((px, py))
        strokes.append((smooth(ctrl, 8), base_w * rng.uniform(0.8, 1.2)))
        x += span * rng.uniform(0.85, 1.1)
    if rng.random() < 0.7:  # trailing flourish / underline
        y0 = rng.uniform(0.7, 0.88)
        ctrl = [(rng.uniform(0.05, 0.3), y0 + rng.uniform(-0.05, 0.05)),
                (0.5, y0 + rng.uniform(-0.08, 0.04)), (rng.uniform(0.8, 0.97), y0 - rng.uniform(0.05, 0.3))]
        strokes.append((smooth(ctrl, 10), base_w * 0.8))
    return to_rgba(stroke_mask(strokes, w, h), color)


def hand_tick(kind: str, w: int, h: int, seed: int, color: tuple[int, int, int],
              px_per_mm: float) -> Image.Image:
    """A hand-drawn √ or × over a checkbox (the box is the middle of the image)."""
    rng = np.random.default_rng(seed)
    width = max(1.5, px_per_mm * rng.uniform(0.3, 0.45))

    def j() -> float:
        return float(rng.normal(0, 0.04))

    if kind == "check":
        strokes = [([(0.12 + j(), 0.5 + j()), (0.3, 0.68 + j()), (0.42 + j(), 0.88 + j()),
                     (0.65, 0.45 + j()), (0.95 + j(), 0.05 + j())], width)]
        strokes = [(smooth(strokes[0][0], 5), width)]
    else:
        strokes = [(smooth([(0.1 + j(), 0.15 + j()), (0.5, 0.52 + j()), (0.92 + j(), 0.9 + j())]), width),
                   (smooth([(0.9 + j(), 0.12 + j()), (0.5, 0.5 + j()), (0.1 + j(), 0.92 + j())]), width)]
    return to_rgba(stroke_mask(strokes, w, h), color, 0.95)


def heavy_tick(kind: str, w: int, h: int, seed: int, color: tuple[int, int, int],
               px_per_mm: float) -> Image.Image:
    """A heavy ✗ across the box and the start of its label (`xheavy`), or a ✓ whose long arm
    reaches over the label (`vlong`); the box is the left `h` px of the image."""
    rng = np.random.default_rng(seed)
    width = max(2.0, px_per_mm * rng.uniform(0.55, 0.9))
    box = min(1.0, h / max(1, w))  # the box's share of the width

    def j() -> float:
        return float(rng.normal(0, 0.035))

    if kind == "xheavy":
        r = min(1.0, box * rng.uniform(1.4, 2.2))
        strokes = [(smooth([(0.02 + j(), 0.1 + j()), (r / 2, 0.5 + j()), (r - 0.02, 0.92 + j())]), width),
                   (smooth([(r - 0.02 + j(), 0.08 + j()), (r / 2, 0.5 + j()), (0.03, 0.94 + j())]), width)]
    else:
        strokes = [(smooth([(0.05 * box + j(), 0.55 + j()), (0.3 * box, 0.75 + j()),
                            (0.5 * box + j(), 0.95 + j()), (0.55, 0.45 + j()), (0.97 + j(), 0.03 + j())], 5),
                    width * 0.8)]
    return to_rgba(stroke_mask(strokes, w, h), color, 0.95)


def name_signature(w: int, h: int, seed: int, color: tuple[int, int, int], name: str,
                   font: str) -> Image.Image:
    """The signer's name written fast: big slanted characters running together, sometimes
    a flourish under them (the examples' 李婷, 张敏 in a 签字 cell)."""
    from PIL import ImageDraw
    from tasksheet.samplegen.fonts import face

    rng = np.random.default_rng(seed)
    px = max(6, int(min(h * rng.uniform(0.6, 0.85), w * 0.95 / max(1, len(name)) / 0.85)))
    canvas = np.zeros((h, w), np.uint8)
    x = rng.uniform(0.0, max(0.0, w - px * 0.85 * len(name))) * 0.5
    base = h / 2 + px * 0.35
    for ch in name:
        im = Image.new("L", (px * 2, px * 2), 0)
        ImageDraw.Draw(im).text((px * 0.5, px * 1.4), ch, font=face(font, px), fill=255, anchor="ls")
        g = np.asarray(im)
        shear = rng.uniform(0.15, 0.35)  # a fast hand leans right
        m = np.float32([[1, -shear, shear * px], [0, 1, 0]])
        m = cv2.getRotationMatrix2D((px, px), float(rng.normal(-4, 4)), rng.uniform(0.9, 1.1)) @ \
            np.vstack([m, [0, 0, 1]])
        g = cv2.warpAffine(g, m.astype(np.float32), (px * 2, px * 2))
        g = cv2.dilate(g, np.ones((2, 2), np.uint8)) if rng.random() < 0.5 else g
        gx, gy = round(x - px * 0.5), round(base - px * 1.4 + rng.normal(0, px * 0.06))
        xa, ya, xb, yb = max(0, gx), max(0, gy), min(w, gx + px * 2), min(h, gy + px * 2)
        if xa < xb and ya < yb:
            sub = canvas[ya:yb, xa:xb]
            np.maximum(sub, g[ya - gy:yb - gy, xa - gx:xb - gx], out=sub)
        x += px * rng.uniform(0.72, 0.9)
    if rng.random() < 0.5:  # a tail from the last character
        y0 = rng.uniform(0.55, 0.8)
        tail = smooth([(min(0.95, x / w), y0), (min(0.98, x / w + 0.08), y0 - 0.1),
                       (min(0.99, x / w + 0.12), y0 - rng.uniform(0.15, 0.3))], 6)
        canvas = np.maximum(canvas, stroke_mask([(tail, max(1.5, px * 0.06))], w, h))
    return to_rgba(canvas, color)


def speck(w: int, h: int, seed: int, color: tuple[int, int, int]) -> Image.Image:
    """A dust dot: a small irregular blot filling most of its box."""
    rng = np.random.default_rng(seed)
    mask = np.zeros((h, w), np.uint8)
    axes = (max(1, round(w / 2 * rng.uniform(0.6, 1.0))), max(1, round(h / 2 * rng.uniform(0.6, 1.0))))
    cv2.ellipse(mask, (w // 2, h // 2), axes, float(rng.uniform(0, 180)), 0, 360, 255, -1, cv2.LINE_AA)
    return to_rgba(mask, color, float(rng.uniform(0.6, 0.95)))


def scribble(w: int, h: int, seed: int, color: tuple[int, int, int],
             px_per_mm: float) -> Image.Image:
    """A box inked solid by pen: zig-zag strokes back and forth over it, a few gaps left
    (an office's way to mark the chosen □, where others tick it)."""
    rng = np.random.default_rng(seed)
    width = max(2.0, px_per_mm * rng.uniform(0.45, 0.7))
    n = int(rng.integers(5, 9))
    pts: list[Point] = []
    for i in range(n):
        y = 0.1 + 0.8 * i / (n - 1) + float(rng.normal(0, 0.03))
        xs = (0.08 + float(rng.normal(0, 0.04)), 0.92 + float(rng.normal(0, 0.04)))
        pts += [(xs[i % 2], y), (xs[(i + 1) % 2], y + 0.4 / n)]
    return to_rgba(stroke_mask([(pts, width)], w, h), color, 0.93)
