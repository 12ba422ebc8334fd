"""The flowing layout of the sample generator: sections run on as a word processor lays
them out. Fast: plans and page layouts only (no OCR), one small rendered set at the end."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import pytest
from helpers.layouts import joined
from tasksheet.samplegen import defects, generate, plan_documents, prepare
from tasksheet.samplegen.document import Prepared, layout_pages, office_of, scanned_order
from tasksheet.samplegen.fill import DASH
from tasksheet.samplegen.flow import (
    ATTACHED,
    CAST_UNITS,
    CN_MONTHS,
    YEAR_LABELS,
    FlowPage,
    signer,
)
from tasksheet.samplegen.fonts import PT_MM
from tasksheet.samplegen.form import layout_sheet
from tasksheet.samplegen.layout import Line, Mark, PageLayout, Text
from tasksheet.samplegen.plan import DocPlan
from tasksheet.samplegen.variants import Variants
from tasksheet.schemas.template import load_template

TEMPLATE = load_template()
HEADINGS = {p.id: p.heading.replace(" ", "") for p in TEMPLATE.pages if p.heading}
BLOCK_LABELS = {b.label for b in TEMPLATE.opinions.blocks}
SIG_LABELS = {b.signature_label for b in TEMPLATE.opinions.blocks}


@cache
def flowing() -> list[tuple[Prepared, list[FlowPage]]]:
    """Flowing sheets of three 40-document sets (with defects), prepared and laid out
    without an office's habits (`samplegen.office`: tested in test_samplegen_office)."""
    out = []
    for seed in (1, 2, 3):
        for plan in plan_documents(40, seed=seed):
            if plan.layout == "flowing":
                prep = prepare(dataclasses.replace(plan, office=False))
                pages = layout_pages(prep)
                assert all(isinstance(p, FlowPage) for p in pages)
                out.append((prep, pages))  # type: ignore[arg-type]
    return out


def texts(page: PageLayout) -> list[Text]:
    """The page's typed and written strings, runs of two faces joined back into one."""
    return joined(page.items)


def headings_on(page: PageLayout) -> list[str]:
    """The sections whose heading the page prints (letter-spaced or not)."""
    found = []
    for t in texts(page):
        found += [sid for sid, h in HEADINGS.items() if t.text.replace(" ", "") == h]
    return found


def test_plans_mix_layouts_and_leave_everything_else_as_it_was() -> None:
    mixed = plan_documents(50, seed=2024)
    paged = plan_documents(50, seed=2024, layouts=["paged"])
    assert [dataclasses.replace(p, layout="paged") for p in mixed] == paged
    sheets = {p.data_seed: p.layout for p in mixed}  # one per sheet: copies share theirs
    assert len({(p.data_seed, p.layout) for p in mixed}) == len(sheets)
    assert 0.4 <= Counter(sheets.values())["flowing"] / len(sheets) <= 0.6
    assert {p.layout for p in plan_documents(6, seed=1, layouts=["flowing"])} == {"flowing"}
    with pytest.raises(ValueError):
        plan_documents(2, seed=1, layouts=["folded"])


def test_paged_layout_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    """A paged sheet's data, findings and every drawn item are as before flowing existed.

    The digests were taken from the generator before the flowing layout was added (they
    depend on the installed fonts' metrics, like every byte-identity test here), and
    before a missing signature could be a typed name (`defects.TYPED_SIGNATURE_P`: off)."""
    monkeypatch.setattr(defects, "TYPED_SIGNATURE_P", 0.0)
    want = {"doc-0002": "899e84201f277b6d", "doc-0007": "300a270d7a7224ad"}
    plans = {p.name: p for p in plan_documents(8, seed=3)}
    for name, digest in want.items():
        plan = plans[name]
        assert plan.layout == "paged"
        prep = prepare(dataclasses.replace(plan, office=False))  # no office habits: as before
        pages = layout_sheet(prep.sheet, prep.style, random.Random(plan.data_seed ^ 0x5EED))
        assert layout_pages(prep) == pages
        office = office_of(prepare(plan))
        assert office is not None and layout_pages(prepare(plan)) == layout_sheet(
            prep.sheet, prep.style, random.Random(plan.data_seed ^ 0x5EED), office=office)
        blob = json.dumps([prep.sheet.record, prep.findings, prep.defects, prep.missing_page],
                          ensure_ascii=False, sort_keys=True) + repr(pages)
        assert hashlib.sha256(blob.encode()).hexdigest()[:16] == digest, name


def test_flowing_pages_hold_what_they_say() -> None:
    docs = flowing()
    assert len(docs) >= 40
    for prep, pages in docs:
        assert 4 <= len(pages) <= 8
        assert pages[0].sections == ["cover"] and len(pages[0].starts) == 1
        order = [p.id for p in TEMPLATE.pages]
        seen = [s for p in pages for s in p.starts]
        assert seen == [s for s in order if s != prep.missing_page]
        for p in pages:
            assert p.id == p.sections[0]
            assert sorted(headings_on(p)) == sorted(s for s in p.starts if s != "cover")
            assert set(p.starts) <= set(p.sections)


def test_sections_start_mid_page() -> None:
    """Most sheets have a page that prints two or more section headings of 一..五."""
    body = set(HEADINGS) - {"instructions"}
    shared = [pages for _, pages in flowing()
              if any(len(body & set(headings_on(p))) >= 2 for p in pages)]
    assert len(shared) >= 0.9 * len(flowing())
    assert any({"content", "members"} <= set(headings_on(p)) for pages in shared for p in pages)


def test_tables_run_on_without_their_header_row() -> None:
    continued: Counter[str] = Counter()
    for _, pages in flowing():
        for i, p in enumerate(pages[1:], 1):
            if p.id in ("basic_info", "members") and p.id not in p.starts:
                assert p.id in pages[i - 1].sections
                heads = [t.y for t in texts(p) if headings_on(PageLayout("", [t]))]
                top = [t for t in texts(p) if t.y < min(heads, default=1e9)]  # the run-on part
                assert top and not {"姓名", "工作单位", "签字"} & {t.text for t in top}
                continued[p.id] += 1
    assert continued["basic_info"] and continued["members"]


def test_unused_member_rows_hold_dashes_and_are_not_members() -> None:
    checked = 0
    for prep, pages in flowing():
        members = prep.sheet.record["members"]
        assert all(m["name"] and m["name"] != DASH for m in members)
        rows: Counter[tuple[int, float]] = Counter()
        for i, p in enumerate(pages):
            if "members" in p.sections:
                for t in texts(p):
                    if t.text == DASH:
                        rows[(i, round(t.y, 2))] += 1
        dash_rows = sum(1 for c in rows.values() if c >= 4)  # name, unit, title, role (签字)
        assert dash_rows == 9 - len(members)
        checked += dash_rows > 0
    assert checked


def test_unfunded_groups_stay_unticked_with_a_dash_and_raise_nothing() -> None:
    exempt = 0
    for prep, pages in flowing():
        rec = prep.sheet.record
        for k, party in enumerate(("commissioning", "coordinating")):
            if rec[party]["funding_support"]["ticked"] != ["无"]:
                continue
            if rec[party]["funding_nature"]["ticked"] or rec[party]["funding_source"]["ticked"]:
                continue
            exempt += 1
            fields = {f["field"] for f in prep.findings}
            assert f"{party}.funding_nature.ticked" not in fields
            assert f"{party}.funding_source.ticked" not in fields
            # the layout writes "—" after the options, on the row of the k-th 经费来源
            page_i, label = [(i, t) for i, p in enumerate(pages) for t in texts(p)
                             if t.text == "经费来源"][k]
            assert any(t.text == DASH and abs(t.y - label.y) < 2.5 and t.x > label.x + 50
                       for t in texts(pages[page_i]))
    assert exempt >= 5


def test_an_opinion_block_may_run_over_two_pages() -> None:
    """Label and opinion at the foot of one page; signature, seal and date atop the next."""
    splits = 0
    for prep, pages in flowing():
        marks = [(i, t) for i, p in enumerate(pages) for t in texts(p)
                 if t.text in BLOCK_LABELS or t.text in SIG_LABELS]
        assert [t.text in BLOCK_LABELS for _, t in marks] == [True, False] * 3
        for blk, (i, label), (j, sig) in zip(TEMPLATE.opinions.blocks, marks[::2], marks[1::2],
                                             strict=True):
            assert label.text == blk.label and sig.text == blk.signature_label
            assert j in (i, i + 1)
            op = prep.sheet.record["opinions"][blk.party]
            if j == i:
                continue
            splits += 1
            assert sig.y - min(t.y for t in texts(pages[j])) < 40  # at the top of page j
            if op["text"]:
                assert any(t.text in op["text"] for t in texts(pages[i]) if t.y > label.y)
            seals = [m for m in pages[j].items if isinstance(m, Mark) and m.kind == "seal"
                     and sig.y - 15 < (m.box[1] + m.box[3]) / 2 < sig.y + 25]
            assert bool(seals) == op["sealed"]
            assert any(t.text.startswith(("年", "2018")) and t.y > sig.y for t in texts(pages[j]))
    assert splits >= 3


def test_cover_values_sit_on_underlined_blanks() -> None:
    """Each value on an underline right of its label, a little below the label's line;
    some labels wrap in a narrow column (项目名 / 称：); the month in numerals or digits."""
    wrapped = months = 0
    for prep, pages in flowing():
        cover = pages[0]
        lines = [it for it in cover.items if isinstance(it, Line)]
        words = texts(cover)
        rec = prep.sheet.record["cover"]
        for f in (f for f in TEMPLATE.lines if f.page == "cover" and f.type != "month"):
            value = next(t for t in words if t.text == rec[f.id.split(".")[1]])
            line = next(ln for ln in lines
                        if ln.x0 <= value.x < ln.x1 and 0 < ln.y0 - value.y < 2.5)
            whole = [t for t in words if t.text == f.label]
            if whole:
                assert 0 < value.y - whole[0].y < 6 and line.x0 > whole[0].x
            else:
                first = next(t for t in words if t.text == f.label[:3])
                second = min((t for t in words if t.text == f.label[3:] and t.y > first.y),
                             key=lambda t: t.y)
                assert first.y < value.y <= second.y + 2 and line.x0 > first.x
                wrapped += 1
        assert any(t.text in YEAR_LABELS for t in words)
        month = rec["month"]
        cn = [t for t in words if t.text == CN_MONTHS[int(month)]]
        assert cn or [t for t in words if t.text == month]
        months += bool(cn)
    assert wrapped and 0 < months < len(flowing())


def test_missing_page_drops_a_whole_section_and_out_of_order_swaps_section_starts() -> None:
    missing = swapped = 0
    plans = [p for seed in range(8) for p in plan_documents(40, seed=seed)
             if p.layout == "flowing" and {"missing_page", "page_out_of_order"} & set(p.defects)]
    for plan in plans:
        prep = prepare(plan)
        pages = layout_pages(prep)
        if prep.missing_page:
            missing += 1
            assert all(prep.missing_page not in p.sections for p in pages)
            assert ("missing_page", f"pages.{prep.missing_page}") in {
                (f["code"], f["field"]) for f in prep.findings}
        if "page_out_of_order" in prep.defects:
            swapped += 1
            order = scanned_order(pages, prep, random.Random(prep.plan.seed ^ 0xD0C))
            starts = [s for p in order for s in p.starts]  # type: ignore[attr-defined]
            rank = {p.id: i for i, p in enumerate(TEMPLATE.pages)}
            assert starts != sorted(starts, key=rank.__getitem__)
    assert missing and swapped


def test_a_flowing_set_is_written_with_its_truth(tmp_path: Path) -> None:
    truths = generate(4, seed=11, out=tmp_path, defect_rate=1.0, dpi=60,
                      formats=["image_pdf", "digital_pdf"], layouts=["flowing"], office=False)
    import pdfplumber
    order = [p.id for p in TEMPLATE.pages]
    for truth in truths:
        assert truth["layout"] == "flowing"
        n = len(truth["page_sections"])
        assert truth["record"]["document"]["pages"] == n and 4 <= n <= 8
        present = {s for page in truth["page_sections"] for s in page}
        assert truth["pages"] == [s for s in order if s in present]
        assert any(len(page) >= 3 for page in truth["page_sections"])
        with pdfplumber.open(tmp_path / truth["sources"][0]) as pdf:
            assert len(pdf.pages) == n
            if truth["format"] == "digital_pdf":
                text = "".join((p.extract_text() or "") for p in pdf.pages).replace(" ", "")
                for sid, heading in HEADINGS.items():
                    assert (heading in text) == (sid in present), sid
        assert all(m["name"] != DASH for m in truth["record"]["members"])
    by_party: dict[str, int] = defaultdict(int)
    for m in truths[0]["record"]["members"]:
        by_party[m["party"]] += 1
    assert all(1 <= c <= 3 for c in by_party.values())


def test_page_images_helper_lays_out_either_way() -> None:
    from tasksheet.samplegen import page_images

    ids = [pid for pid, _ in page_images(4, dpi=20, layout="flowing")]
    assert ids[0] == "cover" and 4 <= len(ids) <= 8 and len(ids) < 7
    assert isinstance(DocPlan(1, "x", "image_pdf", "typed", ()).layout, str)


# -- the examples' variations (#15): drawn at modest rates, the truth unchanged ---------------

TICK_MARKS = {"check", "cross", "xheavy", "vlong"}
GROUPS = [f.id for f in TEMPLATE.fields() if f.type == "checkbox_group"]


def variants_of(pages: list[FlowPage]) -> Variants:
    v = pages[0].variants
    assert v is not None and all(p.variants == v for p in pages)
    return v


def marks(pages: list[FlowPage], *kinds: str) -> list[Mark]:
    return [m for p in pages for m in p.items if isinstance(m, Mark) and m.kind in kinds]


def test_each_variation_is_mixed_in_at_a_modest_rate() -> None:
    docs = flowing()
    share = {
        "narrow members": sum(bool(variants_of(p).member_frac) for _, p in docs),
        "centred": sum(variants_of(p).centred for _, p in docs),
        "western face": sum(bool(variants_of(p).latin) for _, p in docs),
        "heavy ticks": sum(variants_of(p).heavy_ticks for _, p in docs),
        "hand dash": sum(variants_of(p).hand_dash for _, p in docs),
        "names signed": sum(bool(variants_of(p).name_sign) for _, p in docs),
        "tight date": sum(variants_of(p).date_style == "tight" for _, p in docs),
        "specks": sum(variants_of(p).specks for _, p in docs),
        "margins": sum(bool(variants_of(p).margins) for _, p in docs),
        "fill face": sum(bool(variants_of(p).fill_face) for _, p in docs),
        "body size": sum(bool(variants_of(p).size_pt) for _, p in docs),
    }
    for name, k in share.items():
        assert 0.05 * len(docs) <= k <= 0.7 * len(docs), (name, k, len(docs))
    pen = [p for prep, p in docs if not prep.style.hand and prep.plan.format != "digital_pdf"]
    hand_dates = sum(variants_of(p).date_style == "hand" for p in pen)
    assert 0.1 * len(pen) <= hand_dates <= 0.6 * len(pen)


def test_same_seed_same_variations() -> None:
    prep, pages = flowing()[0]
    again = layout_pages(prepare(prep.plan))
    assert again == pages and variants_of(again) == variants_of(pages)  # type: ignore[arg-type]


def test_every_ticked_option_is_drawn_once_whatever_the_tick() -> None:
    """✗ over the label, ✓ reaching over it, ■, ☑ or a pen tick: one per ticked option."""
    heavy = 0
    for prep, pages in flowing():
        ticked = sum(len(prep.sheet.get(g)["ticked"]) for g in GROUPS)
        drawn = len(marks(pages, *TICK_MARKS)) + sum(
            isinstance(t, Text) and t.text in ("■", "☑") for p in pages for t in p.items)
        assert drawn == ticked, prep.plan.name
        if variants_of(pages).heavy_ticks:
            over = marks(pages, "xheavy", "vlong")
            heavy += bool(over)
            for m in over:  # wider than the box: it runs onto the label
                assert m.box[2] - m.box[0] > 1.5 * (m.box[3] - m.box[1]) * 0.6
    assert heavy >= 3


def test_narrow_member_columns_wrap_cells_onto_two_lines() -> None:
    wrapped = 0
    for prep, pages in flowing():
        if not variants_of(pages).member_frac:
            continue
        words = [t.text for p in pages if "members" in p.sections for t in texts(p)]
        for m in prep.sheet.record["members"]:
            for key in ("title", "role", "unit"):
                if m[key] not in words:  # wrapped: its lines, in order, make the value
                    parts = [w for w in words if w and m[key].startswith(w)]
                    assert parts, (m[key], prep.plan.name)
                    wrapped += 1
        assert any(t.text in ("委", "委托") for p in pages for t in texts(p))  # 委托 / 单位
    assert wrapped >= 5


def test_ascii_is_set_in_a_western_face_without_changing_the_text() -> None:
    seen = 0
    for prep, pages in flowing():
        v = variants_of(pages)
        western = [it for p in pages for it in p.items
                   if isinstance(it, Text) and it.font.startswith("latin")]
        if not v.latin:
            assert not western
            continue
        assert western and all(it.text.isascii() and it.font == v.latin for it in western)
        words = {t.text for p in pages for t in texts(p)}
        mobiles = [prep.sheet.get(f) for f in ("commissioning.mobile", "coordinating.mobile")]
        assert any(m in words for m in mobiles if m)
        seen += 1
    assert seen >= 3


def test_a_typed_sheet_may_write_its_dashes_by_hand() -> None:
    seen = 0
    for prep, pages in flowing():
        v = variants_of(pages)
        hand_dashes = [t for p in pages for t in texts(p) if t.text == DASH and t.hand]
        if prep.style.hand:
            continue
        if not v.hand_dash:
            assert not [t for t in hand_dashes if t.font == "ukai"]
            continue
        blanks = [prep.sheet.get(gid).get(key) for gid, _, key in ATTACHED]
        exempt = sum(prep.sheet.get(f"{party}.funding_support")["ticked"] == ["无"]
                     and not prep.sheet.get(f"{party}.{g}")["ticked"]
                     for party in ("commissioning", "coordinating")
                     for g in ("funding_nature", "funding_source"))
        assert len(hand_dashes) == blanks.count(DASH) + exempt
        seen += bool(hand_dashes)
    assert seen >= 2


def test_signers_may_write_their_names_and_every_signature_is_true() -> None:
    named = 0
    for prep, pages in flowing():
        rec = prep.sheet.record
        sigs = marks(pages, "signature")
        signed = sum(m["signed"] for m in rec["members"]) + sum(
            op["signed"] for op in rec["opinions"].values())
        assert len(sigs) == signed
        names = {m["name"] for m in rec["members"] if m["signed"]} | {
            signer(prep.sheet, q) for q, op in rec["opinions"].items() if op["signed"]}
        written = [m.text for m in sigs if m.text]
        assert set(written) <= names
        if not variants_of(pages).name_sign:
            assert not written
        named += bool(written)
    assert named >= 3


def test_dates_typed_tight_or_written_by_pen_say_the_truth() -> None:
    tight = hand = 0
    for prep, pages in flowing():
        style = variants_of(pages).date_style
        words = [t for p in pages for t in texts(p)]
        for written in prep.sheet.dates.values():
            if not written or prep.style.hand:
                continue
            y, m, d = written
            if style == "tight":
                assert f"{y}年{m}月{d}日" in {t.text for t in words}
                tight += 1
            elif style == "hand":
                pen = [t.text for t in words if t.hand]
                assert m in pen and d in pen
                hand += 1
    assert tight and hand


def test_dust_lands_near_cover_values_but_not_on_them() -> None:
    dusty = 0
    for _prep, pages in flowing():
        dots = marks(pages, "dot")
        if not variants_of(pages).specks:
            assert not dots
            continue
        assert all(p.id == "cover" for p in pages for m in p.items if m in dots)
        for dot in dots:
            assert dot.box[2] - dot.box[0] < 1.2 and dot.box[3] - dot.box[1] < 1.2
        dusty += bool(dots)
    assert dusty >= 3


def test_born_digital_sheets_get_nothing_by_pen_but_signatures() -> None:
    digital = [(prep, pages) for prep, pages in flowing() if prep.plan.format == "digital_pdf"]
    assert digital
    for _, pages in digital:
        assert not [t for p in pages for t in texts(p) if t.hand]


def test_opinions_and_member_units_as_fillers_write_them() -> None:
    """Some opinions lack their final 。; some member units name a department of the party's
    unit or the form's short name: none of that is a finding."""
    no_stop = department = short = 0
    for prep, _ in flowing():
        rec = prep.sheet.record
        no_stop += sum(bool(op["text"]) and not op["text"].endswith("。")
                       for op in rec["opinions"].values())
        flagged = {f["field"] for f in prep.findings}
        for i, m in enumerate(rec["members"]):
            unit = rec["cover"][f"{m['party']}_unit"]
            if m["unit"] == unit or f"members.{i}.unit" in flagged:
                continue
            if m["party"] == "commissioning":
                assert m["unit"] == unit + rec["commissioning"]["department"]
                department += 1
            else:
                assert m["party"] == "coordinating" and m["unit"] in CAST_UNITS
                short += 1
    assert no_stop and department and short


def test_typed_values_may_take_a_face_of_their_own_and_sizes_stay_in_body_range() -> None:
    faced = 0
    sizes = set()
    for prep, pages in flowing():
        v = variants_of(pages)
        words = [t for p in pages for t in texts(p)]
        label = next(t for t in words if t.text == "法定代表人")
        sizes.add(round(label.size / PT_MM, 2))
        assert 10.5 - 1e-6 <= label.size / PT_MM <= 12 + 1e-6
        if prep.style.hand:
            continue
        head = prep.sheet.record["commissioning"]["head"]
        value = next((t for t in words if t.text == head and not t.hand), None)
        if value is None:
            continue
        if v.fill_face:
            assert value.font == v.fill_face and label.font != v.fill_face
            faced += 1
        else:
            assert value.font == label.font
    assert faced >= 2
    assert len(sizes) > 4  # not only the steps 10.5, 11 and 12
