"""Section 三 with a group label cut in two by a ruling across its party cell (the ruling
between two member rows run on over the party column): `承接` read in one row's party cell,
`单位` in the next. `单位` alone is every group's label and no one's (readers.members): it
leaves the party as it was. Seed 6143 doc-0023 (1-bit): 单位 was taken for 委托单位 (the
first group as like as any), and the undertaking party's second member, 冯波洋, was read as
the commissioning party's third (a false unit_name_mismatch, the rows after it shifted)."""

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
COL_W = [4.0, 4.5, 10.0, 5.0, 5.0, 4.0]  # character heights
COMMISSIONING = [("许兰", "成都市经济和信息化委员会", "处长", "组织协调"),
                 ("夏芳敏", "成都市经济和信息化委员会", "调研员", "项目实施"),
                 ("—", "—", "—", "—")]
UNDERTAKING = [("杜峰涵", "成都市软件行业协会", "研究员", "组织协调"),
               ("冯波洋", "成都市软件行业协会", "副秘书长", "经费管理")]


def _page() -> PageWork:
    """Header, the commissioning group's three rows beside one merged party cell (委托单位
    in its middle), then the undertaking group's two rows with the ruling between them
    drawn across the party column too: `承接` above it, `单位` below it."""
    rows = COMMISSIONING + UNDERTAKING
    img = Image.new("RGB", (int(8.27 * DPI), int(2.0 * DPI + 2.4 * TH * len(rows))), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, round(TH))
    x0, y0 = int(0.6 * DPI), int(0.8 * DPI)
    xs = [x0 + round(TH * sum(COL_W[:i])) for i in range(len(COL_W) + 1)]
    ys = [y0] + [y0 + round(2 * TH) + round(2.4 * TH * i) for i in range(len(rows) + 1)]
    d.rectangle((xs[0], ys[0], xs[-1], ys[-1]), outline="black", width=2)
    for i, y in enumerate(ys[1:-1], start=1):
        # the party column is ruled where a group starts, and between the undertaking rows
        left = xs[0] if i in (1, 4, 5) else xs[1]
        d.line([(left, y), (xs[-1], y)], fill="black", width=2)
    for x in xs[1:-1]:
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
    d.text((xs[0] + 0.5 * TH, ys[2] + 0.1 * TH), "委托", fill="black", font=font)
    d.text((xs[0] + 0.5 * TH, ys[2] + 1.2 * TH), "单位", fill="black", font=font)
    d.text((xs[0] + 0.5 * TH, ys[5] - 1.3 * TH), "承接", fill="black", font=font)
    d.text((xs[0] + 0.5 * TH, ys[5] + 0.3 * TH), "单位", fill="black", font=font)
    image = np.ascontiguousarray(np.array(img)[:, :, ::-1])
    h, w = image.shape[:2]
    page = Page(index=4, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI, form_page="members")
    return PageWork.of(page, get_engine())


def test_unit_alone_leaves_the_party_as_it_was() -> None:
    work = _page()
    party_cells = [r[0] for r in work.grids[0].rows_of_cells() if r[0].col == 0]
    assert [(c.row, c.rowspan) for c in party_cells][-2:] == [(4, 1), (5, 1)]  # cut in two
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template="task_sheet_2018")
    read_members([work], load_template(), result)
    got = [(m.party, m.index, m.cells["name"].value) for m in result.members]
    assert got == [("commissioning", 0, "许兰"), ("commissioning", 1, "夏芳敏"),
                   ("undertaking", 0, "杜峰涵"), ("undertaking", 1, "冯波洋")]
