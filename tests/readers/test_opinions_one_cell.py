"""Section 五 laid out as one cell (an office's habit): the three parties' blocks one under
another, each under its own label, in a single cell of the table."""

from __future__ import annotations

from helpers.saved import saved_opinions


def test_each_partys_block_in_one_cell_is_read_under_its_label(monkeypatch) -> None:
    """Fresh seed 1409 doc-0012 (`tests/data/opinions-one-cell.png`: the cell as drawn,
    measured on its whole page). The cell was read as the commissioning block alone: the
    undertaking and coordinating blocks had no opinion, signature, seal or date (eight
    false findings on the document, the same on four more of the seed's documents). Each
    label starts a block, down to the next label."""
    _, result = saved_opinions(monkeypatch, "opinions-one-cell.png",
                               scale=(2.0, 33.0, 2.0), dpi=200, index=7)
    got = {p: (result.readings[f"opinions.{p}.text"].value,
               result.readings[f"opinions.{p}.signed"].value,
               result.readings[f"opinions.{p}.sealed"].value)
           for p in ("commissioning", "undertaking", "coordinating")}
    assert got == {
        "commissioning": ("同意委托成都市中医药学会承接该试点项目。", True, True),
        "undertaking": ("同意承接，按任务书要求认真组织实施。", True, True),
        "coordinating": ("同意。", True, True),
    }
    # the page saved grey, its seals grey over the print: the dates clear of them read
    assert result.readings["opinions.commissioning.date"].value == "2018-06-11"
    assert result.readings["opinions.coordinating.date"].value == "2018-06-09"
