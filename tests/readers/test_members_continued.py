"""Section 三 whose header row ends one page and whose rows run on over the next, without
their header (`readers.members`): the continuation's columns are the header's, by x."""

from __future__ import annotations

import numpy as np
from helpers.saved import saved_page
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
COL_W = (5.0, 4.5, 13.0, 5.0, 5.0, 4.0)  # character heights: party, 姓名 … 签字
SAVED_W = (4.0, 5.3, 13.0, 8.4, 6.3, 6.2)  # those of the saved page's table
HEADER = ["姓名", "工作单位", "职务/职称", "分工", "签字"]
ROWS = [("委托单位", "冯超涛", "成都市食品药品监督管理局", "调研员", "项目监督"),
        ("承接单位", "高鹏洋", "成都市药学会", "副秘书长", "资料整理"),
        ("协调单位", "董霞斌", "成都市科学技术协会", "部长", "资料整理")]
KEYS = ("name", "unit", "title", "role", "signed")


def _page(header: bool, widths: tuple[float, ...] = COL_W) -> np.ndarray:
    """With `header`, a page ending in the table's header row, its 姓名 cell over the
    party's column too (no ruling between them); else the page it runs on to: one member
    of each party, each party's label in a cell of its own left of the name. `widths`:
    the columns' widths in text heights."""
    img = Image.new("RGB", (int(9 * DPI), int(4 * DPI)), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, round(TH))
    x0, y0 = int(0.6 * DPI), int(0.8 * DPI)
    xs = [x0 + round(TH * sum(widths[:i])) for i in range(len(widths) + 1)]
    n = 1 if header else len(ROWS)
    ys = [y0 + round(3 * TH * k) for k in range(n + 1)]
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill="black", width=2)
    for k, x in enumerate(xs):
        if not (header and k == 1):
            d.line([(x, ys[0]), (x, ys[-1])], fill="black", width=2)
    for r in range(n):
        texts = ["", *HEADER] if header else list(ROWS[r])
        mid = (ys[r] + ys[r + 1]) / 2 - 0.5 * TH
        for c, text in enumerate(texts):
            at = (xs[1] + xs[2]) / 2 - TH if header and c == 1 else xs[c] + 0.3 * TH
            d.text((at, mid), text, fill="black", font=font)
        if not header:  # a scrawl in 签字
            sx0, sx1 = xs[5] + 0.5 * TH, xs[6] - 0.5 * TH
            d.line([(sx0 + (sx1 - sx0) * k / 8, ys[r] + TH * (0.8 if k % 2 else 2.2))
                    for k in range(9)], fill="black", width=3)
    return np.ascontiguousarray(np.array(img)[:, :, ::-1])


def _work(image: np.ndarray, index: int) -> PageWork:
    h, w = image.shape[:2]
    return PageWork.of(Page(index=index, source="gen.png", image=image, scan_size=(w, h),
                            matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI,
                            form_page="members"), get_engine())


def test_party_cells_run_on_left_of_a_header_name_cell_over_both_columns() -> None:
    """Seed 9133 doc-0007 (1-bit, flowing): the header row ended a page inside the grid
    of the table above, its 姓名 cell over the party's column too; on the next page each
    party's label cell lay within that 姓名 cell's x, and was read into its row's name
    (`委托单位冯超涛`), every member taken for 委托单位's (3 false unit_name_mismatch).
    A cell ending short of the 姓名 label's centre is no name: it is the party's."""
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64,
                         template="task_sheet_2018")
    read_members([_work(_page(True), 4), _work(_page(False), 5)], load_template(), result)
    got = [(m.party, *(m.cells[k].value for k in KEYS)) for m in result.members]
    assert got == [(party, *row[1:], True) for party, row in
                   zip(("commissioning", "undertaking", "coordinating"), ROWS, strict=True)]


def test_the_table_ends_at_a_row_of_one_cell_across_every_column(monkeypatch) -> None:
    """Seed 9133 doc-0002 p5 (grey scan, rulings turned against the text), read as the run
    on of a header on the page before: its last member row, then 四's heading and clauses
    and 五's heading and opinions, each a row of one cell across the table. 四's heading
    unread, those rows were read as 9 members more (`五、三方单位意见` a name, the clauses
    a title; 36 false blank_field findings). A row of one cell across every column is
    the next section's: the table, and the members, end there."""
    continued = PageWork.of(saved_page(monkeypatch, "members_flow_tilted_headings.jpg",
                                       "members", scale=(3.0, 33.0, 1.0), dpi=240.0),
                            get_engine())
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64,
                         template="task_sheet_2018")
    read_members([_work(_page(True, SAVED_W), 4), continued], load_template(), result)
    assert [(m.cells["name"].value, m.cells["unit"].value, m.cells["title"].value,
             m.cells["signed"].value) for m in result.members] == [
        ("廖文", "成都市科学技术协会", "部长", True)]
