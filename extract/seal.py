"""Round official seals: find them (red in colour, mid-grey in greyscale scans) and read
their arc text.

A seal is a ring with a star and text inside. We find it from its ink alone (red mask,
or mid-grey ink lighter than black print) and accept a candidate only when the ink draws
a circle: outermost ink per ray fits one circle, and that circle is inked over most of
its angles. Black text, blue pens, table lines and non-round red marks fail that test.

>>> seals = find_seals(page)                        # doctest: +SKIP
>>> read_seal_text(page, seals[0], get_engine())    # doctest: +SKIP
('成都市科学技术协会', 0.97)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from extract.ink import (
    Box,
    background_level,
    clip_box,
    is_grayscale,
    red_mask,
    text_height_or_estimate,
    to_gray,
)
from extract.ocr import OcrEngine

DEFAULT_MIN_RADIUS_TH = 1.5      # radius in text heights (25 mm seal, 12 pt text ≈ 3), with slack
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


@dataclass(frozen=True)
class Seal:
    """A round seal: centre and radius of its outer ring, in image pixels."""

    center: tuple[int, int]
    radius: int
    bbox: Box
    score: float
    color: str  # "red" | "grey"


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


def _fit_circle(xs: np.ndarray, ys: np.ndarray) -> tuple[float, float, float] | None:
    """Least-squares (Kåsa) circle through points; None when degenerate."""
    if len(xs) < 8:
        return None
    a = np.column_stack([xs, ys, np.ones_like(xs)])
    b = -(xs**2 + ys**2)
    (d, e, f), *_ = np.linalg.lstsq(a, b, rcond=None)
    cx, cy = -d / 2, -e / 2
    r2 = cx * cx + cy * cy - f
    return (float(cx), float(cy), float(math.sqrt(r2))) if r2 > 0 else None


def _ray_samples(mask: np.ndarray, cx: float, cy: float, radii: np.ndarray,
                 n_rays: int = DEFAULT_RAYS) -> np.ndarray:
    """mask sampled on n_rays × len(radii) polar points (False outside the image)."""
    ang = np.linspace(0, 2 * np.pi, n_rays, endpoint=False)
    xs = np.rint(cx + np.cos(ang)[:, None] * radii[None, :]).astype(np.int64)
    ys = np.rint(cy + np.sin(ang)[:, None] * radii[None, :]).astype(np.int64)
    h, w = mask.shape
    inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
    out = np.zeros(xs.shape, bool)
    out[inside] = mask[ys[inside], xs[inside]]
    return out


def circle_from_mask(mask: np.ndarray, cx: float, cy: float, r0: float
                     ) -> tuple[float, float, float, float] | None:
    """Refine a rough circle to the seal's outer ring; (cx, cy, r, score) or None.

    Per ray, the outermost ink near r0 lies on the ring; a robust circle fit through
    those points gives centre and radius, and the share of rays meeting that ring is the
    score. A seal is partly faint or hidden by print, so the score need not be 1.
    """
    for _ in range(2):
        radii = np.arange(0.55 * r0, 1.3 * r0, max(1.0, r0 / 120))
        vals = _ray_samples(mask, cx, cy, radii)
        has = vals.any(axis=1)
        if has.sum() < DEFAULT_RAYS * DEFAULT_MIN_COVERAGE:
            return None
        last = radii[len(radii) - 1 - np.argmax(vals[:, ::-1], axis=1)][has]
        ang = np.linspace(0, 2 * np.pi, DEFAULT_RAYS, endpoint=False)[has]
        px, py = cx + np.cos(ang) * last, cy + np.sin(ang) * last
        keep = np.ones(len(px), bool)
        for _ in range(3):  # refit without the rays whose outermost ink is not the ring
            fit = _fit_circle(px[keep], py[keep])
            if fit is None:
                return None
            cx, cy, r0 = fit
            res = np.abs(np.hypot(px - cx, py - cy) - r0)
            keep = res <= max(2.0, DEFAULT_RING_TOLERANCE * r0)
    tol = max(2.0, DEFAULT_RING_TOLERANCE * r0)
    ring = _ray_samples(mask, cx, cy, np.arange(r0 - tol, r0 + tol + 1, 1.0))
    coverage = float(ring.any(axis=1).mean())
    outside = float(_ray_samples(mask, cx, cy, np.arange(1.12 * r0, 1.3 * r0, 2.0))
                    .any(axis=1).mean())
    inner = _ray_samples(mask, cx, cy, np.arange(0.1 * r0, 0.85 * r0, max(1.0, r0 / 60)))
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
    blobs = cv2.dilate(m8, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(blobs, connectivity=8)
    out = _hough(m8, 0, 0, r_min, r_max) if hough else []
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


def seals_in_mask(mask: np.ndarray, r_min: float, r_max: float, color: str,
                  offset: tuple[int, int] = (0, 0)) -> list[Seal]:
    """Seals drawn by one ink mask; `offset` maps mask pixels to image pixels."""
    found: list[tuple[float, float, float, float]] = []
    for cx, cy, r0 in _candidates(mask, r_min, r_max, hough=color == "grey"):
        got = circle_from_mask(mask, cx, cy, r0)
        if got is None or not r_min <= got[2] <= r_max:
            continue
        found.append(got)
    found.sort(key=lambda c: -c[3])
    kept: list[tuple[float, float, float, float]] = []
    for c in found:
        # One seal per place: no two centres close, no circle inside another's ring (the
        # arc text and star of a seal can fit a smaller circle of their own).
        if all(math.dist(c[:2], k[:2]) > 0.5 * max(c[2], k[2])
               and math.dist(c[:2], k[:2]) + min(c[2], k[2]) > 1.1 * max(c[2], k[2])
               for k in kept):
            kept.append(c)
    ox, oy = offset
    seals = []
    for cx, cy, r, score in kept:
        x, y, ri = round(cx) + ox, round(cy) + oy, round(r)
        seals.append(Seal((x, y), ri, (x - ri, y - ri, x + ri + 1, y + ri + 1),
                          round(score, 3), color))
    return sorted(seals, key=lambda s: (s.center[1], s.center[0]))


def find_seals(image: np.ndarray, region: Box | None = None,
               text_height: float | None = None) -> list[Seal]:
    """Round seals in `image` (within `region` if given), top to bottom.

    Colour scans: red/pink ink anywhere in the region. Greyscale scans: mid-grey ink, only
    when a `region` (the seal place) is given, since grey ink alone is weak evidence.
    """
    x0, y0, x1, y1 = clip_box(region, image.shape)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return []
    th = text_height_or_estimate(image, text_height)
    r_min = max(DEFAULT_MIN_RADIUS_PX, DEFAULT_MIN_RADIUS_TH * th)
    r_max = DEFAULT_MAX_RADIUS_TH * th
    crop = image[y0:y1, x0:x1]
    seals = [] if crop.ndim == 2 else seals_in_mask(red_mask(crop), r_min, r_max, "red", (x0, y0))
    if seals or region is None or not is_grayscale(crop):
        return seals
    return seals_in_mask(grey_seal_mask(to_gray(crop)), r_min, r_max, "grey", (x0, y0))


# --------------------------------------------------------------------------- arc text


def _polar(image: np.ndarray, seal: Seal) -> tuple[np.ndarray, float]:
    """Seal ink in polar form: rows = angle (clockwise from +x), columns = radius (px)."""
    r = seal.radius
    cx, cy = seal.center
    pad = int(r * 1.1) + 2
    x0, y0 = max(0, cx - pad), max(0, cy - pad)
    crop = image[y0:cy + pad, x0:cx + pad]
    ink = seal_ink_mask(crop, seal.color).astype(np.uint8) * 255
    n_theta = max(360, int(2 * math.pi * 0.72 * r))  # 1 px per px along the text arc
    polar = cv2.warpPolar(ink, (int(r * 1.05), n_theta), (cx - x0, cy - y0), r * 1.05,
                          cv2.WARP_POLAR_LINEAR | cv2.INTER_LINEAR)
    return polar, r * 1.05 / int(r * 1.05)


def _text_band(polar: np.ndarray, r: int, px: float) -> tuple[int, int]:
    """Columns (ρ range) of the arc text: from inside the outer ring down ≈ 0.45 r."""
    prof = polar.mean(axis=0)
    lo, hi = int(0.8 * r / px), min(polar.shape[1], int(1.05 * r / px))
    peak = lo + int(np.argmax(prof[lo:hi]))
    inner = peak
    while inner > lo and prof[inner] > 0.35 * prof[peak]:
        inner -= 1
    outer_col = max(1, inner - max(1, int(0.01 * r / px)))
    return max(0, outer_col - int(0.45 * r / px)), outer_col


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


def _strip(band: np.ndarray, start: int, length: int) -> np.ndarray:
    """Rows start..start+length of the polar band (wrapping), as upright black-on-white."""
    n = band.shape[0]
    rows = band[np.arange(start, start + length) % n]
    strip = 255 - rows.T[::-1]  # θ → x (reading order), outer radius → top
    _, strip = cv2.threshold(strip, 127, 255, cv2.THRESH_BINARY)
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


def _strip_spans(image: np.ndarray, seal: Seal, max_strips: int = DEFAULT_MAX_STRIPS
                 ) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The polar text band and candidate (start row, length) spans of the arc text.

    First the longest angular run of ink in the text band (the arc text, when the bottom
    of the seal is empty). A seal may be turned any way and may carry more text at the
    bottom, so the others run between pairs of the emptiest angles (gaps between words or
    at the text's ends) spanning 150–330°; `read_seal_text` lets the recogniser choose.
    """
    polar, px = _polar(image, seal)
    c0, c1 = _text_band(polar, seal.radius, px)
    band = polar[:, c0:c1]
    n = band.shape[0]
    raw = (band > 127).sum(axis=1).astype(np.float32)
    win = max(3, n // 120)
    prof = np.convolve(np.concatenate([raw[-win:], raw, raw[:win]]),
                       np.ones(2 * win + 1) / (2 * win + 1), "same")[win:-win]
    active = prof > 0.08 * max(1.0, float(prof.max()))
    active = _close_circular(active, gap=max(3, int(n * 16 / 360)))
    runs = sorted(_runs(active), key=lambda r: -r[1])
    margin = max(2, n // 90)
    spans: list[tuple[int, int]] = []
    if runs and runs[0][1] < n:
        spans.append((runs[0][0] - margin, min(n, runs[0][1] + 2 * margin)))
    # Gaps at the ends of the text are wide; gaps between glyphs are narrow and vanish
    # under a ~9° window, even when the ends hold sparse small print (serial numbers).
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
    spans += [(a, length) for _, a, length in sorted(pairs)]
    if not spans:  # no structure in the band: the upper arc, as most seals are stamped
        spans.append((int(n * 150 / 360), int(n * 240 / 360)))
    return band, spans[:max_strips]


def seal_strips(image: np.ndarray, seal: Seal, max_strips: int = DEFAULT_MAX_STRIPS
                ) -> list[np.ndarray]:
    """Candidate unrolled strips of the arc text, the most likely first (see `_strip_spans`)."""
    band, spans = _strip_spans(image, seal, max_strips)
    return [_strip(band, start, length) for start, length in spans]


def unroll_seal(image: np.ndarray, seal: Seal) -> np.ndarray:
    """The seal's arc text as a horizontal, upright, black-on-white strip (grey uint8)."""
    return seal_strips(image, seal)[0]


def read_seal_text(image: np.ndarray, seal: Seal, engine: OcrEngine) -> tuple[str, float]:
    """Read the arc text of `seal` with `engine` (line recognition); best candidate wins."""
    # All candidates, in one batch (~0.5 s on 2 cores): a strip that starts one glyph off
    # still reads with high confidence, so no single strip can be trusted on its own.
    results = engine.recognize(seal_strips(image, seal))
    # Confident characters count: a strip cut short reads fewer of them, a strip that runs
    # into the bottom text or starts mid-word reads them with less confidence.
    results = [(t.strip(DEFAULT_EDGE_JUNK), sc) for t, sc in results]
    best = max(results, key=lambda t: len(t[0]) * t[1] ** 2, default=("", 0.0))
    return best[0], float(best[1])
