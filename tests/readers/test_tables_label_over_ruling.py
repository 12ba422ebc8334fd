"""Section 一 with a label printed across the ruling between its cell and its value's (the
rules turned against the text): `负责人` read whole in its cell, and its 人 again at the start
of the value (readers.tables). Seed 5417 doc-0019: coordinating.head read `人尹然婷`."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
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
COL_W = [5.0, 9.0, 3.0, 10.0]  # label, value, label, value; in text heights
ROWS = [("分管部室", "学会部", "负责人", "尹然婷"), ("联系人", "徐秀", "电话", "028-84379555")]


def _page() -> PageWork:
    """The coordinating group's first two rows; 负责人 drawn so that its 人 straddles the
    ruling left of its value, the value a glyph's gap past it."""
    xs, ys, img, d, font = table_canvas(COL_W, len(ROWS), TH, DPI, FONT)
    d.rectangle((xs[0], ys[0], xs[-1], ys[-1]), outline="black", width=2)
    d.line([(xs[0], ys[1]), (xs[-1], ys[1])], fill="black", width=2)
    for x in xs[1:-1]:
        d.line([(x, ys[0]), (x, ys[-1])], fill="black", width=2)
    for r, (label, value, label2, value2) in enumerate(ROWS):
        top = ys[r] + 0.6 * TH
        d.text((xs[0] + 0.5 * TH, top), label, fill="black", font=font)
        d.text((xs[1] + 0.5 * TH, top), value, fill="black", font=font)
        across = r == 0  # 人's centre on the ruling
        d.text((xs[3] - 2.5 * TH if across else xs[2] + 0.5 * TH, top), label2, fill="black",
               font=font)
        d.text((xs[3] + (0.9 if across else 0.5) * TH, top), value2, fill="black", font=font)
    image = np.ascontiguousarray(np.array(img)[:, :, ::-1])
    h, w = image.shape[:2]
    page = Page(index=3, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI, form_page="basic_info")
    return PageWork.of(page, get_engine())


def test_a_labels_glyph_over_the_ruling_is_not_the_values() -> None:
    template = load_template()
    parties = next(t for t in template.tables if t.id == "parties")
    group = next(g for g in parties.groups if g.party == "coordinating")
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template=template.id)
    read_table([_page()], SimpleNamespace(groups=[group]), template, result)
    got = {fid: r.raw for fid, r in result.readings.items()}
    assert got == {"coordinating.department": "学会部", "coordinating.head": "尹然婷",
                   "coordinating.contact": "徐秀", "coordinating.phone": "028-84379555"}
