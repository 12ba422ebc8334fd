"""Section 三 found by its table's header row when its heading was not read
(`readers.flow.find_marks`)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from tasksheet.readers import flow
from tasksheet.readers.flow import Mark, find_marks
from tasksheet.schemas.template import load_template

HEADER = [((300, 700, 345, 720), "姓名"), ((490, 700, 577, 720), "工作单位"),
          ((720, 700, 815, 720), "职务/职称"), ((913, 700, 954, 720), "分工"),
          ((1030, 690, 1085, 722), "签字")]


@dataclass
class Outlined:
    """A page as the flow sees it: its outline lines, (box, text)."""

    lines: list


@pytest.fixture(autouse=True)
def _outline(monkeypatch) -> None:
    monkeypatch.setattr(flow, "outline", lambda w, most=None: w.lines)


def test_members_start_at_their_header_row_when_the_heading_was_not_read() -> None:
    """Seed 1409 doc-0002 (a colour scan, the headings as the tables' title rows): a ruling
    not found merged 三's title row into a cell whose first line is 二's last one, so the
    heading was never read; 二 ran on over the members table (its text read as 二's) and
    三 was reported missing (`missing_page`), though its header row was read cell by cell."""
    works = [Outlined([((180, 280, 430, 310), "（二）试点项目内容"),
                       ((190, 630, 430, 652), "会同协调单位进行考"), *HEADER,
                       ((290, 842, 1074, 894), "杨欣军成都市城乡建设委员会科长专家组织")]),
             Outlined([((192, 168, 403, 195), "(四)共同条款"),
                       ((186, 764, 432, 791), "（五）三方单位意见")])]
    marks = find_marks(works, load_template())
    assert [m for m in marks if m.section in ("content", "members", "clauses")] == [
        Mark("content", 0, 280), Mark("members", 0, 690), Mark("clauses", 1, 168)]


def test_a_header_row_read_as_one_line_counts_too() -> None:
    works = [Outlined([((180, 280, 430, 310), "二、试点项目内容"),
                       ((300, 700, 1085, 722), "姓名 工作单位 职务/职称 分工 签字")]),
             Outlined([((192, 168, 403, 195), "四、共 同 条 款")])]
    assert Mark("members", 0, 700) in find_marks(works, load_template())


def test_a_header_row_before_the_previous_section_is_not_its_start() -> None:
    """Only between the marks around it: the header row of another copy's table on a page
    before 二 (or 三's header before its own 二, out of order) starts nothing."""
    works = [Outlined([*HEADER, ((180, 900, 430, 930), "二、试点项目内容")]),
             Outlined([((192, 168, 403, 195), "四、共同条款")])]
    assert "members" not in {m.section for m in find_marks(works, load_template())}
