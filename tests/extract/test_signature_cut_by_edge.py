"""A signature place's edge may cut a hand (#17): a name written above the label's row, or
over a member cell's side, leaves part of its strokes in the place. Cut, they may look as
flat and even as a typed line; ink going on past the edge says they are part of something
bigger, not a line of print, which the form sets whole in its place."""

from __future__ import annotations

import cv2
import numpy as np
from conftest import DATA
from tasksheet.extract import signature
from tasksheet.extract.signature import detect_signature


def _page(name: str) -> np.ndarray:
    return cv2.imread(str(DATA / name), cv2.IMREAD_COLOR)


# generated seed 9721 doc-0011 p7 (1-bit), the undertaking block: the hand signed above
# 法定代表人（签字）, its flourish and underline in the label row's place (26 px tall), its
# upper strokes above the place's top edge; a black seal over the labels' start
HAND_ABOVE = "signature-bitonal-hand-above-label-row.png"
HAND_ABOVE_PLACE = (286, 194, 840, 300)
HAND_ABOVE_PRINT = [(241, 232, 350, 260), (440, 300, 738, 328), (189, 261, 243, 280)]

# generated seed 9857 doc-0015 p5 (1-bit), member 2's 签字 cell: a small dense hand
# written over the cell's left ruling, its first glyph half in the cell before it
MEMBER = "signature-bitonal-member-name-over-cell-side.png"
MEMBER_CELL = (93, 70, 174, 191)


def test_a_hand_cut_by_the_places_top_edge_is_signed() -> None:
    sig = detect_signature(_page(HAND_ABOVE), HAND_ABOVE_PLACE, text_height=29.0,
                           exclude=HAND_ABOVE_PRINT, by_tone=False)
    assert (sig.signed, sig.printed, sig.bbox) == (True, False, (334, 194, 693, 217))


def test_a_name_written_over_the_cells_side_is_signed() -> None:
    sig = detect_signature(_page(MEMBER), MEMBER_CELL, text_height=31.0)
    assert (sig.signed, sig.printed, sig.bbox) == (True, False, (93, 126, 153, 157))


def test_the_cut_is_what_tells_them_from_print(monkeypatch) -> None:
    """Without the edge rule both read as one line of print: the rule is what decides."""
    monkeypatch.setattr(signature, "_cut_by_edge", lambda *a, **k: False)
    top = detect_signature(_page(HAND_ABOVE), HAND_ABOVE_PLACE, text_height=29.0,
                           exclude=HAND_ABOVE_PRINT, by_tone=False)
    side = detect_signature(_page(MEMBER), MEMBER_CELL, text_height=31.0)
    assert (top.printed, side.printed) == (True, True)



def test_a_hand_the_edge_cut_beside_print_the_edge_cut_too_is_signed() -> None:
    """Generated seed 9857 doc-0017 p7 (grey), the commissioning block, its label unread:
    the place guessed as the block's lower right cuts the labels (签字） 单位公章）) at its
    left edge and the hand, written across them, at its top. The cut pieces are none of
    them print, so the place holds no typed line whatever is left whole; leaving the cut
    pieces out of the print test (and judging the rest) took it for a typed name."""
    sig = detect_signature(_page("signature-grey-hand-over-edge-label-cut.png"),
                           (110, 132, 834, 243), text_height=29.0,
                           exclude=[(406, 243, 692, 276)], discs=[(425, 145, 132)],
                           by_tone=False)
    assert (sig.signed, sig.printed, sig.bbox) == (True, False, (110, 132, 375, 243))
