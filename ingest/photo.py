"""Phone photos of a page: where the page lies, its perspective undone, its light evened out.

A flatbed scan shows the page square to the sensor: the normaliser turns it, straightens
it and crops it with one affine map. A photo shows the page as a plane seen from an angle,
on a desk, under light that falls off and a shadow: the page is a quadrilateral, not a
rectangle, and its paper is not one brightness. This module gives the normaliser

1. `find_page` — the page's four corners. The page's edge is a sharp step in brightness
   (print closed over first; a soft shadow's edge is not sharp). When the desk shows all
   round, the paper is the region the middle of the photo reaches without crossing such
   an edge, and its outline's four sides are fitted as lines on the stretches seen against
   the desk (a corner cut off by the frame is still found where its sides meet). Failing
   that, the best supported straight edge on each side of the photo is taken (the page
   runs out of the frame, or the desk is nearly as bright as the paper). A side lying
   along the frame is the frame's or a scanner lid's, not a page's. Where the page's own
   edges are not all in the photo, the outer ruling of its largest table is the
   rectangle instead (`find_table`), when the desk shows at the photo's frame
   (`desk_share`: a flatbed scan's frame is paper, its table's outline off square only
   where the page was warped);
2. `rectify` — the homography from the photo to the upright rectangle, with the true
   proportions: the two vanishing points give the camera's focal length and the
   rectangle's height over width (`true_aspect`); a page near A4's proportions is A4;
3. `flatten_light` — each channel divided by the paper's own brightness there (the print
   closed over), so shadow and fall-off are gone before anything is binarised and a red
   seal stays red; `crisp` then gives thin grey print a scan's contrast;
4. `blur_sigma` — how far edges are spread, to reject a photo too blurred to read.

A page whose quadrilateral is a rectangle within a flatbed scan's tolerance is not treated
as a photo (`is_perspective`): the scan path handles it, as it always has.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from tasksheet.extract.scale import components

DEFAULT_FIND_SIDE = 800  # px, long side of the copy the page is looked for in
DEFAULT_CLOSE = 0.012  # × long side: dark marks narrower than this are closed over first
DEFAULT_EDGE_LOW = 30  # Canny on log brightness (Sobel units: 8 × levels per px): a paper
DEFAULT_EDGE_HIGH = 60  # edge against the desk is well over, a soft shadow's edge well under
DEFAULT_FRAME_GAP = 4  # px (of the reduced copy) an edge may stop short of the frame
DEFAULT_FRAME_PARALLEL = 0.3  # degrees: a side this parallel to the frame ...
DEFAULT_FRAME_NEAR = 0.03  # ... and this near it (× the short side) is the frame's, not a page's
DEFAULT_SIDE_TILT = 35.0  # degrees a page's side may lean off the photo's axes
DEFAULT_SIDE_SUPPORT = 0.15  # × the photo's side: straight edge seen along a page side
DEFAULT_MIN_CORNER = 55.0  # degrees: a page's corner seen in perspective is no sharper
DEFAULT_LOG_GAIN = 40.0  # log-brightness levels per e-fold of brightness
DEFAULT_MIN_AREA = 0.2  # the page covers at least this share of the photo
DEFAULT_MIN_BACKGROUND = 0.01  # and leaves at least this share of it to the desk
DEFAULT_MIN_SUPPORT = 0.5  # share of each side seen as an edge against the desk
DEFAULT_MIN_SOLIDITY = 0.93  # region area / fitted quadrilateral area (a leak is ragged)
DEFAULT_SIDE_BAND = 0.015  # × long side: outline points this near a side belong to it
DEFAULT_DESK_PAPER = 90  # percentile of the photo's middle (print closed over): the paper
DEFAULT_DESK_STRIP = 0.015  # × long side: the frame's outer strip the desk is looked for in
DEFAULT_DESK_DARK = 0.6  # × the paper's brightness: darker than this is not paper (a scan's
# light varies by a tenth, a desk is a half to a sixth of the paper's brightness)
DEFAULT_DESK_SHARE = 0.05  # share of the frame's strip that is desk for a photo
DEFAULT_SQUARE_ANGLE = 1.2  # degrees a corner may be off square in a flatbed scan
DEFAULT_SQUARE_SIDES = 0.025  # relative difference of opposite sides in a flatbed scan
A4_ASPECT = 297.0 / 210.0
DEFAULT_ASPECT_SNAP = 0.15  # proportions this near A4's are A4 (foreshortening spoils them)
DEFAULT_INSET = 0.004  # of the page's size cut off each edge: paper edge and desk sliver
DEFAULT_TABLE_MIN = 0.12  # a table quadrilateral covers at least this share of the photo
DEFAULT_FLAT_KERNEL = 0.05  # × page long side: the closing that takes print off the paper
DEFAULT_FLAT_SIDE = 600  # px, long side of the copy the paper's brightness is measured on
DEFAULT_PAPER = 245.0  # the flattened paper's brightness
# A photo's thin print is grey where a scan's is black: a tone curve below paper white and a
# light unsharp mask. Measured on the examples' photos (wp-08) and 9 generated photographed
# documents: γ 1.0 → wp-08 checkbox groups 6/9; γ 1.3 with 0.3 sharpening → 9/9, every
# finding right; γ 2.0 with 0.8 → dates under seals lost on generated photos (fields −4 %).
DEFAULT_GAMMA = 1.3
DEFAULT_SHARPEN = 0.3  # unsharp-mask amount
DEFAULT_SHARPEN_SIGMA = 1.2  # px
DEFAULT_EDGE_CONTRAST = 60  # grey levels: only edges this strong measure the blur
DEFAULT_CONTRAST_WINDOW = 0.02  # × long side: the neighbourhood an edge's contrast is taken in
DEFAULT_MIN_EDGES = 10  # fewer edges of print than this: nothing to judge the focus by ...
DEFAULT_BLURRED_INK = 0.02  # ... unless this share of the page is ink gone grey: blurred away
# × the page's long side (A4: 297 mm): edges spread wider than this (0.37 mm) do not read.
# Measured on photos of generated pages at 150 DPI (`blur_sigma` of the rectified, flattened
# page): PP-OCR reads lines whole up to 0.0010, misreads some at 0.0012 and reads nothing
# from 0.0013; the examples' phone photos measure 0.0005, the generator's 0.0003–0.0005.
DEFAULT_MAX_BLUR = 0.00125

Quad = np.ndarray  # (4, 2) float64: top-left, top-right, bottom-right, bottom-left (x, y)


@dataclass(frozen=True)
class PageGeometry:
    """How a photographed page maps onto its upright rectangle."""

    homography: np.ndarray  # 3×3, photo px → rectified px
    size: tuple[int, int]  # (w, h) of the rectified page
    quad: Quad  # the quadrilateral found, photo px
    source: str  # "paper" (the sheet's edges) | "table" (the outer ruling of a table)


# -- the page's outline ----------------------------------------------------------------------


def _order(pts: np.ndarray) -> Quad:
    """Four points as top-left, top-right, bottom-right, bottom-left (clockwise on screen)."""
    pts = np.asarray(pts, np.float64).reshape(4, 2)
    c = pts.mean(axis=0)
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    pts = pts[np.argsort(ang)]  # clockwise on screen (y down), from the left
    first = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -first, axis=0)


def _log_brightness(grey: np.ndarray) -> np.ndarray:
    lut = np.clip(DEFAULT_LOG_GAIN * np.log(np.arange(256) + 4.0), 0, 255).astype(np.uint8)
    return cv2.LUT(grey, lut)


def _quad_of(points: np.ndarray, perimeter: float) -> Quad | None:
    """The hull of `points` simplified to four corners, or None."""
    hull = cv2.convexHull(points.astype(np.float32))
    for eps in (0.01, 0.02, 0.03, 0.04, 0.06, 0.08):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            return _order(approx.reshape(4, 2))
        if len(approx) < 4:
            return None
    return None


def _line(points: np.ndarray, least: int = 5) -> tuple[np.ndarray, np.ndarray] | None:
    """A robust line through at least `least` points: (point, unit direction)."""
    if len(points) < least:
        return None
    vx, vy, x0, y0 = cv2.fitLine(points.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
    return np.array([x0, y0], np.float64), np.array([vx, vy], np.float64)


def _meet(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
          ) -> np.ndarray | None:
    (p, d), (q, e) = a, b
    den = d[0] * e[1] - d[1] * e[0]
    if abs(den) < 1e-6:
        return None
    t = ((q[0] - p[0]) * e[1] - (q[1] - p[1]) * e[0]) / den
    return p + t * d


def refine_quad(quad: Quad, outline: np.ndarray, shape: tuple[int, int], band: float
                ) -> tuple[Quad, float] | None:
    """Each side fitted as a line to the outline points near it that are not on the frame;
    corners where the lines meet. Returns (quad, least side support) or None."""
    h, w = shape
    on_frame = ((outline[:, 0] <= 1) | (outline[:, 1] <= 1) | (outline[:, 0] >= w - 2)
                | (outline[:, 1] >= h - 2))
    lines, support = [], []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        d = b - a
        length = float(np.hypot(*d))
        if length < 1:
            return None
        u = d / length
        rel = outline - a
        t = rel @ u
        dist = np.abs(rel[:, 0] * u[1] - rel[:, 1] * u[0])
        near = (dist <= band) & (t >= 0.08 * length) & (t <= 0.92 * length)
        seen = near & ~on_frame
        # support: how much of the side's length the seen points cover
        if seen.any():
            bins = np.unique(np.clip((t[seen] / length * 50).astype(int), 0, 49))
            support.append(len(bins) / 42.0)  # the 84 % of the side looked at
        else:
            support.append(0.0)
        line = _line(outline[seen])
        if line is None:
            return None
        lines.append(line)
    corners = [_meet(lines[(i - 1) % 4], lines[i]) for i in range(4)]
    if any(c is None for c in corners):
        return None
    return _order(np.array(corners)), float(min(support))


def _on_frame(quad: Quad, shape: tuple[int, int]) -> bool:
    """Whether a side of `quad` runs along the photo's frame, parallel and close to it:
    the frame itself or a scanner lid's shadow band, not the edge of a page."""
    h, w = shape
    near = DEFAULT_FRAME_NEAR * min(w, h)
    for i in range(4):
        (x0, y0), (x1, y1) = quad[i], quad[(i + 1) % 4]
        ang = math.degrees(math.atan2(y1 - y0, x1 - x0)) % 90
        if min(ang, 90 - ang) > DEFAULT_FRAME_PARALLEL:
            continue
        if abs(y1 - y0) < abs(x1 - x0):  # along the top or bottom of the frame
            if min(y0 + y1, 2 * h - y0 - y1) / 2 <= near:
                return True
        elif min(x0 + x1, 2 * w - x0 - x1) / 2 <= near:
            return True
    return False


def _quad_ok(quad: Quad, shape: tuple[int, int], min_area: float) -> bool:
    h, w = shape
    area = cv2.contourArea(quad.astype(np.float32))
    if area < min_area * w * h or not cv2.isContourConvex(quad.astype(np.float32)):
        return False
    if _on_frame(quad, shape):
        return False
    # corners may lie a little outside the frame (cut off), not far
    return bool(np.all(quad[:, 0] > -0.25 * w) and np.all(quad[:, 0] < 1.25 * w)
                and np.all(quad[:, 1] > -0.25 * h) and np.all(quad[:, 1] < 1.25 * h))


def _closed_small(image: np.ndarray) -> tuple[np.ndarray, float]:
    """(grey copy reduced to `DEFAULT_FIND_SIDE` with the print closed over, its scale)."""
    h, w = image.shape[:2]
    s = min(1.0, DEFAULT_FIND_SIDE / max(h, w))
    small = cv2.resize(image, (max(1, round(w * s)), max(1, round(h * s))),
                       interpolation=cv2.INTER_AREA) if s < 1 else image
    grey = small if small.ndim == 2 else cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    k = max(3, int(round(DEFAULT_CLOSE * max(grey.shape))) | 1)
    closed = cv2.morphologyEx(grey, cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    return closed, s


def desk_share(image: np.ndarray, closed: tuple[np.ndarray, float] | None = None) -> float:
    """The share of the photo's frame (its outer strip, print closed over) far darker than
    the paper in its middle: the desk or background a photographed sheet lies on.

    A flatbed scan's frame is the paper itself or the white lid (a scan's light varies by a
    tenth); a phone photo whose sheet runs out of the frame still shows the desk beyond the
    sheet's other edges, or at its corners. `closed`: `_closed_small(image)`, when made."""
    closed = (closed or _closed_small(image))[0]
    sh, sw = closed.shape
    paper = float(np.percentile(closed[int(0.3 * sh):int(0.7 * sh), int(0.3 * sw):int(0.7 * sw)],
                                DEFAULT_DESK_PAPER))
    m = max(2, int(round(DEFAULT_DESK_STRIP * max(sh, sw))))
    strip = np.concatenate([closed[:m].ravel(), closed[-m:].ravel(),
                            closed[m:-m, :m].ravel(), closed[m:-m, -m:].ravel()])
    return float(np.count_nonzero(strip < DEFAULT_DESK_DARK * paper)) / max(1, strip.size)


def _edges(image: np.ndarray, closed: tuple[np.ndarray, float] | None = None
           ) -> tuple[np.ndarray, np.ndarray, float]:
    """(log brightness, page-edge map, scale) of a reduced copy with the print closed over.

    The page's edge is a sharp step in log brightness (a shadow's edge is soft; print,
    rulings and pen strokes are closed over); hysteresis follows it where the desk is
    nearly as bright as the paper; an edge that runs out of the photo is closed onto the
    frame (Canny stops a pixel or two short of it).
    """
    small, s = closed or _closed_small(image)
    logb = _log_brightness(cv2.GaussianBlur(small, (3, 3), 0))
    edges = cv2.Canny(logb, DEFAULT_EDGE_LOW, DEFAULT_EDGE_HIGH, L2gradient=True)
    band = np.zeros_like(edges)
    m = DEFAULT_FRAME_GAP
    band[:m], band[-m:], band[:, :m], band[:, -m:] = 255, 255, 255, 255
    edges |= cv2.dilate(edges, np.ones((2 * m + 1, 2 * m + 1), np.uint8)) & band
    return logb, edges, s


def _paper_region(logb: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """The region (uint8 0/255) the brightest spot of the photo's middle reaches without
    crossing an edge, its holes (a seal's star, a closed loop of ink) filled."""
    sh, sw = logb.shape
    y0, y1, x0, x1 = int(0.3 * sh), int(0.7 * sh), int(0.3 * sw), int(0.7 * sw)
    mid = cv2.GaussianBlur(logb[y0:y1, x0:x1], (0, 0), 3)
    mid[edges[y0:y1, x0:x1] > 0] = 0
    sy, sx = np.unravel_index(int(np.argmax(mid)), mid.shape)
    _, labels = cv2.connectedComponents((edges == 0).astype(np.uint8), connectivity=4)
    region = (labels == labels[sy + y0, sx + x0]).astype(np.uint8) * 255
    contours, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return cv2.drawContours(region, contours, -1, 255, cv2.FILLED)


def paper_mask(image: np.ndarray) -> np.ndarray:
    """Where the paper is in a photo (uint8 0/255, the photo's size): the region the middle
    of the photo reaches without crossing a sharp edge. Where the page's edge is too faint
    to stop it, the desk beyond is taken for paper too (harmless: it is then not painted)."""
    logb, edges, _ = _edges(image)
    # a gap of a pixel or two in a faint page edge would let the whole desk in
    region = _paper_region(logb, cv2.dilate(edges, np.ones((3, 3), np.uint8)))
    region = cv2.dilate(region, np.ones((3, 3), np.uint8))
    return cv2.resize(region, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_NEAREST)


def _quad_from_region(logb: np.ndarray, edges: np.ndarray) -> Quad | None:
    """The page as the region the middle of the photo reaches without crossing an edge."""
    sh, sw = logb.shape
    region = _paper_region(logb, edges)
    share = cv2.countNonZero(region) / float(sh * sw)
    if share < DEFAULT_MIN_AREA or share > 1 - DEFAULT_MIN_BACKGROUND:
        return None
    contours, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    outline = max(contours, key=cv2.contourArea).reshape(-1, 2).astype(np.float64)
    filled = cv2.contourArea(outline.astype(np.float32))
    quad = _quad_of(outline, cv2.arcLength(outline.astype(np.float32), True))
    if quad is None:
        return None
    got = refine_quad(quad, outline, (sh, sw), DEFAULT_SIDE_BAND * max(sh, sw))
    if got is None:
        return None
    quad, support = got
    if support < DEFAULT_MIN_SUPPORT or not _quad_ok(quad, (sh, sw), DEFAULT_MIN_AREA):
        return None
    inside = cv2.contourArea(quad.astype(np.float32))
    if filled / max(inside, 1.0) < DEFAULT_MIN_SOLIDITY:
        return None
    return quad


def _side_of(seg: np.ndarray, shape: tuple[int, int]) -> int | None:
    """Which side of a page (0 top, 1 right, 2 bottom, 3 left) a segment could be."""
    sh, sw = shape
    x0, y0, x1, y1 = seg
    ang = math.degrees(math.atan2(y1 - y0, x1 - x0)) % 180
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    if ang <= DEFAULT_SIDE_TILT or ang >= 180 - DEFAULT_SIDE_TILT:
        return 0 if my < 0.45 * sh else 2 if my > 0.55 * sh else None
    if abs(ang - 90) <= DEFAULT_SIDE_TILT:
        return 3 if mx < 0.45 * sw else 1 if mx > 0.55 * sw else None
    return None


def _side_lines(edges: np.ndarray) -> list[tuple[np.ndarray, np.ndarray] | None]:
    """The best supported straight edge on each side of the photo (top, right, bottom,
    left), as (point, direction), or None where there is none."""
    sh, sw = edges.shape
    long_ = max(sh, sw)
    segs = cv2.HoughLinesP(edges, 1, np.pi / 720, threshold=max(20, int(0.04 * long_)),
                           minLineLength=0.06 * long_, maxLineGap=0.012 * long_)
    if segs is None:
        return [None] * 4
    segs = segs.reshape(-1, 4).astype(np.float64)
    tol = max(2.0, 0.004 * long_)
    clusters: list[list[tuple[int, list[np.ndarray], float]]] = [[], [], [], []]
    for seg in sorted(segs, key=lambda g: -math.hypot(g[2] - g[0], g[3] - g[1])):
        side = _side_of(seg, (sh, sw))
        if side is None:
            continue
        length = math.hypot(seg[2] - seg[0], seg[3] - seg[1])
        for i, (_, members, _) in enumerate(clusters[side]):
            a = members[0]
            d = np.array([a[2] - a[0], a[3] - a[1]]) / math.hypot(a[2] - a[0], a[3] - a[1])
            off = [abs((px - a[0]) * d[1] - (py - a[1]) * d[0])
                   for px, py in ((seg[0], seg[1]), (seg[2], seg[3]))]
            if max(off) <= tol:
                side_list = clusters[side]
                side_list[i] = (side_list[i][0], [*members, seg], side_list[i][2] + length)
                break
        else:
            clusters[side].append((side, [seg], length))
    ys, xs = np.nonzero(edges)
    pts = np.column_stack([xs, ys]).astype(np.float64)
    out: list[tuple[np.ndarray, np.ndarray] | None] = []
    for side in range(4):
        if not clusters[side]:
            out.append(None)
            continue
        _, members, support = max(clusters[side], key=lambda c: c[2])
        if support < DEFAULT_SIDE_SUPPORT * (sw if side in (0, 2) else sh):
            out.append(None)
            continue
        ends = np.array([[m[0], m[1]] for m in members] + [[m[2], m[3]] for m in members])
        line = _line(ends, least=2)
        if line is None:
            out.append(None)
            continue
        p, d = line
        near = np.abs((pts[:, 0] - p[0]) * d[1] - (pts[:, 1] - p[1]) * d[0]) <= tol
        out.append(_line(pts[near]) or line)
    return out


def _quad_from_lines(edges: np.ndarray) -> Quad | None:
    """The page as the four best supported straight edges, one per side of the photo."""
    lines = _side_lines(edges)
    if any(line is None for line in lines):
        return None
    corners = [_meet(lines[(i - 1) % 4], lines[i]) for i in range(4)]
    if any(c is None for c in corners):
        return None
    quad = _order(np.array(corners))
    if not _quad_ok(quad, edges.shape, DEFAULT_MIN_AREA):
        return None
    if np.abs(_angles(quad) - 90).max() > 90 - DEFAULT_MIN_CORNER:
        return None
    return quad


def find_page(image: np.ndarray, closed: tuple[np.ndarray, float] | None = None
              ) -> Quad | None:
    """The page's four corners in `image` px (BGR or grey), or None when no page outline
    stands out from a background (a flatbed scan without border, a page filling the photo).

    First the region the middle of the photo reaches without crossing an edge (the paper,
    when the desk shows all round it); failing that, the best supported straight edge on
    each side of the photo (the paper's edges, seen in part where the page runs out of the
    frame or the desk is nearly as bright as the paper).
    """
    logb, edges, s = _edges(image, closed)
    quad = _quad_from_region(logb, edges)
    if quad is None:
        quad = _quad_from_lines(edges)
    return None if quad is None else quad / s


DEFAULT_TABLE_SIDE = 1400  # px, long side of the copy a table is looked for in


def reduced(image: np.ndarray, side: int) -> np.ndarray:
    """`image` shrunk (INTER_AREA) so that its long side is at most `side` px; itself when
    it is no larger. The normaliser's analysis copy is this at the same side, so it can
    hand its copy over instead of a second full-page resize being made."""
    h, w = image.shape[:2]
    s = min(1.0, side / max(h, w))
    if s >= 1:
        return image
    return cv2.resize(image, (max(1, round(w * s)), max(1, round(h * s))),
                      interpolation=cv2.INTER_AREA)


def find_table(image: np.ndarray, ink: np.ndarray | None = None,
               small: np.ndarray | None = None) -> Quad | None:
    """The outer ruling of the largest table, as four corners in `image` px, or None.

    A table's rulings are one connected piece of ink; its outline's four sides are fitted
    as lines (a seal or signature crossing the edge is an outlier of the fit). `small`:
    `reduced(image, DEFAULT_TABLE_SIDE)` when the caller has it already.
    """
    h, w = image.shape[:2]
    s = min(1.0, DEFAULT_TABLE_SIDE / max(h, w))
    if ink is None:
        if small is None:
            small = reduced(image, DEFAULT_TABLE_SIDE)
        grey = small if small.ndim == 2 else cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
        flat = flatten_grey(grey)
        _, ink = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    else:
        s = ink.shape[0] / h
    sh, sw = ink.shape
    n, labels, stats, _ = components(ink)
    if n <= 1:
        return None
    x, y = stats[1:, cv2.CC_STAT_LEFT], stats[1:, cv2.CC_STAT_TOP]
    bw, bh = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    boxes = bw.astype(float) * bh
    boxes[(x == 0) | (y == 0) | (x + bw == sw) | (y + bh == sh)] = 0  # desk, not a table
    best = int(np.argmax(boxes)) + 1
    if boxes[best - 1] < DEFAULT_TABLE_MIN * sw * sh:
        return None
    comp = (labels == best).astype(np.uint8)
    contours, _ = cv2.findContours(comp, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    outline = max(contours, key=cv2.contourArea).reshape(-1, 2).astype(np.float64)
    quad = _quad_of(outline, cv2.arcLength(outline.astype(np.float32), True))
    if quad is None:
        return None
    got = refine_quad(quad, outline, (sh, sw), 0.01 * max(sh, sw))
    if got is None or got[1] < 0.7 or not _quad_ok(got[0], (sh, sw), DEFAULT_TABLE_MIN):
        return None
    return got[0] / s


def _angles(quad: Quad) -> np.ndarray:
    out = []
    for i in range(4):
        a, b, c = quad[(i - 1) % 4], quad[i], quad[(i + 1) % 4]
        u, v = a - b, c - b
        cos = float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-9))
        out.append(math.degrees(math.acos(max(-1.0, min(1.0, cos)))))
    return np.array(out)


def _sides(quad: Quad) -> np.ndarray:
    return np.array([np.linalg.norm(quad[(i + 1) % 4] - quad[i]) for i in range(4)])


def is_perspective(quad: Quad) -> bool:
    """Whether the quadrilateral is off a rectangle by more than a flatbed scan ever is."""
    sides = _sides(quad)
    off_sides = max(abs(sides[0] - sides[2]) / max(sides[0], sides[2]),
                    abs(sides[1] - sides[3]) / max(sides[1], sides[3]))
    off_angle = float(np.abs(_angles(quad) - 90.0).max())
    return off_angle > DEFAULT_SQUARE_ANGLE or off_sides > DEFAULT_SQUARE_SIDES


def true_aspect(quad: Quad, photo_size: tuple[int, int]) -> float | None:
    """Height / width of the rectangle `quad` shows in perspective, or None when it cannot
    be told (a pair of sides parallel in the photo leaves the focal length unknown).

    A pinhole camera with its principal point in the middle of the photo and square pixels
    (Zhang & He, *Whiteboard scanning and image enhancement*, 2007): the two vanishing
    points give the focal length, the focal length the true proportions; foreshortening
    alone makes a tilted A4 page look as squat as 1 : 1.2.
    """
    cx, cy = (photo_size[0] - 1) / 2.0, (photo_size[1] - 1) / 2.0
    tl, tr, br, bl = (np.array([x - cx, y - cy, 1.0]) for x, y in quad)
    m1, m2, m3, m4 = tl, tr, bl, br
    d2 = float(np.cross(m2, m4) @ m3)
    d3 = float(np.cross(m3, m4) @ m2)
    if abs(d2) < 1e-9 or abs(d3) < 1e-9:
        return None
    k2 = float(np.cross(m1, m4) @ m3) / d2
    k3 = float(np.cross(m1, m4) @ m2) / d3
    n2, n3 = k2 * m2 - m1, k3 * m3 - m1
    den = n2[2] * n3[2]
    if abs(den) < 1e-9:
        return None
    f2 = -(n2[0] * n3[0] + n2[1] * n3[1]) / den
    if not f2 > 0 or math.sqrt(f2) < 0.2 * max(photo_size) or math.sqrt(f2) > 20 * max(photo_size):
        return None  # sides (nearly) parallel: no usable focal length
    w2 = (n2[0] ** 2 + n2[1] ** 2) / f2 + n2[2] ** 2
    h2 = (n3[0] ** 2 + n3[1] ** 2) / f2 + n3[2] ** 2
    if w2 <= 0 or h2 <= 0:
        return None
    return math.sqrt(h2 / w2)


def rectify(quad: Quad, source: str = "paper", photo_size: tuple[int, int] | None = None
            ) -> PageGeometry:
    """The homography taking `quad` to an upright rectangle, and that rectangle's size.

    The rectangle is as wide and high as the quadrilateral's longer opposite sides (no
    resolution lost); for a page (`source="paper"`) proportions near A4's become A4's, and
    a sliver is cut off each edge. For a table, the output holds the whole photo around it
    (clipped to twice the table), so the page's text outside the table is kept.
    """
    sides = _sides(quad)
    width, height = max(sides[0], sides[2]), max(sides[1], sides[3])
    camera = true_aspect(quad, photo_size) if photo_size else None
    aspect = height / width if camera is None else camera
    if source == "paper":  # the form is printed on A4: proportions near A4's are A4's
        # the focal length from two vanishing points is unsteady when the perspective is
        # mild (a page seen 1 : 1.24 came out 1 : 2.57): proportions as seen near A4's
        # are A4's too
        for seen in (aspect, height / width):
            tall = max(seen, 1 / seen)
            if abs(tall - A4_ASPECT) <= DEFAULT_ASPECT_SNAP * A4_ASPECT:
                aspect = A4_ASPECT if seen >= 1 else 1 / A4_ASPECT
                break
        else:
            # foreshortening makes the page look squatter, and an unsteady focal length
            # can overcorrect that (a page seen 1 : 1.17 came out 1 : 2.4, its round
            # seals ovals): when the seen proportions and the camera's lie either side
            # of A4's, the page is A4. So it is when the camera cannot tell (a pair of
            # sides parallel: a page tilted straight away, seen 1 : 1.18, came out so)
            a4 = A4_ASPECT if height >= width else 1 / A4_ASPECT
            if (photo_size and camera is None) or (aspect - a4) * (height / width - a4) < 0:
                aspect = a4
    # as wide or as high as the quadrilateral's longer sides: no resolution lost
    if height / width >= aspect:
        width = height / aspect
    else:
        height = width * aspect
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]])
    hom = cv2.getPerspectiveTransform(quad.astype(np.float32), dst.astype(np.float32))
    if source == "paper":
        ix, iy = DEFAULT_INSET * width, DEFAULT_INSET * height
        shift = np.array([[1.0, 0, -ix], [0, 1.0, -iy], [0, 0, 1]])
        size = (max(1, int(round(width - 2 * ix))), max(1, int(round(height - 2 * iy))))
        return PageGeometry(shift @ hom, size, quad, source)
    # a table: the photo's frame, mapped, clipped to the table grown by its own size
    pw, ph = photo_size or (int(width), int(height))
    frame = np.array([[0, 0, 1], [pw - 1, 0, 1], [pw - 1, ph - 1, 1], [0, ph - 1, 1]], float)
    mapped = frame @ hom.T
    mapped = mapped[:, :2] / mapped[:, 2:3]
    lo = np.maximum(mapped.min(axis=0), (-0.5 * width, -0.5 * height))
    hi = np.minimum(mapped.max(axis=0), (1.5 * width, 1.5 * height))
    shift = np.array([[1.0, 0, -lo[0]], [0, 1.0, -lo[1]], [0, 0, 1]])
    size = (max(1, int(round(hi[0] - lo[0]))), max(1, int(round(hi[1] - lo[1]))))
    return PageGeometry(shift @ hom, size, quad, source)


def page_geometry(image: np.ndarray, small: Callable[[], np.ndarray] | None = None
                  ) -> PageGeometry | None:
    """A photographed page's geometry, or None for a page the scan path should take: no
    outline found, or an outline that is a rectangle (a flatbed scan with a dark border).
    The page's own edges come first; where they are not all in the photo, the outer
    ruling of its largest table, in a photo that shows a desk at its frame. `small`: gives
    `reduced(image, DEFAULT_TABLE_SIDE)`, the copy the table is looked for in, when the
    caller makes that copy anyway (called only when the table is looked for: a photo whose
    edges show needs no such copy).
    """
    closed = _closed_small(image)  # the page's edges and the desk are looked for in it
    quad = find_page(image, closed)
    if quad is not None:
        size = (image.shape[1], image.shape[0])
        return rectify(quad, "paper", size) if is_perspective(quad) else None
    # no sheet's edges to see the perspective in: a table's outline off square is a photo's
    # only where the photo shows the desk around the sheet. A flatbed scan's table can be
    # off square as much (a warped page, signatures over its edge), its frame paper
    if desk_share(image, closed) < DEFAULT_DESK_SHARE:
        return None
    quad = find_table(image, small=small() if small is not None else None)
    if quad is None or not is_perspective(quad):
        return None
    return rectify(quad, "table", (image.shape[1], image.shape[0]))


# -- light ----------------------------------------------------------------------------------


def paper_light(image: np.ndarray, kernel: float = DEFAULT_FLAT_KERNEL) -> np.ndarray:
    """The paper's brightness at every pixel, per channel (float32, the image's shape):
    the print closed over on a reduced copy, smoothed, brought back to full size."""
    return np.maximum(_paper_light_u8(image, kernel).astype(np.float32), 1.0)


def _paper_light_u8(image: np.ndarray, kernel: float = DEFAULT_FLAT_KERNEL) -> np.ndarray:
    """`paper_light` before its conversion to float: uint8, 0 where the paper is black.

    Kept in uint8 so that `flatten_light` can look its result up in a table instead of
    dividing a float copy of a whole page (4 bytes a value, three passes)."""
    h, w = image.shape[:2]
    s = min(1.0, DEFAULT_FLAT_SIDE / max(h, w))
    small = cv2.resize(image, (max(1, round(w * s)), max(1, round(h * s))),
                       interpolation=cv2.INTER_AREA) if s < 1 else image
    k = max(3, int(round(kernel * max(small.shape[:2]))) | 1)
    se = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, se)
    bg = cv2.blur(bg, (max(3, k // 3) | 1, max(3, k // 3) | 1))
    return cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)


@functools.lru_cache(maxsize=4)
def _flatten_table(paper: float) -> np.ndarray:
    """(paper brightness b, value v) → v × paper / max(b, 1), clipped and truncated to uint8,
    as a flat table indexed by b·256 + v.

    Every entry is computed with the float32 operations `flatten_light` used to apply to
    each pixel (the ratio paper / b in float32, then v × ratio in float32), so looking a
    pixel up gives exactly the value the arithmetic gave."""
    b = np.maximum(np.arange(256, dtype=np.uint8).astype(np.float32), 1.0)[:, None]
    v = np.arange(256, dtype=np.uint8).astype(np.float32)[None, :]
    out = v * (paper / b)
    return np.clip(out, 0, 255).astype(np.uint8).ravel()


DEFAULT_STRIP_ROWS = 256  # rows of a page worked on at a time by the per-pixel steps
_STRIP_PAD = 16  # rows of context above and below a strip: more than the blur's radius


def flatten_light(image: np.ndarray, paper: float = DEFAULT_PAPER) -> np.ndarray:
    """`image` (BGR or grey uint8) with the paper made one brightness, `paper`, everywhere:
    every channel divided by the paper's own brightness there. Shadow and fall-off go,
    ink keeps its contrast against the paper around it, red stays red (the channels are
    divided separately, which also makes the paper neutral).

    The division is a table look-up (`_flatten_table`, exact): both the image and the
    paper's brightness are uint8, so there are only 65 536 cases. It runs a strip of rows
    at a time, so its index is never a whole page (two bytes a value); `np.take` writes
    each strip's values in place, at two thirds of a fancy index's time (its indices are
    all in the table: `clip` is only the mode without a bounds check)."""
    bg = _paper_light_u8(image)
    table = _flatten_table(float(paper))
    out = np.empty_like(image)
    for y0 in range(0, image.shape[0], DEFAULT_STRIP_ROWS):
        y1 = y0 + DEFAULT_STRIP_ROWS
        index = bg[y0:y1].astype(np.uint16)
        index <<= 8
        index |= image[y0:y1]
        np.take(table, index, out=out[y0:y1], mode="clip")
    return out


def crisp(image: np.ndarray, gamma: float = DEFAULT_GAMMA, sharpen: float = DEFAULT_SHARPEN,
          sigma: float = DEFAULT_SHARPEN_SIGMA, paper: float = DEFAULT_PAPER) -> np.ndarray:
    """A flattened photo brought nearer a flatbed scan: an unsharp mask gives back some of
    the focus a phone loses, and a tone curve (paper stays `paper`, what is darker gets
    darker by `gamma`) gives thin grey lines (a checkbox's sides) the contrast of print.

    Worked a strip of rows at a time (`_crisp_strip`): a whole page in float32 is 4 bytes
    a value, and the blur needs a second such copy (170 MB for an A4 photo at 300 DPI).
    Each strip is blurred with `_STRIP_PAD` rows of the page around it, so its rows get
    the values the whole page's blur gives them."""
    h = image.shape[0]
    out = np.empty_like(image)
    pad = _STRIP_PAD if sharpen > 0 else 0
    if sharpen > 0 and (int(round(8 * sigma + 1)) | 1) // 2 > pad:
        # the blur reaches past the rows given with a strip (OpenCV's float kernel spans
        # ±4σ): the page in one piece, as a wider blur needs
        return _crisp_strip(image, gamma, sharpen, sigma, paper)
    for y0 in range(0, h, DEFAULT_STRIP_ROWS):
        y1 = min(h, y0 + DEFAULT_STRIP_ROWS)
        a, b = max(0, y0 - pad), min(h, y1 + pad)
        out[y0:y1] = _crisp_strip(image[a:b], gamma, sharpen, sigma, paper)[y0 - a:y1 - a]
    return out


def _crisp_strip(image: np.ndarray, gamma: float, sharpen: float, sigma: float,
                 paper: float) -> np.ndarray:
    """`crisp` of `image` as a whole: one float32 copy, worked on in place."""
    img = image.astype(np.float32)
    if sharpen > 0:
        cv2.addWeighted(img, 1 + sharpen, cv2.GaussianBlur(img, (0, 0), sigma), -sharpen, 0,
                        dst=img)
    if gamma != 1:
        np.maximum(img, 0, out=img)
        np.divide(img, np.float32(paper), out=img)
        if gamma == DEFAULT_GAMMA and paper <= 255:  # the curve `_tone_curve` was checked for
            img = _tone_curve(img, gamma, paper)
        else:
            np.power(img, np.float32(gamma), out=img)
            np.multiply(img, np.float32(paper), out=img)
    np.clip(img, 0, 255, out=img)
    return img.astype(np.uint8)


# levels: a tone-curve value this near a whole level is computed by `np.power` itself. OpenCV's
# power differs from it (the C library's powf) by at most 1.2e-7 (measured over every float32
# in [0, 1.4], the curve's whole domain, with gamma 1.3): 3e-5 levels at paper 245, so nothing
# farther than this from a whole level truncates to another one
DEFAULT_TONE_GUARD = 2e-3


def _tone_curve(x: np.ndarray, gamma: float, paper: float) -> np.ndarray:
    """`np.power(x, gamma) * paper` in float32 (x ≥ 0, the page over its paper level), to
    the same whole levels once truncated: `cv2.pow` (a fifth of numpy's time: vectorised)
    for every value, numpy's own power again for the few that lie within
    `DEFAULT_TONE_GUARD` of a whole level, where a last bit could change the truncation."""
    x = np.ascontiguousarray(x)
    out = cv2.pow(x, gamma)
    flat = out.reshape(-1)
    np.multiply(flat, np.float32(paper), out=flat)
    frac = flat - np.floor(flat)
    near = np.flatnonzero((frac < DEFAULT_TONE_GUARD) | (frac > 1 - DEFAULT_TONE_GUARD))
    exact = np.power(x.reshape(-1)[near], np.float32(gamma))
    np.multiply(exact, np.float32(paper), out=exact)
    flat[near] = exact
    return out


def flatten_grey(grey: np.ndarray) -> np.ndarray:
    """`flatten_light` of a grey image."""
    return flatten_light(grey)


# -- focus ----------------------------------------------------------------------------------


def blur_sigma(grey: np.ndarray, valid: np.ndarray | None = None) -> float:
    """How far the strong edges of a page are spread: the Gaussian sigma (px) that would
    spread a sharp edge as much. 0 for a blank page, infinite for one whose ink has no
    edge left with the contrast of print.

    A blurred step of contrast C has its steepest slope C / (sigma √(2π)); the contrast
    is taken around each edge pixel, the slope at it, over the strongest edges of the page.
    `valid` (bool, optional) leaves out what was painted over (a scanner border): the edge
    of a painted area is sharp whatever the focus.
    """
    g = grey.astype(np.float32)
    # (the gradients stay numpy's quotients: `cv2.magnitude` of the same values has been
    # seen to differ in the last bit with the arrays' alignment, so their making is kept)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    mag = cv2.magnitude(gx, gy)
    k = max(15, int(round(DEFAULT_CONTRAST_WINDOW * max(grey.shape))) | 1)
    win = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    if grey.dtype == np.uint8:
        # a neighbourhood's max - min stays in uint8 (it is never negative): the page is
        # not made float for it; only the edges' contrasts are, below, to the same values
        contrast = cv2.subtract(cv2.dilate(grey, win), cv2.erode(grey, win))
    else:
        contrast = cv2.dilate(grey, win).astype(np.float32) - cv2.erode(grey, win)
    # the steepest slope of each neighbourhood holding ink: an edge of print, not noise
    peak = mag >= cv2.dilate(mag, win)
    edges = peak & (contrast >= DEFAULT_EDGE_CONTRAST) & (mag > 1.0)
    ok = None
    if valid is not None:
        ok = cv2.erode(valid.astype(np.uint8), win) > 0
        edges &= ok
    if np.count_nonzero(edges) < DEFAULT_MIN_EDGES:
        # no edge with the contrast of print: a blank page, or one blurred past measuring
        if ok is None:
            ok = np.ones(grey.shape, bool)
        if not ok.any():
            return 0.0
        paper = float(np.percentile(grey[ok], 90))
        inked = float((grey[ok] < paper - DEFAULT_EDGE_CONTRAST / 2).mean())
        return math.inf if inked > DEFAULT_BLURRED_INK else 0.0
    sig = contrast[edges].astype(np.float32) / (mag[edges] * math.sqrt(2 * math.pi))
    # the sharper edges: a thin stroke (its contrast cut by the blur) only looks blurrier
    return float(np.percentile(sig, 25))
