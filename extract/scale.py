"""Page scale: ink image, binarisation, and the stroke / text / ruling sizes of a page.

Every other detector expresses its kernels and tolerances as multiples of these measures,
so one code path serves scans from 150 to 600 DPI (the img2table / pdfplumber lesson).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

DEFAULT_SAUVOLA_K = 0.2
DEFAULT_SAUVOLA_R = 128.0
DEFAULT_MIN_CONTRAST = 25  # grey levels: flatter neighbourhoods hold no ink
DEFAULT_STROKE = 3.0
DEFAULT_TEXT_HEIGHT = 30.0  # ~ a 10.5 pt character at 200 DPI
# of the text height either side: a glyph this near it is one the measure rests on
DEFAULT_GLYPH_SPREAD = 0.15


@dataclass(frozen=True)
class PageScale:
    """Typical sizes of a page, in pixels."""

    stroke: float
    text_height: float
    line_thickness: float
    # the character-sized blobs within `DEFAULT_GLYPH_SPREAD` of `text_height`: how many
    # glyphs the measure rests on. A page of print has hundreds; a sparse page (section
    # 五's last block: labels run into the cell's rules, a seal's star and arc, a pen)
    # a handful, and its height is then no glyph's (`ingest.text_height`)
    glyphs: int = field(default=0, compare=False)


def components(mask: np.ndarray, connectivity: int = 8
               ) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """`cv2.connectedComponentsWithStats` with 16-bit labels, falling back to 32-bit when a
    mask has 65,535 components or more (OpenCV raises then, it never wraps): the same
    count, labels, stats and centroids, a third less CPU on a page (#20: the dilated page
    of `lines_from_ink` took 11 of 116 CPU s of seed 191's first 8 documents)."""
    try:
        return cv2.connectedComponentsWithStats(mask, connectivity=connectivity, ltype=cv2.CV_16U)
    except cv2.error:
        return cv2.connectedComponentsWithStats(mask, connectivity=connectivity, ltype=cv2.CV_32S)


def ink_gray(image: np.ndarray) -> np.ndarray:
    """Grey image in which red/pink seal ink is pale but black and blue ink stay dark.

    The maximum over the colour channels keeps a pixel dark only when it absorbs all
    light: red seals (high R) and coloured cell fills turn light, black print stays black,
    and blue ballpoint (low R and G) stays mid-dark. Grey input passes through.
    """
    if image.ndim == 2:
        return image
    if image.size == 0:  # an empty cut (cv2.split gives no planes)
        return np.zeros(image.shape[:2], np.uint8)
    # Three planes and two in-place maxima: the same values as HSV's V (max(B, G, R)),
    # at half its cost (an HSV conversion computes hue and saturation too: 6.0 vs 2.9 ms
    # on a 200-300 DPI page, 1 thread), and 10x faster than np.max(axis=2).
    b, g, r = cv2.split(image)[:3]
    cv2.max(b, g, dst=b)
    cv2.max(b, r, dst=b)
    return b


def percentile_u8(gray: np.ndarray, q: float) -> float:
    """`np.percentile(gray, q)` of a uint8 image, exactly, from its histogram.

    A page's paper level is its 90th percentile; numpy sorts the 4 M pixels of a page for
    it, a histogram counts them at a third of the cost. Where the sorted values round the
    percentile's position differ (the interpolation would need numpy's own rounding of
    that position), numpy is asked after all: the answer is numpy's in every case.

    >>> g = np.array([[0, 10, 10, 200]], np.uint8)
    >>> [bool(percentile_u8(g, q) == np.percentile(g, q)) for q in (0, 50, 90, 100)]
    [True, True, True, True]
    """
    if gray.dtype != np.uint8 or gray.size == 0:
        return float(np.percentile(gray, q))
    cum = np.cumsum(cv2.calcHist([np.ascontiguousarray(gray)], [0], None, [256], [0, 256])
                    .ravel().astype(np.int64))
    n = int(cum[-1])
    at = q / 100.0 * (n - 1)
    ranks = np.clip(np.arange(int(np.floor(at)) - 1, int(np.floor(at)) + 3), 0, n - 1)
    values = np.searchsorted(cum, ranks, side="right")  # the value of each sorted rank
    if values.min() == values.max():
        return float(values[0])
    return float(np.percentile(gray, q))


def paper_cut(gray: np.ndarray, share: float, contrast: float) -> float:
    """The grey level under which a small region's pixels are ink against its own paper
    (its 75th percentile): at least `contrast` levels under the paper, or `share` of the
    way down to its darkest ink (1st percentile), whichever is deeper. A lone thin stroke
    on open paper is far above the paper's grain, yet under a page-wide threshold's bar.

    >>> g = np.full((10, 10), 240, np.uint8); g[5, :] = 40
    >>> paper_cut(g, 0.5, 20), paper_cut(g, 0.0, 20)
    (140.0, 220.0)
    """
    paper, dark = float(np.percentile(gray, 75)), float(np.percentile(gray, 1))
    return paper - max(contrast, share * (paper - dark))


def binarize(gray: np.ndarray, window: int | None = None) -> np.ndarray:
    """Sauvola binarisation: uint8 0/255 with ink = 255.

    A local threshold survives uneven light and scanner shading; a minimum local contrast
    keeps flat paper (and pale seal ink) out. The window defaults to ~1/40 of the short
    side, a few character heights at any DPI.
    """
    if gray.ndim != 2:
        gray = ink_gray(gray)
    if window is None:
        window = max(15, min(gray.shape) // 40)
    # Local statistics vary slowly: compute them on a 1/f image and upsample the threshold,
    # which keeps a 300 DPI A4 page well under 50 ms.
    f = max(1, min(4, window // 8))
    h, w = gray.shape
    if f > 1 and min(h, w) >= 4 * f:
        hf, wf = (h // f) * f, (w // f) * f  # exact ratio: OpenCV's fast path
        full = gray[:hf, :wf].astype(np.float32)
        g = cv2.resize(full, (wf // f, hf // f), interpolation=cv2.INTER_AREA)
        # each block's mean square of the page's own pixels (see `contrast` below)
        g2 = cv2.resize(cv2.multiply(full, full), (wf // f, hf // f), interpolation=cv2.INTER_AREA)
    else:
        f, g = 1, gray.astype(np.float32)
        g2 = g * g
    k = max(3, window // f) | 1
    mean = cv2.boxFilter(g, -1, (k, k), borderType=cv2.BORDER_REPLICATE)
    sq = cv2.boxFilter(g * g, -1, (k, k), borderType=cv2.BORDER_REPLICATE)
    std = np.sqrt(np.maximum(sq - mean * mean, 0.0))
    thresh = mean * (1.0 + DEFAULT_SAUVOLA_K * (std / DEFAULT_SAUVOLA_R - 1.0))
    thresh = np.minimum(thresh, mean - DEFAULT_MIN_CONTRAST / 2)
    # Whether the neighbourhood is flat paper is judged on the page's own pixels: on the
    # reduced image a stroke two pixels wide is averaged with its block's paper, and a
    # thin pale character with open paper around it (a grey scan's last digit of a mobile,
    # 130-160 on 226 paper) measured a third less contrast there than it has, under the
    # bar, and vanished (fresh seed 5209 doc-0007: 1518129977 for 15181299774).
    contrast = cv2.boxFilter(g2, -1, (k, k), borderType=cv2.BORDER_REPLICATE) - mean * mean
    thresh[contrast <= (DEFAULT_MIN_CONTRAST / 2) ** 2] = 0
    thresh = np.clip(thresh, 0, 255).astype(np.uint8)
    if f > 1:
        thresh = cv2.resize(thresh, (wf, hf), interpolation=cv2.INTER_LINEAR)
        thresh = cv2.copyMakeBorder(thresh, 0, h - hf, 0, w - wf, cv2.BORDER_REPLICATE)
    return cv2.compare(gray, thresh, cv2.CMP_LT)  # ink = 255: as np.where, a tenth the time


def run_lengths(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Horizontal runs of a boolean mask as (row, start, length) arrays."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1).ravel()
    edges = np.flatnonzero(d != 0)  # a run's start and end alternate (bool: numpy's fast path)
    starts, ends = edges[0::2], edges[1::2]
    rows = starts // (w + 1)
    return rows, starts - rows * (w + 1), ends - starts


def _mode(values: np.ndarray, default: float) -> float:
    if values.size == 0:
        return default
    counts = np.bincount(values.astype(np.int64))
    return float(np.argmax(counts))


def measure_scale(binary: np.ndarray) -> PageScale:
    """Stroke width, character height and ruling thickness of a binary page (ink = 255).

    Stroke: the most common horizontal run of ink (runs across vertical strokes).
    Text height: an upper percentile of the heights of character-sized components (a
    Chinese character splits into radicals, so the median would be too small).
    Line thickness: the vertical extent of ink under long horizontal runs (rulings).
    Glyphs: how many of those components lie near the text height (`PageScale.glyphs`).
    """
    ink = binary > 0
    h, w = ink.shape
    if not ink.any():
        return PageScale(DEFAULT_STROKE, DEFAULT_TEXT_HEIGHT, DEFAULT_STROKE)
    _, _, lengths = run_lengths(ink[::4])  # every fourth row is plenty
    stroke = max(1.0, _mode(lengths[lengths < max(8, w // 50)], DEFAULT_STROKE))

    # Component heights on a 2× shrunk page above ~200 DPI: 4× fewer pixels, same answer.
    f = 2 if min(h, w) > 1400 else 1
    small = shrink_binary(binary, f)
    n, _, stats, _ = components(small)
    cw, ch, area = stats[1:, 2] * f, stats[1:, 3] * f, stats[1:, 4] * f * f
    lim = max(h, w) / 12
    keep = (ch >= 2.5 * stroke) & (ch < lim) & (cw < lim) & (area >= 2 * stroke * stroke)
    keep &= cw < 4 * ch  # not a ruling or underline piece
    glyphs = 0
    if keep.sum() >= 5:
        text_height = float(np.percentile(ch[keep], 80)) - (f - 1)
        near = np.abs(ch[keep] - (f - 1) - text_height) <= DEFAULT_GLYPH_SPREAD * text_height
        glyphs = int(np.count_nonzero(near))
    else:
        text_height = max(DEFAULT_TEXT_HEIGHT * stroke / DEFAULT_STROKE, 4 * stroke)

    # Ruling thickness: vertical extent of the pixels that belong to long horizontal runs.
    # Runs within two text heights of the top or bottom edge are the scanner's shadow or
    # the paper's edge, never a ruling (a form's margin is wider): a shadow band at a page's
    # foot set the members page's rulings 13 px thick where they are 2 (seed 9133 doc-0019
    # p4, its rulings turned against the text holding no long run), and every cell's text
    # was trimmed by that, its labels lost.
    long_len = max(int(4 * text_height), 40)
    edge = 2 * text_height
    rows, starts, lengths = run_lengths(ink)
    sel = (lengths >= long_len) & (rows >= edge) & (rows < h - edge)
    line_thickness = stroke
    if sel.any():
        # Mark the runs in every 4th column only: a bincount, then a cumsum along rows.
        # Only the rows holding a long run (the rulings', a few hundred) are laid out, in
        # order, an empty row between two that are not neighbours: the vertical runs
        # through them are the page's, at a fraction of a full page's cumsum.
        step, ws = 4, w // 4 + 2
        held = np.unique(rows[sel])
        at = np.arange(held.size) + np.concatenate([[0], np.cumsum(np.diff(held) > 1)])
        hc = int(at[-1]) + 1
        r = at[np.searchsorted(held, rows[sel])]
        a = r * ws + (starts[sel] + step - 1) // step
        b = r * ws + (starts[sel] + lengths[sel] + step - 1) // step
        marks = np.bincount(a, minlength=hc * ws) - np.bincount(b, minlength=hc * ws)
        long_mask = np.cumsum(marks.reshape(hc, ws), axis=1) > 0
        _, _, vlen = run_lengths(long_mask.T)
        vlen = vlen[vlen <= max(3 * stroke, text_height / 3)]
        if vlen.size:
            line_thickness = float(np.median(vlen))
    return PageScale(stroke=stroke, text_height=text_height, line_thickness=line_thickness,
                     glyphs=glyphs)


def shrink_binary(binary: np.ndarray, f: int) -> np.ndarray:
    """Binary image shrunk f× where a block with any ink stays ink (thin lines survive)."""
    if f <= 1:
        return binary
    h, w = (binary.shape[0] // f) * f, (binary.shape[1] // f) * f
    # An exact integer ratio takes OpenCV's fast block-average path (10× the generic one).
    small = cv2.resize(binary[:h, :w], (w // f, h // f), interpolation=cv2.INTER_AREA)
    return cv2.compare(small, 0, cv2.CMP_GT)
