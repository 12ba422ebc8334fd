"""Which form page is this? Printed marks matched against `template.pages[].identify`.

A born-digital page is matched on its text layer. A scan is matched on text lines read with
the recognizer only (no detection): the lines the orientation check read; then, unless they
settled it, the page's outline (`extract.page_text.outline_rows`: each table row's first
line, the short lines outside tables), which the readers read anyway and so take over from
here; then a bounded number of other lines (cut to a few glyphs), top ones first. Matching
is approximate (edit distance over the best-fitting substring), because OCR drops or
confuses a glyph now and then.

>>> normalise_text("四、共 同 条 款（签字）")
'四、共同条款(签字)'
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
from tasksheet.extract.normalize import simplified
from tasksheet.extract.ocr import OcrEngine
from tasksheet.extract.page_text import heading_chars, measure_page, read_outline
from tasksheet.ingest.document import BBox, OcrLine, Page
from tasksheet.ingest.normalize import DEFAULT_READ_GLYPHS, clip_width, crop, text_boxes
from tasksheet.schemas.template import Template

DEFAULT_TOP_LINES = 8  # the first lines of a page (headings, titles) are read first
DEFAULT_SAMPLE_LINES = 16  # then, unless the top settled it, this many from the rest
DEFAULT_SURE_SCORE = 0.5  # a top-lines score this high, twice the runner-up, settles it
DEFAULT_MARK_SIMILARITY = 0.7  # a mark counts when this much of it matches
DEFAULT_HEADING_WEIGHT = 2.0  # the section heading counts as this many marks
DEFAULT_MIN_SCORE = 0.3  # below this best score a page is not part of the form
DEFAULT_HEADING_SURE = 0.85  # a heading read this well in the top lines settles the page
DEFAULT_LABEL_EVIDENCE = 1.5  # distinctive labels needed to call a continuation page
DEFAULT_CONTINUATION_SCORE = 0.5  # score of a page known by its labels only
DEFAULT_NEIGHBOUR_EVIDENCE = 0.5  # labels enough when the page follows its section
DEFAULT_DATE_PAGE_LINES = 4  # most lines of a page after the form's last holding its last date
_DATE_LINE = re.compile(r"\d{4}年.{0,4}月.{0,4}日|\d{4}年\d{1,2}月|年\d{1,2}月\d{1,2}日")
DEFAULT_OVERFLOW_LINES = 12  # most text lines of an overflow page claimed away from its section
DEFAULT_OWN_LABELS = 1  # labels only one section prints that take a claimed page back to it
DEFAULT_OWN_LABEL_CHARS = 3  # and long enough not to be a word of any text (其他, 电话)
DEFAULT_TIE = 0.02  # label scores this close: the labels alone do not tell the sections apart
DEFAULT_COVERED = 0.5  # share of a candidate line's box the outline's lines cover: not read again


def normalise_text(text: str) -> str:
    """Full-width → half-width (NFKC), simplified characters, whitespace dropped: how marks
    and readings compare. The form is printed in simplified Chinese; a mark the recogniser
    answers in traditional characters (`任務書`, `協調`) is still that mark.

    >>> normalise_text("項目協調單位 ：")
    '项目协调单位:'
    """
    return "".join(simplified(unicodedata.normalize("NFKC", text)).split())


def mark_similarity(mark: str, text: str) -> float:
    """1 − (edit distance of `mark` to its best-matching substring of `text`) / len(mark).

    Sellers' distance (a match may start and end anywhere in `text`), computed with
    Myers' bit-parallel algorithm: one pass of integer operations per character of
    `text`, the mark's rows as the bits of a word, instead of a table row per character
    (classification scores pages on every line of their outline: 8× cheaper, the same
    values).

    >>> mark_similarity("三方单位基本信息", "一、三方单位基木信息")
    0.875
    """
    m = len(mark)
    if m == 0:
        return 1.0
    if mark in text:
        return 1.0
    if not text:
        return 0.0
    peq: dict[str, int] = {}  # per character, the bits of the mark's positions holding it
    for i, c in enumerate(mark):
        peq[c] = peq.get(c, 0) | (1 << i)
    full, last = (1 << m) - 1, 1 << (m - 1)
    pv, mv, score, best = full, 0, m, m  # vertical +1 / −1 deltas; distance at the last row
    for ch in text:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & full
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = (ph << 1) & full  # a match may start anywhere: row 0 stays 0
        mh = (mh << 1) & full
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv
        best = min(best, score)
    return 1.0 - best / m


def page_scores(text: str, template: Template) -> dict[str, float]:
    """Score in [0, 1] for every form page: the weighted share of its marks found.

    A page whose marks are absent but whose field labels are there (a section continued
    on the next sheet, without its heading) scores `DEFAULT_CONTINUATION_SCORE` at most.
    """
    t = normalise_text(text)
    out = mark_scores(t, template)
    if max(out.values(), default=0.0) < DEFAULT_MIN_SCORE:
        for page_id, evidence in label_evidence(t, template).items():
            if evidence >= DEFAULT_LABEL_EVIDENCE:
                more = min(1.0, evidence / (2 * DEFAULT_LABEL_EVIDENCE))
                out[page_id] = max(out[page_id], DEFAULT_MIN_SCORE + 0.1
                                   + (DEFAULT_CONTINUATION_SCORE - DEFAULT_MIN_SCORE - 0.1) * more)
    return out


def mark_scores(t: str, template: Template) -> dict[str, float]:
    """Per form page, the weighted share of its printed marks (heading included) found in
    the normalised text `t`: what only the form itself prints."""
    out = {}
    for page_id, marks in page_marks(template).items():
        total = found = 0.0
        for mark, weight, bar in marks:
            sim = mark_similarity(mark, t)
            total += weight
            if sim >= bar:
                found += weight * sim
        out[page_id] = found / total if total else 0.0
    return out


_MARKS: dict[tuple[str, str], dict[str, list[tuple[str, float, float]]]] = {}


def page_marks(template: Template) -> dict[str, list[tuple[str, float, float]]]:
    """Per form page, its marks as (normalised text, weight, least similarity that counts).

    A mark nearly equal to what another page prints counts only when read better than
    that: the cover's footer `成都市科学技术协会制` is the coordinating unit's name, printed
    in 一, 三 and 五, with one character more (read without 制, it is not the cover's).
    """
    key = (template.id, template.version)
    if key in _MARKS:
        return _MARKS[key]
    printed: dict[str, set[str]] = {p.id: set(p.identify) | {p.heading or ""}
                                    for p in template.pages}
    for f in template.fields() + template.member_fields():
        printed.setdefault(f.page, set()).update(x for x in (f.label, f.preprinted) if x)
    for pid, labels in page_labels(template).items():
        printed.setdefault(pid, set()).update(labels)
    # a party's unit printed on the form (协调单位) is written wherever the party appears
    units = {f.id: f.preprinted for f in template.fields() if f.preprinted}
    carried = [(t.page, g.party) for t in template.tables for g in t.groups]
    carried += [(template.members.page, g.party) for g in template.members.groups]
    carried += [(template.opinions.page, b.party) for b in template.opinions.blocks]
    for pid, party in carried:
        unit = units.get(template.party(party).unit_field)
        if unit:
            printed.setdefault(pid, set()).add(unit)
    out: dict[str, list[tuple[str, float, float]]] = {}
    for page in template.pages:
        marks = [(normalise_text(m), 1.0) for m in page.identify]
        if page.heading:
            marks.append((normalise_text(page.heading), DEFAULT_HEADING_WEIGHT))
        others = {normalise_text(x) for pid, xs in printed.items() if pid != page.id
                  for x in xs if x}
        out[page.id] = []
        for mark, weight in marks:
            shared = max((mark_similarity(mark, x) for x in others if x and mark not in x),
                         default=0.0)
            bar = DEFAULT_MARK_SIMILARITY if shared < DEFAULT_MARK_SIMILARITY else \
                min(1.0, shared + 0.5 / len(mark))
            out[page.id].append((mark, weight, bar))
    _MARKS[key] = out
    return out


_LABELS: dict[tuple[str, str], dict[str, dict[str, float]]] = {}


def page_labels(template: Template) -> dict[str, dict[str, float]]:
    """Per form page, its printed labels (normalised), each weighted 1 / pages that print it."""
    key = (template.id, template.version)
    if key not in _LABELS:
        _LABELS[key] = _page_labels(template)
    return _LABELS[key]


def _page_labels(template: Template) -> dict[str, dict[str, float]]:
    labels: dict[str, set[str]] = {p.id: set() for p in template.pages}
    for f in template.fields():
        labels[f.page].add(f.label)
        labels[f.page].update(o.text.split("，")[0] for o in f.options)
    for table in template.tables:
        labels[table.page].update(template.party(g.party).label for g in table.groups)
    m = template.members
    labels[m.page].update(c.header for c in m.columns)
    labels[m.page].update(g.label for g in m.groups)
    for b in template.opinions.blocks:
        labels[template.opinions.page].update([b.label, b.signature_label, b.seal_label])
    years = _year_forms(template)
    norm = {pid: {normalise_text(x).strip(":：") for x in xs if len(normalise_text(x)) >= 2
                  and _alike(normalise_text(x), template) not in years}
            for pid, xs in labels.items()}
    # a label printed inside another page's label (签字 in 负责人（签字）) is shared too
    def pages_with(x: str) -> int:
        return sum(any(x in y for y in ys) for ys in norm.values())

    return {pid: {x: 1.0 / pages_with(x) for x in xs} for pid, xs in norm.items()}


_CN_DIGITS = "〇一二三四五六七八九"


def _alike(text: str, template: Template) -> str:
    """The template's look-alike characters made one (二O一八 printed with O, 0 or 〇)."""
    return "".join(template.lookalikes.get(c, c) for c in text)


def _year_forms(template: Template) -> set[str]:
    """The form's year as its dates write it (`2018年`, `二〇一八年`), look-alikes made one.

    The cover's month line prints it as a label (`二O一八年 7 月`), but every date of 五
    written out in characters holds it too (`二〇一八年七月二十七日`): it tells no page from
    another (seed 8527 doc-0019's last page, 五's last block, went to the cover by it).

    >>> from tasksheet.schemas.template import load_template
    >>> sorted(_year_forms(load_template()))
    ['2O18年', '二O一八年']
    """
    if not template.year:
        return set()
    digits = str(template.year)
    return {_alike(f"{digits}年", template),
            _alike("".join(_CN_DIGITS[int(d)] for d in digits) + "年", template)}


def label_evidence(text: str, template: Template) -> dict[str, float]:
    """Per form page, the summed weight of its labels found in (normalised) `text`."""
    return {pid: sum(w for label, w in labels.items()
                     if mark_similarity(label, text) >= DEFAULT_MARK_SIMILARITY + 0.1)
            for pid, labels in page_labels(template).items()}


def label_share(text: str, template: Template) -> dict[str, float]:
    """Per form page, the share of its own printed labels (by weight) found in `text`.

    Two pages known by the same labels alone score alike: 五's last page holding only the
    three parties' blocks reads `项目委托单位` `项目承接单位` `项目协调单位` (its 签字 and 公章
    labels under the seals), which 一 prints too. All five of 五's labels are few and
    three of them found; 一 prints some twenty, and reading three of them and none of the
    rest is not 一 (fresh seed 6311 doc-0009: the tie went to 一, the page was put after
    it and every block read empty).

    >>> from tasksheet.schemas.template import load_template
    >>> tpl = load_template()
    >>> s = label_share("项目委托单位： 同意委托。 项目承接单位： 同意。 项目协调单位：", tpl)
    >>> s["opinions"] > s["basic_info"] > 0
    True
    """
    t = normalise_text(text)
    found = label_evidence(t, template)
    return {pid: found[pid] / (sum(labels.values()) or 1.0)
            for pid, labels in page_labels(template).items()}


def _candidate_lines(page: Page, grey: np.ndarray) -> tuple[list[BBox], list[BBox], float]:
    """(top lines, a sample of the others, text height), boxes cut to a few glyphs."""
    th = page.text_height or None
    boxes = text_boxes(page, grey)
    if not th and boxes:
        th = sorted(b[3] - b[1] for b in boxes)[len(boxes) // 2]
    th = float(th or 10.0)
    boxes = [clip_width(b, DEFAULT_READ_GLYPHS * th) for b in boxes
             if b[3] - b[1] <= 2.5 * th and b[2] - b[0] >= 0.8 * th]
    top, rest = boxes[:DEFAULT_TOP_LINES], boxes[DEFAULT_TOP_LINES:]
    if len(rest) > DEFAULT_SAMPLE_LINES:
        step = len(rest) / DEFAULT_SAMPLE_LINES
        rest = [rest[int(i * step)] for i in range(DEFAULT_SAMPLE_LINES)]
    return top, rest, th


def _read(page: Page, grey: np.ndarray, boxes: list[BBox], th: float, engine: OcrEngine) -> None:
    """Recognise the boxes not read yet (one batch) and add them to `page.ocr_lines`."""
    have = {line.bbox for line in page.ocr_lines}
    todo = [b for b in boxes if b not in have]
    if not todo:
        return
    res = engine.recognize([crop(grey, b, 0.15 * th) for b in todo])
    page.ocr_lines += [OcrLine(b, t, s) for b, (t, s) in zip(todo, res, strict=True)]
    page.ocr_lines.sort(key=lambda line: (line.bbox[1], line.bbox[0]))


def _settled(scores: dict[str, float], text: str = "", template: Template | None = None) -> bool:
    """The best page is sure: a high score twice the runner-up's, or (reading the top of
    the page) its section heading found nearly whole while no other page scores."""
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), second = ranked[0], ranked[1][1] if len(ranked) > 1 else 0.0
    if top >= DEFAULT_SURE_SCORE and top >= 2 * second:
        return True
    if template is None or top < DEFAULT_MIN_SCORE or second > 0:
        return False
    heading = next((p.heading for p in template.pages if p.id == best), None)
    return bool(heading) and mark_similarity(normalise_text(heading),
                                             normalise_text(text)) >= DEFAULT_HEADING_SURE


def classify_page(page: Page, template: Template, engine: OcrEngine, *, outline: bool = True
                  ) -> tuple[str | None, float]:
    """(form page id, score) of the best-matching page, or (None, score) for a foreign page.

    Reads in steps and stops as soon as the page is settled: the lines the orientation
    check read already, then the rest of the top lines, then a sample of the rest of the
    page; the lines read stay in `page.ocr_lines` for later stages. With `outline` (not
    for a quick test of a reduced copy no reader will see), the first step past the
    orientation check's lines reads the page's outline as the readers will (its crops in
    one batch, kept in the page's `PageMeasure`, which the readers take over), and each
    step takes a line from it when the outline read it, whole; only the lines the outline
    does not hold (body text, a cell's further lines) are read here, cut to a few glyphs.
    """
    digital = page.born_digital and page.words
    if digital:
        scores = page_scores("".join(w.text for w in page.words), template)
    else:
        grey = page.grey()
        scores = page_scores(page.text(), template) if page.ocr_lines else {}
        known: list[OcrLine] | None = None  # the outline's lines, once read
        # the page's own text lines (a page-wide search, 0.1 CPU s a page) are looked for
        # only when the orientation check's lines did not settle the page (#20: 37 of the
        # 42 scanned pages of seed 191's first 8 documents were settled by them)
        found: tuple[list[BBox], list[BBox], float] | None = None
        for k in range(2):
            if scores and _settled(scores, page.text(), template):
                break
            if found is None:
                found = _candidate_lines(page, grey)
            step, th = found[k], found[2]
            if k and not step:
                break
            if outline and known is None:
                known = _read_outline(page, template, engine)
            if known:
                step = _take_covering(page, step, known)
            _read(page, grey, step, th, engine)
            scores = page_scores(page.text(), template)
    best = max(scores, key=lambda k: scores[k])
    tied = [k for k, v in scores.items() if v == scores[best]]
    if len(tied) > 1:
        share = label_share("".join(w.text for w in page.words) if digital else page.text(),
                            template)
        best = max(tied, key=lambda k: share[k])
    score = round(scores[best], 4)
    if score < DEFAULT_MIN_SCORE:
        return None, score
    return best, score


def _read_outline(page: Page, template: Template, engine: OcrEngine) -> list[OcrLine]:
    """The page's outline read as the readers will read it (the same line crops, in one
    batch, into the cache of the page's `PageMeasure`): its lines with text."""
    _, texts = read_outline(measure_page(page, engine), heading_chars(template.headings))
    return [OcrLine(b, t, s) for b, (t, s) in texts.items() if t.strip()]


def _overlap(a: BBox, b: BBox) -> int:
    return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


def _take_covering(page: Page, boxes: list[BBox], known: list[OcrLine]) -> list[BBox]:
    """Add to `page.ocr_lines` the outline's lines that cover most of a candidate box (the
    same line, read whole) and return the candidate boxes they do not cover."""
    have = {id(line) for line in page.ocr_lines}
    left = []
    for b in boxes:
        over = [line for line in known if _overlap(b, line.bbox) > 0]
        area = max(1, (b[2] - b[0]) * (b[3] - b[1]))
        if sum(_overlap(b, line.bbox) for line in over) < DEFAULT_COVERED * area:
            left.append(b)
            continue
        for line in over:
            if id(line) not in have:
                page.ocr_lines.append(line)
                have.add(id(line))
    page.ocr_lines.sort(key=lambda line: (line.bbox[1], line.bbox[0]))
    return left


def claim_continuations(pages: list[Page], template: Template) -> None:
    """Give an unclassified page the id of the section it continues.

    A document none of whose pages carries a mark of the form (only labels such as 法定代表人
    or 电话, as a contract's signature page prints) is foreign: all its pages are unclaimed.

    A section's overflow often holds a label or two only (a seal may hide the rest). It is
    claimed by the page scanned just before it when it carries some of that section's
    labels; failing that (the scan is out of order), by the section present in the
    document whose labels it carries most, or, on a tie, whose own pages do not show the
    labels it carries (an overflow holds what did not fit) — and then only a remainder of
    a few lines: a full page of text away from any section is another document's.
    """
    if not any(_marked(p, template) for p in pages if p.form_page is not None):
        # labels alone (法定代表人, 电话, 手机 …) are printed on contracts and letters too: a
        # document none of whose pages carries a mark of the form is not the form
        for page in pages:
            page.form_page = None
        return
    by_index = sorted(pages, key=lambda p: p.index)
    for prev, page in zip(by_index, by_index[1:], strict=False):
        if page.form_page is not None and prev.form_page is not None:
            follow_flow(page, prev.form_page, template)
    present = {p.form_page for p in pages if p.form_page is not None}
    for prev, page in zip(by_index, by_index[1:], strict=False):
        if page.form_page is not None or prev.form_page is None:
            continue
        evidence = label_evidence(normalise_text(page.text()), template)
        if (later := _shown_ahead(page, evidence, prev.form_page, template, present)) is not None:
            _claim(page, later)
        elif evidence.get(prev.form_page, 0.0) >= DEFAULT_NEIGHBOUR_EVIDENCE:
            _claim(page, prev.form_page)
        elif (ahead := _flow_ahead(evidence, prev.form_page, template, present,
                                   _lines_on(page) <= DEFAULT_OVERFLOW_LINES)) is not None:
            _claim(page, ahead)
    for page in by_index:
        if page.form_page is None and _lines_on(page) <= DEFAULT_OVERFLOW_LINES:
            section = _continued_section(page, pages, template)
            if section is not None:
                _claim(page, section)
    # A page without a mark between two pages of the form is the flow running on (the
    # free text of 二 fills a page and carries no label): it goes with the page before it.
    known = [k for k, p in enumerate(by_index) if p.form_page is not None]
    # (Unless it shows a later section's own printed text: the flow has gone on into it.)
    present = {p.form_page for p in pages if p.form_page is not None}
    for k in range(known[0] + 1, known[-1]) if known else ():
        if by_index[k].form_page is None:
            before = by_index[k - 1].form_page
            _claim(by_index[k], _marked_ahead(by_index[k], before, template, present) or before)
    # Right after the form's last page, a remainder holding a date and next to nothing else
    # is 五's last block run on (on a 1-bit scan its labels lie under the seal's black ring)
    if known and known[-1] + 1 < len(by_index):
        page = by_index[known[-1] + 1]
        if page.form_page is None and _lines_on(page) <= DEFAULT_DATE_PAGE_LINES \
                and _DATE_LINE.search(normalise_text(page.text())):
            _claim(page, by_index[known[-1]].form_page)


def follow_flow(page: Page, before: str, template: Template) -> None:
    """A page known by its labels only, which two sections carry as much of, is the one
    the page scanned before it (of section `before`) runs on into: the flow goes forward.

    The blocks of 五 print 项目委托单位 / 项目承接单位 / 项目协调单位, as 一 does; a last page
    holding only 五's blocks, their seals and 公章 labels hidden (a 1-bit scan draws a seal
    as black as print), ties 一 and 五, and after a page of 四 it is 五. The page is then
    claimed (it stays after the page before it) as any continuation is.
    """
    if _marked(page, template):
        return
    scores = page_scores(page.text(), template)
    best = max(scores.values(), default=0.0)
    if best < DEFAULT_MIN_SCORE:
        return
    rank = {p.id: i for i, p in enumerate(template.pages)}
    tied = [pid for pid, sc in scores.items() if sc >= best - DEFAULT_TIE and pid in rank]
    ahead = [pid for pid in tied if rank[pid] >= rank.get(before, len(rank))]
    if len(tied) > 1 and ahead:
        _claim(page, min(ahead, key=lambda pid: rank[pid]))


def _flow_ahead(evidence: dict[str, float], before: str, template: Template,
                present: set[str], remainder: bool = False) -> str | None:
    """Of the sections whose labels a page carries equally (labels several sections print:
    the party names of 一 and 五), the first at or after `before` (the section of the page
    scanned just before it) that has no page of its own: the flow goes forward into it.
    None when the labels are too few, or every such section has its pages (what did not
    fit on them is then found by `_continued_section`), or, unless the page is a
    `remainder` (a few lines: `DEFAULT_OVERFLOW_LINES`), when they tell the sections apart.

    Seed 7411 doc-0015 (grey): 五's last two blocks on a page of their own (项目承接单位：,
    项目协调单位：, 同意。), after a page of 四 that also began 五; 五 had no page of its
    own, so the page went to 一, the one present section printing those names.
    Seed 6143 doc-0001 p6 (grey, flowing): the rest of 五's last block after a page break,
    `负责人（签字）`, `（单位公章）` and its date, after the page of 四 that began 五: labels
    of 五 alone, and no section present carries them, so the page was no one's and the
    block lost its signature, seal and date.
    """
    best = max(evidence.values(), default=0.0)
    if best < DEFAULT_NEIGHBOUR_EVIDENCE:
        return None
    rank = {p.id: i for i, p in enumerate(template.pages)}
    tied = [pid for pid, ev in evidence.items() if ev >= best - DEFAULT_TIE and pid in rank]
    ahead = [pid for pid in tied if rank[pid] >= rank.get(before, len(rank))
             and pid not in present]
    if (len(tied) < 2 and not remainder) or not ahead:
        return None
    return min(ahead, key=lambda pid: rank[pid])


def _shown_ahead(page: Page, evidence: dict[str, float], before: str, template: Template,
                 present: set[str]) -> str | None:
    """The later section a page runs on into when its labels do not tell it from `before`
    (the section of the page scanned just before it) but it shows a later section's own
    printed text (a mark of `identify`): the flow only goes forward, so the page is that
    section's, the first such without a page of its own, else the first whose marks it shows.
    None when the labels favour `before` or no later section's mark is on the page.

    Seed 5417 doc-0019 p4 (grey, flowing): the rest of 三's rows, 四's clauses (`委托单位有权`,
    its headings unread) and 五's first block; its one label, `项目委托单位`, printed by 一
    and 五 alike, tied 一 and 五, and the page went with 一, the page before it.
    """
    here = evidence.get(before, 0.0)
    rank = {p.id: i for i, p in enumerate(template.pages)}
    if here < DEFAULT_NEIGHBOUR_EVIDENCE or before not in rank:
        return None
    later = [pid for pid in rank if rank[pid] > rank[before]]
    if max((evidence.get(pid, 0.0) for pid in later), default=0.0) < here - DEFAULT_TIE:
        return None
    tied = [pid for pid in later if evidence.get(pid, 0.0) >= here - DEFAULT_TIE]
    return _marked_ahead(page, before, template, present, tied)


def _marked_ahead(page: Page, before: str | None, template: Template, present: set[str],
                  also: list[str] | None = None) -> str | None:
    """Of the sections after `before` whose own marks (`identify`, heading) the page shows,
    or in `also` and not before the first of those, the first without a page of its own,
    else the first whose marks it shows; None when it shows no later section's mark.

    Seed 9133 doc-0007 p5 (bitonal, flowing): 三's last rows and 四's clauses, `(1)委托单位
    有权监督` read whole (one mark of 四's, too few to classify it), between a page of 一 and
    one of 五: the page went with 一, the page before it, and 四 had no page.
    """
    rank = {p.id: i for i, p in enumerate(template.pages)}
    if before not in rank:
        return None
    later = [pid for pid in rank if rank[pid] > rank[before]]
    marks = mark_scores(normalise_text(page.text()), template)
    shown = [pid for pid in later if marks.get(pid, 0.0) > 0]
    if not shown:
        return None
    fresh = [pid for pid in later if pid in shown + (also or []) and pid not in present
             and rank[pid] >= rank[shown[0]]]
    return (fresh or shown)[0]


def _marked(page: Page, template: Template) -> bool:
    """Whether the page carries the form's own printed marks (a heading, its identifying
    text), not only labels any form prints."""
    words = page.words if page.born_digital and page.words else None
    text = "".join(w.text for w in words) if words else page.text()
    return max(mark_scores(normalise_text(text), template).values(), default=0.0) \
        >= DEFAULT_MIN_SCORE


def _lines_on(page: Page) -> int:
    """Text lines (words, on a born-digital page) found on the page."""
    return len(page.text_boxes) if page.text_boxes is not None else len(page.words or [])


def _claim(page: Page, form_page: str) -> None:
    page.form_page = form_page
    page.classify_score = DEFAULT_MIN_SCORE + 0.05
    page.claimed = True


def _continued_section(page: Page, pages: list[Page], template: Template) -> str | None:
    """The one present section whose labels this page carries most; on a tie, the one
    whose own pages do not show the labels the page carries (what did not fit)."""
    text = normalise_text(page.text())
    seen: dict[str, str] = {}
    for p in pages:
        if p.form_page is not None:
            seen[p.form_page] = seen.get(p.form_page, "") + normalise_text(p.text())

    def found(label: str, where: str) -> bool:
        return mark_similarity(label, where) >= DEFAULT_MARK_SIMILARITY + 0.1

    scores = {}
    for pid, labels in page_labels(template).items():
        if pid in seen:
            carried = [(label, w) for label, w in labels.items() if found(label, text)]
            scores[pid] = (sum(w for _, w in carried),
                           sum(w for label, w in carried if not found(label, seen[pid])))
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1][0] < DEFAULT_NEIGHBOUR_EVIDENCE:
        return None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    if len(ranked) > 1 and ranked[1][1][0] == ranked[0][1][0] and ranked[0][1][1] == 0:
        return None
    return ranked[0][0]


def _belongs_back(page: Page, after: str | None, template: Template) -> bool:
    """A page claimed for a section earlier in the form than the one it was scanned after,
    by labels only that section prints (政策支持, 经费来源, 分管部室: one of 一's rows run
    on), goes back to it: the flow does not run backwards. Labels several sections print
    (the party names of 一 and 五) do not say it, and such a page stays in its place."""
    rank = {p.id: i for i, p in enumerate(template.pages)}
    if page.form_page not in rank or after not in rank or rank[page.form_page] >= rank[after]:
        return False
    text = normalise_text(page.text())
    own = [label for label, w in page_labels(template)[page.form_page].items()
           if w == 1.0 and len(label) >= DEFAULT_OWN_LABEL_CHARS
           and mark_similarity(label, text) >= DEFAULT_MARK_SIMILARITY + 0.1]
    return len(own) >= DEFAULT_OWN_LABELS


def _goes_ahead(page: Page, after: str | None, rank: dict[str, int]) -> bool:
    """A page claimed for a section later in the form than the one it was scanned after
    goes where that section goes: the flow only runs forward, and a page continuing a
    later section follows the page that section starts on, wherever that was scanned.

    Seed 8527 doc-0019 (colour, flowing, two pages scanned the wrong way round): 四 with
    the start of 五, then the end of 二 with 三, then 五's last block (its last page, claimed
    for 五); kept after 三's page, the block came before 五's heading in the flow and was
    read as 三's (its opinion, date, signature and seal lost)."""
    return page.form_page in rank and after in rank and rank[page.form_page] > rank[after]


def order_pages(pages: list[Page], template: Template) -> tuple[list[Page], list[str], bool]:
    """(pages in form order, missing form page ids, whether the scan was out of order).

    Pages of one id (a section continued) keep their scanned order; foreign pages go last.
    A page known only as a continuation (claimed: no mark of its own, a few labels) stays
    right after the page scanned before it: in a flowing layout its labels (a party's
    name, 负责人) are printed in several sections, and they do not say where it belongs.
    (Even when it is claimed for a section before that page's: 五's last block, claimed
    for 一 by the party names both print, lies after 四.) Only labels that one section
    alone prints take a claimed page back to it (`_belongs_back`), and a claim for a
    section after that page's takes it forward, with that section (`_goes_ahead`).
    """
    rank = {p.id: i for i, p in enumerate(template.pages)}
    known = [p for p in pages if p.form_page in rank]
    foreign = [p for p in pages if p.form_page not in rank]
    scanned = sorted(known, key=lambda p: p.index)
    runs: list[list[Page]] = []
    for p in scanned:
        if p.claimed and runs and not _belongs_back(p, runs[-1][0].form_page, template) \
                and not _goes_ahead(p, runs[-1][0].form_page, rank):
            runs[-1].append(p)
        else:
            runs.append([p])
    runs.sort(key=lambda run: rank[run[0].form_page])  # stable: scanned within id
    ordered = [p for run in runs for p in run]
    out_of_order = [p.index for p in ordered] != [p.index for p in scanned]
    present = {p.form_page for p in known}
    missing = [p.id for p in template.pages if p.id not in present]
    return ordered + sorted(foreign, key=lambda p: p.index), missing, out_of_order
