"""Is a signature cell signed? Pen strokes versus everything else that inks a cell.

A 签字 cell can hold ink that is not a signature: its own ruling lines, a red seal
stamped across it, the dash "—" the form asks for in empty fields, scan specks, and the
printed label (passed as `exclude`). We remove those by colour (red), by shape (long
straight runs are lines; tiny components are specks) and by position, then judge what
is left by size in text heights and by how many directions its strokes take: a signature
is at least half a character tall and curves every way, a dash runs one way only.

>>> detect_signature(page, cell, text_height=29)   # doctest: +SKIP
SignatureResult(signed=True, bbox=(412, 1490, 618, 1560), confidence=0.93, ink=0.021)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from tasksheet.extract.ink import (
    Box,
    background_level,
    blue_mask,
    clip_box,
    column_runs,
    dark_in_every_channel,
    dark_mask,
    is_grayscale,
    red_mask,
    text_height_or_estimate,
    to_gray,
)
from tasksheet.extract.seal_shape import DEFAULT_RING_BLANK, fit_circle, ring_band

DEFAULT_DISC_MARGIN = 1.08  # × seal radius: its ring's outer edge, blur and rim included
DEFAULT_LINE_TH = 2.5          # a straight run this many text heights long is a ruling line
DEFAULT_LINE_SHARE = 0.6       # ... or this share of the region's side, in short cells
DEFAULT_RULING_THICK = 0.15   # a ruling is at most this thick (text heights); pens are bolder
DEFAULT_MIN_STROKE_TH = 0.3    # components shorter than this (text heights) are specks
DEFAULT_THIN_TH = 0.12         # a component this thin (either side) is a line sliver
DEFAULT_MIN_HEIGHT_TH = 0.45   # a signature is at least this tall; a dash is not
DEFAULT_MIN_WIDTH_TH = 0.6
DEFAULT_MIN_INK_TH2 = 0.12     # kept ink, in text-height², below which nothing was written
DEFAULT_MIN_DIRECTIONS = 0.45  # normalised entropy of stroke directions (dash ≈ 0.1–0.3)
DEFAULT_SIDE_BAND = 0.3       # × text height: how near a region's side a ruling stands
DEFAULT_CROSSING = 0.9         # share of the region's height a ruling through it spans
DEFAULT_NEIGHBOURHOOD = 0.5    # × text height above and below a run where a hand's other strokes lie
DEFAULT_BARE = 0.5             # share of a ruling's length with ink beside it, at most (a
                               # crossing hand); the middle strokes of a line of writing have
                               # their glyphs' other strokes above or below nearly everywhere
DEFAULT_DENSE_SCRIBBLE = 0.2   # share of its box a scribble inks (a slash ≈ 0.05, a dash is flat)
DEFAULT_PRINT_HEIGHT = (0.7, 2.0)  # × text height: a typed glyph is as tall as the page's
                                   # print, a rubber-stamped name's up to twice as tall
DEFAULT_LATIN_HEIGHT = 1.3  # × text height: a typed Latin letter is no taller than the print
DEFAULT_HAND_LEAN = 0.12  # shear from which a line of glyphs leans like a fast hand, not print
DEFAULT_LEAN_RANGE = 0.45  # shears tried, either way
DEFAULT_LEAN_STEPS = 19
DEFAULT_UPRIGHT_RUN = 0.3  # × a glyph's height: a straight run this long is a 竖 stroke
DEFAULT_PRINT_WIDE = 1.5  # × its height: the widest a typed Chinese glyph's ink stands
DEFAULT_PRINT_ALIGN = 0.07     # × text height: spread of typed glyphs' tops and bottoms
DEFAULT_BASELINE_ALIGN = 0.035  # × text height: spread of typed Latin letters' bottoms
DEFAULT_RING_FIT = 0.12        # |ρ - r| / r of a hole punch's rim (a ring, alone in the cell)
DEFAULT_RING_REACH = 0.15  # × text height either side of a blanked ring where a stroke meets it
DEFAULT_SEAL_REACH = 8.0       # × text height round a grey region where a seal's ring may lie
DEFAULT_PEN_TONE = 0.6   # × a grey seal's own tone: darker ink inside it is a pen's (or print)
DEFAULT_RING_SPAN = (0.9, 1.0)  # × radius: the band of a seal's outer ring
DEFAULT_RING_SEEN = 1.0  # ring pixels, × its length, from which its tone is measured
DEFAULT_SEAL_DELTA = 30  # a seal's ink is at least this much darker than paper (as the finder's)
DEFAULT_CUT_REACH = 0.3  # × text height: ink going on this far past a place's edge (twice a
                         # ruling's thickness) is the rest of what the edge cut
DEFAULT_PRINT_REACH = 4.0  # × text height either side of a place: where the page's print is
DEFAULT_HEAVY = 2.0  # × the print's stroke width: strokes this much bolder are a pen's
DEFAULT_PRINT_SEEN = 0.5  # × text height²: print ink round a place from which its width is said
DEFAULT_FOOT = 1.0  # × text height: how far the tops of glyphs cut by a place's foot rise
DEFAULT_RIM = 0.2  # × text height: a stroke's pale rim, left out by a grey seal's tone test
DEFAULT_RUN_ON = 1.5  # × text height: how far a line of print cut by a place's side is followed
# the raw text a reader records for a 签字 place holding a typed or printed name: the
# template's `printed_name` shape matches it, and its missing_signature rule says so
PRINTED_RAW = "印刷文字"


@dataclass(frozen=True)
class SignatureResult:
    """Whether handwriting was found, where (image pixels), how sure, and ink share.
    `printed` is set when the place holds a typed or printed name instead of a hand."""

    signed: bool
    bbox: Box | None
    confidence: float
    ink: float
    printed: bool = False

    @property
    def raw(self) -> str | None:
        """What the place holds instead of a hand, as a reading's raw text: a finding can
        then say a name was typed there, not left out."""
        return PRINTED_RAW if self.printed else None


def pen_ink_mask(image: np.ndarray) -> np.ndarray:
    """Boolean mask of dark or blue ink, red (seal) ink and its rim removed: what is dark
    in every channel under the red is print the seal was stamped over, and stays (seed
    9857 doc-0009: a typed 董荣 whose 荣 ran under the seal's star lost its right half, the
    rest read as one glyph, a hand: a typed name taken for a signature)."""
    gray = to_gray(image)
    bg = background_level(gray)
    ink = dark_mask(gray, bg) | (blue_mask(image) & (gray < bg - 25))
    red = red_mask(image)
    if red.any():
        red = cv2.dilate(red.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
        ink &= ~red | dark_in_every_channel(image)
    return ink


def _thin_only(runs: np.ndarray, text_height: float) -> np.ndarray:
    """Keep the straight runs that are as thin as a ruling; a pen's heavy strokes stay ink."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    limit = max(4.0, DEFAULT_RULING_THICK * text_height)
    keep = np.zeros(n, np.uint8)
    for i in range(1, n):
        _, _, w, h, area = stats[i]
        keep[i] = area / max(w, h) <= limit
    return keep[labels]


def _rulings_only(runs: np.ndarray, text_height: float) -> np.ndarray:
    """Upright runs that can be rulings: at the region's left or right side, or crossing it
    top to bottom. One standing inside, short of both sides, is a pen's down-stroke (a
    scribble squeezed into a narrow cell), however thin the pen."""
    h, w = runs.shape
    n, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    edge = max(3, round(DEFAULT_SIDE_BAND * text_height))
    keep = np.zeros(n, np.uint8)
    for i in range(1, n):
        x, _, cw, ch, _ = stats[i]
        keep[i] = x < edge or x + cw > w - edge or ch >= DEFAULT_CROSSING * h
    return keep[labels]


def _bare_or_border(runs: np.ndarray, ink: np.ndarray, text_height: float) -> np.ndarray:
    """Level runs that can be rulings: at the region's top or bottom side, running through
    it side to side (a ruling goes on past a cell; a seal on a grey scan may lie over it),
    or bare (little ink above and below along its length: a printed line crossed here and
    there by a hand). A run that stops inside the region with ink beside it nearly all
    along is the level strokes of a line of writing run together (a small name in a thin
    pen: the 一 strokes of 杜柏敏), not a ruling, however straight and thin."""
    h, w = runs.shape
    n, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    edge = max(3, round(DEFAULT_SIDE_BAND * text_height))
    reach = max(4, round(DEFAULT_NEIGHBOURHOOD * text_height))
    rim = max(2, round(0.1 * text_height))  # a scanned line's own soft edge is not beside it
    keep = np.zeros(n, np.uint8)
    for i in range(1, n):
        x, y, cw, ch, _ = stats[i]
        if y < edge or y + ch > h - edge or (x <= rim and x + cw >= w - rim):
            keep[i] = 1
            continue
        above = ink[max(0, y - reach):max(0, y - rim), x:x + cw].any(axis=0)
        below = ink[y + ch + rim:y + ch + reach, x:x + cw].any(axis=0)
        keep[i] = float((above | below).mean()) <= DEFAULT_BARE
    return keep[labels]


def remove_lines(ink: np.ndarray, text_height: float) -> np.ndarray:
    """`ink` without long straight horizontal and vertical runs (ruling lines)."""
    h, w = ink.shape
    m = ink.astype(np.uint8)
    lines = np.zeros_like(m)
    bridge = max(3, int(0.2 * text_height))  # thin scanned lines break into dots
    for length, shape, upright in (
        (min(DEFAULT_LINE_TH * text_height, DEFAULT_LINE_SHARE * w), lambda n: (n, 1), False),
        (min(DEFAULT_LINE_TH * text_height, DEFAULT_LINE_SHARE * h), lambda n: (1, n), True),
    ):
        closed = cv2.morphologyEx(m, cv2.MORPH_CLOSE, cv2.getStructuringElement(
            cv2.MORPH_RECT, shape(bridge)))
        n = max(8, int(length))
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, shape(n))
        found = _thin_only(cv2.morphologyEx(closed, cv2.MORPH_OPEN, kernel), text_height)
        if upright:  # only a cell's sides, or a ruling crossing the cell
            found = _rulings_only(found, text_height)
        else:  # only a cell's top or bottom, or a line with no writing along it
            found = _bare_or_border(found, ink, text_height)
        lines |= found
    # A scanned line has a soft rim one or two pixels wide: take it with the line.
    lines = cv2.dilate(lines, np.ones((3, 3), np.uint8), iterations=2)
    return ink & (lines == 0)


def _direction_entropy(mask: np.ndarray) -> float:
    """Normalised entropy (0..1) of edge directions on the strokes, over 8 bins of 180°."""
    img = cv2.GaussianBlur(mask.astype(np.float32), (5, 5), 1.0)
    gx = cv2.Sobel(img, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(img, cv2.CV_32F, 0, 1, ksize=3)
    mag = np.hypot(gx, gy)
    sel = mag > 0.1
    if sel.sum() < 10:
        return 0.0
    ang = np.mod(np.arctan2(gy[sel], gx[sel]), np.pi)
    hist, _ = np.histogram(ang, bins=8, range=(0, np.pi), weights=mag[sel])
    p = hist / hist.sum()
    p = p[p > 0]
    return float(-(p * np.log(p)).sum() / math.log(8))


def strokes_in_region(image: np.ndarray, region: Box, text_height: float,
                      exclude: Sequence[Box] = (),
                      discs: Sequence[tuple[int, ...]] = (), by_tone: bool = True) -> np.ndarray:
    """Mask (region-sized) of the pen strokes left after lines, seals, specks and labels.

    `discs` (cx, cy, r) are seals that colour cannot take away (a greyscale scan): a piece
    of ink lying wholly inside one is the seal's ring, star or text, not a pen stroke. A
    disc (cx, cy, r, ring width) is a black ring (a 1-bit scan): the ring itself is blanked
    first, so that a signature written across it does not take the ring with it.
    With `by_tone`, what is darker inside a grey seal than the seal's own ink
    (`seal_tone`) is a pen's: only where no print but the excluded lies in `region`.
    """
    x0, y0, x1, y1 = region
    crop = image[y0:y1, x0:x1]
    ink = pen_ink_mask(crop)
    for ex0, ey0, ex1, ey1 in exclude:
        ink[max(0, ey0 - y0):max(0, ey1 - y0), max(0, ex0 - x0):max(0, ex1 - x0)] = False
    ys, xs = np.ogrid[y0:y1, x0:x1]
    toned = []  # grey seals whose own ink is paler than a pen's: what is darker is the pen
    for disc in discs:
        if len(disc) > 3:  # a black ring (no colour): blanked, so a pen crossing it stays apart
            ink &= ~ring_band(xs, ys, *disc)
            continue
        tone = seal_tone(image, disc) if by_tone else None
        if tone is not None and crop.size:
            cx, cy, r = disc
            inside = (xs - cx) ** 2 + (ys - cy) ** 2 <= (DEFAULT_DISC_MARGIN * r) ** 2
            dark = (to_gray(crop) < DEFAULT_PEN_TONE * tone).astype(np.uint8)
            dark = cv2.dilate(dark, np.ones((3, 3), np.uint8)) > 0  # the stroke's soft rim
            ink &= ~inside | dark
            toned.append(disc)
    ink = remove_lines(ink, text_height)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    min_len = DEFAULT_MIN_STROKE_TH * text_height
    thin = max(3.0, DEFAULT_THIN_TH * text_height)
    keep = np.zeros(n, bool)
    for i in range(1, n):
        _, _, w, h, area = stats[i]
        # Specks are small; axis-aligned slivers are leftovers of lines (or a dash alone).
        keep[i] = (max(w, h) >= min_len and min(w, h) > thin
                   and area >= max(6.0, (0.1 * text_height) ** 2))
    if discs:
        for disc in discs:
            if disc in toned:  # the seal's own ink is gone by its tone: what is left is pen
                continue
            cx, cy, r = disc[:3]
            outside = (xs - cx) ** 2 + (ys - cy) ** 2 > (DEFAULT_DISC_MARGIN * r) ** 2
            has_outside = np.zeros(n, bool)
            has_outside[np.unique(labels[outside])] = True
            if len(disc) > 3:  # a pen's stroke crossing the black ring goes on inside it
                has_outside |= _across_ring(labels, n, keep & has_outside, xs, ys, disc,
                                            text_height)
            keep &= has_outside
    return keep[labels]


def seal_tone(image: np.ndarray, disc: tuple[int, ...]) -> float | None:
    """The grey of a grey seal's own ink (a greyscale scan of a red seal): the median tone
    of the ink on its outer ring (`DEFAULT_RING_SPAN` of its radius), where nothing else
    is written as a rule; None with too little ring inked to say (under `DEFAULT_RING_SEEN`
    of its length)."""
    cx, cy, r = disc[:3]
    box = clip_box((cx - r - 2, cy - r - 2, cx + r + 3, cy + r + 3), image.shape)
    gray = to_gray(image[box[1]:box[3], box[0]:box[2]]).astype(np.float32)
    if gray.size == 0:
        return None
    ys, xs = np.ogrid[box[1]:box[3], box[0]:box[2]]
    d = np.sqrt((xs - cx) ** 2 + (ys - cy) ** 2)
    lo, hi = DEFAULT_RING_SPAN
    ring = (d >= lo * r) & (d <= hi * r) & (gray < background_level(gray) - DEFAULT_SEAL_DELTA)
    if ring.sum() < DEFAULT_RING_SEEN * 2 * math.pi * r:
        return None
    return float(np.median(gray[ring]))


def _across_ring(labels: np.ndarray, n: int, outer: np.ndarray, xs: np.ndarray, ys: np.ndarray,
                 disc: tuple[int, ...], text_height: float) -> np.ndarray:
    """The pieces inside a black ring that go on across it into a piece outside (`outer`):
    a pen's stroke written over the ring, cut in two where the ring is blanked. A seal's
    own text and star keep inside their ring; only ink laid over the seal crosses it.
    Two pieces go on across the ring where they meet its inner and outer edges at the
    same angle, give or take the ring's width and a stroke."""
    cx, cy, r, width = disc
    inner = max(0.0, r - DEFAULT_RING_BLANK * max(float(width), 1.0) - 1)
    outer_r = r + 0.5 * max(float(width), 1.0) + 1
    reach = max(2.0, DEFAULT_RING_REACH * text_height)
    d = np.sqrt((xs - cx) ** 2 + (ys - cy) ** 2)
    ang = np.arctan2(ys - cy + 0 * xs, xs - cx + 0 * ys)
    at_out = (d > outer_r) & (d <= outer_r + reach) & outer[labels]
    found = np.zeros(n, bool)
    if not at_out.any():
        return found
    out_angles = np.sort(ang[at_out])
    at_in = (d < inner) & (d >= inner - reach) & (labels > 0)
    tol = (outer_r - inner + reach) / max(r, 1.0)
    for a, lab in zip(ang[at_in], labels[at_in], strict=True):
        if found[lab]:
            continue
        k = np.searchsorted(out_angles, a)
        near = [out_angles[j] for j in (k - 1, k) if 0 <= j < len(out_angles)]
        if any(abs((a - b + np.pi) % (2 * np.pi) - np.pi) <= tol for b in near):
            found[lab] = True
    return found


def lean(strokes: np.ndarray) -> float:
    """The shear (x shift per unit of height, > 0 leaning right) that stands the strokes
    upright: the one whose vertical strokes stack into the sharpest column profile.

    >>> m = np.zeros((40, 60), bool)
    >>> for x in (10, 30, 50): m[:, x:x + 2] = True          # upright bars
    >>> lean(m)
    0.0
    >>> s = np.zeros((40, 60), bool)
    >>> for y in range(40): s[y, 20 + (39 - y) // 4: 22 + (39 - y) // 4] = True  # leaning
    >>> lean(s) > 0.2
    True
    """
    h, w = strokes.shape
    if h < 4 or w < 4:
        return 0.0
    ys, xs = np.nonzero(strokes)
    best, best_score = 0.0, -1.0
    for k in np.linspace(-DEFAULT_LEAN_RANGE, DEFAULT_LEAN_RANGE, DEFAULT_LEAN_STEPS):
        cols = np.bincount(np.round(xs + k * (ys - h / 2)).astype(int) - int(-abs(k) * h),
                           minlength=1)
        score = float((cols.astype(float) ** 2).sum())
        if score > best_score + 1e-9 or (abs(score - best_score) <= 1e-9 and abs(k) < abs(best)):
            best, best_score = float(k), score
    return round(best, 3)


def upright_lean(strokes: np.ndarray) -> float:
    """The shear (as `lean`) under which most ink stands in straight upright runs of
    `DEFAULT_UPRIGHT_RUN` of a glyph's height: a glyph's 竖 strokes. A typed name's stand
    at 0 whatever its other strokes; `lean` weighs all the ink, and a short name's long
    slanting strokes (the 丿 of 唐, the dots of 立) may lean it as a hand leans.
    """
    h, w = strokes.shape
    if h < 4 or w < 4:
        return 0.0
    glyphs = [g for g in column_runs(strokes) if g[1] - g[0] >= 2]
    height = float(np.median([g[3] - g[2] for g in glyphs])) if glyphs else float(h)
    run = cv2.getStructuringElement(cv2.MORPH_RECT,
                                    (1, max(5, round(DEFAULT_UPRIGHT_RUN * height))))
    pad = math.ceil(DEFAULT_LEAN_RANGE * h) + 2
    m = strokes.astype(np.uint8)
    best, best_score = 0.0, -1
    for k in np.linspace(-DEFAULT_LEAN_RANGE, DEFAULT_LEAN_RANGE, DEFAULT_LEAN_STEPS):
        shear = np.float32([[1, k, pad - k * h / 2], [0, 1, 0]])
        sheared = cv2.warpAffine(m, shear, (w + 2 * pad, h), flags=cv2.INTER_NEAREST)
        score = int(cv2.morphologyEx(sheared, cv2.MORPH_OPEN, run).sum())
        if score > best_score or (score == best_score and abs(k) < abs(best)):
            best, best_score = float(k), score
    return round(best, 3)


def printed_line(strokes: np.ndarray, text_height: float, letters: bool = True) -> bool:
    """Whether the strokes are one line of print (a name typed in the 签字 place): two or
    more glyphs as tall as the page's print whose tops and bottoms keep to two straight
    lines (Chinese), or four or more letters on one baseline (Latin). A hand varies the
    size and the line of its glyphs far more; one cursive stroke is one glyph.
    Whatever the ink: a rubber-stamped name in blue-violet 印油 is as blue as a pen, and
    a stamp sets it larger than the page's print (`DEFAULT_PRINT_HEIGHT`); print stands
    upright (by its ink as a whole, or by its 竖 strokes: `upright_lean`) and keeps to its
    lines, which a hand does not. `letters=False` asks for Chinese print only (strokes
    thinned to their cores part a hand into many small pieces, some on one baseline), each
    glyph about as wide as tall, as a Chinese glyph is set (a cursive line's cores spread
    wide from one tall stroke to the next, top to bottom of the place's ink).
    """
    glyphs = [g for g in column_runs(strokes) if g[1] - g[0] >= 2]
    if len(glyphs) < 2 or min(abs(lean(strokes)),
                              abs(upright_lean(strokes))) >= DEFAULT_HAND_LEAN:
        return False  # Chinese print stands upright; a hand writing fast leans
    heights = np.array([b - t for _, _, t, b in glyphs], float)
    big = heights >= 0.5 * heights.max()
    tops = np.array([t for _, _, t, _ in glyphs], float)[big]
    bottoms = np.array([b for _, _, _, b in glyphs], float)[big]
    lo, hi = DEFAULT_PRINT_HEIGHT
    widths = np.array([x1 - x0 for x0, x1, _, _ in glyphs], float)[big]
    square = letters or bool(np.all(widths <= DEFAULT_PRINT_WIDE * heights[big]))
    if big.sum() >= 2 and lo * text_height <= np.median(heights[big]) <= hi * text_height \
            and max(np.std(tops), np.std(bottoms)) <= DEFAULT_PRINT_ALIGN * text_height \
            and square:
        return True
    if not letters:
        return False
    latin = [g for g in glyphs if g[3] - g[2] <= DEFAULT_LATIN_HEIGHT * text_height]
    if len(latin) < 4:
        return False
    base = np.array([b for _, _, _, b in latin], float)
    # descenders (g, j, p, q, y) hang below the baseline: the line is where most letters end
    on_line = np.abs(base - np.median(base)) <= 2 * DEFAULT_BASELINE_ALIGN * text_height
    return (len(latin) == len(glyphs) and on_line.sum() >= 4 and on_line.mean() >= 0.75
            and np.std(base[on_line]) <= DEFAULT_BASELINE_ALIGN * text_height
            and max(b - t for _, _, t, b in latin) >= 0.5 * text_height)


def _cores(crop: np.ndarray, strokes: np.ndarray) -> np.ndarray:
    """The strokes' dark cores: their pixels darker than halfway from the paper to their
    darkest ink. A soft scan of small print blurs a dense glyph (董 at 25 px) into a
    blob at the ink mask's bar, and two glyphs into one, whose lean and outline say
    nothing; the cores are the strokes as set. A 1-bit scan's strokes are their cores."""
    gray = to_gray(crop)
    if not strokes.any() or gray.shape != strokes.shape:
        return strokes
    paper = background_level(gray)
    dark = float(np.percentile(gray[strokes], 5))
    return strokes & (gray < paper - 0.5 * (paper - dark))


def _stroke_width(mask: np.ndarray) -> float:
    """Mean width of a mask's strokes: twice their area over their outlines' length (a
    stroke of width w and length l has area w·l and an outline of about 2·l)."""
    m = np.ascontiguousarray(mask, dtype=np.uint8)
    contours, _ = cv2.findContours(m, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    outline = sum(cv2.arcLength(c, True) for c in contours)
    return 2.0 * float(np.count_nonzero(m)) / outline if outline > 0 else 0.0


def _bolder_than_print(image: np.ndarray, box: Box, cores: np.ndarray, th: float) -> bool:
    """Whether the place's strokes (their `_cores`) are far bolder than the page's print
    beside the place (`DEFAULT_PRINT_REACH` either side, on its rows: the labels, a
    member's typed cells): a heavy pen's scribble of two blobs a glyph tall, side by side,
    keeps to two lines as print does, yet is drawn at twice the print's width (seed 6143
    doc-0018, a photo: members.2's scribble 7.1 px across against the print's 1.9, taken
    for a typed name: a false missing_signature). False where too little print is seen
    to say; a 1-bit scan thickens print and pen alike."""
    x0, y0, x1, y1 = box
    reach = round(DEFAULT_PRINT_REACH * th)
    ax0, ay0, ax1, ay1 = clip_box((x0 - reach, y0, x1 + reach, y1), image.shape)
    crop = image[ay0:ay1, ax0:ax1]
    ink = pen_ink_mask(crop)
    ink[:, x0 - ax0:x1 - ax0] = False  # the place itself
    ink = remove_lines(ink, th)
    if np.count_nonzero(ink) < DEFAULT_PRINT_SEEN * th * th or not cores.any():
        return False
    return _stroke_width(cores) > DEFAULT_HEAVY * _stroke_width(_cores(crop, ink))


def _print_run_on(image: np.ndarray, box: Box, strokes: np.ndarray, th: float,
                  exclude: Sequence[Box], discs: Sequence[tuple[int, ...]], by_tone: bool) -> bool:
    """Whether a line of print cut by the place's left or right side is print whole: the
    place grown `DEFAULT_RUN_ON` that way holds one line of Chinese print that no edge
    cuts. A typed name set past its cell's side (seed 6143 doc-0002, members.1: 高婷芳
    run over the table's right border, 芳 cut) went on past the edge and was taken for a
    hand. Strokes cut at the top or bottom are not looked at this way: a hand written
    over the row above leaves its tail in the place."""
    if strokes[0].any() or strokes[-1].any():
        return False
    x0, y0, x1, y1 = box
    reach = round(DEFAULT_RUN_ON * th)
    grown = clip_box((x0 - reach if strokes[:, 0].any() else x0, y0,
                      x1 + reach if strokes[:, -1].any() else x1, y1), image.shape)
    more = strokes_in_region(image, grown, th, exclude, discs, by_tone)
    if not more.any():
        return False
    ys, xs = np.nonzero(more)
    return (printed_line(more[ys.min():ys.max() + 1, xs.min():xs.max() + 1], th, letters=False)
            and not _cut_by_edge(image, grown, more, th, exclude, discs))


def _cut_by_edge(image: np.ndarray, box: Box, strokes: np.ndarray, text_height: float,
                 exclude: Sequence[Box] = (), discs: Sequence[tuple[int, ...]] = (),
                 edges: str = "tblr") -> bool:
    """Whether the strokes run out of the place across one of its edges and go on past it
    (`DEFAULT_CUT_REACH`, across a ruling on the edge): what is inside is the part of
    something the edge cut (a hand written above the label's row, its lower strokes and
    flourish left in the place; a member's name written over its cell's side), not a line
    of print, which the form sets whole inside its place. Print kept out (`exclude`) and
    black rings (`discs` with a width) do not count as going on. `edges`: which of top,
    bottom, left, right are looked at."""
    rx0, ry0, rx1, ry1 = box
    h, w = strokes.shape
    reach = max(3, round(DEFAULT_CUT_REACH * text_height))
    sides = (  # the strokes' edge line, the strip beyond (x0, y0, x1, y1), the strip's side
        (strokes[0], (rx0, ry0 - reach, rx1, ry0), 0, -1),
        (strokes[h - 1], (rx0, ry1, rx1, ry1 + reach), 0, 0),
        (strokes[:, 0], (rx0 - reach, ry0, rx0, ry1), 1, -1),
        (strokes[:, w - 1], (rx1, ry0, rx1 + reach, ry1), 1, 0),
    )
    for side, (contact, (x0, y0, x1, y1), axis, at) in zip("tblr", sides, strict=True):
        if side not in edges or not contact.any() or x0 < 0 or y0 < 0 or y1 > image.shape[0] or x1 > image.shape[1]:
            continue
        ink = pen_ink_mask(image[y0:y1, x0:x1])
        for ex0, ey0, ex1, ey1 in exclude:
            ink[max(0, ey0 - y0):max(0, ey1 - y0), max(0, ex0 - x0):max(0, ex1 - x0)] = False
        ys, xs = np.ogrid[y0:y1, x0:x1]
        for disc in discs:
            if len(disc) > 3:
                ink &= ~ring_band(xs, ys, *disc)
        near = cv2.dilate(contact.astype(np.uint8).reshape(1, -1), np.ones((1, 5), np.uint8))
        near = near.reshape(-1) > 0
        n, labels = cv2.connectedComponents(ink.astype(np.uint8), connectivity=8)
        edge = labels[at] if axis == 0 else labels[:, at]  # the strip's line against the place
        for lab in np.unique(edge[near & (edge > 0)]):
            depth = np.count_nonzero((labels == lab).any(axis=1 - axis))
            if depth == reach:  # it spans the strip: more than a ruling's thickness
                return True
    return False


def _tops_of_what_lies_below(image: np.ndarray, box: Box, strokes: np.ndarray, th: float,
                             exclude: Sequence[Box], discs: Sequence[tuple[int, ...]]) -> bool:
    """Whether all the place's strokes are the tops of something below it: every piece
    stands on the place's foot, the ink goes on past it (`_cut_by_edge`), and none rises
    `DEFAULT_FOOT` text heights into the place. A hand is signed in its place; a place
    whose foot cuts the next printed row (the 单位公章 label under 负责人（签字）, not read
    under a grey seal) holds those glyphs' upper halves alone (re-captured wp-05, grey: 单's
    top, 13 px of a 23 px text height, dark enough by the seal's tone to be a pen: a
    signature where none was written)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(strokes.astype(np.uint8),
                                                           connectivity=8)
    h = strokes.shape[0]
    # a stroke's pale rim may be gone (a grey seal's tone keeps only its dark core): a
    # piece ending this near the foot stands on it, and goes on at its lowest columns
    slack = max(2, round(DEFAULT_RIM * th))
    if n < 2 or any(stats[i, 1] + stats[i, 3] < h - slack or stats[i, 3] >= DEFAULT_FOOT * th
                    for i in range(1, n)):
        return False
    standing = strokes.copy()
    for i in range(1, n):
        low = stats[i, 1] + stats[i, 3] - 1
        standing[h - 1] |= labels[low] == i
    return _cut_by_edge(image, box, standing, th, exclude, discs, edges="b")


def _hole_punch(strokes: np.ndarray, text_height: float) -> bool:
    """Whether all the ink is one ring a character or two across: a punched hole's rim."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(strokes.astype(np.uint8), connectivity=8)
    if n != 2:
        return False
    ys, xs = np.nonzero(labels == 1)
    xs, ys = xs.astype(float), ys.astype(float)
    fit = fit_circle(xs, ys, min_points=3)
    if fit is None:
        return False
    cx, cy, r = fit
    if not 0.3 * text_height <= r <= 2.5 * text_height:
        return False
    spread = np.abs(np.hypot(xs - cx, ys - cy) - r)
    arc = np.unique(np.round(np.degrees(np.arctan2(ys - cy, xs - cx)) / 10)).size / 36
    return float(np.percentile(spread, 90)) <= DEFAULT_RING_FIT * r and arc >= 0.4


def _seal_discs(image: np.ndarray, box: Box, text_height: float
                ) -> list[tuple[int, ...]]:
    """Seals without colour (a greyscale or 1-bit scan) whose ring may cross `box`, found
    round it: (cx, cy, r) of a grey seal, (cx, cy, r, ring width) of one found by its shape
    (a black ring, as dark as a pen)."""
    from tasksheet.extract.seal import find_seals  # the seal finder, only when needed

    reach = round(DEFAULT_SEAL_REACH * text_height)
    x0, y0, x1, y1 = box
    around = (x0 - reach, y0 - reach, x1 + reach, y1 + reach)
    return [(*s.center, s.radius) if s.color == "grey" else (*s.center, s.radius, round(s.ring))
            for s in find_seals(image, region=around, text_height=text_height)
            if s.color in ("grey", "black")]


def detect_signature(image: np.ndarray, region: Box, text_height: float | None = None,
                     exclude: Sequence[Box] = (),
                     discs: Sequence[tuple[int, ...]] = (), by_tone: bool = True
                     ) -> SignatureResult:
    """Decide whether handwriting is present in `region` of `image`.

    `region` is a 签字 cell or the space right of a 负责人（签字） label; `exclude` holds
    boxes of printed text inside it (the label); `by_tone` when no other print lies in
    `region` (see `strokes_in_region`). `text_height` (px) sets every size;
    measured on the page when None. `ink` is the share of the region covered by strokes.
    """
    box = clip_box(region, image.shape)
    rx0, ry0, rx1, ry1 = box
    if rx1 - rx0 < 4 or ry1 - ry0 < 4:
        return SignatureResult(False, None, 0.5, 0.0)
    th = text_height_or_estimate(image, text_height,
                                 fallback=max(12.0, min(rx1 - rx0, ry1 - ry0) / 2.5))
    strokes = strokes_in_region(image, box, th, exclude, discs, by_tone)
    crop = image[ry0:ry1, rx0:rx1]
    if strokes.any() and not discs and is_grayscale(crop):
        # a greyscale scan: a seal's ring and text are as dark as a pen; where a seal is
        # found round the place, what lies wholly inside it is the seal's
        found = _seal_discs(image, box, th)
        if found:
            strokes = strokes_in_region(image, box, th, exclude, found, by_tone)
    ink_px = int(strokes.sum())
    ink = ink_px / float(strokes.size)
    if ink_px == 0:
        return SignatureResult(False, None, 0.95, 0.0)
    ys, xs = np.nonzero(strokes)
    bx0, by0, bx1, by1 = int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
    bbox = (rx0 + bx0, ry0 + by0, rx0 + bx1, ry0 + by1)
    if _hole_punch(strokes, th) or _tops_of_what_lies_below(image, box, strokes, th, exclude,
                                                             discs):
        return SignatureResult(False, bbox, 0.8, round(ink, 4))
    cores = _cores(crop, strokes)
    if (printed_line(strokes[by0:by1, bx0:bx1], th)
            or printed_line(cores[by0:by1, bx0:bx1], th, letters=False)) \
            and not _bolder_than_print(image, box, cores, th) \
            and (not _cut_by_edge(image, box, strokes, th, exclude, discs)
                 or _print_run_on(image, box, strokes, th, exclude, discs, by_tone)):
        return SignatureResult(False, bbox, 0.8, round(ink, 4), printed=True)
    directions = _direction_entropy(strokes[by0:by1, bx0:bx1])
    # Each margin is > 0 when the feature says "handwriting"; the weakest one decides.
    margins = [
        math.log2(ink_px / (DEFAULT_MIN_INK_TH2 * th * th)),
        math.log2((by1 - by0) / (DEFAULT_MIN_HEIGHT_TH * th)),
        math.log2((bx1 - bx0) / (DEFAULT_MIN_WIDTH_TH * th)),
    ]
    # Directions tell a dash or a lone slash from a hand; ink packed this densely in its box
    # is a scribble however its strokes run (a zigzag of upright strokes).
    if ink_px / ((bx1 - bx0) * (by1 - by0)) < DEFAULT_DENSE_SCRIBBLE:
        margins.append((directions - DEFAULT_MIN_DIRECTIONS) / 0.15)
    weakest = min(margins)
    confidence = round(0.5 + 0.5 * math.tanh(1.5 * abs(weakest)), 3)
    return SignatureResult(weakest > 0, bbox, confidence, round(ink, 4))
