"""What one document may cost: pages, bytes, pixels — each a failed document with its reason,
found before the pages are decoded; pages streamed, never all held; no file read whole."""

from __future__ import annotations

import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT
from helpers.synth import write_image, write_scanned_pdf
from PIL import Image
from tasksheet.ingest.document import DocumentSource
from tasksheet.ingest.load import Limits, load_pages
from tasksheet.schemas.errors import DocumentError, TasksheetError


def many_page_tiff(path: Path, pages: int, w: int, h: int) -> Path:
    """A valid bilevel TIFF of `pages` white w×h pages whose IFDs share one strip: a
    500-page A4 scan in 0.5 MB, written in a millisecond."""
    strip = bytes((w + 7) // 8 * h)  # WhiteIsZero: zeros are white
    out = bytearray(b"II*\x00\x00\x00\x00\x00") + strip
    out += b"\x00" * (len(out) % 2)
    struct.pack_into("<I", out, 4, len(out))
    entries = [(256, 4, w), (257, 4, h), (258, 3, 1), (259, 3, 1), (262, 3, 0),
               (273, 4, 8), (278, 4, h), (279, 4, len(strip))]
    for i in range(pages):
        nxt = 0 if i == pages - 1 else len(out) + 2 + 12 * len(entries) + 4
        out += struct.pack("<H", len(entries))
        for tag, typ, val in entries:
            out += struct.pack("<HHI", tag, typ, 1)
            out += struct.pack("<HH", val, 0) if typ == 3 else struct.pack("<I", val)
        out += struct.pack("<I", nxt)
    path.write_bytes(bytes(out))
    return path


def _src(*paths: Path) -> DocumentSource:
    return DocumentSource(id="0" * 16, sha256="0" * 64, root=paths[0].parent, paths=list(paths),
                          sources=[p.name for p in paths])


def _error(src: DocumentSource, **kw) -> str:
    with pytest.raises(DocumentError) as err:
        list(load_pages(src, **kw))
    return str(err.value)


def test_limits_are_settings() -> None:
    assert Limits() == Limits(max_pages=50, max_file_mb=500, max_pixels=60_000_000)
    env = {"TASKSHEET_MAX_PAGES": "12", "TASKSHEET_MAX_FILE_MB": "2.5",
           "TASKSHEET_MAX_PIXELS": "1_000_000"}
    assert Limits.from_env(env) == Limits(max_pages=12, max_file_mb=2.5, max_pixels=1_000_000)
    assert Limits.from_env(Limits(max_pages=3).env()) == Limits(max_pages=3)
    with pytest.raises(TasksheetError, match="TASKSHEET_MAX_PAGES='many' is not a number"):
        Limits.from_env({"TASKSHEET_MAX_PAGES": "many"})
    with pytest.raises(TasksheetError, match="limit max_pages must be positive, not 0"):
        Limits(max_pages=0)


def test_500_page_tiff_is_refused_before_any_page_is_decoded(tmp_path: Path,
                                                             monkeypatch) -> None:
    import tasksheet.ingest.load as load

    tif = many_page_tiff(tmp_path / "t500.tif", 500, 1654, 2339)
    assert tif.stat().st_size < 600_000
    decoded: list[int] = []
    real = load._to_bgr
    monkeypatch.setattr(load, "_to_bgr", lambda im: decoded.append(1) or real(im))
    assert _error(_src(tif)) == ("t500.tif: too many pages (more than 50; the limit is 50 "
                                 "pages per document)")
    assert decoded == []
    assert _error(_src(tif), limits=Limits(max_pages=499)) == (
        "t500.tif: too many pages (more than 499; the limit is 499 pages per document)")
    assert decoded == []


def test_pages_are_streamed_with_memory_independent_of_their_number(tmp_path: Path) -> None:
    """500 pages of 827×1170 (2.9 MB each as BGR, 1.45 GB if all were held) read under a
    raised page limit: the process's peak memory grows by a few pages' worth only."""
    tif = many_page_tiff(tmp_path / "t500.tif", 500, 827, 1170)
    code = textwrap.dedent(f"""
        import resource
        from pathlib import Path
        from tasksheet.ingest.document import DocumentSource
        from tasksheet.ingest.load import Limits, load_pages
        p = Path({str(tif)!r})
        src = DocumentSource(id="x", sha256="x", root=p.parent, paths=[p], sources=[p.name])
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        n = sum(1 for _ in load_pages(src, limits=Limits(max_pages=1000)))
        grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        print(n, grew // 1024)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    pages, grew_mb = map(int, done.stdout.split())
    assert pages == 500
    assert grew_mb < 100, f"peak memory grew by {grew_mb} MB over 500 pages"


def test_page_limit_counts_every_file_of_the_document(tmp_path: Path) -> None:
    page = np.full((60, 40, 3), 255, np.uint8)
    paths = [write_image(tmp_path / f"p{i}.png", page) or tmp_path / f"p{i}.png"
             for i in range(1, 5)]
    assert len(list(load_pages(_src(*paths), limits=Limits(max_pages=4)))) == 4
    assert _error(_src(*paths), limits=Limits(max_pages=3)) == (
        "p4.png: too many pages (more than 3; the limit is 3 pages per document)")


def test_pdf_over_the_page_limit(tmp_path: Path) -> None:
    pdf = tmp_path / "long.pdf"
    write_scanned_pdf(pdf, [np.full((80, 60, 3), 255, np.uint8)] * 3)
    assert _error(_src(pdf), limits=Limits(max_pages=2)) == (
        "long.pdf: too many pages (3; the limit is 2 pages per document)")
    first = tmp_path / "a.png"
    write_image(first, np.full((60, 40, 3), 255, np.uint8))
    assert _error(_src(first, pdf), limits=Limits(max_pages=3)) == (
        "long.pdf: too many pages (at least 4; the limit is 3 pages per document)")


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    write_image(big, np.random.default_rng(1).integers(0, 255, (400, 400, 3), np.uint8))
    size = big.stat().st_size
    assert size > 100_000
    assert _error(_src(big), limits=Limits(max_file_mb=0.1)) == (
        f"big.png: file too large ({size / 1e6:.1f} MB, over the 0.1 MB limit)")


def test_pixel_limit_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    p = tmp_path / "page.png"
    write_image(p, np.full((300, 200, 3), 255, np.uint8))
    monkeypatch.setenv("TASKSHEET_MAX_PIXELS", "50000")
    assert _error(_src(p)) == ("page.png: image too large (200×300 pixels, over the 50,000 "
                               "pixel limit; possible decompression bomb)")


def test_a_huge_junk_file_is_never_read_whole(tmp_path: Path) -> None:
    """A 1 GB file of junk named .pdf, under a raised size limit: told apart from its first
    bytes, with the process's memory barely moving (it used to read all of it)."""
    junk = tmp_path / "junk.pdf"
    with open(junk, "wb") as fh:
        fh.write(b"\x00\xff\xfe" * 100)
        fh.truncate(1_000_000_000)  # sparse: no disk used
    code = textwrap.dedent(f"""
        import resource
        from pathlib import Path
        from tasksheet.ingest.document import DocumentSource
        from tasksheet.ingest.load import Limits, load_pages
        p = Path({str(junk)!r})
        src = DocumentSource(id="x", sha256="x", root=p.parent, paths=[p], sources=[p.name])
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            list(load_pages(src, limits=Limits(max_file_mb=2000)))
        except Exception as exc:
            print(exc)
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    reason, grew_mb = done.stdout.splitlines()
    assert reason == ("junk.pdf: not a PDF or image file (named .pdf, content is "
                      "unrecognised binary data)")
    assert int(grew_mb) < 50


def test_truncated_multipage_tiff_names_its_file_and_page(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    frames = [Image.fromarray(rng.integers(0, 255, (300, 200), np.uint8)) for _ in range(4)]
    good = tmp_path / "m.tif"
    frames[0].save(good, save_all=True, append_images=frames[1:])
    cut = tmp_path / "cut.tif"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert _error(_src(cut)) == "cut.tif: corrupt TIFF (page 3: Missing dimensions)"


def test_reasons_are_one_printable_line(tmp_path: Path) -> None:
    p = tmp_path / "a.jpg\nb\x1b[31m.pdf"
    p.write_text("not a scan", encoding="utf-8")
    assert _error(_src(p)) == ("a.jpg?b?[31m.pdf: not a PDF or image file (named .pdf, "
                               "content is text)")


def test_fifo_is_never_opened_by_load(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "scan.pdf"
    os.mkfifo(fifo)
    assert _error(_src(fifo)) == "scan.pdf: a named pipe (FIFO), not a regular file: not read"
