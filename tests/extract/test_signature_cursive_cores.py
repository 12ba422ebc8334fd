"""A signature written as one cursive line is no typed name when judged on its cores."""

from __future__ import annotations

import cv2
from conftest import DATA
from tasksheet.extract.signature import detect_signature


def test_a_cursive_line_on_its_cores_is_a_hand() -> None:
    """Seed 9133 doc-0001 p8 (colour scan, 24 px text height,
    `signature-cursive-line-blue.png`): 承接单位's 法定代表人（签字） place signed in
    blue, one zigzag line. Its dark cores (79ddccd) part into a tall first stroke and one
    piece 118 px wide, both running the ink's height: "two glyphs on one line", a typed
    name, and the signed block got a false missing_signature. A typed Chinese glyph is
    about as wide as it is tall."""
    image = cv2.imread(str(DATA / "signature-cursive-line-blue.png"), cv2.IMREAD_COLOR)
    got = detect_signature(image, (30, 30, 408, 103), 24.0, by_tone=True)
    assert (got.signed, got.printed, got.bbox) == (True, False, (69, 31, 248, 87))
