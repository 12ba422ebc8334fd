"""Section 五 laid out as one cell, a block's opinion written tight under its label: the
label's line is parted there too (readers.opinions._label_line_parted)."""

from __future__ import annotations

from helpers.saved import saved_opinions


def test_an_opinion_touching_its_label_in_a_one_cell_block_is_read(monkeypatch) -> None:
    """Seed 5417 doc-0011 p8 (paged, grey scan at 240 DPI; `tests/data/opinions-grey-one-
    cell-opinion-touching-label.jpg`: the one cell's commissioning block over its
    coordinating block, as normalised, the undertaking block between them cut out and the
    lower part set 7 px left so the cell's sides meet). The tops of `同意，` touch the foot
    of `项目协调单位:`: one line box two lines tall, read `项目协调单位加强指导和督促。`, and
    the opinion was read empty (a false blank_field). A cell of one block parted that line;
    a cell of several blocks did not."""
    _, result = saved_opinions(monkeypatch, "opinions-grey-one-cell-opinion-touching-label.jpg",
                               scale=(3.0, 37.0, 3.0), dpi=240, index=8)
    got = {p: (result.readings[f"opinions.{p}.text"].value,
               result.readings[f"opinions.{p}.signed"].value,
               result.readings[f"opinions.{p}.date"].value)
           for p in ("commissioning", "coordinating")}
    assert got == {
        "commissioning": ("同意委托成都市中医药学会承接该试点项目。", True, "2018-07-25"),
        "coordinating": ("同意，加强指导和督促。", True, "2018-07-07"),
    }
