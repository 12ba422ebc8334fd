"""Opinion blocks (section 五): each a cell starting with its party's label, holding the
opinion text, the signature line, the seal place and the date, found by their printed cues."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import replace

import cv2
import numpy as np
from tasksheet.extract.grid import Cell
from tasksheet.extract.ink import blue_mask, clip_box, is_grayscale
from tasksheet.extract.normalize import misread, month_lost, normalize, parse_date
from tasksheet.extract.page_text import (
    DEFAULT_PAD,
    PageText,
    RegionText,
    boxes_meet,
    clean,
    similarity,
)
from tasksheet.extract.seal import DEFAULT_MAX_RADIUS_TH, Seal, find_seals, read_seal_unit
from tasksheet.extract.seal_shape import ring_band, seal_marks
from tasksheet.extract.signature import DEFAULT_MIN_INK_TH2, SignatureResult, detect_signature
from tasksheet.readers.work import (
    DEFAULT_GUESSED,
    BBox,
    PageWork,
    overlaps,
    row_box,
    rows_of_lines,
    union,
)
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import Template

# what parse_date gives for a date read whole: ISO, or as written when it cannot exist (2月30日)
_WHOLE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2}")


DEFAULT_YEAR_SPAN = 5  # a year read this far from the form's is taken as misread


DEFAULT_STRAY_SCORE = 0.8


DEFAULT_LABEL_HEAD = 4  # first characters of a block label that name its party (项目承接)
DEFAULT_LABEL_LINES = 3  # an opinion block's label is among its first lines
DEFAULT_LABEL_CELL = 2.0  # × text height: the least height of a cell a block's label heads
DEFAULT_SEAL_CELL = 4.0  # × text height: the shortest cell a seal is looked for in alone
# share of a seal's ring (its score: the rays meeting it) it is found with more round the
# cells than in its own, from which its cell's rules cut it there: the whole one is taken
DEFAULT_CUT_RING = 0.1
# CTC probability per character (`engine.score`) a date row read again under a black ring
# must say its date with: a printed 年/月/日 put back surely shows, a wrong split does not
DEFAULT_DATE_VERIFY = 0.5
# share of a date's own score the same row gives it with a `1` put back under the ring, from
# which the two cannot be told apart
DEFAULT_ONE_SHARE = 0.5
DEFAULT_STRIP = 0.45  # × radius each side of a seal's centre: arc text never runs there ...
DEFAULT_STRIP_TOP = 0.6  # ... below this far above the centre (× radius)
DEFAULT_ROW_INK = 0.5  # × text height: ink pixels a row of the strip holds in a line of print
DEFAULT_GAP_DARK = 0.75  # × the paper's tone: darker is print or pen (a seal's tint is paler)
DEFAULT_GAP_RING = 3.0  # strokes: the least width of a seal's ring set aside across the gaps
DEFAULT_GAP_INK = 0.5  # × stroke × text height: less ink than half a digit's upright stroke
DEFAULT_UNDATED = 0.8  # confidence of a date place seen empty under a block seen whole
DEFAULT_UNDATED_ROOM = 1.5  # × text height: room below the seal label for a date row
DEFAULT_ARC_INNER = 0.5  # × radius: a seal's arc text runs from here out to its ring
DEFAULT_HIDDEN_WIDTH = 0.5  # × text height: a digit's width, hidden under a seal's mark
DEFAULT_HIDDEN_SHARE = 0.5  # of a row's height a seal's mark covers in a column hiding it
DEFAULT_ROW_LINES = (0.4, 2.0)  # × text height: the heights of a band that is a line of print
DEFAULT_SIG_ABOVE = 4.0  # × text height over the signature label a name written above it reaches
DEFAULT_SIG_LEFT = 1.0  # × text height left of the label's start a name above it may begin
DEFAULT_OPINION_INDENT = 3.0  # × text height: an opinion's lines start this near the cell's left
DEFAULT_LABEL_ALIGN = 3.0  # × text height: a block's printed lines below the opinion start this near
DEFAULT_RINGED_SURE = 0.8  # a date under a grey ring, scored alone as scanned, this surely
DEFAULT_TWO_LINES = 1.6  # × text height: a line box taller holds more than one line of print


def read_opinions(works: list[PageWork], template: Template, engine, result: SheetResult) -> None:
    """Every block of section 五, in the flow's order.

    A block starts at a cell carrying its party's label. A block cut over two pages (its
    label and opinion at the foot of one, signature, seal and date at the top of the next),
    or laid out as several rows, goes on in the cells after it that carry no party label:
    what its head lacks (signature, seal, date) is taken from them.
    """
    blocks = {b.party: b for b in template.opinions.blocks}
    party = None
    for w in works:
        cells = sorted((c for g in w.grids for c in g.cells), key=lambda c: (c.bbox[1], c.bbox[0]))
        seals = _cell_seals(w, cells)
        stamped = [s for found in seals.values() for s in found]  # every seal of the page
        for found in seals.values():
            for seal in found:
                if seal.color == "grey":
                    w.text.drop_pale_ink(seal.bbox)
        texts = w.text.read([c.bbox for c in cells])
        # a black ring (a 1-bit page) joins the print inside it into one blob: those cells
        # are read with the seal's ring and star set to paper
        black = [s for found in seals.values() for s in found if s.color == "black"]
        bare = _without_seals(w, black) if black else None
        # a cell the ring reaches into but whose seal is centred in another is joined too
        # (a block laid out as rows, its seal centred in the date row: the labels' row above
        # read empty, its signature missed, seed 6143 doc-0011)
        ringed = [i for i, c in enumerate(cells) if any(_meets_disc(c.bbox, s) for s in black)]
        if bare is not None and ringed:
            for i, t in zip(ringed, bare.read([cells[i].bbox for i in ringed]), strict=True):
                rings = [s for s in black if _meets_disc(cells[i].bbox, s)]
                texts[i] = _with_seal_rows(bare, cells[i].bbox, rings, t, _cues(template))
        for cell, text in zip(cells, texts, strict=True):
            if _block_label(text, blocks) is None:
                # a label read as one line with the opinion tight under it, and lost: parted
                # (`_label_line_parted`), the block of a party after the last one read starts
                parted, again = _label_line_parted(w, cell, text, None, blocks)
                if again is not None and _after(template, party, again[1]):
                    text = parted
            parts = _blocks_in(cell, text, blocks, party, seals.get(cell, []), template)
            if len(parts) > 1:  # 五 laid out as one cell: each party's block under its label
                for sub, part, label in parts:
                    inside = [s for s in seals.get(cell, []) if _within(s.center, sub.bbox)]
                    if label is None:  # the block before the cell's first label goes on
                        _read_on(w, sub, part, blocks[party], engine, result, inside,
                                 template, bare, stamped)
                        continue
                    party = label
                    # the opinion written tight under its label is one line with it here
                    # too (seed 5417 doc-0011: `项目协调单位加强指导和督促。`, read empty)
                    part, _ = _label_line_parted(w, sub, part, (0, label), blocks)
                    _read_opinion(w, sub, part, blocks[party], engine, result, inside,
                                  template, bare, stamped)
                continue
            found = _block_label(text, blocks)
            if found is None:
                again = _label_under_rule(w, cell, text, blocks)
                if again is not None:
                    text, found = again
            if found is None and party != template.opinions.blocks[-1].party:
                rings = [s for s in seals.get(cell, []) if s.color == "black"]
                src = bare if rings and bare is not None else w.text
                again = _label_bridged(src, cell, blocks, rings, _cues(template))
                raised = _raised(w, cell) if again is None else None
                if raised is not None:
                    # both: the label tight under the rule, the opinion under it bridged to
                    # a black seal's arc (the re-captured wp-05, 1-bit: a block lost whole)
                    again = _label_bridged(src, cell, blocks, rings, _cues(template), raised)
                if again is not None:
                    text, found = again
            if found is not None:
                text, found = _label_line_parted(w, cell, text, found, blocks)
            if found is not None:
                k, party = found
                text = RegionText(text.text, text.score, text.bbox, text.lines[k:])
                _read_opinion(w, cell, text, blocks[party], engine, result,
                              seals.get(cell, []), template, bare, stamped)
            elif party is not None and (seals.get(cell) or _holds_cue(text, template)):
                _read_on(w, cell, text, blocks[party], engine, result, seals.get(cell, []),
                         template, bare, stamped)


def _label_line_parted(w: PageWork, cell: Cell, text: RegionText,
                       found: tuple[int, str] | None, blocks: dict
                       ) -> tuple[RegionText, tuple[int, str] | None]:
    """The cell read as two regions parted under its label, when the label's line box is
    two lines of print tall (`DEFAULT_TWO_LINES`): the opinion written tight under the label
    (its first characters' tops touching the label's foot) was found as one line with it,
    and read as one it lost its words (seed 9857 doc-0005: `项目协调单位做好协调服务工作。`,
    the opinion read empty). With no label found (`found` None), the cell's first line is
    the one tried: so read, the label itself lost its words (seed 6143 doc-0023, 1-bit:
    `项目承单位保证按期完成试点任务。`, the undertaking block no one's).

    The parting is a row of little ink a text height's reach from either edge of the box
    (a label is one line of print). Inside a line of print are such rows too (between a
    glyph's strokes): the least inked few (`_parting_rows`) are tried, and the reading
    taken is the one that finds the label again and reads surest either side of the cut,
    but never one whose part under the cut starts where the label does, with a character
    of the label's (a cut through the label's foot reads its remains as the opinion's
    start, `项口同意。`; the opinion is set in from the label)."""
    k = 0 if found is None else found[0]
    if k >= len(text.lines):
        return text, found
    box = text.lines[k][0]
    th = w.scale.text_height
    if box[3] - box[1] <= DEFAULT_TWO_LINES * th:
        return text, found
    lo, hi = box[1] + round(0.6 * th), box[3] - round(0.6 * th)
    if hi <= lo:
        return text, found
    rows = (w.binary[lo:hi, box[0]:box[2]] > 0).sum(axis=1)
    x0, y0, x1, y1 = cell.bbox
    best, best_score = (text, found), -1.0
    for cut in _parting_rows(rows, lo, th):
        top, bottom = w.text.read([(x0, y0, x1, cut), (x0, cut, x1, y1)])
        # the line's pieces either side of the cut take its place; the cell's other lines
        # stay as read (a black seal's rows read with its ring set to paper among them)
        ups = [ln for ln in top.lines if _in_line(ln[0], box)]
        downs = [ln for ln in bottom.lines if _in_line(ln[0], box)]
        if not ups or not downs:
            continue
        lines = (*text.lines[:k], *ups, *downs, *text.lines[k + 1:])
        parted = RegionText("".join(t for _, t, _ in lines), min(sc for _, _, sc in lines),
                            text.bbox, lines)
        again = _block_label(parted, blocks)
        if again is None or (found is not None and again[1] != found[1]):
            continue
        # the label's foot left under the cut reads as the opinion's first characters
        # (`项口同意。`: a glyph of the label's own, before the opinion)
        first = clean(downs[0][1])[:1]
        if first and first in clean(blocks[again[1]].label) and \
                abs(downs[0][0][0] - ups[-1][0][0]) < th:
            continue
        score = min(ups[-1][2], downs[0][2])
        if score > best_score:
            best, best_score = (parted, again), score
    return best


def _in_line(piece: BBox, box: BBox) -> bool:
    """Whether a line read in part of a region lies in the line box `box` (its middle
    within the box's rows, and reaching into its columns)."""
    mid = (piece[1] + piece[3]) / 2
    return box[1] <= mid <= box[3] and min(piece[2], box[2]) > max(piece[0], box[0])


DEFAULT_PARTINGS = 3  # rows of least ink tried as a label's foot
DEFAULT_PARTING_APART = 0.2  # × text height: partings tried are this far apart at least


def _parting_rows(rows: np.ndarray, lo: int, th: float) -> list[int]:
    """The rows (page rows, from `lo`) of least ink, each `DEFAULT_PARTING_APART` text
    heights from those before it, the least first.

    >>> _parting_rows(np.array([9, 3, 4, 8, 8, 8, 5, 9, 2]), 100, 10.0)
    [108, 101, 106]
    """
    out: list[int] = []
    for i in np.argsort(rows, kind="stable"):
        y = lo + int(i)
        if all(abs(y - o) >= DEFAULT_PARTING_APART * th for o in out):
            out.append(y)
        if len(out) == DEFAULT_PARTINGS:
            break
    return out


def _after(template: Template, before: str | None, party: str) -> bool:
    """Whether `party`'s block comes after `before`'s in the form (any, after none)."""
    order = [b.party for b in template.opinions.blocks]
    return before is None or order.index(before) < order.index(party)


def _label_under_rule(w: PageWork, cell: Cell, text: RegionText, blocks: dict
                      ) -> tuple[RegionText, tuple[int, str]] | None:
    """The cell read again from just under its top rule, when its party label was not found
    but ink lies in the band a cell's lines are looked for below (`PageText.lines` keeps
    off a cell's rules by twice their thickness): a label printed tight under the rule, its
    line tilted against the table (the word-processor example wp-04, scanned again turned
    2°), reaches into that band, is cut, and the block was read as no one's. Only the top
    comes nearer, to a rule's thickness; the reading is taken only if it finds the label."""
    raised = _raised(w, cell)
    if raised is None:
        return None
    again = w.text.read([raised])[0]
    found = _block_label(again, blocks)
    if found is None:
        return None
    return replace(again, bbox=text.bbox), found


def _raised(w: PageWork, cell: Cell) -> BBox | None:
    """The cell with its top raised by the band under its rule where a cell's lines are not
    looked for (`_label_under_rule`), when that band holds ink; else None."""
    x0, y0, x1, y1 = cell.bbox
    lt = w.text.line_thickness
    near, far = y0 + int(lt + 1), y0 + int(lt * 2 + 2)
    band = w.text.binary[near:far, x0 + int(lt * 2 + 2):x1 - int(lt * 2 + 2)]
    if band.size == 0 or not band.any() or y1 - y0 < DEFAULT_LABEL_CELL * w.scale.text_height:
        return None
    return x0, y0 - (far - near), x1, y1


def _label_bridged(t: PageText, cell: Cell, blocks: dict, rings: list[Seal], cues: str,
                   box: BBox | None = None) -> tuple[RegionText, tuple[int, str]] | None:
    """The cell read again with lines bridged by a black seal's arc parted
    (`find_text_lines(bridged=True)`), when its party label was not found: on a 1-bit page
    a block's label, its opinion set close under it and the seal's arc text touching the
    opinion's end are one blob five lines tall, and no line of it was read (the re-captured
    wp-03, 1-bit: the undertaking block was no one's). Taken only if it finds the label.
    `box`: the cell read from higher (`_raised`: a label tight under the rule as well)."""
    again = PageText(t.ink, t.binary, t.text_height, t.line_thickness, t.engine,
                     words=t.words, image=t.image)
    again.bridged = True
    text = again.read([box or cell.bbox])[0]
    if rings:
        text = _with_seal_rows(again, cell.bbox, rings, text, cues)
    found = _block_label(text, blocks)
    return None if found is None else (replace(text, bbox=text.bbox if box is None else
                                               cell.bbox), found)


def _read_on(w: PageWork, cell: Cell, text: RegionText, block, engine, result: SheetResult,
             seals: list[Seal], template: Template, bare: PageText | None,
             others: list[Seal] | None = None) -> None:
    """A block going on in `cell` (below a rule, or over a page): what its head lacks
    (signature, seal, date) is taken from it (`_keep_head`)."""
    head = {k: r for k, r in result.readings.items() if k.startswith(f"opinions.{block.party}.")}
    _read_opinion(w, cell, text, block, engine, result, seals, template, bare, others)
    _keep_head(result, head)


def _cell_seals(w: PageWork, cells: list[Cell]) -> dict[Cell, list[Seal]]:
    """The seals of the page's cells, each the cell's that holds its centre (the block
    whose area it was stamped on). Each cell a seal fits in is searched; but a seal is
    often stamped over a rule, into the cell below (over the date) or across the rows a
    block is split into, and in one cell it is cut and missed. So the page is searched
    once more round all its cells, as far out as the largest seal the finder takes: a
    seal found there and not in its cell is added to the cell."""
    th = w.scale.text_height
    out = {c: find_seals(w.page.image, region=c.bbox, text_height=th)
           for c in cells if c.bbox[3] - c.bbox[1] > DEFAULT_SEAL_CELL * th}
    if not cells:
        return out
    reach = int(DEFAULT_MAX_RADIUS_TH * th)
    box = union([c.bbox for c in cells])
    region = (box[0] - reach, box[1] - reach, box[2] + reach, box[3] + reach)
    for seal in find_seals(w.page.image, region=region, text_height=th):
        cell = _holder(seal.center, cells, th)
        if cell is None:
            continue
        kept = out.setdefault(cell, [])
        same = [i for i, s in enumerate(kept) if _same_seal(seal, s)]
        if not same:
            kept.append(seal)
        elif seal.score >= kept[same[0]].score + DEFAULT_CUT_RING:
            kept[same[0]] = seal  # its ring cut by the cell's rules: found whole round them
    return {c: ss for c, ss in out.items() if ss}


def _holder(point: tuple[float, float], cells: list[Cell], th: float) -> Cell | None:
    """The cell holding a seal's centre; else, a centre on a rule (the grid's cells leave
    their rules out, and a seal stamped over the date is often centred on the rule above
    it), the nearest cell within a text height."""
    inside = next((c for c in cells if _within(point, c.bbox)), None)
    if inside is not None:
        return inside

    def gap(c: Cell) -> float:
        x0, y0, x1, y1 = c.bbox
        return math.hypot(max(x0 - point[0], 0.0, point[0] - x1 + 1),
                          max(y0 - point[1], 0.0, point[1] - y1 + 1))

    near = min(cells, key=gap, default=None)
    return near if near is not None and gap(near) <= th else None


def _same_seal(a: Seal, b: Seal) -> bool:
    """Two findings of one seal: each centre inside the other's ring."""
    return math.dist(a.center, b.center) < min(a.radius, b.radius)


def _without_seals(w: PageWork, seals: list[Seal]) -> PageText:
    """The page's text reader with the black seals' own marks (ring, star) set to paper
    (`extract.seal_shape.seal_marks`): what a red seal's colour gives a colour page.

    Made from the page as measured (`w.ink`), not the reader's: inside a grey seal the
    reader keeps only ink darker than the seal's (`PageText.drop_pale_ink`), and a pale
    print (fresh seed 5209 doc-0007, a grey scan: `月03日` of a date as grey as the ring)
    went with it; with the ring itself set to paper it is read again."""
    ink, binary = w.ink.copy(), w.binary.copy()
    h, wd = ink.shape[:2]
    for s in seals:
        pad = int(s.ring) + 2
        box = (max(0, s.bbox[0] - pad), max(0, s.bbox[1] - pad),
               min(wd, s.bbox[2] + pad), min(h, s.bbox[3] + pad))
        marks = seal_marks(binary, box, s.center, s.radius, s.ring, w.scale.stroke)
        x0, y0, x1, y1 = box
        ink[y0:y1, x0:x1][marks] = 255
        binary[y0:y1, x0:x1][marks] = 0
    t = w.text
    return PageText(ink, binary, t.text_height, t.line_thickness, t.engine, words=t.words,
                    image=t.image)


def _unique(seals: list[Seal]) -> list[Seal]:
    """The seals, each found once (a cell's and the page's finding of one seal)."""
    out: list[Seal] = []
    for s in seals:
        if not any(_same_seal(s, o) for o in out):
            out.append(s)
    return out


def _cues(template: Template) -> str:
    """The characters of a block's printed parts below its opinion: signature and seal
    labels, the date's 年 月 日."""
    cues = template.opinions
    return "".join(dict.fromkeys(cues.signature_cue + cues.seal_cue + "年月日"))


def _holds_cue(text: RegionText, template: Template) -> bool:
    """A cell with a block's printed parts: its signature line, seal place or date. The
    date's 年 月 日 in any order: a row's lines come in the order of their middles, and a
    line of it cut by a seal's ring, or run into the ring below, is set higher or lower
    (`月23日` before `2018年7`, seed 9133 doc-0003: the date in a row of its own, never
    read). A date written with dots (`2018.6.13`, `_dotted`) has none of them: a line of
    that shape is the date too (seed 6143 doc-0007: the date rows of three blocks, each
    its own cell, never read)."""
    cues = template.opinions
    return cues.signature_cue in text.text or cues.seal_cue in text.text or all(
        c in text.text for c in "年月日") or any(_dotted(t) for _, t, _ in text.lines)


def _keep_head(result: SheetResult, head: dict) -> None:
    """After reading a block's continuation: what the head of the block held stays (its
    opinion text, and any signature, seal or date on it); the continuation fills the rest."""
    for key, before in head.items():
        if before.value or key not in result.readings:
            result.readings[key] = before


def _no_such_day(month: str, day: str, year: int) -> bool:
    """The form's `year` has no such day (`2月30日`, `4月31日`; `2月29日` in 2018). With the
    year hidden, such a date is wrong whatever the year under the ring says: another year
    is not the form's (the date rule's `of_form_year`), and the form's has no such day."""
    try:
        dt.date(year, int(month), int(day))
    except ValueError:
        return True
    return False


def _block_label(text: RegionText, blocks: dict) -> tuple[int, str] | None:
    """Which party's block this cell is, from its label among the first lines.

    A stroke of the seal above, poking over the border, may be read before the label.
    """
    for k, (_, line, _) in enumerate(text.lines[:DEFAULT_LABEL_LINES]):
        def score(p: str, line: str = line) -> float:
            label = blocks[p].label
            # the label's own words start the line (a pen's line run into it may follow)
            head = clean(label)[:DEFAULT_LABEL_HEAD]
            return max(similarity(line[: len(label) + 1], label),
                       0.8 if clean(line).startswith(head) else 0.0)

        party = max(blocks, key=score)
        if score(party) >= 0.75:
            return k, party
    return None


def _blocks_in(cell: Cell, text: RegionText, blocks: dict, party: str | None = None,
               seals: list[Seal] | None = None, template: Template | None = None
               ) -> list[tuple[Cell, RegionText, str | None]]:
    """The blocks of a cell that holds more than one party's label (section 五 laid out as
    one cell, its parties one under another, an office's habit): each from its label's
    line down to the next label, with its lines; one part or none for a cell of one block.
    A label starts its line (`_block_label`'s test, on every line of the cell), and each
    party's comes once, in the form's order.

    Above the first label, the block of `party` (the one read last, on the page before)
    may go on: its signature, seal and date at the top of the page, cut from its label
    and opinion by the page's end. That part (party None) is the block's when it holds
    one of a block's printed parts (`_holds_cue`) or a seal's centre (`seals`)."""
    starts: list[tuple[int, str]] = []
    for k in range(len(text.lines)):
        found = _block_label(RegionText("", 1.0, None, text.lines[k:k + 1]), blocks)
        if found is not None and all(found[1] != p for _, p in starts):
            starts.append((k, found[1]))
    if not starts:
        return []
    x0, y0, x1, y1 = cell.bbox
    top = text.lines[starts[0][0]][0][1] - 1
    heads: list[tuple[int, str | None]] = []
    if party is not None and template is not None and top > y0:
        above = tuple(ln for ln in text.lines if (ln[0][1] + ln[0][3]) // 2 < top)
        read = RegionText("".join(t for _, t, _ in above), 1.0, (x0, y0, x1, top), above)
        if _holds_cue(read, template) or any(_within(s.center, (x0, y0, x1, top))
                                             for s in seals or []):
            heads = [(0, None)]
    marks = heads + starts
    if len(marks) < 2:
        return []
    tops = [y0] + [text.lines[k][0][1] - 1 for k, _ in marks[1:]] + [y1]
    out = []
    for (k, label), top, bottom in zip(marks, tops, tops[1:], strict=False):
        lines = tuple(ln for ln in text.lines[k:]
                      if top <= (ln[0][1] + ln[0][3]) // 2 < bottom)
        box = (x0, top, x1, bottom)
        read = RegionText("".join(t for _, t, _ in lines),
                          min((sc for _, _, sc in lines), default=1.0), box, lines)
        out.append((Cell(cell.row, cell.col, cell.rowspan, cell.colspan, box), read, label))
    return out


def _within(point: tuple[float, float], box: BBox) -> bool:
    return box[0] <= point[0] < box[2] and box[1] <= point[1] < box[3]


def _printed(row: list[tuple[BBox, str, float]], chars: str) -> list[tuple[BBox, str, float]]:
    """The lines of `row` that carry some of `chars` (a label's, a date's digits): a signature
    grouped into the row (a grey seal's ring joins the lines around it) is no print.

    >>> [t for _, t, _ in _printed([((0, 0, 9, 9), "人（公章）", 0.6), ((20, 0, 40, 9), "NKV", 0.9)],
    ...                            "（单位公章）")]
    ['人（公章）']
    """
    wanted = set(clean(chars))
    return [ln for ln in row if set(clean(ln[1])) & wanted]


def _signers(box: BBox, sig: SignatureResult, text_height: float) -> bool:
    """Whether a line read in the block is the signer's pen: it lies over the signature
    found, or holds it whole while no wider than it (a hand taller than the detector's box,
    found as one line of a glyph or two, read `斌`: the re-captured wp-05, 1-bit). An
    opinion line the pen crosses is wider than the pen and stays."""
    if not sig.signed or sig.bbox is None:
        return False
    if overlaps(box, sig.bbox):
        return True
    wider = (box[2] - box[0]) - (sig.bbox[2] - sig.bbox[0])
    return overlaps(sig.bbox, box, 0.8) and wider <= text_height


def _stray(line: tuple[BBox, str, float]) -> bool:
    """A weakly read box without one Chinese character: a stroke of a seal or signature."""
    return line[2] < DEFAULT_STRAY_SCORE and not re.search(r"[\u4e00-\u9fff]", line[1])


def _seal_candidates(template: Template, result: SheetResult) -> list[str]:
    """The units that may have stamped a block: each party's, printed on the form or as
    the cover names it (a seal is verified against them, not read blind)."""
    names = []
    for party in template.parties:
        printed = template.field(party.unit_field).preprinted
        reading = result.readings.get(party.unit_field)
        value = printed or (reading.value if reading is not None else None)
        if isinstance(value, str) and len(value.strip()) >= 2 and value != template.dash:
            names.append(value.strip())
    return names


def _seal_rows(binary: np.ndarray, seal: Seal, text_height: float) -> list[tuple[int, int]]:
    """The rows of print inside a black seal (top, bottom), found where nothing of the seal
    is left once its ring and star are gone: in a strip down its middle, below its arc
    text. Beside the middle, the arc's glyphs run down both sides into the rows of print,
    and the page's line finder takes the whole for one blob too tall to be text."""
    cx, cy, r = seal.center[0], seal.center[1], seal.radius
    h, w = binary.shape[:2]
    x0, x1 = max(0, int(cx - DEFAULT_STRIP * r)), min(w, int(cx + DEFAULT_STRIP * r))
    y0, y1 = max(0, int(cy - DEFAULT_STRIP_TOP * r)), min(h, int(cy + r))
    return _dense_rows(binary[y0:y1, x0:x1] > 0, y0, text_height)


def _beside_rows(binary: np.ndarray, seal: Seal, text_height: float, cell: BBox
                 ) -> list[tuple[int, int]]:
    """The rows of print level with a black seal, found in the cell's columns left and
    right of its ring, where neither ring nor arc reaches. A row the ring crosses (a date
    whose `2018年` lies under the ring, its `5 月17日` beyond) is one blob with the ring's
    remains and the arc's glyphs for the page's line finder, as the rows inside are."""
    cx, cy = seal.center
    reach = seal.radius + seal.ring + 1  # past the ring's outer edge, its soft rim included
    m = int(text_height * DEFAULT_PAD) + 1  # clear of the cell's rulings
    top, bottom = max(cell[1] + m, int(cy - reach)), min(cell[3] - m, int(cy + reach))
    rows: list[tuple[int, int]] = []
    for left, right in ((cell[0] + m, int(cx - reach)), (int(cx + reach), cell[2] - m)):
        if bottom - top > 0 and right - left >= text_height:
            rows += _dense_rows(binary[top:bottom, left:right] > 0, top, text_height)
    return rows


def _dense_rows(ink: np.ndarray, y0: int, text_height: float) -> list[tuple[int, int]]:
    """The bands of `ink` (page rows from `y0`) as dense and as tall as a line of print."""
    dense = np.append(ink.sum(axis=1) >= DEFAULT_ROW_INK * text_height, False)
    rows, start = [], None
    for y, d in enumerate(dense):
        if d and start is None:
            start = y
        elif not d and start is not None:
            lo, hi = DEFAULT_ROW_LINES
            if lo * text_height <= y - start <= hi * text_height:
                rows.append((y0 + start, y0 + y))
            start = None
    return rows


def _with_seal_rows(bare: PageText, cell: BBox, seals: list[Seal], text: RegionText,
                    cues: str = "") -> RegionText:
    """A cell's text, read with black seals set to paper, and the rows of print inside
    each seal (`_seal_rows`) that the cell's lines missed, read on their own; and those
    level with it beside the ring (`_beside_rows`) that say one of the block's printed
    parts (a character of `cues`: its signature label, seal label, date), not a pen's."""
    lines = list(text.lines)
    margin = int(bare.line_thickness * 2 + 2)  # what `PageText.lines` takes off a region

    def missed(top: int, bottom: int, seen: list) -> bool:
        return not any(min(b[3], bottom) - max(b[1], top) >= 0.5 * (bottom - top)
                       for b, _, _ in seen)

    def read(rows: list[tuple[int, int]], seen: list) -> list[tuple[BBox, str, float]]:
        boxes = list(dict.fromkeys(b for top, bottom in rows if missed(top, bottom, seen)
                                   for b in bare.lines((cell[0], top - margin, cell[2],
                                                        bottom + margin))))
        return [(b, t, sc) for b, (t, sc) in zip(boxes, bare.read_line_boxes(boxes), strict=True)
                if t.strip()]

    # a seal centred in another cell (its ring reaching into this one): only its rows here
    rows = [row for s in seals for row in _seal_rows(bare.binary, s, bare.text_height)
            if _within(s.center, cell) or cell[1] <= (row[0] + row[1]) / 2 < cell[3]]
    lines += read(rows, lines)
    if cues:
        lines += [ln for ln in read([row for s in seals
                                     for row in _beside_rows(bare.binary, s, bare.text_height,
                                                             cell)], lines)
                  if set(ln[1]) & set(cues)]
    if len(lines) == len(text.lines):
        return text
    lines.sort(key=lambda ln: ((ln[0][1] + ln[0][3]) // 2, ln[0][0]))
    box = (min(b[0] for b, _, _ in lines), min(b[1] for b, _, _ in lines),
           max(b[2] for b, _, _ in lines), max(b[3] for b, _, _ in lines))
    return RegionText("".join(t for _, t, _ in lines), min(sc for _, _, sc in lines), box,
                      tuple(lines))


def _signature_row(text: str, label: str, cue: str) -> bool:
    """The row of the signature label: it holds the cue (签字), or reads like the label, or
    starts with the signer's title and the cue's first character while a seal's ring or
    the signature took the rest (`负责人签关淑华` of `负责人（签字）：关淑华`).

    >>> _signature_row("负责人签关淑华", "负责人（签字）", "签字")
    True
    >>> _signature_row("同意，由项目负责人签订合同。", "负责人（签字）", "签字")
    False
    """
    if cue in text or similarity(text[: len(label) + 2], label) >= 0.7:
        return True
    title = clean(re.split(r"[（(]", label)[0])
    t = clean(text)
    return bool(title) and t.startswith(title) and cue[:1] in t[len(title): len(title) + 2]


def _read_opinion(w: PageWork, cell: Cell, text: RegionText, block, engine,
                  result: SheetResult, seals: list, template: Template,
                  bare: PageText | None = None, others: list[Seal] | None = None) -> None:
    """One block of section 五: opinion text, signature, seal and date.

    Lines are grouped into rows first: a date written as `2018 年 6 月 12 日` or a label
    followed by a signature comes back as several line boxes on one row.
    """
    base = f"opinions.{block.party}"
    year, cues = template.year, template.opinions
    th = w.scale.text_height
    rows = rows_of_lines(list(text.lines))
    joined = ["".join(t for _, t, _ in r) for r in rows]
    sig_i = next((i for i, t in enumerate(joined) if _signature_row(t, block.signature_label,
                                                                    cues.signature_cue)), None)
    seal_i = next((i for i, t in enumerate(joined) if cues.seal_cue in t), None)
    # the last row with a date's shape (with 月 or 日 lost under a ring, `208年520日`, `018年6月2`)
    date_i = next((i for i in range(len(rows) - 1, -1, -1) if _date_row(joined[i])), None)
    if date_i is not None:
        rows, date_i = _date_pieces(rows, date_i, [i for i in (sig_i, seal_i) if i is not None])
        joined = ["".join(t for _, t, _ in r) for r in rows]
    if sig_i is None:
        sig_i = _label_row_by_place(rows, seal_i, date_i, cell.bbox, th, block.signature_label)
    greys = [s for s in seals if s.color == "grey"]
    unsealed = None  # the page with this block's grey seals' marks set to paper, once made
    if date_i is None and greys:
        # inside a grey seal the reader kept only ink darker than the seal's, and a pale
        # print went with it (fresh seed 5209 doc-0007: `2018` left of a date): the cell
        # read again with the seal's ring and star set to paper, its print all kept
        unsealed = _without_seals(w, greys)
        again = rows_of_lines(list(unsealed.read([cell.bbox])[0].lines))
        top = max((row_box(rows[i])[3] for i in (sig_i, seal_i) if i is not None),
                  default=cell.bbox[1])
        found = next((r for r in reversed(again) if row_box(r)[1] >= top
                      and _date_row("".join(t for _, t, _ in r))), None)
        if found is not None:
            rows, date_i = [*rows, found], len(rows)
    blank = None
    if date_i is None:
        # 年 lost too (a seal over it broke it, and the labels by it: `#月日`): below the
        # signature and seal rows, if found, the printed 月 and 日 standing alone with no
        # ink where the month and day go
        after = max((i for i in (sig_i, seal_i) if i is not None), default=0)
        blank = next((i for i in range(len(rows) - 1, after, -1)
                      if _empty_date_row(w, rows[i], seals)), None)
    # the signature: right of the printed label, on its row
    place = None  # failing that, the wider place round the label (`_signature_place`)
    printed: list[BBox] = []  # the label's own print and the opinion's, kept out of it
    opinion_lines: list[BBox] = []  # the opinion's lines before the label
    if sig_i is not None:
        label, said, _ = rows[sig_i][0]
        x0 = label[0] + int(len(block.signature_label) * th * 0.95)
        if (len(clean(said)) <= len(clean(block.signature_label))
                and set(clean(said)) <= set(clean(block.signature_label))
                and label[2] - label[0] <= 1.25 * len(block.signature_label) * th):
            # the box holds the label alone: its end is known. Read with a character that
            # is none of the label's (`法定代表人Z`), it ran on over the pen written across
            # the label's end and the signature's start is not past it (seed 241 doc-0015)
            x0 = max(x0, label[2] + 1)
        region = (x0, max(cell.bbox[1], label[1] - int(th)), cell.bbox[2],
                  min(cell.bbox[3], label[3] + int(th)))
        place = _signature_place(rows, sig_i, label, cell.bbox, th)
        opinion_lines = _opinion_rows(rows, sig_i, label, cell.bbox, th)
        printed = [(label[0], label[1], x0, label[3]), *opinion_lines]
    else:
        # no label read: the block's lower right, above its date row (the form signs above
        # the date: a handwritten `5 月17` is the date's, not a signature)
        cx = (cell.bbox[0] + cell.bbox[2]) // 2
        top = _below_opinion(rows, [i for i in (seal_i, date_i, blank) if i is not None],
                             cell.bbox, th)
        below = [i for i in (date_i, blank) if i is not None and row_box(rows[i])[1] > top]
        bottom = min([row_box(rows[i])[1] for i in below], default=cell.bbox[3])
        region = (cx, top, cell.bbox[2], bottom)
        # the block's printed parts read in part (a seal over them): a line with a
        # character of a label or a date's is print, not the pen (`201820)` of a date
        # whose 年 月 日 a grey seal hid, `单` of its label: re-captured wp-04)
        chars = block.signature_label + block.seal_label + block.date_label + "0123456789"
        printed = [ln[0] for r in rows[1:] if row_box(r)[1] >= top
                   for ln in _printed(r, chars)]
    # printed lines near the signature (the 公章 label, the date) are not pen strokes
    exclude = [ln[0] for i, chars in ((seal_i, block.seal_label),
                                      (date_i, block.date_label + "0123456789"))
               if i is not None and i != sig_i for ln in _printed(rows[i], chars)]
    toned = False
    if sig_i is None:
        exclude += printed
        # every line read in the place is such print: where it lies is known, and a pen
        # inside a grey seal is told from the seal by its darker tone, as beside a label
        # read (seed 9133 doc-0003: a name written across both labels in the ring)
        toned = all(ln[0] in exclude for r in rows for ln in r if boxes_meet(ln[0], region))
    exclude = [_label_print(b, block, th) for b in exclude]
    # colour takes a red seal away; a grey one (a greyscale scan) only by where it is
    # a pen inside a grey seal is told from it by its darker tone, where the label was read
    # (its print is then known); without it, the label's print may lie in the region
    discs = [(*s.center, s.radius) for s in seals if s.color == "grey"]
    sig = detect_signature(w.page.image, region, text_height=th, exclude=exclude,
                           discs=discs, by_tone=sig_i is not None or toned)
    if sig_i is not None and not sig.signed and not sig.printed:
        # a blue pen written over the label itself (its start on 法定代表人, a tail past
        # 签字）): where the label's row holds a signature in pen colour, it was signed.
        # Not where the place holds print: a blue-violet stamped name is print in pen colour
        over = _pen_over_label(w.page.image, (rows[sig_i][0][0][0], *region[1:]), th)
        sig = over if over is not None and over.signed else sig
    if place is not None and not sig.signed and not sig.printed:
        # a name written above the label's row, or low over the label (an office's habit):
        # looked for round the label, its print and the opinion's kept out
        wide = detect_signature(w.page.image, place, text_height=th,
                                exclude=[*exclude, *printed], discs=discs, by_tone=True)
        sig = wide if wide.signed else sig
    rings = [s for s in seals if s.color == "black" and _meets_disc(region, s)]
    if not sig.signed and not sig.printed and rings and sig.bbox is None:
        # a pen wholly inside a black ring (a 1-bit page): all of it was taken for the
        # seal's own marks (seed 9133 doc-0023). The ring, star and arc text set to paper,
        # what is left in the seal's middle is judged as any signature is
        inner = _pen_in_rings(w, region, rings, exclude)
        sig = inner if inner.signed else sig
    result.readings[f"{base}.signed"] = w.reading(sig.raw, bool(sig.signed), sig.confidence,
                                                  sig.bbox or region)
    # the seal, anywhere in the block; its arc text names the unit (born-digital pages paste
    # the seal in as an image: it is read like a scan)
    seal = max(seals, key=lambda s: s.score) if seals else None
    if seal is not None:
        said = read_seal_unit(w.page.image, seal, engine, _seal_candidates(template, result))
        result.readings[f"{base}.sealed"] = w.reading(None, True, seal.score, seal.bbox)
        result.readings[f"{base}.seal_text"] = w.reading(said.read or said.text,
                                                         normalize("seal_text", said.text),
                                                         said.score, seal.bbox)
    else:
        result.readings[f"{base}.sealed"] = w.reading(None, False, 1.0, None)
        result.readings[f"{base}.seal_text"] = w.reading(None, None, 1.0, None)
    # the opinion: rows after the block label, above the signature, without pen or seal ink
    # a signature or seal label read in part (`法定代表`, `(单位么`: a pen or a ring over
    # the rest) is none of the opinion either: it ends it as a label read whole does
    lab_i = _label_row(rows, cell.bbox, th, (block.signature_label, block.seal_label))
    end = min(i for i in (sig_i, seal_i, date_i, lab_i, len(rows)) if i is not None)
    # ink in the signature's place (between the opinion and the label: `_signature_place`)
    # is the signer's, and what lies in a seal found anywhere on the page, its own
    stamped = [s.bbox for s in [*seals, *(others or [])]]
    body = [ln for r in rows[:end] for ln in r
            if not _signers(ln[0], sig, w.scale.text_height)
            and (ln[0] in opinion_lines or not overlaps(ln[0], place, 0.6))
            and not any(overlaps(ln[0], b, 0.6) for b in stamped) and not _stray(ln)]
    opinion = _opinion_text(body, block)
    rings = [s for s in seals if s.color == "black"]
    if not opinion and rings and body:
        again = _opinion_beside_rings(w, cell.bbox, rings, row_box(body[:1]))
        if again:
            body = [body[0], *again]
            opinion = _opinion_text(body, block)
    body_box = row_box(body) if body else None
    result.readings[f"{base}.text"] = w.reading(opinion or None, normalize("free_text", opinion),
                                                min((s for _, _, s in body), default=1.0), body_box)
    # the date row
    if date_i is not None:
        # a stroke of the seal on the row (weakly read, no character, no digit) is not the date
        row = [ln for ln in rows[date_i] if not (_stray(ln) and not re.search(r"\d", ln[1]))]
        row = row or rows[date_i]
        raw = "".join(t for _, t, _ in row)
        raw = _arabic_date(raw) or raw  # 二〇一八年七月八日
        # from the year on (a stray read before it is not the date's); digits read just
        # before 年 are the year's, what a ring left of it (`2(年月日`): not the print alone
        # a 日 lost under a ring (`2018年5月16.7`): the date to its day, not dots' shape
        m = re.search(r"(\d{4}.*?日|(?:\d{1,3}\D?)?年.*日|\d{4}年\d{1,2}月\d{1,2}"
                      r"|\d{2,4}[.．][\d.．]*\d)", raw)
        raw = m.group(1) if m else raw
        value, score = parse_date(raw), min(s for _, _, s in row)
        rings = [s for s in seals if s.color == "black"]
        ringed = bool(rings) and bare is not None and _crosses(row_box(row), rings)
        # read again alone: under a black ring, or whenever the date read is no date — in a
        # batch of wider crops a red ring's remains read as a digit (`12018年2月31日` at
        # 0.52, `2018年2月31日` at 0.99 alone: seed 241 doc-0013)
        if ringed or not _valid_date(value):
            # a grey ring (a greyscale scan) through the row is as dark as print: set to
            # paper as a black one is, it is not read as a digit (`年1月日`, seed 613 doc-0011)
            over = [] if ringed else [s for s in seals
                                      if s.color == "grey" and _crosses(row_box(row), [s])]
            plain = bare if ringed and bare is not None else \
                _without_seals(w, over) if over else w.text
            alone = _read_alone(w, plain, engine, row_box(row))
            texts = [raw, "".join(t for _, t, _ in rows[date_i])]
            again = _date_again(w, alone, engine, row_box(row), texts, year, ringed)
            whole = row_box(rows[date_i])
            if again is None and whole != row_box(row):
                # the strays set aside were the date's start under a grey seal (` :` of
                # `2018 年 5`, `月5 日` read: seed 9133 doc-0005): the whole row read alone
                wide = _read_alone(w, plain, engine, whole)
                again = _date_again(w, wide, engine, whole, texts, year, ringed)
            if again is not None:
                raw, score = again
                value = parse_date(raw)
            elif (ringed or over) and alone is not None and _printed_only(alone[1]):
                # without the ring the row holds its printed 年 月 日 and nothing else: the
                # digits read were the ring's, and the date is empty
                (_, raw, score), value = alone, None
        elif value is not None and (greys_over := [
                s for s in _unique([*seals, *(others or [])]) if s.color == "grey"
                and _crosses(row_box(row), [s])]):
            # a grey ring through a date read whole (its seal often centred in the row above,
            # another cell's): the row read again alone, the ring set to paper, and the dates
            # its readings may say scored on the row as scanned; unless the date read is the
            # surest, and surely so, a digit under the ring may be another (seed 9133
            # doc-0003: `7月25日` read 23 at 0.90 in the batch, 0.70 alone): not known
            alone = _read_alone(w, _without_seals(w, greys_over), engine, row_box(row))
            again = _date_again(w, alone, engine, row_box(row), [raw], year)
            if again is not None and (parse_date(again[0]) != value
                                      or again[1] < DEFAULT_RINGED_SURE):
                value, score = None, min(score, DEFAULT_GUESSED)
        if value is None and _hides_digit(w, row_box(row), seals):
            # a seal's mark over the row as wide as a digit (its solid star, most often):
            # what it covers is not seen, so the date is not known to be empty (fresh seed
            # 5209 doc-0015: the star over the month of `2018年7月10日`, read `年月日`)
            score = min(score, DEFAULT_GUESSED)
        squashed = raw.replace(" ", "")
        hidden = re.fullmatch(r"\D{0,2}年(\d{1,2})月(\d{1,2})日", squashed)
        lost = None if hidden or "年" in squashed else re.search(r"(\d{1,2})月\d*?(\d{1,2})日$", squashed)
        if (hidden or lost) and year:
            # the year is hidden (under the seal's ring, most often): the form is of `year`;
            # take it, and say so by a confidence that asks a person to look. With 年 lost
            # too, its remains may run into the month (`2017月` for `年 7 月`).
            month, day = (hidden or lost).group(1), (hidden or lost).group(2)
            month = month if int(month) <= 12 else month[-1]
            value = parse_date(f"{year}年{month}月{day}日")
            if not _no_such_day(month, day, year):  # else wrong whatever the year
                score = min(score, DEFAULT_GUESSED)
        elif value is not None and not _WHOLE_DATE.fullmatch(value):
            # digits lost (under a seal, most often): a date read in part, not a wrong date
            score = min(score, DEFAULT_GUESSED)
        elif (value and year and abs(int(value[:4]) - year) > DEFAULT_YEAR_SPAN) or \
                misread("date", value):
            score = min(score, DEFAULT_GUESSED)  # 3048 on a 2018 form, 72月: misread
        if month_lost(value):
            # the month hidden (a star over it) or misread (`二` among digits): the date is
            # not known, and no date is given for it (seed 6143 doc-0011, doc-0003)
            value, score = None, min(score, DEFAULT_GUESSED)
        result.readings[f"{base}.date"] = w.reading(raw, value, score, row_box(row))
    elif blank is not None:
        row = [ln for ln in rows[blank] if not _stray(ln)]
        result.readings[f"{base}.date"] = w.reading("".join(t for _, t, _ in row), None,
                                                    min(sc for _, _, sc in row), row_box(row))
    elif seal_i is not None and _undated(w, cell.bbox, row_box(rows[seal_i]), seals,
                                         bare if bare is not None else unsealed,
                                         sig.bbox if sig.signed else None):
        # the block seen whole to its foot, and no ink where its date goes: not a date
        # missed, a date never written (fresh seed 5209 doc-0015: a missed missing_date)
        result.readings[f"{base}.date"] = w.reading(None, None, DEFAULT_UNDATED, None)
    else:
        result.readings[f"{base}.date"] = w.reading(None, None, 0.5, None)


def _label_row(rows: list[list[tuple[BBox, str, float]]], cell: BBox, th: float,
               labels: tuple[str, ...]) -> int | None:
    """The first row, after the block's label, that starts like one of `labels` (its first
    two characters among a label's: `法定代表` of `法定代表人（签字）`, `(单位么` of
    `（单位公章）`) and right of the cell's first columns, where the form sets the
    opinion's lines and none of its labels (`DEFAULT_OPINION_INDENT`).

    >>> line = lambda x, t: [((x, 0, x + 90, 9), t, 0.9)]
    >>> rows = [line(0, "项目承接单位："), line(20, "同意。"), line(300, "法定代表"),
    ...         line(300, "(单位么")]
    >>> _label_row(rows, (0, 0, 900, 99), 10.0, ("法定代表人（签字）", "（单位公章）"))
    2
    >>> _label_row(rows[:2] + [line(20, "单位做好协调工作。")], (0, 0, 900, 99), 10.0,
    ...            ("（单位公章）",)) is None
    True
    """
    heads = [clean(label) for label in labels]
    for i, r in enumerate(rows[1:], start=1):
        t = clean("".join(t for _, t, _ in r))
        if row_box(r)[0] >= cell[0] + DEFAULT_OPINION_INDENT * th and len(t) >= 2 and \
                any(t[:2] in h for h in heads):
            return i
    return None


def _date_pieces(rows: list[list[tuple[BBox, str, float]]], date_i: int, labels: list[int]
                 ) -> tuple[list[list[tuple[BBox, str, float]]], int]:
    """The date row with its pieces set a little higher or lower (a date's part cut by a
    seal's ring, or run into the ring below: `2018年7` and `月23日` side by side, their
    middles half a line apart) joined to it, left to right: the form prints the date on one
    line, the block's last, below its labels. A piece is a row after the labels' whose
    lines overlap the date's rows and hold no Chinese character but 年 月 日.

    >>> rows = [[((0, 0, 9, 9), "同意。", 1.0)], [((50, 20, 60, 30), "月23日", 0.9)],
    ...         [((10, 20, 40, 40), "2018年7", 0.9)]]
    >>> got, i = _date_pieces(rows, 2, [])
    >>> len(got), i, "".join(t for _, t, _ in got[i])
    (2, 1, '2018年7月23日')
    """
    box = row_box(rows[date_i])
    after = max(labels, default=-1)
    pieces = [i for i, r in enumerate(rows) if i != date_i and i > after
              and min(row_box(r)[3], box[3]) > max(row_box(r)[1], box[1])
              and not re.search(r"[\u4e00-\u9fff]", re.sub("[年月日]", "", "".join(t for _, t, _ in r)))]
    if not pieces:
        return rows, date_i
    parts = {date_i, *pieces}
    merged = sorted([ln for i in sorted(parts) for ln in rows[i]], key=lambda ln: ln[0][0])
    at = min(parts)
    out = [merged if i == at else r for i, r in enumerate(rows) if i == at or i not in parts]
    return out, at


def _opinion_beside_rings(w: PageWork, cell: BBox, rings: list[Seal], label: BBox
                          ) -> list[tuple[BBox, str, float]]:
    """The opinion's lines when none was read under the block's label, a black seal in the
    block: on a 1-bit page the seal's arc text touches the opinion's end, the two are one
    blob taller than any line, and the line was left out (the re-captured wp-04, 1-bit:
    a blank_field on a block with its opinion written). Read again with each seal's whole
    disc set to paper; the opinion's lines are those below the label that start in the
    cell's first columns, where the form sets the opinion and none of the block's labels
    (they start right of its middle). What lay under the seal is lost with it."""
    ink, binary = w.ink.copy(), w.binary.copy()
    h, wd = binary.shape[:2]
    ys, xs = np.ogrid[0:h, 0:wd]
    for s in rings:
        x0, y0, x1, y1 = clip_box(s.bbox, binary.shape)
        pad = int(s.ring) + 2
        x0, y0, x1, y1 = max(0, x0 - pad), max(0, y0 - pad), min(wd, x1 + pad), min(h, y1 + pad)
        disc = ((xs[:, x0:x1] - s.center[0]) ** 2 + (ys[y0:y1] - s.center[1]) ** 2
                <= (s.radius + s.ring + 1) ** 2)
        ink[y0:y1, x0:x1][disc] = 255
        binary[y0:y1, x0:x1][disc] = 0
    t = w.text
    plain = PageText(ink, binary, t.text_height, t.line_thickness, t.engine, words=t.words,
                     image=t.image)
    th = w.scale.text_height
    start = cell[0] + DEFAULT_OPINION_INDENT * th
    return [ln for ln in plain.read([cell])[0].lines
            if ln[0][1] >= label[3] - DEFAULT_PAD * th and ln[0][0] < start and not _stray(ln)]


def _meets_disc(box: BBox, seal: Seal) -> bool:
    """Whether `box` reaches inside the seal's ring."""
    cx, cy = seal.center
    dx = max(box[0] - cx, 0.0, cx - box[2])
    dy = max(box[1] - cy, 0.0, cy - box[3])
    return math.hypot(dx, dy) < seal.radius


def _pen_in_rings(w: PageWork, region: BBox, rings: list[Seal], exclude: list[BBox]
                  ) -> SignatureResult:
    """The signature place judged with each black seal's own marks (ring, star:
    `seal_marks`) and its arc text's band (`DEFAULT_ARC_INNER` of the radius out to past
    the ring) set to paper: a pen written in the seal's middle stays, the seal's print
    does not. The labels' print is kept out as before (`exclude`)."""
    image = w.page.image.copy()
    h, wd = w.binary.shape[:2]
    stroke = w.scale.stroke
    for s in rings:
        pad = int(s.ring) + 2
        x0, y0 = max(0, s.bbox[0] - pad), max(0, s.bbox[1] - pad)
        x1, y1 = min(wd, s.bbox[2] + pad), min(h, s.bbox[3] + pad)
        marks = seal_marks(w.binary, (x0, y0, x1, y1), s.center, s.radius, s.ring, stroke)
        ys, xs = np.ogrid[y0:y1, x0:x1]
        d2 = (xs - s.center[0]) ** 2 + (ys - s.center[1]) ** 2
        reach = s.radius + max(s.ring, DEFAULT_GAP_RING * stroke)
        arc = (d2 >= (DEFAULT_ARC_INNER * s.radius) ** 2) & (d2 <= reach ** 2)
        image[y0:y1, x0:x1][marks | arc] = 255
    return detect_signature(image, region, text_height=w.scale.text_height, exclude=exclude)


def _label_row_by_place(rows: list[list[tuple[BBox, str, float]]], seal_i: int | None,
                        date_i: int | None, cell: BBox, th: float, label: str) -> int | None:
    """The signature label's row when its print was misread (a seal's ring or the pen over
    it: `代表`, `角人`, `管、`): the form prints it right above the seal label, and both
    above the date. The row just above the seal label's; without one read, the nearest row
    above the date (or the block's foot) holding a character of the label. Never a row of
    the opinion or the block's label (reaching into the cell's first columns), nor one
    that is no print where the form's lines are (the pen's alone: its label unread)."""
    below = seal_i if seal_i is not None else date_i if date_i is not None else len(rows)
    under = row_box(rows[below])[0] if below < len(rows) else None
    for i in range(below - 1, -1, -1):
        if row_box(rows[i])[0] < cell[0] + DEFAULT_OPINION_INDENT * th:
            return None
        if all(_stray(ln) for ln in rows[i]):
            continue
        # print: read with a Chinese character, and set where the form's lines below start
        # (a name alone on its row, the label above it unread, is no label: wp-07)
        first = rows[i][0]
        if not re.search(r"[\u4e00-\u9fff]", first[1]) or (
                under is not None and abs(first[0][0] - under) > DEFAULT_LABEL_ALIGN * th):
            return None
        if seal_i is not None or _printed(rows[i], label):
            return i
    return None


def _below_opinion(rows: list[list[tuple[BBox, str, float]]], after: list[int], cell: BBox,
                   th: float) -> int:
    """Where a block's signature place starts when its label was not read: under the last
    line box set where the opinion's lines start (the cell's first columns; a pen on its
    row is not the opinion's), above the seal and date rows read. The form prints the
    signature's label right under the opinion, and a name written over the unread label
    lies there, above a third of the block's height when the opinion is short (re-captured
    wp-03 photo, wp-05 grey). Without such a line, a third of the way down, as before."""
    end = min(after, default=len(rows))
    left = [b for r in rows[:end] for b, _, _ in r
            if b[0] < cell[0] + DEFAULT_OPINION_INDENT * th]
    if not left:
        return cell[1] + (cell[3] - cell[1]) // 3
    return max(b[3] for b in left)


def _label_print(box: BBox, block, th: float) -> BBox:
    """The part of a printed line box that is print: the box itself when it is a line's
    height; a taller box (`DEFAULT_TWO_LINES`) joined the signature and seal labels set
    one under the other with the pen written across them (a grey seal's ring, a
    signature low over its label: seed 9133 doc-0003, doc-0022), and its print runs from
    its start no further than the block's longest label. Kept out whole, it took the
    signature with it."""
    x0, y0, x1, y1 = box
    if y1 - y0 <= DEFAULT_TWO_LINES * th:
        return box
    longest = max(len(block.signature_label), len(block.seal_label))
    return x0, y0, min(x1, x0 + int(longest * th * 0.95)), y1


def _signature_place(rows: list[list[tuple[BBox, str, float]]], sig_i: int, label: BBox,
                     cell: BBox, th: float) -> BBox:
    """Where a block's signature is looked for: right of its label on the label's row, and
    above the label, up to the opinion (an office's habit: the name written over the
    label's row, between it and the opinion, `samplegen.office` `sig_place`). The place
    starts a text height left of the label (a hand begins about where the print does) and
    rises at most `DEFAULT_SIG_ABOVE` text heights over it, never into a row of the
    opinion: a row before the label reaching left of the place, or into the cell's first
    columns (the opinion's, its first line's indent included)."""
    left = max(cell[0], label[0] - int(DEFAULT_SIG_LEFT * th))
    start = min(left, cell[0] + int(DEFAULT_OPINION_INDENT * th))
    pad = int(DEFAULT_PAD * th)
    opinion = [row_box(r)[3] + pad for r in rows[:sig_i] if row_box(r)[0] < start]
    top = max([cell[1], label[1] - int(DEFAULT_SIG_ABOVE * th), *opinion])
    return (left, min(top, label[1] - int(th)), cell[2], min(cell[3], label[3] + int(th)))


def _opinion_rows(rows: list[list[tuple[BBox, str, float]]], sig_i: int, label: BBox,
                  cell: BBox, th: float) -> list[BBox]:
    """The line boxes of the opinion's rows before the signature label (`_signature_place`'s
    test): print, kept out of the signature's place where it reaches into it."""
    left = max(cell[0], label[0] - int(DEFAULT_SIG_LEFT * th))
    start = min(left, cell[0] + int(DEFAULT_OPINION_INDENT * th))
    return [b for r in rows[:sig_i] if row_box(r)[0] < start for b, _, _ in r]


def _pen_over_label(image: np.ndarray, box: BBox, th: float) -> SignatureResult | None:
    """The signature place from the label's start, in pen colour alone: blue ink kept, all
    else (the black label, rulings) set to paper, then judged as any signature is. None on
    a page without colour or without blue ink there (black print cannot be told from a
    black pen by colour)."""
    x0, y0, x1, y1 = clip_box(box, image.shape)
    crop = image[y0:y1, x0:x1]
    if crop.ndim != 3 or crop.size == 0 or is_grayscale(crop):
        return None
    pen = blue_mask(crop)
    if pen.sum() < DEFAULT_MIN_INK_TH2 * th * th:
        return None
    pen = cv2.dilate(pen.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0  # its soft rim
    alone = np.where(pen[..., None], crop, np.uint8(255))
    found = detect_signature(alone, (0, 0, x1 - x0, y1 - y0), text_height=th)
    if found.bbox is None:
        return found
    bx0, by0, bx1, by1 = found.bbox
    return replace(found, bbox=(bx0 + x0, by0 + y0, bx1 + x0, by1 + y0))


def _opinion_text(body: list[tuple[BBox, str, float]], block) -> str:
    """The opinion: what follows the block's label (`项目承接单位：`). The label's colon
    may be lost in the scan (`项目承接单位`): a first line that is the label (by
    `_block_label`'s test) ends the label all the same; else the opinion starts after the
    first colon.

    >>> class B: party, label = "undertaking", "项目承接单位:"
    >>> line = lambda t: ((0, 0, 9, 9), t, 0.99)
    >>> _opinion_text([line("项目承接单位"), line("同意承接该试点项目")], B)
    '同意承接该试点项目'
    >>> _opinion_text([line("项目承接单位：同意。")], B), _opinion_text([line("同意。")], B)
    ('同意。', '')
    """
    text = "".join(t for _, t, _ in body)
    parts = re.split(r"[:：]", text, maxsplit=1)
    if len(parts) > 1:
        return parts[1].strip()
    first = body[0][1] if body else ""
    label = clean(block.label)
    if _block_label(RegionText("", 1.0, None, tuple(body[:1])), {block.party: block}) is None \
            or len(clean(first)) > len(label) + 1:
        return ""
    return "".join(t for _, t, _ in body[1:]).strip()


def _empty_date_row(w: PageWork, row: list[tuple[BBox, str, float]], seals: list[Seal]) -> bool:
    """A date row whose printed 月 and 日 are read alone, side by side, with no ink where a
    month and a day are written: left of 月 and between 月 and 日, as wide as the space the
    form leaves between them. Ink is what is darker than the row's paper by a share print
    and pen reach and a seal's tint does not (`DEFAULT_GAP_DARK`); a seal's ring crossing
    the gaps is set aside (`ring_band`, at least `DEFAULT_GAP_RING` strokes wide)."""
    boxes = {t.strip(): b for b, t, _ in row if t.strip() in ("月", "日")}
    if len(boxes) < 2 or boxes["月"][2] >= boxes["日"][0]:
        return False
    mo, day = boxes["月"], boxes["日"]
    y0, y1 = min(mo[1], day[1]), max(mo[3], day[3])
    space = day[0] - mo[2]
    x0 = max(0, mo[0] - space)
    image = w.page.image[y0:y1, x0:day[0]]
    gray = image.min(axis=2) if image.ndim == 3 else image
    if gray.size == 0:
        return False
    paper = float(np.percentile(gray, 90))
    ink = gray < paper * DEFAULT_GAP_DARK
    ys, xs = np.ogrid[y0:y1, x0:day[0]]
    stroke = w.scale.stroke
    for s in seals:
        ink &= ~ring_band(xs, ys, *s.center, s.radius, max(s.ring, DEFAULT_GAP_RING * stroke))
    ink[:, mo[0] - x0: mo[2] - x0] = False  # the printed 月 itself
    return int(ink.sum()) < DEFAULT_GAP_INK * stroke * w.scale.text_height


_CN_DIGITS = dict(zip("〇零○一二三四五六七八九", "000123456789", strict=True))
# what 〇 is read as between a year's numerals: a ring is a pair of brackets, one or both, an
# O or a zero; a comma or dot beside them is the ring's remains too
_CN_ZERO = r"[〇○零Oo0()（）]+"


def _arabic_date(raw: str) -> str | None:
    """A date written in Chinese numerals (`二〇一八年七月二十三日`, an office's habit) in
    digits, as the form's 年 月 日 are filled by most (`2018年7月23日`); None when `raw`
    holds no such date. The year is its four numerals one by one, a 〇 read as a ring
    (`二（）一八`); month and day are counted (`十二`, `二十三`).

    >>> _arabic_date("二（）一，八年七月八日"), _arabic_date("二（()一八年七月二十三日")
    ('2018年7月8日', '2018年7月23日')
    >>> _arabic_date("二〇一八年十二月三十一日"), _arabic_date("2018年7月8日")
    ('2018年12月31日', None)

    A year under a seal's ring, lost or in part (`、年五月十一日`), is left out: the
    form's year is then taken, as for a date in digits whose year is hidden.

    >>> _arabic_date("、年五月十一日"), _arabic_date("一八年五月十一日")
    ('年5月11日', '年5月11日')

    A 月 lost under the ring: the run split where it is a month and a day, one way only.

    >>> _arabic_date("二一八年五二十三日"), _arabic_date("二〇一八年十二十日")
    ('年5月23日', None)
    """
    t = re.sub(r"\s+", "", raw)
    m = re.search(r"([〇○零一二三四五六七八九Oo0()（），,.、]*)年([一二三四五六七八九十]{1,3})月"
                  r"([一二三四五六七八九十]{1,4})日", t)
    if m is not None:
        month, day = _counted(m.group(2)), _counted(m.group(3))
    else:
        # 月 lost under a ring (`二一八年五二十三日`): month and day split where only one
        # way counts as a month and a day
        m = re.search(r"([〇○零一二三四五六七八九Oo0()（），,.、]*)年([一二三四五六七八九十]{2,7})日", t)
        if m is None:
            return None
        run = m.group(2)
        ways = [(_counted(run[:i]), _counted(run[i:])) for i in range(1, len(run))]
        ways = [(mo, d) for mo, d in ways if mo and d and mo <= 12 and d <= 31]
        month, day = ways[0] if len(ways) == 1 else (None, None)
    if month is None or day is None:
        return None
    year = "".join(_CN_DIGITS.get(c, "") for c in re.sub(_CN_ZERO, "〇", re.sub(r"[，,.、]", "", m.group(1))))
    return f"{year if len(year) == 4 else ''}年{month}月{day}日"


def _counted(numerals: str) -> int | None:
    """`七` 7, `十二` 12, `二十三` 23, `三十` 30; None if not a number so written. A lone
    `二` or `三` is 2 or 3 (fresh seed 4107 doc-0022: `二〇一八年五月二日` was no date).

    >>> _counted("二"), _counted("三"), _counted("二十"), _counted("十"), _counted("二二")
    (2, 3, 20, 10, None)
    """
    m = re.fullmatch(r"(?:([二三])?(十))?([一二三四五六七八九])?", numerals)
    if m is None or not numerals:
        return None
    tens = (int(_CN_DIGITS[m.group(1)]) if m.group(1) else 1) if m.group(2) else 0
    return tens * 10 + (int(_CN_DIGITS[m.group(3)]) if m.group(3) else 0)


_DOTS = ".．·,，"  # what a date's dots are read as


def _date_row(text: str) -> bool:
    """A row with a date's shape, its 月 or 日 lost under a ring (`208年520日`,
    `018年6月2`), its year and month under a grey seal (`月5 日`: the day between the
    printed 月 and 日, seed 9133 doc-0005), or written with dots (`_dotted`) or in Chinese numerals (`_arabic_date`)."""
    return bool(re.search(r"年.*月.*日|\d{4}\s*年|\d\s*月.{0,4}日|\d年\d+[月日]|月\s*\d{1,2}\s*日",
                          text)) or \
        _dotted(text) or _arabic_date(text) is not None


def _dotted(text: str) -> bool:
    """A date row written with dots instead of the printed 年 月 日 (`2018.5.12`, an office's
    habit): digits and dots alone, a date's worth of digits. Under a seal's ring a dot is
    lost or a digit broken into more groups (`20.8.5.12`, `201.321`).

    >>> _dotted("2018.5.12"), _dotted("20.8.5.12"), _dotted("201.3 21"), _dotted("5.20")
    (True, True, True, False)
    >>> _dotted("预算5.20万元"), _dotted("13812345678"), _dotted("之2018.7.7")
    (False, False, True)

    A stroke read beside it (`之`, a seal's or the pen's) is not the row's.
    """
    t = re.sub(r"^\D|\D$", "", re.sub(r"\s+", "", text))
    return (re.fullmatch(rf"\d[\d{_DOTS}]*\d", t) is not None and len(re.findall(r"\d", t)) >= 5
            and any(c in _DOTS for c in t))


def _undated(w: PageWork, cell: BBox, seal_row: BBox, seals: list[Seal],
             bare: PageText | None, signature: BBox | None) -> bool:
    """No date row was read, and none was written: below the seal label's row (where the
    form puts the date) the cell has room for a row, and holds no ink there but the
    seal's. A seal's ring and star are set to paper (a red one is by its colour), and its
    arc text is where it runs, round the ring (`DEFAULT_ARC_INNER` of the radius out): a
    date under the seal crosses its middle, or runs beyond it. Ink is counted as for an
    empty date row (`_empty_date_row`: no piece of it half a digit's upright stroke); the
    signature's pen is not the date's. With no room below the label (a cell cut by the
    page's end), the date may be further on: not known."""
    th, stroke = w.scale.text_height, w.scale.stroke
    m = int(th * DEFAULT_PAD) + 1
    x0, y0, x1, y1 = cell[0] + m, seal_row[3] + int(DEFAULT_PAD * th), cell[2] - m, cell[3] - m
    if y1 - y0 < DEFAULT_UNDATED_ROOM * th or x1 <= x0:
        return False
    marked = [s for s in seals if s.color in ("black", "grey")]
    binary = bare.binary if bare is not None else \
        _without_seals(w, marked).binary if marked else w.text.binary
    ink = binary[y0:y1, x0:x1] > 0
    ys, xs = np.ogrid[y0:y1, x0:x1]
    for s in seals:
        d2 = (xs - s.center[0]) ** 2 + (ys - s.center[1]) ** 2
        reach = s.radius + max(s.ring, DEFAULT_GAP_RING * stroke)
        ink &= ~((d2 >= (DEFAULT_ARC_INNER * s.radius) ** 2) & (d2 <= reach ** 2))
    if signature is not None:
        ink[max(0, signature[1] - y0):max(0, signature[3] - y0),
            max(0, signature[0] - x0):max(0, signature[2] - x0)] = False
    # specks (the tips of a star, what is left of a ring's rim) are no writing: each piece
    # of ink less than half a digit's upright stroke is set aside
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    return not (stats[1:, cv2.CC_STAT_AREA] >= DEFAULT_GAP_INK * stroke * th).any()


def _hides_digit(w: PageWork, box: BBox, seals: list[Seal]) -> bool:
    """Whether a black or grey seal's own marks (`seal_marks`: its ring, its solid star)
    cover, somewhere along the row, columns as wide as a digit (`DEFAULT_HIDDEN_WIDTH`)
    over most of the row's height: a digit written there is not seen, with the seal or
    without it. A ring crossing the row is narrower than a digit (what it hides of one,
    the rest shows), a star is not."""
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0:
        return False
    for s in seals:
        if s.color not in ("black", "grey"):
            continue  # a red seal is set aside by its colour: the print under it shows
        marks = seal_marks(w.binary, box, s.center, s.radius, s.ring, w.scale.stroke)
        covered = np.append(marks.mean(axis=0) >= DEFAULT_HIDDEN_SHARE, False)
        run = 0
        for c in covered:
            run = run + 1 if c else 0
            if run >= DEFAULT_HIDDEN_WIDTH * w.scale.text_height:
                return True
    return False


def _valid_date(value: str | None) -> bool:
    """A date read whole that exists (ISO, as `parse_date` gives it)."""
    return bool(value) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None


def _crosses(box: BBox, seals: list[Seal]) -> bool:
    """Whether a black seal's ring runs through `box`."""
    ys, xs = np.ogrid[box[1]:box[3], box[0]:box[2]]
    return any(ring_band(xs, ys, *s.center, s.radius, s.ring).any() for s in seals)


def date_shapes(raw: str, year: int | None = None) -> list[tuple[str, bool]]:
    """The dates a row may say, from the digits read, with the printed 年 月 日 where the
    date's shape puts them: a ring over the row loses a printed character or turns it into
    another (`2018年819日`, `2018年8F19日`, `2018年7124日` with 月 read as `1`). The digits
    are kept as read, in their groups; a group of month and day run together is split each
    way it can be, or, when no way gives a calendar's month and day, where one digit of it
    is the printed 月 misread. No digit is added,
    but for a year read short whose digits are all the form's `year`'s in order (a star's
    arm over its `1`), or read with one digit other than the form's and then years away
    from it (`2718`): then the form's year, and the date says it was guessed (True).

    >>> date_shapes("2018年819日"), date_shapes("2018年119日")
    ([('2018年8月19日', False)], [('2018年1月19日', False), ('2018年11月9日', False)])
    >>> date_shapes("2018年8F19日"), date_shapes("2018年8日"), date_shapes("三208年520日", 2018)
    ([('2018年8月19日', False)], [], [('2018年5月20日', True)])
    >>> date_shapes("018年6月2", 2018), date_shapes("2718年7月26日", 2018)
    ([('2018年6月2日', True)], [('2018年7月26日', True)])
    >>> date_shapes("2018年7124日"), date_shapes("2018年 71 24 日")
    ([('2018年7月24日', False)], [])

    A digit read before the form's year is a ring's (`42018`); a day no month has, its
    tens digit misread under the ring (`47`): each day it may be, guessed.

    >>> date_shapes("42018年5月47日", 2018)
    [('2018年5月07日', True), ('2018年5月17日', True), ('2018年5月27日', True)]

    A date written with dots (`_dotted`) keeps them: its last two groups are month and
    day, the ones before its year, broken by a ring (`20.8.5.12`).

    >>> date_shapes("20.8.5.12", 2018), date_shapes("2018.512")
    ([('2018.5.12', True)], [('2018.5.12', False)])

    Past a day read after 年 and 月, what follows is the printed 日 under a ring: its
    remains read as digits are not the day's (seed 6143 doc-0023: `2018年5月16.7`).

    >>> date_shapes("2018年5月16.7"), date_shapes("2018年5月16")
    ([('2018年5月16日', False)], [('2018年5月16日', False)])

    A month unread (`month_lost`) gives none: the day's digits are not split into one.

    >>> date_shapes("2018年月16日"), date_shapes("2018年二月23日")
    ([], [])
    """
    if month_lost(raw):
        return []  # the month unread: any split of the day's digits is no date (`年月16日`)
    groups = re.findall(r"\d+", raw)
    if re.search(r"\d年\d{1,2}月\d{1,2}\D", raw):
        groups = groups[:3]  # past the day, the printed 日 misread (`2018年5月16.7`)
    dotted = not re.search("[年月日]", raw) and _dotted(raw)
    if dotted and len(groups) > 3:
        groups = ["".join(groups[:-2]), *groups[-2:]]
    if len(groups) < 2:
        return []
    first, form = groups[0], str(year) if year else ""
    if len(first) > 4 and form and first.endswith(form):
        first = form  # a ring's remains read as a digit before the year (`42018年`)
    if len(first) == 4:
        # a year one digit off the form's, and years away from it: that digit misread
        guessed = bool(form) and abs(int(first) - int(form)) > DEFAULT_YEAR_SPAN and \
            sum(a != b for a, b in zip(first, form, strict=True)) == 1
    elif form and 2 <= len(first) < 4 and re.fullmatch(".*{}.*".format(".*".join(first)), form):
        guessed = True
    else:
        return []
    rest = groups[1:]
    if len(rest) == 2:
        splits = [(rest[0], rest[1])]
    elif len(rest) == 1:
        run = rest[0]
        splits = [(run[:i], run[i:]) for i in (1, 2) if 1 <= len(run) - i <= 2]
        if not any(_calendar(m, d) for m, d in splits):  # then a digit may be 月 misread
            splits += [(run[:i], run[i + 1:]) for i in (1, 2) if 1 <= len(run) - i - 1 <= 2]
    else:
        return []
    head = form if guessed else first
    out = [(f"{head}.{m}.{d}" if dotted else f"{head}年{m}月{d}日", guessed) for m, d in splits
           if len(m) <= 2 and len(d) <= 2 and _calendar(m, d)]
    if not out and len(splits) == 1 and len(splits[0][1]) == 2 and 1 <= int(splits[0][0]) <= 12:
        # a two-digit day no month has (`47`): its tens digit misread under a ring (the
        # ring's arc over a `1` reads `4`); each tens a day may have, guessed, for the
        # recogniser to choose on the row as scanned
        m, d = splits[0]
        out = [(f"{head}.{m}.{t}{d[1]}" if dotted else f"{head}年{m}月{t}{d[1]}日", True)
               for t in "0123" if t != d[0] and _calendar(m, f"{t}{d[1]}")]
    return out


def _calendar(month: str, day: str) -> bool:
    """A month and day some calendar has (2月30日 included: a writer's slip is still a date)."""
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def one_hidden(text: str) -> list[str]:
    """The date `text` with a `1` put back at an end of its month or day: the digit a black
    ring hides whole where its arc runs along it (one upright stroke, lost with the ring
    when the ring is set to paper, read as the ring when it is not).

    >>> one_hidden("2018年7月9日"), one_hidden("2018年12月30日")
    (['2018年7月19日'], [])
    >>> one_hidden("2018年2月1日")
    ['2018年12月1日', '2018年2月11日']
    """
    m = re.fullmatch(r"(\d{4}[年.])(\d{1,2})([月.])(\d{1,2})(日?)", text)
    if m is None:
        return []
    head, month, mid, day, tail = m.groups()
    out = []
    for mo, d in [(f"1{month}", day), (f"{month}1", day), (month, f"1{day}"), (month, f"{day}1")]:
        t = f"{head}{mo}{mid}{d}{tail}"
        if len(mo) <= 2 and len(d) <= 2 and _calendar(mo, d) and t != text and t not in out:
            out.append(t)
    return out


def _read_alone(w: PageWork, bare: PageText, engine, box: BBox
                ) -> tuple[np.ndarray, str, float] | None:
    """The date row's crop as scanned, and the row read alone from `bare` (the seal's marks
    set to paper, or the page as read): as scanned, a digit under the ring may read surely
    as another (`5` as `9`); a writer's 2月30日 stays one. None without `engine.score`.
    As scanned is the page as measured (`w.ink`): the reader's own lost a pale print
    inside a grey seal (`_without_seals`)."""
    if not hasattr(engine, "score"):
        return None
    pad = int(w.scale.text_height * DEFAULT_PAD)
    h, wd = w.text.ink.shape[:2]
    x0, y0 = max(0, box[0] - pad), max(0, box[1] - pad)
    x1, y1 = min(wd, box[2] + pad), min(h, box[3] + pad)
    (read, score), = engine.recognize([bare.ink[y0:y1, x0:x1]])
    return w.ink[y0:y1, x0:x1], read, score


def _printed_only(text: str) -> bool:
    """A date row that says its printed 年 月 日, in order, and no digit: an empty date.

    >>> _printed_only("年 月 日"), _printed_only("年月"), _printed_only("年1月日")
    (True, False, False)

    A month and day written in Chinese numerals (`八年五月十一日`) are a date too; a
    ring's stroke read as 一 is not (`一年月日`).

    >>> _printed_only("八年五月十一日"), _printed_only("一年月日")
    (False, True)
    """
    return re.fullmatch(r"\D*年\D*月\D*日\D*", text) is not None and _arabic_date(text) is None


def _date_again(w: PageWork, alone: tuple[np.ndarray, str, float] | None, engine, box: BBox,
                texts: list[str], year: int | None, ringed: bool = False
                ) -> tuple[str, float] | None:
    """The date row read again, alone, with the seal's marks set to paper (`_read_alone`),
    and what each reading's digits say, the printed 年 月 日 in their places
    (`date_shapes`); each candidate scored by the recogniser on the row as scanned
    (`engine.score`: how surely the crop says that exact text). The surest date wins, at
    that score (at most `DEFAULT_GUESSED` with its year guessed); None if none is sure."""
    if alone is None:
        return None
    scanned, read, _ = alone
    shapes = dict(c for t in [*texts, read] for c in date_shapes(re.sub(r"\s+", "", t), year))
    if not shapes:
        return None
    if ringed:
        # a `1` the ring's arc runs along goes to paper with the ring, and as scanned is
        # the ring: each date with one put back is a candidate as well (seed 6143 doc-0003:
        # `5月21日` read `5月2日`, surely, with the ring set to paper)
        for c, guess in list(shapes.items()):
            for one in one_hidden(c):
                shapes.setdefault(one, guess)
    cands = list(shapes)
    # scored on the row as scanned: the bare crop helps read it, but lost ink with the ring
    best = dict(zip(cands, engine.score([scanned] * len(cands), cands), strict=True))
    text = max(cands, key=lambda c: best[c])
    if best[text] < DEFAULT_DATE_VERIFY:
        return None
    guessed = shapes[text]
    # a ring across the row may hide a `1` whole: when the row says the date with one put
    # back, or taken away, nearly as surely, which it is the pixels cannot tell (seed 419
    # doc-0007: 7月9日 at 0.92, 7月19日 at 0.90; it was 19)
    if ringed and any((c in one_hidden(text) or text in one_hidden(c))
                      and best[c] >= DEFAULT_ONE_SHARE * best[text] for c in cands):
        guessed = True
    return text, min(best[text], DEFAULT_GUESSED) if guessed else best[text]
