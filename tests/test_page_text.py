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
