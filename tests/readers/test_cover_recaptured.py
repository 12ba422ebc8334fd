"""The cover of a word-processor example as re-captured (`tasksheet bench --examples
--recapture --seed 1`): its labelled lines cut from the normalised page."""

from __future__ import annotations

import cv2
import numpy as np
from conftest import DATA
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest.document import Page
from tasksheet.readers.cover import read_lines
from tasksheet.readers.work import PageWork
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template


def test_a_punched_hole_left_of_a_label_is_no_label() -> None:
    """wp-01 re-captured as a colour scan (`fields-colour-cover-hole.jpg`, the labels wrapped
    `承接单` / `位：`, the back page showing through): a punched hole in the margin, level
    with `承接单`, was its row's first line (read `●`), so the label was not found; the
    commissioning unit's value then ran down to the next label, both blanks in one
    (`成都市林业和园林管理局成都市园林学会`), and the undertaking unit was blank: a false
    unit_name_mismatch on its first member."""
    image = cv2.imread(str(DATA / "fields-colour-cover-hole.jpg"), cv2.IMREAD_COLOR)
    h, w = image.shape[:2]
    page = Page(index=1, source="cover.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=200, form_page="cover")
    template = load_template()
    specs = [s for s in template.lines if not s.until]
    result = SheetResult(id="rc", sources=["cover.png"], sha256="0" * 64, template=template.id)
    read_lines(PageWork.of(page, get_engine()), template, result, specs)
    assert {s.id: result.readings[s.id].value for s in specs} == {
        "cover.project_name": "城市绿地养护技术规范编制",
        "cover.commissioning_unit": "成都市林业和园林管理局",
        "cover.undertaking_unit": "成都市园林学会",
        "cover.coordinating_unit": "成都市科学技术协会",
    }
