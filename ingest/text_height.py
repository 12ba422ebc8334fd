"""One text height for a document's tables: a sparse page takes its document's.

Every length a reader measures is a multiple of its page's text height
(`extract.scale.measure_scale`: an upper percentile of the heights of character-sized
blobs). On a page of print that percentile is a glyph's height, resting on hundreds of
glyphs. A sparse page holds a few (section 五's last block alone: its labels run into the
cell's rules on a 1-bit scan, and the blobs left are a seal's star and arc, a pen's loops):
the percentile is then theirs, 47-52 px for print of 23-30 (the re-captured wp-04 and
wp-05), its lines run together and its seal, looked for at radii of 2.5 text heights and
more, is not found.

The form sets its tables (sections 一 to 五) in one body print; the cover's title and the
instructions are their own sizes and keep their own measure. A table page whose measure
rests on few glyphs (`PageScale.glyphs`) and lies far from the one its document's
well-measured table pages agree on takes theirs, and what was derived from it is made
again: its measure (scale, text, tables), its text line boxes.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
from tasksheet.extract.grid import find_grids
from tasksheet.extract.page_text import PageMeasure, PageText, measure_page, outer_grids
from tasksheet.ingest.document import Page
from tasksheet.schemas.template import Template

# glyphs near its text height a page's measure must rest on to be sure of it: a few lines
# of print. Measured on the 140 pages of the re-captured examples: table pages with text
# hold 48-512, the sparse 五 pages 1-29
DEFAULT_SURE_GLYPHS = 40
# × the document's height (either way): an unsure page's own measure this far off is not
# its print's. The table pages of one document agree within 0.9-1.1 (page widths of a
# photo's pages differ by a fifth: heights are compared per page width)
DEFAULT_FAR = 1.25
SECTION = re.compile(r"[一二三四五六七八九十]+、")  # a numbered section's heading: a table


def table_pages(template: Template) -> set[str]:
    """The form's pages of numbered sections (`一、三方单位基本信息` …): its tables, in the
    body print. The cover and the instructions are set in their own sizes."""
    return {p.id for p in template.pages if p.heading and SECTION.match(p.heading)}


def paper_width(page: Page) -> float:
    """The width of the page's paper in its own pixels: the image's width with the skew
    undone (a straightened page's image is the turned paper's bounding box, wider than
    the paper by its height × sin(skew)). Text heights of a photo's pages, each rectified
    at its own size, are compared per paper width."""
    h, w = page.image.shape[:2]
    a = math.radians(abs(float(page.skew)))
    c, s = math.cos(a), math.sin(a)
    return max(1.0, (w * c - h * s) / max(c * c - s * s, 1e-6))


def document_text_height(heights: list[tuple[float, float, int]]) -> float | None:
    """The document's text height per paper width, from (text height, paper width,
    glyphs) of its table pages: the median over the pages whose measure is sure, or None
    when none is.

    >>> round(document_text_height([(29.0, 1680.0, 184), (47.0, 1700.0, 6),
    ...                              (27.0, 1660.0, 298)]), 5)
    0.01676
    >>> document_text_height([(47.0, 1700.0, 6)]) is None
    True
    """
    sure = [th / w for th, w, glyphs in heights if glyphs >= DEFAULT_SURE_GLYPHS]
    return float(np.median(sure)) if sure else None


def settle_text_heights(pages: list[Page], template: Template, engine) -> list[Page]:
    """Give each table page whose measured text height is unsure and far from its
    document's the document's (per paper width); its measure is made again at that height
    (`PageText`, tables) and kept on the page for the readers, its text line boxes dropped
    to be found again. Returns the pages changed."""
    tables = table_pages(template)
    scanned = [p for p in pages if p.form_page in tables and not p.born_digital]
    measures = {id(p): measure_page(p, engine) for p in scanned}
    rel = document_text_height([(measures[id(p)].scale.text_height, paper_width(p),
                                 measures[id(p)].scale.glyphs) for p in scanned])
    if rel is None:
        return []
    changed = []
    for p in scanned:
        m = measures[id(p)]
        want = rel * paper_width(p)
        far = max(m.scale.text_height / want, want / m.scale.text_height) > DEFAULT_FAR
        if m.scale.glyphs >= DEFAULT_SURE_GLYPHS or not far:
            continue
        remeasure(p, engine, want)
        changed.append(p)
    return changed


def remeasure(page: Page, engine, text_height: float) -> PageMeasure:
    """The page measured again at `text_height` (`extract.page_text.measure_page`'s
    measure, its grey and binary kept), kept on the page for the readers; its ingest text
    height set to it and its text line boxes dropped."""
    m = measure_page(page, engine)
    scale = replace(m.scale, text_height=float(text_height))
    text = PageText(m.ink, m.binary, scale.text_height, scale.line_thickness, engine,
                    words=page.words, image=page.image)
    grids = outer_grids(find_grids(page.image, scale, gray=m.ink, binary=m.binary,
                                   photo=page.capture == "photo"))
    again = PageMeasure(m.ink, m.binary, scale, text, grids)
    page.measured = (page.image, again)
    page.text_height = float(text_height)
    page.text_boxes = None
    return again
