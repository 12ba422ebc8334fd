"""A heavy pen's scribble that keeps to two lines as print does is still a hand: it is
drawn far bolder than the page's print beside it."""

from __future__ import annotations

import cv2
from conftest import DATA
from tasksheet.extract.signature import detect_signature


def test_a_bold_scribble_of_two_blobs_is_signed() -> None:
    """Seed 6143 doc-0018 p3, a phone photo (`signature-photo-heavy-scribble-member.png`,
    the member row and its typed cells on the left): members.2's 签字 cell holds a blue
    scribble of two blobs 1.6 text heights tall whose tops and bottoms keep within 2 px,
    upright: taken for a typed name (a false missing_signature). Its strokes' cores are
    7.1 px across, the print's beside it 1.9."""
    image = cv2.imread(str(DATA / "signature-photo-heavy-scribble-member.png"), cv2.IMREAD_COLOR)
    got = detect_signature(image, (249, 27, 357, 92), text_height=31.0)
    assert (got.signed, got.printed, got.bbox) == (True, False, (261, 33, 343, 84))


def test_a_typed_name_among_print_of_its_width_stays_print() -> None:
    """The typed 董荣 (seed 9857 doc-0009) is as bold as the print round it (3.7 px against
    2.5): still print, however the width rule reads it."""
    image = cv2.imread(str(DATA / "signature-typed-name-under-seal-star.png"), cv2.IMREAD_COLOR)
    got = detect_signature(image, (40, 20, 419, 101), 25.0)
    assert got.printed and not got.signed
