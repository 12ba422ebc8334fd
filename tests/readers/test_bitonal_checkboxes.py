"""Checkbox groups on 1-bit scans, where a pen is as black as the print."""

from __future__ import annotations

import pytest
from helpers.saved import data_image
from tasksheet.extract.checkbox import box_at, box_in
from tasksheet.extract.scale import PageScale

from tests.readers.test_checkbox_groups import read_group

SCALE = PageScale(stroke=4.0, text_height=29.0, line_thickness=3.0)  # as its page measured


def _tick_along_side():
    return data_image("bitonal-tick-along-box-side.png")


@pytest.mark.parametrize(("field_id", "cell", "want"),
                         [("coordinating.funding_nature", (19, 12, 928, 71), ["财政拨款"]),
                          ("coordinating.funding_source", (20, 76, 928, 136), ["公用经费"])],
                         ids=["nature", "source"])
def test_a_heavy_tick_along_the_boxs_bottom_ticks_its_option(monkeypatch, field_id, cell,
                                                             want) -> None:
    """Fresh seed 4107 doc-0019 p3, a 1-bit scan (`tests/data/bitonal-tick-along-box-side.png`,
    the two cells as normalised): a heavy ✓ drawn low, its vertex under □财政拨款's and
    □公用经费's box and its long arm over the label. Its ink buries the box's bottom side
    and leaves the inside all but empty; read by the inside alone both were unticked, two
    false checkbox_none."""
    monkeypatch.setattr("tasksheet.extract.page_text.measure_scale", lambda binary: SCALE)
    spec, result = read_group(_tick_along_side(), field_id, box=cell)
    assert result.readings[spec.id].value == want


def test_a_box_placed_by_its_label_is_ticked_by_a_side_buried_in_ink() -> None:
    """The same boxes found where their labels say (`box_in`) or placed by a sibling's
    (`box_at`): ticked where a pen buries a side, not where the sides are thin print."""
    image = _tick_along_side()
    ticked = [box_in(image, w, SCALE) for w in ((10, 16, 67, 67), (10, 80, 67, 131))]
    empty = [box_in(image, w, SCALE) for w in ((270, 16, 328, 67), (220, 80, 280, 131))]
    assert [b.ticked for b in ticked] == [True, True]
    assert [b.ticked for b in empty] == [False, False]
    assert [box_at(image, b.bbox, SCALE).ticked for b in ticked + empty] == [True, True,
                                                                           False, False]


def test_a_heavily_printed_box_is_not_run_over() -> None:
    """Fresh seed 5209 doc-0018 p3, a phone photo (`tests/data/photo-heavy-printed-box.png`,
    grey): blur and a generous cut make the empty □有's sides 4–5 px thick, over the
    band. A side is buried only where its ink is twice the box's own print across (its
    thinnest side's): taken against the band alone, this box read ticked, and 有 and 无
    both ticked made a false checkbox_multiple."""
    image = data_image("photo-heavy-printed-box.png")
    scale = PageScale(stroke=3.0, text_height=41.0, line_thickness=4.0)  # as its page measured
    box = box_in(image, (86, 85, 166, 165), scale, expect_x=135.0)
    assert box is not None and (box.ticked, box.fill) == (False, 0.0)
