"""Section 五: a block's party label printed tight under the cell's top rule, tilted."""

from __future__ import annotations

import pytest
from helpers.saved import saved_opinions

SCALE = (6.0, 39.0, 6.0)  # stroke, text height, line thickness as the whole page measured


def test_a_label_reaching_into_the_top_rules_band_still_heads_its_block(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The word-processor example wp-04 scanned again in colour (`bench --examples
    --recapture`, seed 1; `tests/data/opinions-label-under-rule.png`: the commissioning
    block as normalised). wp-04 prints its text turned against its table; turned 2° more
    by the new scan, `项目委托单位：` rises at its left into the band under the top rule
    where a cell's lines are not looked for, was cut, and the block was no one's: its
    opinion, signature, seal and date all read missing (four false findings a block).
    Its signature, written above the label's row, is still missed."""
    _, result = saved_opinions(monkeypatch, "opinions-label-under-rule.png", scale=SCALE,
                               dpi=200, index=6, colour=True)
    got = {k.split(".", 2)[2]: r.value for k, r in result.readings.items()
           if k.startswith("opinions.commissioning.")}
    assert got["text"] == "同意该任务书内容。"
    assert got["sealed"] is True
    assert got["date"] == "2018-07-20"
