"""Dates whose month was not read (`extract.normalize.month_lost`)."""

from __future__ import annotations

import pytest
from tasksheet.extract.normalize import month_lost


@pytest.mark.parametrize(("value", "lost"), [
    ("2018年月16日", True),  # a seal's star over the month (seed 6143 doc-0011)
    ("2018年 月16日", True),
    ("2018年二月23日", True),  # a 5 half under a ring read 二 (seed 6143 doc-0003)
    ("2018年5月23日", False),
    ("2018年12月3日", False),
    ("二〇一八年五月二十三日", False),  # written in Chinese numerals throughout
    ("年5月11日", False),  # the year hidden: the form's is taken (`readers.opinions`)
    ("2018-05-23", False),
    ("2018.5.23", False),
    (None, False),
])
def test_month_lost(value: str | None, lost: bool) -> None:
    assert month_lost(value) is lost
