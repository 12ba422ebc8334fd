"""Section 五's blocks read from a generated page (readers.opinions): one bordered cell per
party holding its opinion, the 签字 and 公章 labels and the date."""

from __future__ import annotations

import numpy as np
from helpers.example_result import example_result
from PIL import Image, ImageDraw, ImageFont
from tasksheet.checks import check_document
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.page_text import PageText, RegionText
from tasksheet.extract.signature import PRINTED_RAW
from tasksheet.ingest.document import Page
from tasksheet.readers.opinions import read_opinions
from tasksheet.readers.work import PageWork
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DPI = 200
TH = round(10.5 / 72 * DPI)


def opinions_page(typed: str | None, dates: dict[str, str] | None = None) -> np.ndarray:
    """Three blocks, each signed with pen strokes but the one of party `typed`, whose
    signer's name is typed in print after its 签字 label; each dated 2018年6月12日 but
    those in `dates` (party: the date as on paper, its year left out where it is hidden)."""
    template = load_template()
    img = Image.new("RGB", (int(8.27 * DPI), int(9 * DPI)), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, TH)
    x0, x1, y = int(0.8 * DPI), int(7.5 * DPI), int(0.8 * DPI)
    for block in template.opinions.blocks:
        h = 8 * TH
        d.rectangle((x0, y, x1, y + h), outline="black", width=2)
        d.text((x0 + TH, y + TH), block.label, fill="black", font=font)
        d.text((x0 + 3 * TH, y + 2.4 * TH), "同意。", fill="black", font=font)
        sx = x0 + 12 * TH
        d.text((sx, y + 4 * TH), block.signature_label + "：", fill="black", font=font)
        after = sx + round(font.getlength(block.signature_label + "：")) + TH // 2
        if block.party == typed:
            d.text((after, y + 4 * TH), "张建国", fill="black", font=font)
        else:
            pts = [(after + k * 0.6 * TH, y + 4 * TH + (0.1 if k % 2 else 0.9) * TH)
                   for k in range(7)]
            d.line(pts, fill=(20, 40, 150), width=3)
        d.text((sx, y + 5.5 * TH), block.seal_label, fill="black", font=font)
        date = (dates or {}).get(block.party, "2018年6月12日")
        d.text((sx + 4 * TH + font.getlength("2018") * (not date[:1].isdigit()), y + 6.7 * TH),
               date, fill="black", font=font)
        y += h
    return np.ascontiguousarray(np.array(img)[:, :, ::-1])


def _read(image: np.ndarray) -> SheetResult:
    h, w = image.shape[:2]
    page = Page(index=7, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI, form_page="opinions")
    template = load_template()
    engine = get_engine()
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template=template.id)
    read_opinions([PageWork.of(page, engine)], template, engine, result)
    return result


def test_a_typed_name_in_a_signature_place_is_no_signature_and_says_so() -> None:
    result = _read(opinions_page(typed="undertaking"))
    signed = {p: result.readings[f"opinions.{p}.signed"] for p in
              ("commissioning", "undertaking", "coordinating")}
    assert {p: (r.value, r.raw) for p, r in signed.items()} == {
        "commissioning": (True, None), "undertaking": (False, PRINTED_RAW),
        "coordinating": (True, None)}
    assert [result.readings[f"opinions.{p}.date"].value for p in signed] == ["2018-06-12"] * 3


def test_a_day_the_forms_year_lacks_is_an_invalid_date_with_its_year_hidden() -> None:
    """Seed 191 doc-0007: `2018年2月29日` with its year under the seal's ring, read
    `年2月29日`. Whatever year is hidden, the date is wrong (2018 has no 2月29日; another
    year is not the form's): an invalid_date read as surely as its row, not a guess. A
    real day with its year hidden stays a guess, for a person to look at."""
    template = load_template()
    read = _read(opinions_page(None, {"undertaking": "年6月12日", "coordinating": "年2月29日"}))
    dates = {p: read.readings[f"opinions.{p}.date"] for p in ("undertaking", "coordinating")}
    assert (dates["undertaking"].value, dates["coordinating"].value) == (
        "2018-06-12", "2018年2月29日")
    assert dates["coordinating"].confidence >= template.low_confidence_below
    assert dates["undertaking"].confidence < template.low_confidence_below
    result = example_result()
    for party, reading in dates.items():
        result.readings[f"opinions.{party}.date"] = reading
    check_document(result, template)
    assert sorted((f.code, f.field) for f in result.findings
                  if (f.field or "").endswith(".date")) == [
        ("invalid_date", "opinions.coordinating.date"),
        ("low_confidence", "opinions.undertaking.date")]


def test_an_impossible_date_read_badly_in_its_batch_is_read_again_alone(monkeypatch) -> None:
    """Seed 241 doc-0013: `2018年2月31日` under a red seal read `12018年2月31日` at 0.52 in
    the page's batch (padded to wider crops, the ring's remains read as a digit), so its
    invalid_date was only a low-confidence warning; read alone it says `2018年2月31日` at
    0.99. A date that is no date is read again alone and scored, whatever the seal's
    colour, and the finding is an error."""
    template = load_template()
    real_read = PageText.read

    def batched(self, regions, **kw):  # what the wide batch made of the date's row
        out = real_read(self, regions, **kw)
        return [RegionText(t.text, t.score, t.bbox, tuple(
            (b, "1" + s, 0.52) if s.startswith("2018年2月31日") else (b, s, sc)
            for b, s, sc in t.lines), t.chars, t.whole) for t in out]

    monkeypatch.setattr(PageText, "read", batched)
    read = _read(opinions_page(None, {"coordinating": "2018年2月31日"}))
    date = read.readings["opinions.coordinating.date"]
    assert date.value == "2018年2月31日"
    assert date.confidence >= template.low_confidence_below
    result = example_result()
    result.readings["opinions.coordinating.date"] = date
    check_document(result, template)
    assert ("invalid_date", "opinions.coordinating.date") in {
        (f.code, f.field) for f in result.findings}
