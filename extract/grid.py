"""Bordered tables: ruling lines → ruling positions → grid slots → cells with spans.

The pipeline is the pdfplumber one (edges → intersections → cells) done on pixels:

1. ``line_masks`` opens the binary page with long thin kernels (lengths scaled from the
   character height, so text strokes vanish) and closes small gaps in what is left.
2. ``find_lines`` turns the masks into ``Segment`` s (end points and thickness).
3. ``segments_to_tables`` groups segments that cross each other; a group needs vertical
   rulings, so the underlines of the cover page are not tables.
4. ``table_to_grid`` clusters the rulings into row / column positions, then decides for
   every pair of adjacent slots whether a segment covers most of their shared edge; slots
   not separated are merged, which yields row and column spans.

Skew up to a degree or so is handled by measuring the slope of the long rulings and
evaluating every ruling position along that slope instead of rotating the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np
from tasksheet.extract.scale import (
    PageScale,
    binarize,
    ink_gray,
    measure_scale,
    percentile_u8,
    shrink_binary,
)

Box = tuple[int, int, int, int]

DEFAULT_WORK_TEXT_HEIGHT = 16  # px per character at which lines are looked for
DEFAULT_H_KERNEL = 1.5  # × text height: shortest horizontal ruling piece kept
DEFAULT_V_KERNEL = 0.9  # × text height: rows of one text line are only ~1.5 high
DEFAULT_GAP = 0.6  # × text height: gaps bridged in a broken ruling
DEFAULT_TOUCH = 0.25  # × text height: how near a segment end must be to a crossing ruling
DEFAULT_CLUSTER = 0.3  # × text height: segments this close are one ruling
DEFAULT_COVER = 0.5  # fraction of a shared edge a ruling must cover to separate slots
DEFAULT_MIN_ROW = 1.2  # × text height: the shortest row a table can have
DEFAULT_ROW_END = 0.15  # × text height: how far a row's own ruling may overshoot the row's
# rulings (a 300-DPI scan's 3 px ruling, blurred); a glyph's stroke never reaches them
DEFAULT_ROW_SHORT = 0.1  # × text height: and stop short of them (a glyph stops a padding short)
DEFAULT_FRAMED_CELLS = 4  # a table inside a lone cell, making that cell a frame, has this many
DEFAULT_FRAMED_SHARE = 0.25  # or covers this share of the lone cell
DEFAULT_THICK = 2.5  # × line thickness: thicker short vertical pieces are pen strokes
DEFAULT_SHORT = 4.0  # × text height: ... if shorter than this
DEFAULT_SIDE_BAND = 0.5  # × text height: the band beside a vertical ruling that is looked at
DEFAULT_CROWDED = 0.25  # ink share on both sides above which a vertical stroke is a scribble
DEFAULT_PAPER_WINDOW = 7  # px: a max filter this wide sees the paper beside a thin line
DEFAULT_FAINT_DELTA = 50  # grey levels below the paper that still count as a ruling's ink
DEFAULT_LONG_RULING = 0.4  # share of the table a ruling spans before a faded end is closed
DEFAULT_EXTEND = 1.5  # × text height: a loose ruling end is extended this far to a crossing
DEFAULT_ROW_LOCAL = 0.9  # share of its row a ruling of that row alone covers
DEFAULT_SHORT_V = 2.0  # × text height: a shorter vertical must touch the rulings it joins
DEFAULT_HIDDEN_SHARE = 0.25  # of a gap coloured: a ruling's end hidden under a seal's ink
DEFAULT_LINE_SHARE = 0.5  # of a row-local divider's length drawn as a line, not a step
DEFAULT_MEET = 0.25  # × text height: how near a short vertical's ends must come to rulings
DEFAULT_SHORT_RULING = 2  # rows: a vertical closing this few must meet rulings at both ends
DEFAULT_GLYPH_BAR = 2.5  # × text height: a bar this short close to a ruling is a glyph's
DEFAULT_FILL_CLOSE = 1.2  # × text height: white text in a solid block is closed over by this
DEFAULT_FILL_OPEN = 0.4  # × text height: thinner dark strokes (rulings, print) are no fill
DEFAULT_FILL_MIN = 1.5  # × text height: the smallest side of a solid block (a ■ is smaller)
DEFAULT_FILL_SHARE = 0.6  # share of a block dark from which it is a fill, not print
DEFAULT_FILL_DARK = 0.45  # × paper: the tone of a solid fill (print on it is the paper's)
DEFAULT_STREAK_END = 1.0  # × text height: a vertical running this far past the last ruling
# it crosses, with no ruling closing it there, is looked at as a streak (a table's side
# overshoots its corner by a line's width; a glyph standing on a ruling, joined to the
# divider under it, reaches some 0.6 of a text height past it, seed 191 doc-0021)
DEFAULT_STREAK_LEVEL = 25  # percentile of a loose run's depth taken for the streak's tone
DEFAULT_STREAK_SPAN = 0.5  # share of the page's height a streak's collinear pieces span at least
DEFAULT_STREAK_COVER = 1 / 3  # share of that span its pieces cover (glyphs on a line: a few)
DEFAULT_STREAK_THIN = 0.5  # × the crossed rulings' thickness: a line this thin is no ruling
DEFAULT_SPLIT_SHARE = 1 / 3  # of the faint margin: each half of a line split over two pixels
DEFAULT_SPLIT_THIN = 2.0  # px: a ruling this thick always keeps a whole pixel of its tone
DEFAULT_STEP_TURN = 0.015  # slope off the page's rulings' (~0.9 deg) past which a piece is a pen's
DEFAULT_ONE_PIXEL = 1.5  # px: ruling pieces thinner than this (ink per length) are one pixel
# thick, a little more where they step; a two-pixel line blurred by a scan measures 1.7 up
DEFAULT_DASHED_LINES = 2  # row rulings in dashes (a table has two) that tell a split page
DEFAULT_TURN_DRIFT = 4.0  # × line thickness: rulings drifting this far across the page are turned
DEFAULT_STREAK_TURN = 2.0  # × line thickness: how far a streak strays from the rulings' normal


@dataclass(frozen=True)
class Segment:
    """A ruling piece from (x0, y0) to (x1, y1) along its centre line (left→right, top→bottom)."""

    x0: float
    y0: float
    x1: float
    y1: float
    thickness: float

    @property
    def horizontal(self) -> bool:
        return abs(self.x1 - self.x0) >= abs(self.y1 - self.y0)

    @property
    def length(self) -> float:
        return float(np.hypot(self.x1 - self.x0, self.y1 - self.y0))


@dataclass(frozen=True)
class Cell:
    """One cell; ``bbox`` is its interior, between the ruling lines."""

    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: Box


@dataclass
class Grid:
    """A bordered table: ruling positions (at the table's centre) and cells with spans."""

    bbox: Box
    rows: list[int]
    cols: list[int]
    cells: list[Cell] = field(default_factory=list)

    def cell_at(self, row: int, col: int) -> Cell | None:
        """The cell covering grid slot (row, col), merged cells included."""
        for c in self.cells:
            if c.row <= row < c.row + c.rowspan and c.col <= col < c.col + c.colspan:
                return c
        return None

    def rows_of_cells(self) -> list[list[Cell]]:
        """Cells grouped by their starting row, each group left to right."""
        out: dict[int, list[Cell]] = {}
        for c in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out.setdefault(c.row, []).append(c)
        return [out[r] for r in sorted(out)]


# ---------------------------------------------------------------- lines


def line_masks(binary: np.ndarray, scale: PageScale) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling masks (uint8 0/255) of a binary page."""
    th = scale.text_height
    hk = max(10, round(DEFAULT_H_KERNEL * th))
    vk = max(8, round(DEFAULT_V_KERNEL * th))
    gap = max(3, round(DEFAULT_GAP * th))
    # A 3-px-thick kernel band tolerates residual skew without admitting text strokes.
    horiz = cv2.morphologyEx(
        binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hk, 1))
    )
    # A one-row kernel sees one row only: the gaps are closed in the rows (columns) that
    # hold ink after the opening, a few hundred, not in the whole page.
    held = np.flatnonzero(horiz.max(axis=1))
    if held.size:
        horiz[held] = cv2.morphologyEx(
            horiz[held], cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1))
        )
    vert = cv2.morphologyEx(
        binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vk))
    )
    held = np.flatnonzero(vert.max(axis=0))
    if held.size:
        vert[:, held] = cv2.morphologyEx(
            np.ascontiguousarray(vert[:, held]), cv2.MORPH_CLOSE,
            cv2.getStructuringElement(cv2.MORPH_RECT, (1, gap)))
    return horiz, vert


def _compact_rows(mask: np.ndarray, horizontal: bool) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of rows (2k, 2k + 1) of `mask` (of its columns, as rows, when not
    `horizontal`) in which there is ink, in order, an empty pair between two that are
    not neighbours; and each compact row's row of `mask` (-1 for the empty ones).

    A ruling mask is empty but for a few hundred rows: its 8-connected components are
    those of the compact image (rows next to each other stay so, the others are kept
    apart), at a fraction of a full page's labelling. Whole pairs keep OpenCV's label
    order too: it labels 2 × 2 blocks, a component by its first block in block raster
    order, which the compact image keeps (same pairs, same order, same columns).
    """
    held = np.flatnonzero(mask.max(axis=1 if horizontal else 0))
    n = mask.shape[0 if horizontal else 1]
    width = mask.shape[1 if horizontal else 0]
    pairs = np.unique(held // 2)
    if pairs.size == 0:
        return np.zeros((0, width), mask.dtype), held
    at = np.arange(pairs.size) + np.concatenate([[0], np.cumsum(np.diff(pairs) > 1)])
    row_of = np.full(2 * (int(at[-1]) + 1), -1, np.int64)
    row_of[2 * at], row_of[2 * at + 1] = 2 * pairs, 2 * pairs + 1
    row_of[row_of >= n] = -1  # the last pair of an odd-sized mask
    compact = np.zeros((row_of.size, width), mask.dtype)
    keep = row_of >= 0
    compact[keep] = mask[row_of[keep]] if horizontal else mask[:, row_of[keep]].T
    return compact, row_of


def _mask_to_segments(mask: np.ndarray, horizontal: bool, min_len: int) -> list[Segment]:
    # components of the mask's rows that hold ink (the vertical mask's columns, as rows)
    m, row_of = _compact_rows(mask, horizontal)
    if m.shape[0] == 0:
        return []
    n, labels, stats, _ = cv2.connectedComponentsWithStats(m, connectivity=8)
    segs: list[Segment] = []
    for i in range(1, n):
        x, yc, w, h, area = (int(v) for v in stats[i])
        if w < min_len or h > w:
            continue
        # a component's compact rows are consecutive rows of the mask (an empty row parts)
        y = int(row_of[yc])
        end = max(2, min(w // 8, 40))
        sub = labels[yc : yc + h, x : x + w] == i
        ys = np.arange(y, y + h, dtype=np.float64)[:, None]

        def mid_y(block: np.ndarray, ys: np.ndarray = ys) -> float:
            cnt = block.sum()
            return float((block * ys).sum() / cnt) if cnt else float(ys.mean())

        ya, yb = mid_y(sub[:, :end]), mid_y(sub[:, -end:])
        xa, xb = x + end / 2 - 0.5, x + w - end / 2 - 0.5
        slope = (yb - ya) / (xb - xa) if xb > xa else 0.0
        y0, y1 = ya - slope * (xa - x), yb + slope * (x + w - 1 - xb)
        seg = (float(x), y0, float(x + w - 1), y1)
        thick = area / w
        if horizontal:
            segs.append(Segment(seg[0], seg[1], seg[2], seg[3], thick))
        else:
            segs.append(Segment(seg[1], seg[0], seg[3], seg[2], thick))
    return segs


def _stepped_ends(seg: Segment, binary: np.ndarray, kernel: int, turn: float = 0.0) -> Segment:
    """`seg` with each end carried on along its line through the ink it runs into, up to
    `kernel` px: the piece the opening took from a ruling that steps.

    A ruling turned against the pixel grid steps from row to row (column to column); the
    opening keeps a row's run only when it is a kernel long, and the last run before a
    ruling's end is any length up to the run between steps. A short last run lost, the
    ruling stops up to a kernel short of the ruling it meets at its corner (seed 9721
    doc-0014 p8: section 五's one-cell table, turned 2 deg, its four sides each 20 px short
    of the next: no crossing, no table). A level ruling's run ends where its ink does, and
    is left as it is. Only a piece turned as the page's rulings are (`turn`: their median
    slope, `_slope`) steps so: a pen's long stroke slants its own way, and carried on
    through a signature's ink it became a ruling that split the 签字 column (seed 9133
    doc-0018 p5, a photo: every member's signature lost)."""
    horizontal = seg.horizontal
    a0, b0, a1, b1 = (seg.x0, seg.y0, seg.x1, seg.y1) if horizontal else \
        (seg.y0, seg.x0, seg.y1, seg.x1)  # a: along the line, b: across it
    slope = (b1 - b0) / max(a1 - a0, 1.0)
    # a ruling's piece that stepped (its runs on two rows at least): a glyph's slanted
    # stroke (a pen's, a 丿) a kernel long or so is left alone
    if abs(slope) * (a1 - a0) < 1.0 or a1 - a0 < 2 * kernel:
        return seg
    if abs(slope - turn) > DEFAULT_STEP_TURN:
        return seg
    img = binary if horizontal else binary.T
    h, w = img.shape
    r = int(seg.thickness / 2) + 1
    k = np.arange(1, kernel + 1, dtype=np.float64)
    reach = []
    for sign, a, b in ((-1, a0, b0), (1, a1, b1)):
        at = np.round(a + sign * k).astype(int)
        across = np.round(b + sign * k * slope).astype(int)
        rows = across[:, None] + np.arange(-r, r + 1)[None, :]
        ok = (at >= 0) & (at < w)
        inked = np.zeros(k.size, bool)
        inked[ok] = (img[np.clip(rows[ok], 0, h - 1), at[ok, None]] > 0).any(axis=1)
        reach.append(float(np.argmin(inked)) if not inked.all() else float(kernel))
    a0, a1 = a0 - reach[0], a1 + reach[1]
    b0, b1 = b0 - reach[0] * slope, b1 + reach[1] * slope
    if horizontal:
        return Segment(a0, b0, a1, b1, seg.thickness)
    return Segment(b0, a0, b1, a1, seg.thickness)


def _scribble(seg: Segment, scale: PageScale) -> bool:
    """A short vertical piece far thicker than the page's rulings is a pen stroke."""
    return (seg.thickness > DEFAULT_THICK * scale.line_thickness + 1
            and seg.length < DEFAULT_SHORT * scale.text_height)


def _crowded(binary: np.ndarray, seg: Segment, th: float) -> bool:
    """A vertical stroke with ink packed on both sides is part of a scribble, not a ruling.

    A printed ruling has the cell's padding beside it; the straight strokes of a signature
    scrawled in a narrow 签字 cell sit among other strokes.
    """
    h, w = binary.shape
    x = int(round((seg.x0 + seg.x1) / 2))
    half = int(seg.thickness / 2) + 1
    band = max(3, int(DEFAULT_SIDE_BAND * th))
    y0, y1 = max(0, int(min(seg.y0, seg.y1))), min(h, int(max(seg.y0, seg.y1)) + 1)
    left = binary[y0:y1, max(0, x - half - band): max(0, x - half)]
    right = binary[y0:y1, min(w, x + half + 1): min(w, x + half + 1 + band)]
    if left.size == 0 or right.size == 0:
        return False
    return bool(left.mean() / 255 > DEFAULT_CROWDED and right.mean() / 255 > DEFAULT_CROWDED)


def find_lines(binary: np.ndarray, scale: PageScale) -> tuple[list[Segment], list[Segment]]:
    """Horizontal and vertical ruling segments of a binary page (ink = 255).

    Above ~16 px per character the page is shrunk first (any ink in a block stays ink, so
    thin rulings survive): a 300 DPI page costs what a 100 DPI one does.
    """
    f = max(1, int(scale.text_height // DEFAULT_WORK_TEXT_HEIGHT))
    if f > 1:
        binary = shrink_binary(binary, f)
        scale = PageScale(
            scale.stroke / f, scale.text_height / f, max(1.0, scale.line_thickness / f)
        )
    horiz, vert = line_masks(binary, scale)
    th = scale.text_height
    hk, vk = max(10, round(DEFAULT_H_KERNEL * th)), max(8, round(DEFAULT_V_KERNEL * th))
    hs, vs = _mask_to_segments(horiz, True, hk), _mask_to_segments(vert, False, vk)
    h_turn, v_turn = _slope(hs, True), _slope(vs, False)
    hs = [_stepped_ends(s, binary, hk, h_turn) for s in hs]
    vs = [_stepped_ends(s, binary, vk, v_turn) for s in vs]
    vs = [s for s in vs if not _scribble(s, scale) and not _crowded(binary, s, th)]
    if f > 1:
        c = (f - 1) / 2  # centre of a block
        hs = [
            Segment(s.x0 * f + c, s.y0 * f + c, s.x1 * f + c, s.y1 * f + c, s.thickness * f)
            for s in hs
        ]
        vs = [
            Segment(s.x0 * f + c, s.y0 * f + c, s.x1 * f + c, s.y1 * f + c, s.thickness * f)
            for s in vs
        ]
    return hs, vs


# ---------------------------------------------------------------- tables


def _slope(segs: list[Segment], horizontal: bool) -> float:
    """Length-weighted median slope (dy/dx for horizontals, dx/dy for verticals)."""
    if not segs:
        return 0.0
    s = np.array(
        [
            ((g.y1 - g.y0) / max(g.x1 - g.x0, 1))
            if horizontal
            else ((g.x1 - g.x0) / max(g.y1 - g.y0, 1))
            for g in segs
        ]
    )
    w = np.array([g.length for g in segs])
    long_ = w >= np.percentile(w, 50)
    s, w = s[long_], w[long_]
    order = np.argsort(s)
    cum = np.cumsum(w[order])
    return float(s[order][np.searchsorted(cum, cum[-1] / 2)])


def _crosses(h: Segment, v: Segment, tol: float) -> bool:
    vx = v.x0 + (v.x1 - v.x0) * ((h.y0 + h.y1) / 2 - v.y0) / max(v.y1 - v.y0, 1)
    hy = h.y0 + (h.y1 - h.y0) * (vx - h.x0) / max(h.x1 - h.x0, 1)
    return h.x0 - tol <= vx <= h.x1 + tol and v.y0 - tol <= hy <= v.y1 + tol


def segments_to_tables(
    hs: list[Segment], vs: list[Segment], scale: PageScale
) -> list[tuple[list[Segment], list[Segment]]]:
    """Groups of segments that cross one another; each group with ≥ 2 verticals is a table."""
    tol = DEFAULT_TOUCH * scale.text_height + scale.line_thickness
    n = len(hs)
    parent = list(range(n + len(vs)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    crossings = np.zeros((n, len(vs)), bool)
    # a vertical shorter than two text lines must touch the rulings it stands between: a
    # digit's stroke in a row of figures ends short of them (1 above 1 above 1 is no ruling)
    touch = scale.line_thickness + 1
    for j, v in enumerate(vs):
        near = tol if v.length >= DEFAULT_SHORT_V * scale.text_height else touch
        for i, h in enumerate(hs):
            crossings[i, j] = _crosses(h, v, near)
    # A ruling crosses two others (its ends are T-junctions or corners); a stroke of a
    # title or a handwritten digit touching the border crosses one and is short; an
    # underscore meeting two text strokes is dropped once those strokes are.
    long_v = np.array([v.length >= 2 * scale.text_height for v in vs], bool)
    long_h = np.array([h.length >= 3 * scale.text_height for h in hs], bool)
    good_h = np.ones(n, bool)
    good_v = np.ones(len(vs), bool)
    for _ in range(5):
        cv = (crossings & good_h[:, None]).sum(axis=0)
        new_v = (cv >= 2) | (long_v & (cv >= 1))
        ch = (crossings & new_v[None, :]).sum(axis=1)
        new_h = (ch >= 2) | (long_h & (ch >= 1))
        if (new_v == good_v).all() and (new_h == good_h).all():
            break
        good_v, good_h = new_v, new_h
    crossings &= good_h[:, None] & good_v[None, :]
    for i, j in zip(*np.nonzero(crossings), strict=True):
        parent[find(int(i))] = find(n + int(j))
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for j, v in enumerate(vs):
        if good_v[j]:
            groups.setdefault(find(n + j), ([], []))[1].append(v)
    for i, h in enumerate(hs):
        r = find(i)
        if good_h[i] and r in groups:
            groups[r][0].append(h)
    # Even a one-line row is ~1.5 characters high: shorter verticals alone make no table
    # (text strokes standing on an underline do).
    min_v = DEFAULT_MIN_ROW * scale.text_height
    tables = [
        g for g in groups.values() if len(g[0]) >= 1 and sum(v.length >= min_v for v in g[1]) >= 2
    ]
    left = [s for g in groups.values() if not any(g is t for t in tables) for s in g[0] + g[1]]
    _join_collinear(tables, left, DEFAULT_CLUSTER * scale.text_height + scale.line_thickness)
    tables.sort(key=lambda g: (min(s.y0 for s in g[1]), min(s.x0 for s in g[1])))
    return tables


def _join_collinear(tables: list[tuple[list[Segment], list[Segment]]], pieces: list[Segment],
                    tol: float) -> None:
    """Give each table the loose ruling pieces lying on the line of one of its rulings.

    A ruling is drawn straight across its table: where a seal or a stamp's ink breaks the
    rulings round a cell, the pieces left of it cross only one another and fall apart from
    the grid, yet each still lies on the line of a ruling of that table, inside its outline
    (a row-local divider under a seal is one of them). Pieces off every ruling's line stay
    out: a stroke of text does not line up with a ruling by chance.
    """
    for hs, vs in tables:
        if not pieces:
            return
        sh, sv = _slope(hs, True), _slope(vs, False)
        cx = float(np.mean([(s.x0 + s.x1) / 2 for s in hs + vs]))
        cy = float(np.mean([(s.y0 + s.y1) / 2 for s in hs + vs]))

        def pos(s: Segment, sh: float = sh, sv: float = sv, cx: float = cx,
                cy: float = cy) -> float:
            if s.horizontal:
                return (s.y0 + s.y1) / 2 - sh * ((s.x0 + s.x1) / 2 - cx)
            return (s.x0 + s.x1) / 2 - sv * ((s.y0 + s.y1) / 2 - cy)

        rows = np.array([pos(s) for s in hs])
        cols = np.array([pos(s) for s in vs])
        x0 = min(min(s.x0, s.x1) for s in hs + vs) - tol
        x1 = max(max(s.x0, s.x1) for s in hs + vs) + tol
        y0 = min(min(s.y0, s.y1) for s in hs + vs) - tol
        y1 = max(max(s.y0, s.y1) for s in hs + vs) + tol
        rest = []
        for s in pieces:
            inside = x0 <= min(s.x0, s.x1) and max(s.x0, s.x1) <= x1 \
                and y0 <= min(s.y0, s.y1) and max(s.y0, s.y1) <= y1
            lines = rows if s.horizontal else cols
            if inside and lines.size and float(np.min(np.abs(lines - pos(s)))) <= tol:
                (hs if s.horizontal else vs).append(s)
            else:
                rest.append(s)
        pieces = rest


def _cluster(pos: np.ndarray, weight: np.ndarray, tol: float) -> list[tuple[float, list[int]]]:
    order = np.argsort(pos)
    out: list[tuple[float, list[int]]] = []
    cur: list[int] = []
    for i in order:
        if cur and pos[i] - pos[cur[-1]] > tol:
            out.append((float(np.average(pos[cur], weights=weight[cur])), cur))
            cur = []
        cur.append(int(i))
    if cur:
        out.append((float(np.average(pos[cur], weights=weight[cur])), cur))
    return out


def _coverage(intervals: list[tuple[float, float]], a: float, b: float) -> float:
    if b <= a:
        return 1.0
    covered, end = 0.0, a
    for s, e in sorted(intervals):
        s, e = max(s, end), min(e, b)
        if e > s:
            covered += e - s
            end = e
    return covered / (b - a)


def _bridge(
    intervals: list[tuple[float, float]] | None,
    crossing: list[tuple[float, list[tuple[float, float]] | None]],
    pos: float,
    tol: float,
    reach: float,
) -> list[tuple[float, float]] | None:
    """Bridge the gaps of a ruling that do not start and end at crossing rulings.

    A ruling stops for a merged cell only at a T-junction: a crossing ruling that is
    really there at this ruling's position `pos`. A gap with an end in the middle of a slot
    is a seal, a signature or a scanner dropout (a faded stretch) over the line. A ruling
    that already spans most of the table and stops short of a T-junction faded away:
    it is extended to the next real crossing, however far.
    """
    if not intervals:
        return intervals
    merged: list[list[float]] = []
    for s, e in sorted(intervals):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    pts = np.array([q for q, _ in crossing])
    real = np.array([q for q, ivs in crossing
                     if ivs is None or any(a - tol <= pos <= b + tol for a, b in ivs)])

    def at_crossing(x: float) -> bool:
        return bool(real.size) and float(np.min(np.abs(real - x))) <= tol

    out = [merged[0]]
    for s, e in merged[1:]:
        if at_crossing(out[-1][1]) and at_crossing(s):
            out.append([s, e])
        else:
            out[-1][1] = e
    covered = sum(b - a for a, b in out)
    span = float(pts.max() - pts.min()) if pts.size > 1 else 0.0
    long_ruling = span > 0 and covered >= DEFAULT_LONG_RULING * span
    # A loose end short of a crossing lost its last piece to the opening: extend it.
    for iv in out:
        for k, sign in ((0, -1), (1, 1)):
            if real.size and not at_crossing(iv[k]):
                ahead = (real - iv[k]) * sign
                limit = span if long_ruling else reach
                ahead = ahead[(ahead > 0) & (ahead <= limit)]
                if ahead.size:
                    iv[k] += sign * float(ahead.min())
    return [(a, b) for a, b in out]


def _row_local(intervals: list[tuple[float, float]] | None, rows: list[float], tol: float,
               min_row: float, over: float | None = None) -> bool:
    """A vertical ruling that spans exactly one row (of a table row's height at least), from
    its top ruling to its bottom one, meeting both (`tol`: a glyph's stroke in a cell of two
    lines of text stops short of them, inside the cell's padding). It may run past them by
    `over` (a blurred scan's divider overshoots its rulings; a glyph never reaches them)."""
    if not intervals:
        return False
    over = tol if over is None else over
    top, bottom = min(a for a, _ in intervals), max(b for _, b in intervals)
    for r in range(len(rows) - 1):
        if rows[r + 1] - rows[r] >= min_row and -over <= top - rows[r] <= tol \
                and -tol <= bottom - rows[r + 1] <= over \
                and _coverage(intervals, rows[r], rows[r + 1]) >= DEFAULT_ROW_LOCAL:
            return True
    return False


def _column_at(pos: float, sv: float, cy: float):
    """x on the page of the column ruling at projected position `pos`, at page y."""
    return lambda y: pos + sv * (y - cy)


def _meets_rulings(intervals: list[tuple[float, float]] | None, rows: list[float],
                   closed: int, tol: float, x_at=None, image: np.ndarray | None = None
                   ) -> bool:
    """A vertical ruling runs from a row ruling to a row ruling: its drawn ends meet them
    (`tol`; the opening keeps a ruling's pixels through the junction). A short one (it
    closes `DEFAULT_SHORT_RULING` rows or fewer) that stops on paper in the middle of a
    row is strokes lined up across a ruling: two glyphs of stacked text lines joined
    through the ruling between them (a descender above, a stem below, on a blurred JPEG),
    or the near-vertical side of a seal's ring on a grey scan (settlement-sheet-two-seals
    in grey: mid-grey, it binarises as ink). An end under a red seal's ink is hidden, not
    loose (`_covered`). A longer ruling may have lost an end to a faded junction (`_bridge`
    extends it)."""
    if intervals is None or closed > DEFAULT_SHORT_RULING:
        return True
    top, bottom = min(a for a, _ in intervals), max(b for _, b in intervals)
    r = np.asarray(rows, np.float64)
    for end, ahead in ((top, r[r < top]), (bottom, r[r > bottom])):
        if np.min(np.abs(r - end)) <= tol:
            continue
        if image is None or x_at is None or not ahead.size:
            continue  # nothing to tell a loose end from a hidden one by
        to = ahead.max() if end == top else ahead.min()
        if not _covered(image, x_at, min(end, to), max(end, to)):
            return False
    return True


def _line_like(image: np.ndarray | None, intervals: list[tuple[float, float]] | None, x_at,
               cx: float, sh: float, lt: float) -> bool:
    """Whether a vertical as drawn is a line: darker than the paper on both sides of it
    over most of its length. The edge of a block of grey (a publisher's pixelation over a
    seal's text, settlement-sheet-two-seals.jpeg as JPEG 30) is a step: as dark on one
    side as on the edge, so no ruling of the row it happens to span."""
    if image is None or not intervals:
        return True
    tone = image if image.ndim == 2 else None
    h, w = image.shape[:2]
    near, far = int(lt / 2) + 2, int(lt / 2) + 4
    hits = total = 0
    for a, b in intervals:
        # projected y back to the page: y = p + sh · (x − cx)
        for yp in np.arange(math.ceil(a), math.floor(b) + 1):
            x = x_at(float(yp))
            y = int(round(yp + sh * (x - cx)))
            xi = int(round(x))
            if not (0 <= y < h and far <= xi < w - far):
                continue
            row = image[y, xi - far:xi + far + 1]
            row = row if tone is not None else row.max(axis=1)
            row = row.astype(np.int16)
            centre = int(row[far - 1:far + 2].min())
            left, right = int(row[:far - near + 1].max()), int(row[far + near:].max())
            total += 1
            hits += centre < min(left, right) - DEFAULT_FAINT_DELTA // 2
    return total == 0 or hits >= DEFAULT_LINE_SHARE * total


def _covered(image: np.ndarray, x_at, y0: float, y1: float) -> bool:
    """Whether the line from page y0 to y1 along a column (`x_at`) is a ruling hidden under
    coloured ink (a seal's): inked over most of its length in the page's darkest channel
    (the ruling, or the seal over it), and coloured (dark in the darkest channel, far
    paler in the brightest) over a share of it. Only coloured ink hides a black ruling:
    grey ink over it leaves it darker still, so on a grey page no end is hidden (a grey
    ring's side is no ruling), and a glyph's stroke ends on paper."""
    h, w = image.shape[:2]
    ys = np.arange(max(0, math.ceil(y0)), min(h, math.floor(y1) + 1))
    if image.ndim == 2 or ys.size == 0:
        return False
    xs = np.clip(np.round([x_at(float(y)) for y in ys]).astype(int), 0, w - 1)
    line = image[ys, xs].astype(np.int16)
    dark, light = line.min(axis=1), line.max(axis=1)
    x0 = max(0, int(xs.min()) - DEFAULT_PAPER_WINDOW)
    x1 = min(w, int(xs.max()) + DEFAULT_PAPER_WINDOW + 1)
    paper = percentile_u8(np.ascontiguousarray(
        image[int(ys[0]):int(ys[-1]) + 1, x0:x1].min(axis=2)), 90)
    return bool(np.median(dark) < paper - DEFAULT_FAINT_DELTA
                and np.mean(light - dark > DEFAULT_FAINT_DELTA) >= DEFAULT_HIDDEN_SHARE)


def _drop_thin_rows(rows: list[tuple[float, list[tuple[float, float]] | None]], min_row: float,
                    glyph: float) -> list[tuple[float, list[tuple[float, float]] | None]]:
    """Of two row rulings closer than a row can be high, the shorter one goes when it is no
    longer than a glyph or two (`glyph`): a glyph's bar (a dash, an H) between the rulings
    of a row of figures is no ruling."""
    def length(ivs: list[tuple[float, float]] | None) -> float:
        return np.inf if ivs is None else sum(b - a for a, b in ivs)

    rows = list(rows)
    k = 0
    while k + 1 < len(rows):
        drop = k if length(rows[k][1]) < length(rows[k + 1][1]) else k + 1
        if rows[k + 1][0] - rows[k][0] < min_row and length(rows[drop][1]) <= glyph:
            rows.pop(drop)
            k = max(0, k - 1)
        else:
            k += 1
    return rows


def table_to_grid(
    hs: list[Segment], vs: list[Segment], scale: PageScale, shape: tuple[int, int],
    image: np.ndarray | None = None,
) -> Grid | None:
    """Rulings of one table → Grid with merged cells, or None if it is not a grid.

    `image` (the page, BGR or grey) tells a short vertical's end hidden under a seal from
    one that stops on paper (`_meets_rulings`); without it every loose end is excused."""
    th, lt = scale.text_height, scale.line_thickness
    tol = DEFAULT_CLUSTER * th + lt
    sh, sv = _slope(hs, True), _slope(vs, False)
    cx = float(np.mean([(s.x0 + s.x1) / 2 for s in hs + vs]))
    cy = float(np.mean([(s.y0 + s.y1) / 2 for s in hs + vs]))

    def hpos(s: Segment) -> float:  # row position projected to the table centre
        return (s.y0 + s.y1) / 2 - sh * ((s.x0 + s.x1) / 2 - cx)

    def vpos(s: Segment) -> float:
        return (s.x0 + s.x1) / 2 - sv * ((s.y0 + s.y1) / 2 - cy)

    hcl = _cluster(np.array([hpos(s) for s in hs]), np.array([s.length for s in hs]), tol)
    vcl = _cluster(np.array([vpos(s) for s in vs]), np.array([s.length for s in vs]), tol)
    # Intervals along each ruling, in projected coordinates; "None" marks a virtual ruling
    # (a table edge cut by the page or the scan) that closes every slot it bounds.
    rows: list[tuple[float, list[tuple[float, float]] | None]] = [
        (
            p,
            [
                (
                    hs[i].x0 - sv * ((hs[i].y0 + hs[i].y1) / 2 - cy),
                    hs[i].x1 - sv * ((hs[i].y0 + hs[i].y1) / 2 - cy),
                )
                for i in idx
            ],
        )
        for p, idx in hcl
    ]
    cols: list[tuple[float, list[tuple[float, float]] | None]] = [
        (
            p,
            [
                (
                    vs[i].y0 - sh * ((vs[i].x0 + vs[i].x1) / 2 - cx),
                    vs[i].y1 - sh * ((vs[i].x0 + vs[i].x1) / 2 - cx),
                )
                for i in idx
            ],
        )
        for p, idx in vcl
    ]
    vtop = min(iv[0] for _, ivs in cols for iv in (ivs or []))
    vbot = max(iv[1] for _, ivs in cols for iv in (ivs or []))
    if not rows or vtop < rows[0][0] - 0.5 * th:
        rows.insert(0, (vtop, None))
    if vbot > rows[-1][0] + 0.5 * th:
        rows.append((vbot, None))
    if len(rows) < 2 or len(cols) < 2:
        return None
    hleft = min(iv[0] for _, ivs in rows for iv in (ivs or []))
    hright = max(iv[1] for _, ivs in rows for iv in (ivs or []))
    if hleft < cols[0][0] - 0.5 * th:
        cols.insert(0, (hleft, None))
    if hright > cols[-1][0] + 0.5 * th:
        cols.append((hright, None))

    rows = _drop_thin_rows(rows, DEFAULT_MIN_ROW * th, DEFAULT_GLYPH_BAR * th)
    reach = DEFAULT_EXTEND * th
    drawn = {p: ivs for p, ivs in cols}  # as found, before loose ends are extended
    rows = [(p, _bridge(ivs, cols, p, tol, reach)) for p, ivs in rows]
    cols = [(p, _bridge(ivs, rows, p, tol, reach)) for p, ivs in cols]
    margin = lt + 1
    for _ in range(3):  # drop rulings that separate nothing (stray strokes), then redo
        R, C = [p for p, _ in rows], [p for p, _ in cols]
        nr, nc = len(R) - 1, len(C) - 1
        sep_v = np.ones((nr, nc + 1), bool)  # sep_v[r, c]: col ruling c closes row r
        for c, (_, ivs) in enumerate(cols):
            if ivs is not None:
                for r in range(nr):
                    sep_v[r, c] = _coverage(ivs, R[r] + margin, R[r + 1] - margin) >= DEFAULT_COVER
        sep_h = np.ones((nr + 1, nc), bool)
        for r, (_, ivs) in enumerate(rows):
            if ivs is not None:
                for c in range(nc):
                    sep_h[r, c] = _coverage(ivs, C[c] + margin, C[c + 1] - margin) >= DEFAULT_COVER
        # an inner column ruling closes at least two rows: a pen stroke across a row
        # boundary (a scribbled signature in a narrow cell) closes one at most; a ruling
        # of one row only (件数 | 毛重) runs that row's whole height, from ruling to ruling,
        # and no further
        min_rows = 2 if nr >= 2 else 1
        keep_c = [c for c in range(nc + 1) if c in (0, nc) or (
                      sep_v[:, c].sum() >= min_rows
                      and _meets_rulings(drawn[cols[c][0]], R, sep_v[:, c].sum(),
                                         max(lt / 2 + 2, DEFAULT_MEET * th),
                                         _column_at(cols[c][0], sv, cy), image))
                  or (_row_local(drawn[cols[c][0]], R, max(lt / 2 + 2, DEFAULT_ROW_SHORT * th),
                                 DEFAULT_MIN_ROW * th, over=max(lt + 2, DEFAULT_ROW_END * th))
                      and _line_like(image, drawn[cols[c][0]], _column_at(cols[c][0], sv, cy),
                                     cx, sh, lt))]
        keep_r = [r for r in range(nr + 1) if r in (0, nr) or sep_h[r, :].any()]
        if len(keep_c) == nc + 1 and len(keep_r) == nr + 1:
            break
        cols = [cols[c] for c in keep_c]
        rows = [rows[r] for r in keep_r]
    if nr < 1 or nc < 1:
        return None

    # Union-find over slots, then grow each group to its bounding rectangle.
    label = np.arange(nr * nc).reshape(nr, nc)
    parent = list(range(nr * nc))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for r in range(nr):
        for c in range(1, nc):
            if not sep_v[r, c]:
                union(label[r, c - 1], label[r, c])
    for r in range(1, nr):
        for c in range(nc):
            if not sep_h[r, c]:
                union(label[r - 1, c], label[r, c])
    changed = True
    while changed:
        changed = False
        roots = np.vectorize(find)(label)
        for root in np.unique(roots):
            ys, xs = np.nonzero(roots == root)
            block = roots[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
            for other in np.unique(block):
                if other != root:
                    union(int(other), int(root))
                    changed = True
    roots = np.vectorize(find)(label)

    def at_row(r: int, x: float) -> float:
        return R[r] + sh * (x - cx)

    def at_col(c: int, y: float) -> float:
        return C[c] + sv * (y - cy)

    h, w = shape
    half = lt / 2 + 1
    cells: list[Cell] = []
    for root in np.unique(roots):
        ys, xs = np.nonzero(roots == root)
        r0, r1, c0, c1 = int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1
        ya, yb = at_row(r0, C[c0]), at_row(r1, C[c0])
        x0 = max(at_col(c0, ya), at_col(c0, yb)) + half
        x1 = min(at_col(c1, ya), at_col(c1, yb)) - half
        y0 = max(at_row(r0, x0), at_row(r0, x1)) + half
        y1 = min(at_row(r1, x0), at_row(r1, x1)) - half
        box = (max(0, round(x0)), max(0, round(y0)), min(w, round(x1) + 1), min(h, round(y1) + 1))
        cells.append(Cell(r0, c0, r1 - r0, c1 - c0, box))
    cells.sort(key=lambda c: (c.row, c.col))
    corners_x = [at_col(c, y) for c in (0, nc) for y in (at_row(0, C[c]), at_row(nr, C[c]))]
    corners_y = [at_row(r, x) for r in (0, nr) for x in (C[0], C[nc])]
    bbox = (
        max(0, round(min(corners_x) - lt / 2)),
        max(0, round(min(corners_y) - lt / 2)),
        min(w, round(max(corners_x) + lt / 2) + 1),
        min(h, round(max(corners_y) + lt / 2) + 1),
    )
    return Grid(bbox=bbox, rows=[round(p) for p in R], cols=[round(p) for p in C], cells=cells)


def faint_ink(gray: np.ndarray, relative: bool = False) -> np.ndarray:
    """Pixels clearly darker than the paper around them (0/255), however pale.

    A faded or dithered 1-px ruling (a grey scan under uneven light) falls apart under a
    text binarisation; measured against the local paper level it is still there, and
    the long line kernels that follow keep text and noise out.

    `relative`: the margin is `DEFAULT_FAINT_DELTA` on white paper and shrinks with the
    paper's tone. Ink reflects a share of the light the paper does: on a darker (older,
    yellower) paper or under dimmer light every level is multiplied down, the gap between
    a faint ruling and its paper too (a 60-DPI phone scan's rulings on yellowed paper fell
    under the fixed 50 levels), while the ratio of the two stays.
    """
    paper = cv2.dilate(gray, np.ones((DEFAULT_PAPER_WINDOW, DEFAULT_PAPER_WINDOW), np.uint8))
    # paper >= gray everywhere (the window holds the pixel): the saturating uint8 difference
    # is the exact one, and OpenCV's compare gives 0/255 without int16 page copies
    if not relative:
        return cv2.compare(cv2.subtract(paper, gray), DEFAULT_FAINT_DELTA, cv2.CMP_GT)
    margin = cv2.convertScaleAbs(paper, alpha=DEFAULT_FAINT_DELTA / 255)
    return cv2.compare(cv2.subtract(paper, gray), margin, cv2.CMP_GT)


def find_grids(image: np.ndarray, scale: PageScale | None = None, *,
               gray: np.ndarray | None = None, binary: np.ndarray | None = None,
               photo: bool = False) -> list[Grid]:
    """All bordered tables of a page (BGR or grey), top to bottom.

    A caller that already has the page's `ink_gray` and its binarisation passes them in,
    so the page is not converted twice. `photo`: the page is a photograph whose
    perspective was undone (`Page.capture == "photo"`): its one-pixel rulings are looked
    for split over two pixels wherever they lie, not only when turned (`_split_rulings`).

    >>> grids = find_grids(page)                      # doctest: +SKIP
    >>> [(c.row, c.col, c.rowspan, c.colspan) for c in grids[0].cells][:2]  # doctest: +SKIP
    [(0, 0, 5, 1), (0, 1, 1, 1)]
    """
    gray = ink_gray(image) if gray is None else gray
    binary = binarize(gray) if binary is None else binary
    if scale is None:
        scale = measure_scale(binary)
    ink = invert_fills(binary | faint_ink(gray, relative=True), gray, scale)
    hs, vs = find_lines(ink, scale)
    # The page's measure is its darkest long runs' (a heavy top ruling, underlines); a
    # table's row and column rulings may each be thinner than it (seed 9721 doc-0001 p3:
    # 3-px columns, 1-px rows), and each direction's pieces tell their own: a one-pixel
    # ruling steps, and splits, once it drifts a few pixels across the page, where the
    # page's 3-px rulings still lie level (doc-0001 p4: rows 1 px, 10 px of drift). A
    # level page keeps its first reading (a phone scan's small print makes split pairs too).
    # A photograph's page is no level page: undoing its perspective resamples every line
    # (and the lens blurred it first), so a thin ruling lies between two rows (columns)
    # of pixels over whole stretches, turned or not, and passes for a dashed line, its
    # pale stretches under the faint margin (seed 6143 doc-0014 p3: section 一's rows).
    # Each direction whose pieces are one pixel thick is looked for split (as on a turned
    # page); a thicker one keeps a whole pixel of its tone (and its blurred edge, a split
    # pair too, would widen a short side into a pen's stroke: doc-0010 p3, 二's frame).
    # So is a level page whose row rulings the first reading found in dashes (`_dashed`).
    shape, thick = ink.shape[:2], scale.line_thickness
    if thick < DEFAULT_SPLIT_THIN:
        rows = cols = _turned(hs, vs, shape, thick)
    else:
        one = _turned(hs, vs, shape, 1.0)
        rows, cols = one and _thin(hs), one and _thin(vs)
    if not (rows and cols) and (photo or _dashed(hs, shape, scale)):
        rows, cols = rows or _thin(hs), cols or _thin(vs)
    if rows or cols:
        hs, vs = find_lines(ink | _split_rulings(gray, scale, rows, cols), scale)
    vs = _without_streaks(hs, vs, gray, scale)
    grids = []
    for ths, tvs in segments_to_tables(hs, vs, scale):
        g = table_to_grid(ths, tvs, scale, binary.shape[:2], image)
        if g is not None and len(g.cells) >= 1:
            grids.append(g)
    return [g for g in grids if not _frame(g, grids, scale)]


def _turned(hs: list[Segment], vs: list[Segment], shape: tuple[int, int],
            thickness: float) -> bool:
    """Whether rulings `thickness` px thick run off the pixel grid: the page's slope (the
    long pieces' median, `_slope`) drifts them by more than `DEFAULT_TURN_DRIFT` of their
    thicknesses across the page. A ruling that drifts steps from row to row (column to
    column) on its way."""
    h, w = shape
    drift = max(abs(_slope(hs, True)) * w, abs(_slope(vs, False)) * h)
    return drift > DEFAULT_TURN_DRIFT * max(1.0, thickness)


def _dashed(hs: list[Segment], shape: tuple[int, int], scale: PageScale) -> bool:
    """Whether the page's row rulings came in dashes: `DEFAULT_DASHED_LINES` lines at
    least each found in three pieces or more, lying on one line (`DEFAULT_CLUSTER`, as a
    table's rulings are told apart) over `DEFAULT_LONG_RULING` of the page's width, away
    from its top and bottom edges (the paper's edge, a scanner's shadow: `measure_scale`).

    A thin ruling printed level but lying between two rows of pixels (a raster's phase,
    a scan's resampling) is split over both, each half too pale, for stretches of its
    length: the line finder sees it dashed, as a turned one (`_split_rulings`). A row of
    text makes no long pieces (the kernel is longer than a glyph); underlined blanks are
    one or two on a line. Only rows are looked at: a table's columns line up with glyph
    strokes stacked row above row, their pieces on one line by chance."""
    if not hs:
        return False
    th, lt = scale.text_height, scale.line_thickness
    slope = _slope(hs, True)
    pos = np.array([(s.y0 + s.y1) / 2 - slope * (s.x0 + s.x1) / 2 for s in hs])
    lines = 0
    for p, idx in _cluster(pos, np.array([s.length for s in hs]), DEFAULT_CLUSTER * th + lt):
        if len(idx) < 3 or not 2 * th <= p <= shape[0] - 2 * th:
            continue
        span = max(hs[i].x1 for i in idx) - min(hs[i].x0 for i in idx)
        lines += span >= DEFAULT_LONG_RULING * shape[1]
    return lines >= DEFAULT_DASHED_LINES


def _thin(segs: list[Segment]) -> bool:
    """Whether the ruling pieces of one direction are mostly (by length) one pixel thick
    (`DEFAULT_ONE_PIXEL`): lines that lose their whole tone's pixel where they step, as
    `_split_rulings` has it. Their thickness is the line finder's, on the page as it worked
    on it (a shrunk page's pixel counts f of the page's, so only pages worked on whole can
    be told thin here)."""
    if not segs:
        return False
    t = np.array([s.thickness for s in segs])
    w = np.array([s.length for s in segs])
    order = np.argsort(t)
    cum = np.cumsum(w[order])
    return bool(t[order][np.searchsorted(cum, cum[-1] / 2)] < DEFAULT_ONE_PIXEL)


def _split_rulings(gray: np.ndarray, scale: PageScale, rows: bool = True,
                   cols: bool = True) -> np.ndarray:
    """Ruling pixels (0/255) of a thin line lying between two rows or columns of pixels, at
    half its tone in each: darker than the paper around them by `faint_ink`'s relative
    margin only when summed with the next row's (column's), and kept where they run along a
    ruling's length (the line kernels' openings).

    A thin ruling printed turned against the text, on a page levelled on its text, crosses
    the pixel grid: its tone is whole where it lies on a row, split over two where it steps
    to the next, each half too pale for `faint_ink` (the line is dashed for some
    tan(angle)⁻¹ / 2 of its length, past what the line kernels' gap closing bridges)."""
    paper = cv2.dilate(gray, np.ones((DEFAULT_PAPER_WINDOW, DEFAULT_PAPER_WINDOW), np.uint8))
    dark = cv2.subtract(paper, gray)
    margin = cv2.convertScaleAbs(paper, alpha=DEFAULT_FAINT_DELTA / 255)
    th = scale.text_height
    rect = cv2.getStructuringElement
    # both halves hold a share of the tone: a stroke's pixel beside the paper is no split line
    half = cv2.compare(dark, cv2.convertScaleAbs(margin, alpha=DEFAULT_SPLIT_SHARE), cv2.CMP_GE)
    out = np.zeros_like(dark)
    if rows:  # `rows`: the row rulings (lines along the rows), `cols` the column ones
        pair = np.zeros_like(dark)
        pair[:-1] = cv2.compare(cv2.add(dark[:-1], dark[1:]), margin[:-1], cv2.CMP_GT) \
            & half[:-1] & half[1:]
        out |= cv2.morphologyEx(pair, cv2.MORPH_OPEN,
                                rect(cv2.MORPH_RECT, (max(10, round(DEFAULT_H_KERNEL * th)), 1)))
    if cols:
        pair = np.zeros_like(dark)
        pair[:, :-1] = cv2.compare(cv2.add(dark[:, :-1], dark[:, 1:]), margin[:, :-1],
                                   cv2.CMP_GT) & half[:, :-1] & half[:, 1:]
        out |= cv2.morphologyEx(pair, cv2.MORPH_OPEN,
                                rect(cv2.MORPH_RECT, (1, max(8, round(DEFAULT_V_KERNEL * th)))))
    return out


def _without_streaks(hs: list[Segment], vs: list[Segment], gray: np.ndarray,
                     scale: PageScale) -> list[Segment]:
    """`vs` with a scanner's feeder streaks taken out: of a vertical that runs on past the
    last ruling it crosses (a table's top or bottom ruling) with nothing closing it there,
    only the stretches darker than that loose run are rulings.

    A printed vertical ends where a ruling meets it: a cell has four sides. A feeder's
    streak is a faint line from the page's top to its bottom, through the tables, at any x:
    beside a table's side it made a column of the page's height with the table's rulings
    and the page's edges as its ends (seed 191 doc-0007, a cell round 四's heading); through
    a table it would split every row. Where it lies on a ruling, the ruling is darker than
    the streak alone by the ruling's own ink, and that stretch stays. A table cut by the
    page (or a bottom ruling faded away) is no streak: both of its sides run on past the
    ruling, and every vertical beside them is kept as found."""
    if not hs or not vs:
        return vs
    th, lt = scale.text_height, scale.line_thickness
    tol = DEFAULT_TOUCH * th + lt
    reach = DEFAULT_STREAK_END * th
    hx0 = np.array([h.x0 for h in hs])
    hx1 = np.array([h.x1 for h in hs])
    hy0 = np.array([h.y0 for h in hs])
    hy1 = np.array([h.y1 for h in hs])

    def crossings(v: Segment) -> np.ndarray:
        """y of each horizontal `v` crosses (NaN where it does not), as `_crosses` has it."""
        vx = v.x0 + (v.x1 - v.x0) * ((hy0 + hy1) / 2 - v.y0) / max(v.y1 - v.y0, 1)
        hy = hy0 + (hy1 - hy0) * (vx - hx0) / np.maximum(hx1 - hx0, 1)
        ok = (hx0 - tol <= vx) & (vx <= hx1 + tol) & (v.y0 - tol <= hy) & (hy <= v.y1 + tol)
        return np.where(ok, hy, np.nan)

    cross = [crossings(v) for v in vs]

    def runs_on(j: int, i: int, up: bool) -> bool:
        """Whether vertical j runs on past horizontal i (up or down) farther than `reach`."""
        y = cross[j][i]
        return bool(not np.isnan(y) and ((y - vs[j].y0) if up else (vs[j].y1 - y)) > reach)

    def cut(i: int, up: bool) -> bool:
        """Horizontal i is a table's edge cut by the page: verticals at both of its ends run
        on past it."""
        ends = []
        for x in (hx0[i], hx1[i]):
            ends.append(any(runs_on(j, i, up) and abs(_x_at(vs[j], cross[j][i]) - x) <= tol
                            for j in range(len(vs))))
        return all(ends)

    def closed(x: float, y: float) -> bool:
        """Whether a row ruling's line passes the end (x, y), drawn there or not (a seal's
        ink or a fade may have taken its stretch at x)."""
        hy = hy0 + (hy1 - hy0) * (x - hx0) / np.maximum(hx1 - hx0, 1)
        return bool((np.abs(hy - y) <= tol).any())

    def short_of(x: float, y: float, last: float) -> bool:
        """Whether the end (x, y) of a vertical that ran on from its last crossing at
        `last` stops short of a ruling drawn across x ahead of it, nearer than it ran: it
        ends inside a row of its table (its last stretch faded, or a glyph touching it cut
        the line finder's run), where a streak runs on past the table's last ruling."""
        hy = hy0 + (hy1 - hy0) * (x - hx0) / np.maximum(hx1 - hx0, 1)
        ahead = (hy - y) * np.sign(y - last)
        across = (hx0 - tol <= x) & (x <= hx1 + tol)
        return bool((across & (ahead > 0) & (ahead < abs(y - last))).any())

    out: list[Segment] = []
    done: set[int] = set()
    for members, line in _page_streaks(vs, gray.shape[0], scale):
        ys = crossings(line)
        if np.isnan(ys).all():
            continue
        first, last = float(np.nanmin(ys)), float(np.nanmax(ys))
        crossed = np.flatnonzero(~np.isnan(ys))
        slope = float(np.median((hy1 - hy0)[crossed] / np.maximum(hx1 - hx0, 1)[crossed]))
        thin = (np.median([vs[j].thickness for j in members])
                <= DEFAULT_STREAK_THIN * np.median([hs[i].thickness for i in crossed]))
        # a vertical drawn with the table is normal to its rulings; a streak keeps the
        # scan's own angle, which deskewing the page turned away from the normal
        turned = abs((line.x1 - line.x0) / max(line.y1 - line.y0, 1) + slope) * line.length \
            > DEFAULT_STREAK_TURN * lt
        if first - line.y0 > reach and line.y1 - last > reach and (thin or turned):
            done.update(members)
            out.extend(_ruled_stretches(line, [(line.y0, line.y1)], gray, scale))
    for j, v in enumerate(vs):
        if j in done:
            continue
        ys = cross[j]
        if np.isnan(ys).all() or v.length < DEFAULT_SHORT_V * th:
            out.append(v)  # a shorter one must meet two rulings (`segments_to_tables`)
            continue
        top, bottom = int(np.nanargmin(ys)), int(np.nanargmax(ys))
        loose = []
        if runs_on(j, top, True) and not closed(v.x0, v.y0) and not cut(top, True) \
                and not short_of(v.x0, v.y0, float(ys[top])):
            loose.append((v.y0, float(ys[top])))
        if runs_on(j, bottom, False) and not closed(v.x1, v.y1) and not cut(bottom, False) \
                and not short_of(v.x1, v.y1, float(ys[bottom])):
            loose.append((float(ys[bottom]), v.y1))
        kept = _ruled_stretches(v, loose, gray, scale) if loose else [v]
        y0, y1 = float(np.nanmin(ys)), float(np.nanmax(ys))
        inside = sum(max(0.0, min(k.y1, y1) - max(k.y0, y0)) for k in kept)
        if loose and inside < 0.5 * (y1 - y0) \
                and all(abs(b - a) <= DEFAULT_GLYPH_BAR * th for a, b in loose):
            # the run-on no longer than a glyph, and the divider between its crossings not
            # darker than it: a streak alone is never darker than where it lies on a
            # ruling, so the run-on is a glyph joined to the divider's end (a heading's
            # stroke above a table's top ruling over a pale divider, seed 8527 doc-0005
            # p4), and the divider is kept between its crossings
            kept = [Segment(_x_at(v, y0), y0, _x_at(v, y1), y1, v.thickness)]
        out.extend(kept)
    return out


def _page_streaks(vs: list[Segment], page_h: int,
                  scale: PageScale) -> list[tuple[list[int], Segment]]:
    """Sets of vertical pieces lying on one straight line that spans at least
    `DEFAULT_STREAK_SPAN` of the page's height, each with that line (its thickness the
    thickest piece's): a feeder's streak as the line finder leaves it.

    A streak runs the page's whole height, through text and margins, but the line finder
    breaks it where it fades, where it crosses a ruling and (slanted at the scan's angle
    once the page is deskewed) where it steps a column: no one piece runs past the rulings
    (re-captured wp-02's colour scan: a 1.9° streak through the members' 姓名 column, in
    pieces each ending on a row's ruling, split every row). A table's vertical is one
    column's height: it never spans that far while on one line with pieces above and below
    it that are not ruled (those are judged in `_without_streaks`)."""
    if not vs:
        return []
    lt, th = scale.line_thickness, scale.text_height
    tol = lt + 1.0
    x0 = np.array([v.x0 if v.y0 <= v.y1 else v.x1 for v in vs])
    y0 = np.array([min(v.y0, v.y1) for v in vs])
    x1 = np.array([v.x1 if v.y0 <= v.y1 else v.x0 for v in vs])
    y1 = np.array([max(v.y0, v.y1) for v in vs])
    length = np.array([v.length for v in vs])
    free = np.ones(len(vs), bool)
    out: list[tuple[list[int], Segment]] = []
    for s in np.argsort(-length, kind="stable"):
        if length[s] < DEFAULT_SHORT_V * th:
            break
        if not free[s]:
            continue
        on = np.zeros(len(vs), bool)
        on[s] = True
        for _ in range(3):  # fit, take the pieces on the line, fit again
            ys = np.r_[y0[on], y1[on]]
            xs = np.r_[x0[on], x1[on]]
            w = np.r_[length[on], length[on]]
            b, a = np.polyfit(ys, xs, 1, w=np.sqrt(w)) if np.ptp(ys) > 0 else (0.0, xs.mean())
            near = free & (np.abs(x0 - (a + b * y0)) <= tol) & (np.abs(x1 - (a + b * y1)) <= tol)
            near[s] = True
            if (near == on).all():
                break
            on = near
        top, bottom = float(y0[on].min()), float(y1[on].max())
        if bottom - top < DEFAULT_STREAK_SPAN * page_h \
                or length[on].sum() < DEFAULT_STREAK_COVER * (bottom - top):
            continue
        members = [int(j) for j in np.flatnonzero(on)]
        free[on] = False
        out.append((members, Segment(a + b * top, top, a + b * bottom, bottom,
                                     max(vs[j].thickness for j in members))))
    return out


def _x_at(v: Segment, y: float) -> float:
    """x of vertical `v`'s line at page y."""
    return v.x0 + (v.x1 - v.x0) * (y - v.y0) / max(v.y1 - v.y0, 1)


def _ruled_stretches(v: Segment, loose: list[tuple[float, float]], gray: np.ndarray,
                     scale: PageScale) -> list[Segment]:
    """The stretches of vertical `v` darker against the paper beside it than its `loose`
    runs (a streak alone) by a ruling's ink (`DEFAULT_FAINT_DELTA`, as `faint_ink`), each
    at least a ruling piece long: the rulings a streak lies on."""
    h, w = gray.shape[:2]
    ys = np.arange(max(0, math.ceil(min(v.y0, v.y1))), min(h, math.floor(max(v.y0, v.y1)) + 1))
    if ys.size == 0:
        return []
    r = int(v.thickness / 2) + 1  # the line's half width, and the paper beside it
    xs = np.round(v.x0 + (v.x1 - v.x0) * (ys - v.y0) / max(v.y1 - v.y0, 1)).astype(int)
    offs = np.arange(-r - DEFAULT_PAPER_WINDOW // 2 - 1, r + DEFAULT_PAPER_WINDOW // 2 + 2)
    band = gray[ys[:, None], np.clip(xs[:, None] + offs[None, :], 0, w - 1)].astype(np.int16)
    mid = np.abs(offs) <= r
    depth = band[:, ~mid].max(axis=1) - band[:, mid].min(axis=1)
    inside_loose = np.zeros(ys.size, bool)
    for a, b in loose:
        inside_loose |= (ys >= min(a, b)) & (ys <= max(a, b))
    if not inside_loose.any():
        return [v]
    # the streak's own depth; a low quantile, so a glyph it passes through (or one a
    # printed side ran into) does not raise it to a ruling's
    level = float(np.percentile(depth[inside_loose], DEFAULT_STREAK_LEVEL))
    ruled = depth > level + DEFAULT_FAINT_DELTA
    # a ruling's stretch, its gaps (a crossing's, noise) closed as `line_masks` closes them
    th = scale.text_height
    gap, shortest = max(3, round(DEFAULT_GAP * th)), max(8, round(DEFAULT_V_KERNEL * th))
    out: list[Segment] = []
    idx = np.flatnonzero(ruled)
    if idx.size == 0:
        return out
    breaks = np.flatnonzero(np.diff(idx) > gap)
    for a, b in zip(np.r_[idx[0], idx[breaks + 1]], np.r_[idx[breaks], idx[-1]], strict=True):
        if b - a + 1 >= shortest:
            y0, y1 = float(ys[a]), float(ys[b])
            out.append(Segment(_x_at(v, y0), y0, _x_at(v, y1), y1, v.thickness))
    return out


def _frame(grid: Grid, grids: list[Grid], scale: PageScale) -> bool:
    """A single cell round another table: a photo's or a page's frame, not a table.

    The table inside must be one: a few cells a row of print tall (`DEFAULT_MIN_ROW`) or
    a good share of the frame. A bordered block (五's one-cell opinion block) round a
    signature whose strokes closed small "cells" is a table, and the block is what holds
    the block's text (seed 5417 doc-0011 p8: four pen-closed loops 14-62 px tall, text
    37 px, took the whole of 五 for a frame and all three blocks were read empty).
    """
    if len(grid.cells) != 1:
        return False
    x0, y0, x1, y1 = grid.bbox
    area = max(1, (x1 - x0) * (y1 - y0))
    min_row = DEFAULT_MIN_ROW * scale.text_height

    def rows(o: Grid) -> int:
        return sum(c.bbox[3] - c.bbox[1] >= min_row for c in o.cells)

    return any(o is not grid and x0 <= o.bbox[0] and y0 <= o.bbox[1] and o.bbox[2] <= x1
               and o.bbox[3] <= y1 and (rows(o) >= DEFAULT_FRAMED_CELLS or (
                   (o.bbox[2] - o.bbox[0]) * (o.bbox[3] - o.bbox[1]) >= DEFAULT_FRAMED_SHARE * area))
               for o in grids)


def _fill_area(gray: np.ndarray, cut: float, thin: int) -> Box | None:
    """A box (x0, y0, x1, y1) holding every `thin` × `thin` square of the page all darker
    than `cut` (so every pixel of `invert_fills`' opening), the whole page when that cannot
    be told; None when there is none.

    Told on the dark mask reduced f× by block means: an all-dark square (at the page's
    edge, the part of it inside the page: OpenCV's erosion counts outside pixels as set,
    so the page is framed in dark here too) holds m = (thin − f + 1) // f whole blocks a
    side, all dark, so an m × m erosion of the reduced mask of all-dark blocks keeps a
    pixel. The test errs towards yes (the windows looked at may reach into the frame); a
    yes costs only the full-resolution work.
    """
    f = max(1, thin // 4)
    m = (thin - f + 1) // f
    h, w = gray.shape
    if f < 2 or m < 2 or min(h, w) < 4 * thin:
        return 0, 0, w, h
    pad = -(-thin // f) * f  # the dark frame, whole blocks wide
    # the dark pixels (gray < cut, as `invert_fills` has them), 255; the frame too
    dark = cv2.threshold(gray, math.ceil(cut) - 1, 255, cv2.THRESH_BINARY_INV)[1]
    framed = cv2.copyMakeBorder(dark, pad, pad + (-h % f), pad, pad + (-w % f),
                                cv2.BORDER_CONSTANT, value=255)
    small = cv2.resize(framed, (framed.shape[1] // f, framed.shape[0] // f),
                       interpolation=cv2.INTER_AREA)
    # a block all dark averages 255; one paper pixel takes 255 / f² off (half of it: rounding)
    whole = cv2.compare(small, 255 - 255 / (2 * f * f), cv2.CMP_GE)
    eroded = cv2.erode(whole, np.ones((m, m), np.uint8))
    # only m × m windows holding a block wholly of the page count (the frame alone, or the
    # frame with a sliver of the page at its far edge, is no block): the square holds such
    # a block (it reaches thin // 2 ≥ 2f − 1 px each side of its centre, a page pixel), and
    # a window holding it has its anchor (m // 2 from its start) within these bounds
    p, lo, hi = pad // f, m // 2 - m + 1, m // 2
    anchors = eroded[p + lo: p + h // f + hi, p + lo: p + w // f + hi]
    bx, by, bw, bh = cv2.boundingRect(anchors)
    if bw == 0 or bh == 0:
        return None
    # each square holds its anchor's block: it lies within thin px of it (and m blocks)
    reach = 2 * thin + 2 * f
    return (max(0, (bx + lo) * f - reach), max(0, (by + lo) * f - reach),
            min(w, (bx + lo + bw) * f + reach), min(h, (by + lo + bh) * f + reach))


def invert_fills(binary: np.ndarray, gray: np.ndarray, scale: PageScale) -> np.ndarray:
    """`binary` with each solid dark block (a header row printed white on black) turned to
    its negative, edged by its outline: the light gaps between its cells are then its
    rulings, and its white text is text. Blocks touching the page's edge (the dark ground
    round a photographed page) are only cleared."""
    th = scale.text_height
    paper = percentile_u8(gray, 90)
    # rulings and strokes are thin: opening leaves only blocks; closing fills their text
    thin = max(3, round(DEFAULT_FILL_OPEN * th))
    k = max(5, round(DEFAULT_FILL_CLOSE * th)) | 1
    area = _fill_area(gray, DEFAULT_FILL_DARK * paper, thin)
    if area is None:
        return binary  # no dark square the opening keeps: no block (most pages)
    h, w = binary.shape
    # The closing adds at most k // 2 px round the opening: every block lies in `area` so
    # grown. Opening and closing there look k + thin px further at most: worked out on the
    # crop so grown (from an even row and column, for OpenCV's label order), they are the
    # page's inside the grown area, and nothing is outside it.
    grow = k // 2 + 1
    ax0, ay0 = max(0, area[0] - grow), max(0, area[1] - grow)
    ax1, ay1 = min(w, area[2] + grow), min(h, area[3] + grow)
    x0, y0 = max(0, ax0 - k - thin) // 2 * 2, max(0, ay0 - k - thin) // 2 * 2
    x1, y1 = min(w, ax1 + k + thin), min(h, ay1 + k + thin)
    dark = (gray[y0:y1, x0:x1] < DEFAULT_FILL_DARK * paper).astype(np.uint8)
    closed = cv2.morphologyEx(cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((thin, thin), np.uint8)),
                              cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    inner = np.zeros_like(closed)
    inner[ay0 - y0:ay1 - y0, ax0 - x0:ax1 - x0] = closed[ay0 - y0:ay1 - y0, ax0 - x0:ax1 - x0]
    n, _, stats, _ = cv2.connectedComponentsWithStats(inner, connectivity=8)
    stats[:, 0] += x0
    stats[:, 1] += y0
    out = None
    lt = max(1, round(scale.line_thickness))
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if min(bw, bh) < DEFAULT_FILL_MIN * th or area < 0.8 * bw * bh:
            continue
        if dark[y - y0:y - y0 + bh, x - x0:x - x0 + bw].mean() < DEFAULT_FILL_SHARE:
            continue
        out = binary.copy() if out is None else out
        block = gray[y:y + bh, x:x + bw].astype(np.float32)
        level = (float(np.percentile(block, 10)) + paper) / 2
        # a divider thinner than a pixel is blurred to a grey under that level, yet stands
        # out of the fill beside it (as `faint_ink` sees a faint dark line on the paper)
        fill = cv2.erode(block, np.ones((DEFAULT_PAPER_WINDOW, DEFAULT_PAPER_WINDOW), np.uint8))
        light = (block > level) | (block - fill > DEFAULT_FAINT_DELTA)
        out[y:y + bh, x:x + bw] = np.where(light, 255, 0).astype(np.uint8)
        if x > 0 and y > 0 and x + bw < w and y + bh < h:
            cv2.rectangle(out, (x, y), (x + bw - 1, y + bh - 1), 255, lt)
        else:
            out[y:y + bh, x:x + bw] = 0
    return binary if out is None else out
