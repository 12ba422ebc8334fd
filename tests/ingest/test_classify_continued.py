"""A page holding only the continuation of a section: what it holds and the flow before it
say where it goes, not a date's year, a page number or a running header."""

from __future__ import annotations

from helpers.synth import worded_page
from tasksheet.ingest.classify import (
    claim_continuations,
    label_evidence,
    normalise_text,
    order_pages,
)
from tasksheet.ingest.document import Page
from tasksheet.schemas.template import load_template

TPL = load_template()



def _swapped(last: list[str]) -> list[Page]:
    """Seed 8527 doc-0019 (colour, flowing) as classified: its fourth and fifth pages
    scanned the wrong way round (四 with the start of 五 before the end of 二 with 三),
    then `last`, the page 五's last block ran on to."""
    return [
        worded_page(1, ["附件", "转移职能试点项目任务书", "项目名称：", "委托单位："], "cover"),
        worded_page(2, ["填表说明", "4. 凡不填内容的栏目，请用“一”表示。"], "instructions"),
        worded_page(3, ["一、三方单位基本信息", "法定代表人", "汪刚玉"], "basic_info"),
        worded_page(4, ["四、共同条款", "(1)委托单位有权监督、检查任务履行情况。", "五、三方单位意见",
                  "项目委托单位：", "同意委托。", "负责人（签字）", "(单位公章)"], "clauses"),
        worded_page(5, ["受成都市卫生和计划生育委员会委托，成都市营养学会承接", "三、试点项目参与成员",
                  "职务/职称", "工作单位"], "members"),
        worded_page(6, last, None),
    ]


LAST = ["项目协调单位：", "同意，做好协调服务工", "二〇一八年七月二十七"]  # as read


def test_a_date_written_out_is_no_label_of_the_cover() -> None:
    """`二〇一八年` of a date written in characters was the cover's month-line label
    (`二O一八年`, weight 1): 五's last block scored the cover four times 五's party name."""
    evidence = label_evidence(normalise_text(" ".join(LAST)), TPL)
    assert (evidence["cover"], evidence["opinions"]) == (0.25, 0.5)


def test_fives_last_block_goes_after_fives_start_when_scanned_out_of_order() -> None:
    """The last page (五's coordinating block) went to the cover by the year of its date;
    claimed for 五, it must follow 四's page, where 五 starts, not the page scanned before
    it (三's), or the flow reads the block as 三's."""
    pages = _swapped(LAST)
    claim_continuations(pages, TPL)
    assert pages[5].form_page == "opinions"
    ordered, _, out_of_order = order_pages(pages, TPL)
    assert [p.index for p in ordered] == [1, 2, 3, 5, 4, 6] and out_of_order
