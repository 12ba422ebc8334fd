"""The batch as an office's scan inbox tries it: exit codes a script can tell apart, failures
of the machine retried, --retry-failed and --force, history kept when a name is reused,
renames followed, page images installed whole or the document failed, two runs at once.

Fakes from helpers.fakes (module level, so that spawned workers can import them).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from conftest import ROOT, TESTS
from helpers.fakes import FakeSource, fake_discover, fake_process, make_scans
from tasksheet.ingest.hashing import content_sha256, document_id
from tasksheet.registry.db import Registry
from tasksheet.schemas.errors import TasksheetError
from tasksheet.schemas.result import PageInfo, Reading, SheetResult

from tasksheet.batch import run_batch
from tasksheet.cli import main

JPEG = cv2.imencode(".jpg", np.full((40, 30, 3), 255, np.uint8))[1].tobytes()


def env_process(source: FakeSource, out: Path, dpi: int) -> SheetResult:
    """Fails like an unwritable output folder while FAKE_ENV_FAIL is set."""
    if os.environ.get("FAKE_ENV_FAIL"):
        raise PermissionError(13, "Permission denied", str(out / "pages" / source.id))
    return fake_process(source, out, dpi)


def page_process(source: FakeSource, out: Path, dpi: int) -> SheetResult:
    """Writes its two page images as the pipeline does; cut short while FAKE_DISK_FULL."""
    folder = out / "pages" / source.id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "p1.jpg").write_bytes(JPEG)
    (folder / "p2.jpg").write_bytes(JPEG[: len(JPEG) // 2] if os.environ.get("FAKE_DISK_FULL")
                                    else JPEG)
    return fake_process(source, out, dpi)


def dirty_process(source: FakeSource, out: Path, dpi: int) -> SheetResult:
    """A failed result whose reason quotes a hostile file name, as the pipeline's can."""
    result = SheetResult(id=source.id, sources=source.sources, sha256=source.sha256,
                         template="task_sheet_2018")
    result.fail(f"{source.sources[0]}: corrupt PDF\nsecond line")
    return result  # the batch words its finding (checks), from the reason made one line


def _run(tmp: Path, process=fake_process, workers: int = 1, **kw):
    return run_batch(tmp / "scans", out=tmp / "out", registry=f"sqlite:///{tmp / 'r.sqlite'}",
                     workers=workers, progress=False, process=process, discover=fake_discover,
                     **kw)


def _results(tmp: Path) -> dict[str, SheetResult]:
    with Registry(f"sqlite:///{tmp / 'r.sqlite'}") as reg:
        return {r.id: r for r in reg.results()}


def _id(path: Path) -> str:
    return document_id(content_sha256([path]))


# -- exit codes ---------------------------------------------------------------------------


class Blocked(BaseException):
    """Raised by the deadline: no `except OSError` or `except Exception` swallows it."""


@pytest.fixture
def deadline():
    """A run that blocks (on a FIFO) fails after 30 s instead of hanging the suite."""
    import signal

    def boom(*_: object) -> None:
        raise Blocked("the run opened something that never answers")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test_exit_0_when_nothing_failed_even_with_skipped_entries(tmp_path: Path, capsys,
                                                              deadline) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    os.mkfifo(scans / "scan0001.pdf")
    (scans / "zero.pdf").symlink_to("/dev/zero")
    code = main(["run", str(scans), "--out", str(tmp_path / "out"), "--workers", "1", "--quiet"])
    assert code == 0
    err = capsys.readouterr().err
    assert ("tasksheet: skipped scan0001.pdf: a named pipe (FIFO), not a regular file: "
            "not read\n") in err
    assert ("tasksheet: skipped zero.pdf: symbolic link to a place outside the scan folder: "
            "not followed\n") in err


def test_exit_1_when_a_document_failed(tmp_path: Path, capsys) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "loop.pdf").symlink_to("loop.pdf")
    (scans / "gone.pdf").symlink_to("missing.pdf")
    out = tmp_path / "out"
    assert main(["run", str(scans), "--out", str(out), "--workers", "1", "--quiet"]) == 1
    with Registry(f"sqlite:///{out / 'registry.sqlite'}") as reg:
        errors = sorted(r.error for r in reg.results("failed"))
    assert errors == ["gone.pdf: dangling symbolic link: its target does not exist",
                      "loop.pdf: symbolic link loop: the link leads back to itself"]
    # the next run looks at them again (they cost nothing), and they are fixed now
    (scans / "loop.pdf").unlink()
    (scans / "gone.pdf").unlink()
    assert main(["run", str(scans), "--out", str(out), "--workers", "1", "--quiet"]) == 0


def test_exit_2_for_usage_and_environment_errors(tmp_path: Path, capsys, monkeypatch) -> None:
    assert main(["run", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 2
    assert "tasksheet: error: no such scan folder: " in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["run", str(tmp_path), "--max-pages", "0"])
    assert exc.value.code == 2
    (tmp_path / "file").write_text("x", encoding="utf-8")
    (tmp_path / "scans").mkdir()
    assert main(["run", str(tmp_path / "scans"), "--out", str(tmp_path / "file" / "out")]) == 2
    assert "tasksheet: error: cannot write to the output folder " in capsys.readouterr().err
    import tasksheet.batch

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tasksheet.batch, "run_batch", full)
    assert main(["run", str(tmp_path / "scans")]) == 2
    assert capsys.readouterr().err == "tasksheet: error: [Errno 28] No space left on device\n"


def test_exit_3_when_it_crashed(tmp_path: Path, capsys, monkeypatch) -> None:
    import tasksheet.batch

    def bug(*a, **k):
        raise KeyError("a bug")

    monkeypatch.setattr(tasksheet.batch, "run_batch", bug)
    assert main(["run", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert err.endswith("tasksheet: crashed (KeyError: 'a bug'); this is a bug, please report "
                        "it with the traceback above\n")

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(tasksheet.batch, "run_batch", interrupted)
    assert main(["run", str(tmp_path)]) == 130


def test_cli_passes_the_settings(tmp_path: Path, monkeypatch) -> None:
    from tasksheet.ingest.load import Limits

    import tasksheet.batch

    seen = {}

    class Done:
        ok = True

    def spy(scan_dir, **kw):
        seen.update(kw)
        return Done()

    monkeypatch.setattr(tasksheet.batch, "run_batch", spy)
    monkeypatch.setenv("TASKSHEET_MAX_PIXELS", "1000000")
    assert main(["run", str(tmp_path), "--retry-failed", "--force", "abcd1234", "--force",
                 "x.pdf", "--max-pages", "8", "--max-file-mb", "20.5"]) == 0
    assert seen["retry_failed"] is True and seen["force"] == ["abcd1234", "x.pdf"]
    assert seen["limits"] == Limits(max_pages=8, max_file_mb=20.5, max_pixels=1_000_000)


# -- retries --------------------------------------------------------------------------------


def test_a_failure_of_the_machine_is_retried_by_the_next_run(tmp_path: Path,
                                                             monkeypatch) -> None:
    files = make_scans(tmp_path / "scans", 2)
    monkeypatch.setenv("FAKE_ENV_FAIL", "1")
    s1 = _run(tmp_path, env_process)
    assert (s1.processed, s1.failed, s1.ok) == (2, 2, False)
    doc = _results(tmp_path)[_id(files[0])]
    assert doc.error.startswith("PermissionError: [Errno 13] Permission denied: ")
    assert doc.error.endswith(f"/pages/{_id(files[0])}'")
    monkeypatch.delenv("FAKE_ENV_FAIL")  # the folder was fixed
    s2 = _run(tmp_path, env_process)
    assert (s2.processed, s2.retried, s2.skipped, s2.ok) == (2, 2, 0, True)
    assert {r.status for r in _results(tmp_path).values()} == {"complete"}


def test_retry_failed_and_force(tmp_path: Path) -> None:
    files = make_scans(tmp_path / "scans", 3)
    files[1].write_text("BOOM 损坏", encoding="utf-8")
    s1 = _run(tmp_path)
    assert (s1.processed, s1.failed) == (3, 1)
    s2 = _run(tmp_path)  # the document's own fault: not retried by itself
    assert (s2.processed, s2.skipped, s2.retried) == (0, 3, 0)
    s3 = _run(tmp_path, retry_failed=True)
    assert (s3.processed, s3.retried, s3.failed, s3.skipped) == (1, 1, 1, 2)
    good = _id(files[2])
    before = _results(tmp_path)[good]
    s4 = _run(tmp_path, force=[good[:6]])
    assert (s4.processed, s4.skipped) == (1, 2)
    s5 = _run(tmp_path, force=["doc000.txt", str(files[2])])
    assert (s5.processed, s5.skipped) == (2, 1)
    assert _results(tmp_path)[good] == before  # same content, same record
    with pytest.raises(TasksheetError, match="--force nothing.pdf: no such document in "):
        _run(tmp_path, force=["nothing.pdf"])


def test_a_failure_reason_is_one_printable_line(tmp_path: Path) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "bad\x1b[2J.txt").write_text("BOOM", encoding="utf-8")
    (scans / "odd\x07.txt").write_text("other", encoding="utf-8")
    _run(tmp_path, dirty_process)
    assert sorted(r.error for r in _results(tmp_path).values()) == [
        "bad?[2J.txt: corrupt PDF second line", "odd?.txt: corrupt PDF second line"]
    assert sorted(r.findings[0].message for r in _results(tmp_path).values()) == [
        "无法读取：bad?[2J.txt: corrupt PDF second line",
        "无法读取：odd?.txt: corrupt PDF second line"]


# -- identity by content ----------------------------------------------------------------------


def test_a_reused_name_is_a_new_document_and_the_old_record_stays(tmp_path: Path) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    scan = scans / "scan0001.txt"
    scan.write_text("第一份任务书", encoding="utf-8")
    first = _id(scan)
    _run(tmp_path)
    scan.write_text("另一份无关的任务书", encoding="utf-8")  # the scanner reused the name
    second = _id(scan)
    s = _run(tmp_path)
    assert (s.processed, s.counts, s.ok) == (1, {"complete": 1}, True)
    results = _results(tmp_path)
    assert sorted(results) == sorted([first, second])
    assert results[first].value("cover.project_name") == "第一份任务书"
    assert [(f.code, f.severity) for f in results[first].findings] == [("source_replaced",
                                                                        "info")]
    assert results[second].findings == []
    rows = (tmp_path / "out" / "findings.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[1].startswith(f"{first},scan0001.txt,complete,source_replaced,info,document,,"
                              f"来源文件已被新内容取代：scan0001.txt 现为文档 {second}")


def test_a_renamed_file_is_not_reprocessed_and_its_path_follows(tmp_path: Path,
                                                                counting: Path) -> None:
    files = make_scans(tmp_path / "scans", 3)
    _run(tmp_path)
    moved = files[1].with_name("renamed.txt")
    files[1].rename(moved)
    s = _run(tmp_path)
    assert (s.processed, s.skipped, s.relocated) == (0, 3, 1)
    assert _results(tmp_path)[_id(moved)].sources == ["renamed.txt"]
    assert len(list(counting.iterdir())) == 3  # processed once each, on the first run
    assert "doc001.txt" not in (tmp_path / "out" / "findings.csv").read_text(encoding="utf-8-sig")
    s2 = _run(tmp_path)
    assert s2.relocated == 0


# -- page images, written whole ------------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2])
def test_page_images_are_installed_whole(tmp_path: Path, workers: int) -> None:
    files = make_scans(tmp_path / "scans", 2)
    s = _run(tmp_path, page_process, workers=workers, page_images=True)
    assert (s.processed, s.ok) == (2, True)
    for f in files:
        folder = tmp_path / "out" / "pages" / _id(f)
        assert sorted(p.name for p in folder.iterdir()) == ["p1.jpg", "p2.jpg"]
        assert (folder / "p2.jpg").read_bytes() == JPEG
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "findings.csv", "pages", "report.html", "report_assets"]  # no staging left


def test_a_full_disk_fails_the_document_and_the_next_run_repairs(tmp_path: Path,
                                                                 monkeypatch) -> None:
    files = make_scans(tmp_path / "scans", 1)
    doc = _id(files[0])
    monkeypatch.setenv("FAKE_DISK_FULL", "1")
    s1 = _run(tmp_path, page_process, page_images=True)
    assert (s1.failed, s1.ok) == (1, False)
    assert _results(tmp_path)[doc].error == ("page images not written (p2.jpg missing or cut "
                                             "short: is the disk full?)")
    assert not (tmp_path / "out" / "pages" / doc).exists()  # nothing half-written
    monkeypatch.delenv("FAKE_DISK_FULL")
    s2 = _run(tmp_path, page_process, page_images=True)
    assert (s2.processed, s2.retried, s2.ok) == (1, 1, True)
    assert (tmp_path / "out" / "pages" / doc / "p2.jpg").read_bytes() == JPEG
    (tmp_path / "out" / "pages" / doc / "p2.jpg").unlink()  # lost afterwards
    s3 = _run(tmp_path, page_process, page_images=True)
    assert (s3.processed, s3.repaired) == (1, 1)
    assert (tmp_path / "out" / "pages" / doc / "p2.jpg").read_bytes() == JPEG
    s4 = _run(tmp_path, page_process, page_images=True)
    assert (s4.processed, s4.skipped) == (0, 1)


def test_a_report_that_cannot_be_written_is_absent(tmp_path: Path, monkeypatch) -> None:
    import tasksheet.reports

    make_scans(tmp_path / "scans", 1)

    def full(results, out):
        (out / "report.html").write_text("<html><body>cut sh", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tasksheet.reports, "write_reports", full)
    with pytest.raises(TasksheetError, match="cannot write the reports into .*: No space left"):
        _run(tmp_path)
    assert not (tmp_path / "out" / "report.html").exists()
    assert len(_results(tmp_path)) == 1  # the documents themselves are stored


# -- two runs on one SQLite registry ------------------------------------------------------

CHILD = """
import sys
sys.path.insert(0, {tests!r})
from pathlib import Path
from helpers.fakes import fake_discover, fake_process
from tasksheet.batch import run_batch
s = run_batch(Path({scans!r}), out=Path({out!r}), registry={url!r}, workers=1, progress=False,
              process=fake_process, discover=fake_discover)
print(s.processed)
"""


@pytest.mark.parametrize("fresh", [False, True])
def test_two_runs_on_one_sqlite_registry_both_finish(tmp_path: Path, fresh: bool) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    if not fresh:
        Registry(url).close()
    env = {**os.environ, "FAKE_SLEEP": "0.02"}
    procs = []
    for name in ("a", "b"):
        make_scans(tmp_path / name, 25)
        for f in (tmp_path / name).iterdir():
            f.write_text(f"{name} {f.name}", encoding="utf-8")
        code = CHILD.format(tests=str(TESTS), scans=str(tmp_path / name),
                            out=str(tmp_path / f"out-{name}"), url=url)
        procs.append(subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e[-400:] for _, e in outs]
    assert [o.split()[-1] for o, _ in outs] == ["25", "25"]
    with Registry(url) as reg:
        assert len(reg.results()) == 50


def test_wait_is_a_write_lock_not_an_error(tmp_path: Path) -> None:
    """A writer holding the lock a while: the other waits (BEGIN IMMEDIATE + busy timeout)."""
    import sqlite3
    import threading

    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    reg = Registry(url)
    holder = sqlite3.connect(tmp_path / "r.sqlite", isolation_level=None,
                             check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(1.0, lambda: holder.execute("COMMIT")).start()
    t = time.perf_counter()
    result = SheetResult(id="1" * 16, sources=["a.pdf"], sha256="1" * 64,
                         template="task_sheet_2018", pages=[PageInfo(index=1, source="a.pdf")],
                         readings={"cover.project_name": Reading(raw="x", value="x")})
    reg.store(result, root="/scans")
    assert time.perf_counter() - t >= 0.9
    assert [r.id for r in reg.results()] == ["1" * 16]
    reg.close()
    holder.close()
