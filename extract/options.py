"""A checkbox group's boxes, each found by its option's printed label.

The form prints every box right before its option's words (`□公用经费 □项目经费`). The
page-wide box finder sees shapes only: a 费 or 额 can pass for a box, and a box under a heavy
× or ✓ can be missed. Here the recogniser places each label in the line (its characters'
positions), and the box of that option is the square just left of the label's first
character: a detected box when one is there, else the best square outline in that window.
Options whose label was not read fall back to the boxes found between their neighbours.

>>> anchors = label_anchors([("□", 20, (0, 0, 9, 9)), ("有", 45, (0, 0, 9, 9))], ["有"])
>>> [round(a.x) for a in anchors]
[45]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
from tasksheet.extract.checkbox import CheckBox, box_at, box_in
from tasksheet.extract.scale import PageScale

BBox = tuple[int, int, int, int]
Char = tuple[str, float, BBox]  # (character, x centre on the page, its line's box)
MARKS = set("□☐☑☒■√✓✔×✗✘口回")  # what a recogniser makes of a box or a tick
DEFAULT_BOX_OFFSET = 1.1  # × text height: box centre to the label's first character centre
DEFAULT_WINDOW = (2.3, 0.35)  # × text height left of that character: where the box may lie
DEFAULT_LABEL_RATIO = 0.6  # least similarity of a read label of two or more characters
DEFAULT_PLACED_SCORE = 0.8  # confidence cap of a box found by its label alone
DEFAULT_SIBLING_SCORE = 0.7  # confidence cap of a box placed by a sibling option's box
DEFAULT_TAIL_CHARS = 3  # printed words after a label that may place it, read exactly, at least


@dataclass(frozen=True)
class Anchor:
    """Where an option's label starts: its first character's centre and its line's box."""

    x: float
    line: BBox


def _keys(label: str) -> str:
    return "".join(c for c in label if c not in MARKS and not c.isspace())


def _tail(label: str, printed: str | None) -> tuple[str, int] | None:
    """The first printed words after an option's label (`预算额度` of `有，预算额度____万元`)
    and how many characters after the label's start they begin; None when the option
    prints nothing more than its label, or only a character or two."""
    if not printed or not printed.startswith(label):
        return None
    m = re.search(rf"[\u4e00-\u9fff]{{{DEFAULT_TAIL_CHARS},}}", printed[len(label):])
    return (m.group(0), len(label) + m.start()) if m else None


def _from_tail(seq: list[Char], text: str, start: int, tail: tuple[str, int]
               ) -> tuple[Anchor, int] | None:
    """A label's place worked back from its printed tail, read exactly: a heavy × over a
    box runs over the label's one character (有) too, while the words after it still
    read. The tail's own characters give the pitch; the label starts `offset` of them
    before it. Returns the anchor and where the search goes on."""
    key, offset = tail
    pos = text.find(key, start)
    if pos < 0:
        return None
    xs = [seq[pos + k][1] for k in range(len(key))]
    pitch = (xs[-1] - xs[0]) / (len(key) - 1)
    return Anchor(xs[0] - offset * pitch, seq[pos][2]), pos + len(key)


def label_anchors(chars: list[Char], labels: list[str],
                  printed: list[str | None] | None = None) -> list[Anchor | None]:
    """Each label's place in the read characters, searched in order left to right.

    A single-character label (有, 无) must be read exactly; a longer one may have a character
    misread (a tick drawn over its first character). A label not read at all is placed by
    the words the form prints after it (`printed`, each option's whole printed text), when
    those were read.
    """
    seq = [c for c in chars if c[0] not in MARKS]
    text = "".join(c[0] for c in seq)
    out: list[Anchor | None] = []
    start = 0
    for i, label in enumerate(labels):
        key = _keys(label)
        hit = None
        if key:
            pos = text.find(key, start)
            if pos >= 0:
                hit = pos
            elif len(key) >= 2:
                best = 0.0
                for j in range(start, len(text)):
                    sm = SequenceMatcher(None, text[j : j + len(key)], key)
                    r = sm.ratio()
                    if r >= DEFAULT_LABEL_RATIO and r > best and text[j] in key:
                        first = sm.get_matching_blocks()[0]  # where the label's start falls
                        best, hit = r, min(len(seq) - 1, max(start, j + first.a - first.b))
        if hit is None:
            tail = _tail(label, printed[i]) if printed else None
            back = _from_tail(seq, text, start, tail) if tail else None
            out.append(back[0] if back else None)
            start = back[1] if back else start
            continue
        out.append(Anchor(seq[hit][1], seq[hit][2]))
        start = hit + len(key)
    return out


def option_boxes(image: np.ndarray, found: list[CheckBox], anchors: list[Anchor | None],
                 scale: PageScale) -> list[CheckBox | None]:
    """One box per option (None where neither label nor box could be placed)."""
    th = scale.text_height
    out: list[CheckBox | None] = []
    for a in anchors:
        if a is None:
            out.append(None)
            continue
        expect = a.x - DEFAULT_BOX_OFFSET * th
        lo, hi = a.x - DEFAULT_WINDOW[0] * th, a.x - DEFAULT_WINDOW[1] * th
        cy = (a.line[1] + a.line[3]) / 2
        near = [b for b in found if lo <= (b.bbox[0] + b.bbox[2]) / 2 <= hi
                and b.bbox[1] <= cy <= b.bbox[3]]
        if near:
            out.append(min(near, key=lambda b: abs((b.bbox[0] + b.bbox[2]) / 2 - expect)))
            continue
        y0, y1 = a.line[1] - 0.5 * th, a.line[3] + 0.5 * th
        window = (round(lo), round(y0), round(hi), round(y1))
        placed = box_in(image, window, scale, expect_x=expect)
        if placed is not None:
            placed = CheckBox(placed.bbox, placed.ticked, min(placed.score, DEFAULT_PLACED_SCORE),
                              placed.fill)
        out.append(placed)
    # A label read but its box not seen (a tick's heavy stroke over its sides): the form
    # prints every box at one distance before its label, so a sibling's box says where.
    known = [(a, b) for a, b in zip(anchors, out, strict=True) if a is not None and b is not None]
    for i, a in enumerate(anchors):
        if a is None or out[i] is not None or not known:
            continue
        ka, kb = min(known, key=lambda ab: abs(ab[0].line[1] - a.line[1]))
        w, h = kb.bbox[2] - kb.bbox[0], kb.bbox[3] - kb.bbox[1]
        cx = a.x - (ka.x - (kb.bbox[0] + kb.bbox[2]) / 2)
        cy = (kb.bbox[1] + kb.bbox[3]) / 2 if abs(ka.line[1] - a.line[1]) < th / 2 \
            else (a.line[1] + a.line[3]) / 2
        box = (round(cx - w / 2), round(cy - h / 2), round(cx + w / 2), round(cy + h / 2))
        judged = box_at(image, box, scale)
        out[i] = CheckBox(judged.bbox, judged.ticked, min(judged.score, DEFAULT_SIBLING_SCORE),
                          judged.fill)
    # Options whose label was not read: a found box between the neighbours' labels.
    for i, a in enumerate(anchors):
        if a is not None or out[i] is not None:
            continue
        left = next((anchors[k].x for k in range(i - 1, -1, -1) if anchors[k]), -np.inf)
        right = next((anchors[k].x for k in range(i + 1, len(anchors)) if anchors[k]), np.inf)
        taken = {b.bbox for b in out if b is not None}
        between = [b for b in found if left < b.bbox[0] and b.bbox[2] < right - 0.35 * th
                   and b.bbox not in taken]
        if between:
            out[i] = min(between, key=lambda b: b.bbox[0])
    return out
