"""Section 三 closed where 四 and 五 begin, their headings in cells that rulings turned
against the text left too thin to read (`readers.flow`)."""

from __future__ import annotations

from helpers.saved import saved_page
from tasksheet.extract.ocr import get_engine
from tasksheet.readers.flow import find_marks
from tasksheet.readers.work import PageWork
from tasksheet.schemas.template import load_template


def test_headings_in_cells_thinned_by_turned_rulings_are_found(monkeypatch) -> None:
    """Seed 9133 doc-0002 p5 (a grey scan, rulings turned against the text): the members
    table's last row, then 四's heading and 五's, each in a one-cell row whose cell, between
    turned rulings, is a sliver 20 px tall (a text height is 33). Neither heading was read,
    三 ran on over 四 and 五 (36 false blank_field findings on rows of the clauses' text and
    the opinions, every 五 opinion unread)."""
    page = saved_page(monkeypatch, "members_flow_tilted_headings.jpg", "clauses",
                      scale=(3.0, 33.0, 1.0), dpi=240.0)
    marks = find_marks([PageWork.of(page, get_engine())], load_template())
    assert [(m.section, m.order) for m in marks] == [("clauses", 0), ("opinions", 0)]
    clauses, opinions = (m.y for m in marks)
    assert 200 < clauses < 260 and 1020 < opinions < 1080  # under the last member, over 五
