"""The recogniser's speed levers change how crops are run, never what they say: batches of
like widths read as one crop at a time does, the int8 model is built offline once and
reused, and scoring an expected text agrees with reading it."""


import numpy as np
import pytest
from conftest import SAMPLES
from tasksheet.extract.ocr import (
    RapidOcrEngine,
    ctc_probability,
    get_engine,
    quantized_rec_model,
    width_batches,
)
from tasksheet.extract.page_text import PageText
from tasksheet.extract.scale import binarize, ink_gray, measure_scale
from tasksheet.ingest import ingest_document
from tasksheet.ingest.discover import discover
from tasksheet.schemas.template import load_template


@pytest.fixture(scope="module")
def sample_crops() -> list[np.ndarray]:
    """Line crops of the first sample document's pages, as the readers cut them."""
    engine = get_engine()
    doc = ingest_document(discover(SAMPLES)[0], load_template(), engine)
    crops = []
    for page in doc.pages[:3]:
        ink = ink_gray(page.image)
        binary = binarize(ink)
        scale = measure_scale(binary)
        text = PageText(ink, binary, scale.text_height, scale.line_thickness, engine)
        h, w = binary.shape
        crops += [text._crop(b) for b in text.lines((0, 0, w, h))[:20]]
    assert len(crops) >= 15
    return crops


def test_width_batches_keep_every_crop_once_within_the_budget():
    widths = [int(w) for w in np.random.default_rng(1).integers(40, 3000, 200)]
    batches = width_batches(widths, columns=8000, max_batch=24)
    assert sorted(i for b in batches for i in b) == list(range(200))
    for b in batches:
        assert len(b) <= 24
        assert len(b) == 1 or len(b) * max(widths[i] for i in b) <= 8000
    # like widths together: the batches follow each other in width
    assert all(max(widths[i] for i in a) <= min(widths[i] for i in b)
               for a, b in zip(batches, batches[1:], strict=False))


def test_batched_reading_says_what_one_by_one_says(sample_crops):
    engine = get_engine()
    together = engine.recognize(sample_crops)
    alone = [engine.recognize([c])[0] for c in sample_crops]
    same = sum(a[0] == b[0] for a, b in zip(together, alone, strict=True))
    # a crop padded to its batch's widest may lose or gain a character at its end: at
    # most one crop in twenty
    assert same >= 0.95 * len(sample_crops), [(a[0], b[0]) for a, b in zip(together, alone, strict=True)
                                              if a[0] != b[0]]
    chars = engine.recognize_chars(sample_crops)
    assert [c[0] for c in chars] == [t for t, _ in together]


def test_score_of_the_text_read_is_high_and_of_another_text_low(sample_crops):
    engine = get_engine()
    read = [(c, t) for c, (t, s) in zip(sample_crops, engine.recognize(sample_crops), strict=True)
            if len(t) >= 4 and s > 0.95][:8]
    assert read
    crops, texts = [c for c, _ in read], [t for _, t in read]
    right = engine.score(crops, texts)
    wrong = engine.score(crops, [t[1:] + t[0] for t in texts])  # the same characters, turned
    assert min(right) > 0.8
    assert all(r > w + 0.3 for r, w in zip(right, wrong, strict=True))
    assert engine.score([crops[0]], ["\ue000"]) == [0.0]  # a character the model lacks


def test_ctc_probability_counts_every_alignment():
    p = np.array([[0.1, 0.9], [0.8, 0.2], [0.1, 0.9]])
    # "1 1" needs a blank between: 0.9 * 0.8 * 0.9, per label
    assert ctc_probability(p, [1, 1]) == pytest.approx((0.9 * 0.8 * 0.9) ** 0.5)
    # "1": 1-b-b, 1-1-b, ... every path of the collapsed text counts
    # "1": every path that collapses to it (1bb, 11b, 111, b1b, b11, bb1) counts
    one = (0.9 * 0.8 * 0.1 + 0.9 * 0.2 * 0.1 + 0.9 * 0.2 * 0.9
           + 0.1 * 0.2 * 0.1 + 0.1 * 0.2 * 0.9 + 0.1 * 0.8 * 0.9)
    assert ctc_probability(p, [1]) == pytest.approx(one)


def test_int8_model_is_built_offline_once_and_reused(tmp_path, monkeypatch, no_network,
                                                    sample_crops):
    monkeypatch.setenv("TASKSHEET_MODEL_CACHE", str(tmp_path))
    path = quantized_rec_model(cache=tmp_path)
    assert path.parent == tmp_path and path.stat().st_size > 0
    stamp = path.stat().st_mtime_ns
    assert quantized_rec_model(cache=tmp_path) == path
    assert path.stat().st_mtime_ns == stamp  # reused, not rebuilt
    assert not list(tmp_path.glob("*.tmp*"))
    fp, q = get_engine(), RapidOcrEngine(model="int8")
    q.recogniser  # noqa: B018 - built from the cache the environment names
    a = [t for t, _ in fp.recognize(sample_crops)]
    b = [t for t, _ in q.recognize(sample_crops)]
    assert sum(x == y for x, y in zip(a, b, strict=True)) >= 0.9 * len(a)


def test_recognition_alone_never_loads_the_detection_pipeline(sample_crops):
    """The pipeline reads crops only: rapidocr's det + rec pipeline is made for `read_page`."""
    from tasksheet.extract.ocr import RapidOcrEngine

    engine = RapidOcrEngine(threads=1)
    engine.recognize(sample_crops[:2])
    assert engine._rapid is None


def test_openvino_reads_every_sample_crop_as_onnxruntime_does(sample_crops):
    """The runtime is a speed lever only: on the readers' own crops, batched as the pipeline
    batches them, OpenVINO's texts are onnxruntime's, every one, and its scores agree."""
    pytest.importorskip("openvino")
    ov = RapidOcrEngine(threads=1, runtime="openvino")
    ref = RapidOcrEngine(threads=1, runtime="onnxruntime")
    a, b = ov.recognize(sample_crops), ref.recognize(sample_crops)
    assert [t for t, _ in a] == [t for t, _ in b]
    assert [s for _, s in a] == pytest.approx([s for _, s in b], abs=1e-3)
