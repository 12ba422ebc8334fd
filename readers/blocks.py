"""Free-text blocks (section 二): the large cell under the heading, over its pages."""

from __future__ import annotations

from tasksheet.extract.grid import Cell
from tasksheet.extract.normalize import normalize
from tasksheet.extract.page_text import similarity
from tasksheet.readers.work import PageWork
from tasksheet.schemas.result import Reading, SheetResult


def _largest_cell(w: PageWork) -> Cell | None:
    cells = [c for g in w.grids for c in g.cells]
    return max(cells, key=lambda c: (c.bbox[2] - c.bbox[0]) * (c.bbox[3] - c.bbox[1]), default=None)


def read_block(works: list[PageWork], block, result: SheetResult) -> None:
    parts, score, first = [], 1.0, None
    for w in works:
        cell = _largest_cell(w)
        if cell is None:
            continue
        text = w.text.read([cell.bbox])[0]
        lines = [ln for ln in text.lines if similarity(ln[1], block.heading) < 0.8]
        if lines:
            parts.append("".join(t for _, t, _ in lines))
            score = min(score, min(s for _, _, s in lines))
            first = first or (w, text.bbox or cell.bbox)
    raw = "".join(parts)
    if first is None:
        result.readings[block.id] = Reading(raw=None, value=None, confidence=0.0)
        return
    result.readings[block.id] = first[0].reading(raw, normalize(block.type, raw), score, first[1])
