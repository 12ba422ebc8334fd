"""Reports: findings.csv, the terminal summary and report.html, from checked results."""

from __future__ import annotations

import csv
import io
import re
import sys
import types
from pathlib import Path

import cv2
import pytest
from helpers.example_result import example_result
from helpers.reports import draw_pages, hostile, unsealed
from tasksheet.checks import check_document
from tasksheet.reports import build_reports, print_summary, write_reports
from tasksheet.schemas.result import SheetResult


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[SheetResult]]:
    tmp_path = tmp_path_factory.mktemp("report")
    results = [unsealed(), hostile(), check_document(example_result(doc_id="doc-clean"))]
    for r in results:
        draw_pages(r, tmp_path)
    write_reports(results, tmp_path)
    return tmp_path, results


def test_write_reports_writes_the_csv_and_the_html(tmp_path: Path):
    paths = write_reports([unsealed()], tmp_path)
    assert paths == [tmp_path / "findings.csv", tmp_path / "report.html"]
    assert all(p.is_file() for p in paths)


def test_the_html_shows_the_finding_next_to_its_evidence_crop(report):
    out, results = report
    text = (out / "report.html").read_text(encoding="utf-8")
    finding = results[0].findings[0]
    assert finding.message == "项目承接单位 缺少单位公章"
    item = re.search(r'<li class="finding error" data-code="missing_seal">.*?</li>', text).group()
    assert finding.message in item
    src = re.search(r'<img class="evidence" src="([^"]+)"', item).group(1)
    assert src.startswith("report_assets/doc-seal/")
    crop = cv2.imread(str(out / src))  # BGR
    assert crop.shape[1] > 50 and crop.shape[0] > 30
    # the crop is outlined red around the box
    assert ((crop[..., 2] > 180) & (crop[..., 1] < 80)).any()


def test_page_thumbnails_carry_overlays_of_values_ticks_marks_and_findings(report):
    out, _ = report
    text = (out / "report.html").read_text(encoding="utf-8")
    section = re.search(r'<section class="doc incomplete" id="doc-doc-seal".*?</section>', text).group()
    assert section.count('<img src="report_assets/doc-seal/p') == 7
    for cls in ("val", "opt-on", "opt-off", "sig", "seal off bad", "finding error"):
        assert f'<rect class="{cls}"' in section
    assert (out / "report_assets" / "doc-seal" / "p7.jpg").is_file()


def test_text_read_from_a_scan_cannot_inject_markup(report):
    out, _ = report
    text = (out / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert text.count("<script>") == 1  # the report's own filter script


def test_a_finding_without_a_page_image_is_shown_without_one(tmp_path: Path):
    write_reports([unsealed()], tmp_path)
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "项目承接单位 缺少单位公章" in text
    assert 'class="evidence"' not in text
    assert "无图像" in text


def test_findings_csv_has_a_bom_and_one_row_per_finding(report):
    out, results = report
    raw = (out / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == sum(len(r.findings) for r in results)
    seal = next(r for r in rows if r["code"] == "missing_seal")
    bbox = results[0].findings[0].bbox
    assert seal == {"document_id": "doc-seal", "sources": "example.pdf", "status": "incomplete",
                    "code": "missing_seal", "severity": "error", "section": "opinions",
                    "field": "opinions.undertaking.sealed", "message": "项目承接单位 缺少单位公章",
                    "page": "7", "bbox": " ".join(map(str, bbox))}


def test_terminal_summary_counts_statuses_codes_and_names_the_worst(report):
    _, results = report
    buf = io.StringIO()
    print_summary(results, file=buf)
    text = buf.getvalue()
    assert text.startswith("3 documents: 1 complete, 2 incomplete\n")
    assert re.search(r"missing_seal\s+1\s+error", text)
    assert "worst documents:" in text
    assert "doc-seal" in text and "项目承接单位 缺少单位公章" in text


def test_build_reports_reads_the_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    calls: list[str] = []

    class FakeRegistry:
        def __init__(self, url: str) -> None:
            calls.append(url)

        def results(self, status: str | None = None) -> list[SheetResult]:
            return [unsealed()]

        def close(self) -> None:
            calls.append("closed")

    module = types.ModuleType("registry.db")
    module.Registry = FakeRegistry  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tasksheet.registry.db", module)
    buf = io.StringIO()
    paths = build_reports("sqlite:///x.sqlite", tmp_path, file=buf)
    assert calls == ["sqlite:///x.sqlite", "closed"]
    assert [p.name for p in paths] == ["findings.csv", "report.html"]
    assert "1 documents: 1 incomplete" in buf.getvalue()


def test_rerunning_reuses_the_images(report):
    out, results = report
    crop = next((out / "report_assets" / "doc-seal").glob("e7_*.jpg"))
    before = crop.stat().st_mtime_ns
    write_reports(results, out)
    assert crop.stat().st_mtime_ns == before


def test_a_report_that_cannot_be_written_whole_leaves_the_old_one(tmp_path: Path, monkeypatch):
    """report.html is written under a temporary name and renamed: a write that fails (a
    full disk) leaves the previous report as it was, and no temporary file."""
    from tasksheet.reports.html import write_html

    results = [check_document(example_result())]
    (tmp_path / "report.html").write_text("the previous report", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tasksheet.ingest.hashing.os.fsync", full)
    with pytest.raises(OSError, match="No space left"):
        write_html(results, tmp_path)
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "the previous report"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
