"""One page as the readers see it: measured once (ink, binary, scale, text, grids), shared by
every reader, and the small geometry the readers have in common."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from tasksheet.extract.grid import Grid, find_grids
from tasksheet.extract.page_text import PageText
from tasksheet.extract.scale import PageScale, binarize, measure_scale
from tasksheet.schemas.result import Reading

BBox = tuple[int, int, int, int]


DEFAULT_GUESSED = 0.5  # confidence of a value completed from the form, not read


@dataclass
class PageWork:
    """One page and what was measured on it, computed once and shared by every field."""

    page: object  # ingest.document.Page
    ink: np.ndarray
    binary: np.ndarray
    scale: PageScale
    text: PageText
    grids: list[Grid] = field(default_factory=list)
    band: tuple[int, int] | None = None  # the stretch of the page a section covers (flow)

    @classmethod
    def of(cls, page, engine) -> PageWork:
        ink = page.grey()  # ink_gray of the image, made once in ingest
        binary = binarize(ink)
        scale = measure_scale(binary)
        text = PageText(ink, binary, scale.text_height, scale.line_thickness, engine,
                        words=page.words, image=page.image)
        return cls(page, ink, binary, scale, text,
                   _outer(find_grids(page.image, scale, gray=ink, binary=binary)))

    def reading(self, raw: str | None, value, score: float, bbox: BBox | None, **kw) -> Reading:
        scan_box = self.page.to_scan(bbox) if bbox is not None else None
        return Reading(raw=raw, value=value, confidence=round(float(score), 4),
                       page=self.page.index, bbox=scan_box, **kw)


def rows_of_lines(lines: list[tuple[BBox, str, float]]) -> list[list[tuple[BBox, str, float]]]:
    """Group line boxes whose vertical centres are within half a line of each other."""
    rows: list[list[tuple[BBox, str, float]]] = []
    for ln in sorted(lines, key=lambda r: (r[0][1] + r[0][3]) / 2):
        cy = (ln[0][1] + ln[0][3]) / 2
        if rows:
            last = rows[-1][0][0]
            if abs(cy - (last[1] + last[3]) / 2) < (last[3] - last[1]) * 0.5:
                rows[-1].append(ln)
                continue
        rows.append([ln])
    return [sorted(r, key=lambda x: x[0][0]) for r in rows]


def union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def is_dash(value) -> bool:
    """"—" as written in an unused cell: a dash of any length, read as one or as 一."""
    return isinstance(value, str) and bool(re.fullmatch(r"[—–\-―‒一_ ]+", value))


def overlaps(a: BBox, b: BBox | None, share: float = 0.3) -> bool:
    if b is None:
        return False
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    area = max(1, (a[2] - a[0]) * (a[3] - a[1]))
    return ix * iy >= share * area


def row_box(row: list[tuple[BBox, str, float]]) -> BBox:
    return union([b for b, _, _ in row])


def _outer(grids: list[Grid]) -> list[Grid]:
    """The tables of the page: a grid inside another one's frame is pen strokes in one of
    its cells (a signature's loops), not a table of the form (this form nests none)."""
    def inside(a: Grid, b: Grid) -> bool:
        return (a is not b and b.bbox[0] <= a.bbox[0] and b.bbox[1] <= a.bbox[1]
                and a.bbox[2] <= b.bbox[2] and a.bbox[3] <= b.bbox[3])
    return [g for g in grids if not any(inside(g, o) for o in grids)]
