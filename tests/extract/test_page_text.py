"""Region text: whether what was read accounts for all the ink of its lines."""

from __future__ import annotations

from tasksheet.extract.page_text import _accounted

TH = 50.0
LINE = (100, 0, 550, 55)  # nine characters, a character height apart, centres 125…525


def test_characters_end_to_end_account_for_the_line() -> None:
    assert _accounted(LINE, [125 + 50 * k for k in range(9)], TH)


def test_a_character_dropped_at_the_start_the_end_or_inside_leaves_a_gap() -> None:
    centres = [125 + 50 * k for k in range(9)]
    assert not _accounted(LINE, centres[2:], TH)  # 成都 dropped
    assert not _accounted(LINE, centres[:-1], TH)
    assert not _accounted(LINE, centres[:3] + centres[5:], TH)
    assert not _accounted(LINE, [], TH)


def test_a_box_two_lines_tall_is_not_accounted_for_by_one_line_of_characters() -> None:
    tall = (100, 0, 550, 130)  # 成都市城乡建设委 / 员会, run together into one box
    assert not _accounted(tall, [125 + 50 * k for k in range(9)], TH)


class _CountingEngine:
    """Reads every crop as nothing, counting the crops (and their widths) it was given."""

    name = "counting"

    def __init__(self) -> None:
        self.widths: list[int] = []

    def recognize_chars(self, crops):  # noqa: ANN001, ANN201
        self.widths += [c.shape[1] for c in crops]
        return [("", 0.0, []) for _ in crops]


def _sheet(size: int = 32):  # noqa: ANN202
    """A page with a letter-spaced heading (wide, little ink) and a long line of body text."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    f = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", size)
    im = Image.new("RGB", (size * 50, size * 12), "white")
    d = ImageDraw.Draw(im)
    for k, ch in enumerate("填表说明"):  # 4 characters over 6.4 heights, as printed
        d.text((2 * size + round(1.8 * size * k), 2 * size), ch, font=f, fill="black")
    d.text((2 * size, 6 * size), "委托单位有权监督、检查任务履行情况。试点项目履行期间，委托单位根据需要",
           font=f, fill="black")
    return np.asarray(im)[:, :, ::-1].copy()


def test_the_outline_reads_no_body_line_but_a_letter_spaced_heading() -> None:
    from types import SimpleNamespace

    from tasksheet.readers.flow import outline
    from tasksheet.readers.work import PageWork

    image = _sheet()
    page = SimpleNamespace(image=image, words=None, grey=lambda: image.min(axis=2))
    everything, headings = _CountingEngine(), _CountingEngine()
    outline(PageWork.of(page, everything))
    outline(PageWork.of(page, headings), most_chars=5)  # at most 6 heights of ink
    assert len(everything.widths) == 2
    assert len(headings.widths) == 1 and headings.widths[0] > 6.4 * 32  # the spaced heading
