"""Section 五 on a 1-bit re-capture (issue #15): a block's label set close over its opinion,
the two joined by a black seal's arc text into one blob five lines tall, must come back as
two lines. Crops of the re-captured wp-03 (bitonal, 200 DPI, text height 33, the page's black
seals' rings and stars set to paper as the opinions reader does)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from tasksheet.extract.page_text import PageText, clean
from tasksheet.extract.text_lines import _valley_cuts, find_text_lines

DATA = Path(__file__).resolve().parents[1] / "data"
TH = 33.0


def _crop(name: str) -> np.ndarray:
    return cv2.imread(str(DATA / f"opinion-bitonal-label-{name}.png"), cv2.IMREAD_GRAYSCALE)


def _lines(name: str) -> list[tuple[int, int, int, int]]:
    ink = _crop(name)
    h, w = ink.shape
    return find_text_lines(ink, text_height=TH, region=(8, 8, w - 8, h - 2), bridged=True)


def test_label_and_opinion_run_into_a_seal_are_two_lines() -> None:
    """项目承接单位： over 同意承担…, whose end runs into the seal's arc text, which runs down
    into the signature label: one blob five lines tall, with no band of rows sparse enough
    to part it. It was dropped whole (no line at all: the block was no one's)."""
    got = _lines("over-seal")
    assert got[:2] == [(16, 8, 199, 26), (82, 25, 745, 60)]
    ink = _crop("over-seal")  # not asked: as before, the blob is left out
    assert find_text_lines(ink, text_height=TH, region=(8, 8, ink.shape[1] - 8, 291))[:1] == \
        [(614, 205, 889, 236)]


def test_label_and_opinion_read() -> None:
    from tasksheet.extract.ocr import get_engine

    ink = _crop("over-seal")
    h, w = ink.shape
    text = PageText(255 - ink, ink, TH, 3.0, get_engine())
    text.bridged = True  # as the opinions reader asks when a cell's label was not found
    got = text.read([(0, 0, w, h)])[0]
    assert clean(got.lines[0][1]) == "项目承接单位"
    assert clean(got.lines[1][1]).startswith("同意承担该试点项目")


def test_valley_cuts_keep_one_line_whole() -> None:
    """A line's own rows thin out between its radicals, never to under half its print; and
    a figure's top over an underlined line (`24` of `有，24 万元`) holds too little ink to
    be a line of its own."""
    ink = np.zeros((14, 30), np.uint8)
    for y, n in enumerate([0, 10, 60, 90, 100, 70, 55, 50, 80, 100, 95, 60, 20, 0]):
        ink[y, :n * 30 // 100] = 1
    assert _valley_cuts(ink, 14.0) == []
    ink = np.zeros((40, 200), np.uint8)
    ink[0:10, 90:100] = 1  # a figure's top
    ink[11:40, :] = 1
    assert _valley_cuts(ink, 20.0) == []
