"""One text height per document (issue #15): a sparse table page whose own measure rests on
a few blobs (section 五's last block on a 1-bit re-capture: labels run into the cell's rules,
the seal's star and arc, a pen) takes the height its document's pages of print agree on.
Small generated pages: print of glyphs 35 px tall (as measured), and a page holding a few of them beside
four blobs three times as tall (a seal's star, a pen's loops)."""

from __future__ import annotations

import cv2
import numpy as np
from tasksheet.extract.page_text import measure_page
from tasksheet.extract.scale import binarize, ink_gray, measure_scale
from tasksheet.ingest.document import Page
from tasksheet.ingest.text_height import (
    document_text_height,
    paper_width,
    settle_text_heights,
    table_pages,
)
from tasksheet.schemas.template import load_template

W, H = 1200, 1700


class _Engine:
    """Nothing is read: the measure only keeps its engine."""


def _glyph(img: np.ndarray, x: int, y: int) -> None:
    cv2.rectangle(img, (x, y), (x + 26, y + 30), (0, 0, 0), 3)
    cv2.line(img, (x + 13, y), (x + 13, y + 30), (0, 0, 0), 3)


def _page(form_page: str, lines: int, blobs: int, width: int = W, index: int = 1) -> Page:
    img = np.full((H, width, 3), 255, np.uint8)
    for r in range(lines):
        for k in range(4 if blobs else 30):
            _glyph(img, 100 + 36 * k, 150 + 60 * r)
    for k in range(blobs):
        cv2.circle(img, (300 + 200 * k, 900), 45, (0, 0, 0), -1)
    return Page(index=index, source="p.png", image=img, scan_size=(width, H),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=200.0, form_page=form_page)


def test_the_measure_counts_the_glyphs_it_rests_on() -> None:
    rich = measure_scale(binarize(ink_gray(_page("content", 10, 0).image)))
    sparse = measure_scale(binarize(ink_gray(_page("opinions", 2, 4).image)))
    assert (rich.text_height, rich.glyphs) == (35.0, 300)
    assert (sparse.text_height, sparse.glyphs) == (91.0, 4)


def test_sparse_table_page_takes_the_documents_height() -> None:
    engine = _Engine()
    pages = [_page("cover", 2, 4, index=1), _page("content", 10, 0, index=2),
             _page("opinions", 2, 4, index=3)]
    assert measure_page(pages[2], engine).scale.text_height == 91.0
    changed = settle_text_heights(pages, load_template(), engine)
    assert changed == [pages[2]]
    m = pages[2].measured[1]
    assert (m.scale.text_height, m.text.text_height, pages[2].text_height) == (35.0, 35.0, 35.0)
    assert pages[2].text_boxes is None
    # the cover's print is its own size: its measure stands
    assert measure_page(pages[0], engine).scale.text_height == 91.0


def test_heights_compare_per_paper_width() -> None:
    """A photo's pages are each rectified at their own size: the page 1.5 times as wide
    takes 1.5 times the height."""
    engine = _Engine()
    pages = [_page("content", 10, 0), _page("opinions", 2, 4, width=1800)]
    settle_text_heights(pages, load_template(), engine)
    assert pages[1].measured[1].scale.text_height == 52.5


def test_no_sure_page_changes_nothing() -> None:
    engine = _Engine()
    pages = [_page("opinions", 2, 4), _page("members", 2, 4)]
    assert settle_text_heights(pages, load_template(), engine) == []
    assert measure_page(pages[0], engine).scale.text_height == 91.0


def test_document_height_and_paper_width() -> None:
    assert document_text_height([(30.0, 1500.0, 200), (20.0, 1000.0, 41), (90.0, 1000.0, 3)]) \
        == 0.02
    assert document_text_height([(90.0, 1000.0, 39)]) is None
    assert table_pages(load_template()) == {"basic_info", "content", "members", "clauses",
                                            "opinions"}
    p = _page("opinions", 0, 0)
    p.skew = 2.0  # the straightened page's image is the turned paper's box
    a = np.radians(2.0)
    p.image = np.zeros((round(H * np.cos(a) + W * np.sin(a)), round(W * np.cos(a) + H * np.sin(a)),
                        3), np.uint8)
    assert abs(paper_width(p) - W) < 1.0
