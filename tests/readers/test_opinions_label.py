"""Section 五: a block's opinion is what follows its label, the label's colon read or not."""

from __future__ import annotations

from helpers.saved import saved_opinions
from tasksheet.readers.opinions import _arabic_date, _printed_only


def test_the_opinion_under_a_label_read_without_its_colon(monkeypatch) -> None:
    """Fresh seed 3301 doc-0009 (colour scan at 150 DPI, `tests/data/opinions-label-
    without-colon.png`: the undertaking block, the page, its paper evened). `项目承接单位：` was read
    without its colon, and the opinion was taken as what follows a colon: none, a
    blank_field on a block with its opinion written (two of the document's three false
    findings)."""
    _, result = saved_opinions(monkeypatch, "opinions-label-without-colon.png",
                               scale=(1.0, 19.0, 1.0), dpi=150, colour=True)
    assert result.readings["opinions.undertaking.text"].value == \
        "同意承接该试点项目，严格按照任务书要求组织实施。"  # its marks as written (pale, read since 23cda9b)
    assert result.readings["opinions.undertaking.signed"].value is True


def test_a_date_in_chinese_numerals_with_its_year_under_the_ring() -> None:
    """Seed 191 doc-0015 (grey scan, dates in Chinese numerals): the seal's ring over the
    year left `、年五月十一日`, read as no date at all (a missing_date on a dated block).
    The month and day stand; the year is left for the form's, as for digits."""
    assert _arabic_date("、年五月十一日") == "年5月11日"
    assert _arabic_date("二〇一八年五月十一日") == "2018年5月11日"


def test_a_date_row_in_chinese_numerals_is_not_printed_only() -> None:
    """Seed 191 doc-0015: read alone without its grey seal, `八年五月十一日` was taken for
    the printed 年 月 日 alone (no Arabic digit), and the date emptied (missing_date ×3)."""
    assert _printed_only("八年五月十一日") is False
    assert _printed_only("年 月 日") is True
