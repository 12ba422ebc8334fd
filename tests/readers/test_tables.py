"""Section 一's labelled rows read by label text when rulings are lost (readers.tables)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.drawing import table_canvas
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest.document import Page
from tasksheet.readers.tables import read_table
from tasksheet.readers.work import PageWork
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DPI = 200
TH = 10.5 / 72 * DPI
COL_W = [5.0, 6.0, 9.0, 4.5, 10.0]  # party, label, value, label, value; in text heights
ROWS = [[("法定代表人", "undertaking.legal_representative.name", "张建国"),
         ("手机", "undertaking.legal_representative.mobile", "13912345678")],
        [("电话", "undertaking.legal_representative.phone", "028-86651234"),
         ("Email", "undertaking.legal_representative.email", "zjg@kepu.cn")]]


def parties_page(lost: bool) -> np.ndarray:
    """The undertaking group's first two rows. With `lost`, the second row's rulings after
    电话's value are gone: value, `Email` and its value stand in one cell."""
    xs, ys, img, d, font = table_canvas(COL_W, len(ROWS), TH, DPI, FONT)
    d.rectangle((xs[0], ys[0], xs[1], ys[-1]), outline="black", width=2)
    d.text((xs[0] + 0.5 * TH, (ys[0] + ys[-1]) / 2 - 0.5 * TH), "承接单位", fill="black", font=font)
    for r, row in enumerate(ROWS):
        top, bottom = ys[r], ys[r + 1]
        d.rectangle((xs[1], top, xs[-1], bottom), outline="black", width=2)
        d.line([(xs[2], top), (xs[2], bottom)], fill="black", width=2)
        if not (lost and r == 1):
            for x in xs[3:5]:
                d.line([(x, top), (x, bottom)], fill="black", width=2)
        for k, (label, _, value) in enumerate(row):
            d.text((xs[1 + 2 * k] + 0.3 * TH, top + 0.6 * TH), label, fill="black", font=font)
            d.text((xs[2 + 2 * k] + 0.3 * TH, top + 0.6 * TH), value, fill="navy", font=font)
    return np.ascontiguousarray(np.array(img)[:, :, ::-1])


@pytest.mark.parametrize("lost", [False, True], ids=["ruled", "rulings-lost"])
def test_label_and_its_value_inside_the_cell_before(lost: bool) -> None:
    image = parties_page(lost)
    h, w = image.shape[:2]
    page = Page(index=3, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI, form_page="basic_info")
    work = PageWork.of(page, get_engine())
    assert len(work.grids[0].rows_of_cells()[1]) == (2 if lost else 4)
    template = load_template()
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template=template.id)
    read_table([work], next(t for t in template.tables if t.id == "parties"), template, result)
    assert {fid: r.value for fid, r in result.readings.items()} == {
        fid: value for row in ROWS for _, fid, value in row}
