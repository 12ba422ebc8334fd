"""Labelled rows of bordered tables: each observed grid row is aligned to the next expected
row whose label cells it carries (labels such as 电话 repeat, so order disambiguates); a
value is the cell right of its label. Rows continue over pages: the bands are one table."""

from __future__ import annotations

from dataclasses import dataclass

from tasksheet.extract.grid import Cell
from tasksheet.extract.normalize import misread, normalize
from tasksheet.extract.page_text import RegionText, clean, similarity
from tasksheet.readers.checkboxes import read_checkboxes
from tasksheet.readers.work import DEFAULT_GUESSED, PageWork, union
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
        specs, idx = expected[best_j], list(best_idx)
        merged, inside = _merged_labels(row, specs, idx)
        for k, (spec, i) in enumerate(zip(specs, idx, strict=True)):
            if k in merged and (i + 1 >= len(row.cells) or k in inside):
                found = _after_label(row, i, spec.label)
                if found is None:
                    continue
                cell, text = found
            elif i < 0 or i + 1 >= len(row.cells):
                continue
            else:
                cell, text = row.cells[i + 1], row.texts[i + 1]
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
