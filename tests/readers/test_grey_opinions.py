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


def _block(name: str, scale: tuple[float, float, float], dpi: float, monkeypatch
           ) -> tuple[PageWork, SheetResult]:
    """The opinion block saved as `tests/data/<name>`, read as its page was."""
    from conftest import DATA
    from tasksheet.extract.scale import PageScale

    stroke, th, lt = scale
    monkeypatch.setattr("tasksheet.readers.work.measure_scale",
                        lambda binary: PageScale(stroke=stroke, text_height=th, line_thickness=lt))
    gray = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    image = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    h, w = image.shape[:2]
    page = Page(index=4, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=dpi, form_page="opinions")
    template, engine = load_template(), get_engine()
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template=template.id)
    work = PageWork.of(page, engine)
    read_opinions([work], template, engine, result)
    return work, result


def test_an_empty_date_row_whose_year_the_seal_broke_is_found(monkeypatch) -> None:
    """Seed 733 doc-0001, a 150 dpi grey scan (`tests/data/grey-seal-over-empty-date-row.png`:
    the undertaking block as normalised): the date is empty and the grey seal lies over 年
    and the labels above it; what is left of them reads `#`, `上字)`, `新市`, so no row
    had a date's shape and the date was not found (None at 0.5: a low_confidence warning,
    not missing_date). The row's 月 and 日 stand alone, nothing written before either."""
    _, result = _block("grey-seal-over-empty-date-row.png", (2.0, 20.0, 2.0), 150.0, monkeypatch)
    date = result.readings["opinions.undertaking.date"]
    assert (date.raw, date.value, date.bbox) == ("月日", None, (587, 357, 669, 376))
    assert date.confidence >= load_template().low_confidence_below


def test_a_date_row_with_ink_in_its_gaps_is_not_empty(monkeypatch) -> None:
    """The same row with a pen stroke where the day goes: not an empty date."""
    from tasksheet.readers.opinions import _empty_date_row

    work, _ = _block("grey-seal-over-empty-date-row.png", (2.0, 20.0, 2.0), 150.0, monkeypatch)
    row = [((587, 357, 603, 376), "月", 1.0), ((656, 357, 669, 375), "日", 1.0)]
    assert _empty_date_row(work, row, [])
    cv2.line(work.page.image, (625, 360), (628, 374), (120, 120, 120), 2)
    assert not _empty_date_row(work, row, [])
