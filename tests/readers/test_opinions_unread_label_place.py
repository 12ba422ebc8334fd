"""A block's signature written over its label, the label not read: the place is looked
for under the opinion's last line, not from a third of the block down."""

from __future__ import annotations

import pytest
from helpers.saved import saved_opinions


@pytest.mark.parametrize(("name", "party", "scale", "dpi", "index"), [
    # re-captured wp-03, photo: the undertaking block; the name at y 815-890 (of the page)
    # over 负责人（签字）, a third of the way down is y 903, under it
    ("opinions-photo-pen-over-unread-label.png", "undertaking", (3.0, 33.0, 3.0), 240.0, 5),
    # re-captured wp-05, grey scan: the coordinating block; the name at y 242-292 over its
    # label, a third of the way down is y 284, through its foot
    ("opinions-grey-pen-over-unread-label.png", "coordinating", (3.0, 26.0, 4.0), 150.1, 6),
])
def test_signed_over_an_unread_label(monkeypatch, name, party, scale, dpi, index) -> None:
    """Both blocks as normalised (`tests/data/<name>`, the scale their whole page measured):
    the signature label's row was not read (the pen over it), and a place from a third of
    the way down to the date row held no pen: a false missing_signature."""
    _, result = saved_opinions(monkeypatch, name, scale=scale, dpi=dpi, index=index)
    assert result.readings[f"opinions.{party}.signed"].value is True
