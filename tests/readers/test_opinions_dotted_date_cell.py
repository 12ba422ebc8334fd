"""Section 五: a block laid out as rows, its date written with dots in a row of its own."""

from __future__ import annotations

import pytest
from helpers.saved import saved_opinions


def test_a_dotted_date_in_its_own_cell_is_the_blocks_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 6143 doc-0007 (grey scan, paged; `tests/data/opinions-grey-dotted-date-cells.jpg`:
    the commissioning and undertaking blocks as normalised). Each block is three rows:
    label and opinion, the signature and seal labels, then the date, `2018.6.13`. A row
    going on from a block is read when it holds a seal or one of its printed parts
    (签字, 公章, 年 月 日); the dotted date has none of them, was never read, and every
    block's date was None."""
    _, result = saved_opinions(monkeypatch, "opinions-grey-dotted-date-cells.jpg",
                               scale=(3.0, 29.0, 2.0), dpi=200, index=8)
    got = {p: (result.readings[f"opinions.{p}.date"].value,
               result.readings[f"opinions.{p}.text"].value)
           for p in ("commissioning", "undertaking")}
    assert got == {"commissioning": ("2018-06-13", "同意按任务书开展试点工作。"),
                   "undertaking": ("2018-06-26", "同意承接，按任务书要求认真组织实施。")}
