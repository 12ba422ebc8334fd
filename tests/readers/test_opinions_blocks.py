"""Section 五's blocks read from a generated page (readers.opinions): one bordered cell per
party holding its opinion, the 签字 and 公章 labels and the date."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.signature import PRINTED_RAW
from tasksheet.ingest.document import Page
from tasksheet.readers.opinions import read_opinions
from tasksheet.readers.work import PageWork
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DPI = 200
TH = round(10.5 / 72 * DPI)


def opinions_page(typed: str) -> np.ndarray:
    """Three blocks, each signed with pen strokes but the one of party `typed`, whose
    signer's name is typed in print after its 签字 label."""
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
        d.text((sx + 4 * TH, y + 6.7 * TH), "2018年6月12日", fill="black", font=font)
        y += h
    return np.ascontiguousarray(np.array(img)[:, :, ::-1])


def test_a_typed_name_in_a_signature_place_is_no_signature_and_says_so() -> None:
    image = opinions_page(typed="undertaking")
    h, w = image.shape[:2]
    page = Page(index=7, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI, form_page="opinions")
    template = load_template()
    engine = get_engine()
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template=template.id)
    read_opinions([PageWork.of(page, engine)], template, engine, result)
    signed = {p: result.readings[f"opinions.{p}.signed"] for p in
              ("commissioning", "undertaking", "coordinating")}
    assert {p: (r.value, r.raw) for p, r in signed.items()} == {
        "commissioning": (True, None), "undertaking": (False, PRINTED_RAW),
        "coordinating": (True, None)}
    assert [result.readings[f"opinions.{p}.date"].value for p in signed] == ["2018-06-12"] * 3
