"""Document identity from content, and the safe way to touch a scan folder's files.

A document's identity is derived from the content of its files, never from their names.
Every read of a scanned file goes through `open_regular`: it opens without blocking and
refuses anything but a regular file, so a named pipe, a device or a socket that carries a
scan's name can never hang or flood the run; files are then read in bounded pieces.
Text that leaves the program through these helpers too: `printable` is how a file name
(or a reason naming one) is shown, control characters and text-direction overrides as `?`
(as `ls` shows them); `spreadsheet_safe` is how a CSV cell is written, a leading `= + - @`,
tab or carriage return neutralised by a single quote (OWASP's advice against formula
injection), since a file name or a value read from a scan may begin with one.

>>> document_id("ab" * 32)
'abababababababab'
>>> printable("scan\\x1b]52;c;AAAA\\x07.pdf")
'scan?]52;c;AAAA?.pdf'
>>> printable("a.jpg\\nb.jpg"), printable("电话 028-8888")
('a.jpg?b.jpg', '电话 028-8888')
>>> spreadsheet_safe("=1+2"), spreadsheet_safe("@SUM(A1)"), spreadsheet_safe("028-86661234")
("'=1+2", "'@SUM(A1)", '028-86661234')
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

CHUNK = 1 << 20
# Text-direction controls (Trojan Source): they reorder what the terminal shows.
_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


class NotRegularFile(OSError):
    """The path is a named pipe, a device, a socket or a folder: it is never read."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words.

    >>> kind_of(stat.S_IFIFO), kind_of(stat.S_IFREG)
    ('a named pipe (FIFO)', 'a regular file')
    """
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_regular(path: Path | str) -> BinaryIO:
    """Open a regular file for reading, never blocking; anything else raises.

    `O_NONBLOCK` makes opening a FIFO return at once (instead of waiting for a writer);
    the opened descriptor is then checked, so what was swapped in after a `stat` is caught
    too. Raises `NotRegularFile`, or the OSError of the open (PermissionError, ELOOP, …).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(f"{kind_of(mode)}, not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_head(path: Path | str, size: int) -> bytes:
    """The first `size` bytes of a regular file (one bounded read)."""
    with open_regular(path) as fh:
        return fh.read(size)


def contains(path: Path | str, needle: bytes) -> bool:
    """Whether the file holds `needle`, read in bounded pieces (never whole).

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "x"
    >>> _ = p.write_bytes(b"x" * (CHUNK - 3) + b"/Encrypt" + b"y" * 10)
    >>> contains(p, b"/Encrypt"), contains(p, b"/Nope")
    (True, False)
    """
    keep = len(needle) - 1
    tail = b""
    with open_regular(path) as fh:
        while chunk := fh.read(CHUNK):
            if needle in tail + chunk:
                return True
            tail = chunk[-keep:] if keep else b""
    return False


def content_sha256(paths: Iterable[Path]) -> str:
    """SHA-256 over the bytes of every file, in the document's page order."""
    h = hashlib.sha256()
    for path in paths:
        with open_regular(path) as fh:
            while chunk := fh.read(CHUNK):
                h.update(chunk)
    return h.hexdigest()


def document_id(sha256: str) -> str:
    """The stable document id: the first 16 hex digits of its content hash."""
    return sha256[:16]


def printable(text: str) -> str:
    """`text` safe for a terminal or a one-line reason: each control character (C0, DEL,
    C1: escape sequences, newlines, tabs) and text-direction override becomes `?`."""
    return "".join("?" if (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or ord(c) in _BIDI) else c
                   for c in text)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula: a text beginning with = + - @, tab
    or carriage return gets a leading `'`; anything else (numbers too) is left as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@contextmanager
def atomic_text(path: Path, encoding: str = "utf-8-sig") -> Iterator[TextIO]:
    """Write `path` under a temporary name in its folder, flushed to disk and renamed over
    `path` once all is written; on any error the temporary file goes and `path` is as it
    was. (UTF-8 with a BOM by default, as Excel wants.)"""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding=encoding, newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
