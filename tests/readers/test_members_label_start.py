"""Section 三 with a group label cut in two by a ruling across its party cell, its first
glyph alone above the ruling (`承` over `接单位`): the group starts at the first piece
(readers.members). Seed 5417 doc-0018 (a photo): 梁霞博, the undertaking party's first
member, was read as the commissioning party's fourth, every undertaking member one row off."""

from __future__ import annotations

from tasksheet.readers.members import read_members
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template

COL_W = [4.0, 4.5, 10.0, 5.0, 5.0, 4.0]  # character heights
COMMISSIONING = [("许兰", "成都市经济和信息化委员会", "处长", "组织协调"),
                 ("夏芳敏", "成都市经济和信息化委员会", "调研员", "项目实施"),
                 ("—", "—", "—", "—")]
UNDERTAKING = [("梁霞博", "成都市档案学会", "副秘书长", "资料整理"),
               ("尹静", "成都市档案学会", "教授", "考核评估")]
# 委托单位 in the middle of its merged cell; `承` above the ruling between the undertaking
# rows (row edge 5, drawn across the party column too), `接单位` below it
LABELS = [(0, 0.5, 2, 0.1, "委托"), (0, 0.5, 2, 1.2, "单位"),
          (0, 0.5, 5, -1.3, "承"), (0, 0.5, 5, 0.3, "接单位")]


def test_a_labels_first_glyph_above_a_ruling_starts_its_group(members_page) -> None:
    work = members_page(COMMISSIONING + UNDERTAKING, COL_W, LABELS, party_ruled=(1, 4, 5))
    party_cells = [r[0] for r in work.grids[0].rows_of_cells() if r[0].col == 0]
    assert [(c.row, c.rowspan) for c in party_cells][-2:] == [(4, 1), (5, 1)]  # cut in two
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template="task_sheet_2018")
    read_members([work], load_template(), result)
    got = [(m.party, m.index, m.cells["name"].value) for m in result.members]
    assert got == [("commissioning", 0, "许兰"), ("commissioning", 1, "夏芳敏"),
                   ("undertaking", 0, "梁霞博"), ("undertaking", 1, "尹静")]
