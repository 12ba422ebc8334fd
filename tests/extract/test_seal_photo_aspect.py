"""A round seal on a phone photo stays round: the page is rectified to A4's proportions.

Seed 9133 doc-0006 p6 (flowing layout, phone photo): the page's outline was found right,
but the camera model's focal length overcorrected the foreshortening (seen 1 : 1.17, made
1 : 2.4), the page came out stretched 1.7× upright and its three round seals were ovals:
no 公章 found, three false missing_seal. The quad below is that photo's page outline.
"""

from __future__ import annotations

import cv2
import numpy as np
from tasksheet.extract.seal import SHAPES, find_seals
from tasksheet.ingest.photo import A4_ASPECT, rectify, true_aspect
from tasksheet.samplegen.capture import PhotoParams, camera_homography

PHOTO = (2247, 3178)  # width, height of doc-0006/p6.jpg
QUAD = np.array([[170.44, 415.19], [2074.49, 562.12], [1697.54, 2759.38], [205.10, 2645.81]])


def test_overcorrected_aspect_falls_back_to_a4() -> None:
    assert true_aspect(QUAD, PHOTO) > 2.0  # the camera model's reading: far off
    geo = rectify(QUAD, "paper", PHOTO)
    w, h = geo.size
    assert abs(h / w - A4_ASPECT) < 0.01 * A4_ASPECT


def test_round_seal_photographed_in_that_quad_is_found_round() -> None:
    """An A4 page with one round seal, seen in the photo's quad, rectified: one round seal."""
    pw, ph = 1050, round(1050 * A4_ASPECT)
    page = np.full((ph, pw, 3), 240, np.uint8)
    red = (60, 50, 215)
    cv2.circle(page, (600, 800), 90, red, 6)
    cv2.putText(page, "AB", (550, 820), cv2.FONT_HERSHEY_SIMPLEX, 1.6, red, 5)
    corners = np.array([[0, 0], [pw - 1, 0], [pw - 1, ph - 1], [0, ph - 1]], np.float32)
    to_photo = cv2.getPerspectiveTransform(corners, QUAD.astype(np.float32))
    photo = cv2.warpPerspective(page, to_photo, PHOTO, borderValue=(40, 60, 90))
    geo = rectify(QUAD, "paper", PHOTO)
    flat = cv2.warpPerspective(photo, geo.homography, geo.size, borderMode=cv2.BORDER_REPLICATE)
    seals = find_seals(flat, text_height=20, shapes=SHAPES)
    assert [s.shape for s in seals] == ["round"], seals


def test_page_tilted_straight_away_is_a4_and_its_seal_round() -> None:
    """Pitch alone (no yaw, no roll): the page's sides left and right converge, top and
    bottom stay parallel, and the camera model cannot tell the focal length. The page,
    seen 1 : 1.18, was rectified so (squashed 17 %): its round seal an oval, no 公章."""
    pw, ph = 1240, 1754
    page = np.full((ph, pw, 3), 240, np.uint8)
    red = (60, 50, 215)
    cv2.circle(page, (700, 1200), 110, red, 7)
    cv2.putText(page, "AB", (640, 1225), cv2.FONT_HERSHEY_SIMPLEX, 2.0, red, 6)
    p = PhotoParams(frame=1.05, fill=0.86, pitch=22.0, yaw=0.0, roll=0.0, focal=0.9,
                    desk=(72, 48, 30), light=0.0, shadow=0.0, softness=0.02, blur=0.0,
                    noise=0.0, balance=(1.0, 1.0, 1.0), quality=95)
    to_photo, size = camera_homography(pw, ph, p)
    corners = np.array([[[0, 0], [pw - 1, 0], [pw - 1, ph - 1], [0, ph - 1]]], np.float32)
    quad = cv2.perspectiveTransform(corners, to_photo)[0].astype(float)
    assert true_aspect(quad, size) is None  # the camera cannot tell
    geo = rectify(quad, "paper", size)
    w, h = geo.size
    assert abs(h / w - A4_ASPECT) < 0.01 * A4_ASPECT
    photo = cv2.warpPerspective(page, to_photo, size, borderValue=(30, 48, 72))
    flat = cv2.warpPerspective(photo, geo.homography, geo.size, borderMode=cv2.BORDER_REPLICATE)
    seals = find_seals(flat, text_height=20, shapes=SHAPES)
    assert [s.shape for s in seals] == ["round"], seals
