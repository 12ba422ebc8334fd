"""End to end on the two hard captures: a document photographed with a phone, page by page
(perspective, desk, shadow, soft focus), and a 1-bit archive scan (G4 TIFF), each through
the real pipeline and OCR engine, compared with its generated truth.

A 1-bit seal is a black ring: `extract.seal` finds it by its shape (`extract.seal_shape`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tasksheet.ingest.discover import discover
from tasksheet.samplegen import generate
from tasksheet.schemas.template import load_template

from tasksheet.bench import Scores, compare
from tasksheet.pipeline import process_document

pytestmark = pytest.mark.slow


def _run(out: Path, capture: str, fmt: str, seed: int) -> tuple[dict, dict]:
    generate(1, seed=seed, out=out, defect_rate=0.0, formats=[fmt], captures=[capture],
             layouts=["paged"])
    truth = json.loads(next((out / "truth").glob("*.json")).read_text(encoding="utf-8"))
    assert truth["capture"] == capture
    (src,) = discover(out)
    result = process_document(src, out=out / "run")
    assert result.status != "failed", result.error
    scores = Scores()
    compare(result.to_record().export(), truth, load_template(), scores)
    return scores.figures(), {p.index: p for p in result.pages}


def test_photographed_document(tmp_path: Path) -> None:
    fig, pages = _run(tmp_path, "photo", "jpg_folder", seed=31)
    assert fig["field_accuracy"] >= 0.95
    assert fig["checkbox_accuracy"] == 1.0
    assert fig["signature_recall"] >= 0.95 and fig["seal_recall"] == 1.0
    assert fig["status_accuracy"] == 1.0
    assert all(p.rotation == 0 for p in pages.values())


def test_one_bit_archive_scan(tmp_path: Path) -> None:
    fig, pages = _run(tmp_path, "bitonal", "tiff", seed=32)
    assert fig["field_accuracy"] >= 0.9
    assert fig["checkbox_accuracy"] == 1.0
    assert fig["signature_recall"] >= 0.9
    assert fig["seal_recall"] == 1.0 and fig["seal_precision"] == 1.0
    assert all(p.rotation == 0 for p in pages.values())
