"""E-mail hosts with a comma for a dot (`extract.normalize`)."""

from __future__ import annotations

import pytest
from tasksheet.extract.normalize import normalize


@pytest.mark.parametrize(("raw", "value"), [
    # fresh seed 5209 doc-0007 (grey scan): the writer typed a comma for the dot, and the
    # recogniser read the host's 1 as an l; the comma is the writer's (invalid_email), the l not
    ("tbtm100@l63,com", "tbtm100@163,com"),
    ("abc@foxmai1,com", "abc@foxmail,com"),
    ("abc@163,cOm", "abc@163,com"),
])
def test_a_comma_for_a_dot_still_parts_the_host_labels(raw: str, value: str) -> None:
    assert normalize("email", raw) == value
