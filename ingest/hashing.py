"""Document identity: derived from the content of its files, never from their names.

>>> document_id("ab" * 32)
'abababababababab'
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

CHUNK = 1 << 20


def content_sha256(paths: Iterable[Path]) -> str:
    """SHA-256 over the bytes of every file, in the document's page order."""
    h = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                h.update(chunk)
    return h.hexdigest()


def document_id(sha256: str) -> str:
    """The stable document id: the first 16 hex digits of its content hash."""
    return sha256[:16]
