"""Black seals on 1-bit scans: the seal is as black as the print it was stamped over."""

from __future__ import annotations

import cv2
import numpy as np
from conftest import DATA
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.seal import Seal, _rulings, read_seal_unit

UNITS = ["成都市经济和信息化委员会", "成都市软件行业协会", "成都市科学技术协会"]


def _seal_over_rules() -> tuple[np.ndarray, Seal]:
    gray = cv2.imread(str(DATA / "bitonal-seal-over-rules.png"), cv2.IMREAD_GRAYSCALE)
    # as the shape finder found it on its page (centre, radius, ring width)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), Seal((258, 258), 227, (31, 31, 486, 486),
                                                        0.94, "black", "round", 17.0)


def test_a_black_seal_stamped_over_two_rules_names_its_unit() -> None:
    """Fresh seed 4107 doc-0003 p7, a 1-bit scan (`tests/data/bitonal-seal-over-rules.png`):
    the commissioning unit's seal stamped across the date row, two table rules running
    through its ring and text. Unrolled along the ring, each rule's crossing read as a
    stroke (都的义济…委融公) and no unit was verified: a seal text left unsure. Taken as
    hidden, like print over a red seal, the ring names its unit."""
    image, seal = _seal_over_rules()
    said = read_seal_unit(image, seal, get_engine(), UNITS)
    assert said.unit == "成都市经济和信息化委员会"
    assert said.score >= 0.9


def test_rules_are_told_from_the_ring_and_the_text() -> None:
    """What `_rulings` hides: the two rules, not the ring's top or bottom (its straightest
    stretches) nor the arc text."""
    image, seal = _seal_over_rules()
    hidden = _rulings(image, seal.radius)
    rows = np.flatnonzero(hidden[:, 258 - 100:258 + 100].all(axis=1))
    assert rows.size and all(abs(r - 258) > 40 for r in rows)  # rules, off the centre row
    ring_top, ring_bottom = 258 - 227 + 8, 258 + 227 - 8
    assert not hidden[ring_top, 258] and not hidden[ring_bottom, 258]
