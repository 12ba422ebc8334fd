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



def test_a_typed_name_beside_a_stroke_the_edge_cut_stays_print() -> None:
    """A name typed whole in the place, and a stroke coming in over its top edge (the tail
    of a hand or a mark above it): the cut stroke is no part of the print, the name is
    still a typed line, judged without it (with it, its slant made the whole a hand)."""
    from PIL import Image, ImageDraw, ImageFont
    font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 32)
    page = Image.new("RGB", (500, 200), (250, 250, 250))
    ImageDraw.Draw(page).text((60, 85), "张伟明", fill=(20, 20, 20), font=font)
    image = np.asarray(page)[..., ::-1].copy()
    cv2.line(image, (380, 5), (420, 70), (20, 20, 20), 4)
    sig = detect_signature(image, (20, 40, 480, 170), text_height=29.0)
    assert (sig.signed, sig.printed) == (False, True)
