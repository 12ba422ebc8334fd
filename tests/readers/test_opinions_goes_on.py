"""Section 五 as one cell, flowing over two pages: the block the first page ends with goes
on at the top of the next, above the next party's label, and what is there is its."""

from __future__ import annotations

import pytest
from helpers.saved import empty_result, saved_page
from tasksheet.extract.ocr import get_engine
from tasksheet.readers.opinions import read_opinions
from tasksheet.readers.work import PageWork
from tasksheet.schemas.template import load_template


def _work(monkeypatch: pytest.MonkeyPatch, name: str, index: int, text_height: float,
          line: float, engine) -> PageWork:
    """`tests/data/<name>` as page `index`, measured as its whole page was."""
    page = saved_page(monkeypatch, name, "opinions", scale=(4.0, text_height, line), dpi=200,
                      index=index)
    return PageWork.of(page, engine)


def test_a_block_cut_by_the_page_goes_on_above_the_next_label(monkeypatch) -> None:
    """Seed 191 doc-0019 (1-bit, 五 one cell): page 5 ends with the undertaking block's
    label and opinion; page 6 starts with its signature, seal and date, then the
    coordinating label. The whole of page 6's cell was taken for the undertaking block
    (its label not among the cell's first lines): the coordinating block was read empty
    (four false findings) and the undertaking one took its date. The lines above a page's
    first label are the block that went on there."""
    engine = get_engine()
    works = [_work(monkeypatch, "opinions-bitonal-goes-on-p5.png", 5, 29.0, 4.0, engine),
             _work(monkeypatch, "opinions-bitonal-goes-on-p6.png", 6, 27.0, 3.0, engine)]
    result = empty_result()
    read_opinions(works, load_template(), engine, result)
    got = {p: (result.readings[f"opinions.{p}.text"].value,
               result.readings[f"opinions.{p}.signed"].value,
               result.readings[f"opinions.{p}.sealed"].value,
               result.readings[f"opinions.{p}.sealed"].page)
           for p in ("undertaking", "coordinating")}
    assert got == {"undertaking": ("同意。保证按期完成试点任务。", True, True, 6),
                   "coordinating": ("同意，做好协调和保障工作。", True, True, 6)}
    assert result.readings["opinions.coordinating.date"].value == "2018-05-04"
    # each seal is the one stamped on its block: the undertaking's over its date row
    assert result.readings["opinions.undertaking.sealed"].bbox[3] < \
        result.readings["opinions.coordinating.sealed"].bbox[1]
