"""Section 二's content read from a generated page (`readers.blocks`, `PageText.paragraph_lines`):
one large cell of free text under its heading row."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest.document import Page, Word
from tasksheet.readers.blocks import read_block
from tasksheet.readers.work import PageWork
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DPI = 150
TH = round(10.5 / 72 * DPI)
LINES = ["受成都市水务局委托，成都市水利学会承接试点项目。",
         "主要内容包括：1.形成调研报告并提出政策建议；",
         "2.开展现状调查和资料收集；3.组织专家论证。",
         "项目周期为2018年7月至2018年12月。"]
PAPER, PRINT = (212, 212, 212), (90, 90, 90)  # a colour scan's paper and print
X0, X1, Y0 = int(0.6 * DPI), int(7.6 * DPI), int(0.6 * DPI)


def _page(image: np.ndarray, words: list[Word] | None = None) -> SheetResult:
    h, w = image.shape[:2]
    page = Page(index=3, source="gen.png", image=image, scan_size=(w, h), words=words,
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI, form_page="content")
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template="task_sheet_2018")
    read_block([PageWork.of(page, get_engine())], load_template().blocks[0], result)
    return result


def content_page(lines: list[str], pitch: float, steps: dict[int, tuple[int, float]] | None = None,
                 mark: tuple[int, int, int] = PRINT) -> np.ndarray:
    """The heading row and the content cell under it, its `lines` set `pitch` text heights
    apart; a line in `steps` (line: (character, drop)) goes on `drop` text heights lower
    after that character, a text height further right (a hand that wandered), the mark
    before the step printed in `mark`."""
    img = Image.new("RGB", (int(8.27 * DPI), int(11.69 * DPI)), PAPER)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, TH)
    bottom = Y0 + round(2 * TH + (len(lines) + 2) * pitch * TH)
    d.rectangle((X0, Y0, X1, Y0 + 2 * TH), outline="black", width=2)
    d.text((X0 + TH // 2, Y0 + TH // 2), "二、试点项目内容", fill=PRINT, font=font)
    d.rectangle((X0, Y0 + 2 * TH, X1, bottom), outline="black", width=2)
    for k, line in enumerate(lines):
        x, y = X0 + TH, Y0 + 3 * TH + round(k * pitch * TH)
        at, drop = (steps or {}).get(k, (len(line), 0.0))
        d.text((x, y), line[:at - 1], fill=PRINT, font=font)
        x += round(font.getlength(line[:at - 1]))
        d.text((x, y), line[at - 1:at], fill=mark if at < len(line) else PRINT, font=font)
        x += round(font.getlength(line[at - 1:at]) + TH)
        d.text((x, y + round(drop * TH)), line[at:], fill=PRINT, font=font)
    return np.ascontiguousarray(np.array(img)[:, :, ::-1])


def test_lines_set_close_are_read_each() -> None:
    """Seed 8527 doc-0003 (1-bit, flowing): lines set close, a glyph's foot on the next
    line's head, ran into one blob taller than any line; it was left out and the content
    ended after its second line. Parted at its rows' valleys, every line is read."""
    got = _page(content_page(LINES, 1.05)).readings["content"]
    assert got.value == "".join(LINES)


def test_a_pale_mark_where_the_hand_stepped_is_read() -> None:
    """Seed 8527 doc-0012 (colour scan): a line stepped lower after a `，` falls in two
    pieces at it, the mark too pale for the page's threshold read by neither piece
    (`2018年12月完成后`). The pieces of one row are read as one line, the mark with them."""
    line = "项目周期为2018年7月至2018年12月，完成后由委托单位进行考核评估。"
    image = content_page([*LINES[:3], line], 1.6, {3: (line.index("，") + 1, 0.45)},
                         mark=(170, 170, 170))
    assert _page(image).readings["content"].value == "".join(LINES[:3]) + line


def test_a_heading_in_two_words_is_no_content() -> None:
    """Seed 8527 doc-0008 (born digital): the text layer gives the heading as two words,
    `二` and `试点项目内容`; `二` alone is no piece of the heading the reader knew, and
    the content began `二受成都市…`. The row read whole is the heading."""
    cell_top = Y0 + 2 * TH  # the words laid in the content cell, the heading's first
    words = [Word("二", (X0 + TH, cell_top + TH, X0 + 2 * TH, cell_top + 2 * TH)),
             Word("试点项目内容", (X0 + 3 * TH, cell_top + TH, X0 + 9 * TH, cell_top + 2 * TH))]
    words += [Word(text, (X0 + TH, cell_top + (3 + 2 * k) * TH, X0 + 30 * TH,
                          cell_top + (4 + 2 * k) * TH)) for k, text in enumerate(LINES)]
    image = content_page([""] * 12, 1.6)  # room for the words
    assert _page(image, words).readings["content"].value == "".join(LINES)


def test_no_space_beside_han_in_the_content() -> None:
    """Seed 8527 doc-0015 (1-bit): a row's pieces read as one line read the gap between
    them as a space (`3. 形成调研报告`); Chinese sets none beside its characters and marks.
    A space between Latin words stays."""
    cell_top = Y0 + 2 * TH
    words = [Word(text, (X0 + TH, cell_top + (1 + 2 * k) * TH, X0 + 30 * TH,
                         cell_top + (2 + 2 * k) * TH))
             for k, text in enumerate(["2. 开展调查；3. 形成调研报告", "（1） 参照 ISO 9001 标准。"])]
    got = _page(content_page([""] * 8, 1.6), words).readings["content"]
    assert got.value == "2.开展调查；3.形成调研报告（1）参照ISO 9001标准。"
