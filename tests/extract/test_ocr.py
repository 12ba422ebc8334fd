"""The OCR engine loads from the installed wheel and reads a rendered Chinese line offline."""


import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.ocr import get_engine
from tasksheet.schemas.errors import TasksheetError

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def render(text: str) -> np.ndarray:
    font = ImageFont.truetype(FONT, 36)
    img = Image.new("L", (40 + 40 * len(text), 64), 255)
    ImageDraw.Draw(img).text((16, 12), text, font=font, fill=0)
    return np.array(img)


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
