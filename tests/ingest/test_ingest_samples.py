"""Generated documents (samplegen) through discover + ingest, checked against their truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest import discover, ingest_document
from tasksheet.schemas.template import load_template

from tasksheet import samplegen


@pytest.mark.slow
def test_generated_documents_match_truth(tmp_path: Path) -> None:
    """Paged documents: each page is its form page (a flowing page holds several sections,
    which extraction finds by their headings: the benchmark measures those)."""
    samplegen.generate(n=3, seed=3, out=tmp_path, dpi=150, layouts=["paged"])
    engine, tpl = get_engine(), load_template()
    docs = discover(tmp_path)
    assert len(docs) == 3
    wrong = []
    for src in docs:
        name = src.sources[0].split("/")[0].rsplit(".", 1)[0]
        truth = json.loads((tmp_path / "truth" / f"{name}.json").read_text(encoding="utf-8"))
        doc = ingest_document(src, tpl, engine)
        scanned = sorted(doc.pages, key=lambda p: p.index)
        got = [p.form_page for p in scanned]
        if got != truth["pages"]:
            wrong.append((name, got, truth["pages"]))
        upside = [p.index for p in scanned if p.rotation == 180]
        if upside != truth.get("upside_down", []):
            wrong.append((name, "upside_down", upside, truth.get("upside_down")))
        order = [tpl.page_index(pid) for pid in truth["pages"]]
        assert doc.out_of_order == (order != sorted(order)), name
        assert doc.missing == [p.id for p in tpl.pages if p.id not in truth["pages"]], name
    assert not wrong, wrong
