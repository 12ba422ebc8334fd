"""Section 五: a seal is the block's whose area holds its centre, however far its ring runs
over the block's rules (into the cell below, over the date, across a block's rows)."""

from __future__ import annotations

from helpers.saved import saved_opinions


def test_seals_stamped_across_the_rules_of_a_block_split_into_rows(monkeypatch) -> None:
    """Seed 191 doc-0010 (colour scan, 五 drawn as rows: each block's opinion, signature
    and date rows apart, `tests/data/opinions-rows-seals-over-rules.png`, its colours
    reduced). Each red seal is centred in its block's signature row and runs over the
    rules above and below it: looked for within one cell it was cut and missed, and no
    block was sealed (three false findings)."""
    _, result = saved_opinions(monkeypatch, "opinions-rows-seals-over-rules.png",
                               scale=(3.0, 29.0, 3.0), dpi=200, index=6, colour=True)
    got = {p: (result.readings[f"opinions.{p}.sealed"].value,
               result.readings[f"opinions.{p}.seal_text"].value,
               result.readings[f"opinions.{p}.signed"].value)
           for p in ("commissioning", "undertaking", "coordinating")}
    assert got == {"commissioning": (True, "成都市档案局", True),
                   "undertaking": (True, "成都市档案学会", True),
                   "coordinating": (True, "成都市科学技术协会", True)}
