"""Round seals found by shape alone: for pages without colour (1-bit archive scans).

A 1-bit scan has no red: a seal is a black ring over black print, so `extract.seal`'s ink
masks (red, or mid-grey lighter than print) hold nothing. What is left is the shape: a
ring of one width, round to a few percent, inked over most of its angles, with nothing
like it just outside (print crosses a ring, it does not run along it), and the unit's
name set along an arc inside it, often with a star in the middle.

`find_round_seals(image)` looks for exactly that, in any ink:

1. candidates: Hough circles on the ink, reduced so a seal's radius is about 20 px;
2. per candidate, the ink is sampled on rays from the centre; the centre and radius are
   refitted to the ink nearest the candidate's ring on each ray, twice;
3. the ring: the share of angles inked at the radius (`coverage`) must be high, the share
   just outside low (`outside`), and the ring's radial width, measured per ray, steady
   and thin against the radius;
4. the arc text: the band inside the ring is inked along a long arc (`arc`, degrees);
5. the star: ink around the centre (`star`, reported, not required: some seals have none).

`extract.seal.find_seals` calls it (`find_shape_seals`) for a seal place on a page without
colour that holds no grey seal, and reports what it finds as a "black" `Seal` (its ring
width kept: `extract.signature` blanks the ring before it looks for a pen). `ray_samples`
and `fit_circle` serve `extract.seal`'s colour path too.

On the generated 1-bit pages and the examples' wp-07 it finds every seal, and none on
pages of print (tests/test_capture_bitonal.py); a page takes about 0.5–1.5 s.

>>> import math, numpy as np, cv2
>>> page = np.full((400, 400), 255, np.uint8)
>>> _ = cv2.circle(page, (200, 200), 120, 0, 7)
>>> for a in range(200, 340, 12):  # arc "text": short strokes along the inside of the ring
...     t = np.deg2rad(a)
...     _ = cv2.line(page, (int(200 + 85 * np.cos(t)), int(200 + 85 * np.sin(t))),
...                  (int(200 + 100 * np.cos(t)), int(200 + 100 * np.sin(t))), 0, 5)
>>> [(math.dist(s.center, (200, 200)) <= 2, s.radius) for s in find_round_seals(page, text_height=20)]
[(True, 124)]
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import cv2
import numpy as np

Box = tuple[int, int, int, int]

DEFAULT_MIN_RADIUS_TH = 2.5  # radius in text heights: official seals are 38–45 mm across
DEFAULT_MAX_RADIUS_TH = 9.0
DEFAULT_MIN_RADIUS_PX = 12
DEFAULT_RAYS = 360
DEFAULT_MAX_CANDIDATES = 80  # Hough circles looked at per region, most voted first
DEFAULT_HOUGH_RADIUS = 14.0  # px: the reduced copy Hough looks at has seals about this big
DEFAULT_MIN_COVERAGE = 0.6  # share of angles inked at the ring
DEFAULT_MAX_OUTSIDE = 0.35  # share of angles inked just outside it (print crossing)
DEFAULT_MIN_CONTRAST = 0.3  # coverage − outside
DEFAULT_MAX_WIDTH = 0.12  # ring width / radius: a disc or a blot is not a ring
DEFAULT_WIDTH_SPREAD = 0.6  # inter-quartile range of the ring width / its median
DEFAULT_MIN_ARC = 70.0  # degrees of arc text inside the ring
DEFAULT_ARC_GAP = 20.0  # degrees: a gap in the arc text this wide still joins it
DEFAULT_ARC_BAND = (0.55, 0.9)  # × radius: where the arc text runs
DEFAULT_ARC_INK = 0.08  # share of the band's radial samples inked: an angle with text
DEFAULT_STAR_RADIUS = 0.3  # × radius: the star's disc
DEFAULT_MIN_STAR = 0.3  # share of the star disc inked: a solid star (a five-point star ≈ 0.4+)
DEFAULT_STARRED_COVERAGE = 0.9  # ... inside a ring inked this whole ...
DEFAULT_STARRED_TEXT = 45.0  # ... with this many degrees of text in pieces: a seal
DEFAULT_RING_BLANK = 1.6  # × ring width inward of the outer edge: the ring, blanked
DEFAULT_PEAK_SHARE = 0.95  # of the best ring coverage: radii taken as inked as fully
DEFAULT_OUTER_RING = 1.12  # × a candidate's radius: where a double seal's outer ring lies
DEFAULT_OUTER_SCORE = 0.8  # an outer ring scoring this much of the inner one's is the seal
DEFAULT_STAR_SOLID = 2.5  # × print's stroke width: a disc this wide fits in a star, not in print
DEFAULT_STAR_REACH = 0.4  # × radius: where a seal's star lies, round the centre
DEFAULT_PRINT_RING = 1.2  # × ring width inward of the outer edge: the ring, taken off print
DEFAULT_INNER_RING = 0.8  # × radius: how far in a double seal's inner ring may lie
DEFAULT_INNER_SEEN = 0.5  # share of rays inked within a pixel of one radius: a ring to refit
DEFAULT_INNER_COVERAGE = 0.85  # ... and inked within a pixel of the refitted circle: a ring
DEFAULT_INNER_HALF = 2.5  # px each side of the inner ring taken off (it is thin)


@dataclass(frozen=True)
class ShapeSeal:
    """A round seal found by shape: centre, outer radius and what the rays saw."""

    center: tuple[int, int]
    radius: int
    bbox: Box
    ring_width: float  # px, median radial width of the ring
    coverage: float  # share of angles inked at the ring
    outside: float  # share of angles inked just outside the ring
    arc: float  # degrees of the longest inked arc in the text band
    star: float  # share of the star disc that is ink
    score: float  # 0..1


def ink_mask(image: np.ndarray) -> np.ndarray:
    """Boolean ink of a page: black of a 1-bit page, dark of a grey or colour one."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    values = np.unique(grey[:: max(1, grey.shape[0] // 64), :: max(1, grey.shape[1] // 64)])
    if values.size <= 2:
        return grey < 128
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink > 0


def ray_samples(mask: np.ndarray, cx: float, cy: float, radii: np.ndarray,
                n_rays: int = DEFAULT_RAYS) -> np.ndarray:
    """`mask` sampled on `n_rays` rays × `radii` from (cx, cy); False outside the image."""
    cos, sin = _rays(n_rays)
    xs = np.rint(cx + cos * radii[None, :])
    ys = np.rint(cy + sin * radii[None, :])
    h, w = mask.shape
    reach = float(np.abs(radii).max()) if radii.size else 0.0
    if reach <= cx <= w - 1 - reach and reach <= cy <= h - 1 - reach:
        inside = None  # every sample is in the image (rounding keeps it within the bounds)
    else:
        inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
        xs, ys = np.where(inside, xs, 0.0), np.where(inside, ys, 0.0)
    # one flat `take` at whole-number positions (exact in float64), those outside read
    # at 0 and blanked after (boolean indexing copied every index array)
    flat = (ys * w + xs).astype(np.intp)
    vals = mask.ravel().take(flat) if mask.flags.c_contiguous else mask.ravel()[flat]
    vals = vals if vals.dtype == bool else vals != 0
    return vals if inside is None else vals & inside


@functools.lru_cache(maxsize=8)
def _rays(n_rays: int) -> tuple[np.ndarray, np.ndarray]:
    """cos and sin of `n_rays` angles round the circle, as columns (read-only)."""
    ang = np.linspace(0, 2 * np.pi, n_rays, endpoint=False)
    cos, sin = np.cos(ang)[:, None], np.sin(ang)[:, None]
    cos.flags.writeable = sin.flags.writeable = False
    return cos, sin


def fit_circle(xs: np.ndarray, ys: np.ndarray, min_points: int = 12
               ) -> tuple[float, float, float] | None:
    """Least-squares (Kåsa) circle (cx, cy, r) through points; None when degenerate."""
    if len(xs) < min_points:
        return None
    a = np.column_stack([xs, ys, np.ones_like(xs)])
    (d, e, f), *_ = np.linalg.lstsq(a, -(xs ** 2 + ys ** 2), rcond=None)
    cx, cy = -d / 2, -e / 2
    r2 = cx * cx + cy * cy - f
    return (float(cx), float(cy), math.sqrt(r2)) if r2 > 0 else None


def ring_band(xs: np.ndarray, ys: np.ndarray, cx: float, cy: float, r: float, width: float
              ) -> np.ndarray:
    """Which of the pixels (`xs`, `ys`: e.g. `np.ogrid` rows and columns) lie on a seal's
    outer ring, outer radius `r` and `width` wide, its soft rim included: what to blank
    out of a signature's or a date's crop on a page where the ring is as black as they are.

    >>> ys, xs = np.ogrid[0:5, 0:40]
    >>> ring_band(xs, ys, 0, 2, 30, 4)[2, ::5].tolist()
    [False, False, False, False, False, True, True, False]
    """
    d2 = (xs - cx) ** 2 + (ys - cy) ** 2
    width = max(float(width), 1.0)
    inner = max(0.0, r - DEFAULT_RING_BLANK * width - 1)
    return (d2 >= inner ** 2) & (d2 <= (r + 0.5 * width + 1) ** 2)


def seal_marks(ink: np.ndarray, box: Box, center: tuple[float, float], radius: float,
               ring_width: float, stroke: float) -> np.ndarray:
    """Which pixels of `ink[box]` (bool or 0/255, ink true) are a black seal's own marks,
    not print under it: its outer ring, and its solid star — ink thick enough
    to hold a disc `DEFAULT_STAR_SOLID` strokes wide (no printed or written stroke is),
    near the centre. On a 1-bit page they join the date and labels inside the seal into
    one blob that no text line is found in; set to paper, the print stands apart again.

    >>> ink = np.zeros((200, 200), np.uint8)
    >>> _ = cv2.circle(ink, (100, 100), 90, 255, 6)           # the ring
    >>> _ = cv2.circle(ink, (100, 100), 18, 255, -1)          # a solid star
    >>> _ = cv2.line(ink, (40, 150), (160, 150), 255, 3)      # print across the seal
    >>> marks = seal_marks(ink, (0, 0, 200, 200), (100, 100), 93, 6, 3)
    >>> bool(marks[100, 10]), bool(marks[100, 100]), bool(marks[150, 100])
    (True, True, False)
    """
    x0, y0, x1, y1 = box
    ys, xs = np.ogrid[y0:y1, x0:x1]
    cx, cy = center
    # narrower than `ring_band`'s: a digit printed across the ring keeps what lies off it
    d2 = (xs - cx) ** 2 + (ys - cy) ** 2
    inner = max(0.0, radius - DEFAULT_PRINT_RING * max(float(ring_width), 1.0) - 1)
    marks = (d2 >= inner ** 2) & (d2 <= (radius + 1.5) ** 2)
    ring = _inner_ring(np.asarray(ink) > 0, cx, cy, radius, inner)
    if ring is not None:  # a double seal's thin inner ring joins the print as the outer does
        ix, iy, ir = ring
        di = (xs - ix) ** 2 + (ys - iy) ** 2
        marks |= (di >= (ir - DEFAULT_INNER_HALF) ** 2) & (di <= (ir + DEFAULT_INNER_HALF) ** 2)
    crop = (np.asarray(ink[y0:y1, x0:x1]) > 0).astype(np.uint8)
    k = max(3, round(DEFAULT_STAR_SOLID * stroke))
    solid = cv2.morphologyEx(crop, cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    solid[d2 > (DEFAULT_STAR_REACH * radius) ** 2] = 0
    # the star is the largest solid piece: a smaller one is where a bold digit meets its tip
    n, labels, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=8)
    if n <= 1:
        return marks
    star = labels == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    # the opening rounds the star's edges off: take them back, a pixel
    return marks | (cv2.dilate(star.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0)


def _inner_ring(mask: np.ndarray, cx: float, cy: float, radius: float, inner: float
                ) -> tuple[float, float, float] | None:
    """A double seal's inner ring (centre, radius), inside the outer one's band `inner`:
    the radius inked within a pixel on most rays, refitted on its own (it is drawn a
    pixel or two off the outer ring's centre), and then inked all round. None without one."""
    radii = np.arange(DEFAULT_INNER_RING * radius, inner - 1, 1.0)
    if radii.size < 3:
        return None
    polar = ray_samples(mask, cx, cy, radii)
    seen = (polar[:, :-2] | polar[:, 1:-1] | polar[:, 2:]).mean(axis=0)
    k = int(np.argmax(seen))
    if seen[k] < DEFAULT_INNER_SEEN:
        return None
    fit = _refit(mask, cx, cy, float(radii[k + 1]))
    if fit is None or not DEFAULT_INNER_RING * radius <= fit[2] < inner:
        return None
    ix, iy, ir = fit
    around = ray_samples(mask, ix, iy, np.arange(ir - 1, ir + 1.5, 1.0)).any(axis=1).mean()
    return fit if around >= DEFAULT_INNER_COVERAGE else None


def _candidates(mask: np.ndarray, r_min: float, r_max: float) -> list[tuple[float, float, float]]:
    """Rough circles: Hough on the ink reduced so that a seal is about 20 px in radius."""
    scale = min(1.0, DEFAULT_HOUGH_RADIUS / r_min, 1200.0 / max(mask.shape))
    small = cv2.resize(mask.astype(np.uint8) * 255, None, fx=scale, fy=scale,
                       interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    lo, hi = max(4, int(r_min * scale)), max(6, int(math.ceil(r_max * scale)))
    found = cv2.HoughCircles(small, cv2.HOUGH_GRADIENT, dp=1.5, minDist=max(4.0, lo),
                             param1=100, param2=max(12, int(0.9 * lo)), minRadius=lo,
                             maxRadius=hi)
    if found is None:
        return []
    return [(float(x) / scale, float(y) / scale, float(r) / scale)
            for x, y, r in found[0][:DEFAULT_MAX_CANDIDATES]]  # the most voted first


def _refit(mask: np.ndarray, cx: float, cy: float, r: float
           ) -> tuple[float, float, float] | None:
    """Centre and radius refitted to the ink nearest the ring on each ray."""
    for tol in (0.15, 0.07):
        radii = np.arange(max(1.0, (1 - tol) * r), (1 + tol) * r + 1, 1.0)
        vals = ray_samples(mask, cx, cy, radii)
        has = vals.any(axis=1)
        if has.mean() < DEFAULT_MIN_COVERAGE:
            return None
        # per ray, the inked radius closest to r (the ring, not print beside it)
        dist = np.where(vals, np.abs(radii[None, :] - r), np.inf)
        best = radii[np.argmin(dist, axis=1)][has]
        ang = np.linspace(0, 2 * np.pi, DEFAULT_RAYS, endpoint=False)[has]
        fit = fit_circle(cx + np.cos(ang) * best, cy + np.sin(ang) * best)
        if fit is None:
            return None
        cx, cy, r = fit
    return cx, cy, r


def _runs_longest(active: np.ndarray) -> int:
    """Longest circular run of True."""
    if active.all():
        return active.size
    if not active.any():
        return 0
    k = int(np.argmin(active))  # start just after a False: no run wraps round
    rolled = np.roll(active, -k)
    best = cur = 0
    for v in rolled:
        cur = cur + 1 if v else 0
        best = max(best, cur)
    return best


def ring_evidence(mask: np.ndarray, cx: float, cy: float, r: float) -> ShapeSeal | None:
    """Measure the ring (outer edge at radius `r`) and what is inside it; None if no ring."""
    step = max(0.5, r / 150)
    radii = np.arange(0.4 * r, 1.25 * r, step)
    polar = ray_samples(mask, cx, cy, radii)
    cover = polar.mean(axis=0)  # per radius: share of angles inked
    near = (radii >= 0.85 * r) & (radii <= 1.04 * r)
    if not near.any():
        return None
    # the outermost radius inked about as fully as the best: a double seal's thin inner
    # ring may be inked as fully as its outer one, and the seal is the outer ring
    best = float(np.max(np.where(near, cover, -1)))
    peak_i = int(np.flatnonzero(near & (cover >= DEFAULT_PEAK_SHARE * best))[-1])
    coverage = float(cover[peak_i])
    ring_r = radii[peak_i]
    if coverage < DEFAULT_MIN_COVERAGE:
        return None
    # the ring's radial width per ray: the run of ink through the peak radius
    rows = polar[polar[:, peak_i]]
    gap = ~rows
    n = rows.shape[1]
    # per ray, the run of ink through the peak radius: its first and last radius index
    before = gap[:, peak_i::-1]
    a = np.where(before.any(axis=1), peak_i - np.argmax(before, axis=1) + 1, 0)
    after = gap[:, peak_i:]
    b = np.where(after.any(axis=1), peak_i + np.argmax(after, axis=1) - 1, n - 1)
    widths_a = (b - a + 1) * step
    width = float(np.median(widths_a))
    q1, q3 = np.percentile(widths_a, [25, 75])
    outer = float(np.median(radii[b])) + step / 2
    if width > DEFAULT_MAX_WIDTH * outer or (q3 - q1) > DEFAULT_WIDTH_SPREAD * max(width, 2.0):
        return None
    out_band = (radii >= outer + max(2.0, 1.0 * width)) & (radii <= outer + max(4.0, 0.12 * r))
    outside = float(polar[:, out_band].any(axis=1).mean()) if out_band.any() else 0.0
    if outside > DEFAULT_MAX_OUTSIDE or coverage - outside < DEFAULT_MIN_CONTRAST:
        return None
    lo, hi = DEFAULT_ARC_BAND
    band = (radii >= lo * outer) & (radii <= min(hi * outer, ring_r - width))
    if not band.any():
        return None
    text = polar[:, band].mean(axis=1) >= DEFAULT_ARC_INK
    # close gaps between characters and where a glyph's strokes did not take (≈ 20°)
    k = max(1, round(DEFAULT_ARC_GAP * DEFAULT_RAYS / 360))
    wrapped = np.concatenate([text[-k:], text, text[:k]]).astype(np.uint8)[None, :]
    closed = cv2.morphologyEx(wrapped, cv2.MORPH_CLOSE, np.ones((1, k), np.uint8))[0, k:-k] > 0
    arc = _runs_longest(closed) * 360.0 / DEFAULT_RAYS
    star_r = np.arange(0, DEFAULT_STAR_RADIUS * outer, max(0.5, step))
    star = float(ray_samples(mask, cx, cy, star_r, n_rays=72).mean()) if star_r.size else 0.0
    # a seal's text thresholded to 1 bit may keep only pieces of its glyphs: a whole ring
    # round a solid star, with text in pieces along it, is a seal all the same
    starred = (star >= DEFAULT_MIN_STAR and coverage >= DEFAULT_STARRED_COVERAGE
               and float(text.mean()) * 360.0 >= DEFAULT_STARRED_TEXT)
    if arc < DEFAULT_MIN_ARC and not starred:
        return None
    shown = max(arc, float(text.mean()) * 360.0) if starred else arc
    score = min(1.0, coverage) * (1 - outside) * min(1.0, shown / 180.0) ** 0.5
    x, y, ro = round(cx), round(cy), round(outer)
    return ShapeSeal((x, y), ro, (x - ro, y - ro, x + ro + 1, y + ro + 1), round(width, 2),
                     round(coverage, 3), round(outside, 3), round(arc, 1), round(star, 3),
                     round(score, 3))


def find_round_seals(image: np.ndarray, region: Box | None = None,
                     text_height: float = 30.0) -> list[ShapeSeal]:
    """Round seals drawn in any ink within `region` (default: the whole page), by shape;
    top to bottom. `text_height` (px) sets the radii looked for, as in `extract.seal`."""
    h, w = image.shape[:2]
    x0, y0, x1, y1 = region if region is not None else (0, 0, w, h)
    x0, y0, x1, y1 = max(0, int(x0)), max(0, int(y0)), min(w, int(x1)), min(h, int(y1))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return []
    crop = ink_mask(image[y0:y1, x0:x1])
    r_min = max(DEFAULT_MIN_RADIUS_PX, DEFAULT_MIN_RADIUS_TH * text_height)
    r_max = DEFAULT_MAX_RADIUS_TH * text_height
    found: list[ShapeSeal] = []
    for cx, cy, r in _candidates(crop, r_min, r_max):
        # Hough often lands on a double seal's inner ring: try the radius a little out too
        for grow in (1.0, DEFAULT_OUTER_RING):
            fit = _refit(crop, cx, cy, grow * r)
            if fit is None or not r_min <= fit[2] <= 1.1 * r_max:
                continue
            seal = ring_evidence(crop, *fit)
            if seal is not None:
                found.append(seal)
    found.sort(key=lambda s: -s.score)
    kept: list[ShapeSeal] = []
    for s in found:  # one seal per place: no centre inside another's ring
        near = [i for i, k in enumerate(kept)
                if math.dist(s.center, k.center) <= 0.5 * max(s.radius, k.radius)]
        if not near:
            kept.append(s)
            continue
        i = near[0]  # of an outer and an inner ring both drawn well, the seal is the outer
        if s.radius > 1.05 * kept[i].radius and s.score >= DEFAULT_OUTER_SCORE * kept[i].score:
            kept[i] = s
    out = []
    for s in kept:
        cx, cy = s.center[0] + x0, s.center[1] + y0
        out.append(ShapeSeal((cx, cy), s.radius, (cx - s.radius, cy - s.radius,
                                                  cx + s.radius + 1, cy + s.radius + 1),
                             s.ring_width, s.coverage, s.outside, s.arc, s.star, s.score))
    return sorted(out, key=lambda s: (s.center[1], s.center[0]))
