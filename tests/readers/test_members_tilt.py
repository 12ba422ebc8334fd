"""Section 三 read from generated tables whose grid the reader sees only in part: headers
not read, rules turned against the text (`readers.members`)."""

from __future__ import annotations

import math

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
MEMBERS = [("张三", "成都市药学会", "教授", "组织协调"), ("李四", "成都市药学会", "科员", "资料整理"),
           ("王五", "成都市药学会", "研究员", "技术负责")]
COL_W = [5.0, 4.5, 10.0, 5.0, 5.0, 4.0]  # character heights
KEYS = ("name", "unit", "title", "role", "signed")


def table_page(unread: tuple[str, ...] = (), tilt: float = 0.0, lost: tuple[int, ...] = ()
               ) -> np.ndarray:
    """A members table of one party, its header and signed rows; the headers in `unread`
    left out of their cells (printed too pale to be read), its rules turned `tilt` degrees
    about the table's top left corner against the text (an office's printer: the text
    stays level, each in the cell it belongs to), the rulings left of the columns `lost`
    (1 姓名 … 5 签字) drawn in the header row only (too faint, or turned, to be found)."""
    img = Image.new("RGB", (int(8.27 * DPI), int(5 * DPI)), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, round(TH))
    x0, y0 = int(0.6 * DPI), int(0.8 * DPI)
    xs = [x0 + round(TH * sum(COL_W[:i])) for i in range(len(COL_W) + 1)]
    ys = [y0, y0 + round(2 * TH), *(y0 + round((2 + 4 * k) * TH) for k in range(1, 4))]
    t = math.tan(math.radians(tilt))

    def at(x: float, y: float) -> tuple[float, float]:  # a point of the turned rules
        return x - (y - y0) * t, y + (x - x0) * t

    def rule(a: tuple[float, float], b: tuple[float, float]) -> None:
        d.line([at(*a), at(*b)], fill="black", width=2)

    for y in ys:
        rule((xs[0] if y in (ys[0], ys[1], ys[-1]) else xs[1], y), (xs[-1], y))
    for k, x in enumerate(xs):
        rule((x, ys[0]), (x, ys[1] if k in lost else ys[-1]))
    d.text((xs[0] + 0.3 * TH, (ys[1] + ys[-1]) / 2 - 0.5 * TH), "承接单位", fill="black", font=font)
    for c, head in enumerate(HEADER):
        if head not in unread:
            d.text((xs[c] + 0.3 * TH, ys[0] + 0.5 * TH), head, fill="black", font=font)
    for r, values in enumerate(MEMBERS):
        top, bottom = ys[r + 1], ys[r + 2]
        for c, text in enumerate(values, start=1):
            d.text((xs[c] + 0.3 * TH, (top + bottom) / 2 - 0.5 * TH), text, fill="navy", font=font)
        sx0, sx1 = xs[5] + 0.5 * TH, xs[6] - 0.5 * TH  # a scrawl
        pts = [(sx0 + (sx1 - sx0) * k / 8, top + TH * (1.2 if k % 2 else 3.0)) for k in range(9)]
        d.line(pts, fill="black", width=3)
    return np.ascontiguousarray(np.array(img)[:, :, ::-1])


def _members(image: np.ndarray) -> list[tuple]:
    h, w = image.shape[:2]
    page = Page(index=5, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI)
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template="task_sheet_2018")
    read_members([PageWork.of(page, get_engine())], load_template(), result)
    return [(m.party, *(m.cells[k].value for k in KEYS)) for m in result.members]


def test_the_last_two_headers_unread_are_taken_by_the_form_order() -> None:
    """Seed 8527 doc-0023: `分工` read `分` and `签字` read `签宇`, the last two headers;
    one column missing past the last one read was all the order rule took, and every
    member's 分工 was blank and every member unsigned (16 false findings). Two cells left
    of the row for two columns missing are those two columns."""
    got = _members(table_page(unread=("分工", "签字")))
    assert got == [("undertaking", *values, True) for values in MEMBERS]


def test_a_cell_over_two_columns_is_parted_by_the_header_labels() -> None:
    """Seed 8527 doc-0005 (colour scan, rules turned ~1.5° against the text): the rulings
    between 姓名 and 工作单位 and between 职务/职称 and 分工 were not found below the header,
    and a member's name and unit, title and role, were read as one column's
    (`廖婷川成都市食品药品监督管理局`). A cell over two header labels' places is parted
    by them: each word read goes to the column whose label is nearest."""
    got = _members(table_page(lost=(2, 4)))
    assert got == [("undertaking", *values, True) for values in MEMBERS]
