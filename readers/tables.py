"""Labelled rows of bordered tables: each observed grid row is aligned to the next expected
row whose label cells it carries (labels such as 电话 repeat, so order disambiguates); a
value is the cell right of its label. Rows continue over pages: the bands are one table."""

from __future__ import annotations

from dataclasses import dataclass

from tasksheet.extract.grid import Cell, Grid
from tasksheet.extract.normalize import misread, normalize
from tasksheet.extract.page_text import RegionText, clean, similarity
from tasksheet.readers.checkboxes import read_checkboxes
from tasksheet.readers.work import (
    DEFAULT_GUESSED,
    SPECKS,
    BBox,
    PageWork,
    union,
    without_edge_glyph,
)
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import CellField, Template

DEFAULT_LABEL_MATCH = 0.7  # a cell this like a label is that label
DEFAULT_ROW_MATCH = 0.5


DEFAULT_LOOKAHEAD = 4


@dataclass
class ObservedRow:
    work: PageWork
    cells: list[Cell]
    texts: list[RegionText]
    grid: Grid | None = None


def _observed_rows(works: list[PageWork]) -> list[ObservedRow]:
    rows = []
    for w in works:
        for grid in w.grids:
            grid_rows = grid.rows_of_cells()
            flat = [c for r in grid_rows for c in r]
            texts = iter(w.text.read([c.bbox for c in flat]))
            for r in grid_rows:
                rows.append(ObservedRow(w, r, [next(texts) for _ in r], grid))
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


def _merged_labels(row: ObservedRow, specs: list[CellField],
                   idx: list[int]) -> tuple[dict[int, int], set[int]]:
    """Labels not found as cells of their own but inside the value cell before them (a
    ruling between a value and the next label lost: `17345997012Email`): each such label's
    index into `specs` and where it starts in that cell's text; and those whose value is in
    that cell too, after the label (the ruling after the label lost as well:
    `17345997012Emailab@163.com`). `idx` is updated: the merged cell stands for the label's
    cell, so its value is the cell after unless it is inside."""
    out, inside = {}, set()
    for k in range(1, len(specs)):
        prev = idx[k - 1]
        if prev < 0 or prev + 1 >= len(row.cells) or idx[k] not in (-1, prev + 1):
            continue
        text = row.texts[prev + 1].text
        at = text.rfind(specs[k].label)
        if at <= 0:
            continue
        idx[k] = prev + 1
        out[k] = at
        if len(clean(text[at + len(specs[k].label):])) > 1:
            inside.add(k)
    return out, inside


def _label_heads(row: ObservedRow, specs: list[CellField], idx: list[int]) -> set[int]:
    """Labels whose cell holds their value too, after them: the ruling between a label and
    its value lost (`负责人郭辉娜` in one cell). Each such label's index into `specs` (`idx`
    points at that cell, found as the label or searched past the previous label's value).
    A label's cell is taken to hold its value only where no cell of its own follows it:
    none, or the next label's (the specks of a scan after a label are no value)."""
    heads = set()
    for k, spec in enumerate(specs):
        if idx[k] >= 0:
            cands = [idx[k]]
        else:
            lo = next((idx[j] + 2 for j in range(k - 1, -1, -1) if idx[j] >= 0), 0)
            hi = next((idx[j] for j in range(k + 1, len(specs)) if idx[j] >= 0), len(row.cells))
            cands = list(range(lo, hi))
        for i in cands:
            text = row.texts[i].text.strip(SPECKS)
            nxt = idx[k + 1] if k + 1 < len(specs) else -1
            if (text.startswith(spec.label) and text[len(spec.label):].strip(SPECKS)
                    and (i + 1 >= len(row.cells) or nxt == i + 1)):
                idx[k] = i
                heads.add(k)
                break
    return heads


def _spanning_value(row: ObservedRow, label: Cell, labels: list[BBox]) -> Cell | None:
    """The cell right of `label` when it starts in an earlier grid row and spans down over
    the label (the ruling between two rows lost in the value column only: 经费来源's value
    cell runs on over 政策支持's), clipped to the label's rows."""
    if row.grid is None:
        return None
    for c in row.grid.cells:
        if (c.col > label.col and c.row < label.row < c.row + c.rowspan
                and c.bbox[0] >= label.bbox[2] - 1):
            return _clipped(c, label, labels)
    return None


def _clipped(value: Cell, label: Cell, labels: list[BBox]) -> Cell:
    """`value` cut to the rows of its label's cell, when it spans more of them and another
    label's cell stands in its label's column beside it (`labels`: the cells read as a
    label): a value stands beside its label, and what the cell holds beside another label
    is that label's, the ruling between their values lost. (A label's cell cut by a stroke
    taken for a ruling has no other label beside the value: the value is kept whole.)"""
    if value.rowspan <= label.rowspan:
        return value
    y0, y1 = max(value.bbox[1], label.bbox[1]), min(value.bbox[3], label.bbox[3])
    beside = [b for b in labels if b != label.bbox and b[0] < label.bbox[2] and label.bbox[0] < b[2]
              and value.bbox[1] <= (b[1] + b[3]) / 2 < value.bbox[3]]
    if y1 <= y0 or not beside:
        return value
    return Cell(row=label.row, col=value.col, rowspan=label.rowspan, colspan=value.colspan,
                bbox=(value.bbox[0], y0, value.bbox[2], y1))


def _after_label(row: ObservedRow, i: int, label: str) -> tuple[Cell, RegionText] | None:
    """The part of cell `i` right of `label` read in it (the rulings around a label and its
    value both lost: `17345997012Email —` in one cell), as a cell of its own."""
    cell, text = row.cells[i], row.texts[i]
    xs = [x for ch, x, _ in text.chars]
    at = text.text.rfind(label)
    if at < 0 or not xs or len(xs) != len(text.text.replace(" ", "")):
        return None
    end = xs[min(len(xs) - 1, at + len(label) - 1)] + row.work.scale.text_height * 0.6
    part = Cell(row=cell.row, col=cell.col, rowspan=cell.rowspan, colspan=cell.colspan,
                bbox=(round(end), cell.bbox[1], cell.bbox[2], cell.bbox[3]))
    return part, row.work.text.read([part.bbox])[0]


def _without_label_tail(row: ObservedRow, i: int, text: RegionText, label: str) -> RegionText:
    """The value right of label cell `i` without the label's last glyph read again at its
    start: a label printed across the ruling between its cell and the value's (the rules
    turned against the text) is read whole in its cell, and its last glyph, on the
    ruling, once more with the value (`人尹然婷` beside `负责人`: seed 5417 doc-0019, a
    false person_name). Only a Chinese glyph: a Latin label's last letter (`Email`'s l)
    may well begin a value."""
    last = clean(label)[-1:]
    if not ("\u4e00" <= last <= "\u9fff") or not clean(row.texts[i].text).endswith(last):
        return text
    return without_edge_glyph(text, row.cells[i + 1].bbox[0], row.work.scale.text_height, last)


def read_table(works: list[PageWork], table, template: Template, result: SheetResult) -> None:
    expected = [row for g in table.groups for row in g.rows]
    rows = _observed_rows(works)
    labels = [c.bbox for r in rows for c, t in zip(r.cells, r.texts, strict=True)
              if any(similarity(t.text, spec.label) >= DEFAULT_LABEL_MATCH
                     for specs in expected for spec in specs)]
    ptr = 0
    for row in rows:
        best_j, best_score, best_idx = -1, 0.0, []
        for j in range(ptr, min(ptr + DEFAULT_LOOKAHEAD, len(expected))):
            score, idx = _match_row(row, expected[j])
            if score > best_score + 1e-9:
                best_j, best_score, best_idx = j, score, idx
        if best_score < DEFAULT_ROW_MATCH:
            continue
        specs, idx = expected[best_j], list(best_idx)
        merged, inside = _merged_labels(row, specs, idx)
        heads = _label_heads(row, specs, idx)
        for k, (spec, i) in enumerate(zip(specs, idx, strict=True)):
            if k in heads or (k in merged and (i + 1 >= len(row.cells) or k in inside)):
                found = _after_label(row, i, spec.label)
                if found is None:
                    continue
                cell, text = found
            elif i < 0:
                continue
            elif i + 1 >= len(row.cells):
                spanning = _spanning_value(row, row.cells[i], labels)
                if spanning is None:
                    continue
                cell = spanning
                text = row.work.text.read([cell.bbox])[0]
            else:
                cell, text = row.cells[i + 1], row.texts[i + 1]
                clipped = _clipped(cell, row.cells[i], labels)
                if clipped is not cell:
                    cell, text = clipped, row.work.text.read([clipped.bbox])[0]
                text = _without_label_tail(row, i, text, spec.label)
            if k + 1 in merged:  # the next label ran into this value: the value is before it
                text = RegionText(text.text[:merged[k + 1]], text.score, text.bbox, text.lines,
                                  text.chars)
            if spec.span and i + 2 < len(row.cells):
                # a value that runs to the table's edge, cut by a column's ruling taken
                # for running on through it: the cells right of the label are one value
                rest = row.cells[i + 1:]
                cell = Cell(row=cell.row, col=cell.col, rowspan=cell.rowspan,
                            colspan=sum(c.colspan for c in rest),
                            bbox=union([c.bbox for c in rest]))
                text = row.work.text.read([cell.bbox])[0]
            if spec.type == "checkbox_group":
                read_checkboxes(row.work, cell, spec, result, text)
            else:
                raw, value = text.text, normalize(spec.type, text.text)
                score = min(text.score, DEFAULT_GUESSED) if misread(spec.type, value) else text.score
                result.readings[spec.id] = row.work.reading(raw, value, score,
                                                            text.bbox or cell.bbox)
        ptr = best_j + 1
