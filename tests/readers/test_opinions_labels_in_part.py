"""Section 五: a block's signature and seal labels read in part are no opinion text."""

from __future__ import annotations

import pytest
from helpers.saved import saved_opinions


def test_labels_read_in_part_end_the_opinion(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 6143 doc-0019 (grey scan, paged; `tests/data/opinions-grey-labels-read-in-part.
    jpg`: its 五 table as normalised). The undertaking block's `法定代表人（签字）` was read
    `法定代表` (the pen over the rest) and `（单位公章）` `(单位么` (the seal's ring over
    公章): no label was found, and both were taken into the opinion, `同意。法定代表（单位么`.
    A row that starts as a label does, right of the opinion's columns, ends the opinion."""
    _, result = saved_opinions(monkeypatch, "opinions-grey-labels-read-in-part.jpg",
                               scale=(3.0, 27.0, 2.0), dpi=200, index=7)
    got = {f: result.readings[f"opinions.undertaking.{f}"].value
           for f in ("text", "signed", "sealed", "date")}
    assert got == {"text": "同意。", "signed": True, "sealed": True, "date": "2018-07-28"}
    assert result.readings["opinions.commissioning.text"].value == \
        "同意委托成都市水利学会承接该试点项目。"
