"""Section 五's date, the block's last line below its labels: read whole when a grey seal
over it breaks it into pieces set higher and lower, leaves only its day between the
printed 月 and 日, or turns the tens of its day into another digit."""

from __future__ import annotations

import pytest
from helpers.saved import saved_opinions


def test_a_date_row_in_pieces_is_joined_and_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 9133 doc-0003 (grey scan, paged; `tests/data/opinions_grey_date_row_alone.jpg`:
    its page 五 as normalised). The coordinating date has a row of the table to itself,
    under the seal's ring: read `月23日` and `2018年7`, the first cut higher by the ring,
    the cell did not say 年…月…日 in order and was not taken as the block's going on, and
    the two pieces, half a line apart, were two rows (date None). Joined left to right
    they say the date (the ring over its 5 reads it 3: the value is what the pixels say)."""
    _, result = saved_opinions(monkeypatch, "opinions_grey_date_row_alone.jpg",
                               scale=(3.0, 33.0, 3.0), dpi=200, index=8)
    date = result.readings["opinions.coordinating.date"]
    assert (date.raw, date.bbox) == ("2018年7月23日", (965, 1864, 1281, 1905))


def test_dates_under_grey_seals_at_150_dpi(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 9133 doc-0005 (grey scan at 150 DPI, flowing; `tests/data/opinions_grey_date_
    under_seal.png`: its second page of 五 as normalised). The coordinating date's
    `2018 年 5` lies under the seal and was read as specks (` :`, `i`) before `月5 日`: no
    date's shape, so no date row, and the row went into the opinion (`…工作。月5 日`). A
    day between the printed 月 and 日 is a date's shape; with the specks set aside the row
    said no date, and it is read again alone with them. The undertaking date
    `2018 年 5 月 17 日`, the ring over its 1 and before its year, read `42018年5月47日`:
    the digit before the form's year is the ring's, and a day no month has is its tens
    misread (guessed)."""
    _, result = saved_opinions(monkeypatch, "opinions_grey_date_under_seal.png",
                               scale=(2.0, 21.0, 2.0), dpi=150)
    got = {k: result.readings[f"opinions.{k}"].value
           for k in ("undertaking.date", "coordinating.date", "coordinating.text")}
    assert got == {"undertaking.date": "2018-05-17", "coordinating.date": "2018-05-05",
                   "coordinating.text": "同意，做好协调服务工作。"}
    assert result.readings["opinions.undertaking.date"].confidence < 0.6
