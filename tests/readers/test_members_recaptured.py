"""Member rows of the word-processor examples as re-captured (`tasksheet bench --examples
--recapture --seed 1`): the cells of section 三 cut from the normalised pages."""

from __future__ import annotations

import cv2
import numpy as np
from conftest import DATA
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest.document import Page
from tasksheet.readers.members import read_members
from tasksheet.readers.work import PageWork, is_dash
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template

KEYS = ("name", "unit", "title", "role", "signed")


def _members(name: str, dpi: float) -> list[tuple]:
    image = cv2.imread(str(DATA / name), cv2.IMREAD_COLOR)
    h, w = image.shape[:2]
    page = Page(index=4, source=name, image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=dpi)
    result = SheetResult(id="rc", sources=[name], sha256="0" * 64, template="task_sheet_2018")
    read_members([PageWork.of(page, get_engine())], load_template(), result)
    return [(m.party, *(m.cells[k].value for k in KEYS)) for m in result.members]


def test_handwritten_glyphs_set_close_and_a_speck_after_a_name() -> None:
    """wp-05 re-captured as a colour scan (`fields-colour-members-squeezed-hand.jpg`: the
    table's header and its first five members): `项目负责` in a narrow hand read `项负责`
    surely (目 swallowed by 项; read alone it is 目, and beside each neighbour `项目`,
    `目负`), and a speck after `龚颖` read `龚颖.`, in every capture."""
    got = _members("fields-colour-members-squeezed-hand.jpg", 150)
    unit = "成都市农业委员会质量监督处"
    assert got == [
        ("commissioning", "刘淑兰", unit, "副处长", "技术指导", True),
        ("commissioning", "唐娜", unit, "副主任科员", "项目负责", True),
        ("commissioning", "张桂芝", unit, "处长", "具体实施", True),
        ("undertaking", "龚颖", "成都市农学会", "秘书长", "专家组织", True),
        ("undertaking", "安桂香", "成都市农学会", "秘书长", "数据分析", True),
    ]


def test_a_dash_read_with_a_speck_is_still_an_unused_row() -> None:
    """wp-07 re-captured as a 1-bit scan (`fields-bitonal-members-dash-row.png`): the
    commissioning unit's third row holds `—` in every cell (the form's rule 4), its 分工
    dash read `，一`. Taken for a member, the row raised a false missing_signature and a
    false unit_name_mismatch."""
    unit = "成都市气象局法规处"
    assert _members("fields-bitonal-members-dash-row.png", 300) == [
        ("commissioning", "刘云", unit, "副处长", "数据分析", True),
        ("commissioning", "周建平", unit, "副主任科员", "财务管理", True),
    ]


def test_a_dash_beside_specks_is_a_dash() -> None:
    assert [is_dash(t) for t in ("，一", "—.", "一", "，", "一级", ".")] == [
        True, True, True, False, False, False]
