"""其他's blank ends its cell (`其他，____`, nothing printed after it): where the hand's fill
runs on past the table's ruling, the underline runs on under it, and the fill is read as
far as the underline goes (readers.checkboxes). Seed 6143 doc-0002 (colour): `单位自有资金`
with 金 past the ruling read `单位自有资`."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import ImageDraw, ImageFont

from tests.readers.test_checkbox_groups import FONT, TH, _funding_nature_line, read_group


@pytest.mark.parametrize("past", [True, False], ids=["past-the-ruling", "inside"])
def test_a_fill_run_past_the_tables_ruling_is_read_whole(past: bool) -> None:
    img, x, y = _funding_nature_line("□", 7)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, TH)
    d.text((x + TH // 2, y), "单位自有资金", fill=(40, 40, 120), font=font)
    # the table's right ruling: through 金's left side, or clear of the fill
    edge = x + TH // 2 + round(font.getlength("单位自有资")) + 1 if past else x + 8 * TH
    d.line([(edge, 0), (edge, img.height)], fill="black", width=2)
    image = np.ascontiguousarray(np.array(img)[:, :, ::-1])
    h = image.shape[0]
    spec, result = read_group(image, "commissioning.funding_nature", box=(2, 2, edge - 1, h - 2))
    assert result.readings[f"{spec.id}.other_text"].value == "单位自有资金"
