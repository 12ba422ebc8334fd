"""Checkbox groups whose ticked box is printed small (☑ at 0.6 of a glyph) on a page whose
thickened print measures a wide stroke."""

from __future__ import annotations

import pytest
from helpers.saved import data_image
from tasksheet.extract.checkbox import box_in
from tasksheet.extract.scale import PageScale

from tests.readers.test_checkbox_groups import read_group

SCALE = PageScale(stroke=7.0, text_height=29.0, line_thickness=6.0)  # as its page measured


def _page():
    return data_image("checkbox-bitonal-small-ticked-boxes.png")


@pytest.mark.parametrize(("field_id", "cell", "want"),
                         [("commissioning.funding_support", (12, 12, 538, 93), ["有"]),
                          ("coordinating.funding_nature", (12, 117, 538, 199), ["财政拨款"]),
                          ("coordinating.funding_source", (12, 223, 538, 305), ["项目经费"])],
                         ids=["support", "nature", "source"])
def test_a_small_ticked_box_on_a_thick_stroked_page_reads_ticked(monkeypatch, field_id, cell,
                                                                 want) -> None:
    """The re-captured wp-04, 1-bit (`tests/data/checkbox-bitonal-small-ticked-boxes.png`,
    three cells as normalised): the word processor printed ☑ 18 px high beside 28 px □, and
    the page's thickened print measured a 7 px stroke. A side's band of a stroke and a
    pixel left 2 px of the 18 px box's inside: the tick was not seen, three groups read
    nothing ticked."""
    monkeypatch.setattr("tasksheet.extract.page_text.measure_scale", lambda binary: SCALE)
    spec, result = read_group(_page(), field_id, box=cell)
    assert result.readings[spec.id].value == want


def test_a_small_box_keeps_an_inside() -> None:
    """The same ☑ of □有 found where its label says: ticked, its inside measured."""
    box = box_in(_page(), (0, 30, 45, 80), SCALE, expect_x=20.0)
    assert box is not None and box.ticked and box.fill >= 0.04
