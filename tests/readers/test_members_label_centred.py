"""Section 三 with its party column ruled row by row (a word processor's table): each group's
label stands in the middle row of its group, and the rows above it are its group's too
(readers.members). Seed 9857 doc-0007 read the undertaking group's first member as the
commissioning party's fourth, and every undertaking member one row off."""

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
TH = 10.5 / 72 * DPI
HEADER = ["", "姓名", "工作单位", "职务/职称", "分工", "签字"]
COL_W = [4.0, 4.5, 10.0, 5.0, 5.0, 4.0]  # character heights
GROUPS = [("委托", "单位", "commissioning", [("张建国", "成都市科学技术局", "科长", "考核评估"),
                                           ("李明", "成都市科学技术局", "科员", "联络协调"),
                                           ("王芳", "成都市科学技术局", "科员", "资料整理")]),
          ("承接", "单位", "undertaking", [("赵丽", "成都市药学会", "教授", "组织协调"),
                                         ("孙伟", "成都市药学会", "研究员", "项目实施"),
                                         ("—", "—", "—", "—")])]


def _page(party_ruling: bool) -> PageWork:
    """Header and two groups of three rows, every row ruled across the party column, each
    group's label (two lines) in its middle row. Without `party_ruling` the ruling between
    the party column and 姓名 is not drawn: the label is read inside the name's cell."""
    rows = [m for *_, members in GROUPS for m in members]
    img = Image.new("RGB", (int(8.27 * DPI), int(2.0 * DPI + 2.4 * TH * len(rows))), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, round(TH))
    x0, y0 = int(0.6 * DPI), int(0.8 * DPI)
    xs = [x0 + round(TH * sum(COL_W[:i])) for i in range(len(COL_W) + 1)]
    ys = [y0] + [y0 + round(2 * TH) + round(2.4 * TH * i) for i in range(len(rows) + 1)]
    d.rectangle((xs[0], ys[0], xs[-1], ys[-1]), outline="black", width=2)
    for y in ys[1:-1]:
        d.line([(xs[0], y), (xs[-1], y)], fill="black", width=2)
    for x in xs[1 if party_ruling else 2:-1]:
        d.line([(x, ys[0]), (x, ys[-1])], fill="black", width=2)
    for c, head in enumerate(HEADER):
        d.text((xs[c] + 0.3 * TH, ys[0] + 0.5 * TH), head, fill="black", font=font)
    for r, values in enumerate(rows):
        top = ys[r + 1]
        for c, text in enumerate(values, start=1):
            d.text((xs[c] + 0.3 * TH, top + 0.7 * TH), text, fill="black", font=font)
        if values[0] != "—":
            sx0, sx1 = xs[5] + 0.5 * TH, xs[6] - 0.5 * TH  # a scrawl: zigzag strokes
            pts = [(sx0 + (sx1 - sx0) * k / 8, top + TH * (0.6 if k % 2 else 1.8)) for k in range(9)]
            d.line(pts, fill="black", width=3)
    for g, (up, down, _, _) in enumerate(GROUPS):
        top = ys[1 + 3 * g + 1]
        d.text((xs[0] + 0.5 * TH, top + 0.1 * TH), up, fill="black", font=font)
        d.text((xs[0] + 0.5 * TH, top + 1.2 * TH), down, fill="black", font=font)
    image = np.ascontiguousarray(np.array(img)[:, :, ::-1])
    h, w = image.shape[:2]
    page = Page(index=4, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI, form_page="members")
    return PageWork.of(page, get_engine())


@pytest.mark.parametrize("party_ruling", [True, False], ids=["ruled", "party-ruling-lost"])
def test_rows_above_a_centred_label_are_its_groups(party_ruling: bool) -> None:
    work = _page(party_ruling)
    assert len(work.grids[0].rows_of_cells()[2]) == (6 if party_ruling else 5)
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template="task_sheet_2018")
    read_members([work], load_template(), result)
    got = [(m.party, m.cells["name"].value) for m in result.members]
    assert got == [(party, m[0]) for _, _, party, members in GROUPS for m in members
                   if m[0] != "—"]
