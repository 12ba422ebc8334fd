"""Section headings read in traditional characters are still the form's headings
(`readers.flow`, through `extract.page_text.clean`)."""

from __future__ import annotations

import pytest
from tasksheet.extract.page_text import clean, similarity
from tasksheet.readers.flow import _is_heading
from tasksheet.schemas.template import load_template


@pytest.mark.parametrize(("read", "printed"), [
    ("五、三方單位意見", "五、三方单位意见"),
    ("三、試點項目參與成員", "三、试点项目参与成员"),
    ("（二）試點項目內容", "二、试点项目内容"),
])
def test_a_heading_read_in_traditional_characters_is_that_heading(read: str, printed: str) -> None:
    """The recogniser answers a printed line in traditional characters now and then (`協調`,
    `任務書` on last stop's seeds): compared as read, 五's heading scored 0.71, under the
    bar, and its section was left to the pages classified as it."""
    assert printed in load_template().headings
    assert _is_heading(read, printed)


def test_clean_makes_a_label_read_in_traditional_characters_the_printed_one() -> None:
    assert clean("項目協調單位：") == clean("项目协调单位：") == "项目协调单位"
    assert similarity("成都市科協所屬學會有序承接政府轉移職能試點項目任務書",
                      "成都市科协所属学会有序承接政府转移职能试点项目任务书") == 1.0
