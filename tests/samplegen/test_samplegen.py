"""The sample generator: deterministic, truthful, and covering every finding it promises."""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

import pytest
from tasksheet.ingest.hashing import content_sha256, document_id
from tasksheet.samplegen import generate, plan_documents, prepare, render_page
from tasksheet.samplegen.defects import KINDS
from tasksheet.samplegen.fill import DASH, fake_sheet
from tasksheet.schemas.record import Record
from tasksheet.schemas.template import load_template

ALL_FORMATS = ["image_pdf", "jpg_folder", "tiff", "digital_pdf"]
# every code one document can show (low_confidence / unreadable_document are the reader's)
DOCUMENT_CODES = {
    "missing_signature", "missing_seal", "seal_unit_mismatch", "blank_field", "checkbox_none",
    "checkbox_multiple", "missing_amount", "missing_other_text", "invalid_mobile", "invalid_phone",
    "invalid_email", "missing_date", "invalid_date", "unit_name_mismatch",
    "foreign_name_without_abbreviation", "missing_page", "page_out_of_order", "copy_mismatch",
}


def scanned_pages(truth: dict) -> int:
    """Pages in the document's files: one per entry of `page_sections` (a flowing sheet's
    `pages` lists its sections, several of which may share a page)."""
    return len(truth["page_sections"])


def tree_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def small_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("samples")
    return out, generate(4, seed=11, out=out, defect_rate=1.0, formats=ALL_FORMATS, dpi=72)


def test_same_seed_gives_identical_files(small_set: tuple[Path, list[dict]], tmp_path: Path) -> None:
    out, _ = small_set
    generate(4, seed=11, out=tmp_path, defect_rate=1.0, formats=ALL_FORMATS, dpi=72)
    assert tree_hashes(out) == tree_hashes(tmp_path)


def test_every_format_is_written_with_its_layout(small_set: tuple[Path, list[dict]]) -> None:
    out, truths = small_set
    assert [t["format"] for t in truths] == ALL_FORMATS
    assert truths[0]["sources"] == ["doc-0001.pdf"]
    assert truths[1]["sources"] == [f"doc-0002/p{i}.jpg" for i in range(1, scanned_pages(truths[1]) + 1)]
    assert truths[2]["sources"] == ["doc-0003.tif"]
    from PIL import Image
    with Image.open(out / "doc-0003.tif") as tif:
        assert tif.n_frames == scanned_pages(truths[2])
    import pdfplumber
    with pdfplumber.open(out / "doc-0004.pdf") as pdf:
        assert len(pdf.pages) == scanned_pages(truths[3])
        assert "三方单位基本信息" in "".join(p.extract_text() or "" for p in pdf.pages)


def test_truth_files_validate_and_match_the_files(small_set: tuple[Path, list[dict]]) -> None:
    out, truths = small_set
    template_pages = {p.id for p in load_template().pages}
    for truth in truths:
        on_disk = json.loads((out / "truth" / f"{truth['name']}.json").read_text(encoding="utf-8"))
        assert on_disk == truth
        record = Record.model_validate(truth["record"])
        sha = content_sha256(out / s for s in truth["sources"])
        assert record.document.sha256 == sha and record.document.id == document_id(sha)
        assert record.document.pages == scanned_pages(truth)
        assert set(truth["pages"]) <= template_pages
        assert {s for page in truth["page_sections"] for s in page} == set(truth["pages"])
        if truth["layout"] == "paged":
            assert truth["page_sections"] == [[p] for p in truth["pages"]]
        errors = [f for f in truth["findings"] if f["severity"] == "error"]
        assert record.document.status == ("incomplete" if errors else "complete")
        assert [(f.code, f.field) for f in record.findings] == [(f["code"], f["field"]) for f in truth["findings"]]


def test_a_fifty_document_set_shows_every_defect() -> None:
    plans = plan_documents(50, seed=2024, defect_rate=0.5)
    prepared = [prepare(p) for p in plans]
    codes = {f["code"] for p in prepared for f in p.findings}
    assert codes == DOCUMENT_CODES
    kinds = {k for p in prepared for k in p.defects}
    assert set(KINDS) <= kinds
    fields = {f["field"] for p in prepared for f in p.findings if f["code"] == "missing_signature"}
    assert any(f.startswith("members.") for f in fields) and any(f.startswith("opinions.") for f in fields)
    assert sum(1 for p in plans if p.copy_group) == 6
    clean = [p for p in prepared if not p.plan.defects and not p.plan.odd_copy]
    assert clean and all(not p.findings for p in clean)


def test_clean_sheets_are_truly_clean() -> None:
    t = load_template()
    shapes = {k: re.compile(v) for k, v in t.shapes.items()}
    for seed in range(30):
        rec = fake_sheet(random.Random(seed)).record
        for spec in t.fields():
            if spec.id.startswith("opinions.") or spec.id == "content" or spec.id.startswith("cover."):
                continue
            value = rec
            for key in spec.id.split("."):
                value = value[key]
            if spec.type == "checkbox_group":
                assert len(value["ticked"]) == (1 if spec.min_ticked else len(value["ticked"]))
                assert len(value["ticked"]) <= 1
                continue
            assert value, spec.id
            shape = {"mobile": "mobile", "landline": "landline", "email": "email"}.get(spec.type)
            if shape and value != DASH:
                assert shapes[shape].match(value), (spec.id, value)
        for op in rec["opinions"].values():
            assert op["signed"] and op["sealed"] and re.fullmatch(r"2018-\d\d-\d\d", op["date"])
        assert all(m["signed"] and m["unit"] for m in rec["members"])


def test_render_page_helper_gives_a_small_page() -> None:
    img = render_page("opinions", seed=3, dpi=50)
    assert img.shape == (585, 413, 3)
    assert img.min() < 100  # something is printed
