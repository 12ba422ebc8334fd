"""A phone photo is told by what makes a photo, not by a table's outline alone
(`ingest.photo.page_geometry`, `desk_share`): where the sheet's own edges are not found,
a table off square is a photo's perspective only when the desk shows at the frame."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from conftest import EXAMPLES, REAL
from tasksheet.ingest.photo import (
    DEFAULT_DESK_SHARE,
    desk_share,
    find_page,
    find_table,
    is_perspective,
    page_geometry,
)

from tests.ingest.test_normalize_table_aspect import H, W, members_page


def warped_scan() -> np.ndarray:
    """Section 三's page as a flatbed scan of a warped sheet: its table's outline up to 1.5 deg
    off square (as seed 6143 doc-0015 p5's, bent by the sheet and the signatures over its
    edge), the frame round it the paper's own white, a grey scan's faint hatching."""
    src = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    dst = np.float32([[0, 0], [W, 24], [W + 20, H], [-4, H]])
    page = cv2.warpPerspective(members_page(), cv2.getPerspectiveTransform(src, dst), (W, H),
                               borderValue=(255, 255, 255))
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY).astype(np.int16)
    grey -= (np.arange(W) // 6 % 2 * 12).astype(np.int16)[None, :]  # hatched paper
    return np.clip(grey, 0, 255).astype(np.uint8)


def test_warped_scan_with_a_table_off_square_is_not_a_photo() -> None:
    """Seed 6143 doc-0015 p5: no sheet's edge in the frame, its table's outline off square
    by more than a flatbed scan's (what took it for a photo and "rectified" it), but its
    frame is paper all round: the scan path takes it."""
    image = warped_scan()
    assert find_page(image) is None
    table = find_table(image)
    assert table is not None and is_perspective(table)  # what made it a photo
    assert desk_share(image) == 0.0
    assert page_geometry(image) is None


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="../shared/examples not here")
def test_phone_photo_without_its_sheet_edges_keeps_its_table() -> None:
    """wp-08 page 3, a phone photo: the sheet's edges are lost in shadow at the top left,
    the desk shows beyond its right and top edges; its table's outline gives the
    perspective, as before."""
    image = cv2.imread(str(EXAMPLES / "wp-08" / "pages" / "page_003.jpg"))
    assert find_page(image) is None
    assert round(desk_share(image), 2) == 0.80
    geometry = page_geometry(image)
    assert geometry is not None and geometry.source == "table"


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real not here")
@pytest.mark.parametrize(("name", "photo"), [
    ("seal-certificate-photo.jpg", True), ("table-dark-photo.png", True),
    ("settlement-sheet-two-seals.jpeg", False), ("table-customs-declaration.jpg", False),
    ("form-checkboxes-signatures.png", False), ("seal-contract-phone-scan.jpg", False)])
def test_real_photos_show_a_desk_and_scans_none(name: str, photo: bool) -> None:
    """The real photos show their background at the frame; the real scans (and a phone
    app's flattened scan) show paper there."""
    share = desk_share(cv2.imread(str(REAL / name)))
    assert (share >= DEFAULT_DESK_SHARE) is photo
    if not photo:
        assert share == 0.0
