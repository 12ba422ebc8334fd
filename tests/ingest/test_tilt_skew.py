"""A table printed turned against its text does not set the page's skew: the text is made
level (`ingest.normalize.text_skew`), the rules keep their own angle for the grid."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from helpers.synth import DPI, FONT
from PIL import Image, ImageDraw, ImageFont
from tasksheet.ingest.document import RawPage
from tasksheet.ingest.normalize import normalise

W, H = 1240, 1754  # A4 at 150 DPI
ROWS = ["项目名称：城市河湖生态保护宣传培训", "承接单位：成都市水利学会", "联系电话：028-88377346",
        "项目负责人：谭玉磊", "电子邮箱：1928796566@qq.com", "经费来源：公用经费"]


def tilted_table_page(tilt: float) -> np.ndarray:
    """A form page (heading, a paragraph, a 6-row two-column table with a label and a
    value per row) whose rules print turned `tilt`° clockwise about the page's centre,
    as the generator's office habit (`samplegen.render_raster.tilted`) draws them; its
    text stays level."""
    im = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(im)
    body, head = ImageFont.truetype(FONT, 24), ImageFont.truetype(FONT, 34)
    d.text((470, 120), "（一）基本信息", font=head, fill="black")
    for i in range(4):
        d.text((150, 210 + 44 * i), "本项目由双方共同商定并按照约定执行，联系人应当及时反馈工作进展情况。",
               font=body, fill="black")
    c, s = math.cos(math.radians(tilt)), math.sin(math.radians(tilt))

    def turn(x: float, y: float) -> tuple[float, float]:
        return W / 2 + (x - W / 2) * c - (y - H / 2) * s, H / 2 + (x - W / 2) * s + (y - H / 2) * c

    x0, x1, mid, y0, row = 140, 1100, 420, 420, 90
    lines = [((x0, y0 + r * row), (x1, y0 + r * row)) for r in range(len(ROWS) + 1)]
    lines += [((x, y0), (x, y0 + len(ROWS) * row)) for x in (x0, mid, x1)]
    for a, b in lines:
        d.line([turn(*a), turn(*b)], fill="black", width=2)
    for r, text in enumerate(ROWS):
        label, value = text.split("：")
        d.text((x0 + 20, y0 + r * row + 30), label, font=body, fill="black")
        d.text((mid + 24, y0 + r * row + 30), value, font=body, fill="black")
    return np.asarray(im)[:, :, ::-1].copy()


def scanned(page: np.ndarray, angle: float) -> np.ndarray:
    """The page turned `angle`° counter-clockwise on the scanner's bed, a little noise."""
    m = cv2.getRotationMatrix2D((W / 2, H / 2), angle, 1.0)
    img = cv2.warpAffine(page, m, (W, H), flags=cv2.INTER_LINEAR,
                         borderValue=(250, 250, 250)).astype(np.float64)
    img = cv2.GaussianBlur(img, (0, 0), 0.7) + np.random.default_rng(5).normal(0, 3, img.shape)
    return np.clip(img * 0.95 + 8, 0, 255).astype(np.uint8)


class _Upright:
    """An engine that reads every line well: the page is kept the way up it is."""

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        return [("本项目由双方共同商定", 0.99) for _ in crops]


@pytest.mark.parametrize(("tilt", "angle"), [(1.5, -1.0), (-1.7, 0.6), (0.6, 1.2)])
def test_skew_levels_the_text_not_the_turned_rules(tilt: float, angle: float) -> None:
    """Seed 8527 doc-0005 p3 (rules turned 0.55° on a page scanned 1.5° the other way):
    the skew measured on all ink went with the long rules (2.19°), the text was left
    turned, and the content section and the members' columns were lost. The scanner's
    angle is the skew; the rules' tilt stays on the page for the grid to follow."""
    raw = RawPage(index=3, source="s.tif", image=scanned(tilted_table_page(tilt), angle), dpi=DPI)
    page = normalise(raw, _Upright())  # type: ignore[arg-type]
    assert page.rotation == 0
    assert abs(page.skew + angle) <= 0.1


def test_rules_further_than_any_office_tilt_set_the_skew() -> None:
    """Re-captured wp-03 (colour scan): its sparse 五 page (a few labels, pen, three seals)
    had the glyphs' profile peak at 3.6° while its rules lay level at -0.7°, and two
    opinion blocks were lost. An office tilts a table 1.7° at most: where the rules lie
    further than `DEFAULT_MAX_TILT` from the glyphs, the glyphs misjudged and all ink (the
    rules' sharp peak) sets the skew, here the 3° table's."""
    raw = RawPage(index=3, source="s.tif", image=scanned(tilted_table_page(3.0), -1.0), dpi=DPI)
    page = normalise(raw, _Upright())  # type: ignore[arg-type]
    assert page.skew == 4.007
