"""Classification, ordering and whole-document ingest (synthetic pages, real OCR engine)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.synth import (
    DPI,
    FONT,
    FONT2,
    form_page,
    scan,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest.classify import (
    claim_continuations,
    classify_page,
    mark_similarity,
    order_pages,
    page_scores,
)
from tasksheet.ingest.document import OcrLine, Page, RawPage
from tasksheet.ingest.normalize import normalise
from tasksheet.schemas.template import load_template

TPL = load_template()


@pytest.fixture(scope="module")
def engine():
    return get_engine()


def _page(index: int, form: str | None) -> Page:
    return Page(index=index, source="x", image=np.zeros((4, 4, 3), np.uint8), scan_size=(4, 4),
                matrix=np.eye(3)[:2], dpi=200.0, form_page=form)


def test_mark_similarity_tolerates_one_wrong_glyph() -> None:
    assert mark_similarity("三方单位基本信息", "一、三方单位基本信息表") == 1.0
    assert mark_similarity("三方单位基本信息", "一、三方单位基木信息") == pytest.approx(7 / 8)
    assert mark_similarity("三方单位基本信息", "三方单位意见") < 0.7


def _sellers(mark: str, text: str) -> float:
    """The distance table row by row (as classification computed it before Myers')."""
    if mark in text:
        return 1.0
    if not text:
        return 0.0
    best, col = len(mark), list(range(len(mark) + 1))
    for ch in text:
        new = [0] * (len(mark) + 1)
        for i in range(1, len(mark) + 1):
            new[i] = min(col[i] + 1, new[i - 1] + 1, col[i - 1] + (mark[i - 1] != ch))
        col = new
        best = min(best, col[-1])
    return 1.0 - best / len(mark)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="项目单位三方基本信息a", min_size=1, max_size=14),
       st.text(alphabet="项目单位三方基本信息a、 ", max_size=60))
def test_mark_similarity_is_the_best_substring_distance(mark: str, text: str) -> None:
    assert mark_similarity(mark, text) == _sellers(mark, text)


def test_page_scores_pick_the_page_and_continuations() -> None:
    s = page_scores("四、共 同 条 款（1）委托单位有权监督……", TPL)
    assert max(s, key=s.get) == "clauses"
    # a section running on without its heading: known by its own labels
    s = page_scores("项目协调单位 经费来源 □公用经费 □项目经费 政策支持", TPL)
    assert max(s, key=s.get) == "basic_info" and s["basic_info"] >= 0.3
    s = page_scores("今日天气晴朗，请准时参加周五例会。", TPL)
    assert max(s.values()) < 0.3


def test_the_coordinating_units_name_does_not_make_a_cover() -> None:
    """Seed 131 doc-0010: 三's last rows (成都市科学技术协会 in each) and 四's clauses
    (试点项目任务书) on one page, its headings not among the lines read: the cover's footer
    `成都市科学技术协会制` counts only with its 制, and the page is not a second cover."""
    rows = "协调单位 蔡鹏 成都市科学技术协会 主任科员 技术负责 雷霄立 成都市科学技术协会 部长"
    clause = "（2）承担单位严格按照试点项目任务书开展工作，如需变更试点项目工作内容"
    s = page_scores(rows + clause, TPL)
    assert s["cover"] < 0.3  # below the least score of a form page: not a cover
    s = page_scores("附件 成都市科协所属学会有序承接政府转移职能试点项目任务书 项目名称："
                    "协调单位：成都市科学技术协会 成都市科学技术协会制", TPL)
    assert max(s, key=s.get) == "cover" and s["cover"] == 1.0


def _read(page: Page, *lines: str) -> Page:
    page.ocr_lines = [OcrLine((0, 10 * i, 100, 10 * i + 9), t, 0.99) for i, t in enumerate(lines)]
    return page


def test_claim_continuations() -> None:
    """An overflow is claimed by its neighbour, or, scanned elsewhere, by the one section
    missing the labels it carries; a label every section already shows claims nothing."""
    def doc(overflow: str, *, after: str = "clauses") -> list[Page]:
        return [_read(_page(1, "basic_info"), "一、三方单位基本信息", "项目协调", "单位", "经费来源"),
                _read(_page(2, "opinions"), "五、三方单位意见", "项目委托单位：", "项目承接单位："),
                _read(_page(3, after), "四、共同条款"),
                _read(_page(4, None), overflow, "同意，做好协调服务工作。")]

    pages = doc("项目协调单位：")  # out of order: after 共同条款, not after 意见
    claim_continuations(pages, TPL)
    assert pages[3].form_page == "opinions"
    pages = doc("项目协调单位：", after="opinions")  # right after its section
    claim_continuations(pages, TPL)
    assert pages[3].form_page == "opinions"
    pages = doc("项目委托单位：")  # basic_info's page did not show it: its overflow
    claim_continuations(pages, TPL)
    assert pages[3].form_page == "basic_info"
    pages = doc("项目委托单位：")
    pages[0].ocr_lines.append(OcrLine((0, 90, 100, 99), "项目委托单位", 0.99))
    claim_continuations(pages, TPL)  # every section shows it already: nobody's overflow
    assert pages[3].form_page is None
    pages = doc("政策支持")  # a label of one section only: a table's rows run on
    claim_continuations(pages, TPL)
    assert pages[3].form_page == "basic_info"
    pages = doc("今日天气晴朗")
    claim_continuations(pages, TPL)
    assert pages[3].form_page is None
    pages = doc("项目协调单位：")  # a full page of text is another document's
    pages[3].text_boxes = [(0, 10 * i, 100, 10 * i + 9) for i in range(30)]
    claim_continuations(pages, TPL)
    assert pages[3].form_page is None


def test_order_pages() -> None:
    pages = [_page(1, "cover"), _page(2, "members"), _page(3, "basic_info"), _page(4, None),
             _page(5, "basic_info"), _page(6, "opinions")]
    ordered, missing, out_of_order = order_pages(pages, TPL)
    assert [p.index for p in ordered] == [1, 3, 5, 2, 6, 4]  # continuation keeps scanned order
    assert missing == ["instructions", "content", "clauses"]
    assert out_of_order
    ordered, missing, out_of_order = order_pages([_page(1, "cover"), _page(2, "cover"),
                                                  _page(3, "instructions")], TPL)
    assert not out_of_order and [p.index for p in ordered] == [1, 2, 3]


def _claimed(index: int, form: str) -> Page:
    page = _page(index, form)
    page.claimed = True
    return page


def test_claimed_page_stays_in_the_flow() -> None:
    # 五's last block alone on the page after 四's, claimed for 一 (the party names both
    # print): a continuation stays where it was scanned, and the flow reads it with 五
    pages = [_page(1, "cover"), _page(2, "basic_info"), _page(3, "clauses"),
             _claimed(4, "basic_info")]
    ordered, _, out_of_order = order_pages(pages, TPL)
    assert [p.index for p in ordered] == [1, 2, 3, 4] and not out_of_order


def test_a_page_of_labels_only_one_section_prints_goes_back_to_it() -> None:
    """一's last rows (政策支持, 经费来源) scanned after 二's page (seed 149 doc-0003, seed 97
    doc-0010): they are 一's whatever page they follow, and the scan was out of order. The
    party names (五's last block, as above) do not take a page back."""
    pages = [_page(1, "cover"), _page(2, "basic_info"), _page(3, "content"),
             _read(_claimed(4, "basic_info"), "项目协调单位", "经费来源 □公用经费", "政策支持"),
             _page(5, "members")]
    ordered, _, out_of_order = order_pages(pages, TPL)
    assert [p.index for p in ordered] == [1, 2, 4, 3, 5] and out_of_order
    pages = [_page(1, "cover"), _page(2, "basic_info"), _page(3, "clauses"),
             _read(_claimed(4, "basic_info"), "项目协调单位：", "负责人（签字）", "年 月 日")]
    ordered, _, out_of_order = order_pages(pages, TPL)
    assert [p.index for p in ordered] == [1, 2, 3, 4] and not out_of_order


@pytest.mark.parametrize(("page_id", "angle", "quarter"), [
    ("cover", 2.0, 0), ("instructions", -6.0, 180), ("basic_info", 1.0, 90),
    ("content", 0.0, 0), ("clauses", -1.5, 270), ("opinions", 8.0, 0),
    ("foreign", 0.5, 0)])
def test_classify_scanned_pages(engine, page_id: str, angle: float, quarter: int) -> None:
    img = scan(form_page(page_id, seed=2, font=FONT2 if quarter else FONT), angle=angle,
               quarter=quarter)
    page = normalise(RawPage(index=1, source="x.png", image=img, dpi=DPI), engine)
    form, score = classify_page(page, TPL, engine)
    assert form == (None if page_id == "foreign" else page_id), (score, page.text())
    assert len(page.ocr_lines) <= 8 + 16


class _Counting:
    """The real engine, counting the crops each call sends to the recogniser."""

    def __init__(self, engine) -> None:  # noqa: ANN001
        self.engine, self.crops = engine, 0

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self.engine, name)

    def recognize(self, crops):  # noqa: ANN001, ANN201
        self.crops += len(crops)
        return self.engine.recognize(crops)

    def recognize_chars(self, crops):  # noqa: ANN001, ANN201
        self.crops += len(crops)
        return self.engine.recognize_chars(crops)


def test_classification_reads_the_outline_once_for_the_readers(engine) -> None:
    """A cover whose orientation lines do not settle it (seed 191: every cover read 3-4 more
    lines) is classified on its outline, read as the readers' outline reads it: the outline
    then sends no crop to the recogniser, and reads what it would have read alone."""
    from tasksheet.extract.page_text import heading_chars
    from tasksheet.readers.flow import outline
    from tasksheet.readers.work import PageWork

    most = heading_chars([p.heading for p in TPL.pages if p.heading])
    img = scan(form_page("cover", seed=2, font=FONT), angle=0.5)
    alone = normalise(RawPage(index=1, source="x.png", image=img, dpi=DPI), engine)
    expected = outline(PageWork.of(alone, engine), most_chars=most)

    page = normalise(RawPage(index=1, source="x.png", image=img, dpi=DPI), engine)
    counting = _Counting(engine)
    page.ocr_lines = page.ocr_lines[:1]  # as if the orientation check read one line
    assert classify_page(page, TPL, counting)[0] == "cover"
    assert counting.crops > 0 and page.measured is not None
    counting.crops = 0
    work = PageWork.of(page, counting)
    assert page.measured is None  # taken over: it lives as long as the readers' work
    assert outline(work, most_chars=most) == expected
    assert counting.crops == 0


def test_a_quick_cover_test_measures_nothing_for_readers(engine) -> None:
    img = scan(form_page("cover", seed=2, font=FONT), angle=0.5)
    page = normalise(RawPage(index=1, source="x.png", image=img, dpi=DPI), engine)
    page.ocr_lines = page.ocr_lines[:1]
    assert classify_page(page, TPL, engine, outline=False)[0] == "cover"
    assert page.measured is None
