"""Section 三 with a group label printed over the ruling between the party's column and the
names (`协调` / `单位` in a narrow party cell, 调 and 位 across the ruling): the label is read
whole in the party's cell, and its last glyph again at the start of the name its line
reaches (readers.members). Seed 9721 doc-0017: 钟宇 read `位钟宇`."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest.document import Page
from tasksheet.readers.members import read_members
from tasksheet.readers.work import PageWork
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DPI = 200
TH = 10.5 / 72 * DPI
HEADER = ["", "姓名", "工作单位", "职务/职称", "分工", "签字"]
COL_W = [1.6, 4.5, 13.0, 5.0, 5.0, 4.0]  # character heights: a party column narrower than its label
MEMBERS = [("钟宇", "成都市科学技术协会学会部", "部长", "专家组织"),
           ("丁杰燕", "成都市科学技术协会", "科员", "项目实施")]


def _page() -> PageWork:
    img = Image.new("RGB", (int(8.27 * DPI), int(2.0 * DPI + 3 * TH * len(MEMBERS))), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, round(TH))
    x0, y0 = int(0.6 * DPI), int(0.8 * DPI)
    xs = [x0 + round(TH * sum(COL_W[:i])) for i in range(len(COL_W) + 1)]
    ys = [y0, y0 + round(2 * TH)] + [y0 + round(2 * TH) + round(3 * TH * (i + 1))
                                      for i in range(len(MEMBERS))]
    d.rectangle((xs[0], ys[0], xs[-1], ys[-1]), outline="black", width=2)
    for y in ys[1:-1]:
        d.line([(xs[0] if y == ys[1] else xs[1], y), (xs[-1], y)], fill="black", width=2)
    for x in xs[1:-1]:
        d.line([(x, ys[0]), (x, ys[-1])], fill="black", width=2)
    for c, head in enumerate(HEADER):
        d.text((xs[c] + 0.3 * TH, ys[0] + 0.5 * TH), head, fill="black", font=font)
    for r, values in enumerate(MEMBERS):
        top = ys[r + 1]
        for c, text in enumerate(values, start=1):
            d.text((xs[c] + 0.8 * TH, top + 1.0 * TH), text, fill="black", font=font)
        sx0, sx1 = xs[5] + 0.5 * TH, xs[6] - 0.5 * TH  # a scrawl: zigzag strokes
        pts = [(sx0 + (sx1 - sx0) * k / 8, top + TH * (0.6 if k % 2 else 2.2)) for k in range(9)]
        d.line(pts, fill="black", width=3)
    # the label's two lines, their second glyphs across the ruling; 单位 level with 钟宇
    lx = xs[1] - 1.6 * TH
    d.text((lx, ys[1] + 0.0 * TH), "协调", fill="black", font=font)
    d.text((lx, ys[1] + 1.0 * TH), "单位", fill="black", font=font)
    image = np.ascontiguousarray(np.array(img)[:, :, ::-1])
    h, w = image.shape[:2]
    page = Page(index=4, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI, form_page="members")
    return PageWork.of(page, get_engine())


def test_a_labels_glyph_over_the_ruling_is_not_the_names() -> None:
    work = _page()
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template="task_sheet_2018")
    read_members([work], load_template(), result)
    got = [(m.party, m.cells["name"].value) for m in result.members]
    assert got == [("coordinating", "钟宇"), ("coordinating", "丁杰燕")]
