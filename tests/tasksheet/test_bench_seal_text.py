"""The benchmark's seal-text figure, split by whether the seal's unit is among the units the
pipeline verifies seals against (its record's party units) or can only be read free."""

from __future__ import annotations

import copy
import io
import json

from conftest import SAMPLES
from tasksheet.schemas.template import load_template

from tasksheet.bench import Scores, _print_table, compare, seal_candidates

TRUTH = SAMPLES / "truth"
OTHER_UNIT = "成都市教育局"


def _truth(name: str = "doc-0001") -> dict:
    return json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))


def test_candidates_are_the_records_party_units() -> None:
    tpl = load_template()
    record = _truth()["record"]
    assert seal_candidates(record, tpl) == ["成都市质量技术监督局", "成都市计量测试学会",
                                            "成都市科学技术协会"]
    record["cover"]["undertaking_unit"] = tpl.dash  # "—": no unit to verify against
    assert "成都市计量测试学会" not in seal_candidates(record, tpl)


def test_seal_text_split_by_known_unit() -> None:
    tpl = load_template()
    scores = Scores()
    truth = _truth()
    compare(copy.deepcopy(truth["record"]), truth, tpl, scores)  # three seals of known units
    # another unit's seal (a seal_unit_mismatch sheet): read right once, wrong once
    other = copy.deepcopy(truth)
    other["record"]["opinions"]["undertaking"]["seal_text"] = OTHER_UNIT
    right = copy.deepcopy(other["record"])
    wrong = copy.deepcopy(other["record"])
    wrong["opinions"]["undertaking"]["seal_text"] = "成都市计量测试学会"  # taken for its party's
    compare(right, other, tpl, scores)
    compare(wrong, other, tpl, scores)
    # the cover misread: the commissioning unit's own seal is no candidate any more
    misread = copy.deepcopy(truth["record"])
    misread["cover"]["commissioning_unit"] = "成都市质量技"
    compare(misread, truth, tpl, scores)
    fig = scores.figures()
    assert fig["seal_text_seals_known_unit"] == 3 + 2 + 2 + 2
    assert fig["seal_text_seals_unknown_unit"] == 2 + 1
    assert fig["seal_text_accuracy_known_unit"] == 1.0
    assert fig["seal_text_accuracy_unknown_unit"] == round(2 / 3, 4)
    assert fig["seal_text_accuracy"] == round(11 / 12, 4)
    assert fig["by_layout"]["paged"]["seal_text_seals_unknown_unit"] == 3
    out = io.StringIO()
    _print_table(fig, file=out)
    assert "seal_text_accuracy_unknown_unit" in out.getvalue()
    json.dumps(fig)  # the --json file holds them


def test_no_seals_no_figure() -> None:
    fig = Scores().figures()
    assert fig["seal_text_accuracy_known_unit"] is None
    assert fig["seal_text_seals_unknown_unit"] == 0
