"""Section 三 with a group label printed over the ruling between the party's column and the
names (`协调` / `单位` in a narrow party cell, 调 and 位 across the ruling): the label is read
whole in the party's cell, and its last glyph again at the start of the name its line
reaches (readers.members). Seed 9721 doc-0017: 钟宇 read `位钟宇`."""

from __future__ import annotations

from tasksheet.readers.members import read_members
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template

COL_W = [1.6, 4.5, 13.0, 5.0, 5.0, 4.0]  # character heights: a party column narrower than its label
MEMBERS = [("钟宇", "成都市科学技术协会学会部", "部长", "专家组织"),
           ("丁杰燕", "成都市科学技术协会", "科员", "项目实施")]
# the label's two lines, their second glyphs across the ruling; 单位 level with 钟宇
LABELS = [(1, -1.6, 1, 0.0, "协调"), (1, -1.6, 1, 1.0, "单位")]


def test_a_labels_glyph_over_the_ruling_is_not_the_names(members_page) -> None:
    # one party cell over both rows (only the header's foot is ruled across it)
    work = members_page(MEMBERS, COL_W, LABELS, row_h=3.0, party_ruled=(1,),
                        text_at=(0.8, 1.0), scrawl=(0.6, 2.2))
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template="task_sheet_2018")
    read_members([work], load_template(), result)
    got = [(m.party, m.cells["name"].value) for m in result.members]
    assert got == [("coordinating", "钟宇"), ("coordinating", "丁杰燕")]
