"""Thin rulings printed turned against the text (an office's 0.4-1.7 deg), on a page levelled
on its text (`extract.grid`: `_turned`, `_split_rulings`).

A 1-px ruling crossing the pixel grid is whole where it lies on a row (column) and split
over two where it steps to the next, each half too pale for the page's ink: the line finder
saw it dashed, long dividers fell apart and their cells merged. Crops of seed 8527 doc-0005
(colour scan, 150 DPI, rules turned ~0.6 deg; the normalised page in grey)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from tasksheet.extract.grid import _split_rulings, find_grids
from tasksheet.extract.scale import PageScale

DATA = Path(__file__).resolve().parents[1] / "data"


def _grids(name: str):
    return find_grids(cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE))


def test_tilted_members_table_keeps_its_name_and_unit_columns() -> None:
    """The members table: party | name | unit | title | role | signature. The name/unit
    divider and the table's left side were dashed (8x4, 23 cells: each name ran into its
    unit, read as 委托单位廖婷川)."""
    grids = _grids("grid_tilted_members.png")
    assert [(len(g.rows) - 1, len(g.cols) - 1, len(g.cells)) for g in grids] == [(8, 6, 44)]
    spans = [(c.row, c.col, c.rowspan, c.colspan) for c in grids[0].cells if c.col == 0]
    # the header, the three parties' merged cells (3 + 3 rows, the third's one row)
    assert spans == [(0, 0, 1, 1), (1, 0, 3, 1), (4, 0, 3, 1), (7, 0, 1, 1)]
    assert all(c.colspan == 1 for c in grids[0].cells)


def test_tilted_basic_info_table_keeps_each_partys_cell() -> None:
    """Section 一's table: a party's label cell spans its rows (5, 8, 7), every row's
    value and label cells apart (was 55 cells: the label cells cut into pieces, the
    承接 party's phone and email merged)."""
    grids = _grids("grid_tilted_basic_info.png")
    assert [(len(g.rows) - 1, len(g.cols) - 1, len(g.cells)) for g in grids] == [(21, 5, 64)]
    first = [(c.row, c.rowspan) for c in grids[0].cells if c.col == 0]
    assert first == [(0, 1), (1, 5), (6, 8), (14, 7)]
    row4 = [(c.col, c.colspan) for c in grids[0].cells if c.row == 4]
    assert row4 == [(1, 1), (2, 1), (3, 1), (4, 1)]


def test_split_line_found_whole_where_each_half_is_paler_than_ink() -> None:
    """A level 1-px line lying half on one row, half on the next (each 30 levels below the
    paper, short of the 50 of `faint_ink`) is a ruling; a dark stroke's pale edge is not
    (one of the pair holds no share of the tone)."""
    gray = np.full((60, 200), 220, np.uint8)
    gray[20:22, 10:190] = 190  # the split line
    gray[40, 10:190] = 60  # a dark line: its neighbours are paper
    found = _split_rulings(gray, PageScale(2.0, 12.0, 1.0))
    assert found[20, 12:188].all() and not found[20, :8].any()
    assert not found[39].any() and not found[41].any()
