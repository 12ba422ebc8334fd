"""A page known only by labels two sections print goes with the flow, forward."""

from __future__ import annotations

from helpers.synth import worded_page
from tasksheet.ingest.classify import claim_continuations, order_pages
from tasksheet.ingest.document import Page
from tasksheet.schemas.template import load_template

TPL = load_template()



def _document(last: list[str]) -> list[Page]:
    """Seed 7411 doc-0015's pages (grey, flowing) as read: 一, then a page of 四 that begins
    五 too, then `last`."""
    return [
        worded_page(1, ["一、三方单位基本信息", "项目承接单位", "法定代表人", "手机", "电话", "项目负责人",
                  "自筹经费", "项目委托单位", "主管处室", "合作方式", "经费支持", "项目协调单位"],
              "basic_info"),
        worded_page(2, ["四、共同条款", "(1) 委托单位有权监督", "(6) 任务书签订各方均负有相应的责任",
                  "五、三方单位意见", "项目委托单位："], "clauses"),
        worded_page(3, last, None),
    ]


def test_five_run_on_after_four_is_five() -> None:
    """五's last two blocks on a page of their own: the party names 一 and 五 both print,
    nothing else. 五 had no page of its own, so the page went to 一 (the one present
    section printing those names), was put second, and every field of 一 read blank."""
    pages = _document(["项目承接单位：", "同意。", "项目协调单位：", "同意，加强指导和督促"])
    claim_continuations(pages, TPL)
    assert pages[2].form_page == "opinions"
    ordered, _, out_of_order = order_pages(pages, TPL)
    assert [p.index for p in ordered] == [1, 2, 3] and not out_of_order


def test_a_run_on_of_ones_own_rows_stays_one() -> None:
    """Labels only 一 prints (经费性质, 经费来源, 政策支持) tell the sections apart: no flow
    forward, the page is 一's."""
    pages = _document(["经费性质", "财政拨款", "经费来源", "公用经费", "政策支持"])
    claim_continuations(pages, TPL)
    assert pages[2].form_page == "basic_info"
