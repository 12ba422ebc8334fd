"""A document read in this process runs OpenCV on one thread, as a worker does (#20): the
same pixels come out, with less CPU spent handing work between threads."""

import cv2
import pytest
from tasksheet.ingest.document import DocumentSource

from tasksheet import pipeline


@pytest.fixture
def restore_threads():
    before = cv2.getNumThreads()
    yield
    cv2.setNumThreads(before)


def _run(monkeypatch, tmp_path) -> int:
    seen = []
    monkeypatch.setattr(pipeline, "STAGES", [("ingest", lambda job: seen.append(cv2.getNumThreads()))])
    src = DocumentSource(id="x", sha256="0" * 64, root=tmp_path, paths=[], sources=[])
    pipeline.process_document(src)
    return seen[0]


def test_a_document_is_read_with_one_opencv_thread(monkeypatch, tmp_path, restore_threads):
    monkeypatch.delenv("TASKSHEET_CV_THREADS", raising=False)
    cv2.setNumThreads(2)
    assert _run(monkeypatch, tmp_path) == 1


def test_opencv_threads_from_the_environment(monkeypatch, tmp_path, restore_threads):
    monkeypatch.setenv("TASKSHEET_CV_THREADS", "2")
    cv2.setNumThreads(1)
    assert _run(monkeypatch, tmp_path) == 2
