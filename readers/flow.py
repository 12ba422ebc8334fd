"""The document as a flow of sections: where each section of the form lies, on any layout.

A word processor lets a section start wherever the previous one ends: a page may hold the
end of 一, all of 二 and the start of 三, and a table runs on over the next page without its
heading. So sections are not pages. Each section is found by its printed heading (a line
of its own, or the first line of a table cell), in the order the template lists them; a
section runs from its heading to the next heading found, over as many pages as that takes.
A section whose heading was not read keeps the pages ingest recognised as its own.

What a section's reader gets is a list of bands: (page, top, bottom) stretches of pages in
document order, each a `PageWork` whose grids hold only the cells inside the band.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from tasksheet.extract.grid import Grid
from tasksheet.extract.page_text import (
    DEFAULT_HEADING_EXTRA,
    DEFAULT_HEADING_INK,
    clean,
    heading_chars,
    inked_width,
    read_outline,
    similarity,
)
from tasksheet.readers.work import DEFAULT_GLYPH_HEIGHT
from tasksheet.schemas.template import Template

BBox = tuple[int, int, int, int]
DEFAULT_HEADING_MATCH = 0.75  # a line this like a section's heading is that heading
DEFAULT_HEADER_MATCH = 0.8  # a line this like a column's header is that header
DEFAULT_HEADER_COLUMNS = 3  # column headers on one row that make a table's header row


@dataclass(frozen=True)
class Mark:
    """A section heading found in the flow: page position in document order, and its top."""

    section: str
    order: int  # index of the page in document order
    y: int


def _grids_in(grids: list[Grid], y0: float, y1: float) -> list[Grid]:
    """The grids cut to the cells whose vertical centre lies in [y0, y1)."""
    out = []
    for g in grids:
        cells = [c for c in g.cells if y0 <= (c.bbox[1] + c.bbox[3]) / 2 < y1]
        if cells:
            out.append(Grid(bbox=(g.bbox[0], max(g.bbox[1], int(y0)), g.bbox[2],
                                  min(g.bbox[3], int(y1))), rows=g.rows, cols=g.cols, cells=cells))
    return out


def band(work, y0: float, y1: float):
    """The part of a page between y0 and y1, as a PageWork its readers can take whole."""
    h = work.binary.shape[0]
    if y0 <= 0 and y1 >= h:
        return work
    return dataclasses.replace(work, grids=_grids_in(work.grids, y0, y1),
                               band=(int(max(0, y0)), int(min(h, y1))))


def outline(work, most_chars: int | None = None) -> list[tuple[BBox, str]]:
    """The lines a heading can be (`extract.page_text.outline_rows`: each cell's first text
    line and every line outside the page's tables), read in one batch, each row's text
    joined. The readers read them again from the page's cache; classification, when it
    read the page's outline first, left them there (the same crops in the same batch).

    With `most_chars`, a line outside the tables that inks more than that many characters'
    width is left unread: body text (a page of notes, 四's printed terms) no reader wants.
    """
    rows, texts = read_outline(work, most_chars)
    thin = _thin_rows(work) + _gap_rows(work, rows, most_chars)
    texts = {**texts, **dict(zip((b for r in thin for b in r),
                                 work.text.read_line_boxes([b for r in thin for b in r]),
                                 strict=True))}
    out = []
    for r in sorted(rows + thin, key=lambda r: (r[0][1], r[0][0])):
        text = "".join(texts[b][0] for b in r)
        if text:
            out.append(((r[0][0], min(b[1] for b in r), r[-1][2], max(b[3] for b in r)), text))
    return out


def _thin_rows(work) -> list[list[BBox]]:
    """The first line of each cell where no line of text was found (too thin to hold one:
    `outline_rows` passes it by; or its lines cut by its edges) whose row's rulings stand a
    line of text apart, looked for between those rulings: rulings turned against the text
    (an office's tilt) leave a heading's cell a sliver between them, the heading across the
    rulings' ends (seed 9133 doc-0002: `四、共同条款` and `五、三方单位意见` in cells 20 px
    tall, `二、试点项目内容` in one of 29 px; none found, 三 ran on over 四 and 五)."""
    th = work.scale.text_height
    out: list[list[BBox]] = []
    for g in work.grids:
        for c in g.cells:
            if c.row + c.rowspan >= len(g.rows) or (
                    c.bbox[3] - c.bbox[1] >= 0.8 * th and work.text.lines(c.bbox)):
                continue
            y0, y1 = g.rows[c.row], g.rows[c.row + c.rowspan]
            if y1 - y0 < th:
                continue
            # a sliver of a turned ruling is no line of text: the heading is the first line
            # a glyph tall (seed 9721 doc-0017: 11 px of ruling above `二、试点项目内容`
            # taken for the cell's first line, the heading passed by, 二 lost)
            lines = [ln for ln in work.text.lines((c.bbox[0], y0, c.bbox[2], y1))
                     if ln[3] - ln[1] >= DEFAULT_GLYPH_HEIGHT * th]
            if lines:
                top = lines[0]
                out.append(sorted((ln for ln in lines if top[1] <= (ln[1] + ln[3]) / 2 <= top[3]),
                                  key=lambda b: b[0]))
    return out


def _gap_rows(work, known: list[list[BBox]], most_chars: int | None) -> list[list[BBox]]:
    """The lines between two tables of the page (where a section's heading stands), looked
    for in the gap between them alone, that the outline's search over the whole page did
    not find: there a heading set close above a table whose rules are turned against the
    text was lost with the ruling's remnants (seed 5417 doc-0019 p4: `四. 共同条款` 3 px above
    the clauses' box, not found, 四 missing and its clauses read as 三's). A line of more
    than `most_chars` characters' ink is body text, as in the outline."""
    th = work.scale.text_height
    have = [b for r in known for b in r]
    widest = None if most_chars is None else most_chars * DEFAULT_HEADING_INK * th
    grids = sorted(work.grids, key=lambda g: g.bbox[1])
    out: list[list[BBox]] = []
    for a, b in zip(grids, grids[1:], strict=False):
        y0, y1 = a.bbox[3] - th / 2, b.bbox[1] + th / 2  # the tables' edges: their rulings
        if b.bbox[1] - a.bbox[3] < th:
            continue
        x0, x1 = min(a.bbox[0], b.bbox[0]), max(a.bbox[2], b.bbox[2])
        for ln in work.text.lines((x0, y0, x1, y1)):
            mid = (ln[1] + ln[3]) / 2
            if (ln[3] - ln[1] >= DEFAULT_GLYPH_HEIGHT * th and a.bbox[3] < mid < b.bbox[1]
                    and not any(h[1] <= mid <= h[3] and h[0] < ln[2] and ln[0] < h[2] for h in have)
                    and (widest is None or inked_width(work.binary, ln, th) <= widest)):
                out.append([ln])
    return out


def _is_heading(text: str, heading: str) -> bool:
    return (len(clean(text)) <= len(clean(heading)) + DEFAULT_HEADING_EXTRA
            and similarity(text, heading) >= DEFAULT_HEADING_MATCH)


def find_marks(works: list, template: Template) -> list[Mark]:
    """Each section's heading, the first after the previous section's, in template order.

    A section whose heading was not read (printed as a table's title row that a broken
    ruling merged into another cell, under a seal) but whose table has a header row of
    its own (三: 姓名 | 工作单位 | 职务/职称 | 分工 | 签字) starts at that row, when it lies
    between the marks found before and after it (`_header_marks`).
    """
    found: list[tuple[int, int, str]] = []  # (order, y, text)
    boxes: list[tuple[int, BBox, str]] = []
    most = heading_chars(template.headings)
    for k, w in enumerate(works):
        lines = outline(w, most)
        found += [(k, b[1], text) for b, text in lines]
        boxes += [(k, b, text) for b, text in lines]
    found.sort(key=lambda f: (f[0], f[1]))
    marks: list[Mark] = []
    pos = (-1, -1)
    for page in template.pages:
        if not page.heading:
            continue
        hit = next((f for f in found if (f[0], f[1]) > pos and _is_heading(f[2], page.heading)),
                   None)
        if hit is not None:
            marks.append(Mark(page.id, hit[0], hit[1]))
            pos = (hit[0], hit[1])
    return _header_marks(marks, boxes, template)


def _header_marks(marks: list[Mark], boxes: list[tuple[int, BBox, str]], template: Template
                  ) -> list[Mark]:
    """`marks` with the members section started at its table's header row when its heading
    was not found: the first outline row, after the mark before it and before the mark
    after it, holding at least `DEFAULT_HEADER_COLUMNS` of the table's column headers."""
    members = template.members
    if members is None or any(m.section == members.page for m in marks):
        return marks
    ids = [p.id for p in template.pages if p.heading]
    if members.page not in ids:
        return marks
    i = ids.index(members.page)
    before = [m for m in marks if m.section in ids[:i]]
    after = [m for m in marks if m.section in ids[i + 1:]]
    lo = (before[-1].order, before[-1].y) if before else (-1, -1)
    hi = (after[0].order, after[0].y) if after else (len(boxes) + 1, 0)  # past every page
    headers = [c.header for c in members.columns]
    for k, b, _ in sorted(boxes, key=lambda x: (x[0], x[1][1])):
        if not lo < (k, b[1]) < hi:
            continue
        mid = (b[1] + b[3]) / 2
        row = sorted((bb, t) for kk, bb, t in boxes if kk == k and bb[1] <= mid <= bb[3])
        joined = clean("".join(t for _, t in row))  # the row read as one line, or cell by cell
        seen = {h for h in headers if clean(h) in joined or any(
            similarity(t, h) >= DEFAULT_HEADER_MATCH and len(clean(t)) <= len(clean(h)) + 1
            for _, t in row)}
        if len(seen) >= DEFAULT_HEADER_COLUMNS:
            top = min(bb[1] for bb, _ in row)
            return sorted([*marks, Mark(members.page, k, top)], key=lambda m: (m.order, m.y))
    return marks


def section_bands(works: list, template: Template) -> dict[str, list]:
    """Per section of the template, the bands of pages it covers, in document order.

    The first section (the cover) runs from the document's start to the first heading; a
    section whose heading was not found keeps the whole pages classified as it.
    """
    marks = find_marks(works, template)
    starts = [(m.section, m.order, m.y) for m in marks]
    first = template.pages[0].id
    if first not in {m.section for m in marks}:
        starts.insert(0, (first, 0, 0))
    out: dict[str, list] = {}
    for i, (sid, k0, y0) in enumerate(starts):
        k1, y1 = (starts[i + 1][1], starts[i + 1][2]) if i + 1 < len(starts) else (len(works) - 1, None)
        bands = []
        for k in range(k0, k1 + 1):
            h = works[k].binary.shape[0]
            top = y0 if k == k0 else 0
            bottom = y1 if (k == k1 and y1 is not None) else h
            if bottom - top > works[k].scale.text_height:
                bands.append(band(works[k], top, bottom))
        out[sid] = bands
    located = set(out)
    for w in works:
        sid = w.page.form_page
        if sid and sid not in located:
            out.setdefault(sid, []).append(w)
    return out
