"""Two pages known by the same labels alone: the one whose own labels they mostly are."""

from __future__ import annotations

import numpy as np
from tasksheet.ingest.classify import classify_page, page_scores
from tasksheet.ingest.document import Page, Word
from tasksheet.schemas.template import load_template

TPL = load_template()
# what was read on fresh seed 6311 doc-0009's last page (grey, flowing): 五's three blocks,
# their 签字 and 公章 labels under the seals unread
READ = ["项目委托单位：", "同意委托。", "项目承接单位：", "同意。保证按期完成试点任务。",
        "项目协调单位：", "同意，加强指导和督促"]


def _page(lines: list[str]) -> Page:
    words = [Word(t, (100, 100 + 60 * i, 600, 140 + 60 * i)) for i, t in enumerate(lines)]
    return Page(index=6, source="x", image=np.full((1754, 1240, 3), 255, np.uint8),
                scan_size=(1240, 1754), matrix=np.eye(3)[:2], dpi=150.0, born_digital=True,
                words=words)


def test_the_three_party_labels_alone_are_five_not_one() -> None:
    """一 prints the three party labels too, and by labels alone both pages scored 0.45:
    the tie went to 一 (its place in the template), the page was put after 一 (a false
    page_out_of_order) and all three blocks read empty (13 false findings). Of 五's few
    labels three were found; of 一's twenty, three and none of the rest."""
    scores = page_scores("".join(READ), TPL)
    assert scores["basic_info"] == scores["opinions"] > 0  # the tie
    assert classify_page(_page(READ), TPL, engine=None)[0] == "opinions"


def test_one_with_its_own_labels_is_still_one() -> None:
    lines = ["项目委托单位", "单位名称", "法定代表人", "联系人", "手机", "项目承接单位", "单位名称",
             "项目负责人", "电子邮箱", "项目协调单位", "经费性质", "经费来源"]
    assert classify_page(_page(lines), TPL, engine=None)[0] == "basic_info"
