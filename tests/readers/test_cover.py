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


def _read_cover(image: np.ndarray) -> PageWork:
    """The cover's line fields read on `image`; each must be its value in LINES."""
    h, w = image.shape[:2]
    page = Page(index=1, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI, form_page="cover")
    work = PageWork.of(page, get_engine())
    template = load_template()
    specs = [s for s in template.lines if not s.until and s.id != "cover.coordinating_unit"]
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template=template.id)
    read_lines(work, template, result, specs)
    assert [result.readings[s.id].value for s in specs] == [v for _, v in LINES]
    return work


def test_values_on_underlined_blanks_without_the_specks_on_them() -> None:
    _read_cover(cover_page(speck=True))


def wrapped_cover_page() -> np.ndarray:
    """The labels wrapped in a narrow column (`委托单` / `位：`), each value on the second
    line's blank; the last value set close after `位：` with a speck between, as seed 307
    doc-0003's grey scan had it, so that one line box holds both."""
    img = Image.new("RGB", (int(8.27 * DPI), int(4 * DPI)), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, TH)
    x0, y = int(1.0 * DPI), int(0.5 * DPI)
    for k, (label, value) in enumerate(LINES):
        d.text((x0, y), label[:3], fill="black", font=font)
        d.text((x0 + TH // 2, y + round(1.3 * TH)), label[3:], fill="black", font=font)
        rest = x0 + TH // 2 + round(font.getlength(label[3:]))
        yl = y + round(1.3 * TH)
        d.line([(rest + TH // 2, yl + TH + 6), (rest + 17 * TH, yl + TH + 6)], fill="black", width=2)
        vx = rest + (round(0.6 * TH) if k == 2 else 3 * TH)
        d.text((vx, yl), value, fill="black", font=font)
        if k == 2:
            d.ellipse((vx - 0.35 * TH - 2, yl + 0.7 * TH - 2, vx - 0.35 * TH + 2, yl + 0.7 * TH + 2),
                      fill="black")
        y += round(3.4 * TH)
    return np.ascontiguousarray(np.array(img)[:, :, ::-1])


def test_a_value_read_in_one_box_with_its_wrapped_label_is_what_follows_the_label() -> None:
    """Seed 307 doc-0003: `位：.成都市科学技术协会` came back as one line box that starts left
    of the label's first part, so nothing was taken as its value (a false blank_field)."""
    image = wrapped_cover_page()
    work = _read_cover(image)
    h, w = image.shape[:2]
    lines = work.text.read([(0, 0, w, h)])[0].lines
    assert [t for _, t, _ in lines if "农学会" in t] == ["位：·成都市农学会"]  # one box


def test_a_line_read_in_traditional_characters_still_has_its_label(monkeypatch) -> None:
    """Seed 733 doc-0007 and doc-0008, a 300 dpi grey scan
    (`tests/data/grey-cover-lines-read-traditional.png`: the line as normalised): the brush
    hand's `成都市体育科学学会` and its label come back as `承接單位：成都市體育科學學會`, in
    one box. The label did not match (0.67), the unit was not read on either copy, and
    the third copy's differing phone went unseen (copies are grouped by that unit)."""
    from helpers.saved import saved_page

    page = saved_page(monkeypatch, "grey-cover-lines-read-traditional.png", "cover",
                      scale=(5.0, 73.0, 2.0), dpi=300, index=0)
    template = load_template()
    specs = [s for s in template.lines if s.id == "cover.undertaking_unit"]
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template=template.id)
    read_lines(PageWork.of(page, get_engine()), template, result, specs)
    unit = result.readings["cover.undertaking_unit"]
    assert (unit.raw, unit.value) == ("成都市體育科學學會", "成都市体育科学学会")
