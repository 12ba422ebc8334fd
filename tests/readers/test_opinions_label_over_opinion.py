"""Section 五: a block's label printed tight over its opinion, the two one line box."""

from __future__ import annotations

import pytest
from helpers.saved import empty_result, saved_opinions, saved_page
from tasksheet.extract.ocr import get_engine
from tasksheet.readers.opinions import read_opinions
from tasksheet.readers.work import PageWork
from tasksheet.schemas.template import load_template


def _work(monkeypatch: pytest.MonkeyPatch, name: str, index: int,
          scale: tuple[float, float, float], engine) -> PageWork:
    """`tests/data/<name>` as page `index` of a 1-bit scan, measured as its page was."""
    page = saved_page(monkeypatch, name, "opinions", scale=scale, dpi=300, index=index)
    return PageWork.of(page, engine)


def test_a_label_read_with_the_opinion_under_it_still_starts_its_block(monkeypatch) -> None:
    """Seed 6143 doc-0023 (1-bit, 五 one cell over two pages; page 6's cell here): it starts
    with `项目承接单位：` printed tight over the hand's `同意。保证按期完成试点任务。`,
    found as one line and read `项目承单位保证按期完成试点任务。`, no label: the
    undertaking block was taken for the commissioning block going on, and read empty (text,
    signature, seal, date: four false findings). Parted under the label, the line reads
    both; its date's 日 under the ring, read `.7` (`2018年5月16.7`), is the printed 日."""
    engine = get_engine()
    works = [_work(monkeypatch, "opinions-bitonal-label-over-opinion.png", 6, (5.0, 50.2, 2.0),
                   engine)]
    result = empty_result()
    read_opinions(works, load_template(), engine, result)
    got = {f: result.readings[f"opinions.undertaking.{f}"].value
           for f in ("text", "signed", "sealed", "date")}
    assert got == {"text": "同意。保证按期完成试点任务。", "signed": True, "sealed": True,
                   "date": "2018-05-16"}
    # the coordinating block, under its own label, is its own
    assert result.readings["opinions.coordinating.text"].value == "同意，做好协调和保障工作"
    assert result.readings["opinions.coordinating.date"].value == "2018年4月31日"


def test_a_label_over_its_opinion_in_colour_is_parted_where_both_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 6143 doc-0002 (colour scan; `tests/data/opinions-colour-label-over-opinion.jpg`:
    the commissioning block's rows as normalised). `项目委托单位：` and the opinion under it
    were one line box, read `项目委托位任务书开展试点工作。`; parted at its least inked row,
    a row inside the label's glyphs, the opinion was lost (a false blank_field). The few
    least inked rows are tried, and the parting read surest either side is kept."""
    _, result = saved_opinions(monkeypatch, "opinions-colour-label-over-opinion.jpg",
                               scale=(3.0, 29.0, 3.0), dpi=200, index=6, colour=True)
    got = {f: result.readings[f"opinions.commissioning.{f}"].value
           for f in ("text", "signed", "sealed", "date")}
    assert got == {"text": "同意按任务书开展试点工作。", "signed": True, "sealed": True,
                   "date": "2018-06-04"}
