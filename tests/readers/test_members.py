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


def members_page(cut_signature: bool, cut_role: bool = False, typed_sign: bool = False) -> np.ndarray:
    """A members table of one party: header, two signed rows. With `cut_signature`, the first
    row's 签字 cell has a pen stroke drawn straight across it, as a ruling would be. With
    `cut_role`, the first row's 分工 wraps onto two lines (`数据分` / `析`) and a vertical
    stroke after its first character runs down the row, as aligned text strokes do. With
    `typed_sign`, the second row's 签字 cell holds the member's name typed, not signed."""
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
            if cut_role and r == 0 and c == 4:
                d.text((xs[c] + 0.3 * th, top + 0.7 * th), "数据分", fill="navy", font=font)
                d.text((xs[c] + 0.3 * th, top + 2.2 * th), "析", fill="navy", font=font)
                cut = xs[c] + 0.3 * th + 1.05 * th
                d.line([(cut, top), (cut, bottom)], fill="black", width=lw)
                continue
            d.text((xs[c] + 0.3 * th, (top + bottom) / 2 - 0.5 * th), text, fill="navy", font=font)
        if typed_sign and r == 1:
            d.text((xs[5] + 0.5 * th, (top + bottom) / 2 - 0.5 * th), values[0], fill="black",
                   font=font)
            continue
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


def test_a_wrapped_cell_cut_by_a_stroke_taken_for_a_ruling_is_read_whole() -> None:
    image = members_page(False, cut_role=True)
    h, w = image.shape[:2]
    page = Page(index=5, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI)
    work = PageWork.of(page, get_engine())
    assert max(len(r) for r in work.grids[0].rows_of_cells()) == 7  # 分工 in two pieces
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template="task_sheet_2018")
    read_members([work], load_template(), result)
    assert [m.cells["role"].value for m in result.members] == ["数据分析", MEMBERS[1][3]]


def _blank(th: float) -> tuple[Image.Image, ImageDraw.ImageDraw, ImageFont.FreeTypeFont]:
    img = Image.new("RGB", (int(8.27 * DPI), int(4 * DPI)), "white")
    return img, ImageDraw.Draw(img), ImageFont.truetype(FONT, round(th))


def _page(img: Image.Image, index: int) -> Page:
    image = np.ascontiguousarray(np.array(img)[:, :, ::-1])
    h, w = image.shape[:2]
    return Page(index=index, source=f"gen{index}.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI)


def test_header_without_its_rulings_maps_the_continuation_by_column_order() -> None:
    """The header row at a page's foot drawn without its column rulings (a photo's short
    row: one cell holds every header), the rows on the next page, a little shifted and
    scaled: columns are then known by the form's order, counted from the table's right."""
    th = 10.5 / 72 * DPI
    lw = 2
    img, d, font = _blank(th)
    x0, y0 = int(0.6 * DPI), int(0.8 * DPI)
    xs = [x0 + round(th * sum(COL_W[:i])) for i in range(len(COL_W) + 1)]
    top, mid, bottom = y0, y0 + round(2 * th), y0 + round(4 * th)
    d.rectangle((xs[0], top, xs[6], bottom), outline="black", width=lw)
    d.line([(xs[0], mid), (xs[6], mid)], fill="black", width=lw)
    d.line([(xs[2], top), (xs[2], mid)], fill="black", width=lw)
    d.text((xs[0] + 0.3 * th, top + 0.5 * th), "政策支持", fill="black", font=font)
    d.text((xs[2] + 0.3 * th, top + 0.5 * th), "协调相关政策支持", fill="black", font=font)
    for c, head in enumerate(HEADER):  # the header words where their columns are, no rulings
        d.text((xs[c] + 0.3 * th, mid + 0.5 * th), head, fill="black", font=font)
    first = _page(img, 4)

    img, d, font = _blank(th)
    k = 0.93  # the next page scanned a little smaller and further right
    xs = [round(x0 + 60 + k * (x - x0)) for x in xs]
    ys = [y0 + round(r * 4 * th * k) for r in range(3)]
    d.rectangle((xs[0], ys[0], xs[1], ys[2]), outline="black", width=lw)
    d.text((xs[0] + 0.3 * th, (ys[0] + ys[2]) / 2 - 0.5 * th), "协调单位", fill="black", font=font)
    for r, values in enumerate(MEMBERS):
        for c in range(1, 6):
            d.rectangle((xs[c], ys[r], xs[c + 1], ys[r + 1]), outline="black", width=lw)
        for c, text in enumerate(values, start=1):
            d.text((xs[c] + 0.3 * th, (ys[r] + ys[r + 1]) / 2 - 0.5 * th), text, fill="navy",
                   font=font)
        sx0, sx1 = xs[5] + 0.5 * th, xs[6] - 0.5 * th
        pts = [(sx0 + (sx1 - sx0) * j / 8, ys[r] + th * (1.0 if j % 2 else 2.6)) for j in range(9)]
        d.line(pts, fill="black", width=3)
    second = _page(img, 5)

    engine = get_engine()
    works = [PageWork.of(first, engine), PageWork.of(second, engine)]
    header_row = works[0].grids[0].rows_of_cells()[-1]
    assert len(header_row) == 1  # the header's columns are not cells
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template="task_sheet_2018")
    read_members(works, load_template(), result)
    got = [(m.party, *(m.cells[k].value for k in ("name", "unit", "title", "role", "signed")))
           for m in result.members]
    assert got == [("coordinating", *values, True) for values in MEMBERS]


def test_a_typed_name_in_the_signature_cell_is_no_signature() -> None:
    """The reading says why (`印刷文字`), so that missing_signature can word it."""
    from tasksheet.extract.signature import PRINTED_RAW

    image = members_page(False, typed_sign=True)
    h, w = image.shape[:2]
    page = Page(index=5, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI)
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template="task_sheet_2018")
    read_members([PageWork.of(page, get_engine())], load_template(), result)
    signed = [m.cells["signed"] for m in result.members]
    assert [(r.value, r.raw) for r in signed] == [(True, None), (False, PRINTED_RAW)]
