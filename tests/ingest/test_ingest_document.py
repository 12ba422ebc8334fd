"""Whole documents: ingest_document end to end (synthetic pages, real OCR engine)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.synth import form_page, scan, text_pdf, write_image, write_scanned_pdf
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest import discover, ingest_document
from tasksheet.ingest.discover import _source
from tasksheet.schemas.errors import DocumentError
from tasksheet.schemas.template import load_template

TPL = load_template()


@pytest.fixture(scope="module")
def engine():
    return get_engine()


def test_ingest_scanned_pdf_out_of_order_and_missing(tmp_path: Path, engine) -> None:
    ids = ["cover", "members", "basic_info", "instructions"]
    imgs = [scan(form_page(pid, seed=i), angle=(-1) ** i * 1.5, quarter=180 if i == 2 else 0,
                 seed=i) for i, pid in enumerate(ids)]
    pdf = tmp_path / "scan.pdf"
    write_scanned_pdf(pdf, imgs)
    doc = ingest_document(_source(tmp_path, [pdf]), TPL, engine)
    assert [p.form_page for p in doc.pages] == ["cover", "instructions", "basic_info", "members"]
    assert doc.scanned_order == [1, 4, 3, 2]
    assert doc.missing == ["content", "clauses", "opinions"]
    assert doc.out_of_order and doc.foreign_pages == []
    assert [p.rotation for p in sorted(doc.pages, key=lambda p: p.index)] == [0, 0, 180, 0]
    info = doc.pages[0].info()
    assert info.index == 1 and info.source == "scan.pdf" and info.form_page == "cover"


def test_ingest_born_digital_pdf(tmp_path: Path, engine) -> None:
    pdf = tmp_path / "digital.pdf"
    pages = [[p.heading or "附件", *p.identify] for p in TPL.pages]
    pdf.write_bytes(text_pdf(pages[::-1]))
    doc = ingest_document(_source(tmp_path, [pdf]), TPL, engine)
    assert [p.form_page for p in doc.pages] == [p.id for p in TPL.pages]
    assert doc.out_of_order and not doc.missing
    assert all(p.born_digital and p.words for p in doc.pages)


def test_non_form_document_is_refused(tmp_path: Path, engine) -> None:
    p = tmp_path / "memo.png"
    write_image(p, scan(form_page("foreign"), border=0))
    with pytest.raises(DocumentError, match="none of its 1 page"):
        ingest_document(_source(tmp_path, [p]), TPL, engine)


def test_mixed_folder_good_documents_survive(tmp_path: Path, engine) -> None:
    write_scanned_pdf(tmp_path / "a-good.pdf", [form_page("cover"), form_page("opinions")])
    (tmp_path / "b-empty.pdf").write_bytes(b"")
    (tmp_path / "c-notes.txt").write_text("备忘", encoding="utf-8")
    good = (tmp_path / "a-good.pdf").read_bytes()
    (tmp_path / "d-cut.pdf").write_bytes(good[: len(good) // 3])
    results: dict[str, object] = {}
    for src in discover(tmp_path, is_cover=lambda p: True):
        try:
            results[src.sources[0]] = ingest_document(src, TPL, engine)
        except DocumentError as exc:
            results[src.sources[0]] = str(exc)
    assert set(results) == {"a-good.pdf", "b-empty.pdf", "c-notes.txt", "d-cut.pdf"}
    good_doc = results["a-good.pdf"]
    assert [p.form_page for p in good_doc.pages] == ["cover", "opinions"]
    assert "empty file" in results["b-empty.pdf"]
    assert "not a PDF or image" in results["c-notes.txt"]
    assert "truncated PDF" in results["d-cut.pdf"]
