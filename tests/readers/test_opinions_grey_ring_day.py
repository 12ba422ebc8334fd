"""A date whose day a grey seal's ring runs through, on a grey scan."""

from __future__ import annotations

from helpers.saved import saved_opinions


def test_a_day_under_a_grey_ring_not_read_surely_is_not_given(monkeypatch) -> None:
    """Seed 9133 doc-0003 p8, a grey scan (`tests/data/grey-ring-through-date-day.png`: the
    coordinating block as normalised, scale measured on its whole page): the seal, centred
    in the signature's row, runs its ring through `25` of `2018年7月25日` in the row below.
    Read in the batch `2018年1月20日` (0.89; on the whole page `2018年7月23日`, 0.90): a
    wrong date. Read again alone, the ring set to paper, and scored on the row as scanned,
    no date is sure: the date is not given, and its confidence asks a person to look.
    """
    _, result = saved_opinions(monkeypatch, "grey-ring-through-date-day.png",
                               scale=(3.0, 33.0, 3.0), dpi=200, index=8)
    assert result.readings["opinions.coordinating.sealed"].value is True
    date = result.readings["opinions.coordinating.date"]
    assert (date.raw, date.value, date.confidence) == ("2018年1月20日", None, 0.5)
