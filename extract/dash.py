"""A lone dash written on a blank's underline (`有，预算额度__—__万元`).

The form's rule 4 says an unused blank gets `—`. On the underline the dash is a short flat
stroke a little above a long one: the fill reader drops it as a speck (it has no height),
and a whole-line reading often skips it. Found by shape: flat, at least half a character
wide, clear of the underline, and alone.

>>> import numpy as np
>>> ink = np.zeros((40, 120), np.uint8)
>>> ink[34:36, 0:120] = 255  # the underline
>>> ink[18:21, 45:75] = 255  # the dash
>>> dash_in(ink, (0, 0, 120, 40), 30.0)
(45, 18, 75, 21)
>>> ink[8:30, 90:94] = 255  # a digit's stroke beside it: not a lone dash
>>> dash_in(ink, (0, 0, 120, 40), 30.0) is None
True
>>> ink[:] = 0
>>> ink[34:36, 0:70] = 255  # an underline ending halfway along the blank, nothing on it
>>> dash_in(ink, (0, 0, 120, 40), 30.0) is None
True
>>> ink[24:27, 20:45] = 255  # a dash on it
>>> dash_in(ink, (0, 0, 120, 40), 30.0)
(20, 24, 45, 27)
>>> grey = np.where(ink > 0, 40, 250).astype(np.uint8)
>>> grey[24:27, 20:45], ink[24:27, 20:45] = 120, 0  # a pale dash the page threshold lost
>>> dash_in(ink, (0, 0, 120, 40), 30.0) is None, dash_in(ink, (0, 0, 120, 40), 30.0, grey)
(True, (20, 24, 45, 27))
"""

from __future__ import annotations

import cv2
import numpy as np
from tasksheet.extract.scale import paper_cut

BBox = tuple[int, int, int, int]
DEFAULT_MIN_WIDTH = 0.5  # × text height: a dash is at least half a character wide
DEFAULT_MAX_HEIGHT = 0.4  # × text height: and flat
DEFAULT_FLATNESS = 2.5  # width over height
DEFAULT_UNDERLINE_SPAN = 0.8  # share of the blank an underline (or a border) runs along
DEFAULT_UNDERLINE_MIN = 2.0  # × text height: an underline is at least this long
DEFAULT_CONTRAST = 20  # grey levels under the blank's paper that count as ink
DEFAULT_SHARE = 0.5  # or this share of the way to the blank's darkest ink
DEFAULT_INK = 0.2  # × text height: a component this tall or wide is writing, not a speck
DEFAULT_GAP = 0.15  # × text height: gaps a pale stroke breaks into at the threshold, closed
DEFAULT_UNDERLINE_LEN = 2.0  # × text height: a level run this long under a blank is its underline
DEFAULT_UNDERLINE_BELOW = 0.6  # × text height: how far under the blank's line it is looked for


def dash_in(ink: np.ndarray, blank: BBox, text_height: float,
            grey: np.ndarray | None = None, end: int | None = None) -> BBox | None:
    """The box of a lone dash in `blank` of a binary page (ink 255), else None.

    With the page's `grey`, ink is also what is dark against this blank's own paper: a
    thin pen dash on a soft photo falls under the page threshold's contrast bar. `end` is
    where the blank's underline ends (`underline_end`, as the caller measured it on the
    blank's line), else measured on `blank`: a dash past it is not the blank's
    (`past_underline`).
    """
    x0, y0, x1, y1 = (max(0, int(v)) for v in blank)
    sub = ink[y0:y1, x0:x1] > 0
    if sub.size == 0:
        return None
    if grey is not None:
        g = grey[y0:y1, x0:x1]
        sub = sub | (g < paper_cut(g, DEFAULT_SHARE, DEFAULT_CONTRAST))
    # a pale pen's dash breaks into pieces at the threshold, a slanted one a row apart:
    # pieces a stroke's width apart are one stroke, measured on its own pixels
    gap = max(3, round(DEFAULT_GAP * text_height)) | 1  # odd: a centred kernel moves nothing
    sub = sub.astype(np.uint8)
    n, labels = cv2.connectedComponents(cv2.dilate(sub, np.ones((3, gap), np.uint8)),
                                        connectivity=8)
    stats = _boxes(labels * sub, n)
    w, h = sub.shape[1], sub.shape[0]
    flat, other = [], 0
    for x, y, cw, ch in stats:
        if cw >= DEFAULT_UNDERLINE_SPAN * w or ch >= 0.9 * h:
            continue  # the underline along the whole blank, or a border
        if max(cw, ch) < DEFAULT_INK * text_height:
            continue  # a speck
        # a flat piece the window's top or bottom edge cuts: a ruling's, which a 1-bit
        # scan broke into pieces (re-captured wp-03, 1-bit: the cell's top border over
        # 其他's blank, and its "—" not read); a dash lies on the blank, inside the window
        if (ch <= DEFAULT_MAX_HEIGHT * text_height and cw >= DEFAULT_FLATNESS * ch
                and (y == 0 or y + ch == h)):
            continue
        if (cw >= DEFAULT_MIN_WIDTH * text_height and ch <= DEFAULT_MAX_HEIGHT * text_height
                and cw >= DEFAULT_FLATNESS * ch):
            flat.append((int(x), int(y), int(x + cw), int(y + ch)))
        else:
            other += 1
    # an underline shorter than the blank (`其他，____` with the blank up to the cell's
    # end): the lowest long flat stroke, with the dash above it
    low = max(flat, key=lambda b: b[3], default=None)
    if low is not None and low[2] - low[0] >= DEFAULT_UNDERLINE_MIN * text_height:
        flat = [b for b in flat if b is not low and b[3] <= low[1]]  # over it
    if end is None:
        end = underline_end(ink, blank, text_height)
    flat = [b for b in flat if not past_underline(x0 + b[0], end)]
    if len(flat) != 1 or other:
        return None
    bx0, by0, bx1, by1 = flat[0]
    return (x0 + bx0, y0 + by0, x0 + bx1, y0 + by1)


def underline_end(binary: np.ndarray, blank: BBox, th: float) -> int | None:
    """Where the underline of a blank ends (x), None where none is seen or it runs the whole
    blank. A blank with no printed word after it (`其他，____`) runs to the cell's end; where
    the group does not apply (经费支持 无) rule 4's "—" is written after all its options,
    past the underline: not the blank's fill. Looked for from the middle of the blank's line
    down to a little under it; a level run through the whole blank is a border.

    >>> ink = np.zeros((40, 300), np.uint8)
    >>> ink[34:36, 0:150] = 255  # the underline, ending halfway
    >>> ink[38, :] = 255  # a cell's border, under all of it
    >>> underline_end(ink, (0, 0, 300, 30), 30.0)
    150
    >>> ink[34:36, :] = 255  # an underline along the whole blank
    >>> underline_end(ink, (0, 0, 300, 30), 30.0) is None
    True
    """
    x0, x1 = int(blank[0]), int(blank[2])
    y0 = int((blank[1] + blank[3]) / 2)
    y1 = int(blank[3] + DEFAULT_UNDERLINE_BELOW * th)
    band = binary[y0:y1, x0:x1] > 0
    ends = []
    for row in band:
        padded = np.concatenate(([0], row.astype(np.int8), [0]))
        edges = np.flatnonzero(np.diff(padded))
        ends += [x0 + int(stop) for start, stop in zip(edges[::2], edges[1::2], strict=True)
                 if DEFAULT_UNDERLINE_LEN * th <= stop - start < len(row)]
    return max(ends) if ends else None


def past_underline(x: float, end: int | None) -> bool:
    """Whether a dash starting at `x` lies past its blank's underline, which ends at `end`
    (`underline_end`; None: it runs the whole blank). A blank with no printed word after
    it (`其他，____`) runs to the cell's end; where the group does not apply (经费支持 无),
    rule 4's "—" is written after all its options, past the underline: the group's, not
    the blank's fill. The one place this is decided, for a dash found by its shape
    (`dash_in`) and one the recogniser read (`readers.checkboxes`).

    >>> past_underline(160, 150), past_underline(40, 150), past_underline(160, None)
    (True, False, False)
    """
    return end is not None and x >= end


def _boxes(labels: np.ndarray, n: int) -> list[tuple[int, int, int, int]]:
    """(x, y, width, height) of each label 1..n-1's pixels, where it has any."""
    out = []
    for k in range(1, n):
        ys, xs = np.nonzero(labels == k)
        if len(xs):
            out.append((int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1),
                        int(ys.max() - ys.min() + 1)))
    return out
