"""Checkboxes (□, ☑, ■, or □ with a hand-drawn √ / ×): where they are and whether ticked.

A box is found from its *outline* only: openings with short horizontal and vertical kernels
keep the sides of a box and drop the diagonal strokes of a tick, so a √ or × that spills
over the border neither moves nor hides the box. Rulings longer than a few characters are
removed first (a box drawn against a table border keeps three sides, which is enough).
Look-alikes are told apart by shape: 口 is narrower than high, 日 / 田 / 回 / 国 hold
horizontal or vertical strokes inside, table cells are far bigger than a character.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from tasksheet.extract.scale import (
    PageScale,
    binarize,
    ink_gray,
    measure_scale,
    paper_cut,
    percentile_u8,
)

Box = tuple[int, int, int, int]

DEFAULT_MIN_SIZE = 0.7  # × text height
DEFAULT_MAX_SIZE = 2.6  # × text height: bigger is a cell
DEFAULT_MIN_ASPECT = 0.93  # w / h: 口 is 0.86–0.91 in Song and sans fonts, □ is 1.0
DEFAULT_MAX_ASPECT = 1.45
DEFAULT_SIDE_COVER = 0.6  # fraction of a side that must be ink for the side to count
DEFAULT_TICK_FILL = 0.04  # interior ink ratio from which a box is ticked
DEFAULT_FILLED = 0.85  # interior ink ratio of ■ (a blotted 用 or 款 at 150 DPI reaches 0.65)
DEFAULT_ORTHO = 0.5  # share of interior ink in straight strokes that marks a character
DEFAULT_OUTLINE_COVER = 0.8  # second pass: least coverage of each side of a square outline
DEFAULT_LABEL_GAP = 1.5  # × text height: no box starts this close after another box
DEFAULT_LINED = 0.5  # ink depth just inside the sides, × the sides': a glyph's blob, not a box
DEFAULT_SOLID = 0.8  # mean ink depth of ■'s interior, × its darkest ink's
DEFAULT_OPEN_REACH = 0.25  # × box size: how far beyond its edge a faint missing side is looked for
DEFAULT_WHOLE = 0.8  # share of a box's width and height one piece of a whole outline spans
DEFAULT_RUN_OVER = 0.5  # share of a side's length buried in ink: a pen stroke laid along it


@dataclass(frozen=True)
class CheckBox:
    """A found box; ``score`` is the confidence of ``ticked``, ``fill`` the interior ink."""

    bbox: Box
    ticked: bool
    score: float
    fill: float


def _band(s: int, scale: PageScale) -> int:
    """How far from a box's edge (of size `s`) its side's stroke may lie."""
    return max(2, round(0.12 * s), round(scale.stroke) + 1)


def _placed_band(s: int, scale: PageScale) -> int:
    """`_band` for a box looked for where its label says it is: never more than a quarter
    of the box, or no inside is left to hold a tick (a face printing ☑ at 0.6 of a glyph,
    on a 1-bit page whose thickened print measures a 7 px stroke: a band of 8 on an 18 px
    box left 2 px of inside, read empty). The page-wide search keeps the wider band: there
    a glyph's strokes near its edge must not count as a tick inside."""
    return min(_band(s, scale), max(2, s // 4))


def _prepare(image: np.ndarray, region: Box | None) -> tuple[np.ndarray, int, int]:
    """The region's ink grey and its origin: cut first, then turned grey (`ink_gray` is
    per pixel, so the values are the same; a whole page's conversion per call was half the
    pixels ink_gray saw on a page)."""
    if region is None:
        return ink_gray(image), 0, 0
    x0, y0, x1, y1 = region
    h, w = image.shape[:2]
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    return ink_gray(image[y0:y1, x0:x1]), x0, y0


def _strip_long_lines(binary: np.ndarray, th: float) -> np.ndarray:
    """Remove rulings longer than the largest box (table borders, underlines)."""
    k = max(10, round(DEFAULT_MAX_SIZE * th * 1.1))
    hl = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    vl = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k)))
    lines = cv2.dilate(hl | vl, np.ones((3, 3), np.uint8))
    return cv2.bitwise_and(binary, cv2.bitwise_not(lines))


def _outline(binary: np.ndarray, k: int, gap: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical strokes ≥ k long; dotted scan lines are closed first."""
    rect = cv2.getStructuringElement
    if gap <= 1:
        hb = vb = binary
    else:
        hb = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, rect(cv2.MORPH_RECT, (gap, 1)))
        vb = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, rect(cv2.MORPH_RECT, (1, gap)))
    hs = cv2.morphologyEx(hb, cv2.MORPH_OPEN, rect(cv2.MORPH_RECT, (k, 1)))
    vs = cv2.morphologyEx(vb, cv2.MORPH_OPEN, rect(cv2.MORPH_RECT, (1, k)))
    return hs, vs


def _refine(hs: np.ndarray, vs: np.ndarray, box: Box) -> Box:
    """Snap a component's box to its outermost strong side lines.

    Where a tick crosses a corner, stubs of its strokes survive the openings and widen the
    component; the sides themselves are the rows / columns of highest coverage.
    """
    x0, y0, x1, y1 = box
    h, w = y1 - y0, x1 - x0
    rows = (hs[y0:y1, x0:x1] > 0).sum(axis=1)
    cols = (vs[y0:y1, x0:x1] > 0).sum(axis=0)

    def edge(cov: np.ndarray, first: bool, full: int) -> int | None:
        half = cov[: len(cov) // 2 + 1] if first else cov[len(cov) // 2 :]
        peak = half.max(initial=0)
        if peak < 0.5 * full:
            return None  # side missing (a ruling removed, a tick over it)
        idx = np.flatnonzero(half >= 0.6 * peak)
        return int(idx[0]) if first else int(idx[-1]) + len(cov) // 2

    top, bottom = edge(rows, True, w), edge(rows, False, w)
    left, right = edge(cols, True, h), edge(cols, False, h)
    return (
        x0 + (left if left is not None else 0),
        y0 + (top if top is not None else 0),
        x0 + (right + 1 if right is not None else w),
        y0 + (bottom + 1 if bottom is not None else h),
    )


def _stands_on_legs(vs: np.ndarray, box: Box, comp: Box) -> bool:
    """口 国 图: both sides run on below the bottom stroke and never above the top one.

    A × drawn through the corners leaves stubs both above and below; a printed □ has none.
    """
    x0, y0, x1, y1 = box
    band = max(2, (x1 - x0) // 8)

    def reach(cols: slice, rows: range) -> int:
        n = 0
        for r in rows:
            if not vs[r, cols].any():
                break
            n += 1
        return n

    # the component's box may be grown past the page's edge: rows off the page hold no ink
    below = range(y1, min(comp[3], vs.shape[0]))
    above = range(y0 - 1, max(comp[1], 0) - 1, -1)
    left, right = slice(x0, x0 + band), slice(x1 - band, x1)
    legs = min(reach(left, below), reach(right, below))
    heads = max(reach(left, above), reach(right, above))
    return legs >= 2 and heads == 0


def _sides(hs: np.ndarray, vs: np.ndarray, box: Box, band: int) -> list[float]:
    """Ink coverage of the top, bottom, left and right sides of a box."""
    x0, y0, x1, y1 = box
    top = hs[y0 : y0 + band, x0:x1].any(axis=0).mean()
    bottom = hs[y1 - band : y1, x0:x1].any(axis=0).mean()
    left = vs[y0:y1, x0 : x0 + band].any(axis=1).mean()
    right = vs[y0:y1, x1 - band : x1].any(axis=1).mean()
    return [float(top), float(bottom), float(left), float(right)]


def _interior(box: Box, band: int) -> Box:
    x0, y0, x1, y1 = box
    return x0 + band, y0 + band, x1 - band, y1 - band


def _fill_and_ortho(binary: np.ndarray, inner: Box, stroke: float = 1.0) -> tuple[float, float]:
    """Interior ink ratio, and the share of it in straight horizontal/vertical strokes.

    A run counts as straight from 0.6 of the interior, and never shorter than four stroke
    widths: at 150 DPI a printed ☑'s tick is a few stair steps of two pixels each.
    """
    x0, y0, x1, y1 = inner
    if x1 - x0 < 3 or y1 - y0 < 3:
        return 0.0, 0.0
    sub = binary[y0:y1, x0:x1]
    ink = int(np.count_nonzero(sub))
    fill = ink / sub.size
    if ink == 0:
        return 0.0, 0.0
    # A character's inner strokes run most of the way across; a tick's strokes are slanted.
    least = max(3, round(4 * stroke))
    kx, ky = max(least, round(0.6 * (x1 - x0))), max(least, round(0.6 * (y1 - y0)))
    hs = cv2.morphologyEx(sub, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (kx, 1)))
    vs = cv2.morphologyEx(sub, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, ky)))
    # A heavy pen tick is a blob both openings keep; a character's strokes are thin.
    t = max(3, round(2 * stroke) + 1)
    thick = cv2.morphologyEx(sub, cv2.MORPH_OPEN, np.ones((t, t), np.uint8))
    return fill, np.count_nonzero((hs | vs) & ~thick) / ink


def _pieces(binary: np.ndarray, inner: Box, stroke: float) -> int:
    """Separate ink pieces inside a box: a tick is one or two strokes, 冬 in 图 is more."""
    x0, y0, x1, y1 = inner
    sub = np.ascontiguousarray(binary[y0:y1, x0:x1])
    if sub.size == 0:
        return 0
    n, _, stats, _ = cv2.connectedComponentsWithStats(sub, connectivity=8)
    return int(np.count_nonzero(stats[1:, 4] >= 2 * stroke * stroke))


def _crossing_bar(sub: np.ndarray, band: int) -> bool:
    """A row of `sub` (a box, sides included) inked without a break from its left side to
    its right side through the interior (a pixel short at either end allowed): a bar
    joining two sides. A tick crosses the interior slanted and never joins both sides."""
    w = sub.shape[1]
    for row in sub[band:len(sub) - band]:
        gaps = np.flatnonzero(~row[1:w - 1])
        if gaps.size == 0:
            return True
    return False


def _glyph_like(binary: np.ndarray, box: Box, band: int, fill: float) -> bool:
    """A character shaped like a box (日 由 周 时's 日, 全's 王, 合's 口 under 一).

    Inside: a straight bar crossing the interior from side to side (a tick or a cross runs
    slanted and crosses no row or column whole), unless the box is filled (■). A filled
    one: a stroke running on out of the middle of its top or bottom (由's stem); ■ ends
    at its sides.
    """
    x0, y0, x1, y1 = box
    ix0, iy0, ix1, iy1 = _interior(box, band)
    if ix1 - ix0 < 3 or iy1 - iy0 < 3:
        return False
    if fill < DEFAULT_FILLED:
        sub = binary[y0:y1, x0:x1] > 0
        return _crossing_bar(sub, band) or _crossing_bar(sub.T, band)
    hgt = binary.shape[0]
    qx = (x1 - x0) // 4
    # above and below only: a line's next glyph may touch a ■'s side, nothing its top
    outside = [binary[max(0, y0 - 2):y0, x0 + qx:x1 - qx],
               binary[y1:min(hgt, y1 + 2), x0 + qx:x1 - qx]]
    return any(np.count_nonzero(o.all(axis=0)) >= 1 for o in outside if o.size)


def _lined_inside(gray: np.ndarray, box: Box, stroke: float) -> bool:
    """A character blurred into a blob (small print on a soft, compressed or turned scan),
    binarised to a square with ink all along the inside of its "sides".

    A box's sides are lines with paper just inside them: a tick crosses that ring in a few
    places, so the ring's median tone stays paper, whatever the binarisation made of a soft
    scan. A blob is inked along it; ■ is too, but its whole inside is as dark as its ink,
    where a glyph's gaps (blurred, not gone) keep its mean lighter. Tones are measured on the
    grey page, which blur and JPEG spread but do not lighten or darken on average.
    """
    x0, y0, x1, y1 = box
    s = max(1, round(stroke))
    if min(x1 - x0, y1 - y0) < 4 * s + 2:
        return False
    h, w = gray.shape
    pad = max(x1 - x0, y1 - y0)
    paper = percentile_u8(gray[max(0, y0 - pad):min(h, y1 + pad), max(0, x0 - pad):min(w, x1 + pad)],
                          90)
    sub = gray[y0:y1, x0:x1]
    sides = np.concatenate([sub[:s].ravel(), sub[-s:].ravel(), sub[s:-s, :s].ravel(),
                            sub[s:-s, -s:].ravel()])
    # the middle half of each side, just inside it: a heavy × or ✓ crosses the ring near
    # the corners or on one side, a blob lines all four (seed 829 doc-0009: a thick blue ×
    # over □其他 inked the ring's median, and the ticked box was taken for a glyph)
    hh, ww = sub.shape
    qy, qx = slice(hh // 4, hh - hh // 4), slice(ww // 4, ww - ww // 4)
    ring = [sub[s:2 * s, qx], sub[-2 * s:-s, qx], sub[qy, s:2 * s], sub[qy, -2 * s:-s]]
    side_depth = paper - float(np.median(sides))
    if side_depth <= 0 or any(paper - float(np.median(r)) < DEFAULT_LINED * side_depth
                              for r in ring):
        return False
    ink_depth = paper - percentile_u8(sub, 5)
    return paper - float(sub[s:-s, s:-s].mean()) < DEFAULT_SOLID * ink_depth


def _decide(fill: float) -> tuple[bool, float]:
    t = DEFAULT_TICK_FILL
    if fill >= t:
        return True, float(min(1.0, 0.5 + (fill - t) / (2 * t)))
    return False, float(min(1.0, 0.5 + (t - fill) / t * 0.5))


def _accept(clean: np.ndarray, vs: np.ndarray, box: Box, comp: Box, scale: PageScale,
            gray: np.ndarray):
    """Fill of ``box`` if it passes the look-alike tests (legs, inner strokes), else None."""
    if _stands_on_legs(vs, box, comp):
        return None
    w, h = box[2] - box[0], box[3] - box[1]
    band = _band(min(w, h), scale)
    inner = _interior(box, band)
    fill, ortho = _fill_and_ortho(clean, inner, scale.stroke)
    if DEFAULT_TICK_FILL / 2 <= fill < DEFAULT_FILLED and (
        ortho >= DEFAULT_ORTHO or _pieces(clean, inner, scale.stroke) >= 3
    ):
        return None  # 日 田 回 国 图: straight strokes, or several strokes, inside a character
    if _glyph_like(clean, box, band, fill) or _lined_inside(gray, box, scale.stroke):
        return None
    return fill


def _side_maps(hs: np.ndarray, vs: np.ndarray, s: int, band: int):
    """Coverage of the four sides of an s × s square whose top-left corner is at each pixel.

    A side is covered where a straight stroke passes within ``band`` of it; ink inside or
    attached outside does not count against it.
    """
    h, w = hs.shape
    n_y, n_x = h - s + 1, w - s + 1
    if n_y <= 0 or n_x <= 0:
        return None
    hb = cv2.dilate(hs, np.ones((band, 1), np.uint8), anchor=(0, 0)) > 0  # any of rows y..y+band
    vb = cv2.dilate(vs, np.ones((1, band), np.uint8), anchor=(0, 0)) > 0
    rowsum = np.zeros((h, w + 1), np.int32)
    np.cumsum(hb, axis=1, out=rowsum[:, 1:])
    colsum = np.zeros((h + 1, w), np.int32)
    np.cumsum(vb, axis=0, out=colsum[1:, :])
    runs_h = (rowsum[:, s:] - rowsum[:, :-s]) / s  # (h, n_x): columns covered in [x, x+s)
    runs_v = (colsum[s:, :] - colsum[:-s, :]) / s  # (n_y, w): rows covered in [y, y+s)
    top = runs_h[:n_y, :]
    bottom = runs_h[s - band : s - band + n_y, :]
    left = runs_v[:, :n_x]
    right = runs_v[:, s - band : s - band + n_x]
    return np.minimum(np.minimum(top, bottom), np.minimum(left, right))


def _outline_pass(
    clean: np.ndarray, hs: np.ndarray, vs: np.ndarray, found: list[CheckBox], scale: PageScale,
    gray: np.ndarray,
) -> list[CheckBox]:
    """Boxes the component pass missed: a square outline at the expected size.

    A √ drawn heavily across a box into the next character makes box, tick and character one
    component; the four sides are still there. The size is that of the boxes already found
    in the region, else 0.8–0.95 of the text height; every side must be covered.
    """
    th = scale.text_height
    if found:
        sizes = [
            round(
                float(np.median([max(b.bbox[2] - b.bbox[0], b.bbox[3] - b.bbox[1]) for b in found]))
            )
        ]
    else:
        sizes = list(range(round(0.8 * th), round(0.95 * th) + 1))
    best = None
    for s in sizes:
        band = _band(s, scale)
        m = _side_maps(hs, vs, s, band)
        if m is None:
            continue
        if best is None:
            best = (m, np.full(m.shape, s, np.int32))
        else:
            bm, bs = best
            hh, ww = min(bm.shape[0], m.shape[0]), min(bm.shape[1], m.shape[1])
            bm, bs, m = bm[:hh, :ww], bs[:hh, :ww], m[:hh, :ww]
            better = m > bm
            best = (np.where(better, m, bm), np.where(better, s, bs))
    if best is None:
        return []
    score, size = best
    taken = [b.bbox for b in found]
    out: list[CheckBox] = []
    order = np.argsort(score, axis=None)[::-1]
    for idx in order:
        y, x = np.unravel_index(idx, score.shape)
        if score[y, x] < DEFAULT_OUTLINE_COVER:
            break
        s = int(size[y, x])
        box = (int(x), int(y), int(x) + s, int(y) + s)
        if any(_overlap(box, t) > 0 for t in taken):
            continue
        taken.append(box)  # the best square here, accepted or not, blocks its neighbours
        if not _straight_sides(hs, vs, box, _band(s, scale)):
            continue
        # The outline as drawn: 口 is narrower than high, which a square template hides.
        band = _band(s, scale)
        grown = (max(0, box[0] - band), max(0, box[1] - band), box[2] + band, box[3] + band)
        rx0, ry0, rx1, ry1 = _refine(hs, vs, grown)
        if not DEFAULT_MIN_ASPECT <= (rx1 - rx0) / max(1, ry1 - ry0) <= DEFAULT_MAX_ASPECT:
            continue
        fill = _accept(clean, vs, box, (grown[0], grown[1], grown[2], grown[3] + s), scale,
                       gray)
        if fill is None:
            continue
        if fill < DEFAULT_TICK_FILL or not _spills(clean, hs | vs, box, band):
            continue  # only a pen tick run across the outline hides a box from the first pass
        ticked, conf = _decide(fill)
        out.append(CheckBox(box, ticked, conf, round(fill, 4)))
    return out


def _straight_sides(hs: np.ndarray, vs: np.ndarray, box: Box, band: int) -> bool:
    """Whether each side of `box` is one straight stroke: a single row (column) within
    `band` of the edge inked along `DEFAULT_OUTLINE_COVER` of it. The square template
    scores a side covered where any row of the band is; laid across two glyphs of dense
    print (2|0 of 2020, 电|话 on a JPEG) it finds four "sides" made of their strokes at
    different heights, none of them running the side's length."""
    x0, y0, x1, y1 = box
    top = hs[y0:y0 + band, x0:x1]
    bottom = hs[max(y0, y1 - band):y1, x0:x1]
    left = vs[y0:y1, x0:x0 + band].T
    right = vs[y0:y1, max(x0, x1 - band):x1].T
    return all(side.size and float((side > 0).mean(axis=1).max()) >= DEFAULT_OUTLINE_COVER
               for side in (top, bottom, left, right))


def _spills(clean: np.ndarray, straight: np.ndarray, box: Box, band: int) -> bool:
    """Whether the inside ink runs out over the outline (a pen √ drawn across the box).

    The outline's straight strokes are taken away first, so a neighbour touching the box
    does not join the inside of 国 to the outside.
    """
    x0, y0, x1, y1 = box
    h, w = clean.shape
    gx0, gy0, gx1, gy1 = max(0, x0 - band), max(0, y0 - band), min(w, x1 + band), min(h, y1 + band)
    sub = clean[gy0:gy1, gx0:gx1].copy()
    ring = np.ones_like(sub)
    ix0, iy0, ix1, iy1 = _interior((x0 - gx0, y0 - gy0, x1 - gx0, y1 - gy0), band)
    ring[iy0:iy1, ix0:ix1] = 0
    t = max(3, band)
    thick = cv2.morphologyEx(sub, cv2.MORPH_OPEN, np.ones((t, t), np.uint8))  # a pen tick
    sub[(ring > 0) & (straight[gy0:gy1, gx0:gx1] > 0) & (thick == 0)] = 0
    mask = np.zeros_like(sub)
    ix0, iy0, ix1, iy1 = _interior((x0 - gx0, y0 - gy0, x1 - gx0, y1 - gy0), band)
    n, labels = cv2.connectedComponents(sub, connectivity=8)
    inside = set(np.unique(labels[iy0:iy1, ix0:ix1])) - {0}
    mask[:, :] = 1
    mask[band : sub.shape[0] - band, band : sub.shape[1] - band] = 0  # outer ring only
    outside = set(np.unique(labels[(mask > 0) & (sub > 0)])) - {0}
    return bool(inside & outside)


def _overlap(a: Box, b: Box) -> int:
    return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


def _drop_crowded(found: list[CheckBox], th: float) -> list[CheckBox]:
    """An option's label follows each box, so no box starts right after another one.

    Of two boxes closer than that on a line, the one right after is a look-alike character
    (项's 页, a blotted 用) unless it is the better square; keep the first.
    """
    keep: list[CheckBox] = []
    for b in sorted(found, key=lambda b: b.bbox[0]):
        cy, h = (b.bbox[1] + b.bbox[3]) / 2, b.bbox[3] - b.bbox[1]
        if any(
            abs(cy - (k.bbox[1] + k.bbox[3]) / 2) < h / 2
            and 0 <= b.bbox[0] - k.bbox[2] < DEFAULT_LABEL_GAP * th
            for k in keep
        ):
            continue
        keep.append(b)
    return keep


def _broken(pieces: list[Box], box: Box, band: int) -> bool:
    """Whether `box` was drawn in pieces (a dotted outline): two or more pieces of its
    strokes as they are, all within it (a band's slack), none spanning most of it both
    ways. A piece that spans it is the box itself or a glyph (口) that failed alone; one
    that runs on out of it is the next glyph's (径 beside 口), which the closing glued on."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    inside = [p for p in pieces if _overlap(p, box)]
    return len(inside) >= 2 and all(
        p[0] >= x0 - band and p[1] >= y0 - band and p[2] <= x1 + band and p[3] <= y1 + band
        and not (p[2] - p[0] >= DEFAULT_WHOLE * w and p[3] - p[1] >= DEFAULT_WHOLE * h)
        for p in inside)


def _components(mask: np.ndarray) -> list[Box]:
    """Boxes of the 8-connected pieces of `mask`, at least 3 px each way."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, _ in stats[1:]
            if w >= 3 and h >= 3]


def _side_depth(gray: np.ndarray, box: Box, side: int, offsets: range, paper: float) -> float:
    """How much darker than the paper the darkest line along one side of `box` is (0 top,
    1 bottom, 2 left, 3 right), over the middle half of the side, among the lines
    `offsets` px outward of the side's edge (negative: inward)."""
    x0, y0, x1, y1 = box
    h, w = gray.shape
    qx, qy = (x1 - x0) // 4, (y1 - y0) // 4
    best = 0.0
    for d in offsets:
        if side < 2:
            y = y0 - d if side == 0 else y1 - 1 + d
            line = gray[y, x0 + qx:x1 - qx] if 0 <= y < h else None
        else:
            x = x0 - d if side == 2 else x1 - 1 + d
            line = gray[y0 + qy:y1 - qy, x] if 0 <= x < w else None
        if line is not None and line.size:
            best = max(best, paper - float(np.median(line)))
    return best


def _open_sides_lined(gray: np.ndarray, box: Box, band: int, sides: list[float]) -> bool:
    """Whether every side the outline strokes lack is still a line on the grey page: as
    dark as half the sides that are there, a little beyond the box's edge at most. A
    ruling the strokes were stripped with is one, so is a side too faint to binarise
    whole (form-checkboxes-signatures.png's unticked box); the open side of 门 冂 匚 is
    paper (table-printed-ticks.jpg as JPEG 40: 门 taken for an empty box)."""
    if all(c >= DEFAULT_SIDE_COVER for c in sides):
        return True
    x0, y0, x1, y1 = box
    h, w = gray.shape
    pad = max(x1 - x0, y1 - y0)
    paper = percentile_u8(gray[max(0, y0 - pad):min(h, y1 + pad),
                               max(0, x0 - pad):min(w, x1 + pad)], 90)
    reach = max(band, round(DEFAULT_OPEN_REACH * pad))
    present = [_side_depth(gray, box, i, range(-band, band + 1), paper)
               for i, c in enumerate(sides) if c >= DEFAULT_SIDE_COVER]
    if not present:
        return False
    need = DEFAULT_LINED * float(np.median(present))
    return all(_side_depth(gray, box, i, range(-band, reach + 1), paper) >= need
               for i, c in enumerate(sides) if c < DEFAULT_SIDE_COVER)


def _component_box(clean: np.ndarray, hs: np.ndarray, vs: np.ndarray, gray: np.ndarray,
                   comp: Box, scale: PageScale, sides_needed: int = 3) -> CheckBox | None:
    """The checkbox one piece of outline strokes draws, or None (a glyph, a cell, a bar).
    Three sides do for a box drawn against a ruling (removed with the rulings) or one
    side too faint to binarise, when the grey page still shows a line there
    (`_open_sides_lined`); where it is paper the outline is open, a glyph's (门 冂 匚)."""
    th = scale.text_height
    rx0, ry0, rx1, ry1 = _refine(hs, vs, comp)
    if _stands_on_legs(vs, (rx0, ry0, rx1, ry1), comp):
        return None
    x, y, w, h = rx0, ry0, rx1 - rx0, ry1 - ry0
    if not (DEFAULT_MIN_SIZE * th <= h <= DEFAULT_MAX_SIZE * th and w <= DEFAULT_MAX_SIZE * th):
        return None
    if not (DEFAULT_MIN_ASPECT <= w / max(h, 1) <= DEFAULT_MAX_ASPECT):
        return None
    box = (x, y, x + w, y + h)
    band = _band(min(w, h), scale)
    sides = _sides(hs, vs, box, band)
    if sum(s >= DEFAULT_SIDE_COVER for s in sides) < sides_needed:
        return None
    if not _open_sides_lined(gray, box, band, sides):
        return None
    fill, ortho = _fill_and_ortho(clean, _interior(box, band), scale.stroke)
    if DEFAULT_TICK_FILL / 2 <= fill < DEFAULT_FILLED and (
        ortho >= DEFAULT_ORTHO or _pieces(clean, _interior(box, band), scale.stroke) >= 3
    ):
        return None  # 日 田 回 国 图: straight strokes, or several strokes, inside a character
    if _glyph_like(clean, box, band, fill) or _lined_inside(gray, box, scale.stroke):
        return None
    ticked, score = _decide(fill)
    return CheckBox(box, ticked, score, round(fill, 4))


def find_checkboxes(
    image: np.ndarray, region: Box | None = None, scale: PageScale | None = None
) -> list[CheckBox]:
    """Checkboxes in ``region`` (page coordinates), top-to-bottom, each line left to right.

    >>> [b.ticked for b in find_checkboxes(page, region=cell.bbox)]  # doctest: +SKIP
    [True, False]
    """
    gray, ox, oy = _prepare(image, region)
    if gray.size == 0:
        return []
    if scale is None:
        scale = measure_scale(binarize(gray))
    # The window must hold more than a box, or the inside of ■ reads as paper.
    binary = binarize(gray, window=max(15, round(4 * scale.text_height)))
    th = scale.text_height
    clean = _strip_long_lines(binary, th)
    k = max(4, round(0.4 * th))
    hs0, vs0 = _outline(clean, k, gap=1)
    # Candidates from the strokes as they are (closing would glue □ to the next glyph);
    # sides measured on strokes with the dotted gaps of a faint scan closed.
    hs, vs = _outline(clean, k, gap=max(3, round(scale.stroke) + 1))
    pieces = _components(hs0 | vs0)
    found = [b for b in (_component_box(clean, hs, vs, gray, comp, scale) for comp in pieces)
             if b is not None]
    # An outline a soft scan broke into dots falls apart into pieces none of which is a
    # box; its strokes with the dots closed are one piece, with all four sides (glyphs
    # the closing glued together lack one: 位 委 的 王 29).
    found += [b for b in (_component_box(clean, hs, vs, gray, comp, scale, sides_needed=4)
                          for comp in _components(hs | vs)
                          if not any(_overlap(comp, f.bbox) for f in found)) if b is not None
              and _broken(pieces, b.bbox, max(2, round(scale.stroke) + 1))]
    found += _outline_pass(clean, hs, vs, found, scale, gray)
    found = _drop_crowded(found, th)
    found = [
        CheckBox(
            (b.bbox[0] + ox, b.bbox[1] + oy, b.bbox[2] + ox, b.bbox[3] + oy),
            b.ticked,
            b.score,
            b.fill,
        )
        for b in found
    ]
    # Reading order: rows of boxes whose centres lie within half a box height.
    found.sort(key=lambda b: (b.bbox[1] + b.bbox[3]) / 2)
    lines: list[list[CheckBox]] = []
    for b in found:
        cy = (b.bbox[1] + b.bbox[3]) / 2
        if (
            lines
            and abs(cy - (lines[-1][0].bbox[1] + lines[-1][0].bbox[3]) / 2)
            < (b.bbox[3] - b.bbox[1]) / 2
        ):
            lines[-1].append(b)
        else:
            lines.append([b])
    return [b for line in lines for b in sorted(line, key=lambda b: b.bbox[0])]


DEFAULT_PLACED_COVER = 0.5  # least side coverage of a box looked for where a label says it is
DEFAULT_PLACED_CONTRAST = 20  # grey levels under the paper that count as ink there
DEFAULT_PLACED_SHARE = 0.3  # or this share of the way to the window's darkest ink
DEFAULT_SIDE_SPAN = 0.7  # share of the interior's side a caught box side runs along
DEFAULT_BROKEN_SIDE = 0.5  # share of it a side broken in pieces is inked along
# × text height: the sizes of a box placed by its label. A face prints □ at its own size:
# 宋体's and 黑体's are 0.8–0.9 of a glyph, 微米黑's (MicroHei) under half of one
DEFAULT_PLACED_SIZES = (0.4, 1.3)
DEFAULT_SQUARED = 0.7  # least share of the template's size a squared snapped outline has
DEFAULT_PLACED_TRIES = 8  # small squares tried per size before the next size


def box_in(image: np.ndarray, window: Box, scale: PageScale,
           expect_x: float | None = None) -> CheckBox | None:
    """The best square outline inside ``window``, where a printed label says a box must be.

    The search the page-wide pass cannot afford: no look-alike can be here (the label's
    words start right after the window), so a box crossed by a heavy ×, or faint, or a
    touch smaller than usual is taken on the evidence of its four sides alone. Of equally
    good squares, the one centred nearest ``expect_x`` (page x) wins.
    """
    th = scale.text_height
    pad = round(2 * th)  # context: the paper's level needs more than the window's paper
    gray, gx, gy = _prepare(image, (window[0] - pad, window[1] - pad, window[2] + pad,
                                    window[3] + pad))
    if gray.size == 0:
        return None
    # Against this paper, not a page-wide local threshold: a pale printed box (a light
    # grey scan) is far above the paper's grain, yet under Sauvola's contrast bar. A heavy
    # tick sets the window's darkest ink; a box printed pale beside it is looked for again
    # at the paper's grain alone.
    usual = round(DEFAULT_MIN_SIZE * th)
    small = None
    for cut in (paper_cut(gray, DEFAULT_PLACED_SHARE, DEFAULT_PLACED_CONTRAST),
                paper_cut(gray, 0.0, DEFAULT_PLACED_CONTRAST)):
        found = _square_in(gray, gx, gy, window, scale, cut, expect_x)
        if found is None:
            continue
        if min(found.bbox[2] - found.bbox[0], found.bbox[3] - found.bbox[1]) >= usual:
            return found
        # smaller than a glyph: a small face's □, or a square laid between the arms of a
        # heavy ✓ whose pale box only the paper's grain shows (re-captured wp-06, grey:
        # an 8 px "box" in the ✓'s V read empty over □有's 18 px outline). A box of a
        # glyph's size seen at the grain is the one printed; else the small one stands
        small = small or found
    return small


def _square_in(gray: np.ndarray, gx: int, gy: int, window: Box, scale: PageScale, cut: float,
               expect_x: float | None) -> CheckBox | None:
    """`box_in`'s search with ink as whatever is darker than `cut`."""
    th = scale.text_height
    binary = np.where(gray < cut, 255, 0).astype(np.uint8)
    x0, y0 = max(0, window[0] - gx), max(0, window[1] - gy)
    x1, y1 = min(gray.shape[1], window[2] - gx), min(gray.shape[0], window[3] - gy)
    if min(x1 - x0, y1 - y0) < 0.6 * th:
        return None
    clean = _strip_long_lines(binary, th)[y0:y1, x0:x1]
    ox, oy = gx + x0, gy + y0
    small, large = (round(f * th) for f in DEFAULT_PLACED_SIZES)
    usual = round(DEFAULT_MIN_SIZE * th)
    gap = max(3, round(scale.stroke) + 1)
    hs, vs = _outline(clean, max(4, round(0.4 * th)), gap=gap)
    best = _best_square(clean, hs, vs, range(usual, large + 1), scale, ox, expect_x)
    if best is None or not _straight_sides(hs, vs, _square(best), _placed_band(best[1], scale)):
        # No square of a glyph's size whose sides are each one straight line (the one
        # found is laid over a small box's side and its label's strokes): a face that
        # prints □ small (微米黑's is under half a glyph high). The strokes are looked
        # for as long as most of the smallest box's side.
        hs2, vs2 = _outline(clean, max(4, round(0.75 * small)), gap=gap)
        # a pen's heavy stroke across a small box is looked for only where no square of
        # a glyph's size was found at all: one found there (laid in the pen's ink) reads
        # the box ticked already, and a small one snapped beside the pen may read empty
        smaller = _best_square(clean, hs2, vs2, range(small, usual), scale, ox, expect_x,
                               drawn=True, pen=best is None)
        if smaller is not None:
            best, hs, vs = smaller, hs2, vs2
    if best is None:
        return None
    _, s, y, x = best
    band = _placed_band(s, scale)
    # the square template can be a pixel or two off the drawn sides, and snapping to them
    # can catch the next character's stroke instead: of the two, the emptier inside is the
    # box's own (a tick fills both, the inner edge of a side only one)
    h, w = clean.shape
    grown = (max(0, x - band), max(0, y - band), min(w, x + s + band), min(h, y + s + band))
    boxes = [(x, y, x + s, y + s)]
    snapped = _refine(hs, vs, grown)
    if DEFAULT_MIN_ASPECT <= (snapped[2] - snapped[0]) / max(1, snapped[3] - snapped[1]) \
            <= DEFAULT_MAX_ASPECT and min(snapped[2] - snapped[0], snapped[3] - snapped[1]) >= 0.8 * s:
        boxes.append(snapped)

    def judged(b: Box) -> tuple[float, float, Box]:
        f = _inner_fill(clean, _interior(b, min(band, _placed_band(b[2] - b[0], scale))), band)
        return f, _run_over(clean, b, band) if f < DEFAULT_TICK_FILL else 0.0, b

    # of equally empty ones, the one whose sides are least run over: a side snapped on to
    # the label's first stroke lies in that glyph's ink (seed 6311 doc-0015, 1-bit: □财
    # snapped on to 财's stem read run over, a false checkbox_multiple)
    fill, over, box = min(judged(b) for b in boxes)
    if fill >= DEFAULT_TICK_FILL or over > DEFAULT_RUN_OVER:
        # read ticked: unless the outline squared (`_squared`) is a box as drawn, and empty
        empty = [j for b in _squared(snapped, s)
                 if _straight_sides(hs, vs, b, _placed_band(b[2] - b[0], scale))
                 and (j := judged(b))[0] < DEFAULT_TICK_FILL and j[1] <= DEFAULT_RUN_OVER]
        if empty:
            fill, over, box = min(empty)
    ticked, conf = _decide_or_run_over(fill, clean, box, band)
    return CheckBox((box[0] + ox, box[1] + oy, box[2] + ox, box[3] + oy), ticked, conf,
                    round(fill, 4))


def _squared(snapped: Box, s: int) -> list[Box]:
    """Squares on a snapped outline too long one way (a small printed □ whose snapping ran
    on to its label's first stroke): the box is square, so of its two long sides' ends, one
    is its own. Each square laid from either end, as long as its short way, when that is
    most of the template's size `s` (a small face's □ under a glyph-sized template, seed
    6311 doc-0018: a 14 px □ under a 16 px square held its sides' inner edges and read
    ticked)."""
    x0, y0, x1, y1 = snapped
    w, h = x1 - x0, y1 - y0
    n = min(w, h)
    if n < DEFAULT_SQUARED * s or max(w, h) <= n / DEFAULT_MIN_ASPECT:
        return []
    if w > h:
        return [(x0, y0, x0 + n, y1), (x1 - n, y0, x1, y1)]
    return [(x0, y0, x1, y0 + n), (x0, y1 - n, x1, y1)]


def _run_over(binary: np.ndarray, box: Box, band: int) -> float:
    """The largest share of one side of `box` buried in ink: inked across the strip `band`
    either side of it more than twice as thick as the box's own print (its thinnest
    side's), and more than `band`. A heavy pen's ✓ drawn low, its vertex under the box and
    its long arm over the label, runs along the bottom side and leaves the inside all but
    empty. On a 1-bit scan the pen is as black as the print and thickened with it, so no
    tone tells it from the box: only that it at least doubles the ink across one side,
    where blur or a heavy print thickens all four alike."""
    x0, y0, x1, y1 = box
    h, w = binary.shape
    strips = [binary[max(0, y - band):min(h, y + band + 1), x0:x1] for y in (y0, y1 - 1)]
    strips += [binary[y0:y1, max(0, x - band):min(w, x + band + 1)].T for x in (x0, x1 - 1)]
    across = [np.count_nonzero(st, axis=0) for st in strips if st.size]
    if len(across) < 4:
        return 0.0
    own = min(float(np.median(a)) for a in across)
    # and thicker than its opposite side: a pen runs along one side, while a scan blurs
    # and rasterises rows and columns each alike (a pale 1 px box at 150 DPI: top and
    # bottom 3 px across at the cut, left and right 1 px; against the thinnest side
    # alone, both unticked boxes of a group read run over, a false checkbox_multiple)
    return max(float((a > max(band, 2 * own, float(np.median(across[k ^ 1])))).mean())
               for k, a in enumerate(across))


def _decide_or_run_over(fill: float, binary: np.ndarray, box: Box, band: int
                        ) -> tuple[bool, float]:
    """`_decide` on the inside's ink, or ticked when a pen stroke buries a side of the box
    (`_run_over`): a box placed where its label says, so no glyph's strokes are judged."""
    ticked, conf = _decide(fill)
    if ticked:
        return ticked, conf
    over = _run_over(binary, box, band)
    if over > DEFAULT_RUN_OVER:
        return True, float(min(1.0, 0.5 + (over - DEFAULT_RUN_OVER)))
    return ticked, conf


def _square(found: tuple[float, int, int, int]) -> Box:
    _, s, y, x = found
    return x, y, x + s, y + s


def _best_square(clean: np.ndarray, hs: np.ndarray, vs: np.ndarray, sizes: range,
                 scale: PageScale, ox: int, expect_x: float | None, drawn: bool = False,
                 pen: bool = False) -> tuple[float, int, int, int] | None:
    """The square of `sizes` whose four sides the strokes cover best (pulled slightly
    towards `expect_x`), as (score, size, y, x); None when none is covered enough.
    `drawn`: only one drawn as a box is, four straight thin sides with paper beside them
    (a square laid in a marker's heavy × finds "sides" in the mass of its strokes), or,
    with `pen`, four straight sides with a pen's heavy stroke inside (`_pen_inside`)."""
    th = scale.text_height
    best: tuple[float, int, int, int] | None = None
    for s in sizes:
        band = _placed_band(s, scale)
        m = _side_maps(hs, vs, s, band)
        if m is None:
            continue
        score = m.copy()
        if expect_x is not None:  # a slight pull towards where the box is expected
            xs = np.arange(m.shape[1]) + ox + s / 2
            score = score - 0.05 * np.abs(xs - expect_x)[None, :] / th
        if drawn:  # a square passed over goes on to the next best one of its size
            score[m < DEFAULT_PLACED_COVER] = -np.inf
        for _ in range(DEFAULT_PLACED_TRIES if drawn else 1):
            y, x = np.unravel_index(int(np.argmax(score)), score.shape)
            if m[y, x] < DEFAULT_PLACED_COVER or (best is not None and score[y, x] <= best[0]):
                break
            box = (int(x), int(y), int(x) + s, int(y) + s)
            if not drawn or (_straight_sides(hs, vs, box, band) and (
                    (_thin_sides(clean, box, band) and _alone(clean, box, band))
                    or (pen and _pen_inside(clean, box, band, scale.stroke)))):
                best = (float(score[y, x]), s, int(y), int(x))
                break
            score[max(0, y - s // 2):y + s // 2 + 1, max(0, x - s // 2):x + s // 2 + 1] = -np.inf
    return best


def _pen_inside(binary: np.ndarray, box: Box, band: int, stroke: float) -> bool:
    """Whether a pen's stroke, thicker than the print (what an opening `2 x stroke + 1`
    square keeps, as `_fill_and_ortho`'s heavy tick), inks the inside of `box` as a tick
    does (`DEFAULT_TICK_FILL` of it at least). A heavy ✓ across a small printed □ buries
    a side and joins the outline to strokes running far beyond it (seed 9721 doc-0018: a
    21 px □ under an 8 px ✓, on a 45 px text height): the box is then neither thin-sided
    nor alone, yet its four straight sides are there, and the pen says it is ticked.
    A thin pen's × (as thin as the print) is not taken this way: its arms can draw an
    empty square of their own."""
    x0, y0, x1, y1 = box
    t = max(3, round(2 * stroke) + 1)
    ix0, iy0, ix1, iy1 = _interior(box, band)
    if ix1 - ix0 < 2 or iy1 - iy0 < 2:
        return False
    h, w = binary.shape
    sub = np.ascontiguousarray(binary[max(0, y0 - t):min(h, y1 + t), max(0, x0 - t):min(w, x1 + t)])
    pen = cv2.morphologyEx(sub, cv2.MORPH_OPEN, np.ones((t, t), np.uint8))
    oy, ox = max(0, y0 - t), max(0, x0 - t)
    inside = pen[iy0 - oy:iy1 - oy, ix0 - ox:ix1 - ox]
    return inside.size > 0 and np.count_nonzero(inside) >= DEFAULT_TICK_FILL * inside.size


def _alone(binary: np.ndarray, box: Box, band: int) -> bool:
    """Whether the ink of `box`'s outline is a piece of its own: every piece that its
    sides hold ends within `band` of them. A small face's empty □ is a glyph by itself;
    a "square" found in a pen's × (its arms, run through the gaps' closing) is part of
    strokes that run on far beyond it. (A box a tick runs over is not alone either: any
    square laid there then holds the tick's ink, and reads ticked as it is.)"""
    x0, y0, x1, y1 = box
    h, w = binary.shape
    s = x1 - x0
    wx0, wy0, wx1, wy1 = max(0, x0 - s), max(0, y0 - s), min(w, x1 + s), min(h, y1 + s)
    sub = np.ascontiguousarray(binary[wy0:wy1, wx0:wx1])
    _, labels, stats, _ = cv2.connectedComponentsWithStats(sub, connectivity=8)
    ring = np.zeros(sub.shape, bool)
    ring[max(0, y0 - wy0 - band):y1 - wy0 + band, max(0, x0 - wx0 - band):x1 - wx0 + band] = True
    ring[y0 - wy0 + band:y1 - wy0 - band, x0 - wx0 + band:x1 - wx0 - band] = False
    for k in set(np.unique(labels[ring])) - {0}:
        bx, by, bw, bh = stats[k, :4]
        if bx < x0 - wx0 - band or by < y0 - wy0 - band or bx + bw > x1 - wx0 + band \
                or by + bh > y1 - wy0 + band:
            return False
    return True


def _thin_sides(binary: np.ndarray, box: Box, band: int) -> bool:
    """Whether each side of `box` is a line with paper beside it: across the side, within
    `band` either way, at most half the pixels inked (the median over its length, so a
    tick crossing it here and there does not count). A printed box's sides are thin
    lines; a square the template lays inside a marker's heavy stroke (a × over the box,
    where its arms cross) has "sides" in solid ink."""
    x0, y0, x1, y1 = box
    h, w = binary.shape
    strips = [binary[max(0, y - band):min(h, y + band + 1), x0:x1] for y in (y0, y1 - 1)]
    strips += [binary[y0:y1, max(0, x - band):min(w, x + band + 1)].T for x in (x0, x1 - 1)]
    return all(st.size and float(np.median(np.count_nonzero(st, axis=0))) <= band
               for st in strips)


def box_at(image: np.ndarray, box: Box, scale: PageScale) -> CheckBox:
    """Ticked or not, for a box whose place is known but whose outline is not seen (a
    heavy tick over it hides a side): the ink inside where it must be, sides left out."""
    th = scale.text_height
    pad = round(2 * th)
    gray, gx, gy = _prepare(image, (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad))
    cut = paper_cut(gray, DEFAULT_PLACED_SHARE, DEFAULT_PLACED_CONTRAST)
    binary = _strip_long_lines(np.where(gray < cut, 255, 0).astype(np.uint8), th)
    local = (box[0] - gx, box[1] - gy, box[2] - gx, box[3] - gy)
    band = _placed_band(box[2] - box[0], scale)
    fill = _inner_fill(binary, _interior(local, band), band)
    ticked, conf = _decide_or_run_over(fill, binary, local, band)
    return CheckBox(box, ticked, conf, round(fill, 4))


def _inner_fill(binary: np.ndarray, inner: Box, edge: int) -> float:
    """Interior ink ratio, a box side caught along the interior's edge left out.

    A square placed a pixel or two off the drawn one holds a side (or the next character's
    stroke) along its edge: a line spanning most of the interior within `edge` pixels of
    its border. A tick crosses that margin; it does not run along it.
    """
    x0, y0, x1, y1 = inner
    if x1 - x0 < 3 or y1 - y0 < 3:
        return 0.0
    sub = binary[y0:y1, x0:x1] > 0
    h, w = sub.shape
    cols, rows = _lines(sub), _lines(sub.T)
    keep = np.ones_like(sub)
    for j in range(w):  # a line within the edge, with open interior next to it (not a ■)
        inward = j + edge if j < w / 2 else j - edge
        if cols[j] and (j < edge or j >= w - edge) and 0 <= inward < w and not cols[inward]:
            keep[:, j] = False
    for i in range(h):
        inward = i + edge if i < h / 2 else i - edge
        if rows[i] and (i < edge or i >= h - edge) and 0 <= inward < h and not rows[inward]:
            keep[i, :] = False
    return float((sub & keep).sum() / sub.size)


def _lines(sub: np.ndarray) -> np.ndarray:
    """Columns of `sub` that are a side's line: inked along `DEFAULT_SIDE_SPAN` of it, or
    (a pale side a 1-bit scan broke into pieces: re-captured wp-02, □项目经费's right side
    inked at its two ends, a false tick) reaching that far from their first ink to their
    last and inked along half of it. A tick crosses a column near the edge in one short
    run; a × in two, its ink in the middle of the box all the same."""
    h = sub.shape[0]
    count = sub.sum(axis=0)
    inked = sub.any(axis=0)
    first = np.argmax(sub, axis=0)
    last = h - 1 - np.argmax(sub[::-1], axis=0)
    reach = np.where(inked, last - first + 1, 0)
    return (count >= DEFAULT_SIDE_SPAN * h) | ((reach >= DEFAULT_SIDE_SPAN * h)
                                                & (count >= DEFAULT_BROKEN_SIDE * h))


def is_ticked(gray: np.ndarray, bbox: Box, scale: PageScale | None = None) -> tuple[bool, float]:
    """Ticked or not for a box known in advance (e.g. from the template), with confidence.

    The given box may be loose: the box found nearest to it is used when there is one,
    otherwise the interior of the given box with a margin for its border.
    """
    x0, y0, x1, y1 = bbox
    w, h = x1 - x0, y1 - y0
    pad = max(w, h)
    if scale is None:
        scale = PageScale(stroke=2.0, text_height=float(max(w, h)), line_thickness=2.0)
    near = find_checkboxes(gray, region=(x0 - pad, y0 - pad, x1 + pad, y1 + pad), scale=scale)
    best = max(near, key=lambda b: _iou(b.bbox, bbox), default=None)
    if best is not None and _iou(best.bbox, bbox) >= 0.3:
        return best.ticked, best.score
    crop, ox, oy = _prepare(gray, (x0 - pad, y0 - pad, x1 + pad, y1 + pad))
    binary = binarize(crop, window=max(15, 2 * pad + 1))
    clean = _strip_long_lines(binary, scale.text_height)
    band = max(2, round(0.2 * min(w, h)), round(scale.stroke) + 1)
    fill, _ = _fill_and_ortho(clean, _interior((x0 - ox, y0 - oy, x1 - ox, y1 - oy), band))
    return _decide(fill)


def _iou(a: Box, b: Box) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0
