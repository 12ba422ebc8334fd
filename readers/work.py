"""One page as the readers see it: measured once (ink, binary, scale, text, grids), shared by
every reader, and the small geometry the readers have in common."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np
from tasksheet.extract.grid import Grid
from tasksheet.extract.ink import column_runs
from tasksheet.extract.page_text import DEFAULT_PAD, PageText, RegionText, take_measure
from tasksheet.extract.scale import PageScale
from tasksheet.extract.text_lines import remove_rules
from tasksheet.schemas.result import Reading

BBox = tuple[int, int, int, int]


DEFAULT_GUESSED = 0.5  # confidence of a value completed from the form, not read
# what a blank's underline and the specks on it read as, never a value's own first or last
# character (a dot of dust before 成都市… read `·成都市…`, after a name `龚颖.`)
SPECKS = "_ ·.,，、'`"
DEFAULT_GLYPH_WIDTH = 0.5  # × text height: the narrowest run of ink taken for a glyph
DEFAULT_GLYPH_HEIGHT = 0.5  # × text height: the lowest (a dash's or a speck's run is not one)
DEFAULT_CLAIM = 0.5  # × text height either side of a character's centre: its glyph
DEFAULT_GLYPH_SCORE = 0.8  # a glyph read alone this surely is a glyph the line's reading lost


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
    """"—" as written in an unused cell: a dash of any length, read as one or as 一, with
    the specks a scan leaves beside it read as punctuation (`，一` on a 1-bit scan).

    >>> is_dash("，一"), is_dash("—"), is_dash("，"), is_dash("一级")
    (True, True, False, False)
    """
    if not isinstance(value, str):
        return False
    core = value.strip(SPECKS.replace("_", ""))
    return bool(core) and bool(re.fullmatch(r"[—–\-―‒一_ ]+", core))


def without_edge_glyph(text: RegionText, edge: float, th: float, glyph: str | None = None
                       ) -> RegionText:
    """A cell's reading without a first glyph over the ruling on its left (its centre within
    half a text height of the cell's edge `edge`), where it is the label's beside it: a
    label printed across the ruling between its cell and the value's is read whole in its
    own cell, and its glyph on the ruling again, whole or in part, with the value its line
    reaches. A value is written clear of the ruling. With `glyph`, only that glyph (the
    label's last, read whole in the label's cell) is taken off: a value's own first glyph
    may lie on the ruling too (the rules turned against the text).

    Members: `位钟宇`, `立钟宇` beside `协调单位` (seed 9721 doc-0017); tables: `人尹然婷` beside
    `负责人` (seed 5417 doc-0019).

    >>> line = (100, 0, 190, 30)
    >>> t = RegionText("位钟宇", 0.9, line, ((line, "位钟宇", 0.9),),
    ...                (("位", 104.0, line), ("钟", 140.0, line), ("宇", 172.0, line)))
    >>> without_edge_glyph(t, 100, 30).text, without_edge_glyph(t, 80, 30).text
    ('钟宇', '位钟宇')
    >>> without_edge_glyph(t, 100, 30, "位").text, without_edge_glyph(t, 100, 30, "人").text
    ('钟宇', '位钟宇')
    """
    if not text.lines or not text.chars:
        return text
    first = text.lines[0]
    mine = sorted((ch for ch in text.chars if ch[2] == first[0]), key=lambda ch: ch[1])
    if len(mine) < 2 or len(mine) != len(first[1].replace(" ", "")) or mine[0][1] >= edge + th / 2:
        return text
    if glyph is not None and mine[0][0] != glyph:
        return text
    at = first[1].index(mine[0][0])
    lines = ((first[0], first[1][at + 1:], first[2]), *text.lines[1:])
    chars = tuple(ch for ch in text.chars if ch is not mine[0])
    return RegionText("".join(t for _, t, _ in lines), text.score, text.bbox, lines, chars)


def overlaps(a: BBox, b: BBox | None, share: float = 0.3) -> bool:
    if b is None:
        return False
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    area = max(1, (a[2] - a[0]) * (a[3] - a[1]))
    return ix * iy >= share * area


def row_box(row: list[tuple[BBox, str, float]]) -> BBox:
    return union([b for b, _, _ in row])


def _ink_runs(binary: np.ndarray, line: BBox, th: float) -> list[tuple[int, int, int]]:
    """The runs of inked columns of a line box (rules left out), parted by blank columns:
    (x0, x1, rows of ink) on the page."""
    x0, y0, x1, y1 = line
    ink = remove_rules(binary[y0:y1, x0:x1], th) > 0
    return [(x0 + a, x0 + b, bottom - top) for a, b, top, bottom in column_runs(ink)]


def _claims(x: float, a: int, b: int, th: float) -> bool:
    """Whether a character read centred at `x` (a glyph about a text height wide around
    it) covers the run of ink [a, b): it lies inside, or the glyph covers half of it (the
    recogniser places a character's centre anywhere on its glyph, and a hand's glyph is
    often two runs parted by paper, `亻` `壬`)."""
    half = DEFAULT_CLAIM * th
    return a <= x < b or min(b, x + half) - max(a, x - half) >= (b - a) / 2


def _glyphs_only(text: str) -> bool:
    return bool(text) and all(c.isalnum() for c in text)


def unread_glyphs(w: PageWork, text: RegionText) -> RegionText:
    """`text` with the glyphs its line readings skipped read in: a run of ink a glyph wide
    and tall, parted from its neighbours by blank paper, on which no character read lies.

    The recogniser now and then reads two handwritten glyphs set close as one (`项目负责`
    read `项负责`, surely, in every capture of examples wp-03 and wp-05). Read alone, the
    skipped glyph reads (`目`); it is taken when it also reads as a glyph of its own beside
    each of its neighbours (`项目` with the glyph before it, `目负` with the one after), so
    a glyph's part standing apart (`禾` of a wide `科`, which alone may read `科` and after
    `市` read `市科`, but with the rest of its glyph reads one `科`) is never read in.
    """
    if w.text.words is not None or not text.chars:
        return text
    th = w.scale.text_height
    pad = int(th * DEFAULT_PAD)
    h, wd = w.ink.shape[:2]

    def crop(x0: int, x1: int, ln: BBox) -> np.ndarray:
        return w.ink[max(0, ln[1] - pad):min(h, ln[3] + pad), max(0, x0 - pad):min(wd, x1 + pad)]

    plans = []  # (line index, insert at, [(x0, x1)] to read: alone, with before, with after)
    for i, (ln, t, _) in enumerate(text.lines):
        xs = sorted(x for _, x, cl in text.chars if cl == ln)
        if not xs or len(xs) != len(t.replace(" ", "")):
            continue
        runs = _ink_runs(w.binary, ln, th)
        claimed = [any(_claims(x, a, b, th) for x in xs) for a, b, _ in runs]
        k = 0
        while k < len(runs):
            if claimed[k]:
                k += 1
                continue
            j = k
            while j + 1 < len(runs) and not claimed[j + 1]:
                j += 1
            a, b = runs[k][0], runs[j][1]
            tall = max(r[2] for r in runs[k:j + 1])
            if b - a >= DEFAULT_GLYPH_WIDTH * th and tall >= DEFAULT_GLYPH_HEIGHT * th:
                at = sum(x < a for x in xs)
                before = next((r for r, c in zip(runs[k - 1::-1], claimed[k - 1::-1],
                                                 strict=False) if c), None) if k else None
                after = next((r for r, c in zip(runs[j + 1:], claimed[j + 1:], strict=False)
                              if c), None)
                plans.append((i, at, (a, b), before and (before[0], b), after and (a, after[1])))
            k = j + 1
    if not plans:
        return text
    crops, where = [], []
    for p, (i, _, *spans) in enumerate(plans):
        for s, span in enumerate(spans):
            if span is not None:
                crops.append(crop(span[0], span[1], text.lines[i][0]))
                where.append((p, s))
    read = dict(zip(where, w.text.engine.recognize(crops), strict=True))
    lines = [list(ln) for ln in text.lines]
    added: dict[int, int] = {}
    for p, (i, at, *_) in enumerate(plans):
        glyph, score = read[(p, 0)]
        glyph = glyph.strip()
        if not _glyphs_only(glyph) or score < DEFAULT_GLYPH_SCORE:
            continue
        chars = lines[i][1].replace(" ", "")
        at_text = at + added.get(i, 0)
        prev, nxt = chars[at_text - 1:at_text], chars[at_text:at_text + 1]
        with_prev = read.get((p, 1), ("", 0.0))[0].strip()
        with_next = read.get((p, 2), ("", 0.0))[0].strip()
        if (prev and with_prev != prev + glyph) or (nxt and with_next != glyph + nxt):
            continue
        lines[i][1] = chars[:at_text] + glyph + chars[at_text:]
        added[i] = added.get(i, 0) + len(glyph)
    if not added:
        return text
    new = tuple((ln[0], ln[1], ln[2]) for ln in lines)
    return replace(text, text="".join(t for _, t, _ in new), lines=new)
