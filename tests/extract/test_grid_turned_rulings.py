"""Rulings printed turned against the text (an office's 0.4-2 deg) on a page levelled on its
text, beyond 378852b's thin-ruling case (`extract.grid`: `_stepped_ends`, `_thin`).

A turned ruling steps from row to row (column to column) of pixels. The line kernels' opening
keeps a row's run only when it is a kernel long: the run before a ruling's end is any length
up to the run between steps, and when shorter it is lost, the ruling stopping short of the
one it meets at the corner. A one-pixel ruling loses its tone's whole pixel where it steps
(`_split_rulings`); whether a page's rulings are that thin is told per direction from the
pieces the line finder found, the page's measure being its darkest long runs' (a heavy
heading ruling, underlines). Crops of the normalised pages in grey, found with the page's
own scale as the pipeline measures it on the whole page."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from tasksheet.extract.grid import find_grids, find_lines
from tasksheet.extract.scale import PageScale

DATA = Path(__file__).resolve().parents[1] / "data"


def _grids(name: str, scale: PageScale):
    return find_grids(cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE), scale)


def test_turned_ruling_keeps_the_end_its_last_step_left_short() -> None:
    """A 1-px ruling stepping every 50 px whose first step comes 20 px from its end (under
    the 24-px kernel): that run is part of the ruling (it started at the first step, x0 42;
    the line masks sit 2 px right of the ink, x1 422 as for a level line below)."""
    binary = np.zeros((120, 460), np.uint8)
    for x in range(20, 421):
        binary[50 + (x - 20 + 30) // 50, x] = 255
    hs, _ = find_lines(binary, PageScale(2.0, 16.0, 1.0))
    assert [(round(s.x0), round(s.x1)) for s in hs] == [(20, 422)]


def test_level_ruling_ends_where_its_ink_does() -> None:
    """A level ruling is left as found: a glyph's stroke beside its end, a row off, is no
    part of it (the masks' 2 px to the right as ever; carried through the stroke: 439)."""
    binary = np.zeros((120, 460), np.uint8)
    binary[50, 20:421] = 255
    binary[51, 421:440] = 255  # a stroke touching the end, one row down
    hs, _ = find_lines(binary, PageScale(2.0, 16.0, 1.0))
    assert [(round(s.x0), round(s.x1)) for s in hs] == [(22, 422)]


def test_turned_frame_of_section_five_is_a_table() -> None:
    """Seed 9721 doc-0014 p8 (colour scan, ~150 DPI): section 五's one-cell table turned
    about 2 deg, each side's end run lost to the opening, every side stopping ~20 px short
    of its corner: no two rulings crossed, no table, all three opinions read empty (22
    false findings). The frame's inside is painted its paper tone here (the fault is the
    corners'; the seals and pens inside are left out to keep the file small)."""
    grids = _grids("grid_turned_opinions_frame.png", PageScale(2.0, 21.0, 1.0))
    assert [(g.rows, g.cols, len(g.cells)) for g in grids] == [([68, 1231], [60, 702], 1)]


def test_thin_rows_between_thick_columns_split_the_party_cells() -> None:
    """Seed 9721 doc-0001 p3 (grey scan, 200 DPI, rules turned ~1.2 deg): section 一's
    columns 3 px thick, its rows 1 px. The page measured 2 px rulings (the columns, the
    heading's rule), so the thin rows' split steps were not looked for: the rows broke
    into dashes, the value cells of 电话 and 项目负责人 ran together (3 rows, 6 cells in
    this crop; the whole table 12 x 5, 27 cells, ~17 blank fields)."""
    grids = _grids("grid_turned_thin_rows.png", PageScale(3.0, 27.0, 2.0))
    assert [(g.rows, len(g.cells)) for g in grids] == [([23, 82, 173, 262, 351, 441, 530], 16)]
    party = [(c.row, c.rowspan) for c in grids[0].cells if c.col == 0]
    assert party == [(0, 1), (1, 5)]  # the heading row, 项目承接单位 over its five rows
    assert [c.row for c in grids[0].cells if c.col == 1] == [1, 2, 3, 4, 5]


def test_hatched_ground_turned_opinions_table_is_found() -> None:
    """Seed 9857 doc-0013 p5 (colour scan on a hatched ground, flowing layout: 五 starts
    mid-page): the 1-px rulings, pale over the hatch, turned ~0.5 deg, fell to dashes; the
    page measured 2 px (the heading's strokes), so they were not looked for whole: no grid,
    the three party blocks read empty (21 false findings). The first block's rulings."""
    grids = _grids("grid_turned_hatched_opinions.png", PageScale(2.0, 22.0, 2.0))
    assert [(g.rows[:4], g.cols) for g in grids] == [([30, 228, 367, 454], [27, 960])]


def test_one_pixel_rows_step_where_the_pages_rulings_lie_level() -> None:
    """Seed 9721 doc-0001 p4 (grey scan, 200 DPI): the members table's columns 3 px thick,
    its rows 1 px, the page turned 10 px across its width: under four of the page's 3-px
    thicknesses (no turn for them), over forty of the rows' one pixel, which step and split.
    The header row ran into the first member's (姓名 over 邹明艳: names read 沈芳锦 for
    邹明艳, the others empty, 6 false findings); each member now has his own row."""
    grids = _grids("grid_turned_thin_member_rows.png", PageScale(3.0, 25.0, 3.0))
    names = [(c.bbox[1], c.bbox[3]) for c in grids[0].cells if c.col == 1]
    assert names == [(27, 103), (108, 212), (217, 320), (325, 428)]


def test_a_pen_stroke_slanted_its_own_way_is_not_carried_on() -> None:
    """Seed 9133 doc-0018 p5 (a photo): a signature's long downstroke, slanted 3 deg where
    the page's verticals stand level, was carried on through the rest of the signature's
    ink into a ruling that split the 签字 column (every member's signature lost). Only a
    piece turned as the page's rulings are is a ruling that steps."""
    binary = np.zeros((400, 300), np.uint8)
    for x in (40, 260):  # the page's verticals, level
        binary[20:380, x] = 255
    for y in range(100, 260):  # the pen's downstroke, 160 px, 0.05 px across per px down
        binary[y, 150 + round((y - 100) * 0.05)] = 255
    yy, xx = np.mgrid[258:300, 150:175]  # the signature's ink below it, hatched (no run)
    binary[yy, xx] = np.where((yy + xx) % 3 == 0, 0, 255)
    _, vs = find_lines(binary, PageScale(2.0, 16.0, 1.0))
    pen = [s for s in vs if 140 < s.x0 < 170]
    assert len(pen) == 1 and pen[0].y1 < 262
