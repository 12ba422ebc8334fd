"""Raw page → upright, deskewed, border-cropped `Page`, keeping the transform.

Steps, all on a reduced copy (long side ≈ `DEFAULT_ANALYSIS_SIDE`) except the one final warp:

1. dark scanner borders: dark blobs that touch the image frame and span much of a side;
   they are painted paper-coloured and cropped away;
2. ink, character height, ruling lines removed;
3. quarter turn and skew together: the projection profile of text ink is sharpest when
   lines run horizontally, so the best of {0°, 90°} × [−12°, 12°] gives both; the skew is
   then refined, on the glyphs alone: the text is made level, not a table's rules, which
   an office may print turned against it (`text_skew`);
4. one `warpAffine` from the scan to the cropped upright page;
5. 0° vs 180°: a few text-line crops are read upright and turned over; the recognizer's
   confidence tells which way up the page is (upside-down CJK reads as short junk).

Born-digital pages are already upright and straight: they keep their raster as is.

A 1-bit page (an archive scanner's G4 TIFF) takes the scan path and is smoothed a little
after the warp (`DEFAULT_BITONAL_SMOOTH`): the recogniser reads grey edges better.

A phone photo (the page a quadrilateral on a desk, `ingest.photo.page_geometry`) is first
rectified by a homography and its light evened out; steps 2, 3 and 5 then run as for a
scan, the one final warp is a perspective warp, and `Page.matrix` is its 3×3 inverse. A
page too blurred to read fails the document (`check_focus`: a photo out of focus; scans
measure a third of the limit). 1-bit pages never take the photo path (there is no desk in
an archive scan).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import cv2
import numpy as np
from tasksheet.extract.ocr import OcrEngine, get_engine
from tasksheet.extract.page_text import (
    DEFAULT_PRINT_DARKNESS,
    heading_chars,
    measure_page,
    read_outline,
)
from tasksheet.extract.scale import components, ink_gray
from tasksheet.extract.seal_shape import find_round_seals, seal_marks
from tasksheet.extract.text_lines import estimate_text_height, find_text_lines, remove_rules, to_ink
from tasksheet.ingest.document import OcrLine, Page, RawPage
from tasksheet.ingest.photo import (
    DEFAULT_MAX_BLUR,
    DEFAULT_PAPER,
    DEFAULT_TABLE_SIDE,
    PageGeometry,
    blur_sigma,
    crisp,
    flatten_light,
    page_geometry,
    paper_mask,
    reduced,
)
from tasksheet.schemas.errors import DocumentError
from tasksheet.schemas.template import Template

DEFAULT_ANALYSIS_SIDE = 1400  # px, long side of the copy used for measuring
DEFAULT_MAX_SKEW = 12.0  # degrees searched either way
DEFAULT_COARSE_STEP = 0.5
DEFAULT_FINE_STEP = 0.05
# the glyphs' projection profile at the skew, × its median far from it, from which they
# make lines: a page's text lines measure 1.27 (a sparse 五 page) to 2.3 (instructions) on
# seed 8527's scans; dust and speckle of a shaded, nearly blank page 1.10
DEFAULT_LINED_PROFILE = 1.2
# degrees: rules within this of the text's angle are printed with it (the office's tilt is
# 0.4-1.7 deg, 0.32 at the least on a sheet); the glyphs' profile measures a page to within
# about this much (seed 8527: 0.0-0.26 between the two on untilted scans)
DEFAULT_RULES_AGREE = 0.25
# degrees: rules further than this from the glyphs' angle are not a table printed turned
# (an office's tilt is 1.7 deg at most): the glyphs' profile misjudged a sparse page (pen,
# seals, a few labels: re-captured wp-03's 五 page at 3.6 deg for rules level at -0.7)
DEFAULT_MAX_TILT = 2.0
DEFAULT_MAX_POINTS = 120_000  # ink pixels sampled for the profile search
DEFAULT_MIN_VOTES = 10.0  # glyph-heights of runs needed to trust the run direction
DEFAULT_VOTE_RATIO = 1.5  # and by how much one direction must win
DEFAULT_PORTRAIT_RATIO = 1.2  # paper this much longer one way shows its quarter turn
DEFAULT_BORDER_SPAN = 0.15  # a frame-touching dark blob spanning this share of a side is border
DEFAULT_BORDER_BODY = 1.5  # mm: a scanner border is thicker than any print the form has
DEFAULT_BORDER_REACH = 4  # × that: how far the border's ragged, dithered edge reaches out
DEFAULT_FLIP_LINES = 4  # text lines read to tell upright from upside down
DEFAULT_FLIP_MARGIN = 0.1  # the turned-over reading must win by this much (mean quality)
DEFAULT_UPRIGHT_QUALITY = 0.75  # top lines reading this well (mean quality) are upright
DEFAULT_READ_GLYPHS = 10  # lines read during ingest are cut to this many glyphs
DEFAULT_FOCUS_MARGIN = 0.04  # of a page's short side left out when judging its focus
DEFAULT_FOCUS_SIDE = 1600  # px, long side of the copy focus is judged on
# a page whose edges measure under this share of the limit on the analysis copy is in
# focus. Measured on the 34 scanned pages of a generated set (seed 191): the analysis
# copy gives 1.10-1.14 × the full measure (a smaller copy spreads an edge wider, never
# narrower), scans measure 0.41-0.47 of the limit there; a page passing at 0.75 would
# need its full measure a third above the quick one to fail
DEFAULT_QUICK_FOCUS = 0.75
DEFAULT_FEW_LINES = 4  # a page with fewer text lines than this is looked at again, seal aside
DEFAULT_STROKE_TH = 0.12  # × text height: print's stroke width, where it was not measured
# px: a 1-bit page's staircase edges softened before anything reads it. Measured on 10
# generated 1-bit documents (200/300 DPI): fields 92.0 % unsmoothed, 94.4 % at 0.8, 94.0 %
# at 1.2 (where a seal's black ring starts to pass for a grey seal); signatures 92 → 95 %.
DEFAULT_BITONAL_SMOOTH = 0.8


def normalise(raw: RawPage, engine: OcrEngine | None = None,
              template: Template | None = None) -> Page:
    """Make a raw page upright, straight and cropped; `form_page` is left for classify.

    `engine` reads a few lines to tell 0° from 180° (default: the shared engine). The
    C heap's free pages are given back afterwards (`release_memory`): a page's
    temporaries are tens of MB each, and the next page's are not the same sizes.
    """
    try:
        return _normalise(raw, engine, template)
    finally:
        release_memory()


def _libc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None where the C library has none (musl, macOS)."""
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _libc_trim()


def release_memory() -> None:
    """Give the C heap's free pages back to the system.

    A page's arrays (an A4 photo at 300 DPI is 26 MB, its float copies four times that)
    are freed once used, but glibc keeps freed memory that lies below the top of its heap
    for reuse, and arrays of other sizes fragment it. Measured on 5 documents of
    bench-out/set-n24-s191 in one process: the resident set after a photographed document
    was 917 MB, and 370 MB after a trim; without trims, each document starts on the heap
    the ones before left, and a worker's peak grows with the documents it has done.
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _normalise(raw: RawPage, engine: OcrEngine | None, template: Template | None) -> Page:
    h, w = raw.image.shape[:2]
    if raw.born_digital:
        return Page(index=raw.index, source=raw.source, image=raw.image, scan_size=(w, h),
                    matrix=np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), dpi=raw.dpi,
                    born_digital=True, words=raw.words, text_height=_words_height(raw),
                    capture="born_digital")
    image = raw.image
    # a grey or 1-bit page is loaded as three equal channels: one is worked on (the
    # outline search, the analysis copy, the focus check, the warp), to the same values
    one = _one_channel(image, known=raw.grey)
    work = image if one is None else one
    bitonal = is_bitonal(work)
    scale = min(1.0, DEFAULT_ANALYSIS_SIDE / max(h, w))
    # the analysis copy, made once: the table search of `page_geometry` looks at the same
    analysis = functools.cache(lambda: reduced(work, DEFAULT_ANALYSIS_SIDE))
    geometry = None if bitonal else page_geometry(
        work, analysis if DEFAULT_ANALYSIS_SIDE == DEFAULT_TABLE_SIDE else None)
    if geometry is not None:
        del analysis
        page = _normalise_photo(raw, geometry)
        _fix_upside_down(page, engine or get_engine(), template)
        return page
    small = analysis()
    grey = print_grey(small)

    border = border_mask(grey)
    paper_colour = _paper_colour(small, grey, border)
    if border.any():
        if grey is small:  # a grey copy of its own, not the analysis image
            grey = grey.copy()
        grey[border > 0] = int(np.mean(paper_colour))
    ink = without_edge_shade(to_ink(grey))  # the border painted over in the paper's colour
    th_small = estimate_text_height(ink) or 10.0
    text_ink = glyphs_only(remove_rules(ink, th_small), th_small)

    quarter, skew = text_skew(text_ink, th_small, paper_aspect(border), ink)

    # One warp from the scan to the cropped upright page.
    full_border = None  # the border at full size; most scans have none
    src = work
    if border.any():
        full_border = border
        if scale < 1:
            full_border = cv2.resize(border, (w, h), interpolation=cv2.INTER_NEAREST)
        if full_border.any():
            src = paint(src.copy(), full_border, paper_colour)
        else:
            full_border = None
    if not bitonal:  # a photo whose page outline was not found comes this way
        check_focus(work, raw, full_border, preview=(grey, border))
    fwd, size = _forward(w, h, quarter, skew, paper_outline(border, scale))
    fill = tuple(int(c) for c in paper_colour)
    out = cv2.warpAffine(src, fwd, size, flags=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_CONSTANT,
                         borderValue=fill if src.ndim == 3 else fill[0])
    if bitonal:  # a 1-bit scan: edges softened as a grey scan's are, for OCR
        out = cv2.GaussianBlur(out, (0, 0), DEFAULT_BITONAL_SMOOTH)
    grey_out = out if out.ndim == 2 else None  # its brightest channel: itself (B = G = R)
    if out.ndim == 2:  # every later stage reads a BGR page
        out = cv2.merge([out, out, out])
    page = Page(index=raw.index, source=raw.source, image=out, scan_size=(w, h),
                matrix=cv2.invertAffineTransform(fwd), dpi=raw.dpi, rotation=quarter,
                skew=round(skew, 3), text_height=th_small / scale,
                capture="bitonal" if bitonal else "scan")
    if grey_out is not None:
        page.set_grey(grey_out, planes=True)
    _fix_upside_down(page, engine or get_engine(), template)
    return page


def paint(image: np.ndarray, mask: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """`image[mask > 0] = colour` in place (a uint8 BGR or grey image, `colour` its BGR; a
    grey image takes its first value), and the image. Two masked passes of OpenCV (set to
    0, then add the colour) instead of a boolean index of the page: the same pixels, at
    about 0.4 of the time on a 200-300 DPI colour scan with a scanner border."""
    value: float | tuple[int, ...] = (int(colour[0]) if image.ndim == 2
                                      else (*(int(c) for c in colour), 0))
    cv2.subtract(image, image, dst=image, mask=mask)
    cv2.add(image, value, dst=image, mask=mask)
    return image


def is_bitonal(image: np.ndarray) -> bool:
    """Whether a page holds black and white only (a 1-bit scan, loaded as 0/255)."""
    sample = image[:: max(1, image.shape[0] // 97), :: max(1, image.shape[1] // 89)]
    return bool(np.isin(sample, (0, 255)).all())


def _normalise_photo(raw: RawPage, geometry: PageGeometry) -> Page:
    """A photographed page: its perspective undone and its light evened out, then turned
    and straightened as a scan is; one warp (a homography) from the photo to the page.

    The analysis runs on the photo reduced, rectified at that size and flattened; the
    page's `matrix` is the 3×3 map back to the photo as captured.
    """
    image = raw.image
    h, w = image.shape[:2]
    rw, rh = geometry.size
    scale = min(1.0, DEFAULT_ANALYSIS_SIDE / max(rw, rh))
    reduce = np.diag([scale, scale, 1.0])
    small_photo = cv2.resize(image, (max(1, round(w * scale)), max(1, round(h * scale))),
                             interpolation=cv2.INTER_AREA) if scale < 1 else image
    to_small = reduce @ geometry.homography @ np.linalg.inv(reduce)
    small = cv2.warpPerspective(small_photo, to_small, (max(1, round(rw * scale)),
                                                         max(1, round(rh * scale))),
                                flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    border = np.zeros(small.shape[:2], np.uint8)
    if geometry.source == "table":  # the desk around the page is in the picture: not page
        inside_small = cv2.warpPerspective(paper_mask(small_photo), to_small, (small.shape[1], small.shape[0]),
                                           flags=cv2.INTER_NEAREST, borderValue=0)
        border = np.where(inside_small > 0, 0, 255).astype(np.uint8)
    small = flatten_light(small)
    small[border > 0] = round(DEFAULT_PAPER)
    small_grey = print_grey(small)
    ink = to_ink(small_grey)
    th_small = estimate_text_height(ink) or 10.0
    text_ink = glyphs_only(remove_rules(ink, th_small), th_small)
    # the paper's proportions tell its quarter turn; a table's frame (the photo around the
    # table, clipped to twice the table) has none of the paper's: a wide table made it
    # landscape and an upright page was turned on its side (seed 6143 doc-0015 p5, grey:
    # 三's table 1.8:1 wide, the frame 1253x1010, the page read at 90 deg, 三 lost)
    aspect = rh / max(rw, 1) if geometry.source == "paper" else None
    quarter, skew = text_skew(text_ink, th_small, aspect, ink)

    fwd, size = _forward(rw, rh, quarter, skew, None)
    full = np.vstack([fwd, [0.0, 0.0, 1.0]]) @ geometry.homography  # photo -> page
    out = cv2.warpPerspective(image, full, size, flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_REPLICATE)
    out = flatten_light(out)
    check_focus(out, raw, preview=(small_grey, border))
    out = crisp(out)
    # what lies beyond the page's rectangle (a sliver of desk where it was turned) is paper
    inside = cv2.warpAffine(np.full((rh, rw), 255, np.uint8), fwd, size, flags=cv2.INTER_NEAREST,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    if border.any():
        big = cv2.resize(border, (rw, rh), interpolation=cv2.INTER_NEAREST)
        inside[cv2.warpAffine(big, fwd, size, flags=cv2.INTER_NEAREST) > 0] = 0
    outside = cv2.compare(inside, 0, cv2.CMP_EQ)
    if cv2.countNonZero(outside):  # a masked copy: `out[inside == 0] = paper`, at a sixth
        cv2.copyTo(np.full_like(out, round(DEFAULT_PAPER)), outside, out)
    back = np.linalg.inv(full)
    return Page(index=raw.index, source=raw.source, image=out, scan_size=(w, h),
                matrix=back / back[2, 2], dpi=raw.dpi, rotation=quarter,
                skew=round(skew, 3), text_height=th_small / scale, capture="photo")


def _one_channel(image: np.ndarray, known: bool = False) -> np.ndarray | None:
    """The one channel of a BGR image whose three channels are equal (a 1-bit or grey
    page as loaded), or None. Its colour would be the same values three times over: the
    analysis copy, the warp and the smoothing of such a page each cost a third on it.

    `known`: the decoder made the channels from one grey plane (`RawPage.grey`), so they
    are not compared. A colour page is told by a sample of its pixels first (a coloured
    pixel in it ends the check), without comparing every pixel three times."""
    if image.ndim != 3 or image.shape[2] != 3:
        return None
    if not known:
        sample = image[:: max(1, image.shape[0] // 97), :: max(1, image.shape[1] // 89)]
        if not ((sample[..., 0] == sample[..., 1]).all()
                and (sample[..., 0] == sample[..., 2]).all()):
            return None
    first = cv2.extractChannel(image, 0)
    if known:
        return first
    for c in (1, 2):
        if not np.array_equal(first, cv2.extractChannel(image, c)):
            return None
    return first


def check_focus(image: np.ndarray, raw: RawPage, painted: np.ndarray | None = None,
                preview: tuple[np.ndarray, np.ndarray] | None = None) -> None:
    """Raise DocumentError when a page's edges are spread too wide to read (a photo out of
    focus or shaken); the reason says how blurred, against how much reads.

    The limit is a share of the page's size (`ingest.photo.DEFAULT_MAX_BLUR`): a text
    height measured on a blurred page is itself unreliable. The page's rim and what was
    `painted` over (a border: its edge is sharp whatever the focus) are left out.

    `preview`: (the page's grey at a smaller size, its painted mask at that size), the
    normaliser's analysis copy. A page whose edges measure there well inside the limit
    (`DEFAULT_QUICK_FOCUS` of it) passes without the full measurement: a copy that small
    can only spread an edge wider (in the page's pixels), never make it look sharper than
    it is, so what passes there passes at `DEFAULT_FOCUS_SIDE`. Any other page (near the
    limit, blank, no edge left) is measured as before, so the verdict is the same.
    """
    h, w = image.shape[:2]
    limit = DEFAULT_MAX_BLUR * max(h, w)
    if preview is not None and max(preview[0].shape) < min(max(h, w), DEFAULT_FOCUS_SIDE):
        small, mask = preview
        quick = _focus_sigma(small, mask if mask.any() else None) * max(h, w) / max(small.shape)
        if 0 < quick <= DEFAULT_QUICK_FOCUS * limit:
            return
    sigma = _focus_sigma(image, painted)
    if sigma > limit:
        raise DocumentError(
            f"{raw.source}: page {raw.index} is too blurred to read (a photo out of focus "
            f"or shaken: edges spread over {sigma:.1f} px; on a page this size at most "
            f"{limit:.1f} px reads)" if math.isfinite(sigma) else
            f"{raw.source}: page {raw.index} is too blurred to read (a photo out of focus "
            f"or shaken: no sharp edge left on the page)")


def _focus_sigma(image: np.ndarray, painted: np.ndarray | None = None) -> float:
    """`blur_sigma` of the page's grey on a copy of at most `DEFAULT_FOCUS_SIDE` px, in the
    page's own pixels; its rim and what was `painted` left out."""
    h, w = image.shape[:2]
    m = int(DEFAULT_FOCUS_MARGIN * min(h, w))
    grey = print_grey(image)
    s = min(1.0, DEFAULT_FOCUS_SIDE / max(h, w))  # measured on a reduced copy: fast
    if s < 1:
        grey = cv2.resize(grey, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
    valid = _valid_nearest((h, w), grey.shape, m, painted)
    return blur_sigma(grey, valid > 0) / s


def _valid_nearest(shape: tuple[int, int], small: tuple[int, ...], m: int,
                   painted: np.ndarray | None) -> np.ndarray:
    """The page of `shape` less a rim of `m` px and less `painted`, as 1/0, brought to the
    size `small` as `cv2.resize(..., INTER_NEAREST)` brings it: that resize takes each
    output pixel from one input row and one input column, so the rows and columns it
    takes are found by resizing their indices, and no page-sized mask is made first."""
    h, w = shape
    sh, sw = small[:2]
    if (sh, sw) == (h, w):
        rows, cols = np.arange(h), np.arange(w)
    else:
        cols = cv2.resize(np.arange(w, dtype=np.int32)[None, :], (sw, 1),
                          interpolation=cv2.INTER_NEAREST)[0]
        rows = cv2.resize(np.arange(h, dtype=np.int32)[:, None], (1, sh),
                          interpolation=cv2.INTER_NEAREST)[:, 0]
    valid = ((rows >= m) & (rows < h - m))[:, None] & ((cols >= m) & (cols < w - m))[None, :]
    if painted is not None:
        # at the page's own size every row and column is taken: no index copy of the mask
        valid &= (painted if (sh, sw) == (h, w) else painted[np.ix_(rows, cols)]) == 0
    return valid.astype(np.uint8)


def _words_height(raw: RawPage) -> float:
    if not raw.words:
        return 0.0
    return float(np.median([w.bbox[3] - w.bbox[1] for w in raw.words]))


def print_grey(image: np.ndarray) -> np.ndarray:
    """The brightest channel: black print stays dark while red seals and blue ink fade, so
    they neither bias the line profile nor merge with the printed labels they overlap."""
    return ink_gray(image)  # max(B, G, R)


def glyphs_only(ink: np.ndarray, th: float) -> np.ndarray:
    """Keep blobs no bigger than a glyph: signatures, seals and pictures have no lines."""
    n, labels, stats, _ = components(ink)
    big = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) > 1.6 * th
    big[0] = True
    return _per_label(np.where(big, 0, 255).astype(np.uint8), labels)


def _per_label(values: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """`values[labels]`: each pixel its component's value, in one look-up. `np.take` gives
    the same array at 0.6 of the fancy index's time (a 1400-px page: 1.8 vs 3.0 ms); every
    label is a row of the stats `values` came from, so `clip` never clips."""
    return np.take(values, labels, mode="clip")


# -- borders -------------------------------------------------------------------------------


def border_mask(grey: np.ndarray) -> np.ndarray:
    """Dark scanner background: dark blobs touching the frame and spanning much of a side.

    Text and table rules never touch the frame (the form has margins), so what does is
    the scanner lid or bed showing around a skewed or small sheet.
    """
    thr, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    mask = _frame_blobs((grey < min(thr, 128)).astype(np.uint8))
    if mask.any():
        # eat the grey shadow at the paper's edge
        mask = cv2.dilate(mask, np.ones((5, 5), np.uint8))
    return mask


def _frame_blobs(mask: np.ndarray) -> np.ndarray:
    """The blobs of `mask` (0/1 or 0/255) that touch the frame and span much of a side, cut
    to their body (`_border_body`): 0/255."""
    h, w = mask.shape
    n, labels, stats, _ = components(mask)
    x, y, bw, bh = (stats[:, i] for i in range(4))
    touches = (x == 0) | (y == 0) | (x + bw == w) | (y + bh == h)
    keep = touches & ((bw >= DEFAULT_BORDER_SPAN * w) | (bh >= DEFAULT_BORDER_SPAN * h))
    keep[0] = False
    if not keep.any():
        return np.zeros(mask.shape, np.uint8)
    return _border_body(_per_label(np.where(keep, 255, 0).astype(np.uint8), labels))


def without_edge_shade(ink: np.ndarray) -> np.ndarray:
    """`ink` without a shadow along the page's edge: a band touching the frame, spanning a
    side, thicker than print. Too pale for `border_mask` (a lifted edge's shade fades from
    paper to mid-grey), it is ink to Otsu, and a band of full rows outweighs every ruling and
    text line in the skew's projection: a page turned 3° was left at 0° (seed 7411
    doc-0015, an edge shadow along the foot: the grid, all of 一, lost)."""
    shade = _frame_blobs(ink)
    if not shade.any():
        return ink
    out = ink.copy()
    out[shade > 0] = 0
    return out


def _border_body(mask: np.ndarray) -> np.ndarray:
    """The frame-touching blobs of `mask` cut to the border itself: what is thicker than
    print (or lies along the frame) and touches the frame, with the blob's own pixels up to
    `DEFAULT_BORDER_REACH` times that width out of it (its ragged, dithered edge). A border
    is at the page's edge; a ruling, a streak, or a tick on a ruling joined to it only
    through thin lines runs on into the page and is no border (re-captured wp-06, 1-bit: a
    full-height black streak joined the bed to every ruling it crossed, and the grid and its
    ticks were painted white, 41 false findings)."""
    h, w = mask.shape
    k = max(3, round(DEFAULT_BORDER_BODY * max(h, w) / 297))  # px a mm, the long side A4's
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    body = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    edge = np.zeros_like(mask)  # a border sliver thinner than k along a side is border too
    edge[:k], edge[-k:], edge[:, :k], edge[:, -k:] = 255, 255, 255, 255
    body = cv2.bitwise_or(body, cv2.bitwise_and(mask, edge))
    _, labels, stats, _ = components(body)
    x, y, bw, bh = (stats[:, i] for i in range(4))
    touches = (x == 0) | (y == 0) | (x + bw == w) | (y + bh == h)
    touches[0] = False
    body = _per_label(np.where(touches, 255, 0).astype(np.uint8), labels)
    return cv2.bitwise_and(mask, cv2.dilate(body, kernel, iterations=DEFAULT_BORDER_REACH))


def _paper_colour(small: np.ndarray, grey: np.ndarray, border: np.ndarray) -> np.ndarray:
    """Median colour of the brighter half of the paper: what borders are painted with."""
    step = max(1, int(np.sqrt(grey.size / 40_000)))  # a sample is plenty for a median
    g, b, s = grey[::step, ::step], border[::step, ::step], small[::step, ::step]
    paper = b == 0
    if not paper.any():
        return np.array([255, 255, 255], np.uint8)
    bright = paper & (g >= np.median(g[paper]))
    colour = np.median(s[bright], axis=0).astype(np.uint8)
    return colour if colour.ndim else np.repeat(colour, 3)  # a grey `small`: B = G = R


# -- orientation and skew ------------------------------------------------------------------


def _nonzero(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.nonzero(ink)` of a 2-D mask: (rows, columns) in row-major order.

    A uint8 mask goes through `cv2.findNonZero`, which scans rows in the same order, at a
    tenth of numpy's time (a 1400-px ink mask: 0.3 vs 5-7 ms, three times a page); the
    sample `_points` draws by position is then the same."""
    if ink.ndim != 2 or ink.dtype != np.uint8 or ink.size == 0:
        return np.nonzero(ink)
    found = cv2.findNonZero(np.ascontiguousarray(ink))
    if found is None:
        return np.nonzero(ink)  # no ink: two empty index arrays
    xy = found.reshape(-1, 2)
    return xy[:, 1], xy[:, 0]


def _points(ink: np.ndarray, limit: int = DEFAULT_MAX_POINTS) -> tuple[np.ndarray, np.ndarray]:
    ys, xs = _nonzero(ink)
    if ys.size > limit:
        pick = np.random.default_rng(0).choice(ys.size, limit, replace=False)
        ys, xs = ys[pick], xs[pick]
    return xs.astype(np.float64), ys.astype(np.float64)


def _sharpness(xs: np.ndarray, ys: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """Sum of squared row counts after turning the points by each angle (degrees)."""
    out = np.empty(angles.size)
    n = max(xs.size, 1)
    # the same float64 operations as `ys * cos - xs * sin`, rounded from its minimum, in
    # buffers made once: an angle costs no allocation (61 angles a refinement)
    proj, other = np.empty(xs.shape), np.empty(xs.shape)
    bins = np.empty(xs.shape, np.int64)
    for i, a in enumerate(np.deg2rad(angles)):
        np.multiply(ys, math.cos(a), out=proj)
        np.multiply(xs, math.sin(a), out=other)
        np.subtract(proj, other, out=proj)
        np.subtract(proj, proj.min(), out=proj)
        np.rint(proj, out=proj)  # `np.round` to 0 decimals: half to even
        bins[...] = proj
        hist = np.bincount(bins)
        out[i] = float(np.dot(hist, hist)) / n
    return out


def line_direction_votes(text_ink: np.ndarray, th: float) -> tuple[float, float]:
    """(horizontal, vertical) votes: glyphs closed by half a glyph merge into runs along
    their lines; a run's long side tells the line direction. Stacked label cells of a
    table fool a projection profile, but not this."""
    k = max(int(round(0.5 * th)), 1)
    closed = cv2.morphologyEx(text_ink, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    n, _, stats, _ = components(closed)
    w = stats[1:, cv2.CC_STAT_WIDTH].astype(float)
    h = stats[1:, cv2.CC_STAT_HEIGHT].astype(float)
    short = np.minimum(w, h)
    ok = (short >= 0.5 * th) & (short <= 3.5 * th)
    wide = ok & (w >= 1.8 * h)
    tall = ok & (h >= 1.8 * w)
    return float((w[wide] / th).sum()), float((h[tall] / th).sum())


def paper_aspect(border: np.ndarray) -> float:
    """Height / width of the paper: the box of what is not scanner border."""
    x, y, w, h = cv2.boundingRect(cv2.bitwise_not(border)) if border.any() else \
        (0, 0, border.shape[1], border.shape[0])
    return h / max(w, 1)


def quarter_and_skew(text_ink: np.ndarray, th: float = 0.0,
                     ink: np.ndarray | None = None,
                     aspect: float | None = None) -> tuple[int, float]:
    """(0 or 90 clockwise, coarse skew in degrees).

    The form is printed portrait: a clearly portrait paper (`aspect`, height / width) is
    upright or upside down, a clearly landscape one lies on its side, whatever its text
    says (on a page holding little text, glyph pieces and scanner noise can vote wrong).
    The line direction comes from glyph runs when they are clear, else from whichever
    direction gives the sharper projection profile of the glyphs; the skew then comes from
    the profile of `ink` (`text_skew` passes the glyphs again: rules may be turned against
    the text). Skew is the
    angle the lines descend to the right by, after the quarter turn.
    """
    xs, ys = _points(text_ink, DEFAULT_MAX_POINTS // 2)
    if xs.size < 50:
        return 0, 0.0
    angles = np.arange(-DEFAULT_MAX_SKEW, DEFAULT_MAX_SKEW + 1e-9, DEFAULT_COARSE_STEP)
    clear = aspect is not None and max(aspect, 1 / max(aspect, 1e-9)) >= DEFAULT_PORTRAIT_RATIO
    horizontal, vertical = line_direction_votes(text_ink, th) if th and not clear else (0.0, 0.0)
    if clear:
        quarter = 0 if aspect > 1 else 90
    elif horizontal + vertical >= DEFAULT_MIN_VOTES and max(horizontal, vertical) >= \
            DEFAULT_VOTE_RATIO * min(horizontal, vertical):
        quarter = 90 if vertical > horizontal else 0
    else:
        # A page turned 90° clockwise has its lines running down: x' = H-1-y, y' = x.
        upright = _sharpness(xs, ys, angles).max()
        turned = _sharpness(text_ink.shape[0] - 1 - ys, xs, angles).max()
        quarter = 90 if turned > upright else 0
    if ink is not None:
        xs, ys = _points(ink, DEFAULT_MAX_POINTS // 2)
        if quarter:
            xs, ys = ink.shape[0] - 1 - ys, xs
    elif quarter:
        xs, ys = text_ink.shape[0] - 1 - ys, xs
    return quarter, float(angles[int(_sharpness(xs, ys, angles).argmax())])


def text_skew(text_ink: np.ndarray, th: float, aspect: float | None,
              ink: np.ndarray | None = None) -> tuple[int, float]:
    """(quarter turn, skew) of a page, both from its glyphs (`text_ink`: rules and blobs
    bigger than a glyph taken out).

    The text is what is read, so the text is what is made level. Rules are no measure of
    it: a word processor's table may print turned against its text (an office's habit,
    0.4-1.7 deg, wp-04), and its long rules then outweigh every text line in the
    projection profile; a page levelled on them left its text turned by the table's tilt,
    lines ran into one another and cells lost their content (seed 8527 doc-0005 p3: 2.19
    deg for text at 1.5). The grid follows its rules' own slope (`extract.grid`).

    All of `ink` (rules included, a sharper peak) sets it where it agrees with the glyphs
    within `DEFAULT_RULES_AGREE` (rules printed with their text; the grid follows a
    residue that small on its own), where it lies further from them than any office tilts
    a table (`DEFAULT_MAX_TILT`: the glyphs misjudged), and where the glyphs hold no lines to measure (fewer
    points than a line, or a profile that at its sharpest stands less than
    `DEFAULT_LINED_PROFILE` above the profile of angles far from it: dust and speckle, a
    page of rules alone).
    """
    quarter, coarse = quarter_and_skew(text_ink, th, text_ink, aspect)
    turned = np.rot90(text_ink, k=-quarter // 90) if quarter else text_ink
    skew = refine_skew(turned, coarse)
    if ink is None:
        return quarter, skew
    _, coarse = quarter_and_skew(text_ink, th, ink, aspect)
    whole = refine_skew(np.rot90(ink, k=-quarter // 90) if quarter else ink, coarse)
    if not DEFAULT_RULES_AGREE < abs(whole - skew) <= DEFAULT_MAX_TILT \
            or not _lined(turned, skew):
        return quarter, whole
    return quarter, skew


def _lined(ink: np.ndarray, skew: float) -> bool:
    """Whether `ink` forms lines at `skew`: its projection profile there is sharper than
    at angles far from it (where lines smear into a flat profile) by a clear margin."""
    xs, ys = _points(ink, DEFAULT_MAX_POINTS // 2)
    if xs.size < 50:
        return False
    far = skew + np.array([-9.0, -6.0, -3.0, 3.0, 6.0, 9.0])
    score = _sharpness(xs, ys, np.r_[skew, far])
    return bool(score[0] >= DEFAULT_LINED_PROFILE * float(np.median(score[1:])))


def refine_skew(ink: np.ndarray, coarse: float) -> float:
    """Refine the skew around `coarse` on all ink: ruling lines make the peak narrow."""
    xs, ys = _points(ink)
    if xs.size < 50:
        return coarse
    angles = np.arange(coarse - 3 * DEFAULT_COARSE_STEP, coarse + 3 * DEFAULT_COARSE_STEP + 1e-9,
                       DEFAULT_FINE_STEP)
    score = _sharpness(xs, ys, angles)
    i = int(score.argmax())
    best = float(angles[i])
    if 0 < i < angles.size - 1:  # parabolic peak interpolation
        a, b, c = score[i - 1], score[i], score[i + 1]
        den = a - 2 * b + c
        if den < 0:
            best += 0.5 * (a - c) / den * DEFAULT_FINE_STEP
    return best


def paper_outline(border: np.ndarray, scale: float) -> np.ndarray | None:
    """Hull of the paper (not border) in full-resolution pixel-edge coordinates, or None."""
    if not border.any():
        return None
    contours, _ = cv2.findContours((border == 0).astype(np.uint8), cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    pts = cv2.convexHull(np.vstack(contours)).reshape(-1, 2).astype(np.float64)
    pts = np.vstack([pts, pts + 1.0])  # pixel edges, not centres
    return pts / scale - 0.5


def _forward(w: int, h: int, quarter: int, skew: float,
             paper: np.ndarray | None) -> tuple[np.ndarray, tuple[int, int]]:
    """The 2×3 scan → page matrix (turn `quarter` clockwise, then straighten by `skew`)
    and the output size: the turned image cropped to the paper."""
    angle = skew - quarter  # cv2: positive = counter-clockwise on screen
    m = cv2.getRotationMatrix2D(((w - 1) / 2.0, (h - 1) / 2.0), angle, 1.0)
    pts = paper
    if pts is None:
        pts = np.array([[0, 0], [w, 0], [0, h], [w, h]], dtype=np.float64) - 0.5
    out = np.hstack([pts, np.ones((len(pts), 1))]) @ m.T
    x0, y0 = np.floor(out.min(axis=0) + 0.5)
    x1, y1 = np.ceil(out.max(axis=0) - 0.5)
    m[:, 2] -= (x0, y0)
    return m, (max(int(x1 - x0) + 1, 1), max(int(y1 - y0) + 1, 1))


# -- upside down ---------------------------------------------------------------------------


def _line_quality(text: str, score: float, box: tuple[int, int, int, int]) -> float:
    """Confidence × how much of the expected text came out (one CJK glyph ≈ one height)."""
    x0, y0, x1, y1 = box
    expected = max(1.0, 0.6 * (x1 - x0) / max(y1 - y0, 1))
    n = len(text.replace(" ", ""))
    return score * min(1.0, n / expected)


def pick_lines(lines: list[tuple[int, int, int, int]], th: float, count: int,
               ) -> list[tuple[int, int, int, int]]:
    """The first `count` lines of a few glyphs, in reading order (the classifier reads the
    same top lines next, so these readings are reused)."""
    good = [b for b in lines if 0.6 * th <= b[3] - b[1] <= 1.8 * th and b[2] - b[0] >= 2.5 * th]
    return good[:count]


def clip_width(box: tuple[int, int, int, int], max_width: float) -> tuple[int, int, int, int]:
    """The box cut to `max_width` px: recognition time grows with width, and the first
    glyphs of a line are what identifies it."""
    x0, y0, x1, y1 = box
    return x0, y0, min(x1, x0 + max(int(max_width), 1)), y1


def crop(image: np.ndarray, box: tuple[int, int, int, int], pad: float) -> np.ndarray:
    """The box with `pad` px around it, clipped to the image."""
    x0, y0, x1, y1 = box
    p = int(round(pad))
    hh, ww = image.shape[:2]
    return image[max(y0 - p, 0):min(y1 + p, hh), max(x0 - p, 0):min(x1 + p, ww)]


def text_boxes(page: Page, grey: np.ndarray | None = None) -> list[tuple[int, int, int, int]]:
    """The page's text line boxes (`find_text_lines` at its text height), found once."""
    if page.text_boxes is None:
        if grey is None:
            grey = page.grey()
        th = page.text_height or None
        page.text_boxes = find_text_lines(grey, text_height=th)
        if len(page.text_boxes) < DEFAULT_FEW_LINES:
            # a grey seal as dark as ink in every channel (a grey scan) joins the few
            # labels and the date it covers into one blob too tall for a line: a page of
            # 五's last block. Black print is darker than the seal: keep it alone.
            paper = float(np.percentile(grey, 90))
            dark = np.where(grey < paper * DEFAULT_PRINT_DARKNESS, grey, np.uint8(paper))
            again = find_text_lines(dark, text_height=th)
            if len(again) > len(page.text_boxes):
                page.text_boxes = again
        if len(page.text_boxes) < DEFAULT_FEW_LINES and page.capture == "bitonal":
            # on a 1-bit page the seal is a black ring, as dark as the print it joins: its
            # ring and star set to paper (`extract.seal_shape.seal_marks`), the rest stands
            bare = without_black_seals(grey, th)
            again = find_text_lines(bare, text_height=th) if bare is not grey else []
            if again and len(again) >= len(page.text_boxes):
                page.text_boxes = again
    return page.text_boxes


def without_black_seals(grey: np.ndarray, text_height: float | None) -> np.ndarray:
    """`grey` with the marks of every round seal found by its shape set to paper."""
    th = text_height or estimate_text_height(to_ink(grey))
    seals = find_round_seals(grey, text_height=th) if th else []
    if not seals:
        return grey
    ink, out = to_ink(grey) > 0, grey.copy()
    paper = np.uint8(np.percentile(grey[::4, ::4], 90))
    h, w = grey.shape[:2]
    for s in seals:
        pad = int(s.ring_width) + 2
        x0, y0 = max(0, s.bbox[0] - pad), max(0, s.bbox[1] - pad)
        x1, y1 = min(w, s.bbox[2] + pad), min(h, s.bbox[3] + pad)
        marks = seal_marks(ink, (x0, y0, x1, y1), s.center, s.radius, s.ring_width,
                           DEFAULT_STROKE_TH * th)
        out[y0:y1, x0:x1][marks] = paper
    return out


def _fix_upside_down(page: Page, engine: OcrEngine, template: Template | None = None) -> None:
    """Turn the page over when its text reads better upside down; keep the lines read.

    With the form's `template`, the page's outline is read upright first, as the readers
    will read it (one batch, kept in the page's measure, which classification and the
    readers take over: nothing is read twice); without it (a loose image's cover test) a
    few top lines, cut to a few glyphs. Only when those lines read poorly are they read
    turned over too (cut to a few glyphs), and the better way wins.
    """
    th = page.text_height
    grey = page.grey()
    if template is not None:
        _, texts = read_outline(measure_page(page, engine), heading_chars(template.headings))
        chosen = pick_lines(sorted(texts, key=lambda b: (b[1], b[0])), th, DEFAULT_FLIP_LINES)
        if not chosen:
            return
        res = [texts[b] for b in chosen]
    else:
        chosen = [clip_width(b, DEFAULT_READ_GLYPHS * th)
                  for b in pick_lines(text_boxes(page, grey), th, DEFAULT_FLIP_LINES)]
        if not chosen:
            return
        res = engine.recognize([crop(grey, b, 0.15 * th) for b in chosen])
    page.ocr_lines = [OcrLine(b, t, s) for (t, s), b in zip(res, chosen, strict=True)]
    up = [_line_quality(t, s, b) for (t, s), b in zip(res, chosen, strict=True)]
    if np.mean(up) >= DEFAULT_UPRIGHT_QUALITY:
        return
    clipped = [clip_width(b, DEFAULT_READ_GLYPHS * th) for b in chosen]
    crops = [crop(grey, b, 0.15 * th) for b in clipped]
    res = engine.recognize([c[::-1, ::-1] for c in crops])
    down = [_line_quality(t, s, b) for (t, s), b in zip(res, clipped, strict=True)]
    if np.mean(down) > np.mean(up) + DEFAULT_FLIP_MARGIN:
        hh, ww = page.image.shape[:2]
        page.image = np.ascontiguousarray(page.image[::-1, ::-1])
        flip = np.array([[-1.0, 0.0, ww - 1.0], [0.0, -1.0, hh - 1.0], [0, 0, 1]])
        m = np.asarray(page.matrix, dtype=float)
        inv = (m if m.shape == (3, 3) else np.vstack([m, [0, 0, 1]])) @ flip  # page' -> scan
        page.matrix = inv if m.shape == (3, 3) else inv[:2]
        page.rotation = (page.rotation + 180) % 360
        page.ocr_lines = []  # read again on the turned page, where the boxes are found
        page.text_boxes = None
        page.measured = None
