"""Parts of generated pages saved in `tests/data/` (a block or a line as normalised), read
back as the pipeline read their page: a crop alone measures its print otherwise, so the
scale its whole page measured is given."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from conftest import DATA
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.scale import PageScale
from tasksheet.ingest.document import Page, Word
from tasksheet.readers.cover import read_lines
from tasksheet.readers.opinions import read_opinions
from tasksheet.readers.work import PageWork
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template


def data_image(name: str, *, colour: bool = False) -> np.ndarray:
    """`tests/data/<name>` as a BGR page: in colour with `colour`, else read grey (a 1-bit
    or grey crop) and given three equal channels, as a grey scan is loaded."""
    if colour:
        return cv2.imread(str(DATA / name), cv2.IMREAD_COLOR)
    return cv2.cvtColor(cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE), cv2.COLOR_GRAY2BGR)


def saved_page(monkeypatch: pytest.MonkeyPatch, name: str, form_page: str, *,
               scale: tuple[float, float, float], dpi: float, index: int = 5,
               colour: bool = False, words: list[Word] | None = None) -> Page:
    """`tests/data/<name>` (grey, or in colour with `colour`) as page `index` of
    `form_page`; `scale` = (stroke, text height, line thickness) as its whole page
    measured them; `words` its text layer, if born digital."""
    stroke, th, lt = scale
    monkeypatch.setattr("tasksheet.extract.page_text.measure_scale",
                        lambda binary: PageScale(stroke=stroke, text_height=th, line_thickness=lt))
    image = data_image(name, colour=colour)
    h, w = image.shape[:2]
    return Page(index=index, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=dpi, form_page=form_page,
                words=words)


def empty_result() -> SheetResult:
    return SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64, template=load_template().id)


def saved_opinions(monkeypatch: pytest.MonkeyPatch, name: str, *,
                   scale: tuple[float, float, float], dpi: float, index: int = 5,
                   colour: bool = False, words: list[Word] | None = None
                   ) -> tuple[PageWork, SheetResult]:
    """The opinion block saved as `tests/data/<name>`, read by `read_opinions`."""
    page = saved_page(monkeypatch, name, "opinions", scale=scale, dpi=dpi, index=index,
                      colour=colour, words=words)
    engine = get_engine()
    work, result = PageWork.of(page, engine), empty_result()
    read_opinions([work], load_template(), engine, result)
    return work, result


def saved_cover(name: str, *, dpi: float, month: bool = False) -> dict[str, object]:
    """The cover's labelled lines read from the colour crop `tests/data/<name>` (measured
    as it is): the units and the project name, or with `month` the month's printed line."""
    image = data_image(name, colour=True)
    h, w = image.shape[:2]
    page = Page(index=1, source="cover.jpg", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=dpi, form_page="cover")
    template = load_template()
    specs = [s for s in template.lines if bool(s.until) == month]
    result = empty_result()
    read_lines(PageWork.of(page, get_engine()), template, result, specs)
    return {s.id: result.readings[s.id].value for s in specs}
