"""Checkbox groups: each box placed by its option's printed label, ticked or not, and the
hand-filled blank an option carries (`有，预算额度____万元`, `其他，____`)."""

from __future__ import annotations

import itertools
import re

from tasksheet.extract.checkbox import CheckBox, box_in, find_checkboxes
from tasksheet.extract.dash import dash_in, past_underline, underline_end
from tasksheet.extract.grid import Cell
from tasksheet.extract.normalize import normalize
from tasksheet.extract.options import DEFAULT_PLACED_SCORE, MARKS, label_anchors, option_boxes
from tasksheet.extract.page_text import RegionText
from tasksheet.readers.work import DEFAULT_GUESSED, BBox, PageWork, is_dash
from tasksheet.schemas.result import OptionMark, SheetResult
from tasksheet.schemas.template import CellField

DEFAULT_DASH_SCORE = 0.9  # a dash found by its shape alone, not read
DEFAULT_BLOTTED = 0.5  # a line's reading under this, no label and no longer: a ✗'s blot


def _attached(raw: str, printed: str) -> str:
    """The hand-filled part of an option's text: what is left of `有，预算额度__20__万元`."""
    t = raw.replace("_", "").replace("□", "").replace("☑", "").replace("■", "")
    head = printed.split("_")[0]
    if "，" in head:  # what follows the printed comma is the filled text
        parts = re.split(r"[，,]", t, maxsplit=1)
        t = parts[1] if len(parts) > 1 else t
    for piece in re.split(r"_+|，", printed):
        if piece:
            t = t.replace(piece, "", 1)
    # the printed comma misread as a full stop or a 、 (a 1-bit scan's blotted ，): what
    # follows it is the fill
    return t.strip("，,。.．、:： ")


def _chars_in(chars: list, seg: BBox, score: float | dict) -> RegionText:
    """The part of a line already read that lies in `seg` (an option's words and blank),
    as sure as the lines it comes from (`score`: one for all, or by line box): another
    option's line read unsure does not make this one's part unsure.

    >>> a, b = (0, 0, 90, 20), (200, 0, 230, 20)
    >>> chars = [("有", 10.0, a), ("额", 50.0, a), ("天", 215.0, b)]
    >>> _chars_in(chars, (0, 0, 100, 20), {a: 0.98, b: 0.32}).score
    0.98
    """
    inside = [c for c in chars if seg[0] <= c[1] < seg[2]]
    if not inside:
        return RegionText("", 1.0, None)
    box = (round(inside[0][1]), inside[0][2][1], round(inside[-1][1]), inside[0][2][3])
    if isinstance(score, dict):
        score = min(score.get(c[2], 1.0) for c in inside)
    return RegionText("".join(c[0] for c in inside), score, box)


def blank_of(w: PageWork, chars: list, printed: str, seg: BBox) -> BBox | None:
    """Where an option's blank is (`有，预算额度____万元`): between the last printed
    character before the underline and the first one after it, as the recogniser placed
    them in `seg`; None when the printed words around it were not read."""
    parts = re.split(r"_+", printed)
    if len(parts) < 2:
        return None
    head, tail = set(parts[0]), parts[1][:1]
    inside = [c for c in chars if seg[0] <= c[1] < seg[2]]
    half = 0.6 * w.scale.text_height
    ends = [i for i, c in enumerate(inside) if c[0] in tail] if tail else []
    stop = ends[-1] if ends else len(inside)
    starts = [i for i, c in enumerate(inside[:stop]) if c[0] in head]
    if not starts:
        return None
    x0 = inside[starts[-1]][1] + half
    x1 = inside[stop][1] - half if stop < len(inside) else seg[2] - half  # off the border
    line = inside[starts[-1]][2]
    if x1 - x0 < w.scale.text_height:
        return None
    return (round(x0), line[1], round(x1), line[3])


def _blank_past_edge(w: PageWork, blank: BBox, cell: Cell) -> BBox:
    """A blank that ends the cell (`其他，____`, no printed word after it) as far as its
    underline runs: where the hand's fill ran on past the table's ruling, the underline was
    drawn on under it, and the fill's last glyphs stand beyond the cell (seed 6143 doc-0002,
    colour: `单位自有资|金`, 金 past the ruling and read off: `单位自有资`). The underline
    is looked for along the line up to the page's edge; the cell's own bottom border ends
    at the ruling."""
    th = w.scale.text_height
    probe = (blank[0], blank[1], w.binary.shape[1], blank[3])
    end = underline_end(w.binary, probe, th)
    if end is None or end <= cell.bbox[2] + 0.5 * th:
        return blank
    return (blank[0], blank[1], end, blank[3])


def _dash_past(chars: list, seg: BBox, end: int | None, raw: str) -> bool:
    """Whether the dash read in an option's segment is written past its blank's underline
    (`extract.dash.past_underline`, `end` where it ends): every dash character the line's
    reading placed there lies past it."""
    xs = [c[1] for c in chars if seg[0] <= c[1] < seg[2] and c[0] in "—–-―‒一"]
    return bool(xs) and past_underline(min(xs), end) and bool(raw)


def _option_boxes(found: list, n: int) -> list:
    """The `n` boxes of a group's options, left to right.

    A look-alike found among the options' printed words sits between two real boxes; each
    real box is followed by its option's label, so the real ones are spread the widest.
    """
    found = sorted(found, key=lambda b: b.bbox[0])
    if len(found) <= n:
        return found

    def spread(combo: tuple) -> tuple[float, float]:
        gaps = [b.bbox[0] - a.bbox[0] for a, b in itertools.pairwise(combo)]
        return (min(gaps, default=0.0), sum(b.score for b in combo))

    return list(max(itertools.combinations(found, n), key=spread))


def _in_unread_lines(w: PageWork, cell: Cell, boxes: list, labels: list[str]) -> list:
    """Options neither label nor shape placed, looked for at the start of the cell's lines
    that read as nothing: a heavy ✗ over a box and its one-character label (`☒无`) leaves
    the recogniser nothing to read and the shape finder no outline to see, or a glyph it
    reads unsure (`天` at 0.32: print it reads surely), or two (`ZG`: box and label, each a
    glyph), that are none of the labels. On a line no
    longer than box and label, the box ends where the label begins, counted from the
    line's end (the ✗'s arms reach out left of the box)."""
    if w.text.words is not None:
        return boxes
    lines = w.text.lines(cell.bbox)
    most = max(len(label) for label in labels) + 1  # the box is a glyph too (`ZG`: seed 733)
    unread = [ln for ln, (t, sc) in zip(lines, w.text.read_line_boxes(lines), strict=True)
              if not (rest := "".join(c for c in t if c not in MARKS and c not in "Xx "))  # ✗ read X
              or (sc < DEFAULT_BLOTTED and len(rest) <= most and rest not in labels)]
    th = w.scale.text_height
    out = list(boxes)
    for i, box in enumerate(out):
        if box is not None:
            continue
        left = max((b.bbox[2] for b in out[:i] if b is not None), default=cell.bbox[0])
        right = min((b.bbox[0] for b in out[i + 1:] if b is not None), default=cell.bbox[2])
        for ln in sorted(unread):
            if not left <= ln[0] < right:
                continue
            n = len(labels[i])
            short = ln[2] - ln[0] <= (n + 2.5) * th
            expect = ln[2] - (n + 0.6) * th if short else ln[0] + 0.6 * th
            window = (round(ln[0] - 0.3 * th), round(ln[1] - 0.3 * th),
                      round(min(ln[2], expect + 0.8 * th)), round(ln[3] + 0.3 * th))
            found = box_in(w.page.image, window, w.scale, expect_x=expect)
            if found is not None:
                out[i] = CheckBox(found.bbox, found.ticked, min(found.score, DEFAULT_PLACED_SCORE),
                                  found.fill)
                unread.remove(ln)
                break
    return out


def read_checkboxes(w: PageWork, cell: Cell, spec: CellField, result: SheetResult,
                    text: RegionText | None = None) -> None:
    """A group's options: each box found by its printed label, else by shape alone.

    `text` is the cell as already read (with its characters' places), when it was."""
    found = find_checkboxes(w.page.image, region=cell.bbox, scale=w.scale)
    chars = list(text.chars) if text is not None and text.chars else w.text.chars(cell.bbox)
    anchors = label_anchors(chars, [o.label for o in spec.options],
                            [o.printed for o in spec.options])
    placed = option_boxes(w.page.image, found, anchors, w.scale) if any(anchors) else []
    by_shape = _option_boxes(found, len(spec.options))
    if all(anchors) or sum(b is not None for b in placed) >= len(by_shape):
        boxes = placed
    else:  # labels not read: the found boxes, look-alikes weeded out by their spacing
        boxes = list(by_shape)
    boxes += [None] * (len(spec.options) - len(boxes))
    if None in boxes:
        boxes = _in_unread_lines(w, cell, boxes, [o.label for o in spec.options])
    marks = [OptionMark(label=o.label, ticked=b.ticked, score=b.score,
                        bbox=w.page.to_scan(b.bbox))
             for o, b in zip(spec.options, boxes, strict=True) if b is not None]
    score = min((m.score for m in marks), default=0.0)
    if len(marks) < len(spec.options):
        score = min(score, 0.3)
    ticked = [m.label for m in marks if m.ticked]
    result.readings[spec.id] = w.reading(" ".join(f"[{'x' if m.ticked else ' '}]{m.label}" for m in marks),
                                         ticked, score, cell.bbox, options=marks)
    segments = []
    for k, (opt, box) in enumerate(zip(spec.options, boxes, strict=True)):
        if not opt.attach or box is None:
            continue
        nxt = next((b for b in boxes[k + 1:] if b is not None), None)
        right = nxt.bbox[0] if nxt is not None else cell.bbox[2]
        seg = (box.bbox[2], cell.bbox[1], right, cell.bbox[3])
        blank = blank_of(w, chars, opt.text, seg)
        if blank is not None and nxt is None and opt.text.endswith("_"):
            blank = _blank_past_edge(w, blank, cell)
        segments.append((opt, seg, blank))
    if not segments:
        return
    fills = w.text.read_fills([b for _, _, b in segments if b is not None])
    line_score = {b: sc for b, _, sc in text.lines} if text is not None and text.chars \
        else 1.0
    for opt, seg, blank in segments:
        part = _chars_in(chars, seg, line_score) if chars \
            else w.text.read([seg], skip_empty=False)[0]
        raw = _attached(part.text, opt.text)
        score = part.score
        if blank is not None:  # the blank alone, read on its own: a lone "7" on a long
            fill = fills.pop(0)  # underline is lost in the whole line's reading
            th = w.scale.text_height
            # a lone flat stroke is the form's "—", whatever the recogniser makes of it (a
            # pen's slanted dash reads as 1) or whether it saw it at all
            # one past the underline's end is rule 4's — for the whole group, written
            # after its options (`extract.dash.past_underline`), not the blank's
            end = underline_end(w.binary, blank, th)
            dash = dash_in(w.binary, (blank[0], blank[1] - 0.3 * th, blank[2],
                                      blank[3] + 0.4 * th), th, grey=w.ink, end=end)
            if dash is not None:
                raw, score, part = "—", DEFAULT_DASH_SCORE, RegionText("—", 1.0, dash)
            elif fill is not None and re.search(r"[0-9A-Za-z\u4e00-\u9fff]", fill.text):  # not a speck
                raw, score, part = _attached(fill.text, "_"), fill.score, fill
        if re.fullmatch(r"[二一=＝]", raw.strip()):
            raw = "—"  # the form's "—" written on the blank's underline reads as 二 (or 一)
        if is_dash(raw) and blank is not None and _dash_past(chars, seg, end, raw):
            raw, part = "", RegionText("", 1.0, None)  # the group's —, past the blank
        if is_dash(raw):
            result.readings[f"{spec.id}.{opt.attach}"] = w.reading(raw, "—", score,
                                                                  part.bbox or seg)
            continue
        if opt.attach == "amount_wan":  # an amount has digits; the rest is print read in part
            value = normalize("amount_wan", raw) if re.search(r"\d", raw) else None
            if value is None and raw:  # something is written there, but not a number we read
                score = min(score, DEFAULT_GUESSED)
        else:
            value = normalize("text", raw) if raw else None
        result.readings[f"{spec.id}.{opt.attach}"] = w.reading(raw or None, value, score,
                                                              part.bbox or seg)
