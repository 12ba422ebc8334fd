"""`tasksheet review` in a real browser: Playwright driving the system's headless Chromium.

The server is the real one (uvicorn on a free loopback port, the loopback Host check on);
the browser is /usr/bin/chromium, never a downloaded one. A reviewer opens the queue,
corrects a low-confidence amount, dismisses a false missing-seal finding, sees the status
change to complete, and the export carries the reviewed value with its origin. The page is
saved as review.png in $TASKSHEET_SCREENSHOTS (CI's artefacts) or the test's temporary
folder; docs/review.png, which the README shows, is a copy of one such run.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.review import AMOUNT, SEAL_KEY, build
from tasksheet.registry.export import export_records
from tasksheet.review.app import create_app
from tasksheet.review.server import check_host

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(base URL, registry URL) of a review server on loopback over `build()`'s registry."""
    import uvicorn

    url, out = f"sqlite:///{tmp_path / 'registry.sqlite'}", tmp_path / "out"
    build(url, out)
    port = _free_port()
    app = create_app(url, out, allowed_hosts=check_host("127.0.0.1", None))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "the review server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", url
    srv.should_exit = True
    thread.join(timeout=10)


def test_reviewer_corrects_dismisses_and_exports(server: tuple[str, str], tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, registry = server
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1150})
            page.goto(base + "/")
            queue = page.locator("#queue tr[data-doc]")
            assert queue.first.get_attribute("data-doc") == "doc-a"  # worst first
            page.click("#queue a[href='/doc/doc-a']")
            page.wait_for_url("**/doc/doc-a")
            assert page.locator("#status .badge").inner_text() == "不完整"
            # the evidence crops are loaded
            assert page.locator("li.finding img.evidence").first.evaluate(
                "img => img.complete && img.naturalWidth > 0")

            # correct the low-confidence amount: 8 read, 5 on paper
            row = page.locator(f'#flagged tr[data-field="{AMOUNT}"]')
            assert "置信度 0.35" in row.inner_text()
            row.locator("input[name=reviewer]").fill("王审核")
            row.locator("input[name=value]").fill("5")
            row.locator("input[name=reason]").fill("纸上是 5")
            row.locator("button[value=reading_corrected]").click()
            page.wait_for_selector("#message")
            assert "已更正读数" in page.locator("#message").inner_text()
            assert page.locator("li.finding[data-code=low_confidence]").count() == 0

            # dismiss the false missing seal (faint, but there)
            item = page.locator(f'li.finding[data-key="{SEAL_KEY}"]')
            item.locator("input[name=reason]").fill("公章颜色浅，确已盖章")
            item.locator("button[value=finding_dismissed]").click()
            page.wait_for_selector("#message")
            assert page.locator("#status .badge").inner_text() == "完整"
            assert page.locator(f'li.finding[data-key="{SEAL_KEY}"]').get_attribute(
                "data-state") == "dismissed"
            assert page.locator("#audit tr").count() == 3  # header and two decisions
            assert page.locator(f'#flagged tr[data-field="{AMOUNT}"]').get_attribute(
                "data-origin") == "reviewed"
            page.goto(base + "/doc/doc-a")
            page.wait_for_load_state("networkidle")
            assert page.locator(".thumbs img").evaluate_all(
                "imgs => imgs.every(i => i.complete && i.naturalWidth > 0)")
            shots = Path(os.environ.get("TASKSHEET_SCREENSHOTS") or tmp_path)
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "review.png"), full_page=False)
            assert (shots / "review.png").stat().st_size > 10_000

            # the queue no longer lists it; the export has the reviewed value
            page.goto(base + "/")
            assert "doc-a" not in [queue.nth(i).get_attribute("data-doc")
                                   for i in range(queue.count())]
            shown = json.loads(page.goto(base + "/doc/doc-a.json").text())
            assert shown["commissioning"]["funding_support"]["amount_wan"] == "5"
        finally:
            browser.close()
    export_records(registry, "json", None, tmp_path / "export.json")
    record = next(r for r in json.loads((tmp_path / "export.json").read_text("utf-8"))
                  if r["document"]["id"] == "doc-a")
    assert record["commissioning"]["funding_support"]["amount_wan"] == "5"
    assert record["review"]["origin"][AMOUNT] == "reviewed"
    assert record["document"]["status"] == "complete"
