"""The recogniser runs on one thread unless told otherwise (#20): a second intra-op thread
costs CPU in hand-overs and buys wall time only on an idle core, and it reads every crop
the same, so one thread changes how fast, never what is read."""

import numpy as np
import pytest
from conftest import SAMPLES
from tasksheet.extract.ocr import (
    DEFAULT_REC_THREADS,
    RapidOcrEngine,
    _Recogniser,
    bundled_rec_model,
)
from tasksheet.extract.scale import ink_gray
from tasksheet.extract.text_lines import find_text_lines
from tasksheet.ingest.discover import discover
from tasksheet.ingest.load import load_pages
from tasksheet.ingest.normalize import normalise


def test_recogniser_defaults_to_one_thread(monkeypatch):
    monkeypatch.delenv("TASKSHEET_OCR_THREADS", raising=False)
    engine = RapidOcrEngine()
    assert DEFAULT_REC_THREADS == 1
    assert engine._threads == 1
    assert engine._ocr_threads == -1  # the baseline's own pipeline keeps rapidocr's default


def test_threads_from_the_environment_still_win(monkeypatch):
    monkeypatch.setenv("TASKSHEET_OCR_THREADS", "3")
    engine = RapidOcrEngine()
    assert engine._threads == 3 and engine._ocr_threads == 3


@pytest.fixture(scope="module")
def line_crops() -> list[np.ndarray]:
    """Text line crops of the first sample document's first page."""
    raw = next(iter(load_pages(discover(SAMPLES)[0])))
    grey = ink_gray(normalise(raw).image)
    boxes = find_text_lines(grey)[:12]
    assert len(boxes) >= 8
    return [grey[y0:y1, x0:x1] for x0, y0, x1, y1 in boxes]


def test_one_thread_reads_as_two(line_crops):
    one = _Recogniser(bundled_rec_model(), 1).read(line_crops, word_box=False)
    two = _Recogniser(bundled_rec_model(), 2).read(line_crops, word_box=False)
    assert [(t, s) for t, s, _ in one] == [(t, s) for t, s, _ in two]
    assert sum(bool(t.strip()) for t, _, _ in one) >= 6


def test_the_arena_reads_as_without_it(line_crops):
    """The session keeps onnxruntime's memory arena (less CPU, a lower peak); where the
    activations' memory comes from never changes what is read."""
    import onnxruntime as ort
    from tasksheet.extract.ocr import session_options

    assert session_options(1).enable_cpu_mem_arena
    rec = _Recogniser(bundled_rec_model(), 1)
    with_arena = rec.read(line_crops, word_box=False)
    opts = session_options(1)
    opts.enable_cpu_mem_arena = False
    session = ort.InferenceSession(str(bundled_rec_model()), sess_options=opts,
                                   providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    rec._run = lambda batch: session.run(None, {name: batch})[0]
    without = rec.read(line_crops, word_box=False)
    assert [(t, s) for t, s, _ in with_arena] == [(t, s) for t, s, _ in without]
