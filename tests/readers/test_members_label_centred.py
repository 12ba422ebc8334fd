"""Section 三 with its party column ruled row by row (a word processor's table): each group's
label stands in the middle row of its group, and the rows above it are its group's too
(readers.members). Seed 9857 doc-0007 read the undertaking group's first member as the
commissioning party's fourth, and every undertaking member one row off."""

from __future__ import annotations

import pytest
from tasksheet.readers.members import read_members
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template

COL_W = [4.0, 4.5, 10.0, 5.0, 5.0, 4.0]  # character heights
GROUPS = [("委托", "单位", "commissioning", [("张建国", "成都市科学技术局", "科长", "考核评估"),
                                           ("李明", "成都市科学技术局", "科员", "联络协调"),
                                           ("王芳", "成都市科学技术局", "科员", "资料整理")]),
          ("承接", "单位", "undertaking", [("赵丽", "成都市药学会", "教授", "组织协调"),
                                         ("孙伟", "成都市药学会", "研究员", "项目实施"),
                                         ("—", "—", "—", "—")])]
# each group's label (two lines) in its middle row: row edges 2 and 5
LABELS = [(0, 0.5, 1 + 3 * g + 1, dy, text) for g, (up, down, _, _) in enumerate(GROUPS)
          for dy, text in ((0.1, up), (1.2, down))]


@pytest.mark.parametrize("party_ruling", [True, False], ids=["ruled", "party-ruling-lost"])
def test_rows_above_a_centred_label_are_its_groups(members_page, party_ruling: bool) -> None:
    # every row ruled across the party column; without `party_ruling` the ruling between the
    # party column and 姓名 is not drawn: the label is read inside the name's cell
    rows = [m for *_, members in GROUPS for m in members]
    work = members_page(rows, COL_W, LABELS, party_column_ruled=party_ruling)
    assert len(work.grids[0].rows_of_cells()[2]) == (6 if party_ruling else 5)
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template="task_sheet_2018")
    read_members([work], load_template(), result)
    got = [(m.party, m.cells["name"].value) for m in result.members]
    assert got == [(party, m[0]) for _, _, party, members in GROUPS for m in members
                   if m[0] != "—"]
