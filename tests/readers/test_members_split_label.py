"""Section 三 with a group label cut in two by a ruling across its party cell (the ruling
between two member rows run on over the party column), each piece in one row's party cell:
- `承接` above, `单位` below: `单位` alone is every group's label and no one's
  (readers.members), it leaves the party as it was. Seed 6143 doc-0023 (1-bit): 单位 was
  taken for 委托单位, and the undertaking party's second member, 冯波洋, was read as the
  commissioning party's third (a false unit_name_mismatch, the rows after it shifted).
- `承` above, `接单位` below: the group starts at the first piece, which the cell below
  completes. Seed 5417 doc-0018 (a photo): 梁霞博, the undertaking party's first member,
  was read as the commissioning party's fourth, every undertaking member one row off."""

from __future__ import annotations

import pytest
from tasksheet.readers.members import read_members
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template

COL_W = [4.0, 4.5, 10.0, 5.0, 5.0, 4.0]  # character heights
COMMISSIONING = [("许兰", "成都市经济和信息化委员会", "处长", "组织协调"),
                 ("夏芳敏", "成都市经济和信息化委员会", "调研员", "项目实施"),
                 ("—", "—", "—", "—")]
SPLITS = {  # the undertaking label's piece above the ruling, below it, and its members
    "unit_alone": ("承接", "单位", [("杜峰涵", "成都市软件行业协会", "研究员", "组织协调"),
                                    ("冯波洋", "成都市软件行业协会", "副秘书长", "经费管理")]),
    "first_glyph": ("承", "接单位", [("梁霞博", "成都市档案学会", "副秘书长", "资料整理"),
                                     ("尹静", "成都市档案学会", "教授", "考核评估")]),
}


@pytest.mark.parametrize("split", sorted(SPLITS))
def test_a_group_label_cut_by_a_ruling(members_page, split: str) -> None:
    above, below, undertaking = SPLITS[split]
    # 委托单位 in the middle of its merged cell; the undertaking label's pieces either side
    # of the ruling between the undertaking rows (row edge 5, drawn across the party column)
    labels = [(0, 0.5, 2, 0.1, "委托"), (0, 0.5, 2, 1.2, "单位"),
              (0, 0.5, 5, -1.3, above), (0, 0.5, 5, 0.3, below)]
    work = members_page(COMMISSIONING + undertaking, COL_W, labels, party_ruled=(1, 4, 5))
    party_cells = [r[0] for r in work.grids[0].rows_of_cells() if r[0].col == 0]
    assert [(c.row, c.rowspan) for c in party_cells][-2:] == [(4, 1), (5, 1)]  # cut in two
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template="task_sheet_2018")
    read_members([work], load_template(), result)
    got = [(m.party, m.index, m.cells["name"].value) for m in result.members]
    assert got == [("commissioning", 0, "许兰"), ("commissioning", 1, "夏芳敏"),
                   ("undertaking", 0, undertaking[0][0]), ("undertaking", 1, undertaking[1][0])]
