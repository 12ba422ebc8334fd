"""The cover's units read from a cover laid out as a table (readers.cover): a punched hole
left of a label and the end of a tilted rule right of a value are neither label nor value."""

from __future__ import annotations

from helpers.saved import saved_cover


def test_units_of_a_table_cover_with_a_hole_and_a_rule_end() -> None:
    """Seed 8527 doc-0010 (paged, colour scan at 240 dpi), the normalised cover's lower part
    (`cover-colour-table-hole-rule-end.jpg`): a punched hole level with `承接单位：` was read
    `O`, its row's first line, so the label was not found; the commissioning unit then ran
    down to the coordinating label (`成都市防震减灾局成都市防震减灾学会`) and the undertaking
    unit was blank. The table's bottom rule, turned against the text, ends in a low stroke
    right of the last value, read `1`: `成都市科学技术协会1`."""
    assert saved_cover("cover-colour-table-hole-rule-end.jpg", dpi=240) == {
        "cover.project_name": "防震减灾科普宣传培训",
        "cover.commissioning_unit": "成都市防震减灾局",
        "cover.undertaking_unit": "成都市防震减灾学会",
        "cover.coordinating_unit": "成都市科学技术协会",
    }


def test_month_when_the_years_first_glyphs_are_lost() -> None:
    """Seed 8527 doc-0005 (a PDF of scans), the normalised cover's foot
    (`cover-pdf-year-head-lost.jpg`): `二〇一八年 7 月` read `一八年7月`, its `二〇` lost, so
    the printed line was not found and the month was blank."""
    assert saved_cover("cover-pdf-year-head-lost.jpg", dpi=150, month=True) == {"cover.month": "7"}
