"""The OCR engine loads from the installed wheel and reads a rendered Chinese line offline."""


import numpy as np
import pytest
from helpers.drawing import render_line as render
from tasksheet.extract.ocr import get_engine
from tasksheet.schemas.errors import TasksheetError


def test_reads_a_chinese_line_without_network(no_network):
    get_engine.cache_clear()
    engine = get_engine("rapidocr")
    [(text, score)] = engine.recognize([render("三方单位基本信息")])
    assert text == "三方单位基本信息"
    assert score > 0.9
    lines = engine.read_page(render("成都市科学技术协会"))
    assert [ln.text for ln in lines] == ["成都市科学技术协会"]


def test_unknown_engine_lists_valid_ones():
    with pytest.raises(TasksheetError, match="valid: rapidocr, paddleocr"):
        get_engine("tesseract")


def test_every_engine_offers_the_whole_contract() -> None:
    """What the readers call (`score` for candidate dates, `recognize_columns` for seal
    names) is in `OcrEngine`, and each engine has it: the optional paddleocr engine scores
    from its free reading and has no CTC columns (a seal is then read free)."""
    import inspect

    from tasksheet.extract.ocr import OcrEngine, PaddleOcrEngine, RapidOcrEngine

    contract = {n for n, _ in inspect.getmembers(OcrEngine, inspect.isfunction)
                if not n.startswith("_")}
    assert {"recognize", "recognize_chars", "read_page", "score", "recognize_columns"} <= contract
    for cls in (RapidOcrEngine, PaddleOcrEngine):
        assert all(callable(getattr(cls, n, None)) for n in contract), cls
    paddle = PaddleOcrEngine.__new__(PaddleOcrEngine)  # its model is not needed for this
    paddle.recognize = lambda crops: [("2018年7月16日", 0.9), ("2018年7月1日", 0.8)]
    got = paddle.score([None, None], ["2018年7月16日", "2018年7月16日"])
    assert got[0] == 0.9 and 0.5 < got[1] < 0.8
    assert paddle.recognize_columns([]) is None


RUNTIME_LINES = ["项目名称", "2019年6月24日", "成都市科学技术协会", "028-80436257", "☑有，□无"]


@pytest.fixture(scope="module")
def runtimes() -> dict:
    """One engine per recogniser runtime, one thread each (as a worker runs them)."""
    pytest.importorskip("openvino")  # the `openvino` extra (in `dev`)
    from tasksheet.extract.ocr import RapidOcrEngine

    return {rt: RapidOcrEngine(threads=1, runtime=rt) for rt in ("openvino", "onnxruntime")}


def test_both_runtimes_read_rendered_lines_alike(runtimes):
    """OpenVINO (f32) and onnxruntime run the same model: the same texts, the same scores
    and CTC columns to rounding (bf16, OpenVINO's default on AMX CPUs, moves these scores
    by up to 7e-3: the score check fails on it)."""
    crops = [render(t) for t in RUNTIME_LINES]
    ov, ort_ = runtimes["openvino"], runtimes["onnxruntime"]
    assert ov.recogniser.runtime == "openvino" and ort_.recogniser.runtime == "onnxruntime"
    a, b = ov.recognize(crops), ort_.recognize(crops)
    assert [t for t, _ in a] == [t for t, _ in b]
    assert [t for t, _ in a][:3] == RUNTIME_LINES[:3]
    assert [s for _, s in a] == pytest.approx([s for _, s in b], abs=1e-4)
    assert [c for _, _, c in ov.recognize_chars(crops)] == [
        c for _, _, c in ort_.recognize_chars(crops)]
    assert ov.score(crops, RUNTIME_LINES) == pytest.approx(ort_.score(crops, RUNTIME_LINES),
                                                           abs=1e-3)
    [(pa, keys_a)], [(pb, keys_b)] = (e.recognize_columns([crops[2]]) for e in (ov, ort_))
    assert keys_a == keys_b and pa.shape == pb.shape
    assert float(np.abs(pa - pb).max()) < 1e-3


def test_runtime_is_chosen_by_name_or_environment(monkeypatch):
    from tasksheet.extract.ocr import RapidOcrEngine, choose_runtime

    pytest.importorskip("openvino")
    monkeypatch.delenv("TASKSHEET_OCR_RUNTIME", raising=False)
    assert choose_runtime() == "onnxruntime"  # the default
    assert RapidOcrEngine(threads=1).runtime == "onnxruntime"
    monkeypatch.setenv("TASKSHEET_OCR_RUNTIME", "openvino")
    assert choose_runtime() == "openvino"
    assert RapidOcrEngine(threads=1).runtime == "openvino"
    assert choose_runtime("onnxruntime") == "onnxruntime"  # a name given beats the environment
    monkeypatch.setenv("TASKSHEET_OCR_RUNTIME", "tensorrt")
    with pytest.raises(TasksheetError, match="valid: onnxruntime, openvino"):
        RapidOcrEngine(threads=1)
    # the int8 recogniser is onnxruntime's own quantisation: it runs there, whatever is set
    monkeypatch.setenv("TASKSHEET_OCR_RUNTIME", "openvino")
    assert RapidOcrEngine(threads=1, model="int8").runtime == "onnxruntime"


def test_without_openvino_the_recogniser_falls_back_to_onnxruntime(monkeypatch):
    """An install without `openvino` still reads (on onnxruntime), even were OpenVINO the
    default; asking for OpenVINO by name there is an error, not a silent swap."""
    import sys

    from tasksheet.extract import ocr
    from tasksheet.extract.ocr import RapidOcrEngine, choose_runtime

    monkeypatch.setitem(sys.modules, "openvino", None)  # `import openvino` raises ImportError
    monkeypatch.delenv("TASKSHEET_OCR_RUNTIME", raising=False)
    assert choose_runtime() == "onnxruntime"
    monkeypatch.setattr(ocr, "DEFAULT_RUNTIME", "openvino")
    assert choose_runtime() == "onnxruntime"
    engine = RapidOcrEngine(threads=1)
    assert engine.runtime == "onnxruntime"
    [(text, _)] = engine.recognize([render("三方单位基本信息")])
    assert text == "三方单位基本信息" and engine.recogniser.runtime == "onnxruntime"
    monkeypatch.setenv("TASKSHEET_OCR_RUNTIME", "openvino")
    with pytest.raises(TasksheetError, match="openvino` is not installed"):
        choose_runtime()


def test_one_crop_scored_against_several_texts_is_run_once() -> None:
    """A date row's candidates are scored on the same crop: it runs through the recogniser
    once, and each text's score is what scoring it alone gives."""
    engine = get_engine("rapidocr")
    crop = render("2018年7月19日")
    texts = ["2018年7月19日", "2018年7月9日", "2018年1月19日"]
    alone = [engine.score([crop], [t])[0] for t in texts]
    before = engine.recogniser.columns_run
    engine.score([crop], ["x"])
    one_run = engine.recogniser.columns_run - before
    before = engine.recogniser.columns_run
    assert engine.score([crop] * len(texts), texts) == alone
    assert engine.recogniser.columns_run - before == one_run
