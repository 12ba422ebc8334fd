"""Scan folder → documents: which files make up which document, in page order.

Grouping, per folder (walked recursively):
- a multi-page file (PDF, multi-frame TIFF) is one document;
- a folder holding only single-page images is one document (natural order: p2 before p10);
- single-page images loose among other documents (files or subfolders) are split into
  documents where a cover page starts a new one (a cheap cover test on a reduced copy);
- anything else (text, unknown, empty, undecodable) is a document of its own, so that it
  fails later with a reason instead of vanishing.

Hidden files and `truth/` folders (the sample generator's answers) are skipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from tasksheet.ingest.document import DocumentSource
from tasksheet.ingest.hashing import content_sha256, document_id
from tasksheet.ingest.load import sniff

SKIP_DIRS = {"truth"}
PAGE_IMAGE_KINDS = {"jpeg", "png", "bmp", "tiff"}
DEFAULT_COVER_SIDE = 1100  # px, long side of the copy used for the cover test

CoverTest = Callable[[Path], bool]


def natural_key(name: str) -> list[object]:
    """Sort key in which digit runs compare as numbers: p2 < p10.

    >>> sorted(["p10.jpg", "p2.jpg", "p1.jpg"], key=natural_key)
    ['p1.jpg', 'p2.jpg', 'p10.jpg']
    """
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def discover(scan_dir: Path, is_cover: CoverTest | None = None) -> list[DocumentSource]:
    """Every document under `scan_dir`, in natural path order.

    `is_cover` decides where loose page images split (default: `cover_test()`, which runs
    OCR on a reduced copy; it is only called for loose images).
    """
    root = Path(scan_dir)
    if not root.is_dir():
        return [_source(root.parent, [root])] if root.is_file() else []
    docs: list[DocumentSource] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted((d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS),
                         key=natural_key)
        paths = [Path(folder) / f for f in sorted(files, key=natural_key) if not f.startswith(".")]
        for group in group_folder(paths, is_cover, beside_others=bool(dirs)):
            docs.append(_source(root, group))
    return sorted(docs, key=lambda d: natural_key(d.sources[0]))


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
        form_page, _ = classify_page(page, tpl, eng)
        return form_page == tpl.pages[0].id

    return test
