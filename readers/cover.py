"""Labelled lines outside any table (the cover): a value after its label, on an underlined
blank right of it, or beside a label wrapped over two lines; a value inside a printed line
(`二O一八年  5  月`)."""

from __future__ import annotations

import re

import cv2
import numpy as np
from tasksheet.extract.normalize import normalize, simplified
from tasksheet.extract.page_text import RegionText, clean, similarity
from tasksheet.readers.checkboxes import blank_of
from tasksheet.readers.work import SPECKS, PageWork, rows_of_lines, union
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import Template

DEFAULT_LABEL_MATCH = 0.7
DEFAULT_RULE_REACH = 1.0  # × text height: ink running on this far past a line's box is a rule's
DEFAULT_RULE_INK = 0.9  # share of a line box's ink in such strokes: a ruling read as text


def _alike(text: str, lookalikes: dict[str, str]) -> str:
    """The template's look-alike characters made one (二O一八 printed with O, 0 or 〇);
    one character for one, so positions in the text keep."""
    return "".join(lookalikes.get(c, c) for c in text)


def read_lines(w: PageWork, template: Template, result: SheetResult,
               specs: list | None = None) -> None:
    """The cover's labelled lines: a value after its label on the line, on an underlined
    blank right of it (often a little lower), or beside a label wrapped over two lines
    (`项目名` / `称：`): what lies right of the label, down to the next label.

    A label is looked for on every line of a row, not only its first: whatever lies left of
    it in the margin (a punched hole read `O`) is no part of it."""
    h, wd = w.binary.shape
    y0, y1 = w.band or (0, h)
    page_text = w.text.read([(0, y0, wd, y1)], skip_empty=False)[0]
    rows = [r for r in (_from_first_word(row) for row in rows_of_lines(list(page_text.lines)))
            if r]
    anchors = {}
    for spec in (template.lines if specs is None else specs):
        if spec.until:
            _read_until(w, spec, rows, page_text, result, template.lookalikes)
            continue
        scored = [(_label_score(row[i][1], spec.label), row[i:]) for row in rows
                  for i in range(len(row))]
        score, row = max(scored, key=lambda sr: sr[0], default=(0.0, None))
        if row is None or score < DEFAULT_LABEL_MATCH:
            result.readings[spec.id] = w.reading(None, None, 0.0, None)
        else:
            anchors[spec.id] = (spec, row)
    tops = sorted(row[0][0][1] for _, row in anchors.values())
    th = w.scale.text_height
    for spec, row in anchors.values():
        first = row[0]
        label = first[0]
        lh = label[3] - label[1]
        text = clean(simplified(first[1]))  # a brush hand's line may come back as 承接單位
        wrapped = _wrapped_head(first[1], spec.label)
        if text.startswith(clean(spec.label)) and len(text) > len(clean(spec.label)):
            parts = re.split(r"[:：]", first[1], maxsplit=1)
            head = parts[1] if len(parts) > 1 else first[1][len(spec.label):]
            value_lines = [(label, head, first[2]), *row[1:]]
        elif wrapped:
            value_lines = [(label, wrapped, first[2]), *row[1:]]
        else:
            below = [t for t in tops if t > label[1] + lh / 2]
            y_hi = (below[0] - 0.2 * lh) if below else label[3] + 2 * lh
            value_lines = [ln for ln in page_text.lines if ln[0][0] >= label[2] - th / 2
                           and label[1] - lh / 2 <= (ln[0][1] + ln[0][3]) / 2 < y_hi]
            value_lines += _after_wrapped_label(page_text.lines, spec.label, first, y_hi, th)
        value_lines = [ln for ln in value_lines if not _rule_piece(w.binary, ln, th)]
        raw = "".join(t for _, t, _ in value_lines).strip(SPECKS)
        if not value_lines or not raw:
            result.readings[spec.id] = w.reading(None, None, first[2], label)
            continue
        bbox = union([b for b, _, _ in value_lines])
        score = min(s for _, _, s in value_lines)
        result.readings[spec.id] = w.reading(raw, normalize(spec.type, raw), score, bbox)


def _from_first_word(row: list) -> list:
    """A row from its first line that holds a letter, a digit or a character: a punched
    hole or a speck in the margin left of a label (read `●`) is no label, and a label is
    matched against its row's first line (re-captured example wp-01, colour: `●` before
    `承接单`, the undertaking unit's label lost and its value read as the commissioning
    unit's, two blanks in one).

    >>> _from_first_word([((14, 820, 56, 861), "●", 0.5), ((425, 833, 539, 866), "承接单", 0.9)])
    [((425, 833, 539, 866), '承接单', 0.9)]
    """
    first = next((i for i, (_, t, _) in enumerate(row) if any(c.isalnum() for c in t)), len(row))
    return row[first:]


def _rule_piece(binary: np.ndarray, line: tuple, th: float) -> bool:
    """Whether a line box's ink is a ruling's, not writing: nearly all of it belongs to
    strokes running on well past the box (more than `DEFAULT_RULE_REACH` text heights):
    the corner of a cover laid out as a table, its rules turned against the text, read as
    `1` right of the last value (seed 8527 doc-0010). A value's glyphs end inside their
    box; one touching its underline keeps the ink of its other strokes.

    >>> img = np.zeros((200, 400), np.uint8)
    >>> img[150, 20:380] = 255; img[20:151, 379] = 255   # a table's corner
    >>> img[60:100, 40:44] = 255                         # a written `1`
    >>> _rule_piece(img, ((340, 130, 390, 160), "1", 0.2), 45.0)
    True
    >>> _rule_piece(img, ((30, 55, 60, 105), "1", 0.9), 45.0)
    False
    """
    (x0, y0, x1, y1), _, _ = line
    reach = int(DEFAULT_RULE_REACH * th)
    ox, oy = max(0, x0 - reach), max(0, y0 - reach)
    window = (binary[oy:y1 + reach, ox:x1 + reach] > 0).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(window, connectivity=8)
    inside = labels[y0 - oy:y1 - oy, x0 - ox:x1 - ox]
    counts = np.bincount(inside.ravel(), minlength=n)
    ink = int(counts[1:].sum())
    if ink == 0:
        return False
    bx0, by0, bx1, by1 = x0 - ox, y0 - oy, x1 - ox, y1 - oy
    far = 0
    for k in np.flatnonzero(counts[1:]) + 1:
        cx, cy, cw, ch = stats[k, :4]
        if max(bx0 - cx, cx + cw - bx1, by0 - cy, cy + ch - by1) >= reach - 1:
            far += int(counts[k])
    return far >= DEFAULT_RULE_INK * ink


def _after_wrapped_label(lines: list, label: str, first: tuple, y_hi: float, th: float
                         ) -> list:
    """The rest of a label wrapped over two lines (`位：` of `协调单` / `位：`) read in one box
    with the value after it, when a speck or a narrow gap joins them (`位：成都市科学技术协会`):
    the part after the rest, its box cut in proportion.

    >>> _after_wrapped_label([((430, 60, 930, 100), "位：.成都市科协", 0.99)], "协调单位：",
    ...                      ((388, 10, 511, 50), "协调单", 0.99), 200, 40)
    [((555, 60, 930, 100), '.成都市科协', 0.99)]
    """
    box = first[0]
    rest = clean(label)[len(clean(first[1])):]
    if not rest or not clean(label).startswith(clean(first[1])):
        return []
    out = []
    for b, t, s in lines:
        if b[0] >= box[2] - th / 2 or not box[3] - (box[3] - box[1]) / 2 <= (b[1] + b[3]) / 2 < y_hi:
            continue
        seen, cut = "", None
        for i, c in enumerate(t):  # the rest's characters as read, then its colon
            if clean(seen) == rest:
                cut = i + (1 if c in ":：" else 0)
                break
            seen += c
        if cut is None or not clean(t[cut:]):
            continue
        x0 = b[0] + (b[2] - b[0]) * cut // len(t)
        out.append(((x0, b[1], b[2], b[3]), t[cut:], s))
    return out


def _label_prefix(read: str, label: str) -> int:
    """How many characters of `label` (cleaned) the line's text starts with, when that is
    more than half the label and less than all of it: a label wrapped over two lines
    (`承接单` / `位：`) whose first part was read as one line with the value beside the
    wrap (`承接单成都市软件行业协会`, the `位：` under it lost), else 0."""
    t, lab = clean(simplified(read)), clean(label)
    n = next((k for k in range(len(lab), 0, -1) if t.startswith(lab[:k])), 0)
    return n if 2 * n > len(lab) and len(lab) > n and len(t) > n else 0


def _wrapped_head(read: str, label: str) -> str:
    """The value after a wrapped label's first part read on its line (`_label_prefix`),
    or "" (the whole label read, or its part alone).

    >>> _wrapped_head("承接单成都市软件行业协会", "承接单位：")
    '成都市软件行业协会'
    >>> _wrapped_head("承接单", "承接单位："), _wrapped_head("承接单位：成都", "承接单位：")
    ('', '')
    """
    n = _label_prefix(read, label)
    if not n:
        return ""
    seen, i = 0, 0
    while i < len(read) and seen < n:  # past the prefix's characters as read
        seen += bool(clean(read[i]))
        i += 1
    return read[i:].lstrip(SPECKS + ":：")


def _label_score(read: str, label: str) -> float:
    """How well a line's text starts as `label`: whole, or its first part when the label
    wraps in a narrow column (`项目名` of `项目名称：`). Read in traditional characters (a brush
    hand's line: `承接單位：成都市體育科學學會`), it is compared simplified.

    >>> _label_score("承接單位：成都市體育科學學會", "承接单位：")
    1.0
    """
    read = simplified(read)
    t, lab = clean(read), clean(label)
    if not t or not lab:
        return 0.0
    if t.startswith(lab):
        return 1.0
    if len(t) >= 2 and len(t) < len(lab) and lab.startswith(t):
        return 0.9 * len(t) / len(lab) + 0.1
    if n := _label_prefix(read, label):  # the wrapped label's first part, then the value
        return 0.9 * n / len(lab) + 0.1
    return similarity(read[: len(label) + 1], label)


def _read_until(w: PageWork, spec, rows: list, page_text: RegionText,
                result: SheetResult, lookalikes: dict[str, str]) -> None:
    """A value inside a printed line, before `until` (`二O一八年  5  月`). The line's first
    glyphs may be lost in its reading (`一八年7月`: `二〇` dropped on seed 8527 doc-0005's
    cover): the label's longest tail found, of at least half of it, marks the value."""
    label = _alike(spec.label, lookalikes)
    found = None
    for cut in range(0, len(label) - max(2, -(-len(label) // 2)) + 1):
        tail = label[cut:]
        found = next(((row, tail) for row in rows
                      if tail in (j := _alike("".join(t for _, t, _ in row), lookalikes))
                      and spec.until in j.split(tail, 1)[1]), None)
        if found is not None:
            break
    if found is None:
        result.readings[spec.id] = w.reading(None, None, 0.0, None)
        return
    best, tail = found
    joined = "".join(t for _, t, _ in best)
    # the swap keeps lengths: find the label in it, slice the text as read
    start = _alike(joined, lookalikes).index(tail) + len(tail)
    raw = joined[start:].split(spec.until, 1)[0].strip("_ ")
    if not raw:  # a lone "7" between wide gaps is lost in the line's reading
        raw = _fill_between(w, page_text.chars, best, spec.label[-1], spec.until) or raw
    boxes = [b for b, _, _ in best]
    value_boxes = boxes[1:] if len(boxes) > 1 else boxes
    score = min(s for _, _, s in best)
    result.readings[spec.id] = w.reading(raw, normalize(spec.type, raw), score,
                                         union(value_boxes))


def _fill_between(w: PageWork, chars, row, before: str, after: str) -> str:
    """What is written between two printed characters of a row (`年 __ 月`), read alone."""
    lines = {b for b, _, _ in row}
    blank = blank_of(w, [c for c in chars if c[2] in lines], f"{before}_{after}",
                      union(list(lines)))
    fill = w.text.read_fills([blank])[0] if blank is not None else None
    return fill.text.strip("_ ") if fill is not None else ""
