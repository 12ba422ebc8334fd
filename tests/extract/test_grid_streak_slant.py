"""A feeder's streak at the scan's angle through a deskewed table (`extract.grid`).

The line finder breaks such a streak into pieces (where it fades, crosses a ruling, steps a
column); a piece that ends on a row's rulings at both ends looked like a row's own divider
and split the row. The pieces together run the page's height on one straight line, thin,
and off the normal of the rulings they cross: a streak (`_page_streaks`)."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import cv2
import numpy as np
import pytest
from tasksheet.extract.grid import find_grids

DATA = Path(__file__).resolve().parents[1] / "data"


def _load_table_pages():
    """tests/extract/test_grid.py's generated table page (not importable by name here)."""
    spec = importlib.util.spec_from_file_location("_grid_pages", Path(__file__).with_name("test_grid.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_pages = _load_table_pages()
COL_W, make_table_page, structure = _pages.COL_W, _pages.make_table_page, _pages.structure


def test_slanted_streak_through_members_names_splits_no_row() -> None:
    """Re-captured wp-02 (colour scan, JPEG 57, skew 2.6°), p5 as normalised (grey levels
    kept to 8s): a faint streak 1.9° off the deskewed table's normal runs through 三's 姓名
    column. Its pieces, each ending on a row's rulings, split every name cell in two (all
    7 names read empty). Each of the column's 10 cells spans the column."""
    page = cv2.imread(str(DATA / "grid-streak-slanted-members.png"))
    members = next(g for g in find_grids(page) if g.bbox[1] < 300)
    names = sorted(c.bbox for c in members.cells if 330 < c.bbox[0] < 520 and c.bbox[1] < 1120)
    assert len(names) == 10, names
    assert all(c[0] < 350 and c[2] > 515 for c in names), names


def _slanted_streak(dpi: int, degrees: float, col: int) -> tuple[np.ndarray, list]:
    """An A4 page of the test table, a 1-px streak 60 levels deep at `degrees` from the
    vertical through column `col` (the table upright, as deskewed), then JPEG 57."""
    page, expected = make_table_page(dpi, page=(8.27, 11.69))
    th = 10.5 / 72 * dpi
    xs = [int(0.8 * dpi) + round(th * sum(COL_W[:i])) for i in range(len(COL_W) + 1)]
    h = page.shape[0]
    xm, ym = xs[col] + round(2 * th), int(1.0 * dpi + 5 * 1.9 * th / 2)
    t = math.tan(math.radians(degrees))
    layer = np.zeros(page.shape[:2], np.float32)
    cv2.line(layer, (round((xm - t * ym) * 16), 0), (round((xm + t * (h - ym)) * 16), (h - 1) * 16),
             1.0, 1, cv2.LINE_AA, shift=4)
    out = np.clip(page.astype(np.float32) - 60 * layer[..., None], 0, 255).astype(np.uint8)
    _, enc = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, 57])
    return cv2.imdecode(enc, cv2.IMREAD_COLOR), expected


@pytest.mark.parametrize("dpi", [200, 300])
@pytest.mark.parametrize("degrees", [1.0, 1.9, 2.6])
@pytest.mark.parametrize("col", [1, 2])
def test_slanted_streak_splits_no_cell(dpi: int, degrees: float, col: int) -> None:
    """The table is as printed wherever the slanted streak crosses it (300 DPI at 1.0°
    through column 1 and at 2.6° through column 2 split a row before)."""
    page, expected = _slanted_streak(dpi, degrees, col)
    grids = find_grids(page)
    assert len(grids) == 1, [g.bbox for g in grids]
    assert structure(grids[0]) == expected
