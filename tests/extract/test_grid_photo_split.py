"""Thin rulings of a photographed page (`find_grids(..., photo=True)`, `Page.capture ==
"photo"`): undoing the photo's perspective resamples every line, and the lens blurred it
first, so a 1-px ruling lies between two rows (columns) of pixels over whole stretches,
level or not, each half too pale for the faint margin: the line finder saw it dashed, or
not at all (`_split_rulings`, until now looked for only on pages whose rulings drift).
Crops of normalised generated photos (seed 6143), in grey, found with the page's own
scale as the pipeline measures it on the whole page."""

from __future__ import annotations

from pathlib import Path

import cv2
from tasksheet.extract.grid import find_grids
from tasksheet.extract.scale import PageScale

DATA = Path(__file__).resolve().parents[1] / "data"


def _cells(name: str, scale: PageScale, photo: bool = True):
    grids = find_grids(cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE), scale, photo=photo)
    return [[(c.row, c.col, c.rowspan, c.colspan) for c in g.cells] for g in grids]


def test_photo_section_one_rows_found_whole() -> None:
    """Seed 6143 doc-0014 p3 (photo): section 一's top rows (委托单位's 经费来源 and 政策支持,
    then 协调单位's first three) are 1-px rulings dashed by the resampling; their top
    ruling not found at all, the table's sides ran on past every ruling found and were
    taken for streaks: no table, the whole 协调单位 block read empty (25 false findings)."""
    assert _cells("grid_photo_split_rows.png", PageScale(3.0, 31.0, 1.0), photo=False) == []
    assert _cells("grid_photo_split_rows.png", PageScale(3.0, 31.0, 1.0)) == [[
        (0, 0, 2, 1), (0, 1, 1, 1), (0, 2, 1, 3), (1, 1, 1, 1), (1, 2, 1, 3),
        (2, 0, 3, 1), (2, 1, 1, 1), (2, 2, 1, 1), (2, 3, 1, 1), (2, 4, 1, 1),
        (3, 1, 1, 1), (3, 2, 1, 1), (3, 3, 1, 1), (3, 4, 1, 1),
        (4, 1, 1, 1), (4, 2, 1, 1), (4, 3, 1, 1), (4, 4, 1, 1)]]


def test_photo_party_rows_kept_apart() -> None:
    """Seed 6143 doc-0010 p3 (photo): 承接单位's 法定代表人 / 电话 / 项目负责人 / 电话 rows.
    The rulings between them (and the dividers of the value cells) were dashed: the rows ran
    together in pairs, the name read '江强028-84552701' (9 false findings)."""
    before = _cells("grid_photo_party_rows.png", PageScale(3.0, 23.0, 1.0), photo=False)
    assert before == [[(0, 0, 3, 1), (0, 1, 1, 1), (0, 2, 1, 1), (0, 3, 2, 1), (0, 4, 3, 1),
                       (1, 1, 1, 1), (1, 2, 1, 1), (2, 1, 1, 1), (2, 2, 1, 1), (2, 3, 1, 1)]]
    assert _cells("grid_photo_party_rows.png", PageScale(3.0, 23.0, 1.0)) == [
        [(0, 0, 4, 1)] + [(r, c, 1, 1) for r in range(4) for c in range(1, 5)]]


def test_photo_frame_sides_not_taken_for_pen_strokes() -> None:
    """Seed 6143 doc-0010 p3 (photo): 二's heading frame, a row high, its sides 3 px (the
    columns' pieces are not one pixel thick, `_thin`: not looked for split). Split pairs
    also take a blurred line's edge, a pixel each side: had the columns been looked for
    split, the short sides measured as thick as a pen's stroke against the page's 1-px
    rulings (`_scribble`) and the frame was lost."""
    assert _cells("grid_photo_heading_frame.png", PageScale(3.0, 23.0, 1.0)) == [[(0, 0, 1, 1)]]
