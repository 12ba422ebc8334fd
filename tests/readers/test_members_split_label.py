"""Section 三 with a group label cut in two by a ruling across its party cell (the ruling
between two member rows run on over the party column): `承接` read in one row's party cell,
`单位` in the next. `单位` alone is every group's label and no one's (readers.members): it
leaves the party as it was. Seed 6143 doc-0023 (1-bit): 单位 was taken for 委托单位 (the
first group as like as any), and the undertaking party's second member, 冯波洋, was read as
the commissioning party's third (a false unit_name_mismatch, the rows after it shifted)."""

from __future__ import annotations

from tasksheet.readers.members import read_members
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template

COL_W = [4.0, 4.5, 10.0, 5.0, 5.0, 4.0]  # character heights
COMMISSIONING = [("许兰", "成都市经济和信息化委员会", "处长", "组织协调"),
                 ("夏芳敏", "成都市经济和信息化委员会", "调研员", "项目实施"),
                 ("—", "—", "—", "—")]
UNDERTAKING = [("杜峰涵", "成都市软件行业协会", "研究员", "组织协调"),
               ("冯波洋", "成都市软件行业协会", "副秘书长", "经费管理")]
# 委托单位 in the middle of its merged cell; `承接` above the ruling between the undertaking
# rows (row edge 5, drawn across the party column too), `单位` below it
LABELS = [(0, 0.5, 2, 0.1, "委托"), (0, 0.5, 2, 1.2, "单位"),
          (0, 0.5, 5, -1.3, "承接"), (0, 0.5, 5, 0.3, "单位")]


def test_unit_alone_leaves_the_party_as_it_was(members_page) -> None:
    # the party column is ruled where a group starts, and between the undertaking rows
    work = members_page(COMMISSIONING + UNDERTAKING, COL_W, LABELS, party_ruled=(1, 4, 5))
    party_cells = [r[0] for r in work.grids[0].rows_of_cells() if r[0].col == 0]
    assert [(c.row, c.rowspan) for c in party_cells][-2:] == [(4, 1), (5, 1)]  # cut in two
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template="task_sheet_2018")
    read_members([work], load_template(), result)
    got = [(m.party, m.index, m.cells["name"].value) for m in result.members]
    assert got == [("commissioning", 0, "许兰"), ("commissioning", 1, "夏芳敏"),
                   ("undertaking", 0, "杜峰涵"), ("undertaking", 1, "冯波洋")]
