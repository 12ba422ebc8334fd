"""The members table (section 三): columns by their header text, party by the merged cell
left of 姓名; a continuation without its header is matched to the header's columns by x."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from tasksheet.extract.grid import Cell
from tasksheet.extract.normalize import normalize
from tasksheet.extract.page_text import RegionText, clean, similarity
from tasksheet.extract.signature import detect_signature
from tasksheet.readers.work import (
    SPECKS,
    PageWork,
    is_dash,
    union,
    unread_glyphs,
    without_edge_glyph,
)
from tasksheet.schemas.result import MemberRow, Reading, SheetResult
from tasksheet.schemas.template import Template

BBox = tuple[int, int, int, int]
DEFAULT_WORD_GAP = 1.6  # × text height between two characters' centres: two columns' words


def read_members(works: list[PageWork], template: Template, result: SheetResult) -> None:
    """Section 三: columns by their header text, party by the merged cell left of 姓名.

    Within the header's grid a cell's column is its grid column; a continuation grid on
    the next page (no header row) is matched to the header's columns by x position, the
    two tables' outer edges laid on each other (a page scanned a little shifted or scaled
    moves every column with it).
    """
    spec = template.members
    columns: dict[str, tuple[int, int]] = {}
    by_col: dict[int, str] = {}
    name_col = None
    party = None
    frame = (0, 1)  # the header table's left and right edges
    by_order = False
    centres: dict[str, float] = {}  # each column's header label's centre (header frame)
    over = False  # the table has ended: what follows is the next section's
    for w in works:
        for grid in w.grids:
            if over:
                return
            grid_rows = grid.rows_of_cells()
            flat = [c for r in grid_rows for c in r]
            texts = dict(zip(flat, w.text.read([c.bbox for c in flat]), strict=True))
            real = _table_columns(grid)
            same_grid = False
            band: dict[str, list[Cell]] = {}  # the member row being gathered
            band_end, band_party = -1, party  # first grid row past it; its party
            carried = party  # the party a row of this grid has before any label is read
            pending: list[tuple[dict[str, list[Cell]], str | None]] = []  # rows, parties
            labels: list[_Label] = []  # the group labels read in this grid's rows
            for row in grid_rows:
                heads = {col.key: c for c in row for col in spec.columns
                         if similarity(texts[c].text, col.header) >= 0.8}
                if len(heads) >= 3:
                    # headers sharing one cell: the header row's rulings were not seen (a
                    # short row at a page's foot); the columns are then known by their order
                    by_order = len({id(c) for c in heads.values()}) < len(heads)
                    if not by_order:
                        heads = _unread_headers(heads, row, spec)
                    columns = {k: (c.bbox[0], c.bbox[2]) for k, c in heads.items()}
                    centres = _label_centres(heads, texts, spec)
                    by_col = {c.col: k for k, c in heads.items()}
                    first = spec.columns[0].key  # the first column (姓名): party cells lie left of it
                    name_col = heads[first].col if first in heads else min(by_col)
                    same_grid = True
                    frame = (grid.bbox[0], grid.bbox[2])
                    continue
                if not columns:
                    continue
                if _across(row, centres, columns, None if same_grid else (grid, frame)):
                    over = True
                    break
                keyed: dict[str, list[Cell]] = {}
                ends = []
                whole_label = False  # a group's label read whole in this row's party cell
                for c in _split_by_labels(w, row, texts, centres, spec,
                                          None if same_grid else (grid, frame)):
                    if c.col < 0:  # a party label's lines inside a member's cell
                        labels.append(_Label(texts[c].bbox or c.bbox, _party_of(texts[c].text, spec),
                                             True))
                        party = labels[-1].party or party
                        continue
                    if isinstance(c, _Part):
                        keyed.setdefault(c.key, []).append(c)
                        ends.append(c.row + c.rowspan)
                        continue
                    if by_order:
                        key, left = _column_by_order(c, real, spec)
                        x0, x1 = (c.bbox[0], c.bbox[2]) if same_grid else _onto(c, grid, frame)
                        inside = [k for k, x in centres.items() if x0 <= x < x1]
                        if len(inside) == 1:  # under one label read in its place: its column
                            key, left = inside[0], False
                    else:
                        x0, x1 = (c.bbox[0], c.bbox[2]) if same_grid else _onto(c, grid, frame)
                        key = by_col.get(c.col) if same_grid else _column_of(x0, x1, columns)
                        if key is None and same_grid:  # a stroke taken for a ruling split it
                            key = _column_of(x0, x1, columns)
                        left = c.col < name_col if same_grid else _left_of_names(
                            x1, columns, centres, spec, w.scale.text_height)
                    if left:
                        # `单位` alone (a label cut in two by a ruling across its party
                        # cell) is every group's: the party stays (seed 6143 doc-0023)
                        party = (_party_of(texts[c].text, spec)
                                 or _label_start(texts[c].text, _text_below(c, flat, texts), spec)
                                 or party)
                        if any(clean(texts[c].text) == clean(g.label) for g in spec.groups):
                            whole_label = True
                        if _party_line(texts[c].text, spec):
                            labels.append(_Label(texts[c].bbox or c.bbox,
                                                 _party_of(texts[c].text, spec), c.rowspan == 1))
                    elif key:
                        keyed.setdefault(key, []).append(c)
                        ends.append(c.row + c.rowspan)
                for c in keyed.get(spec.columns[0].key, []) if whole_label else []:
                    # a label printed across the ruling left of the names: its glyph on
                    # the ruling read again with the name (`位钟宇`, seed 9721 doc-0017)
                    texts[c] = without_edge_glyph(texts[c], c.bbox[0], w.scale.text_height)
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
                    pending.append((band, band_party))
                band, band_end, band_party = keyed, max(ends, default=row[0].row + 1), party
            if band:
                pending.append((band, band_party))
            for band, band_party in _centred_parties(pending, labels, carried, w.scale.text_height):
                _read_member_row(w, band, texts, spec, band_party, result)


@dataclass(frozen=True)
class _Label:
    """A group label's line read left of the names: where, whose (None: `单位`, every
    group's), and whether its cell is one row's (not a merged cell spanning its group)."""

    box: BBox
    party: str | None
    one_row: bool


def _centred_parties(pending: list[tuple[dict[str, list[Cell]], str | None]],
                     labels: list[_Label], carried: str | None,
                     th: float) -> list[tuple[dict[str, list[Cell]], str | None]]:
    """The member rows of one grid with their parties, when every group label was read in a
    cell of one row: a table whose party column is ruled row by row (or whose ruling left of
    the names was lost, the label read inside a name's cell: `委托姜昊洋单位`) prints each
    label in the middle of its group, not in its first row, and the rows above a label are
    its group's too. Each group then reaches as far below its label's centre as it starts
    above it: from the previous group's end (the grid's first member row when no party ran
    on from the page before) to the row ending nearest twice that. Otherwise (a label in a
    merged cell starts its group) the parties as read, row by row.

    Seed 9857 doc-0007: 承接单位 in the middle row of its three, its first member was read
    as the commissioning party's fourth, every undertaking member one row off."""
    named = [lb for lb in labels if lb.party is not None]
    if not named or not pending or not all(lb.one_row for lb in labels):
        return pending
    spans = []
    for lb in named:  # the label's centre: its lines together (`委托` above `单位`)
        below = [o for o in labels if o.party is None and 0 <= o.box[1] - lb.box[3] < 1.5 * th]
        y0, y1 = lb.box[1], max([lb.box[3], *(o.box[3] for o in below)])
        if spans and spans[-1][0] == lb.party:
            spans[-1] = (lb.party, spans[-1][1], y1)
        else:
            spans.append((lb.party, y0, y1))
    boxes = [union([c.bbox for cs in band.values() for c in cs]) for band, _ in pending]
    out = [p for _, p in pending]
    start = 0 if carried is None else None
    for party, y0, y1 in spans:
        centre = (y0 + y1) / 2
        first = start if start is not None else next(
            (i for i, b in enumerate(boxes) if b[3] > centre), len(boxes))
        if first >= len(boxes):
            break
        reach = 2 * centre - boxes[first][1]
        last = min(range(first, len(boxes)), key=lambda i: abs(boxes[i][3] - reach))
        last = max(last, next((i for i, b in enumerate(boxes) if b[3] > centre), first))
        for i in range(first, last + 1):
            out[i] = party
        for i in range(last + 1, len(boxes)):  # past the group: the next label's, or this
            out[i] = party
        start = last + 1
    return [(band, p) for (band, _), p in zip(pending, out, strict=True)]


def _across(row: list[Cell], centres: dict[str, float], columns: dict[str, tuple[int, int]],
            onto) -> bool:
    """Whether a row past the header is one cell across every column: no member's (a
    member row is a name, a unit, … side by side) but the next section's, its heading or
    its box of text, where the members table has ended. Its heading unread, 三 ran on
    over 四's clauses and 五's opinions (seed 9133 doc-0002: 9 rows of their text taken for
    members, 36 false blank_field findings)."""
    if len(row) != 1 or not columns:
        return False
    c = row[0]
    x0, x1 = (c.bbox[0], c.bbox[2]) if onto is None else _onto(c, *onto)
    places = list(centres.values()) if len(centres) >= 2 else [
        (a + b) / 2 for a, b in columns.values()]
    return len(places) >= 2 and all(x0 <= x < x1 for x in places)


@dataclass(frozen=True)
class _Part(Cell):
    """The part of a member row's cell that is one column's: a cell whose rulings between
    columns were not found holds several columns' words."""

    key: str = ""


def _label_centres(heads: dict[str, Cell], texts, spec) -> dict[str, float]:
    """Each header label's x centre: where its characters were read in its cell (a header
    cell holding several labels, its rulings lost, tells each label's place), else its
    cell's middle when the cell holds that label alone."""
    out: dict[str, float] = {}
    for key, c in heads.items():
        chars = [(ch, x) for ch, x, _ in texts[c].chars if clean(ch)]
        seq = "".join(clean(ch) for ch, _ in chars)
        label = clean(next(col.header for col in spec.columns if col.key == key))
        at = seq.find(label) if len(seq) == len(chars) else -1
        if at >= 0:
            out[key] = sum(x for _, x in chars[at:at + len(label)]) / len(label)
        elif sum(h is c for h in heads.values()) == 1:
            out[key] = (c.bbox[0] + c.bbox[2]) / 2
    return out


def _party_of(text: str, spec) -> str | None:
    """The party whose group label `text` is more like than any other's (`委托` and `单位`
    read apart are 委托单位's; `单位` alone is every group's and no one's)."""
    scores = sorted(((similarity(text, g.label), g.party) for g in spec.groups), reverse=True)
    if scores and scores[0][0] >= 0.6 and (len(scores) < 2 or scores[0][0] > scores[1][0]):
        return scores[0][1]
    return None


def _text_below(cell: Cell, flat: list[Cell], texts) -> str:
    """The text of the cell of `cell`'s column starting where it ends (""), in its grid."""
    below = next((c for c in flat if c.col == cell.col and c.row == cell.row + cell.rowspan), None)
    return "" if below is None else texts[below].text


def _label_start(text: str, below: str, spec) -> str | None:
    """The party whose group label `text` begins and the party cell below it goes on with:
    a label cut in two by a ruling across its party cell (the ruling between its group's
    first two rows run on over it), its first glyph alone above (`承` over `接单位`). The
    group starts at the first piece (seed 5417 doc-0018, a photo: 梁霞博, the undertaking
    party's first member, was read as the commissioning party's fourth and every
    undertaking member one row off).

    >>> from types import SimpleNamespace as N
    >>> spec = N(groups=[N(label=x, party=p) for x, p in (("委托单位", "c"), ("承接单位", "u"))])
    >>> _label_start("承", "接单位", spec), _label_start("单位", "承接", spec)
    ('u', None)
    """
    t = clean(text)
    for g in spec.groups:
        lab = clean(g.label)
        if t and len(t) < len(lab) and lab.startswith(t) and below \
                and _party_of(t + clean(below), spec) == g.party:
            return g.party
    return None


def _party_line(text: str, spec) -> bool:
    """A group label's word or two (`委托`, `单位`, `承接单位`): a party cell's line."""
    part = clean(text)
    return len(part) >= 2 and any(part in clean(g.label) for g in spec.groups)


def _split_by_labels(w: PageWork, row: list[Cell], texts, centres: dict[str, float], spec,
                     onto) -> list[Cell]:
    """The row's cells, each cell that spans two columns' label centres or more (or the
    name's, holding a group label's line) parted into the columns' parts (`_Part`): its
    lines each go to the column whose label's centre is nearest; lines of a group label
    (`委托` `单位` nearest the name: the party's ruling lost too) are a party part (col -1). The rulings between columns turned against the text
    (an office's tilt, seed 8527 doc-0005) were lost, and a row read `廖婷川成都市食品药品
    监督管理局` as one member's 职务."""
    if len(centres) < 2:
        return row
    out: list[Cell] = []
    order = sorted(centres, key=centres.get)
    for c in row:
        x0, x1 = (c.bbox[0], c.bbox[2]) if onto is None else _onto(c, *onto)
        covered = [k for k in order if x0 <= centres[k] < x1]
        segments = _segments(texts[c], w.scale.text_height) if covered else []
        if not covered or (len(covered) == 1 and (covered[0] != order[0] or not any(
                _party_line(t, spec) for _, t, _ in segments))):
            out.append(c)  # one column's cell (the name's holding no group label)
            continue
        k_ = (x1 - x0) / max(1, c.bbox[2] - c.bbox[0])
        parts: dict[str, list[tuple[BBox, str, float]]] = {}
        party: list[tuple[BBox, str, float]] = []
        for seg in segments:
            mid = x0 + ((seg[0][0] + seg[0][2]) / 2 - c.bbox[0]) * k_
            key = min(covered, key=lambda k: abs(centres[k] - mid))
            if key == order[0] and _party_line(seg[1], spec):
                party.append(seg)
            else:
                parts.setdefault(key, []).append(seg)
        signed = next(col.key for col in spec.columns if col.type == "signature")
        if signed in covered:  # the pen's strokes: the cell right of the words read
            left = max((sg[0][2] for k, sgs in parts.items() if k != signed for sg in sgs),
                       default=c.bbox[0])
            parts[signed] = [((left, c.bbox[1], c.bbox[2], c.bbox[3]), "", 1.0)]
        for key, segs in [("", party), *parts.items()]:
            if not segs:
                continue
            box = union([sg[0] for sg in segs])
            part = _Part(c.row, -1 if not key else c.col, c.rowspan, c.colspan, box, key=key)
            segs = [sg for sg in segs if sg[1]]
            texts[part] = RegionText("".join(sg[1] for sg in segs),
                                     min((sg[2] for sg in segs), default=1.0), box, tuple(segs))
            out.append(part)
    return out


def _segments(text: RegionText, th: float) -> list[tuple[BBox, str, float]]:
    """A cell's words as read, each line cut where its characters stand apart (a centre
    `DEFAULT_WORD_GAP` from the next: a name and a unit whose ruling was lost, read as one
    line `廖婷川成都市食品药品监督管理局`): (box, text, its line's score). A line whose
    characters' places are not known is one segment."""
    out = []
    for ln, t, score in text.lines:
        xs = sorted(x for _, x, cl in text.chars if cl == ln)
        chars = [ch for ch, x, cl in sorted(text.chars, key=lambda c: c[1]) if cl == ln]
        if not xs or len(chars) != len(t.replace(" ", "")):
            out.append((ln, t, score))
            continue
        start = 0
        for k in range(1, len(xs) + 1):
            if k == len(xs) or xs[k] - xs[k - 1] >= DEFAULT_WORD_GAP * th:
                a = ln[0] if start == 0 else round((xs[start - 1] + xs[start]) / 2)
                b = ln[2] if k == len(xs) else round((xs[k - 1] + xs[k]) / 2)
                out.append(((a, ln[1], b, ln[3]), "".join(chars[start:k]), score))
                start = k
    return out


def _unread_headers(heads: dict[str, Cell], row: list[Cell], spec) -> dict[str, Cell]:
    """The header row's columns with those whose header was not read (printed pale on a
    shaded row, under a seal, read `分` or `签宇`) taken by the form's column order: the
    columns missing between two read ones (or past the last one read) are the cells of the
    row between them, in order, when there are as many cells as columns missing.

    Without it the whole column went unread: seed 2101 doc-0007's pale `分工` header left
    every member's 分工 blank (8 false blank_field findings); seed 8527 doc-0023's `分` and
    `签宇`, the last two, every 分工 and every signature (16 false findings).
    """
    keys = [col.key for col in spec.columns]
    known = {id(c) for c in heads.values()}
    out = dict(heads)
    for i, key in enumerate(keys):
        if key in heads:
            continue
        li = next((j for j in range(i - 1, -1, -1) if keys[j] in heads), None)
        ri = next((j for j in range(i + 1, len(keys)) if keys[j] in heads), len(keys))
        if li is None:  # left of 姓名 lies the party cell: no order tells them apart
            continue
        x0 = heads[keys[li]].col
        x1 = heads[keys[ri]].col if ri < len(keys) else None
        between = sorted((c for c in row if id(c) not in known and c.col > x0
                          and (x1 is None or c.col + c.colspan <= x1)), key=lambda c: c.col)
        if len(between) == ri - li - 1:  # as many cells as columns missing: one each
            out[key] = between[i - li - 1]
    return out


def _table_columns(grid) -> list[int]:
    """The grid columns that start a column of the table: those most of its rows have. A
    stroke taken for a ruling splits a cell of one row (a dense signature), and the grid
    column it starts is no column of the table (seed 829 doc-0009: a signature split its
    cell, every member of the page was read one column to the left).

    >>> from tasksheet.extract.grid import Cell, Grid
    >>> rows = [[Cell(r, 0, 1, 1, (0, 0, 1, 1)), Cell(r, 1, 1, 2, (0, 0, 1, 1))] for r in (0, 2)]
    >>> split = [Cell(1, 0, 1, 1, (0, 0, 1, 1)), Cell(1, 1, 1, 1, (0, 0, 1, 1)),
    ...          Cell(1, 2, 1, 1, (0, 0, 1, 1))]
    >>> whole = [Cell(3, 0, 1, 3, (0, 0, 1, 1)), Cell(4, 0, 1, 3, (0, 0, 1, 1))]
    >>> _table_columns(Grid((0, 0, 1, 1), [], [], rows[0] + split + rows[1] + whole))
    [0, 1]
    """
    starts = [{c.col for c in grid.cells if c.row <= r < c.row + c.rowspan}
              for r in range(max(c.row + c.rowspan for c in grid.cells))]
    starts = [s for s in starts if len(s) > 1]  # a row of one cell tells no columns
    covering = Counter(col for s in starts for col in s)
    return sorted(col for col, n in covering.items() if 2 * n > len(starts)) or [0]


def _column_by_order(c: Cell, real: list[int], spec) -> tuple[str | None, bool]:
    """A cell's column by the form's column order, counted from the table's right edge (the
    signature column is last) over the table's own columns (`real`, `_table_columns`): its
    key, or left of them all (a party cell). A piece of a split cell is its column's."""
    keys = [col.key for col in spec.columns]
    i = bisect_right(real, c.col) - 1 - (len(real) - len(keys))
    if i < 0:
        return None, True
    spans = sum(c.col <= j < c.col + c.colspan for j in real)
    return (keys[i] if spans <= 1 and i < len(keys) else None), False


def _left_of_names(x1: float, columns: dict[str, tuple[int, int]], centres: dict[str, float],
                   spec, th: float) -> bool:
    """Whether a continuation's cell ending at `x1` (header frame) lies left of the 姓名
    column: past the column's left edge by no more than half a text height, or short of its
    label's centre (a name cell holds the middle of its column). The header's 姓名 cell may
    span the party's column too: seed 9133 doc-0007's header row sat in the grid of the
    table above, its 姓名 cell over both columns, and every party label was read into its
    row's name (`委托单位冯超涛`), every member taken for the first party's."""
    first = spec.columns[0].key
    edge = columns.get(first, (0, 0))[0] + th / 2
    return x1 <= max(edge, centres.get(first, edge))


def _column_of(x0: float, x1: float, columns: dict[str, tuple[int, int]]) -> str | None:
    cx = (x0 + x1) / 2
    return next((k for k, (a, b) in columns.items() if a <= cx < b), None)


def _onto(c: Cell, grid, frame: tuple[int, int]) -> tuple[float, float]:
    """A continuation cell's x extent in the header table's frame: the tables' outer edges
    laid on each other."""
    g0, g1 = grid.bbox[0], grid.bbox[2]
    k = (frame[1] - frame[0]) / max(1, g1 - g0)
    return frame[0] + (c.bbox[0] - g0) * k, frame[0] + (c.bbox[2] - g0) * k


def _read_member_row(w: PageWork, keyed: dict[str, list[Cell]], texts, spec, party,
                     result) -> None:
    """One member row; a column split in pieces (a pen stroke taken for a ruling) is read
    as the whole of its pieces."""
    cells: dict[str, Reading] = {}
    types = {c.key: c.type for c in spec.columns}
    signed = next(c.key for c in spec.columns if c.type == "signature")
    for key, pieces in keyed.items():
        read = [(texts[c], c) for c in sorted(pieces, key=lambda c: (c.row, c.col)) if texts[c].text]
        if len(pieces) > 1 and len({(c.row, c.rowspan) for c in pieces}) == 1 and key != signed:
            # side by side in one row: a text stroke taken for a ruling (据's 扌 above 析's
            # 木) cut the words, and each piece alone reads a character or two: read the whole
            whole = union([c.bbox for c in pieces])
            read = [(t, Cell(pieces[0].row, pieces[0].col, pieces[0].rowspan, len(pieces), whole))
                    for t in w.text.read([whole]) if t.text]
        if key == signed or not read:
            continue
        read = [(unread_glyphs(w, t), c) for t, c in read]
        # a name, a unit, a title, a role: words, never begun or ended by punctuation; what
        # stands there is a speck of the scan (`龚颖.`; `，一` for a "—" on a 1-bit scan)
        raw = "".join(t.text for t, _ in read).strip(SPECKS)
        if raw:
            box = union([t.bbox or c.bbox for t, c in read])
            cells[key] = w.reading(raw, normalize(types[key], raw), min(t.score for t, _ in read),
                                   box, whole=all(t.whole for t, _ in read))
    if not cells or all(is_dash(r.value) for r in cells.values()):
        return  # an unused row, every cell "—" (the form's rule 4): not a member
    for key in (c.key for c in spec.columns if c.key != signed):
        cells.setdefault(key, w.reading(None, None, 1.0, None))
    if signed in keyed:
        sign_box = union([c.bbox for c in keyed[signed]])
        sig = detect_signature(w.page.image, sign_box, text_height=w.scale.text_height)
        cells[signed] = w.reading(sig.raw, bool(sig.signed), sig.confidence, sig.bbox or sign_box)
    else:
        cells[signed] = w.reading(None, False, 0.0, None)
    index = sum(1 for m in result.members if m.party == party)
    result.members.append(MemberRow(party=party, index=index, cells=cells))
