"""The form's "—" on 其他's blank, read with the printed comma misread before it."""

from __future__ import annotations

import cv2
import pytest
from conftest import DATA
from tasksheet.extract.scale import PageScale
from tasksheet.readers.checkboxes import _attached

from tests.readers.test_checkbox_groups import read_group


@pytest.mark.parametrize("raw", ["其他．二", "其他、二", "其他，二"])
def test_a_misread_comma_is_not_the_fill(raw: str) -> None:
    """A 1-bit scan blots the printed ，into ． or 、 (re-captured wp-02 and wp-06, 1-bit):
    left on the fill it kept `二` (the dash over the underline) from reading as the form's
    "—"."""
    assert _attached(raw, "其他，____") == "二"


def test_the_dash_on_other_reads_as_a_dash(monkeypatch) -> None:
    """The re-captured wp-02, 1-bit (`tests/data/checkbox-bitonal-comma-and-dash.png`, the
    cell as normalised): ■财政拨款 □其他．__—__ read `．二`, want `—`."""
    scale = PageScale(stroke=5.0, text_height=35.0, line_thickness=5.0)  # as its page measured
    monkeypatch.setattr("tasksheet.extract.page_text.measure_scale", lambda binary: scale)
    gray = cv2.imread(str(DATA / "checkbox-bitonal-comma-and-dash.png"), cv2.IMREAD_GRAYSCALE)
    image = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    h, w = gray.shape
    spec, result = read_group(image, "commissioning.funding_nature", box=(12, 12, w - 12, h - 12))
    assert result.readings[spec.id].value == ["财政拨款"]
    assert result.readings[f"{spec.id}.other_text"].value == "—"
