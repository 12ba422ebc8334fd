"""Section 五: a signature written low over its label, across both the signature and the
seal label, where a seal's ring joins all three into one line box (`readers.opinions.
_label_print`): the box's print is its labels, not the whole box."""

from __future__ import annotations

import pytest
from helpers.saved import saved_opinions


def _undertaking(result) -> tuple:
    signed = result.readings["opinions.undertaking.signed"]
    return signed.value, signed.bbox, result.readings["opinions.undertaking.date"].value


def test_a_pen_across_both_labels_in_a_red_seal_is_the_signature(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 9133 doc-0022 (colour scan, paged; `tests/data/opinions_colour_pen_across_labels.
    jpg`: its page 五 as normalised). The name starts on `（单位公章）` and runs right, up
    to `（签字）`'s row: `法定代表人（签字）`, `（单位公章）` and the pen were one line box
    three text heights tall (`法定代表公章）`), no label was read, and the box, taken for
    print whole, was kept out of the place looked in with the pen (a false
    missing_signature)."""
    _, result = saved_opinions(monkeypatch, "opinions_colour_pen_across_labels.jpg",
                               scale=(3.0, 29.0, 1.0), dpi=200, index=8, colour=True)
    # the pen's top row, dark in every channel under the red, is kept (79ddccd): y0 1062
    assert _undertaking(result) == (True, (962, 1062, 1153, 1148), "2018-06-28")


def test_a_pen_across_both_labels_in_a_grey_seal_is_the_signature(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 9133 doc-0003 (grey scan, paged; `tests/data/opinions_grey_date_row_alone.jpg`:
    its page 五 as normalised). As doc-0022, in a grey seal: the
    labels and the pen one box (`法定华公章`), and the pen wholly inside the seal's ring,
    told from the seal only by its darker tone, which was not asked for with no label
    read. Every line in the place is the block's print, kept out: its tone is asked."""
    _, result = saved_opinions(monkeypatch, "opinions_grey_date_row_alone.jpg",
                               scale=(3.0, 33.0, 3.0), dpi=200, index=8)
    assert _undertaking(result) == (True, (1111, 1185, 1269, 1263), "2018-07-18")
