"""Text of regions of one page: from the text layer when there is one, else by OCR.

Callers ask for many regions at once; every line crop of the page goes to the recogniser
in one batch (recognition only: a cell's lines are found by connected components, not by
the detection model). Born-digital pages never reach the OCR engine.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import cv2
import numpy as np
from tasksheet.extract.grid import Grid, faint_ink, find_grids
from tasksheet.extract.normalize import simplified
from tasksheet.extract.scale import PageScale, binarize, measure_scale, paper_cut
from tasksheet.extract.text_lines import (
    DEFAULT_GAP,
    DEFAULT_RULE_LENGTH,
    DEFAULT_TWO_LINES,
    _part_ink,
    _valley_cuts,
    find_text_lines,
    lines_from_ink,
    reading_order,
    remove_rules,
    vertical_rules,
    without,
)

BBox = tuple[int, int, int, int]
DEFAULT_PAD = 0.25  # of the text height, around a line crop
DEFAULT_PRINT_DARKNESS = 0.5  # × paper level: black print is darker, a grey seal is not
DEFAULT_SEAL_RING = 0.8  # × radius: a seal's outer ring lies outside this
DEFAULT_SEAL_EDGE = 1.08  # × radius: past this (the box's corners) no seal ink lies
DEFAULT_SEAL_SPECK = 4  # of a pixel's 3×3 (itself included) kept: fewer is a speck of the ring
DEFAULT_SEAL_TONE = 5  # percentile of the ring's ink: inside the ring, print is darker
# (at 10 the ring's own darker strokes stayed: a grey ring through an empty date read 1月日)
DEFAULT_DASH_DELTA = 12  # grey levels under the paper for a straight pale run to be a dash
DEFAULT_DASH_MIN = 0.5  # × text height: shortest "—"
DEFAULT_DASH_MAX = 4.0  # × text height: longest "—" (a longer rule is an underline)
DEFAULT_MIN_INK = 0.0003  # share of a cell that must be ink to look for text (a lone "—" is ~0.001)
DEFAULT_FILL_CONTRAST = 40  # grey levels under a blank's paper that count as ink in it
DEFAULT_FILL_SHARE = 0.5  # or this share of the way to the blank's darkest ink
DEFAULT_EDGE_GAP = 1.0  # × text height: most from a line's end to its outer character's centre
DEFAULT_CHAR_GAP = 1.9  # × text height: most between two neighbouring characters' centres
DEFAULT_STOP_GAP = 1.6  # × text height between two characters' centres: room for a "。"
DEFAULT_STOP_TAIL = 1.6  # × text height past the last character's centre: its "。" slot
DEFAULT_STOP_SIZE = 0.5  # × text height: the largest a "。" is
DEFAULT_ONE_LINE = 1.6  # × text height: a taller line box may hold two lines run together
DEFAULT_HEADING_EXTRA = 3  # characters a heading line may carry beyond the heading (page marks)
# × text height of inked columns per character a heading line may hold at most: a CJK
# glyph inks about 0.9 of its height's width, punctuation and digits less, and letter
# spacing adds paper, not ink; a line inked wider is body text, never read for a heading
DEFAULT_HEADING_INK = 1.2
# × text height: a line box of a paragraph taller than this holds lines run together (two
# lines of print are at least twice a glyph's height; one wavy line of a hand is less)
DEFAULT_PARAGRAPH_SPLIT = 2.0
# × text height: a pale mark past a line's end lies at most this far from it, and is at
# most `DEFAULT_MARK_SIZE` wide (a `“` or a `：` is under half a glyph; a glyph is one)
DEFAULT_MARK_GAP = 1.0
DEFAULT_MARK_SIZE = 0.6
DEFAULT_MARK_SPLIT = 0.25  # × text height: the most paper between a mark's strokes
DEFAULT_MARK_LEAST = 0.2  # × text height: a smaller blob is a speck of dust, not a mark
DEFAULT_MARK_SHARE = 0.3  # of the way from a line's paper to its print: a pale mark's ink
# how alike (difflib's ratio, punctuation aside) two stacked line boxes read to be one line
DEFAULT_SAME_READ = 0.8
# of a line box's area inside another line box: the same ink found twice, read once
DEFAULT_NESTED = 0.8
# × text height: how far past a cell's box a line's ink is looked for across its ruling (a
# glyph's width, and the ruling a few pixels out where it is turned against the text)
DEFAULT_OVER_RULE = 1.5
# × text height: a ruling's rough edge left when its run is taken out is smaller than this
# both ways (a 1 on the ruling leaves its flag and foot, a few pixels, either side of it)
DEFAULT_RULE_BUMP = 0.1
# × text height: a ruling standing alone over this many rows of a line between two rows a
# glyph touches it is the ruling (a 1's stem beside it, touching it at its flag and foot);
# fewer is left (a glyph's stroke lying on it: the bowl of a 6)
DEFAULT_RULE_ALONE = 0.5
# × text height: ink a pixel wide along a ruling's run over this many rows of a line is the
# ruling's own step (turned, it moves a pixel aside); a glyph's stroke touching it is thinner
DEFAULT_RULE_STEP = 0.2
# × text height: the most paper between a ruling and the line's ink beside it where a
# glyph's stroke lies on the ruling (seed 5417 doc-0019: 0 and 1 on a turned ruling, the
# next glyph 2-5 px off at 37; doc-0009, a monospaced 1: 7 px at 23): a glyph's side
# bearing and the letter spacing, under half a glyph's width
DEFAULT_ON_RULE = 0.4
DEFAULT_STROKE_GAP = 0.15  # × text height: the most paper between two strokes of a glyph
# × text height: pieces of one row of a paragraph this far apart are one line read whole
# (a full-width mark's slot and a hand's step between them: the mark alone falls under the
# page's threshold and would be read by neither piece)
DEFAULT_PARAGRAPH_JOIN = 3.0


@dataclass(frozen=True)
class RegionText:
    """What a region says: its lines, their joint text, the weakest line's score, its box."""

    text: str
    score: float
    bbox: BBox | None
    lines: tuple[tuple[BBox, str, float], ...] = ()
    # each character read: (char, x centre on the page, its line's box); empty from words
    chars: tuple[tuple[str, float, BBox], ...] = ()
    # every line of ink read, and no stretch of a line a character wide left unread: what
    # was read is all that is written, whatever the recogniser's confidence in its shapes
    whole: bool = False


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    """Text for matching: NFKC, simplified characters, no spaces or punctuation. The form is
    printed in simplified Chinese, but the recogniser now and then answers a printed label
    in traditional characters (`任務書`, `協調單位`): a label so read is still that label.

    >>> clean("項目協調單位：")
    '项目协调单位'
    """
    t = simplified(unicodedata.normalize("NFKC", text))
    return re.sub(r"[\s\W_]+", "", t)


def similarity(a: str, b: str) -> float:
    """How well `a` (read) matches `b` (printed), 0..1, ignoring spaces and punctuation."""
    ca, cb = clean(a), clean(b)
    if not ca or not cb:
        return 0.0
    if cb in ca:
        return 1.0 if len(ca) <= len(cb) + 2 else 0.85
    return SequenceMatcher(None, ca, cb).ratio()


def boxes_meet(a: BBox, b: BBox) -> bool:
    """Whether boxes `a` and `b` (x0, y0, x1, y1, ends excluded) share a pixel."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _shrink(b: BBox, d: int) -> BBox:
    return (b[0] + d, b[1] + d, max(b[0] + d + 1, b[2] - d), max(b[1] + d + 1, b[3] - d))


class PageText:
    """Reads regions of one normalised page (`ink` is the seal-suppressed grey image)."""

    def __init__(self, ink: np.ndarray, binary: np.ndarray, text_height: float,
                 line_thickness: float, engine, words=None, image: np.ndarray | None = None) -> None:
        self.ink = ink
        self.binary = binary
        self.text_height = max(8.0, text_height)
        self.line_thickness = max(1.0, line_thickness)
        self.engine = engine
        self.words = words
        self.image = image
        # each line box read so far: a section located by its headings is read again by
        # its reader, and the same line is never sent to the recogniser twice
        self._read_cache: dict[BBox, tuple] = {}
        # each region's line boxes: the outline looks for lines in every cell, and the
        # readers then read the same cells (finding them costs a few morphology passes)
        self._lines_cache: dict[BBox, list[BBox]] = {}
        self._paragraph_cache: dict[tuple, list[BBox]] = {}
        # the rulings beside a line box grown over them (`_over_rule`): (x, y, mask) of
        # each, erased from the box's crop
        self._rules: dict[BBox, list[tuple[int, int, np.ndarray]]] = {}
        # lines bridged by a black seal's arc are parted (`find_text_lines(bridged=True)`):
        # set on a copy by a reader looking again for a label it missed
        self.bridged = False

    def ink_ratio(self, bbox: BBox) -> float:
        x0, y0, x1, y1 = _shrink(bbox, int(self.line_thickness * 2 + 2))
        region = self.binary[y0:y1, x0:x1]
        return float(region.mean() / 255.0) if region.size else 0.0

    def lines(self, bbox: BBox) -> list[BBox]:
        """Text line boxes inside a cell, ruling lines excluded, in reading order."""
        bbox = tuple(int(v) for v in bbox)  # type: ignore[assignment]
        if bbox not in self._lines_cache:
            inner = self._top_over(_shrink(bbox, int(self.line_thickness * 2 + 2)), bbox)
            self._lines_cache[bbox] = [] if inner[2] - inner[0] < 4 or inner[3] - inner[1] < 4 \
                else [self._over_rule(ln, bbox, inner) for ln in self._with_marks(
                    _without_nested(find_text_lines(
                        self.binary, text_height=self.text_height, region=inner,
                        bridged=self.bridged)), inner)]
        return list(self._lines_cache[bbox])

    def _top_over(self, inner: BBox, cell: BBox) -> BBox:
        """`inner` (the cell less its margin over the rulings) with its top raised to the top
        of the glyphs crossing it: a line printed right under the cell's top ruling has its
        upper part in the margin, and the rows left inside are too few to be found as a
        line (wp-01 p4: content's first line inked from 165, its ruling 160-164, the box
        from 180: the line lost). The glyphs' ink runs on up, rules taken out, to a row of
        paper under the ruling; ink running on past the margin is no glyph's top."""
        h, w = self.binary.shape[:2]
        margin = inner[1] - cell[1]
        x0, x1, y, top = max(0, inner[0]), min(w, inner[2]), inner[1], max(0, cell[1] - margin)
        if y - top < 2 or x1 - x0 < 4 or y + 1 > h or inner[3] - y < 4:
            return inner
        strip = remove_rules(self.binary[top:y + 1, x0:x1], self.text_height) > 0
        if not (strip[-1] & strip[-2]).any():
            return inner  # nothing crosses the edge
        rows = strip.any(axis=1)
        k = len(rows) - 1
        while k > 0 and rows[k - 1]:
            k -= 1
        return inner if k == 0 else (inner[0], top + k, inner[2], inner[3])

    def _over_rule(self, line: BBox, cell: BBox, inner: BBox) -> BBox:
        """`line` grown at either end over its own ink that the cell's margin cut off.

        Lines are looked for inside the cell less a margin over its rulings, but a hand
        starts right at the ruling, and where the rules are turned against the text (an
        office's tilt) the cell's box lies inside the ruling at the line's height: a
        value's first glyph sits in the margin, or across the ruling, and the recogniser
        saw at most a sliver of it (seed 9857 doc-0001: `028-81361346` read
        `28-81361346`, its 0 across the ruling; seed 9721 doc-0012: a 1 beside it). Ink
        within a glyph's gap of the line's end (`DEFAULT_GAP`, which joins the line's own
        glyphs) on the cell's side of the ruling is the line's; past the ruling only a
        glyph crossing it (its ink touching the ruling on both sides), no wider than a
        glyph: the next cell's text (a label) stands clear of the ruling. The ruling is
        kept for the line's crop (`_crop`), which takes its stubs out."""
        th = self.text_height
        h, w = self.binary.shape[:2]
        x0, y0, x1, y1 = line
        if y1 - y0 < 2:
            return line
        join, margin = round(DEFAULT_GAP * th), round(self.line_thickness * 2 + 2)
        reach = round(DEFAULT_OVER_RULE * th)
        rules: list[tuple[int, int, np.ndarray]] = []
        for side in (-1, 1):
            edge = x0 if side < 0 else x1
            if (edge - inner[0] if side < 0 else inner[2] - edge) > join:
                continue
            a = max(0, cell[0] - reach) if side < 0 else edge
            b = edge if side < 0 else min(w, cell[2] + reach)
            if b - a < 2:
                continue
            ty0, ty1 = max(0, min(cell[1], y0) - round(th)), min(h, max(cell[3], y1) + round(th))
            tall = self.binary[ty0:ty1, a:b]
            # a line's rows over the cell's top or bottom rule: the rule's run is no glyph
            # (measured on a wider window: a run is a rule at a few glyphs' length)
            long = round(DEFAULT_RULE_LENGTH * th)
            wa, wb = max(0, a - long), min(w, b + long)
            flat = cv2.morphologyEx(self.binary[ty0:ty1, wa:wb], cv2.MORPH_OPEN,
                                    cv2.getStructuringElement(cv2.MORPH_RECT, (long, 1)))
            tall = without(tall, flat[:, a - wa:b - wa])
            # the ruling: turned against the text, it shifts a pixel along its height, so
            # its run is looked for in the ink widened by a pixel either side
            rule = vertical_rules(cv2.dilate(tall, np.ones((1, 3), np.uint8)), th) & tall
            if rule.any():
                # grown over it or not, the ruling may lie in the line's padded crop,
                # where its piece on the line's rows reads `|` or `l` (`_crop` clears it)
                rules.append((a, ty0, rule > 0))
            ink = without_specks(cv2.bitwise_and(tall, cv2.bitwise_not(rule)),
                                 max(3.0, DEFAULT_RULE_BUMP * th))[y0 - ty0:y1 - ty0] > 0
            order = slice(None, None, -1) if side < 0 else slice(None)
            box_edge = (edge - cell[0]) if side < 0 else (cell[2] - edge)
            ruled = (rule[y0 - ty0:y1 - ty0] > 0).mean(axis=0) > 0.5
            n = _ink_reach(ink.any(axis=0)[order], ruled[order], join,
                           max(1, round(DEFAULT_STROKE_GAP * th)), box_edge, margin,
                           max(1, round(DEFAULT_ON_RULE * th)),
                           max(2, round(DEFAULT_RULE_BUMP * th)))
            if not n:
                continue
            got = ink[:, b - a - n:] if side < 0 else ink[:, :n]
            rows = np.flatnonzero(got.any(axis=1))
            if not rows.size or rows[-1] + 1 - rows[0] < DEFAULT_MARK_LEAST * th:
                continue  # a speck, a remnant of the ruling
            if side < 0:
                x0 = edge - n
            else:
                x1 = edge + n
        if rules:
            self._rules[(x0, y0, x1, y1)] = rules
        return (x0, y0, x1, y1)

    def paragraph_lines(self, bbox: BBox, outer: BBox | None = None) -> list[BBox]:
        """The lines of a cell of free text (section 二's content, a policy written out), in
        reading order: `lines`, and besides them what only a paragraph has.

        Lines set close touch where a hand wanders (a glyph's foot on the next line's head,
        a 1-bit scan's swollen strokes): their blob is taller than any line and `lines`
        leaves it out, or reads two lines as one. Such a box is parted at its row profile's
        clear valleys (`text_lines._valley_cuts`). And a line stepped where the hand
        wandered falls into pieces at a full-width mark too pale for the page's threshold
        (`，` `；` `。` between two glyphs): the pieces of one row are read as one line, the
        mark with them. A cell holds one paragraph, so nothing beside a line is another
        column's.

        `outer` is the cell's table: the cell's box lies inside rules turned against the
        text (an office's tilt), and a line's last mark beyond it, short of the rule, is
        the line's (`_mark_beyond`; seed 9133 doc-0023: `包括：`'s `：` 35 px past the box).
        """
        bbox = tuple(int(v) for v in bbox)  # type: ignore[assignment]
        key = (bbox, outer)
        if key not in self._paragraph_cache:
            inner = self._top_over(_shrink(bbox, int(self.line_thickness * 2 + 2)), bbox)
            h, w = self.binary.shape[:2]
            x0, y0, x1, y1 = max(0, inner[0]), max(0, inner[1]), min(w, inner[2]), min(h, inner[3])
            boxes: list[BBox] = []
            if x1 - x0 >= 4 and y1 - y0 >= 4:
                ink = remove_rules(self.binary[y0:y1, x0:x1], self.text_height)
                boxes = [(b[0] + x0, b[1] + y0, b[2] + x0, b[3] + y0)
                         for b in paragraph_boxes(ink, self.text_height)]
            region = (x0, y0, x1, y1) if outer is None else (
                min(x0, outer[0]), y0, max(x1, outer[2]), y1)
            self._paragraph_cache[key] = self._with_marks(_without_nested(boxes), region)
        return list(self._paragraph_cache[key])

    def _with_marks(self, boxes: list[BBox], region: BBox) -> list[BBox]:
        """Each line box grown over a pale mark just past either end (`_mark_beyond`). A
        mark between two pieces of one row is the left one's (Chinese sets punctuation
        after the text it closes): read by both, `同意承接，，按…`."""
        grown = [self._mark_beyond(b, region, (1,)) for b in boxes]
        out = []
        for i, b in enumerate(grown):
            g = self._mark_beyond(b, region, (-1,))
            if g[0] < b[0] and any(j != i and o[0] < b[0] and o[2] > g[0]
                                   and min(o[3], b[3]) > max(o[1], b[1])
                                   for j, o in enumerate(grown)):
                g = b
            out.append(g)
        return out

    def _mark_beyond(self, line: BBox, region: BBox, sides: tuple[int, ...] = (1, -1)) -> BBox:
        """`line` grown over a punctuation mark level with it just past either end, inside
        `region` (right 1, left -1 of `sides`): a thin mark (`“` `：` `。`) alone on open
        paper falls under the page
        threshold's contrast bar and out of the line box, and the recogniser never sees it
        (seed 9133 doc-0021: `承接“` read `承接`, its `“` 25 px past the box). Against the
        line's own paper and print it is ink: the first blob outwards from the end, within
        a glyph's gap of it, no larger than a mark (a rule, another word's glyph is larger)
        and no smaller (a speck of dust)."""
        th = self.text_height
        x0, y0, x1, y1 = line
        if y1 - y0 < 4 or x1 - x0 < 2:
            return line
        gap, size = DEFAULT_MARK_GAP * th, DEFAULT_MARK_SIZE * th
        reach = round(gap + size)
        paper, dark = np.percentile(self.ink[y0:y1, x0:x1], (90, 2))
        cut = paper - max(DEFAULT_FILL_CONTRAST / 2, DEFAULT_MARK_SHARE * (paper - dark))
        for side in sides:
            a, b = (x1, min(region[2], x1 + reach)) if side > 0 else (max(region[0], x0 - reach), x0)
            if b - a < 2:
                continue
            strip = self.ink[y0:y1, a:b] < cut
            if side < 0:
                strip = strip[:, ::-1]  # columns from the line's end outwards
            inked = strip.any(axis=0)
            # the line's own glyph's pale edge, run on from the box, is no mark
            edge = int(np.argmin(inked)) if not inked.all() else inked.size
            cols = np.flatnonzero(inked[edge:]) + edge
            if not cols.size:
                continue
            end = 1  # the first blob: columns apart by no more than a mark's strokes (“)
            while end < cols.size and cols[end] - cols[end - 1] <= DEFAULT_MARK_SPLIT * th:
                end += 1
            near, far = int(cols[0]), int(cols[end - 1]) + 1
            rows = np.flatnonzero(strip[:, near:far].any(axis=1))
            wide, tall = far - near, int(rows[-1]) + 1 - int(rows[0])
            if near > gap or max(wide, tall) > size or max(wide, tall) < DEFAULT_MARK_LEAST * th:
                continue
            if side > 0:
                x1 = a + far
            else:
                x0 = b - far
        return (x0, y0, x1, y1)

    def drop_pale_ink(self, bbox: BBox) -> None:
        """Keep only print inside the round (or oval) seal whose box is `bbox`: a grey seal
        (a grayscale scan) hides under it.

        Red seals are already gone from `ink`; a grey one is paler than black print, and
        its ring merged with the labels it covers would otherwise swallow them whole. Only
        the seal's own disc is cleaned (the box's corners hold print and no seal), and
        on it print is what is darker than the ring's darker ink (`DEFAULT_SEAL_TONE`, the
        seal's ink measured where only its ring lies): grey print paler than half the
        paper (seed 1307 doc-0008: its dates at 125-160 under a ring at 165-180, paper 237)
        is kept, not wiped with the seal.
        """
        h, w = self.ink.shape[:2]
        x0, y0 = max(0, bbox[0]), max(0, bbox[1])
        x1, y1 = min(w, bbox[2]), min(h, bbox[3])  # a seal at the page's edge
        region = self.ink[y0:y1, x0:x1]
        if region.size == 0:
            return
        paper = float(np.percentile(region, 90))
        cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
        rx, ry = max(1.0, (bbox[2] - bbox[0]) / 2), max(1.0, (bbox[3] - bbox[1]) / 2)
        yy, xx = np.mgrid[y0:y1, x0:x1]
        d = np.hypot((xx - cx) / rx, (yy - cy) / ry)  # 1 on the seal's outer edge
        level = paper * DEFAULT_PRINT_DARKNESS
        ring = (d > DEFAULT_SEAL_RING) & (d < 1.0) & (region < paper - DEFAULT_FILL_CONTRAST)
        if ring.any():
            level = max(level, float(np.percentile(region[ring], DEFAULT_SEAL_TONE)))
        strict = region < paper * DEFAULT_PRINT_DARKNESS
        # what only the seal's tone keeps is print where it comes as strokes: the ring's
        # darkest specks (its tenth percentile, scattered) have few such neighbours
        toned = (region < level) & ~strict
        near = cv2.filter2D((toned | strict).astype(np.uint8), -1, np.ones((3, 3), np.float32),
                            borderType=cv2.BORDER_CONSTANT)
        toned &= near >= DEFAULT_SEAL_SPECK
        keep = strict | toned | (d > DEFAULT_SEAL_EDGE)
        self.ink = self.ink.copy()
        self.binary = self.binary.copy()
        self._forget((x0, y0, x1, y1))
        self.ink[y0:y1, x0:x1] = np.where(keep, region, np.uint8(paper))
        self.binary[y0:y1, x0:x1] = np.where(keep, self.binary[y0:y1, x0:x1], 0)

    def _forget(self, region: BBox) -> None:
        """Drop what was found or read from the page's pixels in `region` (about to change):
        the line boxes of each cell whose search (`lines`: the cell's rows a text height
        over and under, its columns out to where `_over_rule` measures a ruling) meets it,
        with their rulings and readings; the paragraphs whose cells meet it; and each
        reading whose crop, or the slot past its end a "。" is looked for in, meets it.
        Everything else reads the same after: a seal's pale ink dropped (`drop_pale_ink`)
        no longer has every line of the page read again (#20)."""
        th = self.text_height
        pad = int(th * DEFAULT_PAD)
        across = round(DEFAULT_OVER_RULE * th) + round(DEFAULT_RULE_LENGTH * th) + 2
        down = round(th) + 2
        stale: set[BBox] = set()
        for cell, boxes in list(self._lines_cache.items()):
            if boxes_meet((cell[0] - across, cell[1] - down, cell[2] + across, cell[3] + down), region):
                del self._lines_cache[cell]
                stale.update(boxes)
        for box in stale:
            self._rules.pop(box, None)
        for key in list(self._paragraph_cache):
            cell, outer = key
            x0, x1 = (cell[0], cell[2]) if outer is None else (min(cell[0], outer[0]),
                                                               max(cell[2], outer[2]))
            if boxes_meet((x0 - 1, cell[1] - 1, x1 + 1, cell[3] + 1), region):
                del self._paragraph_cache[key]
        tail = pad + int((DEFAULT_STOP_TAIL + 0.5) * th) + 2
        for b in list(self._read_cache):
            if b in stale or boxes_meet((b[0] - pad, b[1] - pad, b[2] + tail, b[3] + pad), region):
                del self._read_cache[b]

    def dash(self, bbox: BBox) -> BBox | None:
        """The box of a lone "—" in a cell (too flat to be a text line), if that is all it holds."""
        x0, y0, x1, y1 = _shrink(bbox, int(self.line_thickness * 2 + 2))
        if x1 - x0 < 8 or y1 - y0 < 8:
            return None
        # a thin pale dash falls apart under the text binarisation: measure it against the
        # paper, in the darkest channel (a pale blue pen stroke is light in `ink`)
        crop = self.ink[y0:y1, x0:x1] if self.image is None or self.image.ndim == 2 \
            else self.image[y0:y1, x0:x1].min(axis=2)
        # pale enough to be nothing but a straight horizontal run half a character long
        paper = cv2.dilate(crop, np.ones((7, 7), np.uint8)).astype(np.int16)
        # over the ground's own texture: a hatched ground's stripes are pale runs under
        # their paper all over the cell, a dash is darker than they are (seed 6143
        # doc-0015 p3: the stripes' pieces taken for writing, the emails' "—" not found)
        under = paper - crop
        pale = np.where(under > max(DEFAULT_DASH_DELTA, np.percentile(under, 90)
                                    + DEFAULT_DASH_DELTA / 2), 255, 0).astype(np.uint8)
        run = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(DEFAULT_DASH_MIN * self.text_height)), 1))
        region = cv2.morphologyEx(pale, cv2.MORPH_OPEN, run) | faint_ink(crop) | self.binary[y0:y1, x0:x1]
        # a straight vertical run taller than a glyph's stroke is no one's writing: a
        # scanner's streak down the page (a grey scan's dirty glass) crossing the dash made
        # one tall component of both, and the lone "—" was no longer found (fresh seed
        # 5209 doc-0011: coordinating.policy_support read blank, a false blank_field)
        region = without(region, vertical_rules(region, self.text_height))
        n, _, stats, _ = cv2.connectedComponentsWithStats(region, connectivity=8)
        th = self.text_height
        found, other = None, 0
        for i in range(1, n):
            x, y, w, h, area = (int(v) for v in stats[i])
            if DEFAULT_DASH_MIN * th <= w <= DEFAULT_DASH_MAX * th and h <= 0.35 * th and w >= 3 * h:
                found = (x0 + x, y0 + y, x0 + x + w, y0 + y + h)
            elif area > (0.15 * th) ** 2:
                other += area
        return found if found and other < (0.5 * th) ** 2 else None

    def _crop(self, b: BBox) -> np.ndarray:
        pad = int(self.text_height * DEFAULT_PAD)
        h, w = self.ink.shape[:2]
        x0, y0 = max(0, b[0] - pad), max(0, b[1] - pad)
        x1, y1 = min(w, b[2] + pad), min(h, b[3] + pad)
        crop = self.ink[y0:y1, x0:x1]
        if b in self._rules and crop.size:
            # the ruling beside the line: its stubs over and under the line are no glyph's
            # (a 0 with the ruling run through it and on past it reads `Φ`: seed 9857
            # doc-0019's `028-85635057`), nor its piece on the line's rows where no glyph
            # touches it (read `|` or `l` before the value: seed 6143 doc-0023
            # `lysx1612@163.cdm`, `|028-81512169`); each is made paper (`_clear`)
            for rx, ry, mask in self._rules[b]:
                ax, ay = max(x0, rx), max(y0, ry)
                bx, by = min(x1, rx + mask.shape[1]), min(y1, ry + mask.shape[0])
                if bx > ax and by > ay:
                    hole = np.zeros(crop.shape[:2], bool)
                    hole[ay - y0:by - y0, ax - x0:bx - x0] = mask[ay - ry:by - ry, ax - rx:bx - rx]
                    crop = _clear(crop, hole, (b[1] - y0, b[3] - y0), self.binary[y0:y1, x0:x1],
                                  round(DEFAULT_RULE_ALONE * self.text_height),
                                  max(2, round(DEFAULT_RULE_STEP * self.text_height)))
        return crop

    def read(self, regions: list[BBox], *, skip_empty: bool = True,
             paragraph: bool = False, outer: BBox | None = None) -> list[RegionText]:
        """The text of each region; one OCR batch for all of them. With `paragraph`, each
        region is a cell of free text, its lines found by `paragraph_lines` (in table
        `outer`)."""
        if self.words is not None:
            return [self._from_words(b) for b in regions]
        plans: list[list[BBox]] = []
        for b in regions:
            if skip_empty and self.ink_ratio(b) < DEFAULT_MIN_INK:
                plans.append([])
                continue
            plans.append(self.paragraph_lines(b, outer) if paragraph else self.lines(b))
        self._recognise([ln for lines in plans for ln in lines])
        pad = int(self.text_height * DEFAULT_PAD)
        out = []
        for b, lines in zip(regions, plans, strict=True):
            got = _read_once([(ln, (t, sc, [(c, max(0, ln[0] - pad) + x) for c, x in cs]))
                              for ln in lines for t, sc, cs in (self._read_cache[ln],)], pad)
            chars = tuple((c, x, ln) for ln, (_, _, cs) in got for c, x in cs)
            read = [(ln, t, s) for ln, (t, s, _) in got if t.strip()]
            if not read:
                dash = self.dash(b) if not lines else None
                out.append(RegionText("—", 0.9, dash, ((dash, "—", 0.9),)) if dash
                           else RegionText("", 1.0, None))
                continue
            box = (min(r[0][0] for r in read), min(r[0][1] for r in read),
                   max(r[0][2] for r in read), max(r[0][3] for r in read))
            whole = len(read) == len(got) and all(
                _accounted(ln, [x for _, x, cl in chars if cl == ln], self.text_height)
                for ln, _ in got)
            out.append(RegionText("".join(_join(read)), min(r[2] for r in read), box,
                                  tuple(read), chars, whole))
        return out

    def read_line_boxes(self, boxes: list[BBox]) -> list[tuple[str, float]]:
        """The text of line boxes already found (`lines`), one batch, shared with `read`."""
        if self.words is not None:
            return [(t.text, t.score) for t in (self._from_words(b) for b in boxes)]
        self._recognise(boxes)
        return [self._read_cache[b][:2] for b in boxes]

    def _recognise(self, boxes: list[BBox]) -> None:
        """Read the line boxes not read yet, in one batch, into the cache."""
        todo = list(dict.fromkeys(b for b in boxes if b not in self._read_cache))
        if not todo:
            return
        got = self.engine.recognize_chars([self._crop(b) for b in todo])
        pad = int(self.text_height * DEFAULT_PAD)
        for ln, (t, sc, cs) in zip(todo, got, strict=True):
            self._read_cache[ln] = self._full_stops(ln, t, sc, cs, max(0, ln[0] - pad))

    def _full_stops(self, line: BBox, text: str, score: float, chars: list, x0: int) -> tuple:
        """The recogniser drops a small "。" now and then, most of all at a line's end: a
        slot a character wide, unread, holding only a small ring low in the line, is one."""
        if not chars or " " in text or len(text) != len(chars):
            return text, score, chars
        th = self.text_height
        xs = [x0 + x for _, x in chars]
        slots = [(k + 1, a, b) for k, (a, b) in enumerate(zip(xs, xs[1:], strict=False))
                 if b - a >= DEFAULT_STOP_GAP * th]
        if not text.endswith(("。", ".", "，", ",", "；", "：")):
            # past the line's end too: a thin ring can fall under the page's threshold,
            # and then the line box stops before it
            slots.append((len(chars), xs[-1], xs[-1] + DEFAULT_STOP_TAIL * th + 0.5 * th))
        added = 0
        for at, a, b in slots:
            if self._ring_between(line, a + 0.5 * th, b - 0.5 * th):
                pos = at + added
                text = text[:pos] + "。" + text[pos:]
                chars = [*chars[:pos], ("。", (a + min(b, a + th)) / 2 - x0), *chars[pos:]]
                added += 1
        return text, score, chars

    def _ring_between(self, line: BBox, x0: float, x1: float) -> bool:
        """Only a small closed ring, in the lower part of the line, between x0 and x1."""
        th = self.text_height
        y0, y1 = line[1], line[3]
        a, b = max(0, round(x0)), min(self.binary.shape[1], round(x1))
        if b - a < 2 or y1 - y0 < 4:
            return False
        # against this line's own paper and print: a pale thin ring is ink here
        grey = self.ink[y0:y1, a:b]
        line_grey = self.ink[y0:y1, line[0]:line[2]]
        paper, dark = np.percentile(line_grey, 90), np.percentile(line_grey, 2)
        cut = paper - max(DEFAULT_FILL_CONTRAST / 2, 0.3 * (paper - dark))
        region = np.where(grey < cut, 255, 0).astype(np.uint8) | self.binary[y0:y1, a:b]
        contours, hier = cv2.findContours(region, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
        if hier is None:
            return False
        # what touches the slot's right side is the next character's: not in the slot
        outer = [i for i, h in enumerate(hier[0]) if h[3] < 0]
        rects = {i: cv2.boundingRect(contours[i]) for i in outer}
        outer = [i for i in outer if rects[i][0] + rects[i][2] < region.shape[1] - 1]
        if len(outer) != 1 or rects[outer[0]][0] == 0:
            return False
        x, y, w, h = cv2.boundingRect(contours[outer[0]])
        has_hole = hier[0][outer[0]][2] >= 0
        return (has_hole and max(w, h) <= DEFAULT_STOP_SIZE * th and min(w, h) >= 0.12 * th
                and y + h / 2 > 0.4 * (y1 - y0) and 0.6 <= w / max(1, h) <= 1.6)

    def read_fills(self, blanks: list[BBox]) -> list[RegionText | None]:
        """What is written in each blank of a printed line (above its underline), read as
        one tight crop; None for a blank holding no ink. One batch for all of them."""
        if self.words is not None:
            return [self._from_words(b) for b in blanks]
        th = self.text_height
        boxes: list[BBox | None] = []
        for b in blanks:
            x0, y0, x1, y1 = (max(0, round(v)) for v in (b[0], b[1] - 0.3 * th, b[2], b[3] + 0.3 * th))
            ink = self.binary[y0:y1, x0:x1]
            if ink.size == 0:
                boxes.append(None)
                continue
            # A lone thin digit on open paper can fall under the page threshold's contrast
            # bar (its window is mostly paper): against this blank's own paper it is ink.
            grey = self.ink[y0:y1, x0:x1]
            cut = paper_cut(grey, DEFAULT_FILL_SHARE, DEFAULT_FILL_CONTRAST)
            ink = ink | np.where(grey < cut, 255, 0).astype(np.uint8)
            # the underline, and a cell's border at the end of the blank: long straight runs,
            # measured inside the crop: past its edge is no ink (OpenCV's default border
            # for the opening counts it as ink, and a tall `1` the crop's top cuts ran on
            # past it as a border: seed 8527 doc-0021's budget `31` read `3`)
            runs = _runs(ink, (max(3, round(1.5 * th)), 1)) | _runs(ink, (1, max(3, round(1.3 * th))))
            ink = cv2.bitwise_and(ink, cv2.bitwise_not(cv2.dilate(runs, np.ones((3, 3), np.uint8))))
            n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
            w = ink.shape[1]
            keep = [st for st in stats[1:n] if st[3] >= 0.25 * th  # not a speck, nor a
                    and not (st[2] <= max(2, 0.1 * th)  # sliver of a border at either end
                             and (st[0] == 0 or st[0] + st[2] >= w))]
            if not keep:
                boxes.append(None)
                continue
            bx0 = min(int(s[0]) for s in keep)
            by0 = min(int(s[1]) for s in keep)
            bx1 = max(int(s[0] + s[2]) for s in keep)
            by1 = max(int(s[1] + s[3]) for s in keep)
            boxes.append((x0 + bx0, y0 + by0, x0 + bx1, y0 + by1))
        todo = [b for b in boxes if b is not None]
        read = iter(self.engine.recognize([self._crop(b) for b in todo])) if todo else iter(())
        out: list[RegionText | None] = []
        for b in boxes:
            if b is None:
                out.append(None)
                continue
            t, sc = next(read)
            out.append(RegionText(t, sc, b, ((b, t, sc),)))
        return out

    def chars(self, bbox: BBox) -> list[tuple[str, float, BBox]]:
        """Each character read in a region: (char, x centre on the page, its line's box).

        Where a printed label sits inside a line (a checkbox option's words) matters more
        than the line's text; from the text layer, a word's width is shared by its chars.
        """
        if self.words is not None:
            out = []
            for w in self._words_in(bbox):
                n = max(1, len(w.text))
                step = (w.bbox[2] - w.bbox[0]) / n
                out += [(c, w.bbox[0] + (i + 0.5) * step, w.bbox) for i, c in enumerate(w.text)]
            return out
        return list(self.read([bbox])[0].chars)

    def _words_in(self, b: BBox) -> list:
        return [w for w in self.words
                if b[0] <= (w.bbox[0] + w.bbox[2]) / 2 < b[2] and b[1] <= (w.bbox[1] + w.bbox[3]) / 2 < b[3]]

    def _from_words(self, b: BBox) -> RegionText:
        inside = self._words_in(b)
        if not inside:
            return RegionText("", 1.0, None)
        inside.sort(key=lambda w: (round(w.bbox[1] / self.text_height), w.bbox[0]))
        lines: list[tuple[BBox, str, float]] = [(w.bbox, w.text, 1.0) for w in inside]
        box = (min(w.bbox[0] for w in inside), min(w.bbox[1] for w in inside),
               max(w.bbox[2] for w in inside), max(w.bbox[3] for w in inside))
        return RegionText("".join(_join(lines)), 1.0, box, tuple(lines))


def paragraph_boxes(ink: np.ndarray, th: float) -> list[BBox]:
    """`PageText.paragraph_lines` of an ink mask, rules already removed (its pixels)."""
    boxes = lines_from_ink(ink, th)
    # what the line finder left out (a blob taller than any line): lines run together
    left = ink.copy()
    for b in boxes:
        left[b[1]:b[3], b[0]:b[2]] = 0
    tall = []
    if cv2.countNonZero(left):
        gap, ky = max(round(1.2 * th), 2), max(int(0.3 * th), 1)
        joined = cv2.dilate(left, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, ky)))
        n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
        for x, y, w, h, _area in stats[1:n]:
            if h > DEFAULT_TWO_LINES * th:
                tall.append((int(x), int(y), int(x + w), int(y + h)))
    out: list[BBox] = []
    for b, src in [*((b, ink) for b in boxes), *((b, left) for b in tall)]:
        if b[3] - b[1] <= DEFAULT_PARAGRAPH_SPLIT * th and src is ink:
            out.append(b)
            continue
        sub = src[b[1]:b[3], b[0]:b[2]]
        cuts = _valley_cuts(sub, th)
        if not cuts:
            if src is ink:
                out.append(b)  # one tall line (a hand's large glyphs): as it was found
            continue
        for top, part in _part_ink(sub, cuts, th):
            out += [(b[0] + p[0], b[1] + top + p[1], b[0] + p[2], b[1] + top + p[3])
                    for p in lines_from_ink(part, th, _split_depth=2)]
    return _join_rows(reading_order(out), th)


def _runs(ink: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The straight runs of `ink` at least `size` (w, h) long, within the image: past its
    edge there is no ink."""
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size),
                            borderType=cv2.BORDER_CONSTANT, borderValue=0)


def _read_once(got: list[tuple[BBox, tuple]], pad: int) -> list[tuple[BBox, tuple]]:
    """Line readings `(box, (text, score, [(char, x on the page)]))` in reading order, a line
    found as two boxes one over the other read once: the line finder parts a line of large
    glyphs at a valley of their strokes (a hand's 崔志然 1.6 text heights tall, cut under
    its 山 and 士), and each half's crop, padded, shows the recogniser the whole line
    (seed 9133 doc-0021: `崔志然崔志然`, `生育委员会生育委员会`). Two boxes are one line
    when they lie one over the other, their crops overlap, and they read the same (all
    but a character): two lines of a wrapped cell never repeat each other. The union box
    keeps the surer reading.

    >>> _read_once([((0, 0, 60, 25), ("崔志然", 1.0, [])), ((0, 20, 60, 40), ("崔志然", 0.9, [])),
    ...             ((0, 50, 60, 75), ("崔志然", 1.0, []))], 6)
    [((0, 0, 60, 40), ('崔志然', 1.0, [])), ((0, 50, 60, 75), ('崔志然', 1.0, []))]
    """
    out: list[tuple[BBox, tuple]] = []
    for ln, r in got:
        if out:
            pl, pr = out[-1]
            stacked = min(pl[2], ln[2]) - max(pl[0], ln[0]) >= 0.5 * min(pl[2] - pl[0], ln[2] - ln[0])
            a, b = clean(pr[0]), clean(r[0])
            apart = max(ln[1], pl[1]) - min(ln[3], pl[3])  # < 0: their rows overlap
            if stacked and apart < pad and a and b \
                    and SequenceMatcher(None, a, b).ratio() >= DEFAULT_SAME_READ:
                out[-1] = ((min(pl[0], ln[0]), min(pl[1], ln[1]), max(pl[2], ln[2]),
                            max(pl[3], ln[3])), r if r[1] > pr[1] else pr)
                continue
        out.append((ln, r))
    return out


def without_specks(ink: np.ndarray, least: float) -> np.ndarray:
    """`ink` without its blobs smaller than `least` px both ways: a ruling's rough edge,
    left when the ruling's own run is taken out, is no glyph."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = (stats[:, cv2.CC_STAT_WIDTH] < least) & (stats[:, cv2.CC_STAT_HEIGHT] < least)
    small[0] = True
    return np.where(small[labels], 0, ink).astype(np.uint8)


def _clear(grey: np.ndarray, hole: np.ndarray, line: tuple[int, int] = (0, 0),
           ink: np.ndarray | None = None, least: int = 1, step: int = 3) -> np.ndarray:
    """`grey` with a ruling (`hole`, its pixels) made paper where it stands alone.

    A row's run of the ruling stands alone where paper lies on both sides of it (in
    `grey`, and in `ink` if given). Off the line's rows (`line`: first, last + 1) each
    such row is paper: the ruling's stubs over and under the line. On the line's rows a
    glyph's stroke may lie on the ruling, and a row where it stands alone is paper only
    in a stretch of such rows run on from the stubs (the ruling over and under the glyph
    touching it), or at least `least` rows long between two rows a glyph touches (a 1's
    stem beside it, touching it at its flag and its foot): a shorter one is the ruling
    where a glyph's stroke lies on it (the bowl of a 6), left. Rows a glyph touches are
    left whole, and where a glyph crosses the ruling (ink on both sides of it: a 0
    across it) all the line's rows are. The run is paper with its pale rim. A turned
    ruling's step, a pixel aside over more than `step` rows, is the ruling's.

    >>> g = np.full((7, 7), 200, np.uint8)
    >>> g[:, 3] = 40  # the line's rows 1 to 5: a stroke against the ruling on row 2
    >>> g[2, 4:6] = 40
    >>> _clear(g, (g < 100) & (np.arange(7) >= 3) & (np.arange(7) <= 4), (1, 6))[:, 3].tolist()
    [200, 200, 40, 200, 200, 200, 200]
    >>> g[4, 1:3] = g[4, 4:6] = 40  # a stroke across it: the line's rows are left
    >>> _clear(g, (g < 100) & (np.arange(7) >= 3) & (np.arange(7) <= 4), (1, 6))[:, 3].tolist()
    [200, 40, 40, 40, 40, 40, 200]
    """
    out = grey.copy()
    paper, dark = np.percentile(grey, (90, 2))
    inked = grey < paper - 0.5 * (paper - dark)
    if ink is not None:
        inked |= ink > 0
    w = grey.shape[1]
    # row: the run's first and last + 1 column, ink touching it on its left, on its right
    runs = {int(y): (int(c[0]), int(c[-1]) + 1)
            for y in np.flatnonzero(hole.any(axis=1)) for c in (np.flatnonzero(hole[y]),)}
    # a turned ruling steps a pixel aside down its height, and its mask (found on whole
    # columns) misses the step: ink one pixel wide along the run, paper past it, over more
    # rows than a glyph's stroke is thick (`step`: a glyph's tail reaches past the line) is the
    # ruling's own (seed 9133 doc-0023, a 1-bit page: the ruling right of 联系人 was left
    # on the rows of its step, a glyph taken to touch it there, and read `！`)
    sliver = {y: (a > 0 and bool(inked[y, a - 1]) and not inked[y, max(0, a - 3):a - 1].any(),
                  b < w and bool(inked[y, b]) and not inked[y, b + 1:min(w, b + 3)].any())
              for y, (a, b) in runs.items()}
    spans: dict[int, tuple[int, int, bool, bool]] = {}
    for y, (a, b) in runs.items():
        for side in (0, 1):
            if not sliver[y][side]:
                continue
            first = last = y
            while first - 1 in sliver and sliver[first - 1][side]:
                first -= 1
            while last + 1 in sliver and sliver[last + 1][side]:
                last += 1
            if last + 1 - first < step:
                continue
            a, b = (a - 1, b) if side == 0 else (a, b + 1)
        spans[y] = (a, b, bool(inked[y, max(0, a - 2):a].any()),
                    bool(inked[y, b:min(w, b + 2)].any()))
    off = [y for y, (_, _, left, right) in spans.items()
           if not (left or right) and not line[0] <= y < line[1]]
    if not off:
        return out
    # the ruling's width where it stands alone off the line, at its wider rows: a 1-bit
    # ruling's edges are rough, a pixel wider on some rows than on others
    ruling = int(np.ceil(np.percentile([spans[y][1] - spans[y][0] for y in off], 90)))
    # a glyph across the ruling (a 0, a 6 at the cell's edge): the line's rows are left
    # whole, the glyph's stroke on the ruling cannot be told from it there
    crossed = any(left and right for y, (_, _, left, right) in spans.items()
                  if line[0] <= y < line[1])
    alone = {y for y, (a, b, left, right) in spans.items()
             if not (left or right) and (b - a <= ruling + 1 or not line[0] <= y < line[1])}
    clear = {y for y in alone if not line[0] <= y < line[1]}
    if not crossed:
        # the line's rows: stretches where the ruling stands alone, run on from its stubs
        # over or under the line, or longer than a glyph's stroke on it between two rows
        # a glyph touches (the bowl of a 6 on the ruling: its rows are left)
        rows = [y for y in range(max(0, line[0]), min(grey.shape[0], line[1])) if y in spans]
        part: list[int] = []
        for y in [*rows, -1]:
            if y in alone:
                part.append(y)
                continue
            if part and (part[0] == rows[0] or y < 0 or len(part) >= least):
                clear.update(part)
            part = []
    for y in clear:
        ea, eb = spans[y][:2]
        # with the ruling's pale rim, a pixel either side where no glyph's ink is
        ea -= ea > 0 and not inked[y, ea - 1]
        eb += eb < w and not inked[y, eb]
        out[y, ea:eb] = np.uint8(paper)
    return out


def _ink_reach(inked: np.ndarray, ruled: np.ndarray, join: int, stroke: int, limit: int,
               slack: int, near: int = 1, least: int = 1) -> int:
    """How many columns outward from a line's end (`inked`, `ruled`: each column's state,
    nearest first) hold the line's ink: ink within `join` of the last, up to the first
    ruling met within `limit` + `slack` columns (`limit`: to the region's edge; `slack`:
    the margin over its ruling), else up to `limit` columns; past the ruling a glyph
    crossing it (its ink touching it on both sides, its strokes apart by at most
    `stroke`) that ends before the strip does (ink running on is the next cell's). On
    the region's side the line's ink comes within `near` columns of the ruling: a glyph
    whose own stroke lies on it (a 1's stem, a 0's side) shows none there, only the
    line's next glyph, its side bearing and the letter spacing off; the glyph's body
    past the ruling is then at least `least` columns wide (a ruling's rough edge, a
    pixel of it beside its run, is narrower).

    >>> ink, rule = np.array([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1]), np.zeros(12, bool)
    >>> rule[4:6] = True  # a 0 across the ruling, the label clear of it
    >>> _ink_reach(ink, rule, 3, 1, 3, 2)
    8
    >>> _ink_reach(np.array([0, 1, 0, 0, 1, 1, 0, 1]), np.zeros(8, bool), 3, 1, 3, 2)
    2
    """
    n, reached, gap = len(inked), 0, 0
    first = int(np.argmax(ruled)) if ruled.any() else n
    end = first if first < limit + slack else min(n, limit)  # no ruling: the region's edge
    for i in range(end):
        if inked[i]:
            reached, gap = i + 1, 0
        else:
            gap += 1
            if gap > join:
                return reached
    i = end
    if i >= n or not ruled[i] or i - reached > near:
        return reached  # no ruling, or the line's ink stopping short of it
    wide = 1 if i - reached <= 1 else least  # the line's ink touching the ruling, or not
    j = i
    while j < n and ruled[j]:
        j += 1
    if j >= n or not inked[j:j + 2].any():
        return reached  # nothing touching it from beyond
    last, gap = j, 0
    for k in range(j, n):
        if ruled[k]:
            return reached
        if inked[k]:
            last, gap = k, 0
        else:
            gap += 1
            if gap > stroke:
                return last + 1 if last + 1 - j >= wide else reached
    return reached


def _without_nested(boxes: list[BBox]) -> list[BBox]:
    """Line boxes but each lying (nearly, `DEFAULT_NESTED`) inside another one: the other's
    crop reads its ink, and read again on its own it repeats the line's tail (seed 9133
    doc-0023: `任务。` inside `同意。保证按期完成试点任务。` read `…任务。任务。`).

    >>> _without_nested([(0, 0, 100, 20), (70, 0, 100, 18), (0, 30, 50, 50)])
    [(0, 0, 100, 20), (0, 30, 50, 50)]
    """
    def area(b: BBox) -> int:
        return max(0, b[2] - b[0]) * max(0, b[3] - b[1])

    out = []
    for i, b in enumerate(boxes):
        inside = False
        for j, o in enumerate(boxes):
            if j == i or area(o) < area(b) or (area(o) == area(b) and j > i):
                continue
            common = area((max(b[0], o[0]), max(b[1], o[1]), min(b[2], o[2]), min(b[3], o[3])))
            if common and common >= DEFAULT_NESTED * area(b):
                inside = True
                break
        if not inside:
            out.append(b)
    return out


def _join_rows(boxes: list[BBox], th: float) -> list[BBox]:
    """Neighbouring boxes of one row (in reading order, level by half the lower one's
    height, apart by at most `DEFAULT_PARAGRAPH_JOIN`) as one box.

    >>> _join_rows([(0, 0, 100, 20), (150, 6, 300, 26), (0, 40, 90, 60)], 20.0)
    [(0, 0, 300, 26), (0, 40, 90, 60)]
    """
    out: list[BBox] = []
    for b in boxes:
        if out:
            o = out[-1]
            level = min(o[3], b[3]) - max(o[1], b[1]) >= 0.5 * min(o[3] - o[1], b[3] - b[1])
            if level and o[0] < b[0] and b[0] - o[2] <= DEFAULT_PARAGRAPH_JOIN * th:
                out[-1] = (o[0], min(o[1], b[1]), max(o[2], b[2]), max(o[3], b[3]))
                continue
        out.append(b)
    return out


def _accounted(line: BBox, xs: list[float], th: float) -> bool:
    """Whether characters centred at `xs` account for the ink of `line` end to end (a
    character the recogniser dropped leaves a gap a character wide; a line box two lines
    tall, run together, may have had one of them read)."""
    if not xs or line[3] - line[1] > DEFAULT_ONE_LINE * th:
        return False
    xs = sorted(xs)
    return (xs[0] - line[0] <= DEFAULT_EDGE_GAP * th and line[2] - xs[-1] <= DEFAULT_EDGE_GAP * th
            and all(b - a <= DEFAULT_CHAR_GAP * th for a, b in zip(xs, xs[1:], strict=False)))


def _join(read: list[tuple[BBox, str, float]]) -> list[str]:
    """Join line texts; a space only between two Latin/digit ends (e.g. wrapped e-mails do not)."""
    parts: list[str] = []
    for _, t, _ in read:
        t = t.strip()
        if parts and parts[-1][-1:].isascii() and t[:1].isascii() and parts[-1][-1:].isalpha() and t[:1].isalpha():
            parts.append(" ")
        parts.append(t)
    return parts


@dataclass
class PageMeasure:
    """A page measured for reading (grey, binary, scale, its `PageText`, its tables), made
    once by whichever stage reads the page's outline first: the orientation check (given
    the form's template), classification, or else the readers. The readers then take it
    over, with every line read before them in its cache."""

    ink: np.ndarray
    binary: np.ndarray
    scale: PageScale
    text: PageText
    grids: list[Grid]


def measure_page(page, engine, *, keep: bool = True) -> PageMeasure:
    """The page's `PageMeasure`: the one kept on `page.measured` (made for this image and
    engine), else a new one, kept there when `keep` (for the next stage to take over)."""
    kept = getattr(page, "measured", None)
    if kept is not None and kept[0] is page.image and kept[1].text.engine is engine:
        return kept[1]
    ink = page.grey()  # ink_gray of the image, made once in ingest
    binary = binarize(ink)
    scale = measure_scale(binary)
    text = PageText(ink, binary, scale.text_height, scale.line_thickness, engine,
                    words=page.words, image=page.image)
    grids = outer_grids(find_grids(page.image, scale, gray=ink, binary=binary,
                                   photo=getattr(page, "capture", "") == "photo"))
    m = PageMeasure(ink, binary, scale, text, grids)
    if keep:
        page.measured = (page.image, m)
    return m


def take_measure(page, engine) -> PageMeasure:
    """The page's measure for the readers, no longer kept on the page: it lives as long as
    the reader's work on the page (a page's binary and line caches are megabytes)."""
    m = measure_page(page, engine, keep=False)
    if getattr(page, "measured", None) is not None:
        page.measured = None
    return m


def outer_grids(grids: list[Grid]) -> list[Grid]:
    """The tables of the page: a grid inside another one's frame is pen strokes in one of
    its cells (a signature's loops), not a table of the form (this form nests none)."""
    def inside(a: Grid, b: Grid) -> bool:
        return (a is not b and b.bbox[0] <= a.bbox[0] and b.bbox[1] <= a.bbox[1]
                and a.bbox[2] <= b.bbox[2] and a.bbox[3] <= b.bbox[3])
    return [g for g in grids if not any(inside(g, o) for o in grids)]


def heading_chars(headings: list[str]) -> int:
    """The most characters a line that is one of `headings` holds (page marks beside it)."""
    return max((len(clean(h)) for h in headings if h), default=0) + DEFAULT_HEADING_EXTRA


def inked_width(binary: np.ndarray, box: BBox, text_height: float) -> int:
    """Columns of `box` holding ink, rules and underlines left out: how much a line writes,
    whatever its letter spacing."""
    crop = binary[box[1]:box[3], box[0]:box[2]]
    if crop.size == 0:
        return 0
    return int(remove_rules(crop, text_height).any(axis=0).sum())


def outline_rows(text: PageText, grids: list[Grid], binary: np.ndarray, text_height: float,
                 most_chars: int | None = None) -> list[list[BBox]]:
    """The lines a heading can be, as rows of line boxes: each grid row's first line of
    text across its cells (a heading row cut into cells by a column's ruling taken for
    running through it reads whole again) and every line outside the page's tables.

    With `most_chars`, a line outside the tables that inks more than that many characters'
    width is left out: body text (a page of notes, 四's printed terms) no reader wants.
    Classification and the outline ask for the same rows, so they read the same crops.
    """
    th = text_height
    rows: list[list[BBox]] = []
    for g in grids:
        for cells in g.rows_of_cells():
            row: list[BBox] = []
            for c in cells:
                if c.bbox[3] - c.bbox[1] < 0.8 * th:
                    continue
                lines = text.lines(c.bbox)
                if lines:
                    top = lines[0]
                    row += [ln for ln in lines if top[1] <= (ln[1] + ln[3]) / 2 <= top[3]]
            if row:
                rows.append(sorted(row, key=lambda b: b[0]))
    h, w = binary.shape[:2]
    widest = None if most_chars is None else most_chars * DEFAULT_HEADING_INK * th
    rows += [[ln] for ln in text.lines((0, 0, w, h))
             if not any(g.bbox[0] <= (ln[0] + ln[2]) / 2 <= g.bbox[2]
                        and g.bbox[1] <= (ln[1] + ln[3]) / 2 <= g.bbox[3] for g in grids)
             and (widest is None or ln[2] - ln[0] <= widest
                  or inked_width(binary, ln, th) <= widest)]
    return rows


def read_outline(m, most_chars: int | None = None
                 ) -> tuple[list[list[BBox]], dict[BBox, tuple[str, float]]]:
    """The page's `outline_rows` and each of their lines' (text, score), read in one batch
    in `outline_boxes` order. `m` is the page measured (a `PageMeasure`, or the readers'
    `PageWork`): whichever stage reads the outline first fills the cache the others take."""
    rows = outline_rows(m.text, m.grids, m.binary, m.scale.text_height, most_chars)
    boxes = outline_boxes(rows)
    return rows, dict(zip(boxes, m.text.read_line_boxes(boxes), strict=True))


def outline_boxes(rows: list[list[BBox]]) -> list[BBox]:
    """The distinct line boxes of `outline_rows`, in the order they are read (one batch:
    the order decides which crops share a batch, so both readers of it use this)."""
    return list(dict.fromkeys(b for r in rows for b in r))
