"""An office's habits and scan defects (#15): drawn at modest rates, each changing how a value
is drawn, never the value, so the truth still says what is on the page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter
from functools import cache

import numpy as np
from helpers.layouts import office_sheets
from tasksheet.samplegen import plan_documents, prepare
from tasksheet.samplegen.document import Prepared, layout_pages, office_of
from tasksheet.samplegen.fill import DASH
from tasksheet.samplegen.fonts import FALLBACK, runs, text_width
from tasksheet.samplegen.layout import Line, Mark, PageLayout, Text
from tasksheet.samplegen.office import Office, cover_month, heading_text, office_date
from tasksheet.samplegen.paper import PaperParams, apply_paper, none
from tasksheet.schemas.template import load_template

TEMPLATE = load_template()
GROUPS = [f.id for f in TEMPLATE.fields() if f.type == "checkbox_group"]
CN = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"O": 0}


@cache
def sheets() -> list[tuple[Prepared, Office, list[PageLayout]]]:
    """Sheets of two 40-document sets with their office habits, both layouts."""
    return office_sheets((5, 6))


def words(pages: list[PageLayout]) -> list[Text]:
    """Typed and written strings, a string typed in runs of several faces joined back."""
    out: list[Text] = []
    end = 0.0
    for page in pages:
        for it in page.items:
            if not isinstance(it, Text) or not it.text:
                continue
            prev = out[-1] if out else None
            if (prev and not prev.hand and not it.hand and prev.y == it.y
                    and prev.size == it.size and abs(end - it.x) < 1e-6):
                out[-1] = dataclasses.replace(prev, text=prev.text + it.text)
            else:
                out.append(it)
            end = it.x + text_width(it.text, it.font, it.size)
    return out


def read_cn(text: str) -> int:
    """二十一 → 21, 十六 → 16, 七 → 7 (the test's own reading of a Chinese numeral)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN[tens] if tens else 1) * 10 + (CN[ones] if ones else 0)
    return int("".join(str(CN[c]) for c in text))


def test_helpers_write_what_offices_write() -> None:
    assert heading_text("一、三方单位基本信息", "（）") == "（一）三方单位基本信息"
    assert heading_text("四、共 同 条 款", "．") == "四．共 同 条 款"
    assert heading_text("三、试点项目参与成员", "、", spaced=True) == "三、试 点 项 目 参 与 成 员"
    assert heading_text("填表说明", "（）", spaced=True) == "填 表 说 明"
    assert office_date(("2018", "7", "16"), "cn") == ("二〇一八", "七", "十六")
    assert office_date(("2018", "10", "20"), "cn_o") == ("二O一八", "十", "二十")
    assert office_date(("2018", "6", "5"), "padded") == ("2018", "06", "05")
    assert [cover_month("5", s) for s in ("digits", "padded", "cn")] == ["5", "05", "五"]
    assert cover_month("12", "cn") == "十二"


def test_a_face_without_a_glyph_falls_back_as_word_does() -> None:
    """简报宋 (`song`) has no 〇: Word sets it in 宋体; the width follows the pieces."""
    assert runs("二〇一八年", "song") == [("二", "song"), ("〇", FALLBACK), ("一八年", "song")]
    assert runs("2018年", "song+latin_serif")[0] == ("2018", "latin_serif")
    whole = text_width("二〇一八年", "song", 4.0)
    assert abs(whole - sum(text_width(p, f, 4.0) for p, f in runs("二〇一八年", "song"))) < 1e-9


def test_each_habit_is_drawn_at_a_modest_rate() -> None:
    offices = [Office.random(random.Random(i), hand=False) for i in range(400)]
    share = {
        "body face": sum(bool(o.body_font) for o in offices),
        "numbering": sum(o.numbering != "、" for o in offices),
        "spaced": sum(o.spaced_all for o in offices),
        "cover table": sum(o.cover_table for o in offices),
        "rows": sum(bool(o.row_h) for o in offices),
        "columns": sum(bool(o.col_frac) for o in offices),
        "split rows": sum(o.split_rows for o in offices),
        "one cell": sum(o.opinion_frame == "one" for o in offices),
        "dates": sum(bool(o.date_style) for o in offices),
        "ticks": sum(bool(o.ticks) for o in offices),
        "seal place": sum(o.seal_place != "label" for o in offices),
        "margins": sum(bool(o.margins) for o in offices),
    }
    for name, k in share.items():
        assert 0.05 * len(offices) <= k <= 0.75 * len(offices), (name, k)
    assert not any(Office.random(random.Random(i), hand=True).ticks for i in range(50))
    fonts = Counter(o.body_font for o in offices)
    assert {"song", "noto_serif", "noto_sans", "microhei"} <= set(fonts)


def test_dates_written_by_an_office_say_the_truth() -> None:
    """A valid date written 二〇一八年七月十六日, 2018年07月06日 or 2018.7.16 reads back as
    the record's date; an impossible one stays in digits."""
    seen: Counter[str] = Counter()
    for prep, office, pages in sheets():
        if not office.date_style:
            continue
        texts = [t.text for t in words(pages)]
        for party, written in prep.sheet.dates.items():
            iso = prep.sheet.record["opinions"][party]["date"]
            if not written:
                continue
            try:
                dt.date(*(int(v) for v in written))
            except ValueError:
                _, m, d = office_date(written, "cn")
                assert not any(f"{m}月{d}日" in t for t in texts)
                continue
            y, m, d = office_date(written, office.date_style)
            want = f"{y}.{m}.{d}" if office.date_style == "dotted" else f"{y}年{m}月{d}日"
            assert want in texts, (prep.plan.name, want)
            if office.date_style in ("cn", "cn_o"):
                assert dt.date(read_cn(y), read_cn(m), read_cn(d)).isoformat() == iso
            else:
                yy, mm, dd = (int(v) for v in want.rstrip("日").replace("年", ".")
                              .replace("月", ".").split("."))
                assert dt.date(yy, mm, dd).isoformat() == iso
            seen[office.date_style] += 1
    assert len(seen) >= 3, seen


def test_every_ticked_option_is_drawn_once_whatever_the_office_ticks_with() -> None:
    kinds: Counter[str] = Counter()
    for prep, _office, pages in sheets():
        ticked = sum(len(prep.sheet.get(g)["ticked"]) for g in GROUPS)
        marks = [m for p in pages for m in p.items
                 if isinstance(m, Mark) and m.kind in ("check", "cross", "xheavy", "vlong",
                                                       "scribble")]
        glyphs = [t for p in pages for t in p.items
                  if isinstance(t, Text) and t.text in ("■", "☑", "☒", "√", "✓", "×")]
        assert len(marks) + len(glyphs) == ticked, prep.plan.name
        kinds.update(m.kind for m in marks)
        kinds.update(t.text for t in glyphs)
    assert kinds["scribble"] and kinds["☒"] and kinds["√"] and kinds["✓"] and kinds["×"]


def test_rows_broken_over_a_page_keep_their_content_above_the_break() -> None:
    """A row Word breaks leaves its values (and signature) above the break and an empty rest
    atop the next page; the members are all drawn, signed as the record says."""
    broken = 0
    for prep, office, pages in sheets():
        rec = prep.sheet.record
        sigs = [m for p in pages for m in p.items if isinstance(m, Mark) and m.kind == "signature"]
        assert len(sigs) == sum(m["signed"] for m in rec["members"]) + sum(
            op["signed"] for op in rec["opinions"].values())
        texts = {t.text for t in words(pages)}
        for m in rec["members"]:
            assert m["name"] in texts or any(m["name"].startswith(t) for t in texts if t)
        if not office.split_rows:
            continue
        bottoms = {297.0 - prep.style.margins[3]}
        if office.margins:
            bottoms.add(297.0 - office.margins[3])
        if getattr(pages[0], "variants", None) and pages[0].variants.margins:  # type: ignore[attr-defined]
            bottoms.add(297.0 - pages[0].variants.margins[3])  # type: ignore[attr-defined]
        for page in pages[:-1]:
            for bottom in bottoms:
                low = [it for it in page.items if isinstance(it, Line) and it.y0 == it.y1
                       and abs(it.y0 - bottom) < 1e-6]
                if low and page.id in ("basic_info", "members"):
                    assert all(t.y < bottom for t in page.items if isinstance(t, Text))
                    broken += 1
    assert broken >= 2


def test_seals_and_pens_vary_but_every_seal_names_its_unit() -> None:
    reds, places = set(), Counter()
    for prep, office, pages in sheets():
        seals = [m for p in pages for m in p.items if isinstance(m, Mark) and m.kind == "seal"]
        ops = prep.sheet.record["opinions"]
        assert sorted(m.text for m in seals) == sorted(
            op["seal_text"] or "" for op in ops.values() if op["sealed"])
        for m in seals:
            d = m.box[2] - m.box[0]
            assert office.seal_d[0] - 1e-6 <= d <= office.seal_d[1] + 1e-6
            assert m.color == office.seal_color
        reds.add(office.seal_color)
        places[office.seal_place] += 1
    assert len(reds) >= 4 and len(places) == 4


def test_cover_tables_and_headings_as_offices_set_them() -> None:
    tables = numbered = 0
    for prep, office, pages in sheets():
        texts = [t.text for t in words(pages[:1])]
        cover = prep.sheet.record["cover"]
        for key in ("project_name", "commissioning_unit", "undertaking_unit"):
            assert cover[key] in texts
        tables += office.cover_table
        heads = [t.text for t in words(pages) if "三方单位基本信息" in t.text.replace(" ", "")]
        if heads and office.numbering == "（）":
            assert heads[0].startswith("（一）")
            numbered += 1
    assert tables and numbered


def test_paper_defects_stay_in_the_margins() -> None:
    """Holes and a staple only touch the outer 12 mm; a faded copy keeps its order of greys."""
    rng = np.random.default_rng(0)
    page = np.full((297, 210, 3), 255, np.uint8)
    page[100:110, 30:180] = 0
    p = dataclasses.replace(none(), holes=2, staple=True)
    out = apply_paper(page, p, rng)
    changed = np.argwhere((out != page).any(axis=2))
    assert len(changed) and changed[:, 1].max() < 25 and (changed[:, 1] < 12).any()
    assert (out[15:, 25:] == page[15:, 25:]).all()
    faded = apply_paper(page, dataclasses.replace(none(), contrast=0.6), rng)
    assert 95 <= int(faded[105, 100, 0]) <= 110 and faded[50, 100, 0] == 255
    assert isinstance(p, PaperParams)


def test_an_office_free_plan_draws_none() -> None:
    plan = plan_documents(2, seed=5)[0]
    assert office_of(prepare(dataclasses.replace(plan, office=False))) is None
    assert DASH == "—"


def test_a_one_bit_scan_keeps_its_seals() -> None:
    """A pale red (luma 107-135) falls above a 1-bit scanner's threshold and the seal would
    leave the page while the truth says sealed: a bitonal copy's office stamps in a deep red."""
    from tasksheet.samplegen.document import BITONAL_SEAL_LUMA, luma

    plans = [p for seed in range(6) for p in plan_documents(30, seed=seed, captures=["bitonal"])
             if p.capture == "bitonal"]
    pale = 0
    for plan in plans:
        prep = prepare(plan)
        office = office_of(prep)
        assert office is not None and luma(office.seal_color) <= BITONAL_SEAL_LUMA
        scanned = office_of(prepare(dataclasses.replace(plan, capture="scan", format="image_pdf")))
        assert scanned is not None
        pale += luma(scanned.seal_color) > BITONAL_SEAL_LUMA
    assert pale  # the same sheets scanned in colour keep their pale reds


def test_a_born_digital_pdf_in_an_office_face_keeps_its_text_layer(tmp_path) -> None:
    """fpdf's embedding of a CFF face (Noto CJK) gives a text layer pdfminer reads as
    nothing (seed 2101 doc-0004: only the headings and the √ ticks): an office's export
    always has one. The sheet's labels and values are in it."""
    import pdfplumber
    from tasksheet.samplegen.render_pdf import write_digital_pdf

    plan = next(p for p in plan_documents(16, seed=2101) if p.name == "doc-0004")
    prep = prepare(plan)
    office = office_of(prep)
    assert plan.format == "digital_pdf" and office is not None and office.body_font == "noto_serif"
    write_digital_pdf(layout_pages(prep), tmp_path / "d.pdf")
    with pdfplumber.open(tmp_path / "d.pdf") as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages).replace("\n", "")
    assert "法定代表人" in text
    assert prep.sheet.record["undertaking"]["legal_representative"]["mobile"] in text
