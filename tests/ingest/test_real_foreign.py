"""Foreign documents (a contract's pages, a letter, a certificate, a blank page) are rejected
at ingest with a reason ("not a …"), never read as an incomplete task sheet."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from conftest import REAL
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest import ingest_document
from tasksheet.ingest.classify import claim_continuations, classify_page
from tasksheet.ingest.discover import discover
from tasksheet.ingest.document import RawPage
from tasksheet.ingest.normalize import normalise
from tasksheet.schemas import load_template
from tasksheet.schemas.errors import DocumentError

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
DPI = 200


def contract_signature_page() -> np.ndarray:
    """The last page of a contract: closing clauses, then each party's seal, signature,
    address, telephone, mobile, bank — labels the task sheet prints too (法定代表人, 电话,
    手机, Email), and none of its headings or marks."""
    w, h = round(8.27 * DPI), round(11.69 * DPI)
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    th = round(10.5 / 72 * DPI)
    font = ImageFont.truetype(str(FONT), th)
    y = round(1.2 * DPI)
    d.text((w // 2 - 6 * th, y), "八、其他约定事项", fill="black",
           font=ImageFont.truetype(str(FONT), round(1.4 * th)))
    y += 3 * th
    for line in ["本合同一式肆份，甲乙双方各执贰份，具有同等法律效力。",
                 "本合同自双方签字盖章之日起生效，合同期满自动终止。",
                 "未尽事宜，由双方协商解决；协商不成的，向甲方所在地人民法院起诉。"]:
        d.text((DPI, y), line, fill="black", font=font)
        y += 2 * th
    y += 2 * th
    for label in ["（盖章）：", "法定代表人（签字）：", "委托代理人（签字）：", "地址：", "电话：",
                  "手机：", "Email：", "开户银行：", "账号：", "签订日期：    年   月   日"]:
        first = "甲方" + label if label.startswith("（") else label
        second = "乙方" + label if label.startswith("（") else label
        d.text((DPI, y), first, fill="black", font=font)
        d.text((round(4.4 * DPI), y), second, fill="black", font=font)
        y += round(2.4 * th)
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


def _classified(image: np.ndarray) -> str | None:
    template, engine = load_template(), get_engine()
    page = normalise(RawPage(1, "page.png", image, float(DPI)), engine)
    page.form_page, page.classify_score = classify_page(page, template, engine)
    claim_continuations([page], template)
    return page.form_page


def test_a_contracts_signature_page_is_no_page_of_the_form() -> None:
    """Its labels alone once made it section 一 (score 0.45): a document none of whose
    pages carries a mark of the form is foreign."""
    if not FONT.exists():
        pytest.skip(f"font {FONT} is absent")
    assert _classified(contract_signature_page()) is None


@pytest.mark.parametrize("name", ["seal-contract-phone-scan.jpg", "seal-certificate-photo.jpg",
                                  "form-checkboxes-signatures.png", "table-customs-declaration.jpg"])
def test_real_foreign_pages(name: str) -> None:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"real scan {path} is absent")
    assert _classified(cv2.imread(str(path), cv2.IMREAD_COLOR)) is None


def test_a_blank_page_is_foreign() -> None:
    assert _classified(np.full((2338, 1654, 3), 245, np.uint8)) is None


def test_a_contract_document_fails_at_ingest_with_a_reason(tmp_path: Path) -> None:
    if not FONT.exists():
        pytest.skip(f"font {FONT} is absent")
    folder = tmp_path / "contract"
    folder.mkdir()
    cv2.imwrite(str(folder / "p1.png"), contract_signature_page())
    cv2.imwrite(str(folder / "p2.png"), np.full((2338, 1654, 3), 245, np.uint8))
    sources = discover(tmp_path)
    assert len(sources) == 1
    with pytest.raises(DocumentError, match=r"^not a .*none of its 2 page\(s\) matches"):
        ingest_document(sources[0], load_template(), get_engine())
