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
