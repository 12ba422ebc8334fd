"""Section 五: an opinion written tight under its block's label, found as one line with it
(readers.opinions._label_line_parted)."""

from __future__ import annotations

from helpers.saved import saved_opinions


def test_an_opinion_touching_its_label_is_read(monkeypatch) -> None:
    """Seed 9857 doc-0005 (flowing, colour scan at 300 DPI; `tests/data/opinions-colour-
    opinion-touching-label.jpg`: the coordinating block, as normalised). The tops of
    `同意，` touch the foot of `项目协调单位:`, the two were one line box two lines tall,
    read `项目协调单位做好协调服务工作。`, and the opinion was read empty (a false
    blank_field)."""
    _, result = saved_opinions(monkeypatch, "opinions-colour-opinion-touching-label.jpg",
                               scale=(3.0, 43.0, 1.0), dpi=300, index=6, colour=True)
    assert result.readings["opinions.coordinating.text"].value == "同意，做好协调服务工作。"
    assert result.readings["opinions.coordinating.signed"].value is True
    assert result.readings["opinions.coordinating.date"].value == "2018-06-04"
