"""A few lines after a page break, labelled as one section only, go forward with the flow
into that section when it has no page of its own (ingest.classify._flow_ahead)."""

from __future__ import annotations

from helpers.synth import worded_page
from tasksheet.ingest.classify import claim_continuations, order_pages
from tasksheet.schemas.template import load_template

TPL = load_template()


def _document(last: list[str]) -> list:
    """Seed 6143 doc-0001's last pages (grey, flowing) as classified: 一, a page of 四 that
    begins 五 (its first two blocks and the coordinating one's label and opinion), then
    `last`, unclassified."""
    return [
        worded_page(3, ["一、三方单位基本信息", "法定代表人", "项目负责人", "自筹经费", "主管处室"],
                    "basic_info"),
        worded_page(5, ["四、共同条款", "(1) 委托单位有权监督", "五、三方单位意见", "项目委托单位：",
                        "项目承接单位：", "项目协调单位：", "同意，加强指导和督促。"], "clauses"),
        worded_page(6, last, None),
    ]


def test_the_rest_of_fives_last_block_is_five() -> None:
    """Page 6 holds only the rest of the coordinating block: `负责人（签字）` (read
    `负责学签字`), `（单位公章）` and the date. Labels of 五 alone; 五 has no page of its
    own (it began on 四's), so no section present carried them and the page was no one's:
    the block's signature, seal and date were lost."""
    pages = _document(["负责学签字", "姜辉海", "(单位公章)", "2018.7.2"])
    claim_continuations(pages, TPL)
    assert pages[2].form_page == "opinions" and pages[2].claimed
    ordered, _, out_of_order = order_pages(pages, TPL)
    assert [p.index for p in ordered] == [3, 5, 6] and not out_of_order


def test_a_full_page_with_fives_labels_is_not_claimed() -> None:
    """The same labels on a page of text (another document's signature page) are no
    remainder: more lines than an overflow holds (`DEFAULT_OVERFLOW_LINES`)."""
    body = [f"第{i}条 本合同未尽事宜由双方协商解决" for i in range(14)]
    pages = _document([*body, "负责人（签字）", "(单位公章)", "2018.7.2"])
    claim_continuations(pages, TPL)
    assert pages[2].form_page is None
