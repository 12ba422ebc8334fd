"""Section 五 on a 1-bit re-capture (issue #15): a block's label set close over its opinion,
the two joined by touching strokes or by a black seal's arc text, must come back as two
lines. Crops of the re-captured wp-03 (bitonal, 200 DPI, text height 33, the page's black
seals' rings and stars set to paper as the opinions reader does)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from tasksheet.extract.page_text import PageText, clean
from tasksheet.extract.text_lines import _valley_cuts, find_text_lines

DATA = Path(__file__).resolve().parents[1] / "data"
TH = 33.0


def _crop(name: str) -> np.ndarray:
    return cv2.imread(str(DATA / f"opinion-bitonal-label-{name}.png"), cv2.IMREAD_GRAYSCALE)


def _lines(name: str) -> list[tuple[int, int, int, int]]:
    ink = _crop(name)
    h, w = ink.shape
    return find_text_lines(ink, text_height=TH, region=(8, 8, w - 8, h - 2))


def test_label_and_opinion_run_into_a_seal_are_two_lines() -> None:
    """项目承接单位： over 同意承担…, whose end runs into the seal's arc text, which runs down
    into the signature label: one blob five lines tall, with no band of rows sparse enough
    to part it. It was dropped whole (no line at all: the block was no one's)."""
    got = _lines("over-seal")
    assert got[:2] == [(16, 8, 199, 26), (82, 25, 745, 60)]


def test_label_touching_the_opinion_is_its_own_line() -> None:
    """项目协调单位： (its top cut by the cell's margin) over the opinion, strokes touching:
    the box is too tall for a line and parts at its valley; the label's feet below the
    cut stay the label's (they were read as `项口` heading the opinion)."""
    assert _lines("touching") == [(15, 8, 200, 28), (86, 25, 610, 63)]


def test_short_opinion_under_its_label_is_its_own_line() -> None:
    """项目委托单位： over a short 同意。: the valley is clear against the print either side,
    though not against the box's median row (the short line makes it low)."""
    assert _lines("short") == [(14, 8, 199, 24), (86, 23, 155, 56)]


@pytest.mark.parametrize(("name", "label", "opinion"), [
    ("over-seal", "项目承接单位", "同意承担该试点项目"),
    ("touching", "项目协调单位", "同意纳入学会承接政府转移职能试点"),
    ("short", "项目委托单位", "同意"),
])
def test_label_and_opinion_read(name: str, label: str, opinion: str) -> None:
    from tasksheet.extract.ocr import get_engine

    ink = _crop(name)
    h, w = ink.shape
    text = PageText(255 - ink, ink, TH, 3.0, get_engine())
    got = text.read([(0, 0, w, h)])[0]
    assert clean(got.lines[0][1]) == label
    assert clean(got.lines[1][1]).startswith(opinion)


def test_valley_cuts_keep_one_line_whole() -> None:
    """A line's own rows thin out between its radicals, never to a quarter of its print."""
    rows = np.array([0, 10, 60, 90, 100, 70, 45, 50, 80, 100, 95, 60, 20, 0], float)
    assert _valley_cuts(rows, 14.0) == []
