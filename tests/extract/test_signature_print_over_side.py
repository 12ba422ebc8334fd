"""A typed name set past its 签字 cell's side is print, not a hand cut by the edge."""

from __future__ import annotations

import cv2
from conftest import DATA
from tasksheet.extract.signature import detect_signature


def test_a_typed_name_run_over_the_cells_side_is_print() -> None:
    """Seed 6143 doc-0002 (colour scan, 35 px text height,
    `signature-typed-name-over-cell-side.png`): members.1's 签字 cell (80, 80, 160, 204)
    holds 高婷芳 typed and run over the table's right border, 芳 cut by it. Ink going on
    past an edge was the rest of a hand the edge cut: signed, a missed missing_signature.
    Followed 1.5 text heights past the side, it is one line of print cut by no edge."""
    image = cv2.imread(str(DATA / "signature-typed-name-over-cell-side.png"), cv2.IMREAD_COLOR)
    got = detect_signature(image, (80, 80, 160, 204), text_height=35.0)
    assert (got.signed, got.printed, got.bbox) == (False, True, (84, 127, 160, 157))


def test_a_hand_cut_at_the_top_is_not_followed() -> None:
    """The same name's place cut at the top (its first 60 rows left out, the name's top
    half with them) touches the top edge: not followed sideways, judged as before."""
    image = cv2.imread(str(DATA / "signature-typed-name-over-cell-side.png"), cv2.IMREAD_COLOR)
    got = detect_signature(image, (80, 140, 160, 204), text_height=35.0)
    assert not got.printed
