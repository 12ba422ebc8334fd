"""Section 五: a name stamped in blue-violet ink in the 签字 place is print, not a hand."""

from __future__ import annotations

import pytest
from helpers.saved import saved_opinions
from tasksheet.extract.signature import PRINTED_RAW

SCALE = (3.0, 47.0, 3.0)  # stroke, text height, line thickness as the whole page measured


def test_a_blue_stamped_name_over_the_label_row_is_no_signature(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Generated seed 777 doc-0001 (300 DPI colour, flowing: the coordinating block alone on
    its page). `唐立` is rubber-stamped in blue-violet beside `负责人（签字）`: the detector
    calls it print, but the label row's pen-colour check (`_pen_over_label`, for a blue pen
    written over the label) judged the stamp by its colour alone and made it a signature,
    hiding the sheet's missing_signature."""
    _, result = saved_opinions(monkeypatch, "opinions_stamped_name_blue.jpg", scale=SCALE,
                               dpi=300, colour=True)
    signed = result.readings["opinions.coordinating.signed"]
    assert signed.value is False
    assert signed.raw == PRINTED_RAW  # the finding says a name was typed there
    assert result.readings["opinions.coordinating.sealed"].value is True
