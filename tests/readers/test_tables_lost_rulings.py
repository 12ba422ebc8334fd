"""Section 一's coordinating rows read when a ruling of the value column is lost
(readers.tables): the vertical one between a label and its value (`负责人郭辉娜` in one cell,
generated seed 9857 doc-0019), or the horizontal one between two rows' values (经费来源's
value cell running on over 政策支持's, seed 9721 doc-0009)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
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
PAIRS = [[("分管部室", "学会部"), ("负责人", "郭辉娜")],
         [("联系人", "郑鹏宁"), ("电话", "028-83198076")]]
SPANS = [("经费来源", "□公用经费  ■项目经费"), ("政策支持", "协调相关政策支持")]


def _page(draw_rows) -> PageWork:
    img = Image.new("RGB", (int(8.27 * DPI), int(3 * DPI)), "white")
    d = ImageDraw.Draw(img)
    x0, y0 = int(0.6 * DPI), int(0.8 * DPI)
    xs = [x0 + round(TH * sum(COL_W[:i])) for i in range(len(COL_W) + 1)]
    ys = [y0 + round(2.2 * TH * i) for i in range(3)]
    font = ImageFont.truetype(FONT, round(TH))
    d.rectangle((xs[0], ys[0], xs[1], ys[-1]), outline="black", width=2)
    d.text((xs[0] + 0.5 * TH, (ys[0] + ys[-1]) / 2 - 0.5 * TH), "协调单位", fill="black", font=font)
    draw_rows(d, xs, ys, font)
    image = np.ascontiguousarray(np.array(img)[:, :, ::-1])
    h, w = image.shape[:2]
    page = Page(index=3, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI, form_page="basic_info")
    return PageWork.of(page, get_engine())


def _read(work: PageWork, labels: list[str]) -> dict:
    """The coordinating group's rows that start with `labels` read from `work` (the table's
    other rows left out, so these are the next expected)."""
    template = load_template()
    table = next(t for t in template.tables if t.id == "parties")
    group = next(g for g in table.groups if g.party == "coordinating")
    group = group.model_copy(update={"rows": [r for r in group.rows if r[0].label in labels]})
    table = table.model_copy(update={"groups": [group]})
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template=template.id)
    read_table([work], table, template, result)
    return {fid: r.value for fid, r in result.readings.items()}


@pytest.mark.parametrize("lost", [False, True], ids=["ruled", "label-value-ruling-lost"])
def test_label_with_its_value_in_one_cell(lost: bool) -> None:
    def rows(d, xs, ys, font) -> None:
        for r, pairs in enumerate(PAIRS):
            top, bottom = ys[r], ys[r + 1]
            d.rectangle((xs[1], top, xs[-1], bottom), outline="black", width=2)
            for x in xs[2:4] if lost else xs[2:5]:
                d.line([(x, top), (x, bottom)], fill="black", width=2)
            for k, (label, value) in enumerate(pairs):
                d.text((xs[1 + 2 * k] + 0.3 * TH, top + 0.6 * TH), label, fill="black", font=font)
                d.text((xs[2 + 2 * k] + 0.3 * TH, top + 0.6 * TH), value, fill="black", font=font)

    work = _page(rows)
    assert len(work.grids[0].rows_of_cells()[0]) == (4 if lost else 5)
    assert _read(work, [p[0][0] for p in PAIRS]) == {"coordinating.department": "学会部", "coordinating.head": "郭辉娜",
                           "coordinating.contact": "郑鹏宁", "coordinating.phone": "028-83198076"}


@pytest.mark.parametrize("lost", [False, True], ids=["ruled", "row-ruling-lost-in-values"])
def test_value_cell_running_over_the_next_label(lost: bool) -> None:
    def rows(d, xs, ys, font) -> None:
        d.rectangle((xs[1], ys[0], xs[-1], ys[-1]), outline="black", width=2)
        d.line([(xs[2], ys[0]), (xs[2], ys[-1])], fill="black", width=2)
        d.line([(xs[1], ys[1]), (xs[2] if lost else xs[-1], ys[1])], fill="black", width=2)
        for r, (label, value) in enumerate(SPANS):
            d.text((xs[1] + 0.3 * TH, ys[r] + 0.6 * TH), label, fill="black", font=font)
            d.text((xs[2] + 0.3 * TH, ys[r] + 0.6 * TH), value, fill="black", font=font)

    work = _page(rows)
    assert len(work.grids[0].rows_of_cells()[1]) == (1 if lost else 2)
    got = _read(work, [label for label, _ in SPANS])
    assert got["coordinating.policy_support"] == "协调相关政策支持"
    assert got["coordinating.funding_source"] == ["项目经费"]


def test_a_label_cell_cut_by_a_stroke_keeps_its_value_whole() -> None:
    """A stroke across the label's cell alone, taken for a ruling, cuts the label's cell in
    two grid rows and the value's cell spans both: no other label stands beside the value,
    so both of its lines are the label's (not cut to the label's upper part)."""
    def rows(d, xs, ys, font) -> None:
        top, bottom = ys[0], ys[0] + round(3.2 * TH)
        d.rectangle((xs[1], top, xs[-1], bottom), outline="black", width=2)
        d.line([(xs[2], top), (xs[2], bottom)], fill="black", width=2)
        d.line([(xs[1], top + 1.6 * TH), (xs[2], top + 1.6 * TH)], fill="black", width=2)
        d.text((xs[1] + 0.3 * TH, top + 0.3 * TH), "政策支持", fill="black", font=font)
        d.text((xs[2] + 0.3 * TH, top + 0.3 * TH), "协调相关政策支持", fill="black", font=font)
        d.text((xs[2] + 0.3 * TH, top + 1.8 * TH), "协助宣传推广", fill="black", font=font)

    work = _page(rows)
    assert any(c.rowspan == 2 and c.col == 2 for c in work.grids[0].cells)
    got = _read(work, ["政策支持"])
    assert got["coordinating.policy_support"] == "协调相关政策支持协助宣传推广"
