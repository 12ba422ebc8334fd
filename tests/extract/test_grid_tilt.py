"""Rules printed turned against the text (an office's word processor, wp-04; the generator's
`tilt`): the grid is found on the page sheared so its rulings run along the axes, with the
same rows, columns and spans as on an untilted copy, each cell's box inside its turned
borders (`extract.grid.find_grids`, `rule_angle`)."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from conftest import DATA
from helpers.synth import FONT
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.grid import find_grids, rule_angle
from tasksheet.extract.scale import PageScale, binarize, ink_gray, measure_scale

W, H = 1240, 1754  # A4 at 150 DPI
X = [140, 200, 330, 640, 760, 880, 1100]  # group | name | unit | title | role | signature
Y0, ROW, ROWS = 420, 74, 7  # a header row and six members
NAMES = ["廖婷川", "汪平文", "蔡浩军", "吴晨鹏", "谭玉磊", "金丹瑶"]


def members_page(tilt: float) -> np.ndarray:
    """A members table (two groups of three, the group cell spanning its rows), its text
    level and its 1-px rules turned `tilt`° clockwise about the page's centre, as
    `samplegen.render_raster.tilted` draws them; a 150-DPI scan's blur and noise."""
    im = Image.new("L", (W, H), 255)
    d = ImageDraw.Draw(im)
    font = ImageFont.truetype(FONT, 22)
    c, s = math.cos(math.radians(tilt)), math.sin(math.radians(tilt))

    def turn(x: float, y: float) -> tuple[float, float]:
        return W / 2 + (x - W / 2) * c - (y - H / 2) * s, H / 2 + (x - W / 2) * s + (y - H / 2) * c

    ys = [Y0 + r * ROW for r in range(ROWS + 1)]
    lines = [((X[0], ys[0]), (X[-1], ys[0])), ((X[0], ys[1]), (X[-1], ys[1])),
             ((X[0], ys[4]), (X[-1], ys[4])), ((X[0], ys[-1]), (X[-1], ys[-1]))]
    lines += [((X[1], y), (X[-1], y)) for y in (ys[2], ys[3], ys[5], ys[6])]  # group spans
    lines += [((x, ys[0]), (x, ys[-1])) for x in X]
    for a, b in lines:
        d.line([turn(*a), turn(*b)], fill=0, width=1)
    d.text((X[1] + 14, ys[0] + 24), "姓名", font=font, fill=0)
    d.text((X[2] + 14, ys[0] + 24), "工作单位", font=font, fill=0)
    for i, name in enumerate(NAMES):
        y = ys[1 + i] + 24
        d.text((X[1] + 14, y), name, font=font, fill=0)
        d.text((X[2] + 14, y), "成都市科学技术协会", font=font, fill=0)
        d.text((X[3] + 14, y), "科长", font=font, fill=0)
        d.text((X[4] + 14, y), "组织", font=font, fill=0)
    for g, r in (("委托", 2), ("承接", 5)):
        d.text((X[0] + 8, ys[r] + 24), g, font=ImageFont.truetype(FONT, 18), fill=0)
    grey = cv2.GaussianBlur(np.asarray(im, np.float64), (0, 0), 0.6)
    grey += np.random.default_rng(2).normal(0, 3, grey.shape)
    grey = np.clip(grey * 0.9 + 20, 0, 255).astype(np.uint8)
    return cv2.merge([grey, grey, grey])


def _structure(page: np.ndarray) -> list[list[tuple[int, int, int, int]]]:
    gray = ink_gray(page)
    binary = binarize(gray)
    return [[(c.row, c.col, c.rowspan, c.colspan) for c in g.cells]
            for g in find_grids(page, measure_scale(binary), gray=gray, binary=binary)]


def test_untilted_members_table() -> None:
    """The reference: seven rows, six columns, each group cell spanning its three rows."""
    (cells,) = _structure(members_page(0.0))
    assert len(cells) == 6 + 6 * 5 + 2  # the header row, six members, two group cells
    assert (1, 0, 3, 1) in cells and (4, 0, 3, 1) in cells


@pytest.mark.parametrize("tilt", [1.6, -1.2, 0.7])
def test_turned_rules_give_the_untilted_grid(tilt: float) -> None:
    """Seed 8527 doc-0005 p4 (rules 0.67° against level text): the members' columns merged
    (title read 廖婷川成都市食品药品监督管理局) and rows were lost; doc-0023 p5 lost the
    分工 and 签字 columns."""
    assert _structure(members_page(tilt)) == _structure(members_page(0.0))


@pytest.mark.parametrize("tilt", [1.6, -1.2])
def test_turned_cells_hold_their_level_text(tilt: float) -> None:
    """Each member's name cell is the largest upright box inside its turned borders: it
    holds the name's glyphs whole and no ruling."""
    page = members_page(tilt)
    gray = ink_gray(page)
    binary = binarize(gray)
    (grid,) = find_grids(page, measure_scale(binary), gray=gray, binary=binary)
    for i, name in enumerate(NAMES):
        x0, y0, x1, y1 = grid.cell_at(1 + i, 1).bbox
        text = binary[y0:y1, x0:x1]
        assert text.any(axis=0)[0] == 0 and text.any(axis=0)[-1] == 0  # no ruling at its sides
        assert text.any(axis=1)[0] == 0 and text.any(axis=1)[-1] == 0  # nor at top and foot
        name_y = Y0 + (1 + i) * ROW + 24
        assert y0 < name_y and y1 > name_y + 22 * 0.9, name


def test_rule_angle_measures_the_turn() -> None:
    page = members_page(1.6)
    gray = ink_gray(page)
    binary = binarize(gray)
    scale = measure_scale(binary)
    assert rule_angle(binary, scale) == pytest.approx(1.6, abs=0.05)
    assert rule_angle(binary, scale, vertical=True) == pytest.approx(1.6, abs=0.1)


def test_generated_members_table_turned_against_its_text() -> None:
    """Seed 8527 doc-0005 p4 (colour scan, 150 DPI, rules 0.67° clockwise against level
    text; the page's grey, normalised): the turned 1-px rules were dashed where they step a
    row, the pieces lost their slope and the columns merged (a member's title read
    廖婷川成都市食品药品监督管理局). Found sheared, it is the form's members table: a header
    and seven rows, six columns, the group cells 委托单位 and 承接单位 spanning three rows."""
    grey = cv2.imread(str(DATA / "tilted-members-table.png"), cv2.IMREAD_GRAYSCALE)
    page = cv2.merge([grey, grey, grey])
    scale = PageScale(stroke=2.0, text_height=22.0, line_thickness=1.0)  # its page's
    (grid,) = find_grids(page, scale, gray=grey, binary=binarize(grey))
    cells = [(c.row, c.col, c.rowspan, c.colspan) for c in grid.cells]
    assert (len(grid.rows), len(grid.cols), len(cells)) == (9, 7, 44)
    assert [c for c in cells if c[2:] != (1, 1)] == [(1, 0, 3, 1), (4, 0, 3, 1)]
