"""The bench times ours and the baseline on the same threads and says so (#20).

Our recogniser and OpenCV run on one thread by default; rapidocr's own default is a thread
per core. Timed that way, the baseline's CPU seconds held its threads' hand-overs and its
wall time a second core, and neither ratio compared like with like. These tests check what
the baseline runs with and what the figures say, never how fast anything is.
"""

from __future__ import annotations

import time

import cv2
import numpy as np
import pytest
from conftest import SAMPLES
from tasksheet.extract.ocr import RapidOcrEngine
from tasksheet.ingest.discover import discover

from tasksheet import bench


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The baseline's read_page replaced by one that notes the rapidocr threads it would
    run with and OpenCV's threads at the time: (rapidocr intra-op threads, OpenCV's)."""
    calls: list[tuple[int, int]] = []

    def read_page(self: RapidOcrEngine, image: np.ndarray) -> list:
        calls.append((self._ocr_threads, cv2.getNumThreads()))
        return []

    monkeypatch.setattr(RapidOcrEngine, "read_page", read_page)
    return calls


def one_source() -> list:
    """The smallest sample document: a 1-bit TIFF, cheap to load."""
    return [s for s in discover(SAMPLES) if s.sources[0].endswith(".tif")][:1]


def test_the_baseline_runs_on_our_threads_by_default(monkeypatch, seen):
    monkeypatch.delenv("TASKSHEET_OCR_THREADS", raising=False)
    monkeypatch.delenv("TASKSHEET_CV_THREADS", raising=False)
    before = cv2.getNumThreads()
    per_source: list = []
    pages, _ = bench.time_baseline(one_source(), 100, per_source)
    assert pages >= 1 and len(seen) == pages
    assert set(seen) == {(1, 1)}  # rapidocr's default (-1: a thread per core) no more
    assert cv2.getNumThreads() == before  # OpenCV's threads given back
    (got_pages, wall, cpu), = per_source
    assert got_pages == pages and wall >= 0 and cpu >= 0


def test_the_baseline_follows_the_threads_asked_for(monkeypatch, seen):
    monkeypatch.setenv("TASKSHEET_OCR_THREADS", "2")
    monkeypatch.setenv("TASKSHEET_CV_THREADS", "2")
    assert bench.bench_threads() == {"recogniser": 2, "opencv": 2}
    bench.time_baseline(one_source(), 100)
    assert seen and set(seen) == {(2, 2)}


def test_the_baseline_engine_is_not_the_pipelines(monkeypatch):
    """The baseline gets an engine of its own: the process's engine (the pipeline's
    recogniser) keeps its threads whatever the baseline is given."""
    from tasksheet.extract.ocr import get_engine

    monkeypatch.delenv("TASKSHEET_OCR_THREADS", raising=False)
    base = bench.baseline_engine(1)
    assert base is not get_engine()
    assert base._ocr_threads == 1 and base._threads == 1


def test_both_sides_are_given_in_wall_and_cpu_seconds_with_their_threads():
    threads = {"recogniser": 1, "opencv": 1}
    f = bench.speed_figures(8, 4.0, [1.0, 2.0], 8, 16.0, [1.5] * 8, threads)
    assert f["seconds_per_page"] == 0.5 and f["baseline_seconds_per_page"] == 2.0
    assert f["cpu_seconds_per_page"] == 0.375 and f["baseline_cpu_seconds_per_page"] == 1.5
    assert f["speedup"] == 4.0 and f["cpu_speedup"] == 4.0
    assert f["threads"] == f["baseline_threads"] == "recogniser 1, opencv 1"


def test_per_layout_figures_carry_cpu_seconds():
    got = bench.speed_by_layout(["paged", "flowing", "paged"],
                                [(2, 1.0, 0.5), (3, 3.0, 1.5), (2, 1.0, 0.5)],
                                [(2, 4.0, 3.0), (3, 9.0, 6.0), (2, 4.0, 3.0)])
    assert got["paged"]["cpu_seconds_per_page"] == 0.25
    assert got["paged"]["baseline_cpu_seconds_per_page"] == 1.5
    assert got["paged"]["cpu_speedup"] == 6.0
    assert got["flowing"]["cpu_speedup"] == 4.0
    # sources timed without CPU seconds (a caller of the old shape) give the wall only
    old = bench.speed_by_layout(["paged"], [(2, 1.0)], [(2, 4.0)])
    assert old["paged"]["speedup"] == 4.0 and "cpu_speedup" not in old["paged"]


# The pool's order (`--workers 2` against `--workers 1`): the longest documents first, so
# that the workers finish together. Which document goes first changes no result.

def test_expected_pages_are_the_pages_the_loader_yields():
    from tasksheet.ingest.load import load_pages

    from tasksheet.workers import expected_pages

    sources = discover(SAMPLES)
    assert len(sources) == 8
    for src in sources:
        assert expected_pages(src) == sum(1 for _ in load_pages(src, dpi=30)), src.sources[0]


def test_a_file_that_cannot_be_read_counts_one_page(tmp_path):
    from types import SimpleNamespace

    from tasksheet.workers import expected_pages

    bad = tmp_path / "cut.tif"
    bad.write_bytes(b"II*\x00" + b"\xff" * 10)  # a TIFF header and no directory
    gone = tmp_path / "gone.pdf"
    assert expected_pages(SimpleNamespace(paths=[bad])) == 1
    assert expected_pages(SimpleNamespace(paths=[gone])) == 1
    assert expected_pages(SimpleNamespace(paths=[bad, gone])) == 2


def test_the_longest_documents_go_first_ties_in_their_order():
    from tasksheet.workers import heaviest_first

    order = [s.sources[0] for s in heaviest_first(discover(SAMPLES))]
    assert order == ["doc-0007.tif", "doc-0001.pdf", "doc-0003.tif", "doc-0008.pdf",
                     "doc-0002/p1.jpg", "doc-0004.pdf", "doc-0005.pdf", "doc-0006/p1.jpg"]


class _Pool:
    """A pool that runs each document at once in this process, noting the order."""

    def __init__(self, handed: list) -> None:
        self.handed = handed

    def submit(self, fn, *args):
        from concurrent.futures import Future

        self.handed.append(args[1].id)
        fut: Future = Future()
        fut.set_result(fn(*args))
        return fut

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def test_a_pool_is_handed_the_longest_first_one_worker_keeps_the_order(tmp_path, monkeypatch):
    from helpers.fakes import fake_discover, fake_process, make_scans

    from tasksheet import workers

    make_scans(tmp_path / "scans", 4)
    todo = fake_discover(tmp_path / "scans")
    pages = {todo[0].id: 1, todo[1].id: 3, todo[2].id: 1, todo[3].id: 5}
    monkeypatch.setattr(workers, "expected_pages", lambda s: pages[s.id])
    handed: list = []
    monkeypatch.setattr(workers, "_new_pool", lambda n: _Pool(handed))
    got = list(workers.local_results(todo, fake_process, tmp_path / "out", 200, workers=2,
                                     template_id="task_sheet_2018"))
    assert handed == [todo[3].id, todo[1].id, todo[0].id, todo[2].id]
    assert sorted(r.id for r in got) == sorted(s.id for s in todo)
    one = list(workers.local_results(todo, fake_process, tmp_path / "out", 200, workers=1,
                                     template_id="task_sheet_2018"))
    assert [r.id for r in one] == [s.id for s in todo]


def test_worker_scaling_gives_cpu_seconds_a_page_and_the_load(tmp_path, monkeypatch):
    """One worker runs in this process: its CPU seconds are this process's, beside the
    wall's pages/s and the load average that says how far the wall can be trusted."""
    from types import SimpleNamespace

    import tasksheet.pipeline
    from tasksheet.profile import worker_scaling

    def process(source, out, dpi):
        end = time.process_time() + 0.05
        while time.process_time() < end:  # CPU spent, as a document's reading spends it
            pass
        return SimpleNamespace(pages=[1, 2])

    monkeypatch.setattr(tasksheet.pipeline, "process_document", process)
    got = worker_scaling([SimpleNamespace(id="a"), SimpleNamespace(id="b")], tmp_path,
                         workers=(1,))
    one = got["workers_1"]
    assert one["pages"] == 4
    assert one["cpu_seconds_per_page"] is not None and one["cpu_seconds"] >= 0.1
    assert one["load_average_before"] is not None and one["load_average_after"] is not None


def test_the_set_is_scored_in_its_sources_order_whoever_finished_first(tmp_path, monkeypatch):
    """The copy check groups sheets greedily in the order given: a pool's completion order
    (longest first now) must not reach it."""
    import importlib
    from types import SimpleNamespace

    from tasksheet.schemas.result import SheetResult

    import tasksheet.workers

    sources = [SimpleNamespace(id=f"d{i}", sources=[f"d{i}.pdf"]) for i in range(4)]
    done = [SheetResult(id=s.id, sources=s.sources, sha256=s.id, template="task_sheet_2018")
            for s in (sources[3], sources[1], sources[0], sources[2])]
    found = importlib.import_module("tasksheet.ingest.discover")  # the module, not its function
    monkeypatch.setattr(found, "discover", lambda d: sources)
    monkeypatch.setattr(tasksheet.workers, "local_results", lambda *a, **k: iter(done))
    given: list = []
    monkeypatch.setattr(bench, "result_copy_findings",
                        lambda results, template: given.extend(r.id for r in results) or {})
    (tmp_path / "truth").mkdir()
    bench.evaluate_set(tmp_path, tmp_path / "out", workers=2)
    assert given == ["d0", "d1", "d2", "d3"]
