"""Thin rulings printed level but lying between two rows of pixels (`extract.grid._dashed`):
split over both, each half too pale for the faint margin, for stretches of their length, so
the line finder finds them in dashes, as it does a turned ruling. A level page whose row
rulings came in dashes is looked at again for split lines (`_split_rulings`), each direction
whose pieces are one pixel thick."""

from __future__ import annotations

from pathlib import Path

import cv2
from tasksheet.extract.grid import Segment, _dashed, find_grids
from tasksheet.extract.scale import PageScale

DATA = Path(__file__).resolve().parents[1] / "data"
SCALE = PageScale(2.0, 20.0, 1.0)


def _row(y: float, xs: list[tuple[float, float]]) -> list[Segment]:
    return [Segment(a, y, b, y, 1.0) for a, b in xs]


def test_two_long_rulings_in_dashes_are_dashed() -> None:
    """Two rows of three pieces each spanning 60 % of a 1000-px page."""
    hs = _row(300, [(200, 300), (400, 500), (700, 800)]) + _row(500, [(200, 300), (450, 800)])
    assert not _dashed(hs, (1400, 1000), SCALE)  # the second row: two pieces
    hs += _row(500, [(350, 420)])
    assert _dashed(hs, (1400, 1000), SCALE)


def test_short_runs_of_pieces_and_the_paper_edge_are_not_dashed() -> None:
    """Underlined blanks on a line span a part of it; a page's edge (its shadow, 2 text
    heights from the top or bottom) is no ruling; one dashed line is no table."""
    short = _row(300, [(200, 250), (270, 320), (340, 390)]) * 2
    assert not _dashed(short, (1400, 1000), SCALE)
    edge = _row(30, [(100, 300), (400, 600), (700, 900)])
    one = _row(600, [(100, 300), (400, 600), (700, 900)])
    assert not _dashed(edge + one, (1400, 1000), SCALE)
    assert _dashed(edge + one + _row(700, [(100, 300), (400, 600), (700, 900)]),
                   (1400, 1000), SCALE)


def test_hatched_ground_level_opinion_frame_is_found() -> None:
    """Seed 9857 doc-0013 p6 (colour scan on a hatched ground, level): 五's 协调单位 block,
    its 1-px rulings pale over the hatch and split over two rows of pixels (each ~50
    levels under the paper, at the faint margin), found in 4-7 pieces each, its right
    side not at all: no table, the block's opinion, signature, seal and date read empty.
    The page measures 2-px rulings (the heading's strokes) and lies level: neither the
    page's thin measure nor a turn had the split lines looked for."""
    grids = find_grids(cv2.imread(str(DATA / "grid_level_split_hatched.png"),
                                  cv2.IMREAD_GRAYSCALE), PageScale(2.0, 21.0, 2.0))
    assert [(g.rows, g.cols, [(c.row, c.col, c.rowspan, c.colspan) for c in g.cells])
            for g in grids] == [([57, 262, 400, 482], [30, 963],
                                 [(0, 0, 1, 1), (1, 0, 1, 1), (2, 0, 1, 1)])]
