"""The benchmark reports every figure per capture, as it does per layout."""

from __future__ import annotations

import copy
import io
import json

from conftest import SAMPLES
from tasksheet.schemas.template import load_template

from tasksheet.bench import Scores, _print_table, capture_of, compare

TRUTH = SAMPLES / "truth"


def _truth(name: str) -> dict:
    return json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))


def test_figures_per_capture() -> None:
    tpl = load_template()
    scores = Scores()
    scan, grey, digital = _truth("doc-0001"), _truth("doc-0003"), _truth("doc-0004")
    photo = copy.deepcopy(_truth("doc-0002"))  # sets made before captures hold no photo
    photo["capture"] = "photo"
    for truth in (scan, grey, photo, digital):
        compare(copy.deepcopy(truth["record"]), truth, tpl, scores)  # a perfect reading
    wrong = copy.deepcopy(photo["record"])
    wrong["findings"] = []  # a photo read with every finding missed
    compare(wrong, photo, tpl, scores)
    fig = scores.figures()
    by = fig["by_capture"]
    assert list(by) == ["colour_scan", "grey_scan", "photo", "born_digital"]  # fixed order
    assert [by[c]["documents"] for c in by] == [1, 1, 2, 1]
    assert by["colour_scan"]["field_accuracy"] == 1.0 and by["grey_scan"]["finding_recall"] == 1.0
    assert by["photo"]["finding_recall"] == 0.5 and by["photo"]["field_accuracy"] == 1.0
    assert {e["capture"] for e in scores.errors} == {"photo"}
    out = io.StringIO()
    _print_table(fig, file=out)
    text = out.getvalue()
    assert "by capture:" in text and "born_digital" in text and "by layout:" in text


def test_capture_of_old_and_new_truths() -> None:
    assert capture_of(None) == "colour_scan"
    assert capture_of({"format": "digital_pdf"}) == "born_digital"
    assert capture_of({"format": "tiff", "grayscale": True}) == "grey_scan"
    assert capture_of({"capture": "bitonal", "format": "tiff", "grayscale": True}) == "bitonal"


def test_the_errors_name_each_field_read_wrong_with_both_values() -> None:
    """`--json` lists per document what did not match: findings, and now fields and member
    cells (what was read, what the truth says), so a set's misses can be looked at."""
    tpl = load_template()
    scores = Scores()
    truth = _truth("doc-0001")
    got = copy.deepcopy(truth["record"])
    got["opinions"]["commissioning"]["date"] = "2018-07-06"
    got["members"][0]["name"] = "王二"
    compare(got, truth, tpl, scores)
    (error,) = scores.errors
    assert error["fp"] == [] and error["fn"] == []
    assert error["fields"] == [
        ["opinions.commissioning.date", "2018-07-06", truth["record"]["opinions"]["commissioning"]["date"]],
        [f"members.{truth['record']['members'][0]['party']}.0.name", "王二",
         truth["record"]["members"][0]["name"]]]
