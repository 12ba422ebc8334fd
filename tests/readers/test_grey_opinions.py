"""Opinion blocks on greyscale scans, where a seal's ring is grey and as dark as print."""

from __future__ import annotations

import cv2
import numpy as np
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest.document import Page
from tasksheet.readers.opinions import read_opinions
from tasksheet.readers.work import PageWork
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template


def test_a_grey_ring_through_an_empty_date_is_not_a_digit(monkeypatch) -> None:
    """Seed 613 doc-0011, a grey scan (`tests/data/grey-ring-through-empty-date.png`: the
    undertaking block as normalised, scale measured on its whole page): the date is left
    empty (`年 月 日`) and the grey seal's ring runs between 年 and 月. As scanned the row
    read `年1月日` (a partial date at 0.40: a low_confidence warning, not the missing_date
    error). With the ring set to paper the row says its print alone: an empty date."""
    from conftest import DATA
    from tasksheet.extract.scale import PageScale

    monkeypatch.setattr("tasksheet.readers.work.measure_scale",
                        lambda binary: PageScale(stroke=3.0, text_height=27.0, line_thickness=3.0))
    gray = cv2.imread(str(DATA / "grey-ring-through-empty-date.png"), cv2.IMREAD_GRAYSCALE)
    image = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    h, w = image.shape[:2]
    page = Page(index=6, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=200, form_page="opinions")
    template, engine = load_template(), get_engine()
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template=template.id)
    read_opinions([PageWork.of(page, engine)], template, engine, result)
    assert result.readings["opinions.undertaking.sealed"].value is True
    date = result.readings["opinions.undertaking.date"]
    assert (date.raw, date.value) == ("年月日", None)
    assert date.confidence >= template.low_confidence_below
