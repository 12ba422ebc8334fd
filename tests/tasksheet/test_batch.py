"""The batch runner with a fake `process`: stored once, resumable, superseding, never stopped
by one bad document, and safe against SIGKILL at any moment.

The fakes are in `helpers.fakes`, importable by the spawn pool and a `python -c` child.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing, suppress
from pathlib import Path

import pytest
from conftest import ROOT, TESTS
from helpers.fakes import fake_discover, fake_process, make_scans, write_text
from tasksheet.ingest.hashing import content_sha256, document_id
from tasksheet.registry.db import Registry
from tasksheet.schemas.record import Finding

from tasksheet.batch import apply_copy_checks, run_batch
from tasksheet.workers import too_long


def _counted(count_dir: Path) -> list[str]:
    return sorted(p.name.split(".")[0] for p in count_dir.iterdir())


def _run(tmp: Path, url: str, workers: int, **kw) -> object:
    return run_batch(tmp / "scans", out=tmp / "out", registry=url, workers=workers,
                     progress=False, process=fake_process, discover=fake_discover, **kw)


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_stores_once_resumes_supersedes(tmp_path: Path, counting: Path, workers: int) -> None:
    files = make_scans(tmp_path / "scans", 5)
    write_text(files[3], "BOOM 损坏的文件")
    url = f"sqlite:///{tmp_path / 'out' / 'registry.sqlite'}"

    s = _run(tmp_path, url, workers)
    ids = {d.id for d in fake_discover(tmp_path / "scans")}
    assert (s.processed, s.skipped, s.failed, s.pages) == (5, 0, 1, 8)
    assert s.counts == {"complete": 4, "failed": 1} and not s.ok
    assert sorted(_counted(counting)) == sorted(ids)  # each processed exactly once
    reg = Registry(url)
    results = {r.id: r for r in reg.results()}
    assert set(results) == ids
    bad = results[document_id(content_sha256([files[3]]))]
    assert bad.status == "failed"
    assert bad.error == "ValueError: cannot parse doc003.txt"
    assert bad.findings[0].code == "unreadable_document"

    s2 = _run(tmp_path, url, workers)  # nothing new: no work at all
    assert (s2.processed, s2.skipped) == (0, 5)
    assert len(_counted(counting)) == 5

    old_id = document_id(content_sha256([files[0]]))
    write_text(files[0], "试点项目 0（修改后）")  # a changed file: new hash, new id
    s3 = _run(tmp_path, url, workers)
    assert (s3.processed, s3.skipped) == (1, 4)
    new_ids = {d.id for d in fake_discover(tmp_path / "scans")}
    assert len(new_ids) == 5
    # identity is content: the new file is a new document, the old record stays as history
    assert {r.id for r in reg.results()} == new_ids | {old_id}
    old = {r.id: r for r in reg.results()}[old_id]
    assert old.value("cover.project_name") == "试点项目 0"
    assert [f.code for f in old.findings] == ["source_replaced"]
    assert s3.counts == {"complete": 4, "failed": 1}  # this folder's documents only
    assert sorted(r.value("cover.project_name") for r in reg.results()
                  if r.sources == ["doc000.txt"]) == ["试点项目 0", "试点项目 0（修改后）"]
    reg.close()


def test_identical_copies_are_read_once(tmp_path: Path, counting: Path) -> None:
    make_scans(tmp_path / "scans", 2)
    write_text(tmp_path / "scans" / "same.txt", "试点项目 0")
    s = _run(tmp_path, f"sqlite:///{tmp_path / 'r.sqlite'}", 1)
    assert (s.processed, s.skipped) == (2, 1)


def test_dead_worker_fails_its_document_only(tmp_path: Path, counting: Path) -> None:
    files = make_scans(tmp_path / "scans", 6)
    write_text(files[2], "CRASH")
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    s = _run(tmp_path, url, 2)
    assert (s.processed, s.failed) == (6, 1)
    reg = Registry(url)
    [failed] = reg.results("failed")
    assert failed.sources == ["doc002.txt"]
    assert "worker process died" in failed.error
    assert len(reg.results("complete")) == 5
    reg.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_stuck_document_fails_at_the_time_limit_and_the_rest_go_on(tmp_path: Path,
                                                                   counting: Path,
                                                                   workers: int) -> None:
    files = make_scans(tmp_path / "scans", 5)
    write_text(files[1], "HANG")
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    s = _run(tmp_path, url, workers, max_seconds=8)
    assert (s.processed, s.failed) == (5, 1)
    reg = Registry(url)
    [failed] = reg.results("failed")
    assert failed.sources == ["doc001.txt"]
    assert failed.error == too_long(8)
    assert [f.code for f in failed.findings] == ["unreadable_document"]
    assert sorted(r.sources[0] for r in reg.results("complete")) == [
        "doc000.txt", "doc002.txt", "doc003.txt", "doc004.txt"]
    reg.close()
    # not a failure of the machine: the next run leaves it alone
    s2 = _run(tmp_path, url, workers, max_seconds=8)
    assert (s2.processed, s2.skipped, s2.retried) == (0, 5, 0)


def test_result_that_is_not_a_record_fails_alone(tmp_path: Path) -> None:
    files = make_scans(tmp_path / "scans", 2)
    write_text(files[0], "BADFIELD")
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    s = _run(tmp_path, url, 1)
    assert (s.processed, s.failed) == (2, 1)
    reg = Registry(url)
    failed = reg.results("failed")
    assert failed[0].error.startswith("result does not fit the record: 1 validation error")
    reg.close()


def test_copy_checks_update_findings_and_status(tmp_path: Path, monkeypatch) -> None:
    import tasksheet.checks.copies

    make_scans(tmp_path / "scans", 3)
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    target = fake_discover(tmp_path / "scans")[1].id
    mismatch = Finding(code="copy_mismatch", severity="error", section="cover",
                       field="cover.project_name", message="与其他副本不一致")
    monkeypatch.setattr(tasksheet.checks.copies, "copy_findings", lambda records, template=None, doubtful=None: {target: [mismatch]})
    s = _run(tmp_path, url, 1)
    assert s.counts == {"complete": 2, "incomplete": 1}
    reg = Registry(url)
    [r] = [r for r in reg.results() if r.id == target]
    assert r.findings == [mismatch] and r.status == "incomplete"
    monkeypatch.setattr(tasksheet.checks.copies, "copy_findings", lambda records, template=None, doubtful=None: {})
    assert apply_copy_checks(reg) == 1
    assert [r.status for r in reg.results()] == ["complete"] * 3
    assert apply_copy_checks(reg) == 0  # nothing changed, nothing written
    reg.close()


@pytest.mark.skipif(importlib.util.find_spec("tasksheet.cluster") is not None,
                    reason="tasksheet.cluster exists: its own tests cover --cluster")
def test_cluster_without_support_is_a_clear_error(tmp_path: Path) -> None:
    from tasksheet.schemas.errors import TasksheetError

    make_scans(tmp_path / "scans", 1)
    with pytest.raises(TasksheetError, match="cluster support not installed"):
        _run(tmp_path, f"sqlite:///{tmp_path / 'r.sqlite'}", 1, cluster="tcp://127.0.0.1:8786")


def test_missing_scan_folder(tmp_path: Path) -> None:
    from tasksheet.schemas.errors import TasksheetError

    with pytest.raises(TasksheetError, match="no such scan folder"):
        _run(tmp_path, f"sqlite:///{tmp_path / 'r.sqlite'}", 1)


# -- killed with SIGKILL mid-batch --------------------------------------------------------------

CHILD = """
import sys
sys.path.insert(0, {tests!r})
from pathlib import Path
from helpers.fakes import fake_discover, fake_process
from tasksheet.batch import run_batch
run_batch(Path({scans!r}), out=Path({out!r}), registry={url!r}, workers=2, progress=False,
          process=fake_process, discover=fake_discover)
"""


def _stored(db: Path) -> set[str]:
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn:
            return {row[0] for row in conn.execute("SELECT id FROM documents")}
    except sqlite3.OperationalError:  # not created yet
        return set()


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 90) -> None:
    """SIGKILL the process once `ready()` holds; then its orphaned workers must go too."""
    deadline = time.monotonic() + timeout
    try:
        while not ready():
            assert proc.poll() is None, f"child ended early: {proc.stderr.read()}"
            assert time.monotonic() < deadline, "child never got going"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        # Workers watch their parent and leave within a second or so.
        gone_by = time.monotonic() + 15
        while True:
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break
            assert time.monotonic() < gone_by, "orphaned workers outlived the parent"
            time.sleep(0.1)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def _assert_whole(db: Path, ids: set[str]) -> None:
    """Every document once, each with all its rows: nothing half-written."""
    with closing(sqlite3.connect(db)) as conn:
        assert sorted(r[0] for r in conn.execute("SELECT id FROM documents")) == sorted(ids)
        for table, per_doc in (("sheets", 1), ("readings", 1), ("opinions", 3), ("parties", 3)):
            counts = dict(conn.execute(f"SELECT document_id, count(*) FROM {table} GROUP BY 1"))
            assert counts == dict.fromkeys(ids, per_doc), table


def test_sigkill_mid_batch_then_resume(tmp_path: Path, counting: Path) -> None:
    n = 16
    make_scans(tmp_path / "scans", n)
    db = tmp_path / "out" / "registry.sqlite"
    url = f"sqlite:///{db}"
    code = CHILD.format(tests=str(TESTS), scans=str(tmp_path / "scans"),
                        out=str(tmp_path / "out"), url=url)
    env = {**os.environ, "FAKE_SLEEP": "0.4"}
    env.pop("FAKE_COUNT_DIR")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    _kill_when(proc, lambda: len(_stored(db)) >= 3)
    first = _stored(db)
    every = {d.id for d in fake_discover(tmp_path / "scans")}
    assert 3 <= len(first) < n
    _assert_whole(db, first)

    s = _run(tmp_path, url, 2)
    assert set(_counted(counting)) == every - first  # run 2 did exactly what run 1 had not
    assert len(_counted(counting)) == n - len(first)  # ...each once
    assert (s.processed, s.skipped) == (n - len(first), len(first))
    _assert_whole(db, every)


# -- the same against the real command line -----------------------------------------------------

def _has_pipeline() -> bool:
    try:
        import tasksheet.pipeline  # noqa: F401
    except Exception:
        return False
    return True


@pytest.mark.slow
@pytest.mark.skipif(not _has_pipeline(), reason="tasksheet.pipeline is not importable yet")
def test_sigkill_real_cli_then_resume(tmp_path: Path) -> None:
    scans = ROOT / "samples"
    kinds = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")
    if len([p for p in scans.rglob("*") if p.suffix.lower() in kinds]) < 3:
        scans = tmp_path / "scans"  # samples/ not generated yet: make a few
        made = subprocess.run([str(ROOT / ".venv" / "bin" / "tasksheet"), "samples", "--n", "3",
                               "--out", str(scans)], capture_output=True, text=True)
        if made.returncode != 0:
            pytest.skip(f"no scanned samples and the generator failed: {made.stderr[-300:]}")
    out = tmp_path / "out"
    db = out / "registry.sqlite"
    cli = [str(ROOT / ".venv" / "bin" / "tasksheet"), "run", str(scans), "--out", str(out),
           "--workers", "2", "--quiet"]
    proc = subprocess.Popen(cli, cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    _kill_when(proc, lambda: len(_stored(db)) >= 1, timeout=600)
    with closing(sqlite3.connect(db)) as conn:
        before = dict(conn.execute("SELECT id, processed_at FROM documents"))
    done = subprocess.run(cli, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert done.returncode in (0, 1), done.stderr
    with closing(sqlite3.connect(db)) as conn:
        after = dict(conn.execute("SELECT id, processed_at FROM documents"))
    from tasksheet.ingest.discover import discover

    assert len(after) == len({d.id for d in discover(scans)})  # every document, once
    assert before.items() <= after.items()  # run 1's documents were not processed again
    assert len(after) > len(before)
