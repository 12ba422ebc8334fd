"""The sample generator's captures: 1-bit archive scans and phone photos mixed into every
set, each recorded in the truth, each written the way such a capture comes."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from tasksheet.samplegen import generate, plan_documents
from tasksheet.samplegen.capture import (
    CAPTURES,
    bitonal,
    camera_homography,
    capture_of,
    random_bitonal_params,
    random_photo_params,
)


def test_every_set_mixes_the_captures() -> None:
    plans = plan_documents(200, seed=43)
    kinds = Counter(p.capture for p in plans)
    assert set(kinds) == {"scan", "bitonal", "photo"}
    assert 15 <= kinds["bitonal"] <= 35 and 15 <= kinds["photo"] <= 35
    assert all(p.format == "tiff" for p in plans if p.capture == "bitonal")
    assert all(p.format == "jpg_folder" for p in plans if p.capture == "photo")
    # a small set shows them too
    small = Counter(p.capture for p in plan_documents(8, seed=7))
    assert small["bitonal"] >= 1 and small["photo"] >= 1


def test_adding_captures_left_the_rest_of_a_plan_alone() -> None:
    """The capture is a draw of its own: every other choice is what it was."""
    mixed = plan_documents(40, seed=5)
    scans = plan_documents(40, seed=5, captures=["scan"])
    assert all(p.capture == "scan" for p in scans)
    for a, b in zip(mixed, scans, strict=True):
        assert (a.fill, a.defects, a.layout, a.seed, a.data_seed, a.copy_group) == \
            (b.fill, b.defects, b.layout, b.seed, b.data_seed, b.copy_group)
        assert a.format == b.format


def test_captures_can_be_asked_for() -> None:
    plans = plan_documents(8, seed=3, captures=["photo"])
    assert {p.capture for p in plans if p.format != "digital_pdf"} == {"photo"}
    with pytest.raises(ValueError, match="unknown captures"):
        plan_documents(4, seed=1, captures=["fax"])


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("captured")
    truths = generate(2, seed=12, out=out, defect_rate=0.0, formats=["tiff"], dpi=60,
                      captures=["bitonal"])
    truths += generate(1, seed=13, out=out / "photos", defect_rate=0.0,
                       formats=["jpg_folder"], dpi=50, captures=["photo"])
    return out, truths


def test_bitonal_documents_are_group4_tiffs(captured: tuple[Path, list[dict]]) -> None:
    out, truths = captured
    for truth in truths[:2]:
        assert truth["capture"] == "bitonal" and truth["grayscale"] and truth["format"] == "tiff"
        with Image.open(out / truth["sources"][0]) as tif:
            assert tif.mode == "1" and tif.info["compression"] == "group4"
            assert tif.info["dpi"] == (60, 60) and tif.n_frames == len(truth["page_sections"])
        on_disk = json.loads((out / "truth" / f"{truth['name']}.json").read_text("utf-8"))
        assert on_disk["capture"] == "bitonal"


def test_photo_documents_are_jpg_folders(captured: tuple[Path, list[dict]]) -> None:
    out, truths = captured
    truth = truths[2]
    assert truth["capture"] == "photo" and truth["format"] == "jpg_folder"
    assert len(truth["sources"]) == len(truth["page_sections"])
    with Image.open(out / "photos" / truth["sources"][0]) as im:
        assert im.format == "JPEG" and im.mode == "RGB"
        arr = np.asarray(im)
    # the desk shows round the page: the frame's rim is darker than its middle
    h, w = arr.shape[:2]
    rim = np.concatenate([arr[:8].reshape(-1, 3), arr[-8:].reshape(-1, 3)])
    assert rim.mean() < arr[h // 3: 2 * h // 3, w // 3: 2 * w // 3].mean() - 30


def test_old_truths_name_their_capture() -> None:
    assert capture_of({"format": "digital_pdf"}) == "born_digital"
    assert capture_of({"format": "tiff", "grayscale": True}) == "grey_scan"
    assert capture_of({"format": "image_pdf", "grayscale": False}) == "colour_scan"
    assert capture_of({"capture": "photo", "format": "jpg_folder"}) == "photo"
    assert set(CAPTURES) == {"colour_scan", "grey_scan", "bitonal", "photo", "born_digital"}


def test_bitonal_seal_turns_black() -> None:
    """A red seal over white paper is black in a 1-bit scan, like print."""
    page = np.full((300, 300, 3), 255, np.uint8)
    page[100:110, 50:250] = (205, 32, 42)  # seal red (RGB), as samplegen inks it
    page[200:210, 50:250] = (18, 18, 20)  # print
    rng = np.random.default_rng(0)
    p = random_bitonal_params(rng, dpi=100)
    bits = bitonal(page, p, rng)
    assert bits.dtype == bool
    assert not bits[95:115, 100:200].all() and not bits[195:215, 100:200].all()
    assert bits[20:60, 20:280].mean() > 0.98  # paper white


def test_camera_maps_a_page_to_a_convex_trapezoid() -> None:
    rng = np.random.default_rng(2)
    p = random_photo_params(rng)
    hom, (w, h) = camera_homography(210, 297, p)
    corners = np.array([[0, 0, 1], [209, 0, 1], [209, 296, 1], [0, 296, 1]], float) @ hom.T
    corners = corners[:, :2] / corners[:, 2:3]
    assert (corners >= -1).all() and (corners[:, 0] <= w + 1).all() and (corners[:, 1] <= h + 1).all()
    def cross(a: np.ndarray, b: np.ndarray) -> float:
        return float(a[0] * b[1] - a[1] * b[0])

    turns = [cross(corners[(i + 1) % 4] - corners[i], corners[(i + 2) % 4] - corners[(i + 1) % 4])
             for i in range(4)]
    assert all(c > 0 for c in turns) or all(c < 0 for c in turns)
