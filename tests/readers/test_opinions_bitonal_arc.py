"""Section 五 on a 1-bit page, a black seal over the block: its arc text touching the
opinion's end makes one blob of both, taller than any line (neither the opinion nor, with
the label set tight under the rule, the block's label was read), and a pen written wholly
inside its ring was taken for the seal's own marks."""

from __future__ import annotations

import pytest
from helpers.saved import saved_opinions

OPINION = "同意承担该试点项目，严格按照任务书"  # what lies left of the seal (the rest is under it)


def test_an_opinion_run_into_the_arc_is_read_beside_the_seal(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The word-processor example wp-04 re-captured as a 1-bit scan (`tests/data/opinions_
    bitonal_opinion_into_arc.png`: its page 五 as normalised). The undertaking label was
    read, its opinion not (a false blank_field): read again with the seal's disc set to
    paper, the lines starting in the cell's first columns below the label are the
    opinion's."""
    _, result = saved_opinions(monkeypatch, "opinions_bitonal_opinion_into_arc.png",
                               scale=(7.0, 28.985, 6.0), dpi=200, index=6)
    text = result.readings["opinions.undertaking.text"].value
    assert text is not None and text.startswith(OPINION)
    assert result.readings["opinions.commissioning.text"].value == "同意该任务书内容。"


def test_a_label_on_the_rule_over_an_opinion_run_into_the_arc(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The example wp-05 re-captured as a 1-bit scan (`tests/data/opinions_bitonal_label_on_
    rule_arc.png`: its first page of 五). `项目承接单位：` lies tight under the rule and the
    opinion under it runs into the seal's arc: read from under the rule, or bridged, the
    label was not found, and the block was no one's (signature, seal, date and opinion
    all missed: four false findings). Both at once find it."""
    _, result = saved_opinions(monkeypatch, "opinions_bitonal_label_on_rule_arc.png",
                               scale=(4.0, 23.0, 4.0), dpi=150)
    got = {k: result.readings[f"opinions.undertaking.{k}"].value for k in ("signed", "sealed")}
    assert got == {"signed": True, "sealed": True}
    text = result.readings["opinions.undertaking.text"].value
    assert text is not None and text.startswith(OPINION)


def test_a_pen_wholly_inside_a_black_ring_is_the_signature(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 9133 doc-0023 (1-bit TIFF, flowing; `tests/data/opinions_bitonal_pen_inside_
    ring.png`: its page 五 as normalised). The undertaking name is written low over its
    label, inside the seal's ring and across its star: every stroke of it lay inside the
    ring and was taken for the seal's (a false missing_signature). With the ring, star and
    arc text's band set to paper, the pen in the seal's middle is left; the other two
    blocks are read as before."""
    _, result = saved_opinions(monkeypatch, "opinions_bitonal_pen_inside_ring.png",
                               scale=(5.0, 45.8, 3.0), dpi=300)
    got = {p: result.readings[f"opinions.{p}.signed"].value
           for p in ("commissioning", "undertaking", "coordinating")}
    assert got == {"commissioning": True, "undertaking": True, "coordinating": True}
    assert result.readings["opinions.undertaking.signed"].bbox == (1785, 1476, 1852, 1545)
