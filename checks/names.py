"""Comparing names as read from a scan: OCR confuses punctuation, width and a character or two.

Unit names are compared after normalisation, by containment (a seal reads
``成都市科学技术协会`` around its rim and sometimes more; a member's unit may name a
department of the unit) or by similarity, so one misread character does not raise a finding.

>>> same_name("成都市科学技术协会", "成都市科学技木协会")
True
>>> same_name("成都市民政局", "成都市教育局")
False
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

DEFAULT_NAME_SIMILARITY = 0.8
DEFAULT_MIN_CONTAINED = 4  # a shorter name counts as contained only from this many characters
# Characters that carry no identity in a name: space, punctuation, brackets, dashes.
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise(text: str | None) -> str:
    """NFKC (full-width → half-width), lower-case, without spaces and punctuation."""
    if not text:
        return ""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text)).lower()


def similarity(a: str, b: str) -> float:
    """Best similarity of the shorter normalised name against any equal-length window of the longer."""
    a, b = normalise(a), normalise(b)
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    best = SequenceMatcher(None, a, b).ratio() if len(a) == len(b) else 0.0
    for start in range(len(b) - len(a) + 1):
        best = max(best, SequenceMatcher(None, a, b[start:start + len(a)]).ratio())
    return best


def same_name(a: str | None, b: str | None, threshold: float = DEFAULT_NAME_SIMILARITY) -> bool:
    """True when two names as read denote the same unit (containment or similarity ≥ threshold)."""
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return False
    short, long_ = sorted((na, nb), key=len)
    if short in long_ and len(short) >= min(len(long_), DEFAULT_MIN_CONTAINED):
        return True
    return similarity(na, nb) >= threshold


def ratio(a: str | None, b: str | None) -> float:
    """Similarity of two whole normalised texts (no containment): for fixed printed values."""
    na, nb = normalise(a), normalise(b)
    if na == nb:
        return 1.0
    return SequenceMatcher(None, na, nb).ratio()


def ring_start(read: str | None, name: str | None) -> str | None:
    """`read` (a seal's rim) started where it best matches `name`: a ring has no first
    character, and an unrolled strip may begin mid-name (`协会成都市科学技术`).

    >>> ring_start("协会成都市科学技术", "成都市科学技术协会")
    '成都市科学技术协会'
    """
    r = normalise(read)
    if not r or not name:
        return read
    turns = [r[k:] + r[:k] for k in range(len(r))]
    return max(turns, key=lambda t: (SequenceMatcher(None, t, normalise(name)).ratio(), t == r))


def lost_chars_only(read: str | None, name: str | None, least: float = 0.6) -> bool:
    """`read` is `name` with some characters lost and none changed (a seal's rim read where
    the ring or a signature hid a few), and keeps at least `least` of it.

    >>> lost_chars_only("成都市业和林管理局", "成都市林业和园林管理局")
    True
    >>> lost_chars_only("成都市学协会", "成都市科学技术协会")
    True
    >>> lost_chars_only("成都市科学技术局", "成都市科学技术协会")
    False
    """
    r, n = normalise(read), normalise(name)
    if not r or len(r) < least * len(n):
        return False
    it = iter(n)
    return all(ch in it for ch in r)
