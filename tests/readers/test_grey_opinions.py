"""Opinion blocks on greyscale scans, where a seal's ring is grey and as dark as print."""

from __future__ import annotations

import cv2
from helpers.saved import saved_opinions
from tasksheet.schemas.template import load_template


def test_a_grey_ring_through_an_empty_date_is_not_a_digit(monkeypatch) -> None:
    """Seed 613 doc-0011, a grey scan (`tests/data/grey-ring-through-empty-date.png`: the
    undertaking block as normalised, scale measured on its whole page): the date is left
    empty (`年 月 日`) and the grey seal's ring runs between 年 and 月. As scanned the row
    read `年1月日` (a partial date at 0.40: a low_confidence warning, not the missing_date
    error). With the ring set to paper the row says its print alone: an empty date."""
    _, result = saved_opinions(monkeypatch, "grey-ring-through-empty-date.png",
                               scale=(3.0, 27.0, 3.0), dpi=200, index=6)
    assert result.readings["opinions.undertaking.sealed"].value is True
    date = result.readings["opinions.undertaking.date"]
    assert (date.raw, date.value) == ("年月日", None)
    assert date.confidence >= load_template().low_confidence_below


def test_an_empty_date_row_whose_year_the_seal_broke_is_found(monkeypatch) -> None:
    """Seed 733 doc-0001, a 150 dpi grey scan (`tests/data/grey-seal-over-empty-date-row.png`:
    the undertaking block as normalised): the date is empty and the grey seal lies over 年
    and the labels above it; what is left of them reads `#`, `上字)`, `新市`, so no row
    had a date's shape and the date was not found (None at 0.5: a low_confidence warning,
    not missing_date). The row's 月 and 日 stand alone, nothing written before either."""
    _, result = saved_opinions(monkeypatch, "grey-seal-over-empty-date-row.png",
                               scale=(2.0, 20.0, 2.0), dpi=150.0, index=4)
    date = result.readings["opinions.undertaking.date"]
    assert (date.raw, date.value, date.bbox) == ("月日", None, (587, 357, 669, 376))
    assert date.confidence >= load_template().low_confidence_below


def test_a_date_row_with_ink_in_its_gaps_is_not_empty(monkeypatch) -> None:
    """The same row with a pen stroke where the day goes: not an empty date."""
    from tasksheet.readers.opinions import _empty_date_row

    work, _ = saved_opinions(monkeypatch, "grey-seal-over-empty-date-row.png",
                             scale=(2.0, 20.0, 2.0), dpi=150.0, index=4)
    row = [((587, 357, 603, 376), "月", 1.0), ((656, 357, 669, 375), "日", 1.0)]
    assert _empty_date_row(work, row, [])
    cv2.line(work.page.image, (625, 360), (628, 374), (120, 120, 120), 2)
    assert not _empty_date_row(work, row, [])


def test_a_date_in_chinese_numerals_is_read_in_digits(monkeypatch) -> None:
    """Fresh seed 1307 doc-0011, a grey scan (`tests/data/grey-date-in-chinese-numerals.png`:
    the coordinating block as normalised, measured on its whole page): an office writes its
    dates in Chinese numerals, `二〇一八年七月二十三日`, the 〇 read as a ring of brackets
    (`二（()一八年七月二十三日`). Kept as written, it was no date: three false missing_date
    errors on the document. The numerals are the date's digits, counted in month and day."""
    _, result = saved_opinions(monkeypatch, "grey-date-in-chinese-numerals.png",
                               scale=(3.0, 31.0, 3.0), dpi=200, index=7)
    date = result.readings["opinions.coordinating.date"]
    assert (date.raw, date.value) == ("2018年7月23日", "2018-07-23")
