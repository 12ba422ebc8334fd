"""One page as the readers see it: measured once (ink, binary, scale, text, grids), shared by
every reader, and the small geometry the readers have in common."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from tasksheet.extract.grid import Grid
from tasksheet.extract.page_text import PageText, take_measure
from tasksheet.extract.scale import PageScale
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
        """The page measured (`extract.page_text.take_measure`): the measure classification
        made and read lines into, when it did, else a new one."""
        m = take_measure(page, engine)
        return cls(page, m.ink, m.binary, m.scale, m.text, m.grids)

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
