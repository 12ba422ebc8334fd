"""Text line boxes without OCR: ink blobs, ruling lines removed, merged along the line.

Used to pick the crops that the recognizer reads (classification, orientation) and by the
field extractor for free-text cells. Every length is a multiple of the measured character
height, so the same call works on a 150 DPI fax and a 600 DPI scan.

>>> import numpy as np, cv2
>>> img = np.full((100, 600), 255, np.uint8)
>>> for x in range(20, 200, 30): _ = cv2.rectangle(img, (x, 40), (x + 20, 60), 0, 3)
>>> find_text_lines(img)
[(19, 38, 193, 63)]
"""

from __future__ import annotations

import cv2
import numpy as np
from tasksheet.extract.scale import components

BBox = tuple[int, int, int, int]

DEFAULT_MAX_INK = 0.2  # more ink than this share of a page: the paper was thresholded
DEFAULT_INK_DARKNESS = 0.6  # then ink is darker than this share of the paper's brightness
DEFAULT_INK_MARGIN = 40  # or than this many grey levels under it, whichever is lighter
DEFAULT_GAP = 1.2  # horizontal gap (× text height) that still joins two blobs of one line
DEFAULT_RULE_LENGTH = 4.0  # a horizontal run this long (× text height) is a rule, not text
DEFAULT_VRULE_LENGTH = 1.8  # vertical: a glyph's stroke is at most about one height
DEFAULT_MIN_HEIGHT = 0.4  # lines lower than this (× text height) are specks or underlines
DEFAULT_MAX_HEIGHT = 3.0  # taller blobs are seals, signatures, pictures
DEFAULT_BAND_INK = 0.6  # × text height: ink pixels a row of a text band holds at least
DEFAULT_TWO_LINES = 1.6  # × text height: a taller box may be two lines set close
# × text height: a box this tall may still be two lines in a smaller font (a narrow cell's
# wrapped words), if its parts lie one under the other, not side by side (a wavy hand)
DEFAULT_TWO_SMALL_LINES = 1.2
DEFAULT_SPLIT_PART = 0.4  # × text height: least height of each line parted from the other
DEFAULT_VALLEY = 0.1  # × a row's usual ink: a row this bare between two lines parts them
DEFAULT_BAND_GAP = 0.25  # × text height: sparse rows shorter than this do not split a band
# × the fuller row within a line's height either side: a row of a tall band with at most
# this much ink parts two lines of print set close (`_valley_cuts`)
DEFAULT_VALLEY_CUT = 0.4
DEFAULT_LINE_PEAK = 0.25  # × the fuller side's fullest row: the least the other's holds
# of a box's ink: the most its blobs that a cut between two lines set close runs through
# may hold (`_crossed_ink`: a stray stroke joins them; a line cut in its middle is all)
DEFAULT_CROSSED = 1 / 3


def to_ink(image: np.ndarray) -> np.ndarray:
    """Ink mask (uint8 0/255, ink = 255) from BGR, grey (dark ink) or a bool/0-255 mask.

    A bool array is taken as the ink mask itself; a 0/255 array whose 255s are the minority
    is taken as an ink mask, otherwise as a grey page (dark ink).
    """
    if image.dtype == bool:
        return image.astype(np.uint8) * 255
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    values = np.unique(grey[:: max(1, grey.shape[0] // 64), :: max(1, grey.shape[1] // 64)])
    if values.size <= 2 and set(values.tolist()) <= {0, 255}:
        if np.count_nonzero(grey) < grey.size / 2:
            return grey.copy()
        return cv2.bitwise_not(grey)
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if cv2.countNonZero(ink) > DEFAULT_MAX_INK * ink.size:
        # Otsu split the paper's own shading (a nearly blank page): ink is then what is
        # clearly darker than the paper; thin grey print stays in by a fixed margin
        paper = float(np.median(grey))
        cut = max(DEFAULT_INK_DARKNESS * paper, paper - DEFAULT_INK_MARGIN)
        _, ink = cv2.threshold(grey, int(cut), 255, cv2.THRESH_BINARY_INV)
    return ink


def _region_ink(image: np.ndarray, box: BBox) -> np.ndarray:
    """`to_ink(image)` cut to `box`, without converting the whole page first when `image` is
    already a mask (a cell's lines are looked for hundreds of times a page: a full-page
    copy each time cost more than the cell's own work). A grey page keeps its page-wide
    threshold, so the result is the same as cutting `to_ink(image)`."""
    x0, y0, x1, y1 = box
    if image.dtype == bool:
        return image[y0:y1, x0:x1].astype(np.uint8) * 255
    if image.ndim == 2:
        values = np.unique(image[:: max(1, image.shape[0] // 64), :: max(1, image.shape[1] // 64)])
        if values.size <= 2 and set(values.tolist()) <= {0, 255}:
            part = image[y0:y1, x0:x1]
            if part.size == 0 or np.count_nonzero(image) < image.size / 2:
                return part.copy()
            return cv2.bitwise_not(part)
    return to_ink(image)[y0:y1, x0:x1]


def vertical_rules(ink: np.ndarray, text_height: float) -> np.ndarray:
    """The upright runs of `ink` taller than a glyph's stroke (`DEFAULT_VRULE_LENGTH`): a
    table's verticals, a scanner's streak."""
    vlen = max(int(DEFAULT_VRULE_LENGTH * text_height), 10)
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vlen)))


def without(ink: np.ndarray, runs: np.ndarray) -> np.ndarray:
    """`ink` with `runs` and their rim (a pixel round them) taken out."""
    return cv2.bitwise_and(ink, cv2.bitwise_not(cv2.dilate(runs, np.ones((3, 3), np.uint8))))


def remove_rules(ink: np.ndarray, text_height: float) -> np.ndarray:
    """The ink mask without long horizontal and vertical runs (table rules, underlines)."""
    hlen = max(int(DEFAULT_RULE_LENGTH * text_height), 15)
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hlen, 1)))
    return without(ink, cv2.bitwise_or(horiz, vertical_rules(ink, text_height)))


def estimate_text_height(ink: np.ndarray) -> float:
    """Typical character height: an upper percentile of blob heights (CJK glyphs split into
    several blobs, so the median alone would be a radical, not a character)."""
    n, _, stats, _ = components(ink)
    if n <= 1:
        return 0.0
    h = stats[1:, cv2.CC_STAT_HEIGHT].astype(float)
    w = stats[1:, cv2.CC_STAT_WIDTH].astype(float)
    limit = max(ink.shape) / 20.0
    keep = (h >= 4) & (h <= limit) & (w <= limit) & (stats[1:, cv2.CC_STAT_AREA] >= 6)
    if keep.sum() < 3:
        return 0.0
    return float(np.percentile(h[keep], 80))


def find_text_lines(binary_or_gray: np.ndarray, text_height: float | None = None,
                    region: BBox | None = None, bridged: bool = False) -> list[BBox]:
    """Text line boxes (x0, y0, x1, y1) in reading order, in the input image's pixels.

    `region` limits the search to a box; `text_height` (px) skips the measurement.
    """
    ox = oy = 0
    if region is not None:
        x0, y0, x1, y1 = (int(v) for v in region)
        ox, oy = max(x0, 0), max(y0, 0)
        ink = _region_ink(binary_or_gray, (ox, oy, x1, y1))
    else:
        ink = to_ink(binary_or_gray)
    # a blank cell, or one holding only its rules, has no line: the morphology is skipped
    # (the outline looks in every cell of every table, most of them blank or rules only)
    if ink.size == 0 or not cv2.countNonZero(ink):
        return []
    th = float(text_height) if text_height else estimate_text_height(ink)
    if th <= 0:
        return []
    clean = remove_rules(ink, th)
    if not cv2.countNonZero(clean):
        return []
    boxes = lines_from_ink(clean, th, bridged=bridged)
    return [(x0 + ox, y0 + oy, x1 + ox, y1 + oy) for x0, y0, x1, y1 in boxes]


def _valley_cuts(ink: np.ndarray, th: float) -> list[int]:
    """Rows at which to part a box of several lines of print: each the lowest row of a
    valley holding at most `DEFAULT_VALLEY_CUT` of the ink of the fuller row on its either
    side within a line's height, each side a line of print (the lesser side's fullest row
    holds at least `DEFAULT_LINE_PEAK` of the other's: a cross's arm or a figure's top
    over a line is no line), and parts at least `DEFAULT_SPLIT_PART` tall. Lines set
    close (a word processor's single spacing) and joined by what crosses between them (a
    seal's arc text, a pen's stroke, a 1-bit scan's swollen strokes) hold few rows of ink
    between them, far fewer than the print either side: such a box has no row of blank
    paper to part it, nor rows sparse enough to be no text at all (`DEFAULT_BAND_INK`),
    yet its lines are still plain in its profile.

    >>> ink = np.zeros((66, 40), np.uint8)
    >>> ink[3:23, :] = ink[24:44, 5:] = ink[45:, 10:] = 1
    >>> ink[23, :5] = ink[44, :4] = 1
    >>> _valley_cuts(ink, 20.0)
    [23, 44]
    >>> ink[:23, 4:] = 0  # a tick over the line, not a line
    >>> _valley_cuts(ink, 20.0)
    [44]
    """
    rows = (ink > 0).sum(axis=1)
    n, part, reach = len(rows), max(1, round(DEFAULT_SPLIT_PART * th)), max(1, round(th))
    if n < 2 * part:
        return []
    best, at = None, None
    for y in range(part, n - part + 1):
        above = rows[max(0, y - reach):y].max()
        below = rows[y + 1:y + 1 + reach].max() if y + 1 < n else 0
        if min(above, below) < DEFAULT_LINE_PEAK * max(above, below) or not below:
            continue
        ratio = rows[y] / min(above, below)
        if ratio <= DEFAULT_VALLEY_CUT and (best is None or ratio < best):
            best, at = ratio, y
    if at is None:
        return []
    return [*_valley_cuts(ink[:at], th), at, *(at + 1 + y for y in _valley_cuts(ink[at + 1:], th))]


def _bands(ink: np.ndarray, th: float) -> list[tuple[int, int]]:
    """Row bands of a tall blob where text is dense; a ring's or a stroke's sides are not."""
    dense = (ink > 0).sum(axis=1) > DEFAULT_BAND_INK * th
    bands, start = [], None
    for y, d in enumerate(np.append(dense, False)):
        if d and start is None:
            start = y
        elif not d and start is not None:
            if bands and start - bands[-1][1] < DEFAULT_BAND_GAP * th:
                bands[-1] = (bands[-1][0], y)
            else:
                bands.append((start, y))
            start = None
    return [(a, b) for a, b in bands if b - a >= DEFAULT_MIN_HEIGHT * th]


def lines_from_ink(ink: np.ndarray, text_height: float, _split_depth: int = 0,
                   bridged: bool = False) -> list[BBox]:
    """Merge ink blobs (rules already removed) into line boxes, in reading order. With
    `bridged`, a blob still too tall in its dense band is parted at its valleys (asked for
    by a reader that missed a printed label it knows is there: a row of print found so
    may hold the glyphs of a seal's arc level with it)."""
    th = text_height
    gap = max(int(round(DEFAULT_GAP * th)), 2)
    # Close small vertical gaps too, so that 三 or 二 stays one line and not three.
    ky = max(int(0.3 * th), 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (gap, ky))
    # Pad first: ink touching the border would not grow past it, and undoing the growth
    # below would then cut the first glyph of a line off.
    padded = cv2.copyMakeBorder(ink, ky, ky, gap, gap, cv2.BORDER_CONSTANT, value=0)
    joined = cv2.dilate(padded, kernel)
    n, _, stats, _ = components(joined)
    height, width = ink.shape[:2]
    boxes: list[list[int]] = []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        # undo the dilation's growth (anchor at the kernel centre) and the padding
        x0 = max(0, x + gap // 2 - gap)
        x1 = min(width, x + w - (gap - 1 - gap // 2) - gap)
        y0 = max(0, y + ky // 2 - ky)
        y1 = min(height, y + h - (ky - 1 - ky // 2) - ky)
        if x1 <= x0 or y1 <= y0:
            continue
        boxes.append([x0, y0, x1, y1])
    boxes = _merge_same_line(boxes, th, gap)
    out = []
    for x0, y0, x1, y1 in boxes:
        h = y1 - y0
        if h > DEFAULT_MAX_HEIGHT * th and not _split_depth:
            # a line touching a signature or a seal ring: cut the blob at its sparse rows
            for b0, b1 in _bands(ink[y0:y1, x0:x1], th):
                out += [(int(bx0 + x0), int(by0 + y0 + b0), int(bx1 + x0), int(by1 + y0 + b0))
                        for bx0, by0, bx1, by1
                        in lines_from_ink(ink[y0 + b0:y0 + b1, x0:x1], th, _split_depth=1,
                                          bridged=bridged)]
            continue
        if h > DEFAULT_MAX_HEIGHT * th and _split_depth == 1 and bridged:
            # still too tall within its dense band: lines set close, bridged by what
            # crosses between them (a black seal's arc text, a pen's stroke), are parted
            # at the clear valleys of the blob's own rows; a part is kept only as a line
            # of print (`DEFAULT_TWO_SMALL_LINES` at most): a taller one is still a pen's
            # loops or a seal's marks run into print, left out as the blob was
            sub = ink[y0:y1, x0:x1]
            cuts = _valley_cuts(sub, th)
            for c0, part in _part_ink(sub, cuts, th) if cuts else ():
                out += [(int(bx0 + x0), int(by0 + y0 + c0), int(bx1 + x0), int(by1 + y0 + c0))
                        for bx0, by0, bx1, by1 in lines_from_ink(part, th, _split_depth=2)
                        if by1 - by0 <= DEFAULT_TWO_SMALL_LINES * th]
            continue
        if h < DEFAULT_MIN_HEIGHT * th or h > DEFAULT_MAX_HEIGHT * th:
            continue
        parts = _blank_row_split(ink[y0:y1, x0:x1], th) if h > DEFAULT_TWO_SMALL_LINES * th \
            else []
        if len(parts) > 1 and h <= DEFAULT_TWO_LINES * th and not _stacked(ink[y0:y1, x0:x1],
                                                                            parts):
            parts = []
        if len(parts) > 1 and not _split_depth:
            # two lines set close (a word processor's single spacing) joined by the
            # vertical closing: a row of blank paper between them parts them again
            for b0, part in _part_ink(ink[y0:y1, x0:x1], [b for b, _ in parts[1:]], th):
                out += [(int(bx0 + x0), int(by0 + y0 + b0), int(bx1 + x0), int(by1 + y0 + b0))
                        for bx0, by0, bx1, by1 in lines_from_ink(part, th, _split_depth=1)]
            continue
        if (x1 - x0) < 0.3 * th:
            continue
        sub = ink[y0:y1, x0:x1]
        ys, xs = np.nonzero(sub)
        if ys.size == 0:
            continue
        out.append((int(x0 + xs.min()), int(y0 + ys.min()), int(x0 + xs.max() + 1),
                    int(y0 + ys.max() + 1)))
    return reading_order(out)


def _part_ink(ink: np.ndarray, cuts: list[int], th: float) -> list[tuple[int, np.ndarray]]:
    """The ink of each part of a box cut at rows `cuts`, each from its first row: its rows,
    but a glyph's piece (a connected component no taller than a line) that the cut runs
    through goes whole to the part holding its middle row. Lines set close touch: a stroke
    of one line reaching past the cut into the next's rows is its own line's (a label's
    foot read as `项口` at the head of the opinion below it). A pen's stroke taller than a
    line is cut with the rows, as before.

    >>> ink = np.zeros((20, 12), np.uint8); ink[2:11, 1:3] = 255; ink[9:18, 6:9] = 255
    >>> [(top, int(p.sum() // 255)) for top, p in _part_ink(ink, [9], 10.0)]
    [(0, 18), (9, 27)]
    """
    bounds = [0, *cuts, ink.shape[0]]
    n, labels, stats, _ = components(ink)
    tops, heights = stats[:, cv2.CC_STAT_TOP], stats[:, cv2.CC_STAT_HEIGHT]
    part = np.searchsorted(np.asarray(cuts), tops + heights / 2, side="right")
    small = heights <= th
    small[0] = False  # the background
    out = []
    for k, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)):
        mine, others = small & (part == k), small & (part != k)
        top = int(min([a, *tops[mine]]))
        bottom = int(max([b, *(tops[mine] + heights[mine])]))
        lab = labels[top:bottom]
        rows = np.arange(top, bottom)[:, None]
        keep = (((rows >= a) & (rows < b)) & ~others[lab]) | mine[lab]
        piece = np.where(keep, ink[top:bottom], 0).astype(np.uint8)
        if piece.any():
            out.append((top, piece))
    return out


def _stacked(ink: np.ndarray, parts: list[tuple[int, int]]) -> bool:
    """Whether each row range's ink lies under the one before it (lines of a wrapped cell),
    over at least half the narrower's width, rather than beside it (one wavy line)."""
    spans = []
    for a, b in parts:
        xs = np.nonzero(ink[a:b].any(axis=0))[0]
        if xs.size == 0:
            return False
        spans.append((int(xs.min()), int(xs.max()) + 1))
    return all(min(p[1], q[1]) - max(p[0], q[0]) >= 0.5 * min(p[1] - p[0], q[1] - q[0])
               for p, q in zip(spans, spans[1:], strict=False))


def _blank_row_split(ink: np.ndarray, th: float) -> list[tuple[int, int]]:
    """Row ranges of `ink` parted by rows with no ink, each at least half a line tall."""
    rows = (ink > 0).sum(axis=1)
    parts, start = [], None
    for y, n in enumerate(np.append(rows, 0)):
        if n and start is None:
            start = y
        elif not n and start is not None:
            parts.append((start, y))
            start = None
    if len(parts) == 1 and len(rows) > 2 * DEFAULT_SPLIT_PART * th:
        # no blank row: a pen's stroke may touch the line above; part them at a clear
        # valley of ink between two lines' worth of rows
        lo, hi = round(DEFAULT_SPLIT_PART * th), len(rows) - round(DEFAULT_SPLIT_PART * th)
        y = lo + int(np.argmin(rows[lo:hi]))
        if rows[y] <= DEFAULT_VALLEY * np.median(rows[rows > 0]):
            parts = [(parts[0][0], y), (y + 1, parts[0][1])]
        else:
            # a hand's stroke run into the print over it leaves the valley more ink than a
            # tenth of a row's usual: two lines still, if each side is a line of print and
            # the valley is clear against the sparser one (`_valley_cuts`: a 五 label over
            # its handwritten opinion set close under it, a 1-bit scan's `项目委托单位：`
            # whose 托 the opinion's 意 touches)
            cuts = _valley_cuts(ink, th)
            if cuts and _crossed_ink(ink, cuts) <= DEFAULT_CROSSED:
                bounds = [parts[0][0], *cuts, parts[0][1]]
                parts = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False)]
    merged: list[tuple[int, int]] = []
    for a, b in parts:  # a radical's own gap (三, 二) stays inside its line
        if merged and (b - a < DEFAULT_SPLIT_PART * th or
                       merged[-1][1] - merged[-1][0] < DEFAULT_SPLIT_PART * th):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _crossed_ink(ink: np.ndarray, cuts: list[int]) -> float:
    """The share of the ink of `ink` in blobs that a cut at rows `cuts` runs through. Two
    lines set close touch where a stroke strays (a hand's foot on the label over it): few
    blobs span the cut. A cut through one line's middle runs through nearly every glyph.

    >>> ink = np.zeros((20, 30), np.uint8); ink[2:9, 2:8] = ink[11:18, 12:18] = 1
    >>> ink[8:12, 20:22] = 1  # a stroke joining the two lines
    >>> round(_crossed_ink(ink, [10]), 2)
    0.09
    """
    _, _, stats, _ = components((ink > 0).astype(np.uint8))
    top, height, area = stats[1:, cv2.CC_STAT_TOP], stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, 4]
    crossed = np.zeros(len(area), bool)
    for c in cuts:
        crossed |= (top < c) & (top + height > c + 1)
    return float(area[crossed].sum()) / max(1, int(area.sum()))


def _merge_same_line(boxes: list[list[int]], th: float, gap: int) -> list[list[int]]:
    """Join boxes that overlap vertically by half the smaller height and are close in x.

    Each box joins the first box kept so far that it fits, in order of left edges, until
    a pass joins none. A page-wide search holds hundreds of boxes: there each box is
    tested against the kept ones in one numpy step (the same tests, the same first
    match), not one by one (#20: the pairwise loop was 1.6 of 116 CPU s)."""
    boxes = sorted(boxes, key=lambda b: b[0])
    changed = True
    while changed:
        if len(boxes) > DEFAULT_VECTOR_BOXES:
            boxes, changed = _merge_pass_vector(boxes, th, gap)
            continue
        changed = False
        out: list[list[int]] = []
        for b in boxes:
            for o in out:
                ov = min(o[3], b[3]) - max(o[1], b[1])
                small = min(o[3] - o[1], b[3] - b[1])
                hgap = max(o[0], b[0]) - min(o[2], b[2])
                if ov >= 0.5 * small and hgap <= gap and max(o[3], b[3]) - min(o[1], b[1]) <= 2.2 * th:
                    o[0], o[1] = min(o[0], b[0]), min(o[1], b[1])
                    o[2], o[3] = max(o[2], b[2]), max(o[3], b[3])
                    changed = True
                    break
            else:
                out.append(list(b))
        boxes = out
    return boxes


DEFAULT_VECTOR_BOXES = 48  # more boxes than this: `_merge_same_line` tests them in numpy


def _merge_pass_vector(boxes: list[list[int]], th: float, gap: int
                       ) -> tuple[list[list[int]], bool]:
    """One pass of `_merge_same_line`, each box tested against every kept box at once."""
    kept = np.zeros((len(boxes), 4), np.int64)
    k = 0
    changed = False
    tall = 2.2 * th
    for b in boxes:
        if k:
            o = kept[:k]
            ov = np.minimum(o[:, 3], b[3]) - np.maximum(o[:, 1], b[1])
            small = np.minimum(o[:, 3] - o[:, 1], b[3] - b[1])
            hgap = np.maximum(o[:, 0], b[0]) - np.minimum(o[:, 2], b[2])
            span = np.maximum(o[:, 3], b[3]) - np.minimum(o[:, 1], b[1])
            fits = np.flatnonzero((ov >= 0.5 * small) & (hgap <= gap) & (span <= tall))
            if fits.size:
                i = fits[0]
                kept[i, 0], kept[i, 1] = min(kept[i, 0], b[0]), min(kept[i, 1], b[1])
                kept[i, 2], kept[i, 3] = max(kept[i, 2], b[2]), max(kept[i, 3], b[3])
                changed = True
                continue
        kept[k] = b
        k += 1
    return [[int(v) for v in row] for row in kept[:k]], changed


def reading_order(boxes: list[BBox]) -> list[BBox]:
    """Rows top to bottom (boxes whose centres share a row), left to right within a row."""
    rows: list[list[BBox]] = []
    for b in sorted(boxes, key=lambda b: (b[1] + b[3]) / 2):
        cy = (b[1] + b[3]) / 2
        if rows:
            last = rows[-1]
            ry0 = min(r[1] for r in last)
            ry1 = max(r[3] for r in last)
            if ry0 <= cy <= ry1:
                last.append(b)
                continue
        rows.append([b])
    return [b for row in rows for b in sorted(row, key=lambda b: b[0])]
