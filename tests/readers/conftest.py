"""The page builder the section 三 (members) tests share: one table of member rows, its
rulings and group labels as each test needs them, read into a PageWork."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DPI = 200
TH = 10.5 / 72 * DPI  # a character's height at 五号
HEADER = ["", "姓名", "工作单位", "职务/职称", "分工", "签字"]
# a label's line: (column edge, dx, row edge, dy, text), drawn at xs[edge] + dx, ys[edge] + dy
# (dx, dy in character heights; row edge 0 is the table's top, 1 the header's foot)
Label = tuple[int, float, int, float, str]
Row = tuple[str, str, str, str]  # name, unit, title, role; name "—" is a row left empty


def draw_members_page(rows: Sequence[Row], col_w: Sequence[float], labels: Sequence[Label], *,
                      row_h: float = 2.4, party_ruled: Collection[int] | None = None,
                      party_column_ruled: bool = True, text_at: tuple[float, float] = (0.3, 0.7),
                      scrawl: tuple[float, float] = (0.6, 1.8)):
    """Section 三 as the form draws it: a 2-character-high header, then `rows` each `row_h`
    high, every row signed with a zigzag scrawl (but an empty one's). `party_ruled` lists the
    row edges whose ruling runs on across the party column (None: all of them); without
    `party_column_ruled` the ruling between the party column and 姓名 is not drawn. Returns
    the page's PageWork (form page `members`, index 4)."""
    from tasksheet.extract.ocr import get_engine
    from tasksheet.ingest.document import Page
    from tasksheet.readers.work import PageWork

    img = Image.new("RGB", (int(8.27 * DPI), int(2.0 * DPI + row_h * TH * len(rows))), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, round(TH))
    x0, y0 = int(0.6 * DPI), int(0.8 * DPI)
    xs = [x0 + round(TH * sum(col_w[:i])) for i in range(len(col_w) + 1)]
    ys = [y0] + [y0 + round(2 * TH) + round(row_h * TH * i) for i in range(len(rows) + 1)]
    d.rectangle((xs[0], ys[0], xs[-1], ys[-1]), outline="black", width=2)
    for i, y in enumerate(ys[1:-1], start=1):
        left = xs[0] if party_ruled is None or i in party_ruled else xs[1]
        d.line([(left, y), (xs[-1], y)], fill="black", width=2)
    for x in xs[1 if party_column_ruled else 2:-1]:
        d.line([(x, ys[0]), (x, ys[-1])], fill="black", width=2)
    for c, head in enumerate(HEADER):
        d.text((xs[c] + 0.3 * TH, ys[0] + 0.5 * TH), head, fill="black", font=font)
    for r, values in enumerate(rows):
        top = ys[r + 1]
        for c, text in enumerate(values, start=1):
            d.text((xs[c] + text_at[0] * TH, top + text_at[1] * TH), text, fill="black", font=font)
        if values[0] != "—":
            sx0, sx1 = xs[5] + 0.5 * TH, xs[6] - 0.5 * TH
            pts = [(sx0 + (sx1 - sx0) * k / 8, top + TH * scrawl[k % 2 == 0]) for k in range(9)]
            d.line(pts, fill="black", width=3)
    for cx, dx, ry, dy, text in labels:
        d.text((xs[cx] + dx * TH, ys[ry] + dy * TH), text, fill="black", font=font)
    image = np.ascontiguousarray(np.array(img)[:, :, ::-1])
    h, w = image.shape[:2]
    page = Page(index=4, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI, form_page="members")
    return PageWork.of(page, get_engine())


@pytest.fixture
def members_page() -> Callable[..., object]:
    """draw_members_page, for the tests of readers.members."""
    return draw_members_page
