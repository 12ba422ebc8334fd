"""Section 五: a seal is the block's whose area holds its centre, however far its ring runs
over the block's rules (into the cell below, over the date, across a block's rows)."""

from __future__ import annotations

import numpy as np
from conftest import DATA
from helpers.saved import empty_result
from PIL import Image
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.scale import PageScale
from tasksheet.ingest.document import Page
from tasksheet.readers.opinions import read_opinions
from tasksheet.readers.work import PageWork
from tasksheet.schemas.template import load_template


def test_seals_stamped_across_the_rules_of_a_block_split_into_rows(monkeypatch) -> None:
    """Seed 191 doc-0010 (colour scan, 五 drawn as rows: each block's opinion, signature
    and date rows apart, `tests/data/opinions-rows-seals-over-rules.png`, its colours
    reduced). Each red seal is centred in its block's signature row and runs over the
    rules above and below it: looked for within one cell it was cut and missed, and no
    block was sealed (three false findings)."""
    monkeypatch.setattr("tasksheet.extract.page_text.measure_scale",
                        lambda binary: PageScale(stroke=3.0, text_height=29.0, line_thickness=3.0))
    rgb = np.asarray(Image.open(DATA / "opinions-rows-seals-over-rules.png").convert("RGB"))
    image = np.ascontiguousarray(rgb[:, :, ::-1])
    h, w = image.shape[:2]
    page = Page(index=6, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=200, form_page="opinions")
    engine = get_engine()
    result = empty_result()
    read_opinions([PageWork.of(page, engine)], load_template(), engine, result)
    got = {p: (result.readings[f"opinions.{p}.sealed"].value,
               result.readings[f"opinions.{p}.seal_text"].value,
               result.readings[f"opinions.{p}.signed"].value)
           for p in ("commissioning", "undertaking", "coordinating")}
    assert got == {"commissioning": (True, "成都市档案局", True),
                   "undertaking": (True, "成都市档案学会", True),
                   "coordinating": (True, "成都市科学技术协会", True)}
