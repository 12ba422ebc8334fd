"""Free-text blocks (section 二): the large cell under the heading, over its pages."""

from __future__ import annotations

import re

from tasksheet.extract.grid import Cell, Grid
from tasksheet.extract.normalize import normalize
from tasksheet.extract.page_text import clean, similarity
from tasksheet.readers.work import PageWork, rows_of_lines
from tasksheet.schemas.result import Reading, SheetResult

Line = tuple[tuple[int, int, int, int], str, float]
# a space beside a Han character or a full-width mark: Chinese sets none, the recogniser
# reads a wide gap so (a row's pieces read as one line: `3. 形成`, `（1） 组织`)
_CJK_SPACE = re.compile(r"\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])"
                        r"|(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+")


def _largest_cell(w: PageWork) -> tuple[Grid, Cell] | None:
    """The page's largest cell, with its table."""
    cells = [(g, c) for g in w.grids for c in g.cells]
    return max(cells, key=lambda gc: (gc[1].bbox[2] - gc[1].bbox[0]) * (gc[1].bbox[3] - gc[1].bbox[1]),
               default=None)


def _heading_line(text: str, heading: str) -> bool:
    """The section's printed heading, or a piece of it (a heading row cut by the page's
    band: `目内容` of `二、试点项目内容`), is not the block's text.

    >>> _heading_line("目内容", "二、试点项目内容"), _heading_line("内容包括", "二、试点项目内容")
    (True, False)
    """
    part = clean(text)
    return similarity(text, heading) >= 0.8 or (len(part) >= 2 and part in clean(heading))


def _heading_row(row: list[Line], heading: str) -> bool:
    """A row whose words read together are the heading, and no more than it (a row of the
    heading and text after it keeps its text)."""
    text = "".join(t for _, t, _ in row)
    return len(clean(text)) <= len(clean(heading)) + 2 and _heading_line(text, heading)


def read_block(works: list[PageWork], block, result: SheetResult) -> None:
    """The block's text: every line of its cell on each of its pages, in order, but the
    section's heading, whether a row of its own or in pieces (a text layer gives `二` and
    `试点项目内容` as two words: the row read whole is the heading; seed 8527 doc-0008's
    content began with 二)."""
    parts, score, first = [], 1.0, None
    for w in works:
        found = _largest_cell(w)
        if found is None:
            continue
        grid, cell = found
        text = w.text.read([cell.bbox], paragraph=True, outer=grid.bbox)[0]
        lines = [ln for row in rows_of_lines(list(text.lines)) if not _heading_row(row, block.heading)
                 for ln in row if not _heading_line(ln[1], block.heading)]
        if lines:
            parts.append(_CJK_SPACE.sub("", "".join(t for _, t, _ in lines)))
            score = min(score, min(s for _, _, s in lines))
            first = first or (w, text.bbox or cell.bbox)
    raw = "".join(parts)
    if first is None:
        result.readings[block.id] = Reading(raw=None, value=None, confidence=0.0)
        return
    result.readings[block.id] = first[0].reading(raw, normalize(block.type, raw), score, first[1])
