"""Seals on real scans nobody here generated (../shared/real/README.md): where they are, what
they are (round 公章, oval, square, or a red pen's loop), and which unit they name.

The seal text is verified against the units that may have stamped (`read_seal_unit`): the
answer is the unit with a calibrated score, and a rim read in part or not at all is
reported unsure (under the template's low-confidence bar, 0.6), never as another unit.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from helpers.real import degraded, real_scan
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.seal import SHAPES, find_seals, read_seal_unit

UNSURE = 0.6  # schemas/task_sheet_2018.yaml low_confidence_below: no error from under it
SURE = 0.97  # the seal_unit_mismatch rule's min_confidence



# --------------------------------------------------------------------------- where, what


def test_settlement_sheet_two_round_seals_in_the_lower_third() -> None:
    image = real_scan("settlement-sheet-two-seals.jpeg")
    h, w = image.shape[:2]
    seals = sorted(find_seals(image, shapes=SHAPES), key=lambda s: s.center[0])
    assert len(seals) == 2, seals
    assert all(s.center[1] > 2 * h / 3 and s.shape == "round" for s in seals)
    assert seals[0].center[0] < w / 2 < seals[1].center[0]


def test_seal_crop_one_round_seal() -> None:
    seals = find_seals(real_scan("seal-crop.png"), shapes=SHAPES)
    assert [s.shape for s in seals] == ["round"]


def test_phone_scan_one_round_seal_and_the_oval_is_no_round_one() -> None:
    """The other party's oval 发票专用章 may be reported as an oval, never as a round 公章."""
    image = real_scan("seal-contract-phone-scan.jpg")
    seals = find_seals(image)
    assert len(seals) == 1, seals
    assert math.dist(seals[0].center, (137, 557)) < 10 and seals[0].shape == "round"
    others = [s for s in find_seals(image, shapes=SHAPES) if s.shape != "round"]
    assert all(s.center[0] > 250 for s in others), others  # only the right party's oval


def test_certificate_photo_one_seal() -> None:
    assert len(find_seals(real_scan("seal-certificate-photo.jpg"), shapes=SHAPES)) == 1


@pytest.mark.parametrize("name", ["no-seal-screenshot.png", "no-seal-red-pen-circles.png",
                                  "form-checkboxes-signatures.png", "table-printed-ticks.jpg",
                                  "table-customs-declaration.jpg", "table-dark-photo.png"])
def test_no_seal(name: str) -> None:
    """Red interface elements and red pen ellipses round a word are not seals of any shape."""
    assert find_seals(real_scan(name), shapes=SHAPES) == []


def test_red_pen_loops_as_grey_are_no_seal_either() -> None:
    gray = cv2.cvtColor(real_scan("no-seal-red-pen-circles.png"), cv2.COLOR_BGR2GRAY)
    h, w = gray.shape
    assert find_seals(gray, region=(0, 0, w, h)) == []


def _stamp(shape: str) -> np.ndarray:
    img = np.full((400, 400, 3), 245, np.uint8)
    red = (50, 40, 210)
    if shape == "round":
        cv2.circle(img, (200, 200), 80, red, 5)
    elif shape == "oval":
        cv2.ellipse(img, (200, 200), (90, 65), 20, 0, 360, red, 5)
    else:
        box = cv2.boxPoints(((200, 200), (120, 120), 30)).astype(np.int32)
        cv2.polylines(img, [box], True, red, 6)
    cv2.putText(img, "AB", (160, 215), cv2.FONT_HERSHEY_SIMPLEX, 1.5, red, 6)
    return img


@pytest.mark.parametrize("shape", SHAPES)
def test_oval_and_square_seals_reported_as_such_never_as_round(shape: str) -> None:
    img = _stamp(shape)
    assert [s.shape for s in find_seals(img, text_height=20, shapes=SHAPES)] == [shape]
    assert len(find_seals(img, text_height=20)) == (shape == "round")


# --------------------------------------------------------------------------- the unit named


def test_seal_crop_names_its_unit_surely() -> None:
    image = real_scan("seal-crop.png")
    seal = find_seals(image)[0]
    said = read_seal_unit(image, seal, get_engine(), ["成都市科学技术协会", "天津君和缘商贸有限公司",
                                                      "天津市商务局"])
    assert said.unit == said.text == "天津君和缘商贸有限公司"
    assert said.score >= SURE
    # turned any way and greyed: the same unit
    turned = cv2.warpAffine(image, cv2.getRotationMatrix2D((320, 320), 233, 1.0), (640, 640),
                            borderValue=(230, 230, 230))
    said = read_seal_unit(turned, find_seals(turned)[0], get_engine(), ["天津君和缘商贸有限公司"])
    assert said.unit == "天津君和缘商贸有限公司"
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    assert read_seal_unit(grey, seal, get_engine(), ["天津君和缘商贸有限公司"]).unit \
        == "天津君和缘商贸有限公司"


def test_seal_crop_of_a_unit_not_among_the_candidates_is_read_freely() -> None:
    image = real_scan("seal-crop.png")
    said = read_seal_unit(image, find_seals(image)[0], get_engine(),
                          ["成都市科学技术协会", "天津市商务局"])
    assert said.unit is None and said.text == "天津君和缘商贸有限公司"


def test_phone_scan_seal_names_its_unit_at_60_dpi() -> None:
    """Text 7 px high: two of the seven glyphs are unreadable, the unit still the likeliest
    by far; reported with the score that says so (not sure enough to convict)."""
    image = real_scan("seal-contract-phone-scan.jpg")
    seal = find_seals(image)[0]
    said = read_seal_unit(image, seal, get_engine(), ["容县应急管理局", "容县天平汽车维修厂"])
    assert said.text == said.unit == "容县应急管理局"
    assert 0.5 <= said.score < SURE
    # the other party alone as the candidate: never that unit
    said = read_seal_unit(image, seal, get_engine(), ["容县天平汽车维修厂"])
    assert said.unit is None and said.text != "容县天平汽车维修厂"


CERTIFICATE_UNITS = ["中国共产主义青年团上海市委员会", "上海市教育委员会", "上海市学生联合会"]


def test_certificate_seal_under_print_is_unsure_never_another_unit() -> None:
    image = real_scan("seal-certificate-photo.jpg")
    seal = find_seals(image)[0]
    said = read_seal_unit(image, seal, get_engine(), CERTIFICATE_UNITS)
    assert said.unit in (None, "中国共产主义青年团上海市委员会"), said
    assert said.unit is not None or said.score < UNSURE, said
    for other in CERTIFICATE_UNITS[1:]:
        assert not (said.text == other and said.score >= UNSURE), said


def test_pixelated_seals_are_unsure() -> None:
    """The settlement sheet's seals had their text pixelated by the publisher."""
    image = real_scan("settlement-sheet-two-seals.jpeg")
    for seal in find_seals(image):
        said = read_seal_unit(image, seal, get_engine(), ["中国铁塔股份有限公司成都市分公司",
                                                          "成都市科学技术协会"])
        assert said.unit is None and said.score < UNSURE, said


def test_certificate_seal_scanned_in_an_office_is_unsure() -> None:
    """As an office would scan the certificate (150 DPI, yellower paper, turned 1°, soft,
    JPEG 40), the hidden rim reads 国共产（年: the unit's characters in part, with a gap's
    edge read as （. That is the unit read in part (unsure), not a sure free reading."""
    image = real_scan("seal-certificate-photo.jpg")
    for how in ("scale:0.5625", "yellow", "turn:1", "soft:0.525", "jpeg:40"):
        image = degraded(image, how)
    seal = find_seals(image)[0]
    said = read_seal_unit(image, seal, get_engine(), CERTIFICATE_UNITS)
    assert said.unit is None and said.text == "国共产（年" and said.score < UNSURE, said
