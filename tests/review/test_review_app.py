"""`tasksheet review` through Starlette's test client, on SQLite and PostgreSQL.

The registry is built from stored results (`example_result`, broken on purpose), with page
images drawn as the pipeline writes them: no OCR runs, so these tests take seconds.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.records import pg_database
from helpers.review import AMOUNT, SCRIPT, SEAL_KEY, build, clean, doubtful
from starlette.testclient import TestClient
from tasksheet.registry.db import Registry
from tasksheet.registry.export import export_records
from tasksheet.registry.reviews import Reviews, StaleReview
from tasksheet.review.app import create_app
from tasksheet.review.server import check_host
from tasksheet.schemas.errors import TasksheetError

from tasksheet.cli import main


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(registry URL, out folder) holding `build()`'s documents."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'registry.sqlite'}"])
    else:
        from helpers.records import PG_URL

        if not PG_URL:
            pytest.skip("TASKSHEET_TEST_PG_URL is not set: run `export TASKSHEET_TEST_PG_URL=$(./scripts/pg.sh)`")
        urls = pg_database()
    url = next(urls)
    out = tmp_path / "out"
    build(url, out)
    yield url, out
    for _ in urls:  # drops the PostgreSQL database
        pass


@pytest.fixture
def client(site: tuple[str, Path]) -> Iterator[TestClient]:
    url, out = site
    with TestClient(create_app(url, out)) as c:
        yield c


def form_of(html: str, target: str) -> dict[str, str]:
    """The hidden fields (csrf, version, target, reviewer) of the form deciding `target`."""
    for form in re.findall(r"<form method=\"post\".*?</form>", html, re.S):
        hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
        if hidden.get("target") == target:
            return hidden
    raise AssertionError(f"no form for {target!r}")


def decide(client: TestClient, doc: str, target: str, kind: str, **fields: str):
    page = client.get(f"/doc/{doc}").text
    data = {**form_of(page, target), "reviewer": "王审核", "kind": kind, **fields}
    return client.post(f"/doc/{doc}/decide", data=data, follow_redirects=False)


def queue_ids(html: str) -> list[str]:
    return re.findall(r'<tr data-doc="([^"]+)"', html)


# -- the queue ---------------------------------------------------------------------------------


def test_queue_lists_documents_needing_a_person_worst_first(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    ids = queue_ids(page.text)
    assert ids == ["doc-a", "doc-hostile"]  # the clean copies need no one; most errors first
    assert queue_ids(client.get("/?show=all").text) == ["doc-a", "doc-hostile", "doc-b", "doc-c"]
    assert queue_ids(client.get("/?show=all&status=complete").text) == ["doc-b", "doc-c"]
    assert queue_ids(client.get("/?code=low_confidence").text) == ["doc-a"]
    assert queue_ids(client.get("/?show=all&batch=/scans/batch-2").text) == ["doc-c"]
    assert queue_ids(client.get("/?show=all&unit=科普作家").text) == [
        "doc-a", "doc-hostile", "doc-b", "doc-c"]
    assert queue_ids(client.get("/?unit=教育局").text) == []


def test_document_page_shows_each_finding_and_reading_beside_its_crop(
        client: TestClient) -> None:
    page = client.get("/doc/doc-a").text
    item = re.search(r'<li class="finding error open"[^>]*data-code="missing_seal".*?</li>', page, re.S)
    assert item and "项目承接单位" in item.group()
    crop = re.search(r'<img class="evidence" src="([^"]+)"', item.group()).group(1)
    got = client.get(crop)
    assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg"
    row = re.search(rf'<tr id="f-{re.escape(AMOUNT)}" class="field flagged.*?</tr>', page, re.S)
    assert row, "the low-confidence amount is among the readings to check"
    assert "置信度 0.35" in row.group() and 'value="8"' in row.group()
    assert client.get(re.search(r'<img class="evidence" src="([^"]+)"', row.group()).group(1)
                      ).status_code == 200
    assert page.count('<svg class="overlay"') == len(doubtful("x").pages)  # every page
    assert client.get("/doc/nope").status_code == 404


def test_images_are_served_from_the_assets_folder_only(client: TestClient) -> None:
    client.get("/doc/doc-a")
    assert client.get("/img/doc-a/..%2F..%2Fregistry.sqlite").status_code == 404
    assert client.get("/img/..%2Fpages/p1.jpg").status_code == 404
    assert client.get("/img/doc-a/missing.jpg").status_code == 404


# -- decisions -----------------------------------------------------------------------------------


def test_correction_rechecks_and_exports_with_its_origin(site: tuple[str, Path],
                                                         client: TestClient, tmp_path: Path) -> None:
    url, _ = site
    before = client.get("/doc/doc-a").text
    assert "low_confidence" in before
    got = decide(client, "doc-a", AMOUNT, "reading_corrected", value="5", reason="纸上是 5")
    assert got.status_code == 303
    page = client.get(got.headers["location"]).text
    assert "已更正读数" in page
    assert 'data-code="low_confidence"' not in page  # the rules ran again on the reviewed value
    assert re.search(rf'data-field="{re.escape(AMOUNT)}" data-origin="reviewed"', page)
    with Registry(url) as reg:
        decisions = Reviews(reg).decisions("doc-a")
        machine = {r.id: r for r in reg.results()}["doc-a"]
    assert [(d.kind, d.target, d.old_value, d.new_value, d.reason, d.reviewer, d.version)
            for d in decisions] == [("reading_corrected", AMOUNT, "8", "5", "纸上是 5", "王审核", 1)]
    assert machine.readings[AMOUNT].value == "8"  # the machine's reading is kept
    export_records(url, "json", None, tmp_path / "r.json")
    records = {r["document"]["id"]: r for r in json.loads((tmp_path / "r.json").read_text("utf-8"))}
    assert records["doc-a"]["commissioning"]["funding_support"]["amount_wan"] == "5"
    assert records["doc-a"]["review"]["origin"][AMOUNT] == "reviewed"
    assert records["doc-a"]["review"]["origin"]["cover.project_name"] == "machine"
    assert "review" not in records["doc-b"]  # an unreviewed document exports as before
    export_records(url, "csv", None, tmp_path / "csv")
    with open(tmp_path / "csv" / "readings.csv", encoding="utf-8-sig", newline="") as fh:
        rows = {(r["document_id"], r["field"]): r for r in csv.DictReader(fh)}
    assert (rows[("doc-a", AMOUNT)]["value"], rows[("doc-a", AMOUNT)]["origin"],
            rows[("doc-a", AMOUNT)]["machine_value"]) == ("5", "reviewed", "8")
    assert rows[("doc-b", AMOUNT)]["origin"] == "machine"


def test_dismissal_needs_a_reason_changes_the_status_and_survives_a_restart(
        site: tuple[str, Path], client: TestClient) -> None:
    url, out = site
    assert decide(client, "doc-a", SEAL_KEY, "finding_dismissed").status_code == 400
    decide(client, "doc-a", AMOUNT, "reading_confirmed")
    got = decide(client, "doc-a", SEAL_KEY, "finding_dismissed", reason="公章颜色浅，确已盖章")
    assert got.status_code == 303
    with TestClient(create_app(url, out)) as again:  # a new process on the same registry
        page = again.get("/doc/doc-a").text
        assert re.search(r'<span id="status"><span class="badge complete">', page)
        assert 'data-state="dismissed"' in page and "公章颜色浅，确已盖章" in page
        assert "doc-a" not in queue_ids(again.get("/").text)
        assert "doc-a" in queue_ids(again.get("/?show=all&status=complete").text)
    export = client.get("/doc/doc-a.json").json()
    assert export["document"]["status"] == "complete"
    assert export["review"]["machine_status"] == "incomplete"
    assert export["review"]["dismissed"] == [{"finding": SEAL_KEY,
                                              "reason": "公章颜色浅，确已盖章"}]
    # confirming it again brings the finding and the status back
    decide(client, "doc-a", SEAL_KEY, "finding_confirmed")
    assert client.get("/doc/doc-a.json").json()["document"]["status"] == "incomplete"


def test_second_save_on_a_changed_record_is_refused(client: TestClient) -> None:
    page = client.get("/doc/doc-a").text
    stale = {**form_of(page, AMOUNT), "reviewer": "甲", "kind": "reading_corrected",
             "value": "6"}
    assert decide(client, "doc-a", AMOUNT, "reading_corrected", value="5").status_code == 303
    got = client.post("/doc/doc-a/decide", data=stale, follow_redirects=False)
    assert got.status_code == 409
    assert "此记录已于您打开后被 王审核 修改" in got.text and "您的保存未执行" in got.text
    assert client.get("/doc/doc-a.json").json()["commissioning"]["funding_support"][
        "amount_wan"] == "5"


def test_version_check_in_the_library(site: tuple[str, Path]) -> None:
    url, _ = site
    with Registry(url) as reg:
        reviews = Reviews(reg)
        reviews.decide("doc-b", version=0, reviewer="甲", kind="sheet_accepted")
        with pytest.raises(StaleReview):
            reviews.decide("doc-b", version=0, reviewer="乙", kind="sheet_returned", reason="x")
        assert reviews.state("doc-b").disposition == "accepted"


def test_two_reviewers_at_once_one_save_wins(site: tuple[str, Path]) -> None:
    """Both open version 0 and save together: one save is taken, the other refused."""
    from concurrent.futures import ThreadPoolExecutor

    url, _ = site
    regs = [Registry(url), Registry(url)]
    try:
        def save(i: int) -> str:
            try:
                Reviews(regs[i]).decide("doc-c", version=0, reviewer=f"r{i}",
                                        kind="reading_corrected", target=AMOUNT, value=str(i))
                return "saved"
            except StaleReview:
                return "refused"

        with ThreadPoolExecutor(2) as pool:
            assert sorted(pool.map(save, [0, 1])) == ["refused", "saved"]
        state = Reviews(regs[0]).state("doc-c")
        assert state.version == 1 and len(Reviews(regs[0]).decisions("doc-c")) == 1
    finally:
        for reg in regs:
            reg.close()


def test_every_form_needs_its_csrf_token(client: TestClient) -> None:
    page = client.get("/doc/doc-a").text
    fields = {**form_of(page, AMOUNT), "reviewer": "甲", "kind": "reading_corrected",
              "value": "5"}
    flipped = fields["csrf"][:-1] + ("1" if fields["csrf"][-1] == "0" else "0")
    for csrf in (None, "forged", flipped):
        data = {k: v for k, v in fields.items() if k != "csrf"}
        if csrf:
            data["csrf"] = csrf
        got = client.post("/doc/doc-a/decide", data=data, follow_redirects=False)
        assert got.status_code == 403 and "CSRF" in got.text
    other = TestClient(client.app)  # another browser: its own cookie, so the token fails
    assert other.post("/doc/doc-a/decide", data=fields).status_code == 403
    forms = re.findall(r'<form method="post".*?</form>', page, re.S)
    assert forms and all('name="csrf"' in f for f in forms)


def test_text_from_a_scan_is_escaped_and_no_script_runs(client: TestClient) -> None:
    for url in ("/", "/?show=all", "/projects", "/doc/doc-hostile"):
        page = client.get(url)
        assert SCRIPT not in page.text
        assert "script-src" not in page.headers["content-security-policy"]  # none allowed
        assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in client.get("/doc/doc-hostile").text


def test_sheet_returned_then_accepted(client: TestClient) -> None:
    assert decide(client, "doc-hostile", "", "sheet_returned").status_code == 400  # no reason
    assert decide(client, "doc-hostile", "", "sheet_returned", reason="缺公章").status_code == 303
    assert "doc-hostile" not in queue_ids(client.get("/").text)
    assert queue_ids(client.get("/?show=returned").text) == ["doc-hostile"]
    decide(client, "doc-hostile", "", "sheet_accepted")
    assert queue_ids(client.get("/?show=accepted").text) == ["doc-hostile"]


# -- projects ------------------------------------------------------------------------------------


def test_a_resubmitted_sheet_joins_its_project(site: tuple[str, Path], client: TestClient) -> None:
    url, out = site
    page = client.get("/projects").text
    project = re.search(r'<section class="project incomplete" id="project-doc-a".*?</section>',
                        page, re.S).group()
    assert "副本 3/3" in project and all(d in project for d in ("doc-a", "doc-b", "doc-c"))
    decide(client, "doc-a", "", "sheet_returned", reason="请补盖公章")
    # the unit sends it back sealed: a new document, its project name read with one
    # character wrong and a space — the same project
    again = clean("doc-a2")
    again.sources = ["doc-a2.pdf"]
    again.readings["cover.project_name"].value = "全民科学素质提升 试点项日"
    with Registry(url) as reg:
        reg.store(again)
    page = client.get("/projects").text
    project = re.search(r'<section class="project complete" id="project-doc-a".*?</section>',
                        page, re.S).group()
    assert "副本 3/3" in project
    rows = [re.sub(r"<[^>]+>|\s+", " ", r).split() for r in
            re.findall(r'<tr class="(?:superseded|latest)">.*?</tr>', project, re.S)]
    assert [r[:3] for r in rows] == [
        ["第", "1", "份（已被重新提交取代）"], ["第", "2", "份"], ["第", "3", "份"], ["第", "1", "份"]]
    assert [r[3] for r in rows] == ["doc-a", "doc-b", "doc-c", "doc-a2"]
    assert "项目 " in client.get("/doc/doc-a2").text
    assert 'id="project-doc-a"' in client.get("/projects?status=complete&unit=民政").text
    assert 'id="project-doc-a"' not in client.get("/projects?status=incomplete").text
    assert 'id="project-doc-a"' not in client.get("/projects?unit=教育局").text


# -- access --------------------------------------------------------------------------------------


def test_token_is_asked_for_when_set(site: tuple[str, Path]) -> None:
    url, out = site
    with TestClient(create_app(url, out, token="s3cret")) as c:
        got = c.get("/", follow_redirects=False)
        assert got.status_code == 303 and got.headers["location"] == "/login"
        csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
        assert c.post("/login", data={"csrf": csrf, "token": "wrong"}).status_code == 403
        assert c.post("/login", data={"csrf": csrf, "token": "s3cret"}).status_code == 200
        assert c.get("/").status_code == 200
    with TestClient(create_app(url, out, token="s3cret")) as c:
        assert c.get("/", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_a_non_local_address_needs_a_token(tmp_path: Path, capsys) -> None:
    assert "localhost" in check_host("127.0.0.1", None)
    with pytest.raises(TasksheetError, match="TASKSHEET_REVIEW_TOKEN"):
        check_host("0.0.0.0", None)
    assert check_host("0.0.0.0", "t") is None
    assert main(["review", "--out", str(tmp_path), "--host", "0.0.0.0"]) == 2
    assert "refusing to serve on 0.0.0.0" in capsys.readouterr().err


def test_loopback_app_turns_away_other_host_names(site: tuple[str, Path]) -> None:
    url, out = site
    app = create_app(url, out, allowed_hosts=check_host("127.0.0.1", None))
    with TestClient(app, base_url="http://127.0.0.1:8765") as c:
        assert c.get("/").status_code == 200
    with TestClient(app, base_url="http://evil.example:8765") as c:
        assert c.get("/").status_code == 400


def test_a_member_cell_and_an_unread_field_can_be_corrected(client: TestClient) -> None:
    assert decide(client, "doc-a", "members.0.name", "reading_corrected",
                  value="李四光").status_code == 303
    assert client.get("/doc/doc-a.json").json()["members"][0]["name"] == "李四光"
    page = client.get("/doc/doc-a").text
    data = {**form_of(page, AMOUNT), "target": "cover.nonexistent", "reviewer": "甲",
            "kind": "reading_corrected", "value": "x"}
    got = client.post("/doc/doc-a/decide", data=data)
    assert got.status_code == 400 and "no field" in got.text


def test_a_review_outlives_the_document_processed_again(site: tuple[str, Path],
                                                        client: TestClient) -> None:
    url, _ = site
    decide(client, "doc-a", AMOUNT, "reading_corrected", value="5")
    with Registry(url) as reg:
        reg.store(doubtful("doc-a"))  # `run --force`: the same content, read again
    record = client.get("/doc/doc-a.json").json()
    assert record["commissioning"]["funding_support"]["amount_wan"] == "5"
    assert record["review"]["origin"][AMOUNT] == "reviewed"
    with Registry(url) as reg:
        assert [d.kind for d in Reviews(reg).decisions("doc-a")] == ["reading_corrected"]


def test_the_command_serves_the_registry_of_its_output_folder(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    out = tmp_path / "out"
    build(f"sqlite:///{out / 'registry.sqlite'}", out)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "tasksheet.cli", "review", "--out", str(out),
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as got:
                    page = got.read().decode("utf-8")
                break
            except OSError:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.2)
        assert queue_ids(page) == ["doc-a", "doc-hostile"]
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert main(["review", "--out", str(tmp_path / "nothing")]) == 2  # no registry there
