"""`_merge_same_line` on many boxes (numpy passes) joins exactly as the pairwise loop does."""

from __future__ import annotations

import numpy as np
import pytest
from tasksheet.extract import text_lines
from tasksheet.extract.text_lines import _merge_same_line


def _pairwise(boxes: list[list[int]], th: float, gap: int) -> list[list[int]]:
    """The pairwise loop, as `_merge_same_line` ran it on every page before (#20)."""
    boxes = sorted(boxes, key=lambda b: b[0])
    changed = True
    while changed:
        changed = False
        out: list[list[int]] = []
        for b in boxes:
            for o in out:
                ov = min(o[3], b[3]) - max(o[1], b[1])
                small = min(o[3] - o[1], b[3] - b[1])
                hgap = max(o[0], b[0]) - min(o[2], b[2])
                if ov >= 0.5 * small and hgap <= gap and max(o[3], b[3]) - min(o[1], b[1]) <= 2.2 * th:
                    o[0], o[1] = min(o[0], b[0]), min(o[1], b[1])
                    o[2], o[3] = max(o[2], b[2]), max(o[3], b[3])
                    changed = True
                    break
            else:
                out.append(list(b))
        boxes = out
    return boxes


def _page_boxes(seed: int, n: int, th: float) -> list[list[int]]:
    """Glyph-sized boxes on rows of a page, some rows close, some glyphs tall or split."""
    rng = np.random.default_rng(seed)
    boxes = []
    for _ in range(n):
        row = int(rng.integers(0, 40))
        y0 = int(row * 1.4 * th + rng.integers(-4, 5))
        h = int(rng.integers(max(2, th // 3), int(2.5 * th)))
        x0 = int(rng.integers(0, 1600))
        w = int(rng.integers(3, int(2 * th)))
        boxes.append([x0, y0, x0 + w, y0 + h])
    return boxes


@pytest.mark.parametrize("seed", range(12))
def test_vector_passes_join_as_the_pairwise_loop(seed: int) -> None:
    th, gap = 24.0, 29
    boxes = _page_boxes(seed, 300 + 40 * seed, th)
    want = _pairwise([list(b) for b in boxes], th, gap)
    got = _merge_same_line([list(b) for b in boxes], th, gap)
    assert len(boxes) > text_lines.DEFAULT_VECTOR_BOXES
    assert len(got) < len(boxes)  # something was joined
    assert got == want


def test_few_boxes_take_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_a, **_k):  # pragma: no cover - called only if the threshold is ignored
        raise AssertionError("numpy pass for a handful of boxes")

    monkeypatch.setattr(text_lines, "_merge_pass_vector", fail)
    boxes = [[0, 0, 20, 24], [30, 2, 50, 26], [200, 0, 220, 24]]
    assert _merge_same_line(boxes, 24.0, 29) == [[0, 0, 50, 26], [200, 0, 220, 24]]


def test_blank_and_rules_only_regions_skip_the_line_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blank cell, or one holding only its rules, has no line: found without the dilation
    and components of `lines_from_ink` (the outline looks in every cell)."""
    page = np.zeros((300, 600), np.uint8)  # an ink mask (ink = 255)
    page[100, 50:550] = 255  # a table's rule
    page[40:60, 300:320] = 255  # a glyph in another cell
    calls: list[int] = []
    real = text_lines.lines_from_ink

    def counted(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(text_lines, "lines_from_ink", counted)
    assert text_lines.find_text_lines(page, text_height=20.0, region=(0, 150, 600, 300)) == []
    assert text_lines.find_text_lines(page, text_height=20.0, region=(0, 90, 600, 110)) == []
    assert calls == []
    assert text_lines.find_text_lines(page, text_height=20.0, region=(0, 0, 600, 90)) == \
        [(301, 41, 320, 60)]  # as before the shortcut
    assert calls == [1]
