"""Section 三's columns when one header is not read (`readers.members._unread_headers`)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest.document import Page
from tasksheet.readers.members import read_members
from tasksheet.readers.work import PageWork
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DPI = 200
HEADER = ["", "姓名", "工作单位", "职务/职称", "分工", "签字"]
MEMBERS = [("张三", "成都市药学会", "教授", "组织协调"), ("李四", "成都市药学会", "科员", "资料整理")]
COL_W = [5.0, 4.5, 10.0, 5.0, 5.0, 4.0]  # character heights


def table_page(unread: str) -> np.ndarray:
    """A members table of one party, header and two signed rows, the header `unread` left
    out of its cell (printed too pale for the binarisation, as seed 2101 doc-0007's shaded
    header row had `分工`)."""
    th = 10.5 / 72 * DPI
    img = Image.new("RGB", (int(8.27 * DPI), int(5 * DPI)), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, round(th))
    x0, y0 = int(0.6 * DPI), int(0.8 * DPI)
    xs = [x0 + round(th * sum(COL_W[:i])) for i in range(len(COL_W) + 1)]
    ys = [y0, y0 + round(2 * th), y0 + round(6 * th), y0 + round(10 * th)]
    d.rectangle((xs[0], ys[1], xs[1], ys[3]), outline="black", width=2)
    d.text((xs[0] + 0.3 * th, (ys[1] + ys[3]) / 2 - 0.5 * th), "承接单位", fill="black", font=font)
    for c, head in enumerate(HEADER):
        d.rectangle((xs[c], ys[0], xs[c + 1], ys[1]), outline="black", width=2)
        if head != unread:
            d.text((xs[c] + 0.3 * th, ys[0] + 0.5 * th), head, fill="black", font=font)
    for r, values in enumerate(MEMBERS):
        top, bottom = ys[r + 1], ys[r + 2]
        for c in range(1, 6):
            d.rectangle((xs[c], top, xs[c + 1], bottom), outline="black", width=2)
        for c, text in enumerate(values, start=1):
            d.text((xs[c] + 0.3 * th, (top + bottom) / 2 - 0.5 * th), text, fill="navy", font=font)
        sx0, sx1 = xs[5] + 0.5 * th, xs[6] - 0.5 * th  # a scrawl
        pts = [(sx0 + (sx1 - sx0) * k / 8, top + th * (1.2 if k % 2 else 3.0)) for k in range(9)]
        d.line(pts, fill="black", width=3)
    return np.ascontiguousarray(np.array(img)[:, :, ::-1])


@pytest.mark.parametrize("unread", ["分工", "职务/职称", "签字"])
def test_a_column_whose_header_was_not_read_is_taken_by_the_form_order(unread: str) -> None:
    image = table_page(unread)
    h, w = image.shape[:2]
    page = Page(index=5, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI)
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template="task_sheet_2018")
    read_members([PageWork.of(page, get_engine())], load_template(), result)
    got = [(m.party, *(m.cells[k].value for k in ("name", "unit", "title", "role", "signed")))
           for m in result.members]
    assert got == [("undertaking", *values, True) for values in MEMBERS]
