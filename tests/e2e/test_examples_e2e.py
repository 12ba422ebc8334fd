"""End to end on the word-processor examples of ../shared/examples (issue: any layout).

Each case runs the whole pipeline (real OCR) on the scan and compares the exported record
with its expected.json the way the examples' README says. The cases listed here are read
whole today: every finding, signature, seal and the document's status right; the others
are measured by `tasksheet bench --examples` and named in the README's figures.
"""

from pathlib import Path

import pytest
from conftest import EXAMPLES

from tasksheet.examples import compare_expected, example_cases
from tasksheet.pipeline import process_document

WHOLE = ["wp-01", "wp-01-digital", "wp-02", "wp-03", "wp-04", "wp-05", "wp-06", "wp-07",
         "wp-08"]

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not EXAMPLES.is_dir(), reason="../shared/examples not here")]


@pytest.fixture(scope="module")
def cases() -> dict:
    return {name: (src, want) for name, src, want in example_cases(EXAMPLES)}


@pytest.mark.parametrize("name", WHOLE)
def test_example_read_whole(name: str, cases: dict, tmp_path: Path) -> None:
    src, want = cases[name]
    got = process_document(src, out=tmp_path).to_record().export()
    cmp = compare_expected(got, want)
    assert cmp["findings_fp"] == [] and cmp["findings_fn"] == []
    assert cmp["status"]["ok"], cmp["status"]
    assert cmp["signature"]["fp"] == 0 and cmp["signature"]["fn"] == 0
    assert cmp["seal"]["fp"] == 0 and cmp["seal"]["fn"] == 0
    assert cmp["members"]["missing"] == 0 and cmp["members"]["extra"] == 0
    groups = cmp["checkbox_groups"]
    assert groups["ok"] == groups["total"], cmp["mismatches"]
    # no section reported missing on a sheet that has all its content
    assert not any(f["code"] == "missing_page" for f in got["findings"])
