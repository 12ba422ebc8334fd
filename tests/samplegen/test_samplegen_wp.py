"""What the word-processor examples do and the generator did not (#15): rules printed turned
against the text (wp-04), a 五 signature a hand's width right of its label, above its row or
low over it, page numbers and running headers, a members table continued under a repeated
header row, a split merged party cell labelled once, member signatures across their cell's
rules. Each changes how a sheet is drawn, never a value: the truth stays exact."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from functools import cache

import numpy as np
from helpers.layouts import joined, office_sheets
from tasksheet.samplegen import plan_documents, prepare
from tasksheet.samplegen.document import Prepared, layout_pages
from tasksheet.samplegen.flow import layout_flowing
from tasksheet.samplegen.fonts import text_width
from tasksheet.samplegen.form import ABOVE_TOP, layout_sheet, member_groups, opinion_block
from tasksheet.samplegen.layout import (
    RUNNING_HEAD,
    Builder,
    Line,
    Mark,
    PageLayout,
    Style,
    Text,
    folio_text,
    table,
)
from tasksheet.samplegen.office import FOLIOS, SIG_PLACES, Office
from tasksheet.samplegen.render_raster import render_page
from tasksheet.schemas.template import load_template

TEMPLATE = load_template()
SIG_LABELS = {b.signature_label for b in TEMPLATE.opinions.blocks}
HEADERS = [c.header for c in TEMPLATE.members.columns]


@cache
def sheets() -> list[tuple[Prepared, Office, list[PageLayout]]]:
    """Sheets of two 40-document sets (both layouts, with defects) and their offices."""
    return office_sheets((11, 12))


def relaid(prep: Prepared, office: Office) -> list[PageLayout]:
    """The sheet laid out again (as `layout_pages` does) with another office."""
    rng = random.Random(prep.plan.data_seed ^ 0x5EED)
    if prep.plan.layout == "flowing":
        skip = {prep.missing_page} if prep.missing_page else set()
        return list(layout_flowing(prep.sheet, prep.style, rng, skip=skip,
                                   digital=prep.plan.format == "digital_pdf", office=office))
    return layout_sheet(prep.sheet, prep.style, rng, office=office)


def test_each_new_habit_is_drawn_at_a_modest_rate_and_in_every_set() -> None:
    offices = [Office.random(random.Random(i), hand=False) for i in range(400)]
    share = {
        "tilt": sum(bool(o.tilt) for o in offices),
        "signature place": sum(o.sig_place != "beside" for o in offices),
        "folio": sum(bool(o.folio) for o in offices),
        "repeated header": sum(o.repeat_header for o in offices),
        "party once": sum(o.party_once for o in offices),
        "signature spill": sum(o.sig_spill for o in offices),
    }
    for name, k in share.items():
        assert 0.15 * len(offices) <= k <= 0.6 * len(offices), (name, k)
    assert all(0.4 <= abs(o.tilt) <= 1.7 for o in offices if o.tilt)
    assert {o.tilt > 0 for o in offices if o.tilt} == {True, False}
    assert {o.sig_place for o in offices} == set(SIG_PLACES)
    assert {o.folio for o in offices} == {None, *FOLIOS}
    seen: Counter[str] = Counter()
    for _prep, office, _pages in sheets()[:40]:  # one set of 40 shows every habit
        seen.update({"tilt": bool(office.tilt), "place": office.sig_place != "beside",
                     "folio": bool(office.folio), "header": office.repeat_header,
                     "once": office.party_once, "spill": office.sig_spill})
    assert all(seen[k] for k in ("tilt", "place", "folio", "header", "once", "spill")), seen


def test_the_same_seed_lays_out_the_same_sheet() -> None:
    for prep, _office, pages in sheets()[:8]:
        again = layout_pages(prepare(prep.plan))
        assert [(p.items, p.furniture, p.tilt) for p in again] == \
            [(p.items, p.furniture, p.tilt) for p in pages]


def test_tilt_turns_the_rules_of_a_scan_and_nothing_else() -> None:
    """Laid out with and without the tilt, a sheet's items are the same (the truth is what
    is drawn); the pages carry the office's angle, each a little different."""
    tilted = 0
    for prep, office, pages in sheets():
        if not office.tilt:
            assert all(p.tilt == 0 for p in pages)
            continue
        tilted += 1
        for p in pages:
            assert 0.8 * abs(office.tilt) - 1e-9 <= abs(p.tilt) <= 1.15 * abs(office.tilt) + 1e-9
            assert (p.tilt > 0) == (office.tilt > 0)
        level = relaid(prep, dataclasses.replace(office, tilt=0.0))
        assert [p.items for p in level] == [p.items for p in pages]
        assert [p.furniture for p in level] == [p.furniture for p in pages]
    assert tilted >= 5


def _ink_rows(img: np.ndarray, x: int) -> float:
    col = img[:, x].mean(axis=1) if img.ndim == 3 else img[:, x]
    rows = np.flatnonzero(col < 128)
    assert rows.size, x
    return float(rows.mean())


def test_a_tilted_page_renders_its_rules_turned_and_its_text_level() -> None:
    dpi = 100
    k = dpi / 25.4
    page = PageLayout("basic_info", [Line(20, 150, 190, 150, 0.3),
                                      Text(20, 100, "一" * 20, "uming", 6.0)], tilt=1.5)
    img = render_page(page, dpi)
    rule = img[round(130 * k):round(170 * k)]
    rise = _ink_rows(rule, round(185 * k)) - _ink_rows(rule, round(25 * k))
    want = np.tan(np.radians(1.5)) * 160 * k  # clockwise: the right end lower
    assert abs(rise - want) < 1.5, (rise, want)
    x0, x1 = round(30 * k), round(120 * k)
    band = img[round(90 * k):round(104 * k)]
    assert abs(_ink_rows(band, x1) - _ink_rows(band, x0)) < 1.0  # the text stays level
    flat = render_page(dataclasses.replace(page, tilt=0.0), dpi)[round(130 * k):round(170 * k)]
    assert abs(_ink_rows(flat, round(185 * k)) - _ink_rows(flat, round(25 * k))) < 1.0


def test_folios_number_the_pages_in_the_margins_and_leave_the_body_alone() -> None:
    styles = Counter()
    for prep, office, pages in sheets():
        if not office.folio:
            assert not any(p.furniture for p in pages)
            continue
        styles[office.folio] += 1
        assert not pages[0].furniture or office.folio_cover
        level = relaid(prep, dataclasses.replace(office, folio=None))
        assert [p.items for p in level] == [p.items for p in pages]
        for n, p in enumerate(pages, 1):
            if n == 1 and not office.folio_cover:
                continue
            words = joined(p.furniture)
            assert len(words) == 1
            body = [it.y for it in p.items if isinstance(it, Text)]
            if office.folio == "header":
                assert words[0].text == RUNNING_HEAD
                rule = [it for it in p.furniture if isinstance(it, Line)]
                assert len(rule) == 1 and rule[0].y0 > words[0].y
                assert all(y > rule[0].y0 for y in body)
            else:
                assert words[0].text == folio_text(office.folio, n, len(pages))
                assert all(y < words[0].y for y in body)
    assert set(styles) == set(FOLIOS), styles


def _members_table(repeat: bool, once: bool) -> list[PageLayout]:
    """The members table on pages 60 mm high (a header and three 14 mm rows a page)."""
    rng = random.Random(3)
    style = dataclasses.replace(Style.random(rng, hand=False), margins=(25, 25, 25, 212))
    b = Builder(style, rng)
    base = Office.random(random.Random(1), hand=False)
    b.o = dataclasses.replace(base, repeat_header=repeat, party_once=once, split_rows=False)
    b.page("members")
    sheet = prepare(plan_documents(1, seed=4, defect_rate=0)[0]).sheet
    xs = [b.left + (b.right - b.left) * f for f in (0, 0.16, 0.3, 0.58, 0.72, 0.86, 1.0)]
    table(b, xs, member_groups(TEMPLATE, sheet, 8.0, 14.0))
    return b.pages


def test_a_continued_members_table_repeats_its_header_row_when_the_office_says_so() -> None:
    for repeat in (False, True):
        pages = _members_table(repeat, once=False)
        assert len(pages) == 3
        heads = [sum(t.text == HEADERS[0] for t in joined(p.items)) for p in pages]
        assert heads == [1] + [int(repeat)] * (len(pages) - 1)
        for p in pages[1:]:  # a repeated header is the page's first row
            top = min(joined(p.items), key=lambda t: t.y)
            assert (top.text in HEADERS) == repeat


def test_a_split_party_cell_is_labelled_on_one_part_only_when_the_office_says_so() -> None:
    labels = [g.label for g in TEMPLATE.members.groups]
    for once in (False, True):
        pages = _members_table(False, once)
        shown = Counter(t.text for p in pages for t in joined(p.items) if t.text in labels)
        assert set(shown) == set(labels)
        # without the header repeated, the third party runs over from page 2 to page 3
        assert shown[labels[2]] == (1 if once else 2), shown
        assert shown[labels[0]] == shown[labels[1]] == 1


def test_opinion_signatures_sit_where_the_office_signs() -> None:
    seen = Counter()
    for prep, office, pages in sheets():
        if office.sig_place == "beside":
            continue
        size = prep.style.size
        for p in pages:
            labels = [t for t in joined(p.items) if t.text in SIG_LABELS]
            sigs = [m for m in p.items if isinstance(m, Mark) and m.kind == "signature"]
            for lab in labels:
                right = lab.x + text_width(lab.text, lab.font, lab.size)
                near = [m for m in sigs if abs((m.box[1] + m.box[3]) / 2 - lab.y) < 6 * size
                        and m.box[2] > lab.x and m.box[0] < right + 30]
                if not near:
                    continue  # an unsigned block
                m = min(near, key=lambda m: abs(m.box[0] - right))
                if office.sig_place == "far" and m.box[0] > right + 1.5:
                    assert m.box[0] >= right + 8 - 1e-6
                    seen["far"] += 1
                elif office.sig_place == "above":
                    assert m.box[3] <= lab.y - 1.3 * lab.size + 1e-6
                    assert m.box[1] >= lab.y - ABOVE_TOP * lab.size - 1e-6
                    seen["above"] += 1
                elif office.sig_place == "low":
                    assert lab.x < m.box[0] < right and m.box[3] > lab.y + lab.size
                    seen["low"] += 1
    assert seen["far"] and seen["above"] and seen["low"], seen


def test_spilled_member_signatures_cross_the_tables_right_rule() -> None:
    spilled = 0
    for prep, office, pages in sheets():
        signed = sum(m["signed"] for m in prep.sheet.record["members"])
        out = 0
        for p in pages:
            lines = [it.x0 for it in p.items if isinstance(it, Line) and it.x0 == it.x1]
            if not lines:
                continue
            edge = max(lines)
            out += sum(1 for m in p.items if isinstance(m, Mark) and m.kind == "signature"
                       and m.box[2] > edge + 0.5)
        if office.sig_spill:
            assert out == signed, prep.plan.name
            spilled += 1
        else:
            assert out == 0, prep.plan.name
    assert spilled >= 3


def _office(**kw: object) -> Office:
    return dataclasses.replace(Office.random(random.Random(2), hand=False), **kw)


def test_an_office_that_signs_under_the_opinion_leaves_the_blocks_foot_blank() -> None:
    """`sign_at` top: the signature row a few lines under the opinion (as the examples),
    the seal label and date under it at the usual pitch; foot: at the block's foot."""
    blk = TEMPLATE.opinions.blocks[0]
    op = {"text": "同意该任务书内容。", "signed": True, "sealed": True, "seal_text": "成都市民政局"}
    rows = {}
    for at in ("foot", "top"):
        rng = random.Random(5)
        style = Style.random(rng, hand=False)
        b = Builder(style, rng)
        b.o = _office(sign_at=at, sig_place="beside", opinion_frame="blocks", date_style=None)
        b.page("opinions")
        r = (b.left, 40.0, b.right, 120.0)
        opinion_block(b, r, blk.label, blk.signature_label, blk.seal_label, op,
                      ("2018", "6", "22"))
        texts = joined(b.pages[0].items)
        opinion = next(t for t in texts if t.text == op["text"])
        label = next(t for t in texts if t.text == blk.signature_label)
        seal = next(t for t in texts if t.text == blk.seal_label)
        date = next(t for t in texts if t.text.startswith("2018"))
        size = style.size
        assert abs(seal.y - label.y - 2.1 * size) < 1e-6
        assert abs(date.y - seal.y - 2.1 * size * 1.2) < 1e-6
        rows[at] = (opinion.y, label.y, date.y, size)
    _, label, date, size = rows["foot"]
    assert abs(date - (120 - size * 1.4)) < 1e-6
    text_end, label, date, size = rows["top"]
    assert text_end + 2.9 * size - 1e-6 <= label <= text_end + 4.2 * size + 1e-6
    assert date < rows["foot"][2] - 10
    offices = [Office.random(random.Random(i), hand=False) for i in range(200)]
    assert 40 <= sum(o.sign_at == "top" for o in offices) <= 160
    assert any(o.sign_at == "top" for _p, o, _pg in sheets())


def test_a_wandering_hand_writes_the_same_words_off_their_pitch() -> None:
    text = "成都市水利学会受成都市水务局委托，承接河道生态治理技术咨询试点工作。" * 3
    ys = {}
    for wander in (False, True):
        rng = random.Random(8)
        style = Style.random(rng, hand=True)
        b = Builder(style, rng)
        b.o = _office(hand_wander=wander)
        b.page("content")
        b.y = 50.0
        b.paragraph(b.left, b.right, text, fill=True, indent=style.size * 2)
        lines = [t for t in b.pages[0].items if isinstance(t, Text)]
        assert "".join(t.text for t in lines) == text  # the truth is what is written
        assert abs(b.y - 50.0 - len(lines) * style.hand_size * style.line_gap) < 1e-9  # flow
        pitch = style.hand_size * style.line_gap
        ys[wander] = [t.y - 50.0 - pitch * (i + 1) for i, t in enumerate(lines)]
    assert len(ys[True]) >= 3
    assert all(abs(d) < 1e-6 for d in ys[False])
    pitch = style.hand_size * style.line_gap
    assert -0.45 * pitch <= ys[True][0] <= 0
    assert all(-0.35 * pitch <= d <= 0.2 * pitch for d in ys[True][1:])
    assert any(abs(d) > 0.05 * pitch for d in ys[True])
    assert not any(Office.random(random.Random(i), hand=False).hand_wander for i in range(100))
    assert any(Office.random(random.Random(i), hand=True).hand_wander for i in range(100))
