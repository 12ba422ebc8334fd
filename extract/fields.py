"""Pages + template → readings: every field found by label text and table structure.

Nothing here knows a pixel position of the form. Tables are matched to the template row by
row: each observed grid row is aligned to the next expected row whose label cells it
carries (labels such as 电话 repeat, so order disambiguates), and a value is the cell right
of its label. The members table is read by its header texts, the opinion blocks by the
lines they hold (party label, 签字 line, 单位公章, date).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from tasksheet.extract.checkbox import find_checkboxes
from tasksheet.extract.flow import section_bands
from tasksheet.extract.grid import Cell, Grid, find_grids
from tasksheet.extract.normalize import misread, normalize, parse_date
from tasksheet.extract.options import label_anchors, option_boxes
from tasksheet.extract.page_text import PageText, RegionText, clean, similarity
from tasksheet.extract.scale import PageScale, binarize, ink_gray, measure_scale
from tasksheet.extract.seal import find_seals, read_seal_text
from tasksheet.extract.signature import detect_signature
from tasksheet.schemas.result import MemberRow, OptionMark, Reading, SheetResult
from tasksheet.schemas.template import CellField, Template

BBox = tuple[int, int, int, int]
# what parse_date gives for a date read whole: ISO, or as written when it cannot exist (2月30日)
_WHOLE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2}")
DEFAULT_LABEL_MATCH = 0.7
DEFAULT_YEAR_SPAN = 5  # a year read this far from the form's is taken as misread
DEFAULT_ROW_MATCH = 0.5
DEFAULT_LOOKAHEAD = 4
DEFAULT_STRAY_SCORE = 0.8
DEFAULT_LABEL_HEAD = 4  # first characters of a block label that name its party (项目承接)
DEFAULT_LABEL_LINES = 3  # an opinion block's label is among its first lines
DEFAULT_GUESSED = 0.5  # confidence of a value completed from the form, not read
DEFAULT_SEAL_CELL = 4.0  # × text height: the shortest cell a seal is looked for in


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
        ink = ink_gray(page.image)
        binary = binarize(ink)
        scale = measure_scale(binary)
        text = PageText(ink, binary, scale.text_height, scale.line_thickness, engine,
                        words=page.words, image=page.image)
        return cls(page, ink, binary, scale, text,
                   find_grids(page.image, scale, gray=ink, binary=binary))

    def reading(self, raw: str | None, value, score: float, bbox: BBox | None, **kw) -> Reading:
        scan_box = self.page.to_scan(bbox) if bbox is not None else None
        return Reading(raw=raw, value=value, confidence=round(float(score), 4),
                       page=self.page.index, bbox=scan_box, **kw)


def extract_document(pages: Iterable, result: SheetResult, template: Template, engine) -> None:
    """Fill `result.readings` and `result.members` from the ordered pages of a document.

    The pages are one flow: each section is read from the bands where its heading puts it
    (`extract.flow`), whatever page it starts on; `result.sections` records where each was.
    """
    works = [PageWork.of(page, engine) for page in pages if page.form_page]
    bands = section_bands(works, template)
    result.sections = {sid: sorted({w.page.index for w in ws}) for sid, ws in bands.items() if ws}
    for w in bands.get(template.pages[0].id, [])[:1]:
        read_lines(w, template, result)
    works = bands
    for table in template.tables:
        read_table(works.get(table.page, []), table, template, result)
    for block in template.blocks:
        read_block(works.get(block.page, []), block, result)
    read_members(works.get(template.members.page, []), template, result)
    read_opinions(works.get(template.opinions.page, []), template, engine, result)


# -- cover: labelled lines --------------------------------------------------------------

def _rows_of_lines(lines: list[tuple[BBox, str, float]]) -> list[list[tuple[BBox, str, float]]]:
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


def _zero_as_o(text: str) -> str:
    """二O一八 is printed with a letter O, a zero or 〇: read them alike."""
    return text.replace("〇", "O").replace("0", "O").replace("○", "O")


def read_lines(w: PageWork, template: Template, result: SheetResult) -> None:
    """The cover's labelled lines: a value after its label on the line, on an underlined
    blank right of it (often a little lower), or beside a label wrapped over two lines
    (`项目名` / `称：`): what lies right of the label, down to the next label."""
    h, wd = w.binary.shape
    y0, y1 = w.band or (0, h)
    page_text = w.text.read([(0, y0, wd, y1)], skip_empty=False)[0]
    rows = _rows_of_lines(list(page_text.lines))
    anchors = {}
    for spec in template.lines:
        if spec.until:
            _read_until(w, spec, rows, page_text, result)
            continue
        scored = [(_label_score(row[0][1], spec.label), row) for row in rows]
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
        text = clean(first[1])
        if text.startswith(clean(spec.label)) and len(text) > len(clean(spec.label)):
            parts = re.split(r"[:：]", first[1], maxsplit=1)
            head = parts[1] if len(parts) > 1 else first[1][len(spec.label):]
            value_lines = [(label, head, first[2]), *row[1:]]
        else:
            below = [t for t in tops if t > label[1] + lh / 2]
            y_hi = (below[0] - 0.2 * lh) if below else label[3] + 2 * lh
            value_lines = [ln for ln in page_text.lines if ln[0][0] >= label[2] - th / 2
                           and label[1] - lh / 2 <= (ln[0][1] + ln[0][3]) / 2 < y_hi]
        raw = "".join(t for _, t, _ in value_lines).strip("_ ")
        if not value_lines or not raw:
            result.readings[spec.id] = w.reading(None, None, first[2], label)
            continue
        bbox = _union([b for b, _, _ in value_lines])
        score = min(s for _, _, s in value_lines)
        result.readings[spec.id] = w.reading(raw, normalize(spec.type, raw), score, bbox)


def _label_score(read: str, label: str) -> float:
    """How well a line's text starts as `label`: whole, or its first part when the label
    wraps in a narrow column (`项目名` of `项目名称：`)."""
    t, lab = clean(read), clean(label)
    if not t or not lab:
        return 0.0
    if t.startswith(lab):
        return 1.0
    if len(t) >= 2 and len(t) < len(lab) and lab.startswith(t):
        return 0.9 * len(t) / len(lab) + 0.1
    return similarity(read[: len(label) + 1], label)


def _read_until(w: PageWork, spec, rows: list, page_text: RegionText,
                result: SheetResult) -> None:
    """A value inside a printed line, before `until` (`二O一八年  5  月`)."""
    label = _zero_as_o(spec.label)
    best = next((row for row in rows if label in (j := _zero_as_o("".join(t for _, t, _ in row)))
                 and spec.until in j.split(label, 1)[1]), None)
    if best is None:
        result.readings[spec.id] = w.reading(None, None, 0.0, None)
        return
    joined = "".join(t for _, t, _ in best)
    # the swap keeps lengths: find the label in it, slice the text as read
    start = _zero_as_o(joined).index(label) + len(spec.label)
    raw = joined[start:].split(spec.until, 1)[0].strip("_ ")
    if not raw:  # a lone "7" between wide gaps is lost in the line's reading
        raw = _fill_between(w, page_text.chars, best, spec.label[-1], spec.until) or raw
    boxes = [b for b, _, _ in best]
    value_boxes = boxes[1:] if len(boxes) > 1 else boxes
    score = min(s for _, _, s in best)
    result.readings[spec.id] = w.reading(raw, normalize(spec.type, raw), score,
                                         _union(value_boxes))


def _fill_between(w: PageWork, chars, row, before: str, after: str) -> str:
    """What is written between two printed characters of a row (`年 __ 月`), read alone."""
    lines = {b for b, _, _ in row}
    blank = _blank_of(w, [c for c in chars if c[2] in lines], f"{before}_{after}",
                      _union(list(lines)))
    fill = w.text.read_fills([blank])[0] if blank is not None else None
    return fill.text.strip("_ ") if fill is not None else ""


# -- bordered tables: label cells and value cells ----------------------------------------

@dataclass
class ObservedRow:
    work: PageWork
    cells: list[Cell]
    texts: list[RegionText]


def _observed_rows(works: list[PageWork]) -> list[ObservedRow]:
    rows = []
    for w in works:
        for grid in w.grids:
            grid_rows = grid.rows_of_cells()
            flat = [c for r in grid_rows for c in r]
            texts = iter(w.text.read([c.bbox for c in flat]))
            for r in grid_rows:
                rows.append(ObservedRow(w, r, [next(texts) for _ in r]))
    return rows


def _match_row(row: ObservedRow, specs: list[CellField]) -> tuple[float, list[int]]:
    """Score of `row` against expected label cells, and the index of each label cell."""
    found, start = [], 0
    for spec in specs:
        hit = next((i for i in range(start, len(row.cells))
                    if similarity(row.texts[i].text, spec.label) >= DEFAULT_LABEL_MATCH), None)
        if hit is None:
            found.append(-1)
        else:
            found.append(hit)
            start = hit + 1
    return sum(i >= 0 for i in found) / len(specs), found


def read_table(works: list[PageWork], table, template: Template, result: SheetResult) -> None:
    expected = [row for g in table.groups for row in g.rows]
    rows = _observed_rows(works)
    ptr = 0
    for row in rows:
        best_j, best_score, best_idx = -1, 0.0, []
        for j in range(ptr, min(ptr + DEFAULT_LOOKAHEAD, len(expected))):
            score, idx = _match_row(row, expected[j])
            if score > best_score + 1e-9:
                best_j, best_score, best_idx = j, score, idx
        if best_score < DEFAULT_ROW_MATCH:
            continue
        for spec, i in zip(expected[best_j], best_idx, strict=True):
            if i < 0 or i + 1 >= len(row.cells):
                continue
            cell, text = row.cells[i + 1], row.texts[i + 1]
            if spec.span and i + 2 < len(row.cells):
                # a value that runs to the table's edge, cut by a column's ruling taken
                # for running on through it: the cells right of the label are one value
                rest = row.cells[i + 1:]
                cell = Cell(row=cell.row, col=cell.col, rowspan=cell.rowspan,
                            colspan=sum(c.colspan for c in rest),
                            bbox=_union([c.bbox for c in rest]))
                text = row.work.text.read([cell.bbox])[0]
            if spec.type == "checkbox_group":
                read_checkboxes(row.work, cell, spec, result, text)
            else:
                raw, value = text.text, normalize(spec.type, text.text)
                score = min(text.score, DEFAULT_GUESSED) if misread(spec.type, value) else text.score
                result.readings[spec.id] = row.work.reading(raw, value, score,
                                                            text.bbox or cell.bbox)
        ptr = best_j + 1


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
    return t.strip("，,。.:： ")


def _chars_in(chars: list, seg: BBox, score: float) -> RegionText:
    """The part of a line already read that lies in `seg` (an option's words and blank)."""
    inside = [c for c in chars if seg[0] <= c[1] < seg[2]]
    if not inside:
        return RegionText("", 1.0, None)
    box = (round(inside[0][1]), inside[0][2][1], round(inside[-1][1]), inside[0][2][3])
    return RegionText("".join(c[0] for c in inside), score, box)


def _blank_of(w: PageWork, chars: list, printed: str, seg: BBox) -> BBox | None:
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


def read_checkboxes(w: PageWork, cell: Cell, spec: CellField, result: SheetResult,
                    text: RegionText | None = None) -> None:
    """A group's options: each box found by its printed label, else by shape alone.

    `text` is the cell as already read (with its characters' places), when it was."""
    found = find_checkboxes(w.page.image, region=cell.bbox, scale=w.scale)
    chars = list(text.chars) if text is not None and text.chars else w.text.chars(cell.bbox)
    anchors = label_anchors(chars, [o.label for o in spec.options])
    placed = option_boxes(w.page.image, found, anchors, w.scale) if any(anchors) else []
    by_shape = _option_boxes(found, len(spec.options))
    if all(anchors) or sum(b is not None for b in placed) >= len(by_shape):
        boxes = placed
    else:  # labels not read: the found boxes, look-alikes weeded out by their spacing
        boxes = list(by_shape)
    boxes += [None] * (len(spec.options) - len(boxes))
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
        segments.append((opt, seg, _blank_of(w, chars, opt.text, seg)))
    if not segments:
        return
    fills = w.text.read_fills([b for _, _, b in segments if b is not None])
    line_score = text.score if text is not None and text.chars else 1.0
    for opt, seg, blank in segments:
        part = _chars_in(chars, seg, line_score) if chars \
            else w.text.read([seg], skip_empty=False)[0]
        raw = _attached(part.text, opt.text)
        score = part.score
        if blank is not None:  # the blank alone, read on its own: a lone "7" on a long
            fill = fills.pop(0)  # underline is lost in the whole line's reading
            if fill is not None and re.search(r"[0-9A-Za-z\u4e00-\u9fff]", fill.text):  # not a speck
                raw, score, part = _attached(fill.text, "_"), fill.score, fill
        if re.fullmatch(r"[二一=＝]", raw.strip()):
            raw = "—"  # the form's "—" written on the blank's underline reads as 二 (or 一)
        if _is_dash(raw):
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


# -- free-text blocks ----------------------------------------------------------------------

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


# -- members (section 三) ------------------------------------------------------------------

def read_members(works: list[PageWork], template: Template, result: SheetResult) -> None:
    """Section 三: columns by their header text, party by the merged cell left of 姓名.

    Within the header's grid a cell's column is its grid column; a continuation grid on
    the next page (no header row) is matched to the header's columns by x position.
    """
    spec = template.members
    columns: dict[str, tuple[int, int]] = {}
    by_col: dict[int, str] = {}
    name_col = None
    party = None
    for w in works:
        for grid in w.grids:
            grid_rows = grid.rows_of_cells()
            flat = [c for r in grid_rows for c in r]
            texts = dict(zip(flat, w.text.read([c.bbox for c in flat]), strict=True))
            same_grid = False
            band: dict[str, list[Cell]] = {}  # the member row being gathered
            band_end, band_party = -1, party  # first grid row past it; its party
            for row in grid_rows:
                heads = {col.key: c for c in row for col in spec.columns
                         if similarity(texts[c].text, col.header) >= 0.8}
                if len(heads) >= 3:
                    columns = {k: (c.bbox[0], c.bbox[2]) for k, c in heads.items()}
                    by_col = {c.col: k for k, c in heads.items()}
                    name_col = heads["name"].col if "name" in heads else min(by_col)
                    same_grid = True
                    continue
                if not columns:
                    continue
                keyed: dict[str, list[Cell]] = {}
                ends = []
                for c in row:
                    key = by_col.get(c.col) if same_grid else _column_of(c, columns)
                    if key is None and same_grid:  # a stroke taken for a ruling split a column
                        key = _column_of(c, columns)
                    left = c.col < name_col if same_grid else c.bbox[2] <= columns.get(
                        "name", (0, 0))[0] + w.scale.text_height / 2
                    if left:
                        g = max(spec.groups, key=lambda g: similarity(texts[c].text, g.label))
                        if similarity(texts[c].text, g.label) >= 0.6:
                            party = g.party
                    elif key:
                        keyed.setdefault(key, []).append(c)
                        ends.append(c.row + c.rowspan)
                if party is None:
                    party = spec.groups[0].party
                if band and row[0].row < band_end and 2 * len(keyed) < len(band):
                    # A stroke taken for a ruling cut a cell or two of a member row (a dense
                    # signature, most often) while the others span on: the pieces below
                    # belong to the row above. (A row with most of its own cells is a row.)
                    for key, pieces in keyed.items():
                        band.setdefault(key, []).extend(pieces)
                    band_end = max([band_end, *ends])
                    continue
                if band:
                    _read_member_row(w, band, texts, spec, band_party, result)
                band, band_end, band_party = keyed, max(ends, default=row[0].row + 1), party
            if band:
                _read_member_row(w, band, texts, spec, band_party, result)


def _is_dash(value) -> bool:
    """"—" as written in an unused cell: a dash of any length, read as one or as 一."""
    return isinstance(value, str) and bool(re.fullmatch(r"[—–\-―‒一_ ]+", value))


def _union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _column_of(c: Cell, columns: dict[str, tuple[int, int]]) -> str | None:
    cx = (c.bbox[0] + c.bbox[2]) / 2
    return next((k for k, (x0, x1) in columns.items() if x0 <= cx < x1), None)


def _read_member_row(w: PageWork, keyed: dict[str, list[Cell]], texts, spec, party,
                     result) -> None:
    """One member row; a column split in pieces (a pen stroke taken for a ruling) is read
    as the whole of its pieces."""
    cells: dict[str, Reading] = {}
    types = {c.key: c.type for c in spec.columns}
    for key, pieces in keyed.items():
        read = [(texts[c], c) for c in sorted(pieces, key=lambda c: (c.row, c.col)) if texts[c].text]
        if key != "signed" and read:
            raw = "".join(t.text for t, _ in read)
            box = _union([t.bbox or c.bbox for t, c in read])
            cells[key] = w.reading(raw, normalize(types[key], raw), min(t.score for t, _ in read),
                                   box, whole=all(t.whole for t, _ in read))
    if not cells or all(_is_dash(r.value) for r in cells.values()):
        return  # an unused row, every cell "—" (the form's rule 4): not a member
    for key in ("name", "unit", "title", "role"):
        cells.setdefault(key, w.reading(None, None, 1.0, None))
    if "signed" in keyed:
        sign_box = _union([c.bbox for c in keyed["signed"]])
        sig = detect_signature(w.page.image, sign_box, text_height=w.scale.text_height)
        cells["signed"] = w.reading(None, bool(sig.signed), sig.confidence, sig.bbox or sign_box)
    else:
        cells["signed"] = w.reading(None, False, 0.0, None)
    index = sum(1 for m in result.members if m.party == party)
    result.members.append(MemberRow(party=party, index=index, cells=cells))


# -- opinions (section 五) -----------------------------------------------------------------

def read_opinions(works: list[PageWork], template: Template, engine, result: SheetResult) -> None:
    blocks = {b.party: b for b in template.opinions.blocks}
    for w in works:
        cells = [c for g in w.grids for c in g.cells]
        seals = {c: find_seals(w.page.image, region=c.bbox, text_height=w.scale.text_height)
                 for c in cells if _tall(c, w)}
        for found in seals.values():
            for seal in found:
                if seal.color == "grey":
                    w.text.drop_pale_ink(seal.bbox)
        texts = w.text.read([c.bbox for c in cells])
        for cell, text in zip(cells, texts, strict=True):
            found = _block_label(text, blocks)
            if found is None:
                continue
            k, party = found
            text = RegionText(text.text, text.score, text.bbox, text.lines[k:])
            _read_opinion(w, cell, text, blocks[party], engine, result, seals.get(cell, []),
                          _form_year(template))


def _no_such_day(month: str, day: str) -> bool:
    """No year has this day (`2月30日`, `4月31日`); 2月29日 exists in leap years."""
    try:
        dt.date(2000, int(month), int(day))
    except ValueError:
        return True
    return False


def _form_year(template: Template) -> int | None:
    return next((r.year for r in template.rules_for("invalid_date") if r.year), None)


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


def _tall(cell: Cell, w: PageWork) -> bool:
    """Only a cell a seal fits in can hold one (an opinion block, not a heading row)."""
    return cell.bbox[3] - cell.bbox[1] > DEFAULT_SEAL_CELL * w.scale.text_height


def _row_box(row: list[tuple[BBox, str, float]]) -> BBox:
    return _union([b for b, _, _ in row])


def _overlaps(a: BBox, b: BBox | None, share: float = 0.3) -> bool:
    if b is None:
        return False
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    area = max(1, (a[2] - a[0]) * (a[3] - a[1]))
    return ix * iy >= share * area


def _printed(row: list[tuple[BBox, str, float]], chars: str) -> list[tuple[BBox, str, float]]:
    """The lines of `row` that carry some of `chars` (a label's, a date's digits): a signature
    grouped into the row (a grey seal's ring joins the lines around it) is no print.

    >>> [t for _, t, _ in _printed([((0, 0, 9, 9), "人（公章）", 0.6), ((20, 0, 40, 9), "NKV", 0.9)],
    ...                            "（单位公章）")]
    ['人（公章）']
    """
    wanted = set(clean(chars))
    return [ln for ln in row if set(clean(ln[1])) & wanted]


def _stray(line: tuple[BBox, str, float]) -> bool:
    """A weakly read box without one Chinese character: a stroke of a seal or signature."""
    return line[2] < DEFAULT_STRAY_SCORE and not re.search(r"[\u4e00-\u9fff]", line[1])


def _read_opinion(w: PageWork, cell: Cell, text: RegionText, block, engine,
                  result: SheetResult, seals: list, year: int | None = None) -> None:
    """One block of section 五: opinion text, signature, seal and date.

    Lines are grouped into rows first: a date written as `2018 年 6 月 12 日` or a label
    followed by a signature comes back as several line boxes on one row.
    """
    base = f"opinions.{block.party}"
    th = w.scale.text_height
    rows = _rows_of_lines(list(text.lines))
    joined = ["".join(t for _, t, _ in r) for r in rows]
    sig_i = next((i for i, t in enumerate(joined) if "签字" in t or
                  similarity(t[: len(block.signature_label) + 2], block.signature_label) >= 0.7), None)
    seal_i = next((i for i, t in enumerate(joined) if "公章" in t), None)
    date_i = next((i for i in range(len(rows) - 1, -1, -1)
                   if re.search(r"年.*月.*日|\d{4}\s*年|\d\s*月.{0,4}日", joined[i])), None)
    # the signature: right of the printed label, on its row
    if sig_i is not None:
        label, said, _ = rows[sig_i][0]
        x0 = label[0] + int(len(block.signature_label) * th * 0.95)
        if (len(clean(said)) <= len(clean(block.signature_label))
                and label[2] - label[0] <= 1.25 * len(block.signature_label) * th):
            x0 = max(x0, label[2] + 1)  # the box holds the label alone: its end is known
        region = (x0, max(cell.bbox[1], label[1] - int(th)), cell.bbox[2],
                  min(cell.bbox[3], label[3] + int(th)))
    else:
        cx = (cell.bbox[0] + cell.bbox[2]) // 2
        region = (cx, cell.bbox[1] + (cell.bbox[3] - cell.bbox[1]) // 3, cell.bbox[2], cell.bbox[3])
    # printed lines near the signature (the 公章 label, the date) are not pen strokes
    exclude = [ln[0] for i, chars in ((seal_i, block.seal_label),
                                      (date_i, block.date_label + "0123456789"))
               if i is not None and i != sig_i for ln in _printed(rows[i], chars)]
    # colour takes a red seal away; a grey one (a greyscale scan) only by where it is
    sig = detect_signature(w.page.image, region, text_height=th, exclude=exclude,
                           discs=[(*s.center, s.radius) for s in seals if s.color == "grey"])
    result.readings[f"{base}.signed"] = w.reading(None, bool(sig.signed), sig.confidence,
                                                  sig.bbox or region)
    # the seal, anywhere in the block; its arc text names the unit (born-digital pages paste
    # the seal in as an image: it is read like a scan)
    seal = max(seals, key=lambda s: s.score) if seals else None
    if seal is not None:
        seal_text, score = read_seal_text(w.page.image, seal, engine)
        result.readings[f"{base}.sealed"] = w.reading(None, True, seal.score, seal.bbox)
        result.readings[f"{base}.seal_text"] = w.reading(seal_text, normalize("seal_text", seal_text),
                                                         score, seal.bbox)
    else:
        result.readings[f"{base}.sealed"] = w.reading(None, False, 1.0, None)
        result.readings[f"{base}.seal_text"] = w.reading(None, None, 1.0, None)
    # the opinion: rows after the block label, above the signature, without pen or seal ink
    end = min(i for i in (sig_i, seal_i, date_i, len(rows)) if i is not None)
    body = [ln for r in rows[:end] for ln in r
            if not _overlaps(ln[0], sig.bbox if sig.signed else None)
            and not _overlaps(ln[0], seal.bbox if seal else None, 0.6) and not _stray(ln)]
    parts = re.split(r"[:：]", "".join(t for _, t, _ in body), maxsplit=1)
    opinion = parts[1].strip() if len(parts) > 1 else ""
    body_box = _row_box(body) if body else None
    result.readings[f"{base}.text"] = w.reading(opinion or None, normalize("free_text", opinion),
                                                min((s for _, _, s in body), default=1.0), body_box)
    # the date row
    if date_i is not None:
        # a stroke of the seal on the row (weakly read, no character, no digit) is not the date
        row = [ln for ln in rows[date_i] if not (_stray(ln) and not re.search(r"\d", ln[1]))]
        row = row or rows[date_i]
        raw = "".join(t for _, t, _ in row)
        m = re.search(r"(\d{4}.*?日|年.*日)", raw)
        raw = m.group(1) if m else raw
        value, score = parse_date(raw), min(s for _, _, s in row)
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
            if not _no_such_day(month, day):  # else 2月30日 is wrong whatever the year
                score = min(score, DEFAULT_GUESSED)
        elif value is not None and not _WHOLE_DATE.fullmatch(value):
            # digits lost (under a seal, most often): a date read in part, not a wrong date
            score = min(score, DEFAULT_GUESSED)
        elif (value and year and abs(int(value[:4]) - year) > DEFAULT_YEAR_SPAN) or \
                misread("date", value):
            score = min(score, DEFAULT_GUESSED)  # 3048 on a 2018 form, 72月: misread
        result.readings[f"{base}.date"] = w.reading(raw, value, score, _row_box(row))
    else:
        result.readings[f"{base}.date"] = w.reading(None, None, 0.5, None)
