"""The examples captured again (`tasksheet bench --examples DIR --recapture`): which
re-captures are made, the source's scanner border left out, and one example × capture
through the pipeline scored against its own expected record."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import EXAMPLES
from tasksheet.ingest.discover import discover
from tasksheet.ingest.load import load_pages

from tasksheet.cli import main
from tasksheet.recapture import CAPTURES, clear_border, evaluate_recaptured, skip_reason

GROUP_SECTIONS = ("cover", "undertaking", "commissioning", "coordinating")


def test_which_recaptures_are_made() -> None:
    for kind in ("digital", "colour", "grey"):
        assert [c for c in CAPTURES if skip_reason(kind, c) is None] == list(CAPTURES)
    assert [c for c in CAPTURES if skip_reason("bitonal", c) is None] == ["bitonal"]
    assert [c for c in CAPTURES if skip_reason("photo", c) is None] == []


def test_clear_border_whitens_the_scanners_border_not_the_print() -> None:
    page = np.full((400, 300, 3), 240, np.uint8)
    page[:, :12] = 30  # the lid's dark band along the left edge
    page[380:, 200:] = 30  # a corner the skew uncovered
    page[100:102, 40:260] = 20  # a table ruling, inside the margins
    page[150:160, 50:60] = 0  # a character
    out = clear_border(page)
    assert out[:, :12].min() >= 230 and out[380:, 200:].min() >= 230
    assert (out[100:102, 40:260] == 20).all() and (out[150:160, 50:60] == 0).all()


def test_recapture_needs_examples(capsys) -> None:
    assert main(["bench", "--recapture"]) == 2
    assert "--recapture needs --examples" in capsys.readouterr().err


def _groups(tree: dict) -> int:
    return sum(1 if "ticked" in v else _groups(v) for v in tree.values() if isinstance(v, dict))


@pytest.mark.slow
@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="../shared/examples not here")
def test_one_example_recaptured_is_scored_against_its_record(tmp_path: Path) -> None:
    fig = evaluate_recaptured(EXAMPLES, tmp_path, seed=1, captures=("grey_scan",),
                              only=("wp-06",))
    assert fig["skipped"] == [] and len(fig["cases"]) == 1
    case = fig["cases"][0]
    assert (case["case"], case["example"], case["capture"]) == ("wp-06 grey_scan", "wp-06",
                                                                 "grey_scan")
    want = json.loads((EXAMPLES / "wp-06" / "expected.json").read_text(encoding="utf-8"))
    # the re-captured document: one image PDF of the example's five pages, grey, at most
    # the source's 200 DPI, under the work folder
    pdf = Path(case["recapture"]["files"][0])
    assert pdf.parent == tmp_path / "docs" / "grey_scan" / "wp-06" and pdf.suffix == ".pdf"
    (src,) = discover(pdf.parent)
    pages = list(load_pages(src))
    assert len(pages) == 5 == want["document"]["pages"]
    assert all(np.array_equal(p.image[..., 0], p.image[..., 2]) for p in pages)
    assert case["recapture"]["dpi"] <= 200 and case["recapture"]["source"] == "grey"
    # the scorer saw the expected record whole, whatever the pipeline read
    signed = [m for m in want["members"] if m.get("signed")]
    opinions = want["opinions"].values()
    assert sum(case["signature"][k] for k in ("tp", "fn")) == \
        len(signed) + sum(bool(o.get("signed")) for o in opinions)
    assert sum(case["seal"][k] for k in ("tp", "fn")) == sum(bool(o.get("sealed"))
                                                            for o in opinions)
    assert case["checkbox_groups"]["total"] == sum(_groups(want[s]) for s in GROUP_SECTIONS)
    assert sum(case["findings"][k] for k in ("tp", "fn")) == \
        len([f for f in want["findings"] if f["code"] != "low_confidence"])
    assert case["status"]["want"] == want["document"]["status"]
    assert case["pages"]["want"] == 5 and case["members"]["want"] == len(
        [m for m in want["members"] if any(m.get(k) not in (None, "", "—")
                                           for k in ("name", "unit", "title", "role"))])
    assert fig["by_capture"]["grey_scan"]["cases"] == 1 == fig["totals"]["cases"]
