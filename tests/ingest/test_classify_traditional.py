"""Classification of a page whose printed marks are read in traditional characters."""

from __future__ import annotations

from tasksheet.ingest.classify import normalise_text, page_scores
from tasksheet.schemas.template import load_template


def test_marks_read_in_traditional_characters_still_name_their_page() -> None:
    """A cover read `…項目任務書`, `項目名稱`, `成都市科學技術協會製` (a brush-like font, a grey
    scan): as read, only `附件` matched and the cover scored 0.25, under the bar a form
    page needs. Simplified before matching, every mark is found."""
    text = "附件 成都市科協所屬學會有序承接政府轉移職能試點項目任務書 項目名稱： 成都市科學技術協會製"
    scores = page_scores(text, load_template())
    assert scores["cover"] == 1.0
    assert max(v for k, v in scores.items() if k != "cover") == 0.0


def test_normalise_text_simplifies() -> None:
    assert normalise_text("五、三方單位意見（單位公章）") == "五、三方单位意见(单位公章)"
