"""Section 五: which lines near a signature are print, and so not pen strokes."""

from __future__ import annotations

from tasksheet.readers.opinions import _printed


def test_a_signature_grouped_into_the_seal_label_row_is_not_print() -> None:
    # doc-0143 of seed 41: a grey seal's ring joined 负责人（签字） and （单位公章） into one
    # line box, and the signature right of it fell into the 公章 row
    row = [((874, 609, 1073, 708), "人（公章）", 0.645), ((1131, 568, 1390, 660), "NKV", 0.915)]
    assert _printed(row, "（单位公章）") == row[:1]


def test_a_date_row_is_print_by_its_digits_and_its_characters() -> None:
    row = [((966, 761, 1100, 792), "2018", 0.99), ((1110, 761, 1301, 792), "年5月13日", 1.0),
           ((1320, 740, 1500, 800), "Mv", 0.7)]
    assert _printed(row, "年月日0123456789") == row[:2]
