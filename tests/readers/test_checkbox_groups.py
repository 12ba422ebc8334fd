"""A checkbox group read whole (readers.checkboxes): boxes by their labels, and what is
written on an option's blank."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import DATA
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.grid import Cell
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest.document import Page
from tasksheet.readers.checkboxes import read_checkboxes
from tasksheet.readers.work import PageWork
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DPI = 200
TH = round(10.5 / 72 * DPI)


def group_line(fill: str) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """`□有，预算额度__<fill>__万元 ■无` with the blank's underline drawn as a ruling;
    `fill` is `—` (a dash written on the underline), a number, or empty."""
    img = Image.new("RGB", (int(6.5 * DPI), 3 * TH), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, TH)
    x, y = TH // 2, TH
    for tok in ("□", "有，预算额度"):
        d.text((x, y), tok, fill="black", font=font)
        x += round(font.getlength(tok))
    blank = (x + TH // 4, x + 4 * TH)
    d.line([(blank[0], y + TH + 2), (blank[1], y + TH + 2)], fill="black", width=2)
    mid = (blank[0] + blank[1]) // 2
    if fill == "—":
        d.line([(mid - TH // 2, y + TH // 2), (mid + TH // 2, y + TH // 2)], fill="black", width=2)
    elif fill:
        d.text((mid - TH // 3, y), fill, fill="black", font=font)
    x = blank[1] + TH // 4
    for tok in ("万元  ", "■", "无"):
        d.text((x, y), tok, fill="black", font=font)
        x += round(font.getlength(tok))
    image = np.ascontiguousarray(np.array(img)[:, :, ::-1])
    return image, (2, 2, image.shape[1] - 2, image.shape[0] - 2)


def read_group(image: np.ndarray, field_id: str, box: tuple[int, int, int, int] | None = None,
               margin: int = 2) -> tuple:
    """(the group's template cell, the result) of reading `field_id`'s group from `image`,
    one cell of `box` (else the image inside `margin`)."""
    h, w = image.shape[:2]
    page = Page(index=3, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI, form_page="basic_info")
    template = load_template()
    spec = next(c for t in template.tables for g in t.groups for row in g.rows for c in row
                if c.id == field_id)
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template=template.id)
    box = box or (margin, margin, w - margin, h - margin)
    read_checkboxes(PageWork.of(page, get_engine()), Cell(0, 0, 1, 1, box), spec, result)
    return spec, result


@pytest.mark.parametrize(("fill", "want"), [("—", "—"), ("12", "12"), ("", None)],
                         ids=["dash", "amount", "empty"])
def test_what_is_written_on_an_options_blank(fill: str, want: str | None) -> None:
    """The form's rule 4 writes `—` on a blank that does not apply: a flat stroke that the
    recogniser skips in the line and the fill reader took for a speck."""
    image, box = group_line(fill)
    spec, result = read_group(image, "coordinating.funding_support", box)
    assert result.readings[spec.id].value == ["无"]
    assert result.readings[f"{spec.id}.amount_wan"].value == want


def _funding_nature_line(first: str, underline: int) -> tuple[Image.Image, int, int]:
    """`first财政拨款  □其他，____` (the underline `underline` text heights long): the image
    and where the underline starts (x) and the line's top (y)."""
    img = Image.new("RGB", (int(6.5 * DPI), 3 * TH), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, TH)
    x, y = TH // 2, TH
    for tok in (first, "财政拨款  ", "□", "其他，"):
        d.text((x, y), tok, fill="black", font=font)
        x += round(font.getlength(tok))
    d.line([(x, y + TH + 2), (x + underline * TH, y + TH + 2)], fill="black", width=2)
    return img, x, y


@pytest.mark.parametrize("dash", [True, False], ids=["dash", "blank"])
def test_a_slanted_dash_over_an_underline_shorter_than_the_cell(dash: bool) -> None:
    """`□财政拨款 □其他，____` with the cell running on past the underline: the blank
    reaches the cell's end, so the underline is no longer the blank's whole width."""
    img, x, y = _funding_nature_line("■", 3)
    d = ImageDraw.Draw(img)
    if dash:  # a pen's dash, rising a little to the right
        d.line([(x + TH, y + 0.65 * TH), (x + 2 * TH, y + 0.45 * TH)], fill=(60, 60, 60), width=3)
    image = np.ascontiguousarray(np.array(img)[:, :, ::-1])
    spec, result = read_group(image, "commissioning.funding_nature", margin=2)
    assert result.readings[spec.id].value == ["财政拨款"]
    assert result.readings[f"{spec.id}.other_text"].value == ("—" if dash else None)


@pytest.mark.parametrize("past", [True, False], ids=["past", "on"])
def test_the_groups_dash_after_its_options_is_not_the_blanks_fill(past: bool) -> None:
    """Seed 307 doc-0008: 经费支持 无, so 经费性质 does not apply and rule 4's "—" is
    written after all its options, past the end of `其他，____`'s underline. The blank runs
    to the cell's end, but that dash is the group's: its text is empty (the other copies of
    the sheet said so, and a copy_mismatch followed). On the underline it is the blank's."""
    img, x, y = _funding_nature_line("□", 6)
    d = ImageDraw.Draw(img)
    at = x + (9 if past else 2) * TH
    d.line([(at, y + TH // 2), (at + TH, y + TH // 2)], fill="black", width=2)
    image = np.ascontiguousarray(np.array(img)[:, :, ::-1])
    spec, result = read_group(image, "coordinating.funding_nature", margin=2)
    assert result.readings[spec.id].value == []
    assert result.readings[f"{spec.id}.other_text"].value == (None if past else "—")


def test_a_cross_that_blots_out_box_and_label_still_ticks_its_option() -> None:
    """Seed 131 doc-0019, a 1-bit scan (`tests/data/bitonal-crossed-option.png`, the cell
    as normalised): a heavy ✗ over 无's box and 无 itself. The recogniser reads nothing
    there and the shape finder sees no outline; the box is looked for at the start of the
    line that read as nothing."""
    import cv2

    gray = cv2.imread(str(DATA / "bitonal-crossed-option.png"),
                      cv2.IMREAD_GRAYSCALE)
    image = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    spec, result = read_group(image, "commissioning.funding_support", margin=20)
    assert result.readings[spec.id].value == ["无"]
    assert result.readings[f"{spec.id}.amount_wan"].value == "—"


def test_a_cross_whose_blot_reads_as_another_glyph_still_ticks_its_option(monkeypatch) -> None:
    """Seed 419 doc-0009, a colour scan (`tests/data/blue-crossed-option.png`, the cell as
    normalised): a heavy blue ✗ over 无's box and 无. On the page the recogniser read the
    blot `天` at 0.32 (print it reads surely; on this crop, a pixel off, it reads nothing),
    so the line did not count as unread: a false checkbox_none. That reading is given
    here. The amount's blank, on another line, is as sure as its own line."""
    import cv2
    from tasksheet.extract.page_text import PageText

    read = PageText.read_line_boxes

    def as_on_the_page(self, boxes):
        return [("天", 0.32162) if t == "" else (t, sc) for t, sc in read(self, boxes)]

    monkeypatch.setattr(PageText, "read_line_boxes", as_on_the_page)
    image = cv2.imread(str(DATA / "blue-crossed-option.png"), cv2.IMREAD_COLOR)
    spec, result = read_group(image, "coordinating.funding_support", margin=20)
    assert result.readings[spec.id].value == ["无"]
    amount = result.readings[f"{spec.id}.amount_wan"]
    assert (amount.value, amount.raw) == (None, None)


def test_a_cross_read_as_two_glyphs_still_ticks_its_option() -> None:
    """Seed 733 doc-0005, a 240 dpi colour scan (`tests/data/colour-cross-read-as-two-glyphs.png`,
    the cell as normalised): a ✗ over 无's box and 无 reads `ZG` at 0.50, two glyphs where
    the line holds two (the box and its one-character label). Taken for print, the option
    was lost: a false checkbox_none on 经费支持, and on the two groups 无 exempts."""
    import cv2

    image = cv2.imread(str(DATA / "colour-cross-read-as-two-glyphs.png"), cv2.IMREAD_COLOR)
    spec, result = read_group(image, "coordinating.funding_support", margin=20)
    assert result.readings[spec.id].value == ["无"]
    assert result.readings[spec.id].raw == "[ ]有 [x]无"
