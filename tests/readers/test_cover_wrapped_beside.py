"""A cover label wrapped over two lines (`承接单` / `位：`) with the hand's value written level
with its first part: one line box holds `承接单` and the value, the `位：` under it lost in
that box's reading (`承接单成都市软件行业协会`). The value is what follows the label's part
(readers.cover). Seed 6143 doc-0023 (1-bit, `tests/data/bitonal-cover-wrapped-label-beside-
value.png`: the four labelled lines as normalised): no line matched 承接单位, the unit was
read None."""

from __future__ import annotations

from helpers.saved import empty_result, saved_page
from tasksheet.extract.ocr import get_engine
from tasksheet.readers.cover import read_lines
from tasksheet.readers.work import PageWork
from tasksheet.schemas.template import load_template


def test_value_read_beside_a_wrapped_labels_first_part(monkeypatch) -> None:
    page = saved_page(monkeypatch, "bitonal-cover-wrapped-label-beside-value.png", "cover",
                      scale=(5.0, 85.0, 5.0), dpi=300, index=1)
    template = load_template()
    specs = [s for s in template.lines if not s.until]
    result = empty_result()
    work = PageWork.of(page, get_engine())
    h, w = work.binary.shape
    lines = [t for _, t, _ in work.text.read([(0, 0, w, h)])[0].lines]
    assert "承接单成都市软件行业协会" in lines  # the label's part and the value in one box
    read_lines(work, template, result, specs)
    assert {s.id: result.readings[s.id].value for s in specs} == {
        "cover.project_name": "软件企业能力调查研究",
        "cover.commissioning_unit": "成都市经济和信息化委员会",
        "cover.undertaking_unit": "成都市软件行业协会",
        "cover.coordinating_unit": "成都市科学技术协会"}
