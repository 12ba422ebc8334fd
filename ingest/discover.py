"""Scan folder → documents: which files make up which document, in page order.

Grouping, per folder (walked recursively):
- a multi-page file (PDF, multi-frame TIFF) is one document;
- a folder holding only single-page images is one document (natural order: p2 before p10);
- single-page images loose among other documents (files or subfolders) are split into
  documents where a cover page starts a new one (a cheap cover test on a reduced copy);
- anything else (text, unknown, empty, undecodable) is a document of its own, so that it
  fails later with a reason instead of vanishing.

Hidden files and `truth/` folders (the sample generator's answers) are skipped.

What is opened, and what is not (the batch never blocks and never stops on an entry):
- only regular files are read; a named pipe, a device or a socket is *skipped* with its
  reason (`Scan.skipped`: printed by `tasksheet run`, not stored);
- a symbolic link to a file is followed only when its target lies inside the scan folder;
  a link pointing outside is skipped with its reason; a link to a folder is never walked
  (inside, its folder is scanned where it is; outside, it is out of bounds): skipped too;
- an entry that cannot be read — a dangling link, a link loop, a file or folder without
  read permission, a file over the size limit — is an `UnreadableSource`: the batch stores
  it as a `failed` document with that reason (its id derives from its path, as it has no
  content to hash) and looks at it again on the next run.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tasksheet.ingest.document import DocumentSource
from tasksheet.ingest.hashing import content_sha256, document_id, kind_of, open_regular, printable
from tasksheet.ingest.load import Limits, sniff

SKIP_DIRS = {"truth"}
PAGE_IMAGE_KINDS = {"jpeg", "png", "bmp", "tiff"}
DEFAULT_COVER_SIDE = 1100  # px, long side of the copy used for the cover test

CoverTest = Callable[[Path], bool]


@dataclass
class UnreadableSource(DocumentSource):
    """An entry of the scan folder that cannot be read: a `failed` document with `reason`."""

    reason: str = ""


@dataclass(frozen=True)
class Skipped:
    """An entry that is not a document and is not read (a FIFO, a link leading outside)."""

    source: str  # path relative to the scan folder, printable
    reason: str


@dataclass
class Scan:
    """What a scan folder holds: its documents, and the entries skipped with their reason."""

    documents: list[DocumentSource] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def natural_key(name: str) -> list[object]:
    """Sort key in which digit runs compare as numbers: p2 < p10.

    >>> sorted(["p10.jpg", "p2.jpg", "p1.jpg"], key=natural_key)
    ['p1.jpg', 'p2.jpg', 'p10.jpg']
    """
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def discover(scan_dir: Path, is_cover: CoverTest | None = None,
             limits: Limits | None = None) -> list[DocumentSource]:
    """Every document under `scan_dir`, in natural path order (see `scan`)."""
    return scan(scan_dir, is_cover, limits).documents


def scan(scan_dir: Path, is_cover: CoverTest | None = None,
         limits: Limits | None = None) -> Scan:
    """Every document under `scan_dir`, in natural path order, and what was skipped.

    `is_cover` decides where loose page images split (default: `cover_test()`, which runs
    OCR on a reduced copy; it is only called for loose images). `limits` (default: from the
    environment) gives the file size over which a file is not even hashed.
    """
    limits = limits or Limits.from_env()
    root = Path(scan_dir)
    found = Scan()
    if not root.is_dir():  # one file named on the command line: read wherever it is
        if os.path.lexists(root):
            _entries(root.parent, [root], found, limits, inside=None, is_cover=is_cover)
        return found
    real_root = os.path.realpath(root)
    seen = {_key(os.stat(root))}
    folders = [root]
    while folders:
        folder = folders.pop(0)
        try:
            with os.scandir(folder) as it:
                names = sorted((e.name for e in it), key=natural_key)
        except OSError as exc:
            found.documents.append(unreadable(root, folder, f"cannot list folder ({_why(exc)})"))
            continue
        subdirs = _entries(root, [folder / n for n in names if not n.startswith(".")], found,
                           limits, inside=real_root, is_cover=is_cover, seen=seen)
        folders[:0] = subdirs  # depth first, in natural order, like os.walk
    found.documents.sort(key=lambda d: natural_key(d.sources[0]))
    return found


def _entries(root: Path, paths: list[Path], found: Scan, limits: Limits, inside: str | None,
             is_cover: CoverTest | None, seen: set[tuple[int, int]] | None = None) -> list[Path]:
    """Sort one folder's entries into documents, unreadable entries and skipped ones;
    return the subfolders to walk."""
    files: list[Path] = []
    subdirs: list[Path] = []
    for path in paths:
        rel = _rel(root, path)
        try:
            link = path.is_symlink()
            st = os.stat(path)  # through the link
        except OSError as exc:
            found.documents.append(unreadable(root, path, _link_reason(exc) if link
                                              else f"cannot read ({_why(exc)})"))
            continue
        if link and inside is not None and not _within(os.path.realpath(path), inside):
            found.skipped.append(Skipped(rel, "symbolic link to a place outside the scan "
                                              "folder: not followed"))
            continue
        if stat.S_ISDIR(st.st_mode):
            if path.name in SKIP_DIRS or seen is None:
                continue
            if link:
                found.skipped.append(Skipped(rel, "symbolic link to a folder inside the scan "
                                                  "folder: not walked (its files are read "
                                                  "where they are)"))
                continue
            if _key(st) in seen:
                found.skipped.append(Skipped(rel, "folder already scanned through another "
                                                  "path (symbolic link): not walked again"))
                continue
            seen.add(_key(st))
            subdirs.append(path)
        elif not stat.S_ISREG(st.st_mode):
            found.skipped.append(Skipped(rel, f"{kind_of(st.st_mode)}, not a regular file: "
                                              "not read"))
        elif st.st_size > limits.max_file_bytes:
            found.documents.append(unreadable(
                root, path, f"file too large ({st.st_size / 1e6:,.1f} MB, over the "
                            f"{limits.max_file_mb:g} MB limit)"))
        else:
            try:
                open_regular(path).close()
            except OSError as exc:
                found.documents.append(unreadable(root, path, f"cannot read file ({_why(exc)})"))
                continue
            files.append(path)
    for group in group_folder(files, is_cover, beside_others=bool(subdirs)):
        try:
            found.documents.append(_source(root, group))
        except OSError as exc:  # changed under our feet between the checks and the hash
            found.documents.append(unreadable(root, group[0], f"cannot read file ({_why(exc)})",
                                              group))
    return subdirs


def unreadable(root: Path, path: Path, reason: str,
               paths: list[Path] | None = None) -> UnreadableSource:
    """A failed document for an entry that cannot be read; its id derives from its place."""
    paths = paths or [path]
    sources = [_rel(root, p, raw=True) for p in paths]
    where = "\0".join([os.path.abspath(root), *sources])
    sha = hashlib.sha256(b"tasksheet unreadable entry\0"
                         + where.encode("utf-8", "surrogateescape")).hexdigest()
    return UnreadableSource(id=document_id(sha), sha256=sha, root=root, paths=paths,
                            sources=sources, reason=f"{printable(sources[0])}: {reason}")


def _rel(root: Path, path: Path, raw: bool = False) -> str:
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = path.as_posix()
    return rel if raw else printable(rel)


def _key(st: os.stat_result) -> tuple[int, int]:
    return st.st_dev, st.st_ino


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _why(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return exc.strerror or str(exc) or type(exc).__name__


def _link_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop: the link leads back to itself"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "dangling symbolic link: its target does not exist"
    return f"symbolic link cannot be followed ({_why(exc)})"


def group_folder(paths: list[Path], is_cover: CoverTest | None = None,
                 beside_others: bool = False) -> list[list[Path]]:
    """The files of one folder (already in natural order) grouped into documents.

    `beside_others`: the folder also holds documents in subfolders, so its page images
    are loose pages rather than one document's pages.
    """
    kinds = [_kind(p) for p in paths]
    pages = [p for p, k in zip(paths, kinds, strict=True) if k == "page"]
    singles = [[p] for p, k in zip(paths, kinds, strict=True) if k != "page"]
    if not pages:
        return singles
    if not singles and not beside_others:
        return [pages]
    test = is_cover or cover_test()
    groups: list[list[Path]] = []
    for p in pages:
        verdict = _safe_cover(test, p)
        if verdict is None:  # undecodable: its own document, so it cannot spoil a good one
            groups.append([p])
            groups.append([])
            continue
        if verdict or not groups:
            groups.append([p])
        else:
            groups[-1].append(p)
    return [g for g in groups if g] + singles


def _safe_cover(test: CoverTest, path: Path) -> bool | None:
    try:
        return bool(test(path))
    except Exception:
        return None


def _kind(path: Path) -> str:
    """'page' for a single-page image, 'file' for anything that is a document by itself."""
    try:
        kind = sniff(path)
    except OSError:
        return "file"
    if kind not in PAGE_IMAGE_KINDS:
        return "file"
    if kind == "tiff":
        from PIL import Image

        try:
            with Image.open(path) as im:
                return "file" if getattr(im, "n_frames", 1) > 1 else "page"
        except Exception:
            return "file"
    return "page"


def _source(root: Path, paths: list[Path]) -> DocumentSource:
    sha = content_sha256(paths)
    return DocumentSource(id=document_id(sha), sha256=sha, root=root, paths=paths,
                          sources=[p.relative_to(root).as_posix() for p in paths])


def cover_test(engine=None, template=None) -> CoverTest:
    """A cover-page test: load the image small, normalise, classify; True for `cover`.

    Raises (so the caller can keep the file apart) when the image cannot be decoded.
    """

    def test(path: Path) -> bool:
        import cv2
        from tasksheet.extract.ocr import get_engine
        from tasksheet.ingest.classify import classify_page
        from tasksheet.ingest.document import DocumentSource as _Src
        from tasksheet.ingest.load import load_pages
        from tasksheet.ingest.normalize import normalise
        from tasksheet.schemas.template import load_template

        eng = engine or get_engine()
        tpl = template or load_template()
        src = _Src(id="", sha256="", root=path.parent, paths=[path], sources=[path.name])
        raw = next(iter(load_pages(src)))
        h, w = raw.image.shape[:2]
        f = DEFAULT_COVER_SIDE / max(h, w)
        if f < 1:
            raw.image = cv2.resize(raw.image, (round(w * f), round(h * f)),
                                   interpolation=cv2.INTER_AREA)
            raw.dpi *= f
        page = normalise(raw, eng)
        form_page, _ = classify_page(page, tpl, eng, outline=False)  # no reader sees it
        return form_page == tpl.pages[0].id

    return test
