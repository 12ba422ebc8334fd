"""The bench times ours and the baseline on the same threads and says so (#20).

Our recogniser and OpenCV run on one thread by default; rapidocr's own default is a thread
per core. Timed that way, the baseline's CPU seconds held its threads' hand-overs and its
wall time a second core, and neither ratio compared like with like. These tests check what
the baseline runs with and what the figures say, never how fast anything is.
"""

from __future__ import annotations

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
