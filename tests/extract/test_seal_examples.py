"""Seal text on the word-processor examples' greyscale scans (issue #17).

wp-04's seals are stamped unevenly over print: the glyphs pressed hardest are darker than
the ring's median tone, and were once taken for print and painted over (`市民政局`,
`斗技工者协会`). Every seal of a greyscale example must name its unit.
"""

from pathlib import Path

import pytest
from conftest import EXAMPLES

from tasksheet.examples import compare_expected, example_cases
from tasksheet.pipeline import process_document

GREY = ["wp-03", "wp-04", "wp-06"]

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not EXAMPLES.is_dir(), reason="../shared/examples not here")]


@pytest.mark.parametrize("name", GREY)
def test_grey_example_seals_name_their_units(name: str, tmp_path: Path) -> None:
    cases = {case: (src, want) for case, src, want in example_cases(EXAMPLES)}
    src, want = cases[name]
    cmp = compare_expected(process_document(src, out=tmp_path).to_record().export(), want)
    assert cmp["seal_text"]["ok"] == cmp["seal_text"]["total"] == 3, [
        m for m in cmp["mismatches"] if m["field"].endswith("seal_text")]
