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


def test_a_broken_border_over_the_blank_does_not_hide_its_dash() -> None:
    """The re-captured wp-03, 1-bit: the window a dash is looked for in reaches up to the
    cell's top border, which the scan broke into pieces along its top row; the pieces as
    wide as a dash were taken for writing beside it, and 其他's "—" was not read."""
    import numpy as np
    from tasksheet.extract.dash import dash_in

    th = 35.0
    ink = np.zeros((58, 443), np.uint8)
    for x0, x1 in ((0, 11), (24, 49), (57, 86), (92, 122), (136, 443)):
        ink[0, x0:x1] = 255  # the border's pieces, cut by the window's top
    ink[23:27, 41:68] = 255  # the dash
    ink[35:39, 0:116] = 255  # the blank's underline, ending short of the cell's end
    assert dash_in(ink, (0, 0, 443, 58), th, end=116) == (41, 23, 68, 27)
    ink[8:30, 90:94] = 255  # a digit's stroke beside it: not a lone dash
    assert dash_in(ink, (0, 0, 443, 58), th, end=116) is None
