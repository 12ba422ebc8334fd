"""report.html in a real browser: what a person sees when opening it from disk.

Headless Chromium dumps the DOM after the page's own script has run: that script marks
each evidence image `data-loaded="1"` when it decoded (naturalWidth > 0) and applies the
`?code=` filter, so the DOM tells what was seen without any Python browser package.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import cv2
import pytest
from helpers.reports import draw_pages, hostile, unsealed
from tasksheet.reports import write_reports

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--virtual-time-budget=5000", "--window-size=1280,2000"]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs headless Chromium at /usr/bin/chromium")]


def chromium(url: str, profile: Path, *args: str) -> str:
    proc = subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args, url],
                          capture_output=True, text=True, timeout=120, check=True)
    return proc.stdout


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser")
    from helpers.example_result import example_result
    from tasksheet.checks import check_document

    results = [unsealed(), hostile(), check_document(example_result(doc_id="doc-clean"))]
    for r in results:
        draw_pages(r, out)
    write_reports(results, out)
    return out


def test_missing_seal_is_shown_with_its_evidence_loaded(opened: Path, tmp_path: Path):
    dom = chromium((opened / "report.html").as_uri(), tmp_path / "profile", "--dump-dom")
    item = re.search(r'<li class="finding error" data-code="missing_seal">.*?</li>', dom, re.S)
    assert item, "the missing-seal finding is not in the rendered page"
    assert "项目承接单位 缺少单位公章" in item.group()
    assert re.search(r'<img class="evidence"[^>]*data-loaded="1"', item.group())
    status = re.search(r'id="img-status"[^>]*', dom).group()
    assert 'data-broken="0"' in status and not re.search(r'data-ok="0"', status)
    assert "<script>alert" not in dom


def test_the_code_filter_hides_documents_without_that_finding(opened: Path, tmp_path: Path):
    url = (opened / "report.html").as_uri() + "?code=missing_seal"
    dom = chromium(url, tmp_path / "profile", "--dump-dom")
    sections = dict(re.findall(r'<section class="doc [a-z]+" id="(doc-[^"]+)"([^>]*)>', dom))
    assert "hidden" not in sections["doc-doc-seal"]
    assert "hidden" in sections["doc-doc-clean"]
    assert re.search(r'id="shown">1<', dom)


def test_a_screenshot_shows_a_rendered_report(opened: Path, tmp_path: Path):
    shot = tmp_path / "report.png"
    chromium((opened / "report.html").as_uri(), tmp_path / "profile", f"--screenshot={shot}")
    assert shot.is_file() and shot.stat().st_size > 20_000
    pixels = cv2.imread(str(shot), cv2.IMREAD_GRAYSCALE)
    assert pixels.shape == (2000, 1280)
    assert pixels.std() > 10  # not a blank page
