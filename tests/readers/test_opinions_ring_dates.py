"""Section 五 on 1-bit pages: dates and labels under a seal's black ring."""

from __future__ import annotations

import pytest
from helpers.saved import empty_result, saved_opinions, saved_page
from tasksheet.extract.ocr import get_engine
from tasksheet.readers.opinions import read_opinions
from tasksheet.readers.work import PageWork
from tasksheet.schemas.template import load_template


def test_a_month_under_the_star_is_no_date_and_a_ring_reaching_a_row_joins_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 6143 doc-0011 (1-bit, paged; `tests/data/opinions-bitonal-rows-star-over-month.
    png`: its page 五 as normalised). Each block is three rows: label and opinion, the
    signature and seal labels, the date; each seal is centred on the date row. The
    commissioning seal's star covers the month: `2018年月16日` was given as the date (a
    wrong one, its month lost); now no date, unsure. The undertaking seal's ring reaches
    up into the labels' row, joining labels and pen into one blob no line was read from:
    the row was never read, a false missing_signature. A cell the ring reaches into is
    read with the ring set to paper too."""
    _, result = saved_opinions(monkeypatch, "opinions-bitonal-rows-star-over-month.png",
                               scale=(4.0, 32.2, 4.0), dpi=200, index=8)
    date = result.readings["opinions.commissioning.date"]
    assert (date.raw, date.value, date.confidence) == ("2018年月16日", None, 0.5)
    signed = result.readings["opinions.undertaking.signed"]
    assert (signed.value, signed.bbox) == (True, (989, 1113, 1062, 1139))
    assert result.readings["opinions.undertaking.date"].value == "2018-05-16"


def test_a_one_along_the_ring_is_put_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 6143 doc-0003 (1-bit, 五 over two pages; `tests/data/opinions-bitonal-one-along-
    ring-p5.png`: the coordinating label's cell at the foot of page 5, `-p6.png`: page 6 as
    normalised). The ring's arc runs along the `1` of `2018年5月21日`: with the ring set to
    paper the 1 went with it, `2018年5月2日` was read surely and given (a wrong date). The
    date with a `1` put back is a candidate too, and the row as scanned says it surely."""
    engine = get_engine()
    works = []
    for name, index, scale in (("opinions-bitonal-one-along-ring-p5.png", 5, (4.0, 43.0, 4.0)),
                               ("opinions-bitonal-one-along-ring-p6.png", 6, (4.0, 37.0, 4.0))):
        page = saved_page(monkeypatch, name, "opinions", scale=scale, dpi=300, index=index)
        works.append(PageWork.of(page, engine))
    result = empty_result()
    read_opinions(works, load_template(), engine, result)
    date = result.readings["opinions.coordinating.date"]
    assert (date.value, date.page) == ("2018-05-21", 6)
    assert date.confidence > 0.9
