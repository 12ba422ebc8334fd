"""Ingest of a 1-bit page holding only 五's last block, run on from the page before: its seal a
black ring round the labels and the date, which join it into one blob without a text line."""

from __future__ import annotations

import cv2
import numpy as np
from tasksheet.extract.text_lines import find_text_lines
from tasksheet.ingest.classify import claim_continuations
from tasksheet.ingest.document import OcrLine, Page
from tasksheet.ingest.normalize import without_black_seals
from tasksheet.schemas.template import load_template


def _sealed_date() -> np.ndarray:
    """A grey page: a line of print whose middle lies inside a black ring with a solid star
    touching it, as a 1-bit scan draws a seal stamped over 五's date."""
    page = np.full((500, 900), 255, np.uint8)
    cv2.putText(page, "2018 6 28", (320, 300), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 3)
    cv2.circle(page, (450, 250), 140, 0, 10)
    for a in range(200, 341, 14):  # the arc text: strokes along the inside of the ring
        t = np.deg2rad(a)
        cv2.line(page, (int(450 + 95 * np.cos(t)), int(250 + 95 * np.sin(t))),
                 (int(450 + 115 * np.cos(t)), int(250 + 115 * np.sin(t))), 0, 5)
    star = np.array([[450, 205], [463, 240], [500, 240], [470, 262], [482, 297], [450, 276],
                     [418, 297], [430, 262], [400, 240], [437, 240]], np.int32)
    cv2.fillPoly(page, [star], 0)
    return page


def test_a_black_seal_set_aside_leaves_the_date_a_line() -> None:
    page = _sealed_date()
    th = 30.0
    # the ring and the star join the date into a blob too tall for a line of text
    assert not any(y0 <= 285 <= y1 and x1 - x0 > 200
                   for x0, y0, x1, y1 in find_text_lines(page, text_height=th))
    bare = without_black_seals(page, th)
    lines = find_text_lines(bare, text_height=th)
    assert any(y0 <= 285 <= y1 and x0 < 340 and x1 > 500 for x0, y0, x1, y1 in lines)
    assert np.array_equal(without_black_seals(np.full((300, 300), 255, np.uint8), th),
                          np.full((300, 300), 255, np.uint8))  # no seal: the page as it was


def _page(index: int, form: str | None, lines: list[str]) -> Page:
    p = Page(index=index, source="x", image=np.zeros((4, 4, 3), np.uint8), scan_size=(4, 4),
             matrix=np.eye(2, 3), dpi=200, form_page=form, classify_score=0.8 if form else 0.1,
             capture="bitonal")
    p.ocr_lines = [OcrLine((0, 10 * i, 100, 10 * i + 9), t, 0.97) for i, t in enumerate(lines)]
    p.text_boxes = [line.bbox for line in p.ocr_lines]
    return p


def test_a_last_page_holding_only_a_date_runs_on_from_the_form() -> None:
    template = load_template()
    form = [_page(1, "basic_info", ["一、三方单位基本信息", "法定代表人"]),
            _page(2, "clauses", ["四、共同条款", "五、三方单位意见", "项目委托单位："])]
    pages = [*form, _page(3, None, ["2018年月28日"])]
    claim_continuations(pages, template)
    assert pages[2].form_page == "clauses" and pages[2].claimed
    # a page of text after the form, or one without a date, is not the form's
    for extra in (["2018年6月28日", *["年度工作总结报告"] * 8], ["附件二"]):
        pages = [_page(1, "basic_info", ["一、三方单位基本信息", "法定代表人"]),
                 _page(2, "clauses", ["四、共同条款", "五、三方单位意见", "项目委托单位："]),
                 _page(3, None, extra)]
        claim_continuations(pages, template)
        assert pages[2].form_page is None, extra
