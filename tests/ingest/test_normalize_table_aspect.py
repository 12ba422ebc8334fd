"""A page rectified on its table's outline (`ingest.photo.page_geometry`, source "table")
is turned by its text, not by the shape of the frame around the table: that frame is the
photo clipped to twice the table, and a wide table makes it landscape whatever the paper."""

from __future__ import annotations

import numpy as np
from helpers.synth import DPI, FONT
from PIL import Image, ImageDraw, ImageFont
from tasksheet.ingest.document import RawPage
from tasksheet.ingest.normalize import _normalise_photo
from tasksheet.ingest.photo import rectify

W, H = 1240, 1754  # A4 at 150 DPI
HEADER = ["姓名", "工作单位", "职务/职称", "分工", "签字"]
MEMBERS = [("黄柏", "成都市规划管理局", "调研员", "专家组织"),
           ("吴昊", "成都市规划管理局", "主任科员", "联络协调"),
           ("熊磊梅", "成都市地理学会", "教授", "项目监督"),
           ("潘凯然", "成都市地理学会", "秘书长", "项目实施"),
           ("郑洋伟", "成都市科学技术协会", "科员", "经费管理"),
           ("余燕", "成都市科学技术协会", "主任科员", "专家组织"),
           ("苏磊", "成都市科学技术协会", "主任科员", "项目实施")]
X = [175, 285, 400, 700, 885, 1035, 1110]  # party | 姓名 | 工作单位 | 职务 | 分工 | 签字
TOP, ROW = 195, 64


def members_page() -> np.ndarray:
    """Section 三 alone on a page, as a word processor leaves it: the heading, a table as
    wide as the text block and 8 rows tall (1.8 : 1), the rest of the page blank."""
    im = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(im)
    font = ImageFont.truetype(FONT, 22)
    d.text((X[0], TOP - 50), "三、试点项目参与成员", font=font, fill="black")
    ys = [TOP + ROW * r for r in range(len(MEMBERS) + 2)]
    for y in ys:
        d.line([(X[0] if y in (ys[0], ys[-1]) else X[1], y), (X[-1], y)], fill="black", width=2)
    for x in X:
        d.line([(x, ys[0] if x != X[0] else ys[0]), (x, ys[-1])], fill="black", width=2)
    for x, text in zip(X[1:], HEADER, strict=False):
        d.text((x + 12, ys[0] + 20), text, font=font, fill="black")
    d.text((X[0] + 8, ys[4]), "承接单位", font=font, fill="black")
    for r, member in enumerate(MEMBERS, start=1):
        for x, text in zip(X[1:], member, strict=False):
            d.text((x + 12, ys[r] + 20), text, font=font, fill="black")
    return np.asarray(im)[:, :, ::-1].copy()


def test_wide_table_frame_does_not_turn_an_upright_page() -> None:
    """Seed 6143 doc-0015 p5 (grey scan on hatched paper): the table's outline, bent by the
    signatures over its right edge, was taken for a photo's perspective; the frame around
    the table came out 1253 x 1010 and its landscape shape turned the page 90 deg: 三 read
    as nonsense, every member lost (a false missing_page). The text's lines run across."""
    image = members_page()
    # the table's outline a little off square (a corner 1.3 deg: what made it a "photo")
    quad = np.array([[X[0], TOP], [X[-1], TOP + 14], [X[-1] + 3, TOP + 8 * ROW],
                     [X[0] - 5, TOP + 8 * ROW - 2]], float)
    geometry = rectify(quad, "table", (W, H))
    assert geometry.size[0] > geometry.size[1]  # the frame is landscape
    page = _normalise_photo(RawPage(index=5, source="s.tif", image=image, dpi=DPI), geometry)
    assert page.rotation == 0
    assert page.image.shape[0] < page.image.shape[1]  # the frame kept, upright
