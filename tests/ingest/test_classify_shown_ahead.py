"""A page whose labels tie the section before it with a later one, showing the later
section's own printed text, goes forward to it: the flow does not run back."""

from __future__ import annotations

from helpers.synth import worded_page
from tasksheet.ingest.classify import claim_continuations, order_pages
from tasksheet.ingest.document import Page
from tasksheet.schemas.template import load_template

TPL = load_template()

ONE = ["一、三方单位基本信息", "项目承接单位", "法定代表人", "手机", "电话", "项目负责人", "自筹经费",
       "项目委托单位", "主管处室", "合作方式", "经费支持", "项目协调单位", "联系人"]


def _document(middle: list[str], last: bool = True) -> list[Page]:
    """Seed 5417 doc-0019 (grey, flowing) as read: 一, then `middle` (unclassified), then
    the rest of 五 when `last`."""
    pages = [worded_page(1, ONE, "basic_info"), worded_page(2, middle, None)]
    if last:
        pages.append(worded_page(3, ["负责人(签字)", "项目承接单位:", "同意。", "项目协调单位:",
                                     "同意,做好协调和保障"], "opinions"))
    return pages


# p4 of seed 5417 doc-0019: 三's last rows, 四 with its headings unread, 五's first label
P4 = ["贾琳", "成都市电子学会", "副秘书长", "技术负责", "(1)委托单位有权", "项目任务后,由委托单",
      "(3)承担单位应积极配", "项目委托单位:"]


def test_four_shown_after_one_is_four() -> None:
    """`委托单位有权` (四's mark 委托单位有权监督, read in part) with 项目委托单位 (一's and 五's):
    the page went to 一, the page before it."""
    pages = _document(P4)
    claim_continuations(pages, TPL)
    assert pages[1].form_page == "clauses"
    ordered, missing, out_of_order = order_pages(pages, TPL)
    assert [p.index for p in ordered] == [1, 2, 3] and not out_of_order
    assert "clauses" not in missing


def test_five_without_its_page_is_not_taken_by_four() -> None:
    """When 四 has a page of its own (scanned last) and 五 none, the page runs on into 五
    (tied with 一 by its label)."""
    pages = _document(P4, last=False)
    pages.append(worded_page(3, ["四、共同条款", "委托单位有权监督", "承担单位严格按照"], "clauses"))
    claim_continuations(pages, TPL)
    assert pages[1].form_page == "opinions"


def test_one_run_on_without_a_later_mark_stays_one() -> None:
    """Labels tied, but no later section's own text: the page stays with 一."""
    pages = _document(["贾琳", "成都市电子学会", "副秘书长", "项目委托单位:"])
    claim_continuations(pages, TPL)
    assert pages[1].form_page == "basic_info"


def test_four_between_one_and_five_is_four() -> None:
    """Seed 9133 doc-0007 p5 (bitonal, flowing): 三's last rows and 四's first clauses, one
    mark of 四 read whole and no label of 一, between 一 and 五: it went with 一 and 四 had
    no page."""
    pages = _document(["冯超涛", "成都市食品药品监督管理局", "调研员", "项目监督", "副处长",
                       "成都市科学技术协会", "(1)委托单位有权监督、检查任务履行情况。",
                       "(3)承担单位应积极配", "(4)承担单位因某种原未主动提出中止任务的"])
    claim_continuations(pages, TPL)
    assert pages[1].form_page == "clauses"
    ordered, missing, out_of_order = order_pages(pages, TPL)
    assert [p.index for p in ordered] == [1, 2, 3] and not out_of_order
    assert "clauses" not in missing
