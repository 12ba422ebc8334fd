"""Official seals: find them (red in colour, mid-grey in greyscale scans, a black ring by
its shape where a page has no colour: a 1-bit scan) and read which unit their arc text names.

A seal is a ring with a star and text inside. We find it from its ink alone (red mask,
or mid-grey ink lighter than black print) and accept a candidate only when the ink draws
a circle: outermost ink per ray fits one circle, and that circle is inked over most of
its angles. Black text, blue pens, table lines and non-round red marks fail that test;
an outline that is not a true circle is an oval or square seal (reported by its `shape`
when asked for) or a red pen's loop round a word (never a seal).

The arc text is verified, not only read: given the units that may have stamped the place
(`read_seal_unit`), each is scored against the recogniser's per-column character
probabilities along the ring unrolled from any start angle, at both radii of the text
band, and the likeliest is reported with a calibrated probability; a free reading
(`read_seal_text`) is the fallback, reported unsure when it cannot name a unit. A glyph the
ring shows nothing for, where it has room for one (a pale stretch of the stamp, gone under
a 1-bit threshold), is lost, not misread: it costs less, and a unit verified with glyphs
lost is never reported sure.

>>> seals = find_seals(page)                        # doctest: +SKIP
>>> read_seal_text(page, seals[0], get_engine())    # doctest: +SKIP
('成都市科学技术协会', 0.97)
>>> said = read_seal_unit(page, seals[0], get_engine(), units)  # doctest: +SKIP
>>> said.unit, said.score                                       # doctest: +SKIP
('成都市科学技术协会', 0.999)
"""

from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass, replace

import cv2
import numpy as np
from tasksheet.extract.ink import (
    Box,
    background_level,
    blue_mask,
    clip_box,
    is_grayscale,
    red_mask,
    text_height_or_estimate,
    to_gray,
)
from tasksheet.extract.ocr import OcrEngine
from tasksheet.extract.seal_shape import find_round_seals, fit_circle, ray_samples

DEFAULT_MIN_RADIUS_TH = 1.5      # radius in text heights (25 mm seal, 12 pt text ≈ 3), with slack
DEFAULT_FREEHAND_TH = 3.0        # an outline this small that is not a true circle: a pen loop
DEFAULT_ROUND_RESID = 0.035      # outer ring's spread (median |ρ - median| / ρ) of a round seal
DEFAULT_SHAPED_FILL = 0.05       # an oval or square seal carries its text inside (pen loops do not)
SHAPES = ("round", "oval", "square")
DEFAULT_MAX_RADIUS_TH = 12.0     # 50 mm at 600 DPI with 9 pt text
DEFAULT_MIN_RADIUS_PX = 12
DEFAULT_RAYS = 180
DEFAULT_RING_TOLERANCE = 0.07    # |ρ - r| / r for ink to count as ring
DEFAULT_MIN_COVERAGE = 0.55      # share of rays that meet the ring (faint/partial seals)
DEFAULT_MIN_FILL = 0.015         # star + text inside; a bare circle is not a seal
DEFAULT_MAX_FILL = 0.65          # a solid red disc is not a seal either
DEFAULT_GREY_BLACK = 0.32        # grey-scan print is darker than this × paper
DEFAULT_GAP_CANDIDATES = 5       # emptiest angles tried as ends of the arc text
DEFAULT_MAX_STRIPS = 10
DEFAULT_EDGE_JUNK = " ，,。.·:：;；、'\"-—_()（）|"  # gap edges read as punctuation
DEFAULT_GREY_DELTA = 30          # seal ink is at least this much darker than paper
DEFAULT_RED_EXCESS_FLOOR = 15    # R - max(G, B) of seal ink at least (for its scale)
DEFAULT_HIDDEN_VALUE = 0.55      # max(B, G, R) below this × paper: print hides the seal
DEFAULT_GREY_PRINT = 0.4         # grey print is darker than this × paper, seal ink lighter
DEFAULT_PRINT_PCT = 1.0          # percentile of a seal's crop: the tone of black print
DEFAULT_GREY_PRINT_GAP = 0.0     # print: darker than the seal's ring by this × its depth
DEFAULT_INKED = 0.15             # ink coverage that counts as inked when finding the text
DEFAULT_GLYPH_SMOOTH = 5.0       # degrees each side when smoothing the angular ink profile
DEFAULT_ACTIVE_SHARE = 0.2       # of the text's typical ink: an angle with arc text
DEFAULT_RING_TONE_PCT = 50        # percentile of the ring's darkest tone per angle: full ink
DEFAULT_RING_COVER = 0.6         # share of angles inked at a ring's radius
DEFAULT_HUNG_BAND = (0.36, 0.94)  # × radius: a text band's height and its outer edge at most,
                                 # hung from the ring where no band of its own is found
DEFAULT_ANGLES = 720             # angular samples of the ring (½°)
DEFAULT_STRIP_HEIGHT = 56        # text band height in the strip, px (recogniser input is 48)
DEFAULT_STRIP_GAIN = 1.4         # ink coverage → black: uneven stamping still reads solid
DEFAULT_FIRST_BATCH = 4          # strips read in all: the first, then the rest in one batch
DEFAULT_ACCEPT_SCORE = 0.9       # a strip read this confidently ...
DEFAULT_ACCEPT_CHARS = 4         # ... with this many characters ends the search
DEFAULT_RULING_SPAN = 1.0       # × radius: a straight run this long across a black seal is a rule
DEFAULT_GREY_RING = 0.15         # × print's depth: a grey seal's ring is this much lighter than print
DEFAULT_PRINT_INK_PCT = 1.0      # percentile of a seal place's ink: the tone of print
DEFAULT_MIN_PRINT_PX = 200       # ink pixels in a seal place to measure print's tone from
DEFAULT_SHAPE_REACH = 2.0        # × text height beyond a place where a seal found by shape may lie


@dataclass(frozen=True)
class Seal:
    """A seal: centre and radius of its outer ring (the mean radius of an oval or square
    one), in image pixels. `shape` tells a round official seal (公章) from an oval one
    (发票专用章) or a square personal one (法人章)."""

    center: tuple[int, int]
    radius: int
    bbox: Box
    score: float
    color: str  # "red" | "grey" | "black" (found by its shape alone: a 1-bit or grey page)
    shape: str = "round"  # "round" | "oval" | "square"
    ring: float = 0.0  # px: the outer ring's width, where it was measured (by shape)


# --------------------------------------------------------------------------- ink masks


def grey_seal_mask(gray: np.ndarray, rim: int = 5) -> np.ndarray:
    """Mid-grey ink (greyscale seals) without black print.

    For finding rings, `rim` px around black print go too (its anti-aliased edges are mid-grey
    as well); for reading (`rim=0`) they stay, as glyph strokes under print would be cut.
    """
    bg = background_level(gray)
    black = gray < DEFAULT_GREY_BLACK * bg
    if rim:
        black = cv2.dilate(black.astype(np.uint8), np.ones((rim, rim), np.uint8)) > 0
    return (gray < bg - DEFAULT_GREY_DELTA) & ~black


def seal_ink_mask(image: np.ndarray, color: str) -> np.ndarray:
    """Boolean ink mask for reading a seal of `color` ("red" or "grey")."""
    return red_mask(image) if color == "red" else grey_seal_mask(to_gray(image), rim=0)


# --------------------------------------------------------------------------- circle tests


def circle_from_mask(mask: np.ndarray, cx: float, cy: float, r0: float
                     ) -> tuple[float, float, float, float] | None:
    """Refine a rough circle to the seal's outer ring; (cx, cy, r, score) or None.

    Per ray, the outermost ink near r0 lies on the ring; a robust circle fit through
    those points gives centre and radius, and the share of rays meeting that ring is the
    score. A seal is partly faint or hidden by print, so the score need not be 1.
    """
    for _ in range(2):
        radii = np.arange(0.55 * r0, 1.3 * r0, max(1.0, r0 / 120))
        vals = ray_samples(mask, cx, cy, radii, DEFAULT_RAYS)
        has = vals.any(axis=1)
        if has.sum() < DEFAULT_RAYS * DEFAULT_MIN_COVERAGE:
            return None
        last = radii[len(radii) - 1 - np.argmax(vals[:, ::-1], axis=1)][has]
        ang = np.linspace(0, 2 * np.pi, DEFAULT_RAYS, endpoint=False)[has]
        px, py = cx + np.cos(ang) * last, cy + np.sin(ang) * last
        keep = np.ones(len(px), bool)
        for _ in range(3):  # refit without the rays whose outermost ink is not the ring
            fit = fit_circle(px[keep], py[keep], min_points=8)
            if fit is None:
                return None
            cx, cy, r0 = fit
            res = np.abs(np.hypot(px - cx, py - cy) - r0)
            keep = res <= max(2.0, DEFAULT_RING_TOLERANCE * r0)
    tol = max(2.0, DEFAULT_RING_TOLERANCE * r0)
    ring = ray_samples(mask, cx, cy, np.arange(r0 - tol, r0 + tol + 1, 1.0), DEFAULT_RAYS)
    coverage = float(ring.any(axis=1).mean())
    outside = float(ray_samples(mask, cx, cy, np.arange(1.12 * r0, 1.3 * r0, 2.0), DEFAULT_RAYS)
                    .any(axis=1).mean())
    inner = ray_samples(mask, cx, cy, np.arange(0.1 * r0, 0.85 * r0, max(1.0, r0 / 60)),
                        DEFAULT_RAYS)
    fill = float(inner.mean())
    if coverage < DEFAULT_MIN_COVERAGE or not DEFAULT_MIN_FILL <= fill <= DEFAULT_MAX_FILL:
        return None
    if outside > 0.6:  # ink all around beyond the ring: part of something bigger
        return None
    return cx, cy, r0, coverage * (1.0 - 0.5 * outside)


def _candidates(mask: np.ndarray, r_min: float, r_max: float, hough: bool = False
                ) -> list[tuple[float, float, float]]:
    """Rough circles: roundish blobs of (dilated) ink, plus Hough circles in bigger blobs
    (or in the whole mask when `hough`: grey rings are cut wherever black print crosses)."""
    k = max(3, int(r_min * 0.12)) | 1
    m8 = mask.astype(np.uint8)
    # The blobs are looked for round the ink only (most crops hold none, or a little):
    # the ink's bounding box, with the dilation's reach, from an even row and column so
    # that OpenCV labels the blobs in the same order as on the whole mask (2 × 2 blocks).
    bx, by, bw, bh = cv2.boundingRect(m8)
    if bw == 0 or bh == 0:
        return []  # no ink: no blob, and Hough finds nothing in an empty mask
    out = _hough(m8, 0, 0, r_min, r_max) if hough else []
    x0, y0 = max(0, bx - k) // 2 * 2, max(0, by - k) // 2 * 2
    x1, y1 = min(m8.shape[1], bx + bw + k), min(m8.shape[0], by + bh + k)
    blobs = cv2.dilate(m8[y0:y1, x0:x1], cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(blobs, connectivity=8)
    stats[:, 0] += x0
    stats[:, 1] += y0
    for x, y, w, h, _area in stats[1:]:
        if max(w, h) < 1.6 * r_min:
            continue
        if 0.7 <= w / h <= 1.43 and max(w, h) <= 2.4 * r_max:
            out.append((x + w / 2, y + h / 2, (w + h) / 4))
        elif not hough:  # touching seals or a seal on other ink: look for circles inside the blob
            out.extend(_hough(m8[y:y + h, x:x + w], x, y, r_min, r_max))
    return out


def _hough(mask: np.ndarray, ox: int, oy: int, r_min: float, r_max: float
           ) -> list[tuple[float, float, float]]:
    # Coarse is enough (the ring fit refines it) and keeps Hough fast: r_min → 12 px.
    scale = min(1.0, 12.0 / r_min, 900.0 / max(mask.shape))
    small = cv2.resize(mask * 255, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    circles = cv2.HoughCircles(small, cv2.HOUGH_GRADIENT, dp=1.5, minDist=r_min * scale,
                               param1=80, param2=30, minRadius=int(r_min * scale),
                               maxRadius=int(r_max * scale))
    if circles is None:
        return []
    return [(ox + c[0] / scale, oy + c[1] / scale, c[2] / scale) for c in circles[0][:8]]


def outline_shape(mask: np.ndarray, cx: float, cy: float, r: float, text_height: float
                  ) -> str | None:
    """"round", "oval" or "square" for the outline fitted as a circle at (cx, cy, r); None
    for a freehand loop (a pen ellipse round a word): neither a true circle nor a seal.

    A stamped ring is round to a pixel or two: the outermost ink near it, per ray, keeps
    to one radius. An oval's spread follows twice the angle, a square's four times; a
    small outline that is not round, or a shaped one without ink inside, is a pen's.
    """
    radii = np.arange(0.7 * r, 1.25 * r, max(0.5, r / 120))
    vals = ray_samples(mask, cx, cy, radii, DEFAULT_RAYS)
    has = vals.any(axis=1)
    if has.sum() < DEFAULT_MIN_COVERAGE * DEFAULT_RAYS:
        return "round"  # too little outline to tell: as found
    last = radii[len(radii) - 1 - np.argmax(vals[:, ::-1], axis=1)][has]
    ang = np.linspace(0, 2 * np.pi, DEFAULT_RAYS, endpoint=False)[has]
    mid = float(np.median(last))
    if float(np.median(np.abs(last - mid))) / mid <= DEFAULT_ROUND_RESID:
        return "round"
    inner = ray_samples(mask, cx, cy, np.arange(0.1 * r, 0.6 * r, max(1.0, r / 60)), DEFAULT_RAYS)
    if float(inner.mean()) < DEFAULT_SHAPED_FILL:
        return None
    if r < DEFAULT_FREEHAND_TH * text_height:
        # as small as a pen's loop round a word: a seal only if stamped true, a square as
        # true to its sides as a round seal to its ring (a personal 法人章, 18 mm at 12 pt
        # text: 2.4 text heights); a loop drawn by hand keeps to no square
        return "square" if square_spread(last, ang) / mid <= DEFAULT_ROUND_RESID else None
    h2, h4 = (abs(np.mean(last * np.exp(1j * k * ang))) for k in (2, 4))
    return "square" if h4 > h2 else "oval"


def square_spread(rho: np.ndarray, ang: np.ndarray) -> float:
    """Median distance (px) of outline points at polar (`rho`, `ang`) from the square
    about the same centre that fits them best (any turn, 1° steps)."""
    best = math.inf
    for phi in np.radians(np.arange(0.0, 90.0, 1.0)):
        t = ang - phi
        unit = 1.0 / np.maximum(np.abs(np.cos(t)), np.abs(np.sin(t)))  # a square's ρ(θ) / half side
        half = float(np.median(rho / unit))
        best = min(best, float(np.median(np.abs(rho - half * unit))))
    return best


def seals_in_mask(mask: np.ndarray, r_min: float, r_max: float, color: str,
                  offset: tuple[int, int] = (0, 0), shapes: tuple[str, ...] = ("round",),
                  text_height: float | None = None) -> list[Seal]:
    """Seals drawn by one ink mask, of the given `shapes`; `offset` maps mask pixels to
    image pixels."""
    th = text_height or r_min / DEFAULT_MIN_RADIUS_TH
    found: list[tuple[float, float, float, float, str]] = []
    for cx, cy, r0 in _candidates(mask, r_min, r_max, hough=color == "grey"):
        got = circle_from_mask(mask, cx, cy, r0)
        if got is None or not r_min <= got[2] <= r_max:
            continue
        shape = outline_shape(mask, got[0], got[1], got[2], th)
        if shape == "round" and got[3] < DEFAULT_MIN_COVERAGE:
            # a round ring met on few more rays than a seal's least, with ink beyond it on
            # half of them: a circle fitted in a mottled coloured ground (a brown desk round
            # a photographed page). An oval's or square's fitted circle has ink beyond it
            # by its shape.
            continue
        if shape in shapes:
            found.append((*got, shape))
    found.sort(key=lambda c: -c[3])
    kept: list[tuple[float, float, float, float, str]] = []
    for c in found:
        # One seal per place: no two centres close, no circle inside another's ring (the
        # arc text and star of a seal can fit a smaller circle of their own).
        if all(math.dist(c[:2], k[:2]) > 0.5 * max(c[2], k[2])
               and math.dist(c[:2], k[:2]) + min(c[2], k[2]) > 1.1 * max(c[2], k[2])
               for k in kept):
            kept.append(c)
    ox, oy = offset
    seals = []
    for cx, cy, r, score, shape in kept:
        x, y, ri = round(cx) + ox, round(cy) + oy, round(r)
        seals.append(Seal((x, y), ri, (x - ri, y - ri, x + ri + 1, y + ri + 1),
                          round(score, 3), color, shape))
    return sorted(seals, key=lambda s: (s.center[1], s.center[0]))


def find_seals(image: np.ndarray, region: Box | None = None,
               text_height: float | None = None, shapes: tuple[str, ...] = ("round",)
               ) -> list[Seal]:
    """Seals in `image` (within `region` if given), top to bottom: round official seals
    (公章) unless `shapes` asks for oval and square ones too (each with its `shape`).

    Colour scans: red/pink ink anywhere in the region. Greyscale scans: mid-grey ink, only
    when a `region` (the seal place) is given, since grey ink alone is weak evidence. Red
    pen loops round a word are not seals (`outline_shape`). A page without any colour
    (a 1-bit scan, where a seal is a black ring over black print, or a grey one whose seal
    is as dark as print) whose place holds no grey seal: round seals by their shape alone
    (`find_shape_seals`), coloured "black" unless the ring is lighter than the print
    (`ring_is_grey`: a grey seal the grey-ink search missed).
    """
    x0, y0, x1, y1 = clip_box(region, image.shape)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return []
    th = text_height_or_estimate(image, text_height)
    r_min = max(DEFAULT_MIN_RADIUS_PX, DEFAULT_MIN_RADIUS_TH * th)
    r_max = DEFAULT_MAX_RADIUS_TH * th
    crop = image[y0:y1, x0:x1]
    seals = [] if crop.ndim == 2 else seals_in_mask(red_mask(crop), r_min, r_max, "red",
                                                    (x0, y0), shapes, th)
    if seals or region is None or not is_grayscale(crop):
        return seals
    seals = seals_in_mask(grey_seal_mask(to_gray(crop)), r_min, r_max, "grey", (x0, y0),
                          shapes, th)
    if seals or "round" not in shapes or not is_grayscale(image[::2, ::2]):
        return seals
    return [replace(s, color="grey") if ring_is_grey(image, s, (x0, y0, x1, y1)) else s
            for s in find_shape_seals(image, (x0, y0, x1, y1), th)]


def ring_is_grey(image: np.ndarray, seal: Seal, region: Box) -> bool:
    """Whether a ring found by its shape on a page without colour is a grey seal's (a red
    seal scanned in grey), not a black one's (a 1-bit page): hue cannot tell, the ring's
    tone against the print's can. A red seal's ring is lighter than black print by a share
    of the print's depth under the paper; on a 1-bit page both are black. Print's tone is
    the darkest of the ink in `region` (the seal's own ink is most of it, but lighter).
    """
    gray = to_gray(image).astype(np.float32)
    x0, y0, x1, y1 = clip_box(region, image.shape)
    crop = gray[y0:y1, x0:x1]
    bg = background_level(crop)
    ink = crop[crop < bg - DEFAULT_GREY_DELTA]
    if ink.size < DEFAULT_MIN_PRINT_PX:
        return False  # no print to measure the ring against: as found
    black = float(np.percentile(ink, DEFAULT_PRINT_INK_PCT))
    theta = np.arange(DEFAULT_ANGLES) * (2 * math.pi / DEFAULT_ANGLES)
    width = max(float(seal.ring), 2.0)
    ring = _sample(gray, seal.center, theta, np.arange(seal.radius - width, seal.radius + 1.0),
                   border=255.0)
    level = float(np.median(ring.min(axis=0)))
    return level - black >= DEFAULT_GREY_RING * max(bg - black, 1.0)


def find_shape_seals(image: np.ndarray, region: Box, text_height: float) -> list[Seal]:
    """Round seals by their shape alone (`extract.seal_shape`), centred within `region`:
    the search looks a little beyond it, as a seal stamped over the place's border is
    still the place's."""
    x0, y0, x1, y1 = region
    reach = round(DEFAULT_SHAPE_REACH * text_height)
    found = find_round_seals(image, (x0 - reach, y0 - reach, x1 + reach, y1 + reach),
                             text_height)
    return [Seal(s.center, s.radius, s.bbox, s.score, "black", "round", s.ring_width)
            for s in found if x0 <= s.center[0] < x1 and y0 <= s.center[1] < y1]


# --------------------------------------------------------------------------- arc text


def seal_ink_strength(crop: np.ndarray, color: str, rim: int = 1,
                      level: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Seal ink as coverage 0..1 (float32), and the pixels where it cannot be seen.

    Shape comes from the grey (luma) darkness relative to the seal's full-strength tone
    `level` (e.g. of its ring): JPEG keeps luma sharp but blurs colour, so colour (red
    seals: R − max(G, B)) only says *where* seal ink may be. Black print (and blue pen)
    hides the seal: those pixels, with a `rim` px rim of anti-aliasing, are *unknown*,
    not paper. In grey, print is told by its black: a seal pressed hard is darker than
    `level`, still seal ink.
    """
    gray = to_gray(crop).astype(np.float32)
    bg = background_level(gray)
    if level is None:
        ink = gray[(gray >= DEFAULT_GREY_PRINT * bg) & (gray < bg - DEFAULT_GREY_DELTA)]
        level = float(np.percentile(ink, 10)) if ink.size > 50 else bg - 100.0
    depth = max(DEFAULT_GREY_DELTA, bg - level)
    floor = DEFAULT_GREY_DELTA / 2  # paper noise and JPEG ringing
    strength = np.clip((bg - floor - gray) / (depth - floor), 0.0, 1.0)
    if color == "red" and crop.ndim == 3:
        b, g, r = (crop[..., i].astype(np.int16) for i in range(3))
        red = (r - np.maximum(g, b) >= DEFAULT_RED_EXCESS_FLOOR).astype(np.uint8)
        red = cv2.dilate(red, np.ones((3, 3), np.uint8)) > 0
        strength = np.where(red, strength, 0.0)
        value = np.maximum(r, np.maximum(g, b)).astype(np.float32)
        hidden = (value < DEFAULT_HIDDEN_VALUE * background_level(value)) | blue_mask(crop)
    else:
        hidden = gray < bg - (1.0 + DEFAULT_GREY_PRINT_GAP) * depth
        if color == "grey" and bg - depth >= DEFAULT_GREY_BLACK * bg:
            # Seal ink is as dark as it was pressed: where stamped harder than at its ring's
            # median tone it is still seal ink (wp-04 lost its arc text's darker half as
            # print). Print is black: it is what lies nearer print's tone than the seal's.
            # (A ring whose tone is print's, crossed by print all round, tells nothing.)
            black = min(float(np.percentile(gray, DEFAULT_PRINT_PCT)), DEFAULT_GREY_BLACK * bg)
            hidden &= gray < (black + bg - depth) / 2
    if rim:
        k = 2 * rim + 1
        hidden = cv2.dilate(hidden.astype(np.uint8), np.ones((k, k), np.uint8)) > 0
    return strength.astype(np.float32), hidden


def _seal_ink(image: np.ndarray, seal: Seal) -> tuple[np.ndarray, tuple[float, float]]:
    """Seal ink coverage around `seal` with print holes filled in; and the centre in it."""
    r = seal.radius
    cx, cy = seal.center
    pad = int(r * 1.08) + 3
    x0, y0 = max(0, cx - pad), max(0, cy - pad)
    crop = image[y0:cy + pad, x0:cx + pad]
    # The ring is seal ink only: its tone is the seal's full strength (print is darker).
    theta = np.arange(DEFAULT_ANGLES) * (2 * math.pi / DEFAULT_ANGLES)
    ring = _sample(to_gray(crop).astype(np.float32), (cx - x0, cy - y0), theta,
                   np.arange(0.88 * r, 1.04 * r, 1.0), border=255.0)
    level = float(np.percentile(ring.min(axis=0), DEFAULT_RING_TONE_PCT))
    # Grey: the anti-aliased rim of print is mid-grey like seal ink, so it goes too; red
    # needs only a thin one (the rim of black print is not red, but JPEG blurs colour).
    rim = 1 if seal.color == "red" else max(1, round(r / 100))
    strength, hidden = seal_ink_strength(crop, seal.color, rim=rim, level=level)
    if seal.color == "black":
        hidden = hidden | _rulings(crop, r)
    if hidden.any():  # print over the seal hides its ink: fill from the ink around
        u8 = np.rint(strength * 255).astype(np.uint8)
        u8 = cv2.inpaint(u8, hidden.astype(np.uint8), 3, cv2.INPAINT_TELEA)
        strength = u8.astype(np.float32) / 255.0
    return strength, (cx - x0, cy - y0)


def _rulings(crop: np.ndarray, r: float) -> np.ndarray:
    """Straight level or upright runs of ink across a black seal, as long as its radius
    (`DEFAULT_RULING_SPAN`): the table's rules it was stamped over. No glyph of its text
    runs straight that far, nor its ring (the straightest stretch of a ring within its own
    width is under 0.8 of its radius). On a 1-bit page a rule is as black as the seal;
    read along the ring, each crossing is a stroke of a glyph that is not there."""
    ink = (to_gray(crop) < 128).astype(np.uint8)
    k = max(8, round(DEFAULT_RULING_SPAN * r))
    hl = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    vl = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k)))
    return cv2.dilate(hl | vl, np.ones((3, 3), np.uint8)) > 0


def _sample(ink: np.ndarray, center: tuple[float, float], theta: np.ndarray, rho: np.ndarray,
            interp: int = cv2.INTER_LINEAR, border: float = 0.0) -> np.ndarray:
    """ink at polar points: rows = rho (given order), columns = theta (clockwise from +x)."""
    mx = (center[0] + np.cos(theta)[None, :] * rho[:, None]).astype(np.float32)
    my = (center[1] + np.sin(theta)[None, :] * rho[:, None]).astype(np.float32)
    return cv2.remap(ink, mx, my, interp, borderMode=cv2.BORDER_CONSTANT,
                     borderValue=border)


def _text_band(radial: np.ndarray, cover: np.ndarray, rho: np.ndarray, r: float
               ) -> tuple[float, float, tuple[float, float] | None]:
    """(inner, outer) radius of the arc text from radial profiles of the ink, and where no
    band is found, a second guess hung from the ring's inner edge (else None).

    `radial` is the mean ink per radius, `cover` the share of angles inked there. Inward
    from the outer ring: skip the ring(s) (inked at most angles), then the text is the
    next run of moderately inked radii; it ends in the gap before the star.
    """
    prof = np.convolve(radial, np.ones(3) / 3, "same")
    near = (rho >= 0.8 * r) & (rho <= 1.06 * r)
    i = int(np.argmax(np.where(near, cover, -1)))
    ring_thr = min(DEFAULT_RING_COVER, 0.7 * cover[i])
    for _ in range(2):  # outer ring, then an inner ring when there is one close inside
        while i > 0 and cover[i] >= ring_thr:
            i -= 1
        j = i
        while j > 0 and rho[i] - rho[j] < 0.1 * r and cover[j] < ring_thr:
            j -= 1
        if cover[j] >= ring_thr and rho[j] > 0.7 * r:
            i = j
    edge = rho[i]
    inside = (rho <= edge - 0.04 * r) & (rho >= edge - 0.35 * r)  # not the ring's shoulder
    level = float(prof[inside].max()) if inside.any() else 0.0
    thr = 0.3 * level
    top = i
    while top > 0 and prof[top] < thr and edge - rho[top] < 0.2 * r:
        top -= 1
    step = float(rho[1] - rho[0])
    bottom, low = top, 0
    while bottom > 0 and edge - rho[bottom] < 0.55 * r:
        low = low + 1 if prof[bottom] < thr else 0
        if low * step >= 0.04 * r and rho[top] - rho[bottom] > 0.22 * r:
            break
        bottom -= 1
    outer = min(float(edge), float(rho[top]) + 0.03 * r)
    inner = float(rho[bottom]) + low * step - 0.03 * r
    if not 0.15 * r <= outer - inner <= 0.5 * r:
        # no band of its own (a faint seal whose print inside is as strong as its text):
        # where most seals set it, and right inside the ring, where the text of a seal
        # with a thin ring starts (0.86 r cuts its glyphs' tops off)
        hung = min(float(edge), DEFAULT_HUNG_BAND[1] * r)
        return 0.5 * r, 0.86 * r, (hung - DEFAULT_HUNG_BAND[0] * r, hung)
    return inner, outer, None


def _runs(active: np.ndarray) -> list[tuple[int, int]]:
    """Circular runs of True as (start, length), on a ring of len(active)."""
    n = len(active)
    if active.all():
        return [(0, n)]
    if not active.any():
        return []
    shift = int(np.argmin(active))  # start scanning at a gap so no run wraps
    rolled = np.roll(active, -shift)
    runs, start = [], None
    for i, v in enumerate(np.append(rolled, False)):
        if v and start is None:
            start = i
        elif not v and start is not None:
            runs.append(((start + shift) % n, i - start))
            start = None
    return runs


def _close_circular(active: np.ndarray, gap: int) -> np.ndarray:
    """Fill gaps shorter than `gap` (between characters) on a circular profile."""
    runs = _runs(~active)
    out = active.copy()
    n = len(active)
    for s, length in runs:
        if length < gap:
            out[np.arange(s, s + length) % n] = True
    return out


def _render(geo: _Geometry, band: tuple[float, float], start: float, length: float
            ) -> np.ndarray:
    """The arc from angle `start` over `length` (radians, clockwise) of the radial `band`,
    as an upright black-on-white strip: outer radius on top, glyphs at their own aspect
    (arc length measured mid-band), upsampled so the band is ≥ DEFAULT_STRIP_HEIGHT px."""
    inner, outer = band
    h = outer - inner
    f = max(1.0, DEFAULT_STRIP_HEIGHT / h)
    mid = (inner + outer) / 2
    rho = outer - (np.arange(round(h * f)) + 0.5) / f
    theta = start + (np.arange(max(8, round(length * mid * f))) + 0.5) / (f * mid)
    ink = _sample(geo.ink, geo.center, theta, rho, cv2.INTER_CUBIC)
    strip = np.rint(255.0 * (1.0 - np.clip(ink * DEFAULT_STRIP_GAIN, 0.0, 1.0))).astype(np.uint8)
    pad = max(4, strip.shape[0] // 8)
    return cv2.copyMakeBorder(strip, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)


def _gap_minima(prof: np.ndarray, k: int, sep: int) -> list[int]:
    """The k emptiest angles of a circular ink profile, at least `sep` rows apart."""
    n = len(prof)
    picked: list[int] = []
    for i in np.argsort(prof, kind="stable"):
        if all(min(abs(int(i) - p), n - abs(int(i) - p)) >= sep for p in picked):
            picked.append(int(i))
            if len(picked) == k:
                break
    return picked


@dataclass(frozen=True)
class _Geometry:
    ink: np.ndarray                 # seal ink coverage 0..1, print holes filled
    center: tuple[float, float]     # seal centre in `ink`
    bands: list[tuple[float, float]]  # (inner, outer) radius of the arc text, best first
    spans: list[tuple[float, float]]  # (start, length) angles of the arc text, best first


def _geometry(image: np.ndarray, seal: Seal, max_spans: int = DEFAULT_MAX_STRIPS) -> _Geometry:
    """Where the arc text lies: its radial band and candidate angular spans.

    First the longest angular run of ink in the text band (the arc text; the gap at the
    bottom of the ring is its two ends). A seal may be turned any way and may carry more
    text at the bottom, so the others run between pairs of the emptiest angles (gaps
    between words or at the text's ends) spanning 150–330°; the recogniser chooses.
    """
    ink, center = _seal_ink(image, seal)
    r = float(seal.radius)
    n = DEFAULT_ANGLES
    theta = np.arange(n) * (2 * math.pi / n)
    rho = np.arange(0.2 * r, 1.08 * r, max(0.5, r / 150))
    polar = _sample(ink, center, theta, rho)
    inner, outer, hung = _text_band(polar.mean(axis=1), (polar > 0.35).mean(axis=1), rho, r)
    bands = [(inner, outer)]
    alt = (outer - 0.42 * r, outer) if outer - inner < 0.36 * r else (inner + 0.06 * r, outer)
    bands.append(hung or alt)
    band_rho = np.arange(inner, outer, max(0.5, r / 150))
    raw = (_sample(ink, center, theta, band_rho) > DEFAULT_INKED).mean(axis=0)
    # Glyphs, smoothed over about half a glyph, make one run; the gap at the ends of the
    # arc text (the bottom of the ring) is the widest stretch without ink.
    win = max(1, round(n * DEFAULT_GLYPH_SMOOTH / 360))
    prof = np.convolve(np.concatenate([raw[-win:], raw, raw[:win]]),
                       np.ones(2 * win + 1) / (2 * win + 1), "same")[win:-win]
    active = prof > DEFAULT_ACTIVE_SHARE * max(1e-3, float(np.percentile(prof, 90)))
    active = _close_circular(active, gap=max(3, int(n * 20 / 360)))
    runs = sorted(_runs(active), key=lambda run: -run[1])
    margin = max(2, n // 90)
    step = 2 * math.pi / n
    spans: list[tuple[float, float]] = []
    if runs and runs[0][1] < n:
        spans.append(((runs[0][0] - margin) * step, min(n, runs[0][1] + 2 * margin) * step))
    wide = max(2, n // 90)
    gap_prof = np.convolve(np.concatenate([raw[-wide:], raw, raw[:wide]]),
                           np.ones(2 * wide + 1), "same")[wide:-wide]
    minima = _gap_minima(gap_prof, DEFAULT_GAP_CANDIDATES, sep=max(2, n // 30))
    pairs = []
    for i, a in enumerate(minima):
        for j, b in enumerate(minima):
            length = (b - a) % n
            if a != b and 150 * n / 360 <= length <= 330 * n / 360:
                pairs.append((i + j, a, length))
    spans += [(a * step, length * step) for _, a, length in sorted(pairs)]
    if not spans:  # no structure in the band: the upper arc, as most seals are stamped
        spans.append((math.radians(150), math.radians(240)))
    return _Geometry(ink, center, bands, spans[:max_spans])


def _candidates_to_read(geo: _Geometry, max_strips: int) -> list[tuple[int, int]]:
    """(band, span) index pairs, most likely first: the best span in both bands, then
    the other spans in the detected band."""
    order = [(0, 0), (1, 0)] + [(0, k) for k in range(1, len(geo.spans))]
    return [(b, s) for b, s in order if s < len(geo.spans)][:max_strips]


def seal_strips(image: np.ndarray, seal: Seal, max_strips: int = DEFAULT_MAX_STRIPS
                ) -> list[np.ndarray]:
    """Candidate unrolled strips of the arc text, the most likely first (see `_geometry`)."""
    geo = _geometry(image, seal)
    return [_render(geo, geo.bands[b], *geo.spans[s])
            for b, s in _candidates_to_read(geo, max_strips)]


def unroll_seal(image: np.ndarray, seal: Seal) -> np.ndarray:
    """The seal's arc text as a horizontal, upright, black-on-white strip (grey uint8)."""
    return seal_strips(image, seal, max_strips=1)[0]


def _rank(result: tuple[str, float]) -> float:
    # Confident characters count: a strip cut short reads fewer of them, a strip that runs
    # into the bottom text or starts mid-word reads them with less confidence.
    return len(result[0]) * result[1] ** 2


def _trim(text: str) -> str:
    """Text without the punctuation that gap edges read as, and without stray Latin or
    digits at its ends (print under the ring's gap) when it holds Chinese."""
    text = text.strip(DEFAULT_EDGE_JUNK)
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        text = text.strip(DEFAULT_EDGE_JUNK + string.ascii_letters + string.digits)
    return text


def read_seal_text(image: np.ndarray, seal: Seal, engine: OcrEngine) -> tuple[str, float]:
    """Read the arc text of `seal` with `engine` (line recognition); best candidate wins.

    The likeliest strip is read first and accepted when read confidently; otherwise the
    other candidates are read in one batch and the best wins.
    """
    return _read_free(_geometry(image, seal), engine)


def _read_free(geo: _Geometry, engine: OcrEngine) -> tuple[str, float]:
    todo = _candidates_to_read(geo, DEFAULT_MAX_STRIPS)
    results: list[tuple[str, float]] = []
    for batch in (todo[:1], todo[1:DEFAULT_FIRST_BATCH]):
        if not batch:
            continue
        strips = [_render(geo, geo.bands[b], *geo.spans[s]) for b, s in batch]
        results += [(_trim(t), sc) for t, sc in engine.recognize(strips)]
        best = max(results, key=_rank)
        if best[1] >= DEFAULT_ACCEPT_SCORE and len(best[0]) >= DEFAULT_ACCEPT_CHARS:
            break
    best = max(results, key=_rank, default=("", 0.0))
    return best[0], float(best[1])


# --------------------------------------------------------------------------- verification

DEFAULT_OTHER_PRIOR = 0.05       # a seal names none of the units that may have stamped it
DEFAULT_MISREAD_CAP = 4.0        # nats: the most one column costs a name (a misread glyph) ...
DEFAULT_EXTRA_COST = 4.0         # ... and one more glyph of the arc text beside the name
DEFAULT_MATCH_GAIN = 0.7         # nats per glyph of the name the ring shows: that a unit none
                                 # of the candidates is would show it by chance
DEFAULT_MATCHED = 0.5            # a glyph shows when at least half as likely as the best
DEFAULT_CHAR_ODDS_FLOOR = 0.01   # a glyph read is never surer than 1 : 100 against the rest
DEFAULT_TEXT_GAP = 8             # blank CTC columns that end the arc text (glyphs are ~4 apart)
DEFAULT_SHARP_GLYPH = 32         # px: glyphs this tall (in the scan) are misread at the full cost;
                                 # smaller ones, drawn in fewer pixels, are misread more often
DEFAULT_VERIFIED = 0.5           # P(unit) from which the unit is reported, not a free reading
DEFAULT_SURE_UNIT = 0.97         # P(unit) at which the second text band is not looked at
DEFAULT_SURE_CAP = 0.999         # no reading is reported surer than this
DEFAULT_LOST_COST = 1.5          # nats: a glyph of the name where the ring shows none, with room
                                 # for it (a pale stretch of the stamp, gone under a 1-bit
                                 # threshold or too faint to read): no other glyph is there
DEFAULT_LOST_SURE = 0.9          # a unit verified with glyphs lost is reported at most this sure
DEFAULT_LEGIBLE_CHARS = 4        # a free reading naming a unit has this many characters ...
DEFAULT_UNSURE_SCORE = 0.5       # ... else it is reported at most this sure (low_confidence)


@dataclass(frozen=True)
class SealText:
    """What a seal says. `text` is the unit verified among the candidates (`unit` set), or
    the free reading; `score` is how likely `text` is what the ring says (calibrated: the
    recogniser's per-column character probabilities against the candidates and against
    any other name). `read` is what the recogniser read along the ring, `support` the share
    of the unit's characters the ring shows (0 when no candidate was given)."""

    text: str
    score: float
    unit: str | None = None
    read: str = ""
    support: float = 0.0


@dataclass(frozen=True)
class _Columns:
    """The recogniser's output on one strip: class probabilities per CTC column."""

    probs: np.ndarray     # T × classes (blank is class 0)
    chars: list[str]      # class → character
    index: dict[str, int]  # character → class

    @property
    def best(self) -> np.ndarray:
        return self.probs.max(axis=1)

    def text(self, lo: int = 0, hi: int | None = None) -> str:
        """Greedy CTC decoding of columns lo..hi."""
        out, prev = [], 0
        for i in self.probs[lo:hi].argmax(axis=1):
            if i != prev and i != 0:
                out.append(self.chars[i])
            prev = int(i)
        return "".join(out)


def _rec_columns(engine: OcrEngine, strips: list[np.ndarray]) -> list[_Columns] | None:
    """The recogniser's class probabilities per CTC column of each strip; None for an
    engine that does not expose them (the seal is then read free).

    `OcrEngine.recognize_columns(strips)` → [(probs, chars)], or None (the paddleocr engine).
    """
    got = engine.recognize_columns(strips)
    if got is None:
        return None
    return [_Columns(p, *_charset(c)) for p, c in got]


_CHARSET: list[tuple[object, list[str], dict[str, int]]] = []  # the last one, with its owner


def _charset(chars) -> tuple[list[str], dict[str, int]]:
    """The recogniser's classes as a list and their index by character: made once for the
    engine's own list (the same object every call; some 6,600 characters), not per strip."""
    if _CHARSET and _CHARSET[0][0] is chars and len(_CHARSET[0][1]) == len(chars):
        return _CHARSET[0][1], _CHARSET[0][2]
    listed = list(chars)
    index = {ch: i for i, ch in enumerate(listed)}
    _CHARSET[:] = [(chars, listed, index)]
    return listed, index


@dataclass(frozen=True)
class _Spot:
    gain: float               # log-likelihood of the name's best path − the free path (≤ 0)
    odds: list[float]         # per character: odds that the ring holds another glyph there
    support: list[float]      # per character: its probability / its column's best, ≤ 1
    span: tuple[int, int]     # columns from the name's first glyph to its last
    extra: int = 0            # glyphs of the arc text right beside the name, not in it
    cost: float = DEFAULT_EXTRA_COST  # what one glyph beside the name costs
    refund: float = 0.0       # nats given back for glyphs lost, not misread (`_lost`)
    lost: int = 0             # how many of the name's glyphs the ring lost

    def log_odds(self, prior: float = DEFAULT_OTHER_PRIOR) -> float:
        """Log odds that the ring names this unit rather than a unit none of the candidates
        is: the prior; each glyph shown counts for it; each glyph misread, lost or added
        (within the name, and beside it on the arc) against it; and the chance that any
        glyph read is another one after all."""
        shown = [o for o, s in zip(self.odds, self.support, strict=True) if s >= DEFAULT_MATCHED]
        doubt = float(np.sum(np.log1p(np.maximum(shown, DEFAULT_CHAR_ODDS_FLOOR))))
        return (math.log((1.0 - prior) / prior) + DEFAULT_MATCH_GAIN * len(shown) + self.gain
                + self.refund - self.cost * self.extra - doubt)


def _beside(cols: _Columns, span: tuple[int, int], gap: int = DEFAULT_TEXT_GAP) -> int:
    """Chinese glyphs read right before and after `span`, up to the gap that ends the arc
    text (or anything not Chinese: a serial number, the ring's Latin line)."""
    idx = cols.probs.argmax(axis=1)
    n = 0
    for step, t in ((-1, span[0] - 1), (1, span[1])):
        blank, prev = 0, -1
        while 0 <= t < len(idx):
            k = int(idx[t])
            if k == 0:
                blank += 1
                if blank >= gap:
                    break
            else:
                if not "\u4e00" <= cols.chars[k] <= "\u9fff":
                    break
                blank, n = 0, n + (k != prev)
            prev = k
            t += step
    return n


def _spot(cols: _Columns, labels: list[int], cap: float = DEFAULT_MISREAD_CAP,
          glyph: float | None = None) -> _Spot:
    """The name `labels` anywhere in the columns, anything around it (CTC, blank 0).

    Viterbi over: free columns before, the name's CTC states (blank, c1, blank, c2, …),
    free columns after. Each column scores relative to its best class and is clipped at
    −`cap`: a glyph misread or added costs about `cap` (a confusion's likelihood),
    not the recogniser's certainty about the wrong glyph; one lost where the ring shows
    no glyph and has room for it costs `DEFAULT_LOST_COST` (`_lost`). `glyph` is the text
    band's height in columns (about a glyph's width).
    """
    probs = cols.probs
    t_n = probs.shape[0]
    best = cols.best
    ext = [0]
    for k in labels:
        ext += [k, 0]
    n = len(ext)
    full = np.maximum(np.log(np.maximum(probs[:, ext], 1e-12) / best[:, None]), -cap)
    room = _room(cols, glyph)
    lost_cost = min(DEFAULT_LOST_COST, cap)
    rel = full.copy()
    if room.any():  # a glyph of the name lost in a pale stretch with room for it
        rel[np.ix_(room, np.arange(1, n, 2))] = np.maximum(full[np.ix_(room, np.arange(1, n, 2))],
                                                           -lost_cost)
    skip = np.zeros(n, bool)
    for s in range(2, n):
        skip[s] = ext[s] != 0 and ext[s] != ext[s - 2]
    neg = -1e18
    v = np.full(n, neg)
    after, after_from = neg, (-1, -1)
    back = np.zeros((t_n, n), np.int8)  # 0 stay, 1 from s-1, 2 from s-2, 3 from before
    # the four ways into each state (stay, from s-1, from s-2, from before), rows of one
    # array filled in place per column: the same candidates as stacking new ones, without
    # five small arrays per column
    cand = np.full((4, n), neg)
    cand[3, 0] = cand[3, 1] = 0.0  # the free columns before score 0 (each at its best class)
    skip2 = skip[2:]
    for t in range(t_n):
        # leaving the name after column t-1, from its last glyph or the blank after it
        last = max((v[n - 1], n - 1), (v[n - 2], n - 2))
        if last[0] > after:
            after, after_from = last[0], (t - 1, last[1])
        cand[0] = v
        cand[1, 1:] = v[:-1]
        cand[2, 2:] = np.where(skip2, v[:-2], neg)
        back[t] = cand.argmax(axis=0)
        v = cand.max(axis=0) + rel[t]
    last = max((v[n - 1], n - 1), (v[n - 2], n - 2))
    if last[0] >= after:
        after, after_from = last[0], (t_n - 1, last[1])
    t, s = after_from
    end, at = t, {}
    while t >= 0:
        if ext[s]:
            at.setdefault(s // 2, []).append(t)
        move = int(back[t, s])
        if move == 3:
            break
        s -= move
        t -= 1
    odds, support = [], []
    for i, k in enumerate(labels):
        if i not in at:
            odds.append(1.0 / DEFAULT_CHAR_ODDS_FLOOR)
            support.append(0.0)
            continue
        tk = max(at[i], key=lambda c: probs[c, k])
        p = probs[tk]
        own = float(p[k])
        rest = float(np.partition(p, -2)[-2]) if int(p.argmax()) == k else float(p.max())
        odds.append(rest / max(own, 1e-12))
        support.append(min(1.0, own / float(p.max())))
    placed = [c for ts in at.values() for c in ts]
    span = (min(placed), max(placed) + 1) if placed else (max(t, 0), end + 1)
    refund, lost, excess = _lost(cols, at, full, rel, glyph)
    return _Spot(float(after) - refund - excess, odds, support, span, _beside(cols, span),
                 DEFAULT_EXTRA_COST * cap / DEFAULT_MISREAD_CAP, refund, lost)


def _pitch(idx: np.ndarray, glyph: float | None = None) -> float | None:
    """Columns from one glyph of the arc text to the next (a seal sets its name at an even
    pitch): from the steps between the starts of the glyphs read, each taken as the
    whole number of pitches about `glyph` (the text band's height in columns: seal glyphs
    are about as wide as tall) it spans, as glyphs lost between make some steps two or
    three; without `glyph`, the median step. None with too few glyphs read."""
    starts = np.flatnonzero((idx != 0) & (np.concatenate([[0], idx[:-1]]) != idx))
    steps = np.diff(starts).astype(float)
    if steps.size < 3:
        return None
    if glyph:
        steps = steps / np.maximum(1.0, np.round(steps / glyph))
    return float(np.median(steps))


def _blank_runs(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per column, the id of its run of like columns (blank or not), and each run's size."""
    blank = idx == 0
    run_id = np.cumsum(np.concatenate([[True], blank[1:] != blank[:-1]])) - 1
    return run_id, np.bincount(run_id)


def _capacity(size: int, pitch: float) -> int:
    """Glyphs at the text's pitch that a run of `size` blank columns between two glyphs
    read holds: none between neighbours, one where one glyph is missing, ...; a glyph
    needs 0.6 of a pitch beyond the whole pitches (the steps of even text wander)."""
    return max(0, math.floor((size + 1) / pitch + 0.4) - 1)


def _room(cols: _Columns, glyph: float | None = None) -> np.ndarray:
    """Columns where a glyph of the name may be lost: blank ones, in a run of blank
    columns with room for a glyph at the text's pitch."""
    idx = cols.probs.argmax(axis=1)
    pitch = _pitch(idx, glyph)
    if pitch is None:
        return np.zeros(len(idx), bool)
    run_id, sizes = _blank_runs(idx)
    holds = np.array([_capacity(int(k), pitch) for k in sizes]) >= 1
    return (idx == 0) & holds[run_id]


def _lost(cols: _Columns, at: dict[int, list[int]], full: np.ndarray, rel: np.ndarray,
          glyph: float | None = None) -> tuple[float, int, float]:
    """The name's glyphs lost: how much less the path paid for them than for glyphs
    misread (the refund), how many they are, and the same for glyphs placed as lost in a
    run beyond its room (paid back: misread after all).

    A stamp is pressed unevenly: a pale stretch of it is gone under a 1-bit threshold (or
    too faint to read), and the recogniser reads nothing there. A glyph of the name that
    falls in such a stretch is lost, not misread: the ring shows no other glyph in its
    place. It counts so only where the stretch has room for it at the text's own pitch
    (a glyph of the name squeezed between two glyphs read side by side is not lost, it is
    not there), and it never counts as shown."""
    idx = cols.probs.argmax(axis=1)
    pitch = _pitch(idx, glyph)
    if pitch is None:
        return 0.0, 0, 0.0
    room = _room(cols, glyph)
    run_id, sizes = _blank_runs(idx)
    by_run: dict[int, list[float]] = {}
    for i, ts in at.items():
        saved = float(sum(rel[t, 2 * i + 1] - full[t, 2 * i + 1] for t in ts))
        if saved > 0 and room[ts].all() and len({int(run_id[t]) for t in ts}) == 1:
            by_run.setdefault(int(run_id[ts[0]]), []).append(saved)
    refund, lost, excess = 0.0, 0, 0.0
    for run, saved in by_run.items():
        saved.sort(reverse=True)
        k = _capacity(int(sizes[run]), pitch)
        refund += sum(saved[:k])
        lost += len(saved[:k])
        excess += sum(saved[k:])
    return refund, lost, excess


def _posterior(spots: dict[str, _Spot], prior: float = DEFAULT_OTHER_PRIOR) -> dict[str, float]:
    """P(the seal names c) for every candidate c, against each other and against a unit
    none of them is (prior `prior`)."""
    odds = {c: math.exp(min(50.0, s.log_odds(prior))) for c, s in spots.items()}
    total = 1.0 + sum(odds.values())
    return {c: o / total for c, o in odds.items()}


def _legible(text: str) -> bool:
    """A free reading that can name a unit: Chinese characters (brackets allowed), enough."""
    core = re.sub(r"[（）()]", "", text)
    return len(core) >= DEFAULT_LEGIBLE_CHARS and all("\u4e00" <= ch <= "\u9fff" for ch in core)


def _partial(text: str, names: list[str]) -> bool:
    """`text` is one of `names` with characters lost and none changed (a rim read in part).

    Brackets are no characters here (as for `_legible`): where print hides the rim, the
    recogniser reads a gap's edge as （ or ）, which no name needs in that place."""
    core = re.sub(r"[（）()]", "", text)
    for name in names:
        it = iter(re.sub(r"[（）()]", "", name))
        if len(core) < len(name) and all(ch in it for ch in core):
            return True
    return False


def _band_rows(band: tuple[float, float]) -> int:
    """Rows of the text band in a strip `_render` draws (without its padding)."""
    h = band[1] - band[0]
    return round(h * max(1.0, DEFAULT_STRIP_HEIGHT / h))


def _ring_strip(geo: _Geometry, band: tuple[float, float]) -> np.ndarray:
    """The ring unrolled from where the arc text starts, once round and on over the text
    again: a name starting at any angle is whole in it, however the seal was turned."""
    start, length = geo.spans[0]
    return _render(geo, band, start, 2 * math.pi + min(length, 2 * math.pi))


def _free_reading(image: np.ndarray, seal: Seal, engine: OcrEngine, geo: _Geometry,
                  names: list[str], p_unit: float) -> tuple[str, float]:
    """The free reading, reported unsure when it cannot name a unit (Latin, a few glyphs,
    a candidate's characters only, in part) or when a candidate is about as likely."""
    text, score = _read_free(geo, engine)
    score = min(float(score), 1.0 - p_unit)
    if not _legible(text) or _partial(text, names) or seal.color == "black":
        # a black ring's text is read through the print that crosses it (nothing tells
        # the two apart): what it says freely is never sure
        score = min(score, DEFAULT_UNSURE_SCORE)
    return text, score


def read_seal_unit(image: np.ndarray, seal: Seal, engine: OcrEngine,
                   candidates: list[str] | tuple[str, ...] = ()) -> SealText:
    """Which of `candidates` (the units that may have stamped here) the seal names, and how
    surely; the free reading (`read_seal_text`) when none fits or none is given.

    Each candidate is scored against the recogniser's per-column character probabilities
    along the unrolled ring (every start angle, both radii of the text band): the
    likelihood of its characters against the best reading of the same columns, and the
    odds that any of them is another glyph. A free reading that cannot name a unit (Latin,
    a few glyphs, a candidate read in part) is reported unsure.
    """
    geo = _geometry(image, seal)
    names = [c for c in dict.fromkeys(x.strip() for x in candidates if x) if c]
    spots: dict[str, _Spot] = {}
    read: dict[str, str] = {}
    for band in geo.bands:
        strip = _ring_strip(geo, band)
        cols = _rec_columns(engine, [strip]) if names else None
        if not cols:
            break
        cap = DEFAULT_MISREAD_CAP * min(1.0, (band[1] - band[0]) / DEFAULT_SHARP_GLYPH)
        glyph = _band_rows(band) * cols[0].probs.shape[0] / strip.shape[1]
        for name in names:
            labels = [cols[0].index.get(ch, 0) for ch in name if ch.isalnum()]
            if not labels or 0 in labels:
                continue  # a character the recogniser cannot produce: not scored
            spot = _spot(cols[0], labels, cap, glyph)
            if name not in spots or _posterior({name: spot})[name] > \
                    _posterior({name: spots[name]})[name]:
                spots[name], read[name] = spot, cols[0].text(*spot.span)
        if spots and max(_posterior(spots).values()) >= DEFAULT_SURE_UNIT:
            break
    post = _posterior(spots) if spots else {}
    unit = max(post, key=lambda c: post[c], default=None)
    if unit is not None and post[unit] >= DEFAULT_VERIFIED:
        sure = DEFAULT_SURE_CAP
        if spots[unit].lost:
            # glyphs lost are no glyphs seen: as sure as without them, or at most LOST_SURE
            bare = _posterior({**spots, unit: replace(spots[unit], refund=0.0, lost=0)})[unit]
            sure = max(min(post[unit], DEFAULT_LOST_SURE), bare)
        return SealText(unit, round(min(post[unit], sure, DEFAULT_SURE_CAP), 4), unit, read[unit],
                        round(float(np.mean(spots[unit].support)), 3))
    p_unit = post[unit] if unit is not None else 0.0
    text, score = _free_reading(image, seal, engine, geo, names, p_unit)
    support = float(np.mean(spots[unit].support)) if unit is not None else 0.0
    return SealText(text, round(score, 4), None, text, round(support, 3))
