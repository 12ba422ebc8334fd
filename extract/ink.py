"""Colour and ink helpers shared by the seal and signature detectors.

Seals are red (or mid-grey once a scan is greyscale), signatures blue or black, print black.
Separating inks by colour first is what keeps one detector from seeing the other's marks.
"""

from __future__ import annotations

import cv2
import numpy as np
from tasksheet.extract.scale import components, percentile_u8

Box = tuple[int, int, int, int]

# Hue bands (OpenCV 0..180): red wraps around 0; pink seal ink reaches ~175, violet pens stop ~150.
DEFAULT_RED_HUE_LOW = 12
DEFAULT_RED_HUE_HIGH = 158
DEFAULT_RED_MIN_SAT = 22        # pale, semi-transparent seal ink (real scans) is this faint
DEFAULT_RED_MIN_EXCESS = 15     # R - max(G, B): rejects grey JPEG noise with a random hue
DEFAULT_BLUE_MIN_EXCESS = 25    # B - R for blue ballpoint ink
DEFAULT_COLOUR_SPREAD = 30      # |B-G| + |G-R| of a coloured pixel; JPEG chroma noise stays below
DEFAULT_COLOUR_SHARE = 0.002    # fewer coloured pixels than this: the scan is greyscale
DEFAULT_TEXT_HEIGHT = 30.0      # ≈ 10.5 pt at 200 DPI, used only when nothing can be measured
DEFAULT_PRINT_UNDER_RED = 0.55  # × the paper's level, in every channel: black print under red


def to_gray(image: np.ndarray) -> np.ndarray:
    """Grey view of a BGR or grey image (no copy when already grey)."""
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def clip_box(box: Box | None, shape: tuple[int, ...]) -> Box:
    """`box` clipped to an image of `shape`; None means the whole image."""
    h, w = shape[:2]
    if box is None:
        return 0, 0, w, h
    x0, y0, x1, y1 = (int(v) for v in box)
    return max(0, x0), max(0, y0), min(w, max(x0, x1)), min(h, max(y0, y1))


def is_grayscale(image: np.ndarray) -> bool:
    """True for grey arrays and for colour arrays with (almost) no coloured pixels.

    A colour page is mostly grey too; a few thousandths of coloured pixels (a seal, a pen)
    are what make it colour.
    """
    if image.ndim == 2:
        return True
    b, g, r = cv2.split(np.ascontiguousarray(image[::2, ::2, :3]))
    # |B − G| + |G − R| in uint8, saturated at 255: the same test against a bar under 255
    spread = cv2.add(cv2.absdiff(b, g), cv2.absdiff(g, r))
    coloured = cv2.countNonZero(cv2.compare(spread, DEFAULT_COLOUR_SPREAD, cv2.CMP_GE))
    return coloured / spread.size < DEFAULT_COLOUR_SHARE


def red_mask(image: np.ndarray) -> np.ndarray:
    """Boolean mask of red/pink ink (both ends of the hue circle); empty for grey images."""
    if image.ndim == 2:
        return np.zeros(image.shape, bool)
    # R − max(G, B) first, saturated at 0 (the bar is above 0: the same test as in int16):
    # most crops hold no red at all, and the hue is needed only round the pixels that pass
    b, g, r = cv2.split(image)
    excess = cv2.compare(cv2.subtract(r, cv2.max(g, b)), DEFAULT_RED_MIN_EXCESS, cv2.CMP_GE)
    out = np.zeros(image.shape[:2], bool)
    x, y, w, h = cv2.boundingRect(excess)
    if w == 0 or h == 0:
        return out
    hsv = cv2.cvtColor(np.ascontiguousarray(image[y:y + h, x:x + w]), cv2.COLOR_BGR2HSV)
    hue, sat = hsv[..., 0], hsv[..., 1]
    red_hue = (hue <= DEFAULT_RED_HUE_LOW) | (hue >= DEFAULT_RED_HUE_HIGH)
    out[y:y + h, x:x + w] = red_hue & (sat >= DEFAULT_RED_MIN_SAT) & (excess[y:y + h, x:x + w] > 0)
    return out


def dark_in_every_channel(image: np.ndarray) -> np.ndarray:
    """Boolean mask of ink dark in every colour channel (each under
    `DEFAULT_PRINT_UNDER_RED` of that channel's paper level): black print, also where a
    red seal is stamped over it. Red ink lets the red light through (a seal's star at
    R 205 of the paper's 230), black print does not, whatever lies on it (B 82, G 88,
    R 103 under the same star), so a red mask's pixels that are dark in all three
    channels are print to keep. Empty for grey images (no colour tells them apart)."""
    if image.ndim == 2:
        return np.zeros(image.shape, bool)
    out = np.ones(image.shape[:2], bool)
    for plane in cv2.split(image)[:3]:
        out &= plane < DEFAULT_PRINT_UNDER_RED * background_level(plane)
    return out


def blue_mask(image: np.ndarray) -> np.ndarray:
    """Boolean mask of blue/violet pen ink; empty for grey images."""
    if image.ndim == 2:
        return np.zeros(image.shape, bool)
    b, g, r = (image[..., i].astype(np.int16) for i in range(3))
    return (b - r >= DEFAULT_BLUE_MIN_EXCESS) & (b - g >= DEFAULT_BLUE_MIN_EXCESS // 2) & (b < 250)


def background_level(gray: np.ndarray) -> float:
    """Paper brightness: a high percentile, robust to a page full of ink."""
    # a uint8 image's percentile from its histogram (the same value, a third of the cost)
    return percentile_u8(gray, 90) if gray.size else 255.0


def dark_mask(gray: np.ndarray, background: float | None = None) -> np.ndarray:
    """Boolean mask of ink clearly darker than the paper (black print, pen, grey seals)."""
    bg = background_level(gray) if background is None else background
    thr = min(bg - 45.0, bg * 0.78)
    return gray < thr


def estimate_text_height(image: np.ndarray) -> float | None:
    """Median height of character-sized dark components; None when too few to trust.

    Used when the caller has no `PageScale`: sizes of seals and signatures are judged
    in text heights so the detectors work from 150 to 600 DPI.
    """
    gray = to_gray(image)
    scale = 1.0
    if max(gray.shape) > 1800:  # measure on a smaller copy: a fifth of the time, same median
        scale = 1800.0 / max(gray.shape)
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = dark_mask(gray).astype(np.uint8)
    n, _, stats, _ = components(ink)
    if n < 2:
        return None
    w, h, area = stats[1:, 2], stats[1:, 3], stats[1:, 4]
    h_max = 0.08 * max(gray.shape)
    ok = (h >= 6) & (h <= h_max) & (w <= 3 * h) & (w >= 0.2 * h) & (area >= 0.08 * w * h)
    if ok.sum() < 8:
        return None
    # Chinese glyphs split into radicals; the upper quartile is closer to a full glyph.
    return float(np.percentile(h[ok], 75)) / scale


def text_height_or_estimate(image: np.ndarray, text_height: float | None,
                            fallback: float = DEFAULT_TEXT_HEIGHT) -> float:
    """The caller's text height, else one measured on `image`, else `fallback`."""
    if text_height and text_height > 0:
        return float(text_height)
    measured = estimate_text_height(image)
    return measured if measured else fallback


def column_runs(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(x0, x1, top, bottom) of each run of inked columns of `mask`, parted by blank
    columns: the glyphs of a line of print, each with the rows its ink spans."""
    cols = mask.any(axis=0)
    out, start = [], None
    for i, inked in enumerate(np.append(cols, False)):
        if inked and start is None:
            start = i
        elif not inked and start is not None:
            rows = np.flatnonzero(mask[:, start:i].any(axis=1))
            out.append((start, i, int(rows[0]), int(rows[-1]) + 1))
            start = None
    return out
