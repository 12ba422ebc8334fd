"""A heading in a thin cell under a turned ruling (readers.flow._thin_rows): the sliver of
the ruling above the heading, found as a line of its own, is no line of text. Seed 9721
doc-0017 (flowing, colour): 11 px of the ruling over `二、试点项目内容` was taken for the
cell's first line, the heading was never read, section 二 not found (missing_page
pages.content, content null)."""

from __future__ import annotations

from types import SimpleNamespace

from tasksheet.extract.grid import Cell, Grid
from tasksheet.readers.flow import _thin_rows

SLIVER = (956, 409, 1370, 420)  # the ruling's end, as found on doc-0017 page 3
HEADING = (208, 421, 578, 454)


class _Text:
    """The page's text lines: the heading's cell (its box cut by the turned rulings) holds
    none; between the rulings, the sliver first in reading order, then the heading."""

    def lines(self, bbox):
        return [] if bbox[1] > 402 else [SLIVER, HEADING]


def test_a_rulings_sliver_is_not_the_headings_line() -> None:
    cells = [Cell(0, 0, 1, 1, (202, 340, 1444, 398)), Cell(1, 0, 1, 1, (202, 421, 1444, 445)),
             Cell(2, 0, 1, 1, (201, 478, 1426, 1187))]
    grid = Grid(bbox=(158, 336, 1451, 1201), rows=[336, 402, 460, 1201], cols=[158, 1451],
                cells=cells)
    work = SimpleNamespace(grids=[grid], text=_Text(), scale=SimpleNamespace(text_height=29.0))
    assert _thin_rows(work) == [[HEADING]]
