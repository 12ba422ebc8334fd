"""A turned ruling's step beside a line (`extract.page_text._clear`, #15).

A ruling printed level and scanned a little turned moves a pixel aside down its height;
on a 1-bit page its mask (found on whole columns) misses the step's pixel, and `_clear`
took that pixel for a glyph touching the ruling: the ruling was left on those rows of the
line and read `！` after the label (seed 9133 doc-0023 p2: `联系人！`, the value cell read
past the label as empty, a false blank_field for coordinating.contact).
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from tasksheet.extract import page_text
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.page_text import PageText, _clear
from tasksheet.extract.scale import binarize

DATA = Path(__file__).resolve().parents[1] / "data"


def _read() -> str:
    """The label's cell of seed 9133 doc-0023 p2 (the page as normalised, x 740-1010,
    y 3060-3230): 联系人, its cell's right ruling turned a pixel over the line's rows."""
    g = cv2.imread(str(DATA / "bitonal-label-beside-stepped-ruling.png"), cv2.IMREAD_GRAYSCALE)
    return PageText(g, binarize(g), 45.0, 5.0, get_engine()).read([(15, 48, 228, 133)])[0].text


def test_the_label_reads_whole_beside_a_stepped_ruling() -> None:
    assert _read() == "联系人"


def test_the_step_taken_for_a_glyph_s_touch_reads_a_mark(monkeypatch) -> None:
    """With no step long enough (the rule before the fix), the ruling is read after it."""
    monkeypatch.setattr(page_text, "DEFAULT_RULE_STEP", 100.0)
    assert _read() == "联系人！"


def _strip(rows: int = 20) -> np.ndarray:
    g = np.full((rows, 12), 230, np.uint8)
    g[:, 5:8] = 20  # a ruling 3 px wide, its mask on columns 5-7
    return g


def _hole(g: np.ndarray) -> np.ndarray:
    return np.zeros(g.shape, bool) | ((np.arange(12) >= 5) & (np.arange(12) <= 7))


def test_clear_takes_the_step_as_the_ruling_s() -> None:
    """Column 4 inked over the line's rows 6-13 (8 rows, `step` 5): the ruling's step, the
    ruling and the step are paper on every row."""
    g = _strip()
    g[6:14, 4] = 20
    out = _clear(g, _hole(g), (3, 17), least=10, step=5)
    assert (out[:, 4:8] > 100).all()


def test_clear_leaves_a_short_touch() -> None:
    """A stroke's end one pixel wide touching the ruling over 3 rows (`step` 5): a glyph,
    its rows left whole."""
    g = _strip()
    g[8:11, 4] = 20
    out = _clear(g, _hole(g), (3, 17), least=10, step=5)
    assert (out[8:11, 4:8] < 100).all() and (out[3:8, 5:8] > 100).all()
