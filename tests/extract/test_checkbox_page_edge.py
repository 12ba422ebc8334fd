"""A box's legs are looked for on the page only (`extract.checkbox._stands_on_legs`)."""

from __future__ import annotations

import numpy as np
from tasksheet.extract.checkbox import _stands_on_legs


def test_legs_past_the_page_foot_are_not_looked_for() -> None:
    """Seed 8527 doc-0022 (photo, rules tilted): a box near the foot of a cell crop, its
    component grown past the crop's last row; `vs[49]` of a 49-row crop raised IndexError
    and the whole document failed (30 fields lost)."""
    vs = np.zeros((49, 40), bool)
    vs[30:49, 10:12] = True  # both sides run on to the crop's foot
    vs[30:49, 27:29] = True
    assert _stands_on_legs(vs, (10, 30, 29, 45), (8, 28, 31, 60))
    # and a component reaching above the crop's top does not wrap to its foot
    assert not _stands_on_legs(vs, (10, 2, 29, 20), (8, -5, 31, 20))
