"""The scan inbox as it comes: discovery never blocks, never stops, never reads outside.

Only regular files are opened: a FIFO, a device or a socket is *skipped* with its reason
(`Scan.skipped`, printed by `tasksheet run`); a symbolic link is followed to a file inside
the scan folder only; a dangling link, a link loop, a file or folder that cannot be read and
a file over the size limit are *failed documents* with their reason.
"""

from __future__ import annotations

import importlib
import os
import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tasksheet.ingest.discover import Skipped, UnreadableSource, discover, scan
from tasksheet.ingest.hashing import content_sha256, document_id
from tasksheet.ingest.load import Limits

# (`tasksheet.ingest.discover` the attribute is the function: the package re-exports it)
discover_mod = importlib.import_module("tasksheet.ingest.discover")
NO_COVER = {"is_cover": lambda p: False}
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


class Blocked(BaseException):
    """Raised by the deadline: no `except OSError` or `except Exception` swallows it."""


@pytest.fixture(autouse=True)
def deadline() -> Iterator[None]:
    """A test that blocks (on a FIFO) fails after 20 s instead of hanging the suite."""
    def boom(*_: object) -> None:
        raise Blocked("discovery opened something that never answers")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _reasons(found) -> dict[str, str]:
    return {d.sources[0]: d.reason for d in found.documents if isinstance(d, UnreadableSource)}


def _skipped(found) -> dict[str, str]:
    return {s.source: s.reason for s in found.skipped}


def test_fifo_device_and_socket_are_skipped_without_being_opened(tmp_path: Path) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "good.txt").write_text("一份文件", encoding="utf-8")
    os.mkfifo(scans / "scan0001.pdf")  # opened for reading, this would wait for a writer
    (scans / "zero.pdf").symlink_to("/dev/zero")  # read whole, this would never end
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(scans / "scanner.sock"))
        found = scan(scans, **NO_COVER)
    finally:
        sock.close()
    assert [d.sources for d in found.documents] == [["good.txt"]]
    assert _skipped(found) == {
        "scan0001.pdf": "a named pipe (FIFO), not a regular file: not read",
        "scanner.sock": "a socket, not a regular file: not read",
        "zero.pdf": "symbolic link to a place outside the scan folder: not followed",
    }


def test_a_device_inside_the_folder_is_skipped(tmp_path: Path) -> None:
    # a link to a device that resolves inside the folder is impossible to make unprivileged;
    # the file-type check is the same one, met through a FIFO reached by an inside link
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "a.pdf").symlink_to("pipe")
    found = scan(tmp_path, **NO_COVER)
    assert found.documents == []
    assert _skipped(found) == {"a.pdf": "a named pipe (FIFO), not a regular file: not read",
                               "pipe": "a named pipe (FIFO), not a regular file: not read"}


def test_one_fifo_named_on_the_command_line_is_skipped(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "scan.pdf")
    found = scan(tmp_path / "scan.pdf")
    assert found.documents == []
    assert found.skipped == [Skipped("scan.pdf", "a named pipe (FIFO), not a regular file: "
                                                 "not read")]


def test_link_loop_and_dangling_link_are_failed_documents(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("x", encoding="utf-8")
    (tmp_path / "loop.pdf").symlink_to("loop.pdf")
    (tmp_path / "a.pdf").symlink_to("b.pdf")
    (tmp_path / "b.pdf").symlink_to("a.pdf")
    (tmp_path / "gone.pdf").symlink_to("nowhere/scan.pdf")
    found = scan(tmp_path, **NO_COVER)
    assert [d.sources[0] for d in found.documents] == ["a.pdf", "b.pdf", "gone.pdf", "good.txt",
                                                       "loop.pdf"]
    assert _reasons(found) == {
        "a.pdf": "a.pdf: symbolic link loop: the link leads back to itself",
        "b.pdf": "b.pdf: symbolic link loop: the link leads back to itself",
        "gone.pdf": "gone.pdf: dangling symbolic link: its target does not exist",
        "loop.pdf": "loop.pdf: symbolic link loop: the link leads back to itself",
    }
    # no content: the id comes from the place, the same on every run, distinct per entry
    again = scan(tmp_path, **NO_COVER)
    assert [d.id for d in again.documents] == [d.id for d in found.documents]
    assert len({d.id for d in found.documents}) == 5
    assert all(len(d.id) == 16 and len(d.sha256) == 64 for d in found.documents)


def test_links_are_followed_only_to_files_inside_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    scans = tmp_path / "scans"
    (scans / "sub").mkdir(parents=True)
    (scans / "sub" / "one.txt").write_text("一", encoding="utf-8")
    (scans / "inside.txt").symlink_to("sub/one.txt")
    (scans / "outside.pdf").symlink_to(outside / "secret.pdf")
    (scans / "escape.pdf").symlink_to("../elsewhere/secret.pdf")  # relative, still outside
    (scans / "outdir").symlink_to(outside)
    (scans / "subdir").symlink_to("sub")
    (scans / "sub" / "up").symlink_to("..")
    found = scan(scans, **NO_COVER)
    assert [d.sources for d in found.documents] == [["inside.txt"], ["sub/one.txt"]]
    assert found.documents[0].paths == [scans / "inside.txt"]
    assert found.documents[0].sha256 == content_sha256([scans / "sub" / "one.txt"])
    folder_inside = ("symbolic link to a folder inside the scan folder: not walked (its files "
                     "are read where they are)")
    outside_reason = "symbolic link to a place outside the scan folder: not followed"
    assert _skipped(found) == {"escape.pdf": outside_reason, "outdir": outside_reason,
                               "outside.pdf": outside_reason, "subdir": folder_inside,
                               "sub/up": folder_inside}


def test_scan_folder_reached_through_a_link_is_walked(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "link").symlink_to("real")
    found = scan(tmp_path / "link", **NO_COVER)
    assert [d.sources for d in found.documents] == [["a.txt"]]
    assert found.skipped == []


def test_unreadable_file_is_a_failed_document(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "good.txt").write_text("x", encoding="utf-8")
    (tmp_path / "locked.pdf").write_bytes(b"%PDF-1.4")
    real_open = discover_mod.open_regular

    def refuse(path):  # what chmod 000 does to anyone but root
        if Path(path).name == "locked.pdf":
            raise PermissionError(13, "Permission denied")
        return real_open(path)

    monkeypatch.setattr(discover_mod, "open_regular", refuse)
    found = scan(tmp_path, **NO_COVER)
    assert [d.sources for d in found.documents] == [["good.txt"], ["locked.pdf"]]
    assert _reasons(found) == {"locked.pdf": "locked.pdf: cannot read file (Permission denied)"}


@pytest.mark.skipif(AS_ROOT, reason="root reads a chmod 000 file")
def test_chmod_000_file_and_folder(tmp_path: Path) -> None:
    (tmp_path / "locked.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "closed").mkdir()
    (tmp_path / "locked.pdf").chmod(0)
    (tmp_path / "closed").chmod(0)
    try:
        found = scan(tmp_path, **NO_COVER)
    finally:
        (tmp_path / "locked.pdf").chmod(0o644)
        (tmp_path / "closed").chmod(0o755)
    assert _reasons(found) == {"closed": "closed: cannot list folder (Permission denied)",
                               "locked.pdf": "locked.pdf: cannot read file (Permission denied)"}


def test_unlistable_folder_is_a_failed_document(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "closed").mkdir()
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.txt").write_text("a", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "closed":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(discover_mod.os, "scandir", scandir)
    found = scan(tmp_path, **NO_COVER)
    assert [d.sources for d in found.documents] == [["closed"], ["open/a.txt"]]
    assert _reasons(found) == {"closed": "closed: cannot list folder (Permission denied)"}


def test_file_over_the_size_limit_is_not_read(tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "huge.pdf"
    with open(big, "wb") as fh:
        fh.truncate(3_000_000)  # sparse: costs no disk
    (tmp_path / "small.txt").write_text("x", encoding="utf-8")
    hashed: list[str] = []
    real_hash = discover_mod.content_sha256
    monkeypatch.setattr(discover_mod, "content_sha256",
                        lambda paths: hashed.extend(p.name for p in paths) or real_hash(paths))
    found = scan(tmp_path, limits=Limits(max_file_mb=2), **NO_COVER)
    assert _reasons(found) == {"huge.pdf": "huge.pdf: file too large (3.0 MB, over the 2 MB "
                                           "limit)"}
    assert hashed == ["small.txt"]  # the big one was never read, not even to hash it


def test_names_with_control_characters(tmp_path: Path) -> None:
    """A newline in a name: its own document, its reason one printable line."""
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "a.txt\nb.txt").symlink_to("missing")
    (tmp_path / "\x1b]52;c;SGVsbG8=\x07.pdf").symlink_to("missing")
    found = scan(tmp_path, **NO_COVER)
    reasons = _reasons(found)
    assert reasons == {
        "\x1b]52;c;SGVsbG8=\x07.pdf": "?]52;c;SGVsbG8=?.pdf: dangling symbolic link: its "
                                      "target does not exist",
        "a.txt\nb.txt": "a.txt?b.txt: dangling symbolic link: its target does not exist"}


def test_discover_still_returns_the_documents(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    os.mkfifo(tmp_path / "p.pdf")
    docs = discover(tmp_path, **NO_COVER)
    sha = content_sha256([tmp_path / "a.txt"])
    assert [(d.sources, d.id) for d in docs] == [(["a.txt"], document_id(sha))]


@pytest.mark.skipif(sys.platform != "linux", reason="Linux file types")
def test_hidden_and_truth_entries_are_not_even_looked_at(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / ".hidden.pdf")
    (tmp_path / "truth").mkdir()
    os.mkfifo(tmp_path / "truth" / "x.pdf")
    found = scan(tmp_path, **NO_COVER)
    assert (found.documents, found.skipped) == ([], [])
