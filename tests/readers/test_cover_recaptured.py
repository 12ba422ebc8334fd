"""The cover of a word-processor example as re-captured (`tasksheet bench --examples
--recapture --seed 1`): its labelled lines cut from the normalised page."""

from __future__ import annotations

from helpers.saved import saved_cover


def test_a_punched_hole_left_of_a_label_is_no_label() -> None:
    """wp-01 re-captured as a colour scan (`fields-colour-cover-hole.jpg`, the labels wrapped
    `承接单` / `位：`, the back page showing through): a punched hole in the margin, level
    with `承接单`, was its row's first line (read `●`), so the label was not found; the
    commissioning unit's value then ran down to the next label, both blanks in one
    (`成都市林业和园林管理局成都市园林学会`), and the undertaking unit was blank: a false
    unit_name_mismatch on its first member."""
    assert saved_cover("fields-colour-cover-hole.jpg", dpi=200) == {
        "cover.project_name": "城市绿地养护技术规范编制",
        "cover.commissioning_unit": "成都市林业和园林管理局",
        "cover.undertaking_unit": "成都市园林学会",
        "cover.coordinating_unit": "成都市科学技术协会",
    }
