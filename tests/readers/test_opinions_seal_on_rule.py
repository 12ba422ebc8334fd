"""Section 五: a seal centred on the rule between two cells still goes to a block."""

from __future__ import annotations

from tasksheet.extract.grid import Cell
from tasksheet.readers.opinions import _holder

TH = 30.0
# two rows of one block drawn as rows (opinion above, date below); the grid's cells leave
# their rule out: a 14 px gap between y 1931 and y 1945
ABOVE = Cell(row=0, col=0, rowspan=1, colspan=1, bbox=(120, 1500, 1500, 1931))
BELOW = Cell(row=1, col=0, rowspan=1, colspan=1, bbox=(120, 1945, 1500, 2100))


def test_a_seal_centred_on_the_rule_goes_to_the_nearest_cell() -> None:
    """Fresh seed 4107 doc-0003 (1-bit, paged): the coordinating and undertaking seals were
    found (0.93) but their centres lay in the rule's gap between two cells: no cell held
    them, they were dropped, and two false missing_seal followed."""
    assert _holder((800.0, 1940.0), [ABOVE, BELOW], TH) is BELOW  # 5 px from it, 9 from above
    assert _holder((800.0, 1934.0), [ABOVE, BELOW], TH) is ABOVE


def test_a_centre_inside_a_cell_is_that_cells_and_far_outside_none() -> None:
    assert _holder((800.0, 1600.0), [ABOVE, BELOW], TH) is ABOVE
    assert _holder((800.0, 2200.0), [ABOVE, BELOW], TH) is None  # 100 px below: no cell's
