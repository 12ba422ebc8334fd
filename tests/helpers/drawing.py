"""Generated page pieces: checkbox lines with every tick style, pen signatures."""

from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONTS = [
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
]


TICK_BLUE = (30, 40, 160)  # RGB: the pen of the ticks draw_line draws
Box = tuple[int, int, int, int]


def iou(a: Box, b: Box) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def _ink_bbox(font: ImageFont.FreeTypeFont, glyph: str, x: int, y: int) -> Box:
    """The glyph's inked box (inclusive) when drawn at (x, y)."""
    size = font.size
    im = Image.new("L", (3 * size, 3 * size), 0)
    ImageDraw.Draw(im).text((size, size), glyph, fill=255, font=font)
    ys, xs = np.nonzero(np.array(im) > 127)
    return x + xs.min() - size, y + ys.min() - size, x + xs.max() - size, y + ys.max() - size


def draw_line(
    tokens: list[str], dpi: int, font_path: str, width_in: float = 8.0
) -> tuple[np.ndarray, list[tuple[Box, bool]]]:
    """Render a checkbox line; tokens are text or ``[style]`` with style in
    none / glyph (☑) / filled (■) / check (drawn √) / cross (drawn ×) /
    heavy (a thick drawn √ that runs into the next character).
    Returns the BGR image and the expected (box, ticked) list, left to right."""
    size = round(10.5 / 72 * dpi)
    font = ImageFont.truetype(font_path, size)
    img = Image.new("RGB", (int(width_in * dpi), 3 * size), "white")
    d = ImageDraw.Draw(img)
    x, y = size // 2, size
    expected: list[tuple[Box, bool]] = []
    pen = max(2, round(size / 12))
    for tok in tokens:
        if not tok.startswith("["):
            d.text((x, y), tok, fill="black", font=font)
            x += round(font.getlength(tok))
            continue
        style = tok[1:-1]
        glyph = "■" if style == "filled" else "□"
        d.text((x, y), glyph, fill="black", font=font)
        lf, t, r, b = _ink_bbox(font, glyph, x, y)
        s = r - lf
        if style == "glyph":  # ☑: a printed check inside the box
            d.line(
                [
                    (lf + 0.2 * s, t + 0.5 * s),
                    (lf + 0.42 * s, t + 0.75 * s),
                    (lf + 0.8 * s, t + 0.22 * s),
                ],
                fill="black",
                width=max(1, pen - 1),
            )
        elif style == "check":  # √ in blue pen, spilling over the top-right corner
            d.line(
                [
                    (lf + 0.1 * s, t + 0.45 * s),
                    (lf + 0.4 * s, t + 0.9 * s),
                    (r + 0.35 * s, t - 0.4 * s),
                ],
                fill=TICK_BLUE,
                width=pen,
            )
        elif style == "cross":  # × in blue pen, strokes crossing the border
            d.line(
                [(lf - 0.15 * s, t - 0.1 * s), (r + 0.1 * s, b + 0.15 * s)], fill=TICK_BLUE, width=pen
            )
            d.line(
                [(r + 0.15 * s, t - 0.15 * s), (lf - 0.1 * s, b + 0.1 * s)], fill=TICK_BLUE, width=pen
            )
        elif style == "heavy":  # a thick √ run across the box into the next character
            d.line(
                [
                    (lf + 0.15 * s, t + 0.5 * s),
                    (lf + 0.45 * s, t + 0.95 * s),
                    (r + 0.6 * s, t - 0.1 * s),
                ],
                fill=TICK_BLUE,
                width=2 * pen + 1,
            )
        expected.append(((lf, t, r + 1, b + 1), style != "none"))
        x += round(font.getlength(glyph))
    return np.ascontiguousarray(np.array(img)[:, :, ::-1]), expected


def draw_signature(page: np.ndarray, box: tuple[int, int, int, int], color: tuple[int, int, int],
                   rng: np.random.Generator) -> None:
    """Cursive-like pen strokes: chained cubic Béziers, pen width varying along the stroke."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    sx, sy = x0 + w * rng.uniform(0.1, 0.3), y0 + h * 0.5
    for _ in range(int(rng.integers(2, 4))):
        pts = [(sx, sy)] + [(sx + rng.uniform(-0.1, 0.3) * w, y0 + rng.uniform(0.15, 0.85) * h)
                            for _ in range(3)]
        for t in np.linspace(0, 1, 160):
            bx = sum(c * p[0] for c, p in zip(_bern(t), pts, strict=True))
            by = sum(c * p[1] for c, p in zip(_bern(t), pts, strict=True))
            r = 1.0 + 1.2 * (0.5 + 0.5 * math.sin(6 * t + rng.uniform(0, 0.3)))
            cv2.circle(page, (int(bx), int(by)), int(round(r)), color, -1, cv2.LINE_AA)
        sx, sy = pts[-1]


def _bern(t: float) -> tuple[float, float, float, float]:
    return (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3


def plain_seal_ink(shape: tuple[int, int], center: tuple[int, int], radius: int) -> np.ndarray:
    """A plain seal's ink (ring, star, glyph-like strokes on the arc), 0..1, page-sized."""
    ink = np.zeros(shape, np.float32)
    cv2.circle(ink, center, radius, 1.0, max(3, radius // 17), cv2.LINE_AA)
    cx, cy = center
    star = [(cx + (radius * 0.3 if k % 2 == 0 else radius * 0.11) * math.cos(-math.pi / 2 + k * math.pi / 5),
             cy + (radius * 0.3 if k % 2 == 0 else radius * 0.11) * math.sin(-math.pi / 2 + k * math.pi / 5))
            for k in range(10)]
    cv2.fillPoly(ink, [np.array(star, np.int32)], 1.0)
    for a in range(150, 400, 22):  # arc "glyphs": short strokes in several directions
        t = math.radians(a)
        px, py = cx + 0.72 * radius * math.cos(t), cy + 0.72 * radius * math.sin(t)
        for d in (0, 60, 120):
            dx, dy = 0.1 * radius * math.cos(math.radians(a + d)), 0.1 * radius * math.sin(math.radians(a + d))
            cv2.line(ink, (int(px - dx), int(py - dy)), (int(px + dx), int(py + dy)), 1.0, 3)
    return ink


def stamp(page: np.ndarray, ink: np.ndarray, center: tuple[int, int],
          color_bgr: tuple[int, int, int] = (45, 35, 215)) -> np.ndarray:
    """Multiply semi-transparent seal ink (a patch centred at `center`) onto the page, as a
    stamp lies over print."""
    out = page.astype(np.float32)
    h, w = ink.shape
    x0, y0 = center[0] - w // 2, center[1] - h // 2
    tint = 1.0 - ink[..., None] * (1.0 - np.array(color_bgr, np.float32) / 255.0)
    out[y0:y0 + h, x0:x0 + w] *= tint
    return np.clip(out, 0, 255).astype(np.uint8)


def render_line(text: str, font_path: str = FONTS[1], size: int = 36) -> np.ndarray:
    """`text` drawn black on white as one line crop (grey), as the recogniser is given it."""
    font = ImageFont.truetype(font_path, size)
    img = Image.new("L", (40 + 40 * len(text), 64), 255)
    ImageDraw.Draw(img).text((16, 12), text, font=font, fill=0)
    return np.array(img)


def table_canvas(col_w: list[float], rows: int, th: float, dpi: int, font_path: str = FONTS[1],
                 row_h: float = 2.2) -> tuple[list[int], list[int], Image.Image,
                                              ImageDraw.ImageDraw, ImageFont.FreeTypeFont]:
    """A white A4-wide page for a table drawn from (0.6, 0.8) inch: its column edges (`col_w`
    in text heights `th`), its `rows` row edges (`row_h` text heights apart), the image, a
    pen on it and the font at the text height."""
    x0, y0 = int(0.6 * dpi), int(0.8 * dpi)
    xs = [x0 + round(th * sum(col_w[:i])) for i in range(len(col_w) + 1)]
    ys = [y0 + round(row_h * th * i) for i in range(rows + 1)]
    img = Image.new("RGB", (int(8.27 * dpi), int(3 * dpi)), "white")
    return xs, ys, img, ImageDraw.Draw(img), ImageFont.truetype(font_path, round(th))
