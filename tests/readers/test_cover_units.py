"""The cover's units read from a cover laid out as a table (readers.cover): a punched hole
left of a label and the end of a tilted rule right of a value are neither label nor value."""

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


def test_units_of_a_table_cover_with_a_hole_and_a_rule_end() -> None:
    """Seed 8527 doc-0010 (paged, colour scan at 240 dpi), the normalised cover's lower part
    (`cover-colour-table-hole-rule-end.jpg`): a punched hole level with `承接单位：` was read
    `O`, its row's first line, so the label was not found; the commissioning unit then ran
    down to the coordinating label (`成都市防震减灾局成都市防震减灾学会`) and the undertaking
    unit was blank. The table's bottom rule, turned against the text, ends in a low stroke
    right of the last value, read `1`: `成都市科学技术协会1`."""
    image = cv2.imread(str(DATA / "cover-colour-table-hole-rule-end.jpg"), cv2.IMREAD_COLOR)
    h, w = image.shape[:2]
    page = Page(index=1, source="cover.jpg", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=240, form_page="cover")
    template = load_template()
    specs = [s for s in template.lines if not s.until]
    result = SheetResult(id="s8527", sources=["cover.jpg"], sha256="0" * 64, template=template.id)
    read_lines(PageWork.of(page, get_engine()), template, result, specs)
    assert {s.id: result.readings[s.id].value for s in specs} == {
        "cover.project_name": "防震减灾科普宣传培训",
        "cover.commissioning_unit": "成都市防震减灾局",
        "cover.undertaking_unit": "成都市防震减灾学会",
        "cover.coordinating_unit": "成都市科学技术协会",
    }


def test_month_when_the_years_first_glyphs_are_lost() -> None:
    """Seed 8527 doc-0005 (a PDF of scans), the normalised cover's foot
    (`cover-pdf-year-head-lost.jpg`): `二〇一八年 7 月` read `一八年7月`, its `二〇` lost, so
    the printed line was not found and the month was blank."""
    image = cv2.imread(str(DATA / "cover-pdf-year-head-lost.jpg"), cv2.IMREAD_COLOR)
    h, w = image.shape[:2]
    page = Page(index=1, source="cover.jpg", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=150, form_page="cover")
    template = load_template()
    specs = [s for s in template.lines if s.until]
    result = SheetResult(id="s8527", sources=["cover.jpg"], sha256="0" * 64, template=template.id)
    read_lines(PageWork.of(page, get_engine()), template, result, specs)
    assert [(s.id, result.readings[s.id].value) for s in specs] == [("cover.month", "7")]
