"""A section heading set close above a table whose rules are turned against the text: the
outline's search over the whole page lost it with the ruling's remnants, the search in the
gap between the two tables finds it (readers.flow). A real page: seed 5417 doc-0019 p4
(grey scan, 240 dpi; rows 980-1380), `四. 共同条款` 3 px above the clauses' box; 四 was
found nowhere (a false missing_page) and its clauses were read as 三's."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.page_text import heading_chars
from tasksheet.ingest.document import Page
from tasksheet.readers.flow import find_marks, outline
from tasksheet.readers.work import PageWork
from tasksheet.schemas.template import load_template

CROP = Path(__file__).parent / "data" / "clauses_heading_tilted.jpg"


def test_a_heading_between_two_tables_is_found_in_their_gap() -> None:
    image = cv2.cvtColor(cv2.imread(str(CROP), cv2.IMREAD_GRAYSCALE), cv2.COLOR_GRAY2BGR)
    h, w = image.shape[:2]
    page = Page(index=4, source="doc-0019.tif", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=240, form_page="members",
                text_height=36.077)  # the document's, as ingest settled it
    work = PageWork.of(page, get_engine())
    template = load_template()
    assert [t for _, t in outline(work, heading_chars(template.headings))] == [
        "四. 共同条款", "(1)委托单位有权监督、检查任务履行情况。试点项目履行期间，委托单位根据"]
    assert [(m.section, m.y) for m in find_marks([work], template)] == [("clauses", 202)]
