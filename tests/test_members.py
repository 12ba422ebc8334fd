"""Section 三 (members) read from a generated table page: rows by structure, not position."""

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


def members_page(cut_signature: bool) -> np.ndarray:
    """A members table of one party: header, two signed rows. With `cut_signature`, the first
    row's 签字 cell has a pen stroke drawn straight across it, as a ruling would be."""
    th = 10.5 / 72 * DPI
    img = Image.new("RGB", (int(8.27 * DPI), int(5 * DPI)), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, round(th))
    lw = 2
    x0, y0 = int(0.6 * DPI), int(0.8 * DPI)
    xs = [x0 + round(th * sum(COL_W[:i])) for i in range(len(COL_W) + 1)]
    ys = [y0, y0 + round(2 * th), y0 + round(6 * th), y0 + round(10 * th)]
    d.rectangle((xs[0], ys[1], xs[1], ys[3]), outline="black", width=lw)
    d.text((xs[0] + 0.3 * th, (ys[1] + ys[3]) / 2 - 0.5 * th), "承接单位", fill="black", font=font)
    for c, head in enumerate(HEADER):
        d.rectangle((xs[c], ys[0], xs[c + 1], ys[1]), outline="black", width=lw)
        d.text((xs[c] + 0.3 * th, ys[0] + 0.5 * th), head, fill="black", font=font)
    for r, values in enumerate(MEMBERS):
        top, bottom = ys[r + 1], ys[r + 2]
        for c in range(1, 6):
            d.rectangle((xs[c], top, xs[c + 1], bottom), outline="black", width=lw)
        for c, text in enumerate(values, start=1):
            d.text((xs[c] + 0.3 * th, (top + bottom) / 2 - 0.5 * th), text, fill="navy", font=font)
        sx0, sx1 = xs[5] + 0.5 * th, xs[6] - 0.5 * th  # a scrawl: zigzag strokes
        pts = [(sx0 + (sx1 - sx0) * k / 8, top + th * (1.2 if k % 2 else 3.0)) for k in range(9)]
        d.line(pts, fill="black", width=3)
        if cut_signature and r == 0:
            d.line([(xs[5], top + 0.8 * th), (xs[6], top + 0.8 * th)], fill="black", width=lw)
    return np.ascontiguousarray(np.array(img)[:, :, ::-1])


@pytest.mark.parametrize("cut_signature", [False, True], ids=["plain", "signature-cut"])
def test_member_rows_are_read_whole(cut_signature: bool) -> None:
    image = members_page(cut_signature)
    h, w = image.shape[:2]
    page = Page(index=5, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI)
    work = PageWork.of(page, get_engine())
    if cut_signature:  # the stroke is taken for a ruling: the 签字 column is in pieces
        assert max(len(r) for r in work.grids[0].rows_of_cells()) == 6
        assert min(len(r) for r in work.grids[0].rows_of_cells()) == 1
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template="task_sheet_2018")
    read_members([work], load_template(), result)
    got = [(m.party, *(m.cells[k].value for k in ("name", "unit", "title", "role", "signed")))
           for m in result.members]
    assert got == [("undertaking", *values, True) for values in MEMBERS]
    assert all(m.cells["unit"].whole for m in result.members)  # every character read
