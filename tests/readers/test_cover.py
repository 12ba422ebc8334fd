"""The cover's labelled lines (readers.cover): values on underlined blanks right of labels."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest.document import Page
from tasksheet.readers.cover import read_lines
from tasksheet.readers.work import PageWork
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DPI = 200
TH = round(14 / 72 * DPI)
LINES = [("项目名称：", "成都市农业科技成果第三方评价"), ("委托单位：", "成都市农业委员会"),
         ("承接单位：", "成都市农学会")]


def cover_page(speck: bool) -> np.ndarray:
    """Three labels, each value on an underlined blank; with `speck`, a dot of dust on the
    first blank just before its value."""
    img = Image.new("RGB", (int(8.27 * DPI), int(4 * DPI)), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, TH)
    x0, y = int(1.0 * DPI), int(0.6 * DPI)
    for k, (label, value) in enumerate(LINES):
        d.text((x0, y), label, fill="black", font=font)
        bx = x0 + round(font.getlength(label))
        d.line([(bx, y + TH + 6), (bx + 17 * TH, y + TH + 6)], fill="black", width=2)
        vx = bx + 2 * TH
        d.text((vx, y), value, fill="black", font=font)
        if speck and k == 0:
            d.ellipse((vx - 0.6 * TH - 3, y + 0.45 * TH - 3, vx - 0.6 * TH + 3, y + 0.45 * TH + 3),
                      fill="black")
        y += round(2.4 * TH)
    return np.ascontiguousarray(np.array(img)[:, :, ::-1])


def test_values_on_underlined_blanks_without_the_specks_on_them() -> None:
    image = cover_page(speck=True)
    h, w = image.shape[:2]
    page = Page(index=1, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI, form_page="cover")
    work = PageWork.of(page, get_engine())
    template = load_template()
    specs = [s for s in template.lines if not s.until and s.id != "cover.coordinating_unit"]
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template=template.id)
    read_lines(work, template, result, specs)
    assert [result.readings[s.id].value for s in specs] == [v for _, v in LINES]
