"""Discovery: which files make up which document, in what order, under which id."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from helpers.synth import form_page, scan, write_image, write_scanned_pdf
from PIL import Image
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest.discover import cover_test, discover, natural_key
from tasksheet.ingest.hashing import content_sha256, document_id


def _tiny(tag: int) -> np.ndarray:
    img = np.full((60, 40, 3), 255, np.uint8)
    img[10:20, 5 : 5 + tag % 30] = 0  # distinct content, distinct hash
    return img


def test_page_folder_multipage_tiff_and_singles(tmp_path: Path) -> None:
    folder = tmp_path / "batch" / "doc-0002"
    folder.mkdir(parents=True)
    for i in range(12, 0, -1):
        write_image(folder / f"p{i}.jpg", _tiny(i))
    tif = tmp_path / "batch" / "doc-0003.tif"
    frames = [Image.fromarray(_tiny(i)) for i in range(3)]
    frames[0].save(tif, save_all=True, append_images=frames[1:])
    write_scanned_pdf(tmp_path / "batch" / "doc-0001.pdf", [_tiny(1)])
    (tmp_path / "batch" / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "batch" / ".DS_Store").write_bytes(b"junk")
    (tmp_path / "batch" / "truth").mkdir()
    (tmp_path / "batch" / "truth" / "doc-0001.json").write_text("{}", encoding="utf-8")

    docs = discover(tmp_path / "batch", is_cover=lambda p: False)
    assert [d.sources[0] for d in docs] == ["doc-0001.pdf", "doc-0002/p1.jpg", "doc-0003.tif",
                                            "notes.txt"]
    pages = docs[1]
    assert pages.sources == [f"doc-0002/p{i}.jpg" for i in range(1, 13)]  # p2 before p10
    assert pages.sha256 == content_sha256(pages.paths) and pages.id == document_id(pages.sha256)
    assert docs[2].paths == [tif] and docs[0].root == tmp_path / "batch"
    # ids come from content: the same files elsewhere have the same id
    again = discover(folder)
    assert len(again) == 1 and again[0].id == pages.id and again[0].sources[0] == "p1.jpg"


def test_loose_pages_split_at_covers(tmp_path: Path) -> None:
    names = ["scan-01", "scan-02", "scan-03", "scan-04", "scan-05"]
    covers = {"scan-01", "scan-04"}
    for i, n in enumerate(names):
        write_image(tmp_path / f"{n}.png", _tiny(i + 3))
    write_scanned_pdf(tmp_path / "other.pdf", [_tiny(9)])
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 10)
    docs = discover(tmp_path, is_cover=lambda p: p.stem in covers)
    groups = sorted(d.sources for d in docs)
    assert groups == [["broken.jpg"], ["other.pdf"],
                      ["scan-01.png", "scan-02.png", "scan-03.png"],
                      ["scan-04.png", "scan-05.png"]]


def test_cover_test_on_real_pages(tmp_path: Path) -> None:
    test = cover_test(get_engine())
    for pid, quarter in (("cover", 180), ("basic_info", 0), ("members", 90)):
        p = tmp_path / f"{pid}.jpg"
        write_image(p, scan(form_page(pid), angle=2, quarter=quarter))
        assert test(p) == (pid == "cover"), pid


def test_natural_key() -> None:
    assert sorted(["p10", "p9", "P1"], key=natural_key) == ["P1", "p9", "p10"]


def test_loose_pages_beside_a_subfolder_are_split(tmp_path: Path) -> None:
    (tmp_path / "doc-0002").mkdir()
    write_image(tmp_path / "doc-0002" / "p1.jpg", _tiny(1))
    for i in range(1, 5):
        write_image(tmp_path / f"loose-{i}.png", _tiny(i + 10))
    docs = discover(tmp_path, is_cover=lambda p: p.stem in {"loose-1", "loose-3"})
    assert [d.sources for d in docs] == [["doc-0002/p1.jpg"], ["loose-1.png", "loose-2.png"],
                                         ["loose-3.png", "loose-4.png"]]
