"""The arc text of a faint grey seal whose print inside is as strong as its text: no band of
its own is found in the radial profile, and the text is looked for where most seals set it
(0.5–0.86 r) and hung from the ring's inner edge too. A seal with a thin ring sets its text
further out than 0.86 r: read there alone, its glyphs lost their tops (市 → 巾, 农 → 衣,
学 → 字)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from conftest import DATA
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.seal import Seal, _geometry, read_seal_unit

UNSURE = 0.6  # schemas/task_sheet_2018.yaml low_confidence_below
SURE = 0.97  # the seal_unit_mismatch rule's min_confidence
WP05 = ["成都市农业委员会", "成都市农学会", "成都市科学技术协会"]
WP03 = ["成都市水务局", "成都市水利学会", "成都市科学技术协会"]


def _crop(name: str, radius: int) -> tuple[np.ndarray, Seal]:
    """A grey seal of the examples re-captured as greyscale scans (`tasksheet bench
    --recapture --seed 1`), cut from its page as the pipeline saw it, centred."""
    gray = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    c = gray.shape[0] // 2
    seal = Seal((c, c), radius, (c - radius, c - radius, c + radius + 1, c + radius + 1),
                0.9, "grey", "round")
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), seal


@pytest.mark.parametrize(("name", "radius", "units", "unit"), [
    # wp-05 undertaking: read free as 每灣都巾衣字灰 (0.80)
    ("seal-grey-farmers.png", 119, WP05, "成都市农学会"),
    # wp-03 commissioning: read free as 成都巾 (0.5); 务 is lost as well
    ("seal-grey-water.png", 238, WP03, "成都市水务局"),
])
def test_a_faint_grey_seal_is_read_right_inside_its_ring(
        name: str, radius: int, units: list[str], unit: str) -> None:
    image, seal = _crop(name, radius)
    said = read_seal_unit(image, seal, get_engine(), units)
    assert said.unit == unit
    assert UNSURE <= said.score < SURE


def test_the_second_band_hangs_from_the_ring() -> None:
    """No band found: the first guess is where most seals set their text, the second ends
    at the ring's inner edge (0.92–0.94 r here, where the ring's ink starts)."""
    image, seal = _crop("seal-grey-farmers.png", 119)
    bands = _geometry(image, seal).bands
    assert bands[0] == (0.5 * 119, 0.86 * 119)
    assert 0.92 * 119 <= bands[1][1] <= 0.94 * 119
    assert bands[1][1] - bands[1][0] == pytest.approx(0.36 * 119)
